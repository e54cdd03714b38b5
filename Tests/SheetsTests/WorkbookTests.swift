import Foundation
import Testing
import TestSupport
@testable import Sheets

/// The .xlsx reader on workbooks that LibreOffice Calc and openpyxl wrote.
@Suite("Workbook reader")
struct WorkbookTests {
    func rows(_ url: URL, sheet: String? = nil) throws -> [SheetRow] {
        var out: [SheetRow] = []
        try Workbook(path: url.path, fileName: url.lastPathComponent).rows(sheet: sheet) { out.append($0) }
        return out
    }

    @Test("LibreOffice: shared strings, numbers, booleans, dates, text-formatted identities, rows as the sheet numbers them")
    func libreOffice() throws {
        let dir = try Office.temporaryDirectory("lo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv")
        try Data("""
            certificate_no,name,phone,registered_on,wage,flag,note
            41030719800101002X42,张三,03796543210,2025-03-01,2400.50,true,"a ""quoted"", <tag> & more"
            ,,,,,,
            41030719800101002042,李四,13812345678,1999-12-31,2100,false,
            41030719930113200042,王五,,,0.1,,

            """.utf8).write(to: csv)
        // Columns 1 and 3 as text (as staff should set them); the rest as LibreOffice detects.
        try Office.convert([csv], to: "xlsx", outdir: dir, infilter: "CSV:44,34,76,1,1/2/2/1/3/2/4/1/5/1/6/1/7/2")
        let r = try rows(dir.appendingPathComponent("t.xlsx"))
        #expect(r.map(\.row) == [1, 2, 4, 5])
        #expect(r[0].cells == ["certificate_no", "name", "phone", "registered_on", "wage", "flag", "note"])
        #expect(r[1].cells == ["41030719800101002X42", "张三", "03796543210", "2025-03-01", "2400.5", "1", "a \"quoted\", <tag> & more"])
        #expect(r[1].numeric == [4])
        #expect(r[2].cells == ["41030719800101002042", "李四", "13812345678", "1999-12-31", "2100", "0"])
        #expect(r[3].cells == ["41030719930113200042", "王五", "", "", "0.1"])
    }

    @Test("LibreOffice: an identity column left as numbers keeps 15 significant digits, in E+ notation")
    func numbersInIdentityColumn() throws {
        let dir = try Office.temporaryDirectory("lo-num")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("n.csv")
        try Data("certificate_no,name\n41030719930113200042,王五\n".utf8).write(to: csv)
        try Office.convert([csv], to: "xlsx", outdir: dir, infilter: "CSV:44,34,76,1")
        let r = try rows(dir.appendingPathComponent("n.xlsx"))
        #expect(r[1].numeric == [0])
        #expect(r[1].cells[0] == "4.10307199301132E+19", "\(r[1].cells)")
    }

    @Test("openpyxl: the 1904 date system, hidden sheets, --sheet, a merged title and a header merged over two rows, empty rows at the end")
    func openpyxl() throws {
        let dir = try Office.temporaryDirectory("opx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.xlsx").path
        try Office.python("""
            import sys, datetime, openpyxl
            wb = openpyxl.Workbook()
            wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
            h = wb.active; h.title = "说明"; h.sheet_state = "hidden"; h["A1"] = "hidden"
            ws = wb.create_sheet("名册")
            ws["A1"] = "2024年按比例就业名册"; ws.merge_cells("A1:D1")
            ws["A2"] = "证号"; ws.merge_cells("A2:A3")
            ws["B2"] = "联系方式"; ws.merge_cells("B2:C2")
            ws["B3"] = "电话"; ws["C3"] = "地址"
            ws["D2"] = "日期"; ws.merge_cells("D2:D3")
            ws["A4"] = "41030719800101002X42"; ws["B4"] = "13812345678"; ws["C4"] = "洛阳"; ws["D4"] = datetime.date(2025, 3, 1)
            ws["A6"] = "X"; ws["D6"] = datetime.date(1904, 1, 2)
            ws["A9"] = None
            other = wb.create_sheet("其他"); other["A1"] = "x"; other["A2"] = 3.25
            wb.save(sys.argv[1])
            """, [path])
        let url = URL(fileURLWithPath: path)
        let wb = try Workbook(path: path, fileName: "w.xlsx")
        #expect(wb.date1904)
        #expect(wb.sheets.map(\.hidden) == [true, false, false])
        let r = try rows(url)
        #expect(r.map(\.row) == [2, 4, 6])
        #expect(r[0].cells == ["证号", "电话", "地址", "日期"])
        #expect(r[1].cells == ["41030719800101002X42", "13812345678", "洛阳", "2025-03-01"])
        #expect(r[2].cells == ["X", "", "", "1904-01-02"])
        #expect(try rows(url, sheet: "其他").map(\.cells) == [["x"], ["3.25"]])
        #expect(throws: SheetError.self) { try rows(url, sheet: "说明") }
        #expect(throws: SheetError.self) { try rows(url, sheet: "没有") }
    }

    @Test("date serials in the 1900 system, with its nonexistent 1900-02-29")
    func dateSerials() {
        #expect(Workbook.dateText(serial: 1, date1904: false) == "1900-01-01")
        #expect(Workbook.dateText(serial: 59, date1904: false) == "1900-02-28")
        #expect(Workbook.dateText(serial: 61, date1904: false) == "1900-03-01")
        #expect(Workbook.dateText(serial: 45717, date1904: false) == "2025-03-01")
        #expect(Workbook.dateText(serial: 45717.75, date1904: false) == "2025-03-01")
        #expect(Workbook.dateText(serial: 0, date1904: true) == "1904-01-01")
        // Not dates (the fuzzer's second find): shown as numbers, never a trap.
        #expect(Workbook.dateText(serial: 1e300, date1904: false) == "1E+300")
        #expect(Workbook.dateText(serial: -.infinity, date1904: false) == "-inf")
        #expect(Workbook.dateText(serial: .nan, date1904: false) == "nan")
        #expect(Workbook.numberText("2400.4999999999998") == "2400.5")
        #expect(Workbook.numberText("4.10307199301132E+19") == "4.10307199301132E+19")
    }

    @Test("what a file's first bytes say: xlsx, xls, UTF-16 text, CSV")
    func sniff() {
        #expect(FileFormat.sniff([0x50, 0x4B, 0x03, 0x04, 0]) == .zip)
        #expect(FileFormat.sniff([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) == .ole2)
        #expect(FileFormat.sniff([0xFF, 0xFE, 0x63, 0]) == .utf16)
        #expect(FileFormat.sniff(Array("a\0b\0c\0d\0e\0".utf8)) == .utf16)
        #expect(FileFormat.sniff(Array("certificate_no,name\n".utf8)) == .text)
    }
}

@Suite("Workbook writer")
struct WriterTests {
    @Test("what the writer writes, the reader reads: text stays text (even =formulas and 0-led digits), dates, money, numbers")
    func roundTrip() throws {
        var w = SheetWriter(sheetName: "a:b/c", columns: [
            .init("残疾人证号", .text(identity: true)), .init("备注", .text(identity: false)), .init("开始日期", .date),
            .init("月工资（元）", .money), .init("合同月数", .number),
        ])
        w.append(["41030719930113219622", "=HYPERLINK(\"x\")", "2025-03-01", "2400.50", "12"])
        w.append(["03796543210", "a <b> & \"c\" _x0041_ \u{1}", "not a date", nil, "1/3"])
        let bytes = w.xlsx()
        let wb = try Workbook(MemorySource(bytes), fileName: "w.xlsx")
        #expect(wb.sheets.map(\.name) == ["a_b_c"])
        var rows: [SheetRow] = []
        try wb.rows { rows.append($0) }
        #expect(rows.map(\.cells) == [
            ["残疾人证号", "备注", "开始日期", "月工资（元）", "合同月数"],
            ["41030719930113219622", "=HYPERLINK(\"x\")", "2025-03-01", "2400.5", "12"],
            ["03796543210", "a <b> & \"c\" _x0041_ \u{1}", "not a date", "", "1/3"],
        ])
        #expect(rows[1].numeric == [3, 4])
        #expect(!String(decoding: bytes, as: UTF8.self).contains("<f>"))
    }

    @Test("LibreOffice opens what the writer writes")
    func libreOfficeOpens() throws {
        let dir = try Office.temporaryDirectory("writer-lo")
        defer { try? FileManager.default.removeItem(at: dir) }
        var w = SheetWriter(sheetName: "s", columns: [.init("证号", .text(identity: true)), .init("日期", .date), .init("元", .money)])
        w.append(["41030719930113219622", "2024-02-29", "2000.00"])
        try Data(w.xlsx()).write(to: dir.appendingPathComponent("w.xlsx"))
        try Office.convert([dir.appendingPathComponent("w.xlsx")], to: "csv:Text - txt - csv (StarCalc):44,34,76,1", outdir: dir)
        let text = try String(contentsOf: dir.appendingPathComponent("w.csv"), encoding: .utf8)
        // LibreOffice quotes text cells: the number is text, the date a date, the money shown with 元.
        #expect(text.contains("\"41030719930113219622\",2024-02-29,\"2,000.00元\""), "\(text)")
    }
}

@Suite("Workbook reader on damaged files")
struct DamagedWorkbookTests {
    /// A workbook around `sheet` (the parts LibreOffice writes, minimal).
    func workbook(_ sheet: String) -> [UInt8] {
        var zip = ZipWriter()
        zip.add("_rels/.rels", Array(#"<Relationships><Relationship Id="rId1" Type="x/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8))
        zip.add("xl/workbook.xml", Array(#"<workbook><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8))
        zip.add("xl/worksheets/sheet1.xml", Array(sheet.utf8))
        return zip.finish()
    }

    func rows(_ bytes: [UInt8]) throws -> [SheetRow] {
        var out: [SheetRow] = []
        try Workbook(MemorySource(bytes), fileName: "d.xlsx").rows { out.append($0) }
        return out
    }

    /// The sheet XML of the fuzzer's first find (crash-ec08701f…): a numeric cell's column was
    /// left in `numeric` after the row's trailing empty cells were trimmed.
    static let fuzzFind = "PD94bWwgdmVyvb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29c2lvbj0iMi4wIiBlbmNvZGluZz0iVVRGLTgiIHN0YW5kYWxvbmU9InllcyI/Pgo8d29ya3NoZWV0IHhtbG5zPSJodHRwOi8vc2NoZW1hcy5vcGVueG1sZm9ybWFzLm9wZW54bWxmb3JtYXRzLm9yZy9kcmF3aW5nbWwvMTBoZW1hMDYiPjxzaGVldFByIGZpbHRlck1vZGU9ImZhbHNlIj48cGFnZVNldFVwUHJyPSJGMiIgcz0iMCIgdD0ibiI+PHY+MzY8L3Y+PC9jPjwvcm93Pjxyb3cgcj0iMyIgY3VzdG9tRm9ybWF0PSJmYWxzZSIgaHQ9IjEyLjgiIGhpZGRlbj0iZmFsc2UiIG9sbGFwc2VkPSJmYWxzZSI+PGMgcj0iQTMiIHM9IjAiIHQ9Im4iPjx2PjQuMTAzODExL2M+PGMgcj0iRDMiIHM9IjEiIHQ9Im4iPjx2PjQ2MTAyPC92PjwvYz48YyByPSJFMyIgcz0iMCIgdD0ibiI+PHY+MjIwMDwvdj48L2M+PGMgcj0iRjMiIHM9IjAiIHQ9Im4iPjx2PjEyPC92PjwvYz48L3Jvdz48cm93IHI9IjR5LzIwMDYiPiIgdHY+PC9jPjxjIHI9IkUzIiBzPSIwIiB0PSJuIj48dj4yMjAwPC92PjwvYz48YyByPSJGMyIgcz0iMCIgdD0ibiI+PHY+MTI8L3Y+PC9jPjwvcm93Pjxyb3cgcj0iN3kvMjAwNiI+IiB0PSI+PiJudjwxMjwvdj48L2M+PC9yb3c+PHJvdyBjdXN0b21IZWlnaHQ9ImZhbHNlIiBvdXRsaW5lTGV2ZWw9IjAiIGNvbGxhcHNlZD0iZmFsc2UiPjxjIHI9IkEzIiBzPSIwIiB0PSJuIj48dj40LjEwMzgxMS9jPjxjIHI9IkQzIiBzPSIxIiB0PSJuIj48dj40NjEwMjwvdj48L2M+PGMgcj0iRTMiIHM9IjAiIHQ9Im4iPjx2PjIyMDA8L3Y+PC9jPjxjIHI9IkYzIiBzPSIwIiB0PSJuIj48dj4xMjwvdj48L2M+PC9yb3c+PHJvdyByPSI0eS8yMDA2Ij4iIHR2PjwvYz48YyByPSJFMyIgcz0iMCIgdD0ibiI+PHY+MjIwMDwvdj48L2M+PGMgcj0iRjMiIHM9IjAiIHQ9Im4iPjx2vM4yPC92PjwvYz48L3Jvdz48cm93IHI9Ijd5LzIwMDYiPiIgdD0iPj4idnY8MTI8L3Y+PC9jPjwvcm93Pjxyb3cgcj0iNHkvMjAwNiI+PSI+PiJudjwxMjwvdj48L2M+PC9yb3c+////////Ao80eS8yMDA2Ij48c2hlZXRQciBmaWx0ZXJNb2RlPSJmYWxzZSI+PHBhZ2VTZXRVcEBycj0iRjIiIHM9IjAiIHQ9Im4iPjx2PjM2PC92PjwvYz48L3Jvdz48cm93IHI9IjMiIGN1c3RvbUZvcm1hjAsAAAAAAAAiIGh0PSIxMi4AAAAAAAABm249ImZhbHNlIiBjdXN0b21IZWlnaHQ9ImZhbHNlIiBvdXRsaW5lTGV2ZWw9IjAiIGNvbGxhcHNlZD0iZmFscyJmYWxzZSIgY3VzdG9tSP////90PSJmYWxzZSIgb3V0"

    @Test("a negative style index is no date style (the fuzzer's third find: s=\"-1\" trapped)")
    func negativeStyle() throws {
        let r = try rows(workbook(#"<worksheet><sheetData><row r="1"><c r="A1" s="-1"><v>45717</v></c><c r="B1" s="-7" t="n"><v>2</v></c></row></sheetData></worksheet>"#))
        #expect(r.map(\.cells) == [["45717", "2"]])
    }

    @Test("numeric columns always name cells of the row (the fuzzer's first find)")
    func numericWithinCells() throws {
        var zip = ZipWriter()
        zip.add("_rels/.rels", Array(#"<Relationships><Relationship Id="rId1" Type="x/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8))
        zip.add("xl/workbook.xml", Array(#"<workbook><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="x/styles" Target="styles.xml"/></Relationships>"#.utf8))
        zip.add("xl/styles.xml", Array(#"<styleSheet><numFmts count="1"><numFmt numFmtId="166" formatCode="yyyy\-mm\-dd"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="49"/><xf numFmtId="166"/></cellXfs></styleSheet>"#.utf8))
        zip.add("xl/worksheets/sheet1.xml", [UInt8](Data(base64Encoded: Self.fuzzFind)!))
        var seen = 0
        try? Workbook(MemorySource(zip.finish()), fileName: "f.xlsx").rows { row in
            seen += 1
            #expect(row.numeric.allSatisfy { $0 < row.cells.count }, "row \(row.row): \(row.numeric) of \(row.cells.count) cells")
        }
        #expect(seen > 0)
    }

    @Test("damage is a SheetError, never a crash: cut archive, bad CRC, rows out of order, a DOCTYPE, a missing shared string")
    func damage() throws {
        let good = workbook(#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#)
        #expect(try rows(good).map(\.cells) == [["1"]])
        #expect(throws: SheetError.self) { try rows(Array(good.prefix(good.count / 2))) }
        var flipped = good
        flipped[60] ^= 0xFF
        #expect(throws: SheetError.self) { try rows(flipped) }
        #expect(throws: SheetError.self) { try rows(workbook(#"<worksheet><sheetData><row r="2"/><row r="1"/></sheetData></worksheet>"#)) }
        #expect(throws: SheetError.self) { try rows(workbook(#"<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>"#)) }
        #expect(throws: SheetError.self) { try rows(workbook(#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>9</v></c></row></sheetData></worksheet>"#)) }
    }
}

/// Shared strings past the memory limit go to a temporary file (issue 15: flat memory).
@Suite("Shared strings spilled to a temporary file")
struct SharedStringsSpillTests {
    @Test("strings read back whole in any order, across blocks and after the cache evicts them")
    func readBack() throws {
        let t = SharedStrings(memoryLimit: 100)
        var expected: [String] = []
        for i in 0..<60_000 {
            // Lengths 0…40, Chinese and ASCII, so strings straddle the 64 KiB blocks.
            let s = i % 7 == 0 ? "" : "姓名\(i)-" + String(repeating: "x", count: i % 29)
            expected.append(s)
            try t.append(s)
        }
        try t.finish()
        #expect(t.spilled)
        #expect(t.count == expected.count)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let i = Int.random(in: 0..<expected.count, using: &rng)
            #expect(try t.string(i) == expected[i])
        }
        var wrong = 0
        for i in stride(from: expected.count - 1, through: 0, by: -1) {
            if try t.string(i) != expected[i] { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(try t.string(expected.count) == nil)
        #expect(try t.string(-1) == nil)
    }

    @Test("a small table stays in memory")
    func small() throws {
        let t = SharedStrings()
        for s in ["男", "女", "410381"] { try t.append(s) }
        try t.finish()
        #expect(!t.spilled)
        #expect(try t.string(2) == "410381")
    }

    @Test("LibreOffice: a sheet of 30,000 distinct names reads the same with its shared strings spilled")
    func libreOfficeSpilled() throws {
        let dir = try Office.temporaryDirectory("lo-spill")
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "certificate_no,name,note\n"
        var expected: [[String]] = [["certificate_no", "name", "note"]]
        for i in 0..<30_000 {
            let cert = "4103071980010\(String(format: "%07d", i))"
            let name = "张三丰\(i)号" + String(repeating: "甲", count: i % 11)
            let note = i % 3 == 0 ? "同上" : "备注 \(i * 7919 % 100_003) & <更多>"
            csv += "\(cert),\(name),\(note)\n"
            expected.append([cert, name, note])
        }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("s.csv"))
        try Office.convert([dir.appendingPathComponent("s.csv")], to: "xlsx", outdir: dir, infilter: "CSV:44,34,76,1,1/2/2/2/3/2")
        let path = dir.appendingPathComponent("s.xlsx").path
        let spilled = try Workbook(path: path, fileName: "s.xlsx", sharedStringsInMemory: 0)
        #expect(spilled.sharedStringsSpilled)
        let inMemory = try Workbook(path: path, fileName: "s.xlsx", sharedStringsInMemory: 1 << 30)
        #expect(!inMemory.sharedStringsSpilled)
        var a: [[String]] = [], b: [[String]] = []
        try spilled.rows { a.append($0.cells) }
        try inMemory.rows { b.append($0.cells) }
        #expect(a.count == expected.count)
        #expect(a == expected)
        #expect(b == expected)
    }
}
