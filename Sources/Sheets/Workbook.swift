#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One row of a worksheet as the sheet shows it: its row number, the text of
/// each cell (empty where there is none) and which cells hold numbers.
public struct SheetRow: Sendable, Hashable {
    /// The row number the spreadsheet program shows (1-based).
    public var row: Int
    /// Cell texts from column A on: strings as stored, numbers in plain decimal
    /// (15 significant digits, as spreadsheets keep them), dates as `2025-03-01`,
    /// booleans as `1`/`0`, errors as their code (`#N/A`).
    public var cells: [String]
    /// Columns (0-based) whose cells are numbers (not dates, not text).
    public var numeric: [Int]
    public init(row: Int, cells: [String], numeric: [Int] = []) { self.row = row; self.cells = cells; self.numeric = numeric }
}

/// A worksheet listed in the workbook.
public struct SheetInfo: Sendable, Hashable {
    public let name: String
    public let hidden: Bool
    /// The part that holds it (`xl/worksheets/sheet1.xml`).
    let part: String
}

/// An Office Open XML workbook (`.xlsx`, ECMA-376), read-only: the sheet list,
/// shared strings, the date formats of its styles and its date system; rows
/// are streamed from one sheet (`rows(sheet:_:)`).
public final class Workbook {
    public let archive: ZipArchive
    /// Every sheet in workbook order, hidden ones included.
    public let sheets: [SheetInfo]
    /// The 1904 date system (old Mac Excel): serial 0 is 1904-01-01.
    public let date1904: Bool
    private let strings: SharedStrings
    /// Whether cell format index i shows a date.
    private var dateStyles: [Bool] = []
    private let fileName: String

    /// Opens a workbook. `fileName` names it in messages. Shared strings past
    /// `sharedStringsInMemory` bytes go to a temporary file (`SharedStrings`).
    public init(_ source: ByteSource, fileName: String, sharedStringsInMemory: Int = SharedStrings.memoryLimitDefault) throws {
        self.fileName = fileName
        strings = SharedStrings(memoryLimit: sharedStringsInMemory)
        archive = try ZipArchive(source)
        if archive.entries["content.xml"] != nil || archive.entries["mimetype"] != nil && archive.entries["[Content_Types].xml"] == nil {
            throw SheetError("this is an OpenDocument (.ods) spreadsheet: save it as .xlsx (Excel 工作簿) and import that")
        }
        // The workbook part, from the package relationships (xl/workbook.xml by default).
        var workbookPart = "xl/workbook.xml"
        if let rels = try archive.data("_rels/.rels", limit: 1 << 20) {
            for (type, target) in try Self.relationships(rels, part: "_rels/.rels").values where type.hasSuffix("/officeDocument") {
                workbookPart = Self.resolve(target, base: "")
            }
        }
        guard let wb = try archive.data(workbookPart, limit: 64 << 20) else {
            throw SheetError("the file is a ZIP archive but not an .xlsx workbook (no \(workbookPart))")
        }
        let dir = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relsPart = (dir.isEmpty ? "" : dir + "/") + "_rels/" + workbookPart.split(separator: "/").last! + ".rels"
        let rels = try archive.data(relsPart, limit: 16 << 20).map { try Self.relationships($0, part: relsPart) } ?? [:]
        var sheets: [SheetInfo] = []
        var date1904 = false
        var x = XMLPull(part: workbookPart, more: Self.once(wb))
        while let e = try x.next() {
            guard case .start(let name, let attrs, _) = e else { continue }
            func attr(_ n: String) -> String? { attrs.first { $0.0 == n }?.1 }
            if name == "workbookPr", let v = attr("date1904") { date1904 = v == "1" || v == "true" }
            if name == "sheet", let n = attr("name"), let id = attr("id"), let (type, target) = rels[id], type.hasSuffix("/worksheet") {
                let state = attr("state") ?? "visible"
                sheets.append(SheetInfo(name: n, hidden: state != "visible", part: Self.resolve(target, base: dir)))
            }
        }
        self.sheets = sheets
        self.date1904 = date1904
        let sstPart = rels.values.first { $0.0.hasSuffix("/sharedStrings") }.map { Self.resolve($0.1, base: dir) } ?? "xl/sharedStrings.xml"
        if let e = archive.entries[sstPart] { try readSharedStrings(e) }
        let stylesPart = rels.values.first { $0.0.hasSuffix("/styles") }.map { Self.resolve($0.1, base: dir) } ?? "xl/styles.xml"
        if let st = try archive.data(stylesPart, limit: 64 << 20) { try readStyles(st, part: stylesPart) }
    }

    /// Whether the shared strings went to a temporary file.
    var sharedStringsSpilled: Bool { strings.spilled }

    /// Opens the workbook in a file.
    public convenience init(path: String, fileName: String, sharedStringsInMemory: Int = SharedStrings.memoryLimitDefault) throws {
        try self.init(FileSource(path: path), fileName: fileName, sharedStringsInMemory: sharedStringsInMemory)
    }

    static func once(_ bytes: [UInt8]) -> () throws -> [UInt8]? {
        var given = false
        return { defer { given = true }; return given ? nil : bytes }
    }

    /// Relationship id → (type, target).
    static func relationships(_ xml: [UInt8], part: String) throws -> [String: (String, String)] {
        var out: [String: (String, String)] = [:]
        var x = XMLPull(part: part, more: once(xml))
        while let e = try x.next() {
            guard case .start("Relationship", let attrs, _) = e else { continue }
            let a = Dictionary(attrs, uniquingKeysWith: { f, _ in f })
            if let id = a["Id"], let type = a["Type"], let target = a["Target"], a["TargetMode"] != "External" { out[id] = (type, target) }
        }
        return out
    }

    /// A relationship target as a part name: `worksheets/sheet1.xml` under `xl`, or `/xl/…` from the root.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for p in target.split(separator: "/") {
            if p == ".." { _ = parts.popLast() } else if p != "." { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }

    private func readSharedStrings(_ entry: ZipArchive.Entry) throws {
        try streamXML(entry) { x in
            var current: [UInt8] = []
            var inSI = false, inT = false, phonetic = 0
            while let e = try x.next() {
                switch e {
                case .start("si", _, let selfClosing):
                    if selfClosing { try strings.append("") } else { inSI = true; current.removeAll(keepingCapacity: true) }
                case .start("rPh", _, false): phonetic += 1
                case .end("rPh"): phonetic -= 1
                case .start("t", _, false): inT = inSI && phonetic == 0
                case .end("t"): inT = false
                case .text(let t) where inT: current.append(contentsOf: t.utf8)
                case .end("si"):
                    inSI = false
                    if current.contains(UInt8(ascii: "_")) {
                        try strings.append(Self.unescapeOOXML(String(decoding: current, as: UTF8.self)))
                    } else {
                        try strings.append(current)
                    }
                default: break
                }
            }
        }
        try strings.finish()
    }

    private func readStyles(_ xml: [UInt8], part: String) throws {
        var custom: [Int: Bool] = [:]
        var x = XMLPull(part: part, more: Self.once(xml))
        var inCellXfs = false
        while let e = try x.next() {
            switch e {
            case .start("numFmt", let attrs, _):
                let a = Dictionary(attrs, uniquingKeysWith: { f, _ in f })
                if let id = a["numFmtId"].flatMap({ Int($0) }), let code = a["formatCode"] { custom[id] = Self.isDateFormat(code) }
            case .start("cellXfs", _, let selfClosing): inCellXfs = !selfClosing
            case .end("cellXfs"): inCellXfs = false
            case .start("xf", let attrs, _) where inCellXfs:
                let id = attrs.first { $0.0 == "numFmtId" }.flatMap { Int($0.1) } ?? 0
                dateStyles.append(custom[id] ?? Self.builtinDateFormats.contains(id))
            default: break
            }
        }
    }

    /// Built-in number formats that show dates or times (ECMA-376 §18.8.30, with the CJK ones).
    static let builtinDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a format code shows a date: y, m, d, h or s outside quotes, brackets and escapes.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false, inBracket = false, escape = false
        for ch in code.lowercased() {
            if escape { escape = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket { if ch == "]" { inBracket = false }; continue }
            switch ch {
            case "\\", "_", "*": escape = true
            case "\"": inQuote = true
            case "[": inBracket = true
            case "y", "m", "d", "h", "s", "年", "月", "日": return true
            default: continue
            }
        }
        return false
    }

    /// `_x000D_`-style escapes of OOXML strings decoded (`_x005F_` escapes the underscore).
    static func unescapeOOXML(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.firstRange(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            if after.count >= 5, after[after.index(after.startIndex, offsetBy: 4)] == "_",
               let v = UInt32(after.prefix(4), radix: 16), let u = Unicode.Scalar(v) {
                out.unicodeScalars.append(u)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }

    private func streamXML(_ entry: ZipArchive.Entry, _ body: (inout XMLPull) throws -> Void) throws {
        // The tokenizer pulls inflated chunks as it needs them.
        let reader = try EntryReader(archive, entry)
        var x = XMLPull(part: entry.name, more: { try reader.next() })
        try body(&x)
    }

    /// The sheet to read: by name, or the first visible one.
    public func sheet(named name: String?) throws -> SheetInfo {
        let visible = sheets.filter { !$0.hidden }
        guard let name else {
            guard let first = visible.first else { throw SheetError("the workbook has no visible worksheet") }
            return first
        }
        if let s = sheets.first(where: { $0.name == name }) {
            guard !s.hidden else { throw SheetError("sheet \(name) is hidden: unhide it in the spreadsheet program if it is the one to import") }
            return s
        }
        throw SheetError("the workbook has no sheet named \(name) (its sheets: \(visible.map(\.name).joined(separator: ", ")))")
    }

    /// Streams the rows of `sheet` (the first visible one when nil) that hold anything.
    /// A title row merged across the columns above the header is skipped; a header
    /// whose cells are merged over several rows is read as one row, each column
    /// named by its lowest non-empty cell (`联系方式` over `电话` names the column `电话`).
    public func rows(sheet name: String? = nil, _ emit: (SheetRow) throws -> Void) throws {
        let info = try sheet(named: name)
        guard let entry = archive.entries[info.part] else { throw SheetError("the workbook part \(info.part) is missing") }
        // Merged cells are listed after the rows: a second pass over the sheet finds them, made only
        // when the first rows look like a merged title or a header merged over rows.
        let merges = try headerMayBeMerged(entry) ? headerMerges(entry) : []
        var header = HeaderBlock(merges: merges)
        try streamXML(entry) { x in
            var row: SheetRow?
            var lastRow = 0
            var col = 0
            var cellType = "n", cellStyle = 0, cellCol = 0
            var value: [UInt8] = []
            var inValue = false, inInline = false, inT = false, phonetic = 0
            while let e = try x.next() {
                switch e {
                case .start("row", let attrs, let selfClosing):
                    let r = attrs.first { $0.0 == "r" }.flatMap { Int($0.1) } ?? lastRow + 1
                    guard r > lastRow, r <= 1 << 20 else { throw SheetError("sheet \(info.name): row \(r) is out of order") }
                    lastRow = r
                    col = 0
                    if !selfClosing { row = SheetRow(row: r, cells: []) }
                case .end("row"):
                    if var done = row {
                        while let last = done.cells.last, last.isEmpty { done.cells.removeLast() }
                        done.numeric.removeAll { $0 >= done.cells.count }
                        if !done.cells.isEmpty { try header.take(done, emit) }
                    }
                    row = nil
                case .start("c", let attrs, let selfClosing):
                    cellType = "n"; cellStyle = 0; cellCol = col
                    for (k, v) in attrs {
                        switch k {
                        case "r":
                            guard let c = Self.column(v) else { throw SheetError("sheet \(info.name): bad cell reference \(v)") }
                            cellCol = c
                        case "t": cellType = v
                        case "s": cellStyle = Int(v) ?? 0
                        default: break
                        }
                    }
                    guard cellCol >= col || cellCol >= (row?.cells.count ?? 0) else {
                        throw SheetError("sheet \(info.name): cell \(attrs.first { $0.0 == "r" }?.1 ?? "") is out of order")
                    }
                    col = cellCol + 1
                    value.removeAll(keepingCapacity: true)
                    inValue = false; inInline = false; phonetic = 0
                    if selfClosing { try finishCell(&row) }
                case .end("c"):
                    try finishCell(&row)
                case .start("v", _, false): inValue = true
                case .end("v"): inValue = false
                case .start("is", _, false): inInline = true
                case .end("is"): inInline = false
                case .start("rPh", _, false): phonetic += 1
                case .end("rPh"): phonetic -= 1
                case .start("t", _, false): inT = inInline && phonetic == 0
                case .end("t"): inT = false
                case .text(let t) where inValue || inT:
                    value.append(contentsOf: t.utf8)
                    guard value.count <= 1 << 20 else { throw SheetError("sheet \(info.name): a cell longer than 1 MiB") }
                default: break
                }
            }
            try header.finish(emit)

            func finishCell(_ row: inout SheetRow?) throws {
                guard row != nil else { return }
                guard cellCol < 16_384 else { throw SheetError("sheet \(info.name): a cell past column XFD") }
                let raw = String(decoding: value, as: UTF8.self)
                var text: String
                var numeric = false
                switch cellType {
                case "s":
                    guard let i = Int(raw), let s = try strings.string(i) else {
                        throw SheetError("sheet \(info.name) row \(row!.row): a shared string that does not exist")
                    }
                    text = s
                case "inlineStr", "str": text = Self.unescapeOOXML(raw)
                case "b": text = raw == "1" || raw == "true" ? "1" : "0"
                case "e": text = raw
                case "d": text = String(raw.prefix(10))
                default:
                    if raw.isEmpty { text = "" } else if cellStyle >= 0, cellStyle < dateStyles.count, dateStyles[cellStyle], let serial = Double(raw) {
                        text = Self.dateText(serial: serial, date1904: date1904)
                    } else {
                        text = Self.numberText(raw)
                        numeric = true
                    }
                }
                if row!.cells.count < cellCol { row!.cells.append(contentsOf: repeatElement("", count: cellCol - row!.cells.count)) }
                // A cell given twice (a damaged or hand-made file): the last one holds.
                if row!.cells.count == cellCol { row!.cells.append(text) } else { row!.cells[cellCol] = text; row!.numeric.removeAll { $0 == cellCol } }
                if numeric { row!.numeric.append(cellCol) }
            }
        }
    }

    /// The merged ranges that start in the first rows (a title or a header), from one
    /// pass over the sheet's bytes (they are listed after the cells).
    private func headerMerges(_ entry: ZipArchive.Entry) throws -> [Merge] {
        var merges: [Merge] = []
        let needle = Array("mergeCell ".utf8)
        var carry: [UInt8] = []
        try archive.stream(entry) { chunk in
            var b = carry
            b.append(contentsOf: chunk)
            var i = 0
            let n = b.count
            while i + needle.count <= n {
                if b[i] == needle[0], b[i + 1] == needle[1], Array(b[i..<(i + needle.count)]) == needle {
                    guard let close = b[i...].prefix(512).firstIndex(of: UInt8(ascii: ">")) else { break }
                    let tag = String(decoding: b[i..<close], as: UTF8.self)
                    if let r = tag.firstRange(of: "ref=\"") ?? tag.firstRange(of: "ref='"),
                       let end = tag[r.upperBound...].firstIndex(where: { $0 == "\"" || $0 == "'" }),
                       let m = Merge(String(tag[r.upperBound..<end])), m.top <= Self.headerMergeRowsDefault, merges.count < 10_000 {
                        merges.append(m)
                    }
                    i = close
                }
                i += 1
            }
            carry = Array(b[min(i, n)...].suffix(600))
            if i < n - 600 { carry = Array(b.suffix(600)) }
        }
        return merges
    }

    /// Whether the first rows look merged: the first row with values has a single value, or an
    /// empty cell above a value of the next two rows. Reads only the first rows' bytes.
    private func headerMayBeMerged(_ entry: ZipArchive.Entry) throws -> Bool {
        var rows: [Set<Int>] = []
        try streamXML(entry) { x in
            var current: Set<Int>?
            var col = 0, cellCol = 0
            while rows.count < 3, let e = try x.next() {
                switch e {
                case .start("row", _, false): current = []; col = 0
                case .end("row"):
                    if let c = current, !c.isEmpty { rows.append(c) }
                    current = nil
                case .start("c", let attrs, _):
                    cellCol = attrs.first { $0.0 == "r" }.flatMap { Self.column($0.1) } ?? col
                    col = cellCol + 1
                case .start("v", _, false), .start("is", _, false): current?.insert(cellCol)
                default: break
                }
            }
        }
        guard let first = rows.first else { return false }
        if first.count == 1 && rows.count > 1 { return true }
        let below = rows.dropFirst().reduce(into: Set<Int>()) { $0.formUnion($1) }
        return !below.subtracting(first).isEmpty
    }

    /// Merges starting at or above this row are read as title or header merges.
    static let headerMergeRowsDefault = 20

    /// `A1`, `XFD1048576` → 0-based column.
    static func column(_ ref: String) -> Int? {
        var c = 0, letters = 0
        for u in ref.utf8 {
            switch u {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): c = c * 26 + Int(u - 64); letters += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): c = c * 26 + Int(u - 96); letters += 1
            case UInt8(ascii: "$"): continue
            default:
                guard letters > 0 else { return nil }
                return letters <= 3 ? c - 1 : nil
            }
            if letters > 3 { return nil }
        }
        return letters > 0 && letters <= 3 ? c - 1 : nil
    }

    /// `A1` → 1-based row.
    static func rowNumber(_ ref: String) -> Int? { Int(String(ref.drop { !$0.isNumber })) }

    /// A number as the sheet stores it → plain decimal text. Integers as written
    /// (`2400`); others rounded to 15 significant digits, as the spreadsheet shows
    /// them (`2400.5`, not `2400.4999999999998`); very large ones keep the `E+`.
    static func numberText(_ raw: String) -> String {
        if raw.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }) { return raw }
        guard let d = Double(raw), d.isFinite else { return raw }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([d]) { vsnprintf(&buf, 64, "%.15g", $0) }
        var s = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.contains("e") {
            s = s.replacing("e", with: "E")
        }
        return s
    }

    /// A date serial → `2025-03-01` (the time of day is dropped).
    static func dateText(serial: Double, date1904: Bool) -> String {
        // Serials past 9999-12-31 (2,958,465), negative ones, NaN and infinities are not dates:
        // shown as the number (the fuzzer's second find: `1e300` trapped converting to Int).
        guard serial.isFinite, serial >= 0, serial < 3_000_000 else { return numberText(String(serial)) }
        let whole = Int(serial.rounded(.down))
        if !date1904 && whole == 60 { return "1900-02-29" }  // the 1900 system's nonexistent day
        // Days since 1970-01-01: 1900 system day 1 = 1900-01-01 (25567 days before 1970 … with the leap bug).
        let days = date1904 ? whole - 24_107 : (whole < 60 ? whole - 25_568 : whole - 25_569)
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    /// Howard Hinnant's days-from-civil inverse.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// A merged range `A1:C2`, 0-based columns, 1-based rows.
struct Merge: Hashable {
    let left: Int, right: Int, top: Int, bottom: Int
    init?(_ ref: String) {
        let parts = ref.split(separator: ":")
        guard parts.count == 2, let l = Workbook.column(String(parts[0])), let r = Workbook.column(String(parts[1])),
              let t = Workbook.rowNumber(String(parts[0])), let b = Workbook.rowNumber(String(parts[1])), l <= r, t <= b else { return nil }
        left = l; right = r; top = t; bottom = b
    }
}

/// Finds the header among the first rows: skips a merged title row, joins a header
/// merged over several rows into one, then passes every later row through.
struct HeaderBlock {
    let merges: [Merge]
    private var done = false
    private var held: [SheetRow] = []
    private var blockBottom = 0

    init(merges: [Merge]) { self.merges = merges }

    mutating func take(_ row: SheetRow, _ emit: (SheetRow) throws -> Void) throws {
        if done { try emit(row); return }
        if held.isEmpty {
            let filled = row.cells.indices.filter { !row.cells[$0].isEmpty }
            // A title: one cell, merged across columns on its own row(s), above the header.
            if filled.count == 1, let m = merges.first(where: { $0.top == row.row && $0.left == filled[0] && $0.right > $0.left }),
               m.right - m.left >= 1, !merges.contains(where: { $0.top == row.row && $0.left != filled[0] }) {
                return
            }
            blockBottom = merges.filter { $0.top == row.row }.map(\.bottom).max() ?? row.row
        }
        if row.row > blockBottom {
            try release(emit)
            try emit(row)
            return
        }
        held.append(row)
        if row.row == blockBottom { try release(emit) }
    }

    mutating func finish(_ emit: (SheetRow) throws -> Void) throws {
        if !done { try release(emit) }
    }

    private mutating func release(_ emit: (SheetRow) throws -> Void) throws {
        done = true
        guard let first = held.first else { return }
        if held.count == 1 && !merges.contains(where: { $0.top == first.row }) { try emit(first); return }
        let width = max(held.map(\.cells.count).max() ?? 0, (merges.map(\.right).max() ?? -1) + 1)
        var grid = held.map { $0.cells + Array(repeating: "", count: max(0, width - $0.cells.count)) }
        for m in merges where m.top >= first.row && m.top <= blockBottom {
            guard let ti = held.firstIndex(where: { $0.row == m.top }), m.left < width else { continue }
            let v = grid[ti][m.left]
            for (ri, r) in held.enumerated() where r.row >= m.top && r.row <= m.bottom {
                for c in m.left...min(m.right, width - 1) where grid[ri][c].isEmpty { grid[ri][c] = v }
            }
        }
        var names = [String](repeating: "", count: width)
        for c in 0..<width { names[c] = grid.last { !$0[c].isEmpty }?[c] ?? "" }
        while let last = names.last, last.isEmpty { names.removeLast() }
        try emit(SheetRow(row: first.row, cells: names))
        held = []
    }
}

