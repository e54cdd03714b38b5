import Domain

/// The encodings a file may be read in (CONTRACT.md §1, `--encoding auto|utf8|gb18030`).
public enum TextEncoding: String, Sendable, CaseIterable, Hashable {
    /// A UTF-8 BOM, or bytes that are valid UTF-8, mean UTF-8; anything else is GB18030.
    case auto
    /// UTF-8, with or without BOM.
    case utf8
    /// GB18030, which also decodes GBK and GB2312 files (it is their superset).
    case gb18030
}

/// A problem with a file as a whole: it cannot be used at all, even with `--partial`.
public enum FileProblem: Sendable, Hashable {
    /// The file has no header row (it is empty or holds only blank lines).
    case noHeader
    /// The bytes at `row` are not valid in `encoding`.
    case undecodable(row: Int, encoding: TextEncoding)
    /// A quoted field opened on `row` is never closed.
    case unterminatedQuote(row: Int)
    /// A required column is absent; `alternatives` are other columns any one of which would do.
    case missingColumn(name: String, alias: String, alternatives: [String])
    /// A column that equal employment forbids (sex, ethnicity, household registration).
    case forbiddenColumn(header: String)
    /// Two header cells name the same column.
    case duplicateColumn(header: String, column: String)
    /// The file's name or kind is not one this module knows (a shell bug or a usage error).
    case unknownKind(String)
    /// A field longer than `limit` bytes (a file with no line breaks, a quote never closed…): refused
    /// before it fills memory (issue 17).
    case fieldTooLong(row: Int, limit: Int)
    /// A record longer than `limit` bytes, or with more than `fields` fields.
    case recordTooLong(row: Int, limit: Int)
    /// The bytes at `row`, `byte` (1-based offset in the file) are not valid UTF-8.
    case invalidUTF8(row: Int, byte: Int)

    /// The row the problem is on, when there is one.
    public var row: Int? {
        switch self {
        case .undecodable(let r, _), .unterminatedQuote(let r): return r
        case .fieldTooLong(let r, _), .recordTooLong(let r, _), .invalidUTF8(let r, _): return r
        case .missingColumn, .forbiddenColumn, .duplicateColumn: return 1
        case .noHeader, .unknownKind: return nil
        }
    }

    /// What is wrong, in words staff read.
    public var rule: String {
        switch self {
        case .noHeader:
            return "the file is empty: the first row must name the columns"
        case .undecodable(_, let enc):
            switch enc {
            case .gb18030: return "the bytes are not valid GB18030/GBK text"
            default: return "the bytes are not valid UTF-8 text (save the file as UTF-8, or pass --encoding gb18030)"
            }
        case .unterminatedQuote:
            return "a quoted value opened on this row is never closed"
        case .missingColumn(let name, let alias, let alternatives):
            let alt = alternatives.isEmpty ? "" : " (or " + alternatives.joined(separator: " or ") + ")"
            return "required column \(name) (\(alias))\(alt) is missing"
        case .forbiddenColumn(let header):
            return "column \(header) restricts sex, ethnicity or household registration; equal employment forbids it, so the whole file is refused"
        case .duplicateColumn(let header, let column):
            return "column \(header) names \(column) a second time"
        case .unknownKind(let k):
            return "unknown import kind \(k)"
        case .fieldTooLong(_, let limit):
            return "a value is longer than \(limit / 1024) KiB (no line break, or a quote never closed?); the file is refused"
        case .recordTooLong(_, let limit):
            return "the row is longer than \(limit / 1024) KiB; the file is refused"
        case .invalidUTF8(_, let byte):
            return "the bytes at byte \(byte) of the file are not valid UTF-8 text (save the file as UTF-8, or pass --encoding gb18030)"
        }
    }
}

/// A whole-file error: every problem found, one line each.
public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's name as the user gave it.
    public var file: String
    /// Every problem found (a header can lack two columns and carry a forbidden one).
    public var problems: [FileProblem]

    public init(file: String, problems: [FileProblem]) { self.file = file; self.problems = problems }
    public init(file: String, _ problem: FileProblem) { self.init(file: file, problems: [problem]) }

    /// One line per problem: `seekers.csv row 1: required column name (姓名) is missing`.
    public var lines: [String] {
        problems.map { p in
            if let r = p.row { return "\(file) row \(r): \(p.rule)" }
            return "\(file): \(p.rule)"
        }
    }

    public var description: String { lines.joined(separator: "\n") }
}

/// One broken rule on one row. `value` is already masked when the column holds
/// an identity number, a person's name or a phone number (CONTRACT.md §2, §5),
/// so the error is safe to print and to write to the rejects file.
public struct RowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's name as the user gave it.
    public var file: String
    /// The row as the spreadsheet numbers it (header 1).
    public var row: Int
    /// The column as the file's header spells it.
    public var column: String
    /// The offending value, masked where personal.
    public var value: String
    /// The rule broken (Render words it).
    public var rule: IntakeRule

    public init(file: String, row: Int, column: String, value: String, rule: IntakeRule) {
        self.file = file; self.row = row; self.column = column; self.value = value; self.rule = rule
    }

    /// The longest value shown; longer ones are cut with an ellipsis.
    static let shownValueLimitDefault = 60

    /// One line: `seekers.csv row 7, column 残疾人证号: value 410307********6627** — check character does not match (GB 11643)`.
    public var description: String {
        "\(file) row \(row), column \(column): value \(RowError.printable(value)) — \(rule.text)"
    }

    /// The reason as the rejects file's last column shows it (no file and row: the row is that row).
    public var reason: String { "\(column): \(RowError.printable(value)) — \(rule.text)" }

    /// Keeps a message on one line: control characters escaped, empty shown as `empty`
    /// (`(empty)` by default), long values cut. Render shows values the same way.
    public static func printable(_ v: String, empty: String = "(empty)") -> String {
        if v.isEmpty { return empty }
        var out = ""
        var n = 0
        for ch in v.unicodeScalars {
            if n == shownValueLimitDefault { out += "…"; break }
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 || ch.value == 0x7F { out += "\\u{\(String(ch.value, radix: 16))}" } else { out.unicodeScalars.append(ch) }
            }
            n += 1
        }
        return out
    }
}

/// Something worth telling but not refusing: an unknown column is ignored.
public struct IntakeWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var row: Int
    public var column: String
    /// What is worth telling (Render words it).
    public var kind: Kind

    public enum Kind: Sendable, Hashable {
        /// A column the import kind does not know (`importKind`, e.g. `seekers`): its values are ignored.
        case unknownColumn(importKind: String)
        /// More unknown columns than are listed, counted.
        case moreUnknownColumns(Int)
        /// A resident ID ending in 000 whose check character passes: it may be a spreadsheet's padding.
        case zeroPaddedID
    }

    public init(file: String, row: Int, column: String, kind: Kind) {
        self.file = file; self.row = row; self.column = column; self.kind = kind
    }

    /// The words outside Render (tests, logs); people read Render's.
    public var message: String {
        switch kind {
        case .unknownColumn(let k): "unknown column for \(k); its values are ignored"
        case .moreUnknownColumns(let n): "and \(n) more unknown columns; their values are ignored"
        case .zeroPaddedID: Mangling.zeroPaddedText
        }
    }
    public var description: String { "\(file) row \(row), column \(column): \(message)" }
}
