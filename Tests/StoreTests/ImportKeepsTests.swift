import Domain
import Foundation
import Intake
import Postgres
import Store
import TestSupport
import Testing

/// CONTRACT.md §2 (issue 12): a column the file does not have leaves that field
/// of an existing row as it is; an empty cell in a column it has clears it.
@Suite struct ImportKeepsTests {
    /// Per KIND, the fewest columns a file may have (the key and the required ones).
    static let shortHeaders: [(ImportKind, [String])] = [
        (.regions, ["code", "name"]),
        (.households, ["household_id", "town_code", "employed_members"]),
        (.seekers, ["certificate_no", "name", "town_code"]),
        (.trainings, ["certificate_no", "course", "start_date"]),
        (.employers, ["credit_code", "name", "town_code", "type"]),
        (.openings, ["opening_id", "kind", "employer_credit_code", "category", "town_code", "slots"]),  // a quota opening needs its employer
        (.employerYears, ["credit_code", "year", "employees", "monthly_headcounts", "total_wages"]),
        (.rosters, ["credit_code", "year", "certificate_no", "veteran_certificate_no", "resident_id", "contract_start",
                    "establishment", "months_paid", "lowest_monthly_wage"]),
        (.placements, ["certificate_no", "opening_id", "start_date"]),
    ]

    /// The example's rows of `kind` with only `columns`.
    static func shortFile(_ kind: ImportKind, _ columns: [String]) throws -> [UInt8] {
        let (header, records) = try exampleRecords(kind)
        let positions = try columns.map { c in
            guard let i = header.firstIndex(of: c) else { throw StoreError.conflict("column \(c) in the example's \(kind.rawValue)") }
            return i
        }
        return csvFile(columns, records.map { r in positions.map { r[$0] } })
    }

    @Test(arguments: shortHeaders.map(\.0))
    func whenAFileWithOnlyTheRequiredColumnsIsImportedAgainNoOtherFieldChanges(kind: ImportKind) throws {
        let c = try Connection.connect(try ExampleDistrictLoader.config())
        defer { c.close() }
        let columns = Self.shortHeaders.first { $0.0 == kind }!.1
        let tables = [table(kind), "region_neighbour"]
        let before = try tables.map { try dump(c, $0) }
        let outcome = try importBytes(c, kind, try Self.shortFile(kind, columns))
        #expect(outcome.updated == 0 && outcome.inserted == 0, "\(kind.rawValue): \(outcome)")
        #expect(outcome.columnChanges.isEmpty)
        let after = try tables.map { try dump(c, $0) }
        #expect(after == before, "\(kind.rawValue): a column the file lacks was changed")
    }

    @Test func whenASeekersShortListChangesAPhoneAndEmptiesAnotherTheSummarySaysSoAndTheRestStays() throws {
        let c = try Connection.connect(try ExampleDistrictLoader.config())
        defer { c.close() }
        let seekers = try c.query("""
            SELECT certificate_no, name, town_code FROM seeker WHERE phone IS NOT NULL ORDER BY certificate_no LIMIT 2
            """).map { [try $0.string("certificate_no"), try $0.string("name"), try $0.string("town_code")] }
        #expect(seekers.count == 2)
        let before = try dump(c, "seeker")
        let file = csvFile(["certificate_no", "name", "town_code", "phone"],
                           [seekers[0] + ["13800001111"], seekers[1] + [""]])
        let outcome = try importBytes(c, .seekers, file)
        #expect(outcome.updated == 2)
        #expect(outcome.columnChanges == [.init(column: "phone", rows: 2)])
        let phones = try c.query("""
            SELECT phone FROM seeker WHERE certificate_no = ANY(\([seekers[0][0], seekers[1][0]])) ORDER BY certificate_no
            """).map { try $0.optionalString("phone") }
        #expect(phones == ["13800001111", nil], "a value sets the field, an empty cell clears it")
        // Every other field of every seeker is as it was.
        let strip = { (rows: [String]) in rows.map { $0.replacingOccurrences(of: #""phone": "[0-9]*", "#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""phone": null, "#, with: "") } }
        #expect(strip(try dump(c, "seeker")) == strip(before))
    }
}
