/// What a file's first bytes say it is, so that a workbook or UTF-16 text gets a
/// message of its own instead of "not valid GB18030 text".
public enum FileFormat: Sendable, Hashable {
    /// A ZIP archive: an .xlsx workbook (or an .ods, which `Workbook` names).
    case zip
    /// An OLE2 compound file: an Excel 97–2003 .xls workbook (or an old .et).
    case ole2
    /// UTF-16 text (Excel's and WPS's "Unicode 文本"), with its BOM or its zero bytes.
    case utf16
    /// Anything else: read as CSV text.
    case text

    /// Looks at up to the first 512 bytes.
    public static func sniff(_ head: [UInt8]) -> FileFormat {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole2 }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return .utf16 }
        // UTF-16 without a BOM: ASCII text with a zero byte beside every character, on the
        // same side of each pair. (A run of zero bytes alone is not text of any kind: the
        // CSV reader names it.)
        let sample = Array(head.prefix(512))
        if sample.count >= 8 {
            var little = 0, big = 0
            for i in stride(from: 0, to: sample.count - 1, by: 2) {
                if sample[i] != 0 && sample[i + 1] == 0 { little += 1 }
                if sample[i] == 0 && sample[i + 1] != 0 { big += 1 }
            }
            if max(little, big) * 2 >= sample.count / 2 { return .utf16 }
        }
        return .text
    }

    /// Whether jobmatch reads such a file (Render words why not, and what to do).
    public var isImportable: Bool { self == .zip || self == .text }
}
