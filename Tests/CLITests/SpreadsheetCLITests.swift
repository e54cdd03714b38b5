import Foundation
import Postgres
import Testing
import TestSupport

/// Issue 15 through the built binary: identities a spreadsheet mangled, workbooks in and out.
@Suite struct SpreadsheetCLITests {
    @Test("the issue's roster (certificate as 4.10307199301132E+019) is refused at import with a Chinese row error naming the column and the fix")
    func issueRosterRefused() throws {
        let db = try StaffFixture.database()
        let dir = try temporaryDirectory("mangled")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.csv")
        try Data("credit_code,year,certificate_no,contract_start,months_paid,lowest_monthly_wage\r\n91410381671088103U,2024,4.10307199301132E+019,2019-12-14,12,2400\r\n".utf8).write(to: file)
        let before = try count(db.config, "roster")
        let r = try StaffFixture.run(db.url, "import", "rosters", file.path)
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("r.csv row 2, column certificate_no: value 4.1030"), "\(r.stderr)")
        #expect(r.stderr.contains("科学计数法（4.1030…E+019）") && r.stderr.contains("文本"), "\(r.stderr)")
        #expect(try count(db.config, "roster") == before)
    }

    @Test("the review's summary line counts the rows not counted, by reason")
    func reviewSummaryCountsRefusedRows() throws {
        let db = try StaffFixture.database()
        let r = try StaffFixture.run(db.url, "review", "--year", "2024")
        #expect(r.status == 0, "\(r.stderr)")
        let totals = try #require(r.stdout.split(separator: "\n").last { $0.hasPrefix("totals:") })
        #expect(totals.contains("rows not counted (") && totals.contains("invalid_certificate"), "\(totals)")
    }
}
