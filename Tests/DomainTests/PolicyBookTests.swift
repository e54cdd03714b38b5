import Domain
import Testing

@Suite("Policy book")
struct PolicyBookTests {
    static func row(_ key: String, _ j: String, _ from: String, _ to: String? = nil, _ value: String) -> PolicyParameter {
        PolicyParameter(key: key, jurisdiction: j, validFrom: CivilDate(iso: from)!, validTo: to.flatMap { CivilDate(iso: $0) },
                        value: value, source: "test", status: .verified)
    }

    @Test("a district inherits its province's value and overrides only what it sets")
    func lineage() throws {
        let book = PolicyBook([
            Self.row("quota.ratio", "CN-41", "2010-01-01", nil, "0.016"),
            Self.row("quota.ratio", "CN", "2008-01-01", nil, "0.015"),
            Self.row("minimum_wage.tier", "CN-41-4103-410307", "2018-01-01", nil, "1"),
        ])
        let d = CivilDate(iso: "2024-06-30")!
        #expect(try book.parameter("quota.ratio", jurisdiction: "CN-41-4103-410307", on: d).value == "0.016")
        #expect(try book.parameter("quota.ratio", jurisdiction: "CN-44", on: d).value == "0.015")
        #expect(throws: PolicyError.self) { try book.parameter("minimum_wage.tier", jurisdiction: "CN-41", on: d) }
        #expect(PolicyBook.lineage(of: "CN-41-4103") == ["CN-41-4103", "CN-41", "CN"])
    }

    @Test("a correction for the same period (same first day) is a new row, and the row added later is in force")
    func correctionOfTheSamePeriod() throws {
        let first = Self.row("social_average_wage", "CN-41", "2024-01-01", "2024-12-31", "76620")
        let corrected = Self.row("social_average_wage", "CN-41", "2024-01-01", "2024-12-31", "76999")
        let d = CivilDate(iso: "2024-12-31")!
        #expect(try PolicyBook([first, corrected]).parameter("social_average_wage", jurisdiction: "CN-41-4103-410307", on: d).value == "76999")
        #expect(try PolicyBook([corrected, first]).parameter("social_average_wage", jurisdiction: "CN-41", on: d).value == "76620")
        #expect(PolicyBook([first, corrected]).allParameters.count == 2, "the book keeps both")
    }

    @Test("the row in force is chosen by date, and a later row supersedes")
    func dated() throws {
        let book = PolicyBook([
            Self.row("minimum_wage.monthly.tier1", "CN-41", "2018-10-01", "2021-12-31", "1900"),
            Self.row("minimum_wage.monthly.tier1", "CN-41", "2022-01-01", nil, "2000"),
        ])
        #expect(try book.decimal("minimum_wage.monthly.tier1", jurisdiction: "CN-41", on: CivilDate(iso: "2021-12-31")!).0 == Rational(1900))
        #expect(try book.decimal("minimum_wage.monthly.tier1", jurisdiction: "CN-41", on: CivilDate(iso: "2022-01-01")!).0 == Rational(2000))
        #expect(throws: PolicyError.self) { try book.parameter("minimum_wage.monthly.tier1", jurisdiction: "CN-41", on: CivilDate(iso: "2018-09-30")!) }
    }
}
