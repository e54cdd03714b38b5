// A TOML subset, enough for jobmatch.toml: `[section]` headers, `key = value`
// with basic strings ("…" with \" \\ \n \t \uXXXX escapes), integers, booleans
// and one-line arrays of strings, and `#` comments. Everything else (dotted
// keys, inline tables, floats, dates, multi-line strings) is refused with the
// line number, rather than half-understood.

/// One value of the subset.
public enum TOMLValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case strings([String])

    public var description: String {
        switch self {
        case .string(let s): "\"\(s)\""
        case .integer(let i): String(i)
        case .boolean(let b): String(b)
        case .strings(let a): "[" + a.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
    }

    /// The type's name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .strings: "an array of strings"
        }
    }
}

/// A syntax error, with the 1-based line it is on.
public struct TOMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// A parsed document: values by dotted path (`"schedule.regions"`) with their line.
public struct TOMLDocument: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let value: TOMLValue
        public let line: Int
    }
    public var entries: [String: Entry] = [:]

    /// Parses `text`; throws the first error.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLDocument {
        var doc = TOMLDocument()
        var section = ""
        var sections: Set<String> = []
        // Split on scalars, not Characters: Swift reads "\r\n" as one Character, so a
        // CRLF file (as Windows editors save it) would otherwise be a single line.
        for (index, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            var scanner = Scanner(Array(rawLine), line: lineNo)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                scanner.advance()
                scanner.skipSpaces()
                let name = scanner.bareKey()
                guard !name.isEmpty else { throw TOMLError(line: lineNo, message: "expected a section name after '['") }
                scanner.skipSpaces()
                guard scanner.peek == "]" else { throw TOMLError(line: lineNo, message: "expected ']' after section name \(name)") }
                scanner.advance()
                try scanner.expectEnd()
                guard sections.insert(name).inserted else { throw TOMLError(line: lineNo, message: "section [\(name)] appears twice") }
                section = name
                continue
            }
            let key = scanner.bareKey()
            guard !key.isEmpty else { throw TOMLError(line: lineNo, message: "expected a key (letters, digits, '_' or '-')") }
            scanner.skipSpaces()
            guard scanner.peek == "=" else { throw TOMLError(line: lineNo, message: "expected '=' after key \(key)") }
            scanner.advance()
            scanner.skipSpaces()
            let value = try scanner.value()
            try scanner.expectEnd()
            let path = section.isEmpty ? key : section + "." + key
            if let previous = doc.entries[path] {
                throw TOMLError(line: lineNo, message: "key \(path) already set on line \(previous.line)")
            }
            doc.entries[path] = Entry(value: value, line: lineNo)
        }
        return doc
    }
}

private struct Scanner {
    let chars: [Unicode.Scalar]
    let line: Int
    var i = 0

    init(_ chars: [Unicode.Scalar], line: Int) {
        // Tolerate CRLF files.
        self.chars = chars.last == "\r" ? Array(chars.dropLast()) : chars
        self.line = line
    }

    var peek: Unicode.Scalar? { i < chars.count ? chars[i] : nil }
    var atEndOrComment: Bool { peek == nil || peek == "#" }
    mutating func advance() { i += 1 }
    mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { advance() } }

    mutating func expectEnd() throws(TOMLError) {
        skipSpaces()
        guard atEndOrComment else { throw TOMLError(line: line, message: "unexpected text after the value: \(String(String.UnicodeScalarView(chars[i...])))") }
    }

    mutating func bareKey() -> String {
        var out = String.UnicodeScalarView()
        while let c = peek, c.properties.isASCIIHexDigit || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == "-" {
            out.append(c)
            advance()
        }
        return String(out)
    }

    mutating func value() throws(TOMLError) -> TOMLValue {
        guard let c = peek else { throw TOMLError(line: line, message: "expected a value after '='") }
        switch c {
        case "\"": return .string(try string())
        case "[":
            advance()
            var items: [String] = []
            while true {
                skipSpaces()
                if peek == "]" { advance(); return .strings(items) }
                guard peek == "\"" else {
                    throw TOMLError(line: line, message: "arrays hold strings only, on one line (expected '\"' or ']')")
                }
                items.append(try string())
                skipSpaces()
                if peek == "," { advance(); continue }
                guard peek == "]" else { throw TOMLError(line: line, message: "expected ',' or ']' in array") }
            }
        case "t", "f":
            let word = bareKey()
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            throw TOMLError(line: line, message: "unknown value \(word); strings need double quotes")
        default:
            var text = ""
            while let d = peek, d == "+" || d == "-" || d == "_" || ("0"..."9").contains(d) {
                if d != "_" { text.unicodeScalars.append(d) }
                advance()
            }
            guard !text.isEmpty, let n = Int(text) else {
                throw TOMLError(line: line, message: "expected a string, integer, boolean or array of strings")
            }
            if let next = peek, next == "." || next == "e" || next == "E" {
                throw TOMLError(line: line, message: "floats are not supported; use an integer")
            }
            return .integer(n)
        }
    }

    mutating func string() throws(TOMLError) -> String {
        advance()  // opening quote
        var out = String.UnicodeScalarView()
        while let c = peek {
            advance()
            switch c {
            case "\"": return String(out)
            case "\\":
                guard let e = peek else { break }
                advance()
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "u":
                    let hex = String(String.UnicodeScalarView(chars[i..<min(i + 4, chars.count)]))
                    guard hex.count == 4, let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                        throw TOMLError(line: line, message: "bad \\u escape: expected 4 hex digits")
                    }
                    out.append(s)
                    i += 4
                default: throw TOMLError(line: line, message: "unknown escape \\\(e)")
                }
            default: out.append(c)
            }
        }
        throw TOMLError(line: line, message: "unterminated string")
    }
}
