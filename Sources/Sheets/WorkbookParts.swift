/// The workbook's shared strings and cell styles (which formats show dates),
/// read once when it is opened.
extension Workbook {
    func readSharedStrings(_ entry: ZipArchive.Entry) throws {
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

    func readStyles(_ xml: [UInt8], part: String) throws {
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
}
