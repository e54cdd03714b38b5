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

    /// The example district's files in load order.
    static let exampleKinds = ["regions", "households", "seekers", "trainings", "employers", "openings", "employer-years", "rosters", "placements"]
    /// Tables an import writes.
    static let tables = ["region", "region_neighbour", "household", "seeker", "training", "employer", "opening", "employer_year", "roster", "placement"]

    /// A table's rows as sorted JSON lines, without the timestamps of the load.
    func content(_ config: ConnectionConfig, _ table: String) throws -> String {
        let c = try Connection.connect(config)
        defer { c.close() }
        return try c.query(Query(unsafeSQL: """
            SELECT coalesce(string_agg(j, E'\\n' ORDER BY j), '') AS d
            FROM (SELECT (to_jsonb(t) - 'created_at' - 'updated_at')::text AS j FROM \(table) t) s
            """))[0].string("d")
    }

    /// LibreOffice's CSV import options for `csv`: comma, double quote, UTF-8, from line 1, and the
    /// columns staff must keep as text (文本) — any holding a digit string of 12 or more digits or a
    /// leading zero — as text; every other column as LibreOffice detects it (numbers, dates, booleans).
    static func infilter(_ csv: String) -> String {
        let rows = parseCSV(csv)
        let width = rows.first?.count ?? 0
        var formats: [String] = []
        for i in 0..<width {
            let text = rows.dropFirst().contains { r in
                guard i < r.count, !r[i].isEmpty, r[i].allSatisfy(\.isASCII) else { return false }
                let digits = r[i].allSatisfy(\.isNumber)
                return digits && (r[i].count >= 12 || (r[i].count > 1 && r[i].hasPrefix("0")))
            }
            formats.append("\(i + 1)/\(text ? 2 : 1)")
        }
        return "CSV:44,34,76,1," + formats.joined(separator: "/")
    }

    @Test("each example file saved as .xlsx by LibreOffice imports to exactly the database content of its CSV")
    func exampleDistrictFromLibreOffice() throws {
        let dir = try temporaryDirectory("lo-example")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csvDB = try freshMigratedDatabase(), xlsxDB = try freshMigratedDatabase()
        for kind in Self.exampleKinds {
            let csv = exampleURL(kind)
            try Office.convert([csv], to: "xlsx", outdir: dir, infilter: Self.infilter(try String(contentsOf: csv, encoding: .utf8)))
            let xlsx = dir.appendingPathComponent("\(kind).xlsx")
            let a = try jobmatch(["import", kind, csv.path, "--database-url", csvDB.url])
            #expect(a.status == 0, "\(kind).csv: \(a.stderr)")
            let b = try jobmatch(["import", kind, xlsx.path, "--database-url", xlsxDB.url])
            #expect(b.status == 0, "\(kind).xlsx: \(b.stderr)")
            #expect(a.stdout.replacingOccurrences(of: ".csv", with: "") == b.stdout.replacingOccurrences(of: ".xlsx", with: ""))
        }
        for t in Self.tables {
            let a = try content(csvDB.config, t), b = try content(xlsxDB.config, t)
            #expect(!a.isEmpty, "\(t) is empty")
            #expect(a == b, "\(t) differs")
        }
    }

    @Test("a sheet whose ID column a spreadsheet left as numbers is refused with a Chinese row error naming the column")
    func numericIDColumnRefused() throws {
        let db = try StaffFixture.database()
        let dir = try temporaryDirectory("lo-numbers")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The example's seekers, every column as LibreOffice detects it: certificate numbers become numbers.
        let csv = dir.appendingPathComponent("seekers.csv")
        let lines = try String(contentsOf: exampleURL("seekers"), encoding: .utf8).split(separator: "\n").prefix(4)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: csv)
        try Office.convert([csv], to: "xlsx", outdir: dir, infilter: "CSV:44,34,76,1")
        let r = try jobmatch(["import", "seekers", dir.appendingPathComponent("seekers.xlsx").path, "--database-url", db.url])
        #expect(r.status == 3, "\(r.stderr)")
        for row in 2...4 {
            #expect(r.stderr.contains("seekers.xlsx row \(row), column certificate_no: value "), "\(r.stderr)")
        }
        #expect(r.stderr.contains("此列在表格中是数字格式") && r.stderr.contains("文本"), "\(r.stderr)")
    }

    @Test(".xls, .ods and UTF-16 text are named, not called undecodable GB18030", arguments: ["xls", "ods", "utf16"])
    func otherFormatsNamed(_ format: String) throws {
        let db = try freshMigratedDatabase()
        let dir = try temporaryDirectory("lo-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file: URL
        switch format {
        case "utf16":
            file = dir.appendingPathComponent("regions.txt")
            try (try String(contentsOf: exampleURL("regions"), encoding: .utf8)).data(using: .utf16)!.write(to: file)
        default:
            try Office.convert([exampleURL("regions")], to: format, outdir: dir, infilter: "CSV:44,34,76,1")
            file = dir.appendingPathComponent("regions.\(format)")
        }
        let r = try jobmatch(["import", "regions", file.path, "--database-url", db.url])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(!r.stderr.contains("GB18030"), "\(r.stderr)")
        #expect(r.stderr.contains(format == "utf16" ? "UTF-16" : format == "xls" ? ".xls" : ".ods"), "\(r.stderr)")
        #expect(r.stderr.contains(".xlsx"))
    }
}
