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
        #expect(r.stderr.contains("r.csv 第 2 行，列 certificate_no：值 4.1030"), "\(r.stderr)")
        #expect(r.stderr.contains("科学计数法（4.1030…E+019）") && r.stderr.contains("文本"), "\(r.stderr)")
        // The same damage and the same fix in English (issue 13).
        let english = try StaffFixture.run(db.url, "--lang", "en", "import", "rosters", file.path)
        #expect(english.status == 3, "\(english.stderr)")
        #expect(english.stderr.contains("r.csv row 2, column certificate_no: value 4.1030"), "\(english.stderr)")
        #expect(english.stderr.contains("scientific notation (4.1030…E+019)") && english.stderr.contains("Text")
                && english.stderr.contains(".xlsx"), "\(english.stderr)")
        #expect(try count(db.config, "roster") == before)
    }

    @Test("the review's summary line counts the rows not counted, by reason")
    func reviewSummaryCountsRefusedRows() throws {
        let db = try StaffFixture.database()
        let r = try StaffFixture.run(db.url, "review", "--year", "2024")
        #expect(r.status == 0, "\(r.stderr)")
        let totals = try #require(r.stdout.split(separator: "\n").last { $0.hasPrefix("合计：") })
        #expect(totals.contains("行不计入（") && totals.contains("invalid_certificate"), "\(totals)")
        let english = try StaffFixture.run(db.url, "--lang", "en", "review", "--year", "2024")
        let totalsEN = try #require(english.stdout.split(separator: "\n").last { $0.hasPrefix("totals:") })
        #expect(totalsEN.contains("rows not counted (") && totalsEN.contains("invalid_certificate"), "\(totalsEN)")
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
            FROM (SELECT (to_jsonb(t) - 'created_at' - 'updated_at' - 'seeker_id')::text AS j FROM \(table) t) s
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
            #expect(r.stderr.contains("seekers.xlsx 第 \(row) 行，列 certificate_no：值 "), "\(r.stderr)")
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

    /// Reads a workbook with openpyxl: per row, per cell, `[type, text, number_format]`; and the sheet's view.
    static let openpyxlDump = """
        import sys, json, datetime, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                v = c.value
                if isinstance(v, datetime.datetime): t, text = "date", v.date().isoformat()
                elif isinstance(v, bool): t, text = "bool", str(v)
                elif isinstance(v, (int, float)): t, text = "number", repr(v)
                elif v is None: t, text = "none", ""
                else: t, text = "string", v
                cells.append([t, text, c.number_format])
            rows.append(cells)
        print(json.dumps({"rows": rows, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "title": ws.title}))
        """

    @Test("proposals and placements exported --unmasked as .xlsx: LibreOffice converts them back to CSV with every certificate number whole, openpyxl reads them cell for cell")
    func xlsxExportsReadBack() throws {
        let db = try StaffFixture.database()
        let dir = try temporaryDirectory("xlsx-export")
        defer { try? FileManager.default.removeItem(at: dir) }
        for what in ["proposals", "placements"] {
            let csvPath = dir.appendingPathComponent("\(what)-export.csv").path
            let xlsxPath = dir.appendingPathComponent("\(what).xlsx").path
            #expect(try StaffFixture.run(db.url, "export", what, "--unmasked", "--output", csvPath).status == 0)
            let x = try StaffFixture.run(db.url, "export", what, "--unmasked", "--format", "xlsx", "--output", xlsxPath)
            #expect(x.status == 0, "\(x.stderr)")
            let csv = try parseExportCSV(try Data(contentsOf: URL(fileURLWithPath: csvPath)))
            let certColumn = try #require(csv[0].firstIndex(of: "残疾人证号"))
            let certs = csv.dropFirst().map { $0[certColumn] }
            #expect(certs.count > 5 && certs.allSatisfy { $0.count >= 20 && !$0.contains("E") && !$0.contains("*") })

            // LibreOffice Calc opens the workbook and saves it as CSV: every certificate number whole.
            try Office.convert([URL(fileURLWithPath: xlsxPath)], to: "csv:Text - txt - csv (StarCalc):44,34,76,1", outdir: dir)
            let back = parseCSV(try String(contentsOfFile: dir.appendingPathComponent("\(what).csv").path, encoding: .utf8))
            #expect(back.count == csv.count)
            #expect(back.dropFirst().map { $0[certColumn] } == certs)
            #expect(back[0] == csv[0])

            // openpyxl reads every cell as the CSV export shows it, with its type.
            let json = try Office.python(Self.openpyxlDump, [xlsxPath])
            let dump = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(dump["freeze"] as? String == "A2")
            #expect((dump["filter"] as? String)?.hasPrefix("A1:") == true)
            let rows = try #require(dump["rows"] as? [[[String]]])
            #expect(rows.count == csv.count)
            for (r, (sheetRow, csvRow)) in zip(rows, csv).enumerated() {
                for (i, expected) in csvRow.enumerated() {
                    let cell = i < sheetRow.count ? sheetRow[i] : ["none", "", "General"]
                    let (type, text, format) = (cell[0], cell[1], cell[2])
                    switch type {
                    case "string": #expect(text == expected, "\(what) row \(r + 1) column \(i + 1)")
                    case "number": #expect(Double(text) == Double(expected), "\(what) row \(r + 1) column \(i + 1): \(text) vs \(expected)")
                    case "date": #expect(text == expected && format.contains("yy"), "\(what) row \(r + 1) column \(i + 1)")
                    case "none": #expect(expected.isEmpty, "\(what) row \(r + 1) column \(i + 1)")
                    default: Issue.record("\(what) row \(r + 1) column \(i + 1): unexpected \(type)")
                    }
                    if r > 0 && i == certColumn { #expect(type == "string" && format == "@") }
                    if r > 0 && csv[0][i].contains("（元）") && !expected.isEmpty { #expect(type == "number" && format.contains("元")) }
                    if r > 0 && csv[0][i].contains("日期") && !expected.isEmpty { #expect(type == "date") }
                }
            }
        }
    }

    @Test("--partial --rejects x.xlsx: the rejects are a 0600 workbook, the rows as given plus 错误原因, identities as 文本 cells that LibreOffice and openpyxl read back whole")
    func rejectsWorkbook() throws {
        let db = try freshMigratedDatabase()
        for kind in ["regions", "households"] {
            try #require(try jobmatch(["import", kind, exampleURL(kind).path, "--database-url", db.url]).status == 0)
        }
        let dir = try temporaryDirectory("xlsx-rejects")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The example's first seekers with Chinese headers; two rows broken: a certificate number of 19 digits
        // led by 0 (with a landline led by 0), and a certificate with a letter inside.
        let zh = ["残疾人证号", "姓名", "镇街代码", "家庭编号", "文化程度", "毕业年份", "技能", "证书", "求职意向", "劳动能力",
                  "帮扶标记", "求职状态", "登记日期", "联系电话"]
        var rows = try String(contentsOf: exampleURL("seekers"), encoding: .utf8).split(separator: "\n").prefix(8)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        try #require(rows[0].count == zh.count)
        rows[0] = zh
        rows[3][0] = "0103811970091203014"
        rows[3][13] = "03796543210"
        rows[5][0] = "41038119A00912030143"
        let csv = dir.appendingPathComponent("seekers.csv")
        try Data((rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").utf8).write(to: csv)
        // As staff keep it: identities and codes as 文本, the rest as LibreOffice detects (dates become date cells).
        try Office.convert([csv], to: "xlsx", outdir: dir, infilter: "CSV:44,34,76,1,1/2/3/2/4/2/14/2")
        let rejects = dir.appendingPathComponent("未导入.xlsx")
        let r = try jobmatch(["import", "seekers", dir.appendingPathComponent("seekers.xlsx").path, "--partial",
                              "--rejects", rejects.path, "--database-url", db.url])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("导入 5 行，拒绝 2 行"), "\(r.stderr)")
        var st = stat()
        #expect(stat(rejects.path, &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(try Data(contentsOf: rejects).starts(with: [0x50, 0x4B, 0x03, 0x04]), "a ZIP archive, not CSV")

        // openpyxl: the header plus 错误原因, the two rows as given, identities as strings formatted @.
        let json = try Office.python(Self.openpyxlDump, [rejects.path])
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let cells = try #require(dump["rows"] as? [[[String]]])
        try #require(cells.count == 3)
        #expect(cells[0].map { $0[1] } == zh + ["错误原因"])
        for (sheetRow, given) in zip(cells.dropFirst(), [rows[3], rows[5]]) {
            let values = sheetRow.map { $0[1] }
            #expect(values.count == zh.count + 1)
            #expect(Array(values.prefix(zh.count)) == given, "\(values)")
            #expect(values.last.map { $0.contains("残疾人证号") || $0.contains("certificate_no") } == true, "a reason naming the column: \(values)")
            for identity in [0, 2, 3, 13] where !given[identity].isEmpty {
                #expect(sheetRow[identity][0] == "string" && sheetRow[identity][2] == "@", "column \(identity): \(sheetRow[identity])")
            }
        }
        #expect(cells[1][0][1] == "0103811970091203014" && cells[1][13][1] == "03796543210")

        // LibreOffice opens it and saves it as CSV: the certificate numbers and the landline whole.
        try Office.convert([rejects], to: "csv:Text - txt - csv (StarCalc):44,34,76,1", outdir: dir)
        let back = parseCSV(try String(contentsOfFile: dir.appendingPathComponent("未导入.csv").path, encoding: .utf8))
        #expect(back.dropFirst().map { $0[0] } == ["0103811970091203014", "41038119A00912030143"])
        #expect(back[1][13] == "03796543210")

        // A CSV path still gives CSV.
        let rejectsCSV = dir.appendingPathComponent("rejects.csv")
        let again = try jobmatch(["import", "seekers", dir.appendingPathComponent("seekers.xlsx").path, "--partial",
                                  "--rejects", rejectsCSV.path, "--database-url", db.url])
        #expect(again.status == 0, "\(again.stderr)")
        let bytes = try Data(contentsOf: rejectsCSV)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]) && text.contains("残疾人证号,") && text.contains("0103811970091203014"), "\(text)")
    }

    @Test("review --worksheets also writes each employer's paper: an A4 page and a sheet with names, masked IDs, plain reasons and figures, no internal keys")
    func employerPapers() throws {
        let db = try StaffFixture.database()
        let dir = try temporaryDirectory("papers")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try StaffFixture.run(db.url, "review", "--year", "2024", "--worksheets", dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let c = try Connection.connect(db.config)
        defer { c.close() }
        // An employer with a refused row.
        let code = try c.query(Query(unsafeSQL: """
            SELECT r.credit_code FROM roster r WHERE r.year = 2024 AND r.certificate_no IS NOT NULL
            GROUP BY r.credit_code ORDER BY count(*) DESC LIMIT 1
            """))[0].string("credit_code")
        let name = try c.query(Query(unsafeSQL: "SELECT name FROM employer WHERE credit_code = '\(code)'"))[0].string("name")
        let html = try String(contentsOf: dir.appendingPathComponent("\(code)-2024.html"), encoding: .utf8)
        #expect(html.contains(name) && html.contains("2024年度") && html.contains("@page { size: A4"))
        #expect(html.contains("<th>姓名</th>") && html.contains("**</td>"), "names masked as 张**")
        #expect(html.range(of: "[0-9]{6}\\*+[0-9X]{2}", options: .regularExpression) != nil, "masked IDs")
        #expect(html.contains("计入") && html.contains("应安排残疾人数") && html.contains("残疾人就业保障金"))
        #expect(!html.contains("quota.") && !html.contains("secondary") && !html.contains("POLICY.md"), "no internal keys or source notes")
        let certs = try c.query(Query(unsafeSQL: "SELECT certificate_no FROM roster WHERE credit_code = '\(code)' AND certificate_no IS NOT NULL")).map { try $0.string("certificate_no") }
        #expect(!certs.contains { html.contains($0) }, "no whole certificate number")
        // The same as a sheet, read by openpyxl.
        let dump = try Office.python(Self.openpyxlDump, [dir.appendingPathComponent("\(code)-2024.xlsx").path])
        let sheet = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        let rows = try #require(sheet["rows"] as? [[[String]]])
        #expect(rows.first?.map { $0[1] } == ["序号", "姓名", "证号", "缴费月数", "是否计入", "不计入的原因"])
        #expect(rows.contains { $0.contains { $0[1] == name } })
        #expect(rows.dropFirst().contains { $0.count > 2 && $0[2][2] == "@" && $0[2][1].contains("*") })
        // And one workbook with a sheet per employer, named after it.
        let names = try Office.python("""
            import sys, json, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print(json.dumps([[ws.title, ws.max_row] for ws in wb.worksheets]))
            """, [dir.appendingPathComponent("worksheets-2024.xlsx").path])
        let sheets = try #require(try JSONSerialization.jsonObject(with: Data(names.utf8)) as? [[Any]])
        let employers = try c.query(Query(unsafeSQL: "SELECT count(DISTINCT credit_code) AS n FROM review WHERE year = 2024"))[0].int("n")
        #expect(sheets.count == employers)
        #expect(sheets.contains { ($0[0] as? String) == String(name.prefix(31)) })
    }

    @Test("review --worksheets --pdf prints one employer's paper on A4 with its name, reasons and figures")
    func employerPaperPDF() throws {
        let db = try StaffFixture.database()
        let dir = try temporaryDirectory("paper-pdf")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Connection.connect(db.config)
        defer { c.close() }
        let code = try c.query(Query(unsafeSQL: """
            SELECT r.credit_code FROM roster r WHERE r.year = 2024 AND r.certificate_no IS NOT NULL
            GROUP BY r.credit_code ORDER BY count(*) DESC, 1 LIMIT 1
            """))[0].string("credit_code")
        let r = try StaffFixture.run(db.url, "review", "--year", "2024", "--employer", code, "--worksheets", dir.path, "--pdf")
        #expect(r.status == 0, "\(r.stderr)")
        let file = dir.appendingPathComponent("\(code)-2024.pdf")
        #expect(try Data(contentsOf: file).starts(with: Array("%PDF-".utf8)))
        let info = try Spawn.run(["/usr/bin/pdfinfo", file.path])
        #expect(info.stdout.contains("(A4)"), "A4: \(info.stdout)")
        // The words on the page, as pdftotext reads them back.
        let text = try Spawn.run(["/usr/bin/pdftotext", "-layout", file.path, "-"]).stdout
        let name = try c.query(Query(unsafeSQL: "SELECT name FROM employer WHERE credit_code = '\(code)'"))[0].string("name")
        #expect(text.contains(name) && text.contains("残疾人就业保障金") && text.contains("计入"), "\(text.prefix(800))")
        var st = stat()
        #expect(stat(file.path, &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(try StaffFixture.run(db.url, "review", "--year", "2024", "--pdf").status == 2)
    }
}
