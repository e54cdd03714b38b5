import Domain
import Testing
@testable import Quota

struct PolicyPackTests {
    @Test("every pack loads, every row names a source and a status", arguments: ["henan", "japan", "germany"])
    func packsLoad(_ name: String) throws {
        let rows = try PolicyPacks.parse(csv: Fixture.packText(name))
        #expect(rows.count > 4)
        #expect(rows.allSatisfy { !$0.source.isEmpty && !$0.value.isEmpty })
    }

    @Test("Henan lookups for Yanshi follow the lineage to CN-41 and CN")
    func henanLookups() throws {
        let b = Fixture.henan, d = CivilDate(iso: "2024-12-31")!
        #expect(try b.parameter("quota.ratio", jurisdiction: Fixture.yanshi, on: d).value == "0.016")
        #expect(try b.parameter("quota.ratio", jurisdiction: "CN-11", on: d).value == "0.015")
        #expect(try b.parameter("minimum_wage.tier", jurisdiction: Fixture.yanshi + "-410307004", on: d).value == "1")
        #expect(try b.parameter("social_average_wage", jurisdiction: Fixture.yanshi, on: d).value == "76620")
        #expect(try b.parameter("levy.wage_cap_multiple", jurisdiction: Fixture.yanshi, on: CivilDate(iso: "2018-03-31")!).value == "3")
        #expect(b.optionalParameter("levy.reduction.factor.low", jurisdiction: Fixture.yanshi, on: CivilDate(iso: "2028-12-31")!) == nil)
        #expect(try b.parameter("demand.vision", jurisdiction: Fixture.yanshi, on: d).value == "vision:1-3;multiple:1-4")
    }

    @Test("Japan and Germany packs are data the book shows: JP rate 2.5 % in 2025, 2.7 % from 2026-07")
    func foreignPacks() throws {
        let b = PolicyBook(try PolicyPacks.parse(csv: Fixture.packText("japan")) + PolicyPacks.parse(csv: Fixture.packText("germany")))
        #expect(try b.parameter("quota.ratio", jurisdiction: "JP", on: CivilDate(iso: "2025-06-30")!).value == "0.025")
        #expect(try b.parameter("quota.ratio", jurisdiction: "JP", on: CivilDate(iso: "2026-07-01")!).value == "0.027")
        #expect(try b.parameter("levy.per_place_month", jurisdiction: "DE", on: CivilDate(iso: "2025-03-01")!).value.hasSuffix("0:815"))
        #expect(b.inForce(jurisdiction: "DE", on: CivilDate(iso: "2025-03-01")!).count == 5)
    }

    @Test("the Chinese review cannot compute a Japanese or German year: it says which parameter is missing")
    func foreignReviewRefused() throws {
        let b = PolicyBook(try PolicyPacks.parse(csv: Fixture.packText("japan")))
        #expect(throws: PolicyError.self) {
            try QuotaReview.reviewAll(employers: [Fixture.employer(1)], employerYears: [], rosters: [], year: 2025, book: b, jurisdiction: "JP")
        }
    }

    @Test("the parser follows RFC 4180 quoting, CRLF and a BOM")
    func quoting() throws {
        let text = "\u{FEFF}status,key,jurisdiction,valid_from,valid_to,value,source\r\nverified,a.b,CN,2020-01-01,,\"1,5\",\"say \"\"hi\"\", ok\"\r\n\r\n"
        let rows = try PolicyPacks.parse(csv: text)
        #expect(rows.count == 1)
        #expect(rows[0].value == "1,5" && rows[0].source == "say \"hi\", ok" && rows[0].status == .verified)
    }

    @Test("a bad status, date or missing column is refused with its line")
    func errors() {
        let head = "key,jurisdiction,valid_from,valid_to,value,source,status\n"
        #expect(throws: PolicyPackError.badValue(line: 2, column: "status", value: "maybe", rule: .status)) {
            try PolicyPacks.parse(csv: head + "a,CN,2020-01-01,,1,s,maybe\n")
        }
        #expect(throws: PolicyPackError.missingColumn("status")) { try PolicyPacks.parse(csv: "key,jurisdiction,valid_from,valid_to,value,source\n") }
        #expect(throws: PolicyPackError.fieldCount(line: 3, expected: 7, found: 2)) {
            try PolicyPacks.parse(csv: head + "a,CN,2020-01-01,,1,s,verified\nx,y\n")
        }
        #expect(throws: PolicyPackError.empty) { try PolicyPacks.parse(csv: "") }
    }
}
