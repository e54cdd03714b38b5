import CZlib

/// Writes one-sheet .xlsx workbooks for people (issue 15): identities as text
/// cells (never turned into numbers), dates as date cells, money as numbers
/// with two decimals and a 元 format, a frozen header row with a filter, and
/// column widths that fit. Every value is a value: no cell is ever a formula
/// (strings are inline strings, which a spreadsheet never evaluates).
public struct SheetWriter {
    /// How a column's cells are written.
    public enum CellKind: Sendable, Hashable {
        /// A string, shown as text; `identity` also gives the cell the 文本 (@) format,
        /// so that an edit in a spreadsheet keeps it text.
        case text(identity: Bool)
        /// A number (`36`, `0.125`); text that is not a number is written as text.
        case number
        /// Yuan with two decimals (`2000.00`), shown as `2,000.00元`.
        case money
        /// `2025-03-01` as a date cell shown `2025-03-01`; anything else as text.
        case date
    }

    public struct Column: Sendable, Hashable {
        public var header: String
        public var kind: CellKind
        public init(_ header: String, _ kind: CellKind) { self.header = header; self.kind = kind }
    }

    public let sheetName: String
    public let columns: [Column]
    private var body: [UInt8] = []
    private var rowCount = 1
    private var widths: [Int]

    public init(sheetName: String, columns: [Column]) {
        self.sheetName = Self.safeSheetName(sheetName)
        self.columns = columns
        widths = columns.map { Self.displayWidth($0.header) }
        var header = "<row r=\"1\">"
        for (i, c) in columns.enumerated() {
            header += "<c r=\"\(Self.ref(i, 1))\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(c.header))</t></is></c>"
        }
        body.append(contentsOf: (header + "</row>").utf8)
    }

    /// Appends a row; nil cells are left empty.
    public mutating func append(_ cells: [String?]) {
        rowCount += 1
        let r = rowCount
        var s = "<row r=\"\(r)\">"
        for (i, value) in cells.enumerated() where i < columns.count {
            guard let value, !value.isEmpty else { continue }
            widths[i] = max(widths[i], Self.displayWidth(value))
            let ref = Self.ref(i, r)
            switch columns[i].kind {
            case .number where Self.isPlainNumber(value):
                s += "<c r=\"\(ref)\"><v>\(value)</v></c>"
            case .money where Self.isPlainNumber(value):
                s += "<c r=\"\(ref)\" s=\"3\"><v>\(value)</v></c>"
            case .date where Self.dateSerial(value) != nil:
                s += "<c r=\"\(ref)\" s=\"4\"><v>\(Self.dateSerial(value)!)</v></c>"
            case .text(identity: true):
                s += "<c r=\"\(ref)\" s=\"2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(value))</t></is></c>"
            default:
                s += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(value))</t></is></c>"
            }
        }
        body.append(contentsOf: (s + "</row>").utf8)
    }

    /// Takes `other`'s rows (same columns), under this sheet's name.
    public mutating func copyRows(from other: SheetWriter) {
        body = other.body; rowCount = other.rowCount; widths = other.widths
    }

    /// The workbook's bytes: this one sheet.
    public func xlsx() -> [UInt8] { Self.workbook([self]) }

    /// The worksheet part's XML.
    func sheetXML() -> [UInt8] {
        let last = Self.ref(max(0, columns.count - 1), rowCount)
        var cols = "<cols>"
        for (i, w) in widths.enumerated() {
            cols += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(min(60, max(8, w + 2)))\" customWidth=\"1\"/>"
        }
        cols += "</cols>"
        var sheet = Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <dimension ref="A1:\(last)"/>\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>\
            <sheetFormatPr defaultRowHeight="15"/>\(columns.isEmpty ? "" : cols)<sheetData>
            """.utf8)
        sheet += body
        sheet += Array("</sheetData>\(columns.isEmpty ? "" : "<autoFilter ref=\"A1:\(last)\"/>")</worksheet>".utf8)
        return sheet
    }

    /// A workbook of several sheets, in order (names made unique: `名称`, `名称 (2)`, …).
    public static func workbook(_ sheets: [SheetWriter]) -> [UInt8] {
        var names: [String] = []
        for s in sheets {
            var name = s.sheetName
            var k = 2
            while names.contains(where: { $0.lowercased() == name.lowercased() }) {
                let suffix = " (\(k))"
                name = String(s.sheetName.prefix(31 - suffix.count)) + suffix
                k += 1
            }
            names.append(name)
        }
        var sheetEntries = "", definedNames = "", overrides = "", rels = ""
        for (i, s) in sheets.enumerated() {
            sheetEntries += "<sheet name=\"\(escape(names[i]))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            if !s.columns.isEmpty {
                definedNames += "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(i)\" hidden=\"1\">'\(escape(names[i].replacing("'", with: "''")))'!$A$1:$\(columnName(s.columns.count - 1))$\(s.rowCount)</definedName>"
            }
            overrides += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        let workbook = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets>\(sheetEntries)</sheets>\(definedNames.isEmpty ? "" : "<definedNames>\(definedNames)</definedNames>")</workbook>
            """
        let styles = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00&quot;元&quot;"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>\
            <fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>\
            <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            \(overrides)\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """
        let rootRels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """
        let workbookRels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(rels)<Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """
        var zip = ZipWriter()
        zip.add("[Content_Types].xml", Array(contentTypes.utf8))
        zip.add("_rels/.rels", Array(rootRels.utf8))
        zip.add("xl/workbook.xml", Array(workbook.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8))
        zip.add("xl/styles.xml", Array(styles.utf8))
        for (i, s) in sheets.enumerated() { zip.add("xl/worksheets/sheet\(i + 1).xml", s.sheetXML()) }
        return zip.finish()
    }

    // MARK: pieces

    /// Sheet names: at most 31 characters, none of `[]:*?/\`.
    static func safeSheetName(_ s: String) -> String {
        let cleaned = String(s.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    static func columnName(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }

    static func ref(_ col: Int, _ row: Int) -> String { columnName(col) + String(row) }

    /// Columns a value takes: 2 for CJK and other wide characters.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
    }

    /// `-12`, `2000.00`, `0.125` — what a `<v>` may hold without change of meaning.
    static func isPlainNumber(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        guard !u.isEmpty, u.count <= 15 else { return false }
        var dot = false, digits = 0
        for b in u {
            if b == UInt8(ascii: ".") { if dot { return false }; dot = true } else if b >= 48 && b <= 57 { digits += 1 } else { return false }
        }
        return digits > 0 && u.first != UInt8(ascii: ".") && u.last != UInt8(ascii: ".")
    }

    /// `2025-03-01` → its 1900-system serial (45717); nil for anything else.
    static func dateSerial(_ s: String) -> Int? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? { u[r].allSatisfy { $0 >= 48 && $0 <= 57 } ? u[r].reduce(0) { $0 * 10 + Int($1 - 48) } : nil }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1, y >= 1901 else { return nil }
        let mdays = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= mdays[m - 1] else { return nil }
        // days from civil (Hinnant), then from 1899-12-30.
        let yy = m <= 2 ? y - 1 : y
        let era = yy / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days1970 = era * 146_097 + doe - 719_468
        return days1970 + 25_569
    }

    /// XML text: `&<>"` as entities; control characters as OOXML `_xHHHH_` escapes, and
    /// the underscore of a literal `_xHHHH_` escaped (`_x005F_`) so it reads back as written.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        let chars = Array(s.unicodeScalars)
        for (i, u) in chars.enumerated() {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            case "_" where i + 6 < chars.count && chars[i + 1] == "x" && chars[i + 6] == "_"
                && chars[(i + 2)...(i + 5)].allSatisfy({ $0.properties.isASCIIHexDigit }):
                out += "_x005F_"
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// A ZIP archive written in memory: deflated entries (raw deflate through zlib),
/// a central directory, no ZIP64 (a workbook part stays far below 4 GiB).
struct ZipWriter {
    private var out: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    mutating func add(_ name: String, _ data: [UInt8]) {
        let crc = data.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        let packed = Self.deflate(data)
        let nameBytes = Array(name.utf8)
        let offset = out.count
        // DOS time 1980-01-01 00:00: the same workbook bytes for the same data.
        let dosTime: UInt16 = 0, dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
        func local(_ b: inout [UInt8]) {
            put32(&b, 0x0403_4B50); put16(&b, 20); put16(&b, 0x0800); put16(&b, 8); put16(&b, dosTime); put16(&b, dosDate)
            put32(&b, crc); put32(&b, UInt32(packed.count)); put32(&b, UInt32(data.count))
            put16(&b, UInt16(nameBytes.count)); put16(&b, 0)
        }
        local(&out)
        out += nameBytes
        out += packed
        var d: [UInt8] = []
        put32(&d, 0x0201_4B50); put16(&d, 20); put16(&d, 20); put16(&d, 0x0800); put16(&d, 8); put16(&d, dosTime); put16(&d, dosDate)
        put32(&d, crc); put32(&d, UInt32(packed.count)); put32(&d, UInt32(data.count))
        put16(&d, UInt16(nameBytes.count)); put16(&d, 0); put16(&d, 0); put16(&d, 0); put16(&d, 0); put32(&d, 0)
        put32(&d, UInt32(offset))
        d += nameBytes
        directory += d
        count += 1
    }

    mutating func finish() -> [UInt8] {
        let cdOffset = out.count
        out += directory
        put32(&out, 0x0605_4B50); put16(&out, 0); put16(&out, 0); put16(&out, UInt16(count)); put16(&out, UInt16(count))
        put32(&out, UInt32(directory.count)); put32(&out, UInt32(cdOffset)); put16(&out, 0)
        return out
    }

    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var z = z_stream()
        guard deflateInit2_(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            preconditionFailure("zlib deflateInit2 failed")
        }
        defer { deflateEnd(&z) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&z, uLong(data.count))) + 64)
        var input = data
        let n: Int = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { o in
                z.next_in = inBuf.baseAddress
                z.avail_in = uInt(inBuf.count)
                z.next_out = o.baseAddress
                z.avail_out = uInt(o.count)
                let r = CZlib.deflate(&z, Z_FINISH)
                precondition(r == Z_STREAM_END, "zlib deflate did not finish")
                return o.count - Int(z.avail_out)
            }
        }
        out.removeLast(out.count - n)
        return out
    }
}

private func put16(_ b: inout [UInt8], _ v: UInt16) { b.append(UInt8(v & 0xFF)); b.append(UInt8(v >> 8)) }
private func put32(_ b: inout [UInt8], _ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { b.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
