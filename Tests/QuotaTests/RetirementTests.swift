import Domain
import Testing
@testable import Quota

/// The 2025 reform (全国人大常委会 2024-09-13 决定 and 《国务院关于渐进式延迟法定退休年龄的办法》):
/// one month's delay per 4 months (per 2 months for women of original age 50)
/// of original retirement months from 2025-01, capped at 63 / 58 / 55.
///
/// Hand computation, k = months from 2025-01 to the original retirement month:
/// - man 1964-12-15: original 2024-12, before 2025-01 → 60 → 2024-12-15
/// - man 1965-01-15: original 2025-01, k = 0 → ⌊0/4⌋ + 1 = 1 → 60y1m → 2025-02-15
/// - man 1966-05-15: original 2026-05, k = 16 → ⌊16/4⌋ + 1 = 5 → 60y5m → 2026-10-15
/// - man 1976-09-15: original 2036-09, k = 140 → ⌊140/4⌋ + 1 = 36 = cap → 63 → 2039-09-15
///   (the first cohort at 63; 1976-08 gets 35 months)
/// - woman (50) 1976-03-15: original 2026-03, k = 14 → ⌊14/2⌋ + 1 = 8 → 50y8m → 2026-11-15
/// - woman (50) 1985-01-15: original 2035-01, k = 120 → 61 > cap 60 → 55 → 2040-01-15
/// - woman (55) 1970-01-15: original 2025-01, k = 0 → 1 → 55y1m → 2025-02-15
struct RetirementTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let birth: String, sex: Sex, originalAge: Int, expected: String, ageMonths: Int
        var testDescription: String { "\(sex.label) \(originalAge) born \(birth)" }
    }

    static let table: [Case] = [
        Case(birth: "1964-12-15", sex: .male, originalAge: 60, expected: "2024-12-15", ageMonths: 720),
        Case(birth: "1965-01-15", sex: .male, originalAge: 60, expected: "2025-02-15", ageMonths: 721),
        Case(birth: "1966-05-15", sex: .male, originalAge: 60, expected: "2026-10-15", ageMonths: 725),
        Case(birth: "1976-08-15", sex: .male, originalAge: 60, expected: "2039-07-15", ageMonths: 755),
        Case(birth: "1976-09-15", sex: .male, originalAge: 60, expected: "2039-09-15", ageMonths: 756),
        Case(birth: "1976-03-15", sex: .female, originalAge: 50, expected: "2026-11-15", ageMonths: 608),
        Case(birth: "1985-01-15", sex: .female, originalAge: 50, expected: "2040-01-15", ageMonths: 660),
        Case(birth: "1970-01-15", sex: .female, originalAge: 55, expected: "2025-02-15", ageMonths: 661),
    ]

    @Test("retirement date under the 2025 reform", arguments: table)
    func reformTable(_ c: Case) throws {
        let birth = try #require(CivilDate(iso: c.birth))
        #expect(RetirementAge.date(birth: birth, sex: c.sex, originalAge: c.originalAge)?.description == c.expected)
        #expect(RetirementRule.statutory.ageInMonths(birth: birth, sex: c.sex, originalAge: c.originalAge) == c.ageMonths)
    }

    @Test("the rule read from the Henan pack equals the statute's")
    func fromBook() throws {
        let rule = try RetirementRule(book: Fixture.henan, jurisdiction: Fixture.yanshi, on: CivilDate(iso: "2030-01-01")!)
        #expect(rule == RetirementRule.statutory)
    }

    @Test("an original age that does not fit the sex has no date")
    func mismatch() {
        #expect(RetirementAge.date(birth: CivilDate(iso: "1970-01-01")!, sex: .male, originalAge: 55) == nil)
        #expect(RetirementAge.date(birth: CivilDate(iso: "1970-01-01")!, sex: .female, originalAge: 60) == nil)
    }
}
