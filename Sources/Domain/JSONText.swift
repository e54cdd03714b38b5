/// JSON written as text, for outputs produced in bulk (a district's reviews,
/// a run's proposals): Foundation's JSONEncoder on Linux costs tens of
/// microseconds an object, which dominated storing 10,000 reviews.
/// A JSON object built as text, keys in insertion order.
public struct JSONObjectText: Sendable {
    /// The members so far, comma-separated: one growing string, not a string per
    /// member joined at the end (a run's 3,000 proposals write ~150,000 members).
    private var members = ""
    /// An empty object.
    public init() {}
    /// The object as JSON text.
    public var text: String { "{" + members + "}" }

    /// Adds `key` with a value that is already JSON.
    public mutating func raw(_ key: String, _ json: String) {
        if !members.isEmpty { members += "," }
        JSONObjectText.appendQuoted(key, to: &members)
        members += ":"
        members += json
    }
    /// Adds `key` with a string value.
    public mutating func string(_ key: String, _ value: String) {
        if !members.isEmpty { members += "," }
        JSONObjectText.appendQuoted(key, to: &members)
        members += ":"
        JSONObjectText.appendQuoted(value, to: &members)
    }
    /// Adds `key` with an exact decimal as a string (≤ 6 places, CONTRACT.md §5), or null.
    public mutating func decimal(_ key: String, _ value: Rational?) { raw(key, value.map { JSONObjectText.quoted($0.decimalString(places: 6)) } ?? "null") }

    /// A JSON string literal (RFC 8259 escaping; the short forms where RFC 8259 has one).
    public static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string literal (RFC 8259 escaping).
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        // Nearly every string needs no escape: copy it whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}
