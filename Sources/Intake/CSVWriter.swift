/// Writes CSV for people (CONTRACT.md §5): UTF-8 with a BOM, CRLF line ends,
/// RFC 4180 quoting — what Excel opens as is, Chinese included.
///
/// Used by the rejects file of `import --partial` and by every CSV export, so
/// the two never quote differently.
public enum CSVWriter {
    /// The UTF-8 byte order mark Excel needs to read UTF-8.
    public static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// One record with its CRLF: fields holding a comma, quote, CR or LF are
    /// quoted, quotes doubled. A field that starts with `=`, `+`, `-` or `@` is
    /// prefixed with `'` when `guardFormulas` is set, so a cell never runs as a
    /// spreadsheet formula (CSV injection).
    public static func line(_ fields: [String], guardFormulas: Bool = false) -> String {
        var out = ""
        for (i, raw) in fields.enumerated() {
            if i > 0 { out += "," }
            var f = raw
            // A leading TAB or CR hides a formula from a reader's eye and some spreadsheets still run it (issue 17).
            if guardFormulas, let first = f.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
               Double(f) == nil {
                f = "'" + f
            }
            if f.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }) {
                out += "\""
                for ch in f { out += ch == "\"" ? "\"\"" : String(ch) }
                out += "\""
            } else {
                out += f
            }
        }
        return out + "\r\n"
    }
}
