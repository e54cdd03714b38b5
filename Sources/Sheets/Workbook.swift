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
    let strings: SharedStrings
    /// Whether cell format index i shows a date.
    var dateStyles: [Bool] = []
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

    func streamXML(_ entry: ZipArchive.Entry, _ body: (inout XMLPull) throws -> Void) throws {
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

}
