// libFuzzer harness for the .xlsx reader (issue 15), compiled into one module with
// Sources/Sheets by scripts/fuzz-sheets (so it reaches the internal tokenizer).
//
// The first input byte chooses the target, the second a split point; the rest is:
//   0: a whole file, opened as a workbook and every sheet's rows read;
//   1: XML for the pull tokenizer: fed whole and fed in two chunks split anywhere,
//      the events (or the error) must be the same — chunk boundaries must not matter;
//   2: a worksheet's XML, put into a well-formed workbook (with the shared strings and
//      styles of a LibreOffice file) and read, so mutations reach the cell logic
//      instead of dying at the ZIP's CRC.
// Besides "no crash, no hang", rows must come in increasing row order.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 2 else { return 0 }
    let selector = data[0], splitSeed = data[1]
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    switch selector % 3 {
    case 0: readWorkbook(bytes, spill: splitSeed % 2 == 1)
    case 1: checkTokenizer(bytes, splitSeed: splitSeed)
    default: readWorkbook(wrapSheet(bytes), spill: splitSeed % 2 == 1)
    }
    return 0
}

/// With `spill` (an odd second byte), the workbook is also read with its shared strings
/// spilled to a temporary file past 16 bytes: the rows (or the error) must be the same.
func readWorkbook(_ bytes: [UInt8], spill: Bool) {
    readWorkbook(bytes)
    guard spill else { return }
    func dump(_ limit: Int) -> String {
        var out = ""
        do {
            let wb = try Workbook(MemorySource(bytes), fileName: "fuzz.xlsx", sharedStringsInMemory: limit)
            for s in wb.sheets where !s.hidden { try wb.rows(sheet: s.name) { out += "\($0)\n" } }
        } catch { out += "error: \(error)" }
        return out
    }
    let inMemory = dump(SharedStrings.memoryLimitDefault), spilled = dump(16)
    if inMemory != spilled { fatalError("spilled shared strings changed the rows:\n\(inMemory)\n---\n\(spilled)") }
}

func readWorkbook(_ bytes: [UInt8]) {
    guard let wb = try? Workbook(MemorySource(bytes), fileName: "fuzz.xlsx") else { return }
    for s in wb.sheets where !s.hidden {
        var last = 0
        try? wb.rows(sheet: s.name) { row in
            if row.row <= last { fatalError("rows out of order: \(row.row) after \(last)") }
            last = row.row
            for c in row.numeric where c >= row.cells.count { fatalError("numeric column \(c) past the row's cells") }
        }
    }
}

func events(_ chunks: [[UInt8]]) -> String {
    var queue = chunks[...]
    var x = XMLPull(part: "fuzz.xml", more: { queue.popFirst() })
    var out = ""
    var n = 0
    do {
        while let e = try x.next() {
            out += "\(e)\n"
            n += 1
            if n > 100_000 { break }
        }
    } catch {
        out += "error: \(error)"
    }
    return out
}

func checkTokenizer(_ bytes: [UInt8], splitSeed: UInt8) {
    let whole = events([bytes])
    guard !bytes.isEmpty else { return }
    let split = Int(splitSeed) * bytes.count / 256
    let parts = events([Array(bytes[..<split]), Array(bytes[split...])])
    if whole != parts { fatalError("split at \(split) changed the events:\n\(whole)\n---\n\(parts)") }
}

let sharedStrings = Array("""
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t xml:space="preserve">certificate_no</t></si><si><t>张三</t></si><si><r><t>a</t></r><r><t>b</t></r><rPh><t>x</t></rPh></si><si><t>41030719800101002X42</t></si></sst>
    """.utf8)

let styles = Array("""
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="166" formatCode="yyyy\\-mm\\-dd"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="49"/><xf numFmtId="166"/></cellXfs></styleSheet>
    """.utf8)

func wrapSheet(_ sheet: [UInt8]) -> [UInt8] {
    var zip = ZipWriter()
    zip.add("[Content_Types].xml", Array("<Types/>".utf8))
    zip.add("_rels/.rels", Array("""
        <Relationships><Relationship Id="rId1" Type="x/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """.utf8))
    zip.add("xl/workbook.xml", Array("""
        <workbook xmlns:r="r"><workbookPr date1904="false"/><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>
        """.utf8))
    zip.add("xl/_rels/workbook.xml.rels", Array("""
        <Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="x/styles" Target="styles.xml"/></Relationships>
        """.utf8))
    zip.add("xl/sharedStrings.xml", sharedStrings)
    zip.add("xl/styles.xml", styles)
    zip.add("xl/worksheets/sheet1.xml", sheet)
    return zip.finish()
}
