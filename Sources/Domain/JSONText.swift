/// JSON written as text, for outputs produced in bulk (a district's reviews,
/// a run's proposals): Foundation's JSONEncoder on Linux costs tens of
/// microseconds an object, which dominated storing 10,000 reviews.
/// A JSON object built as text, keys in insertion order.
public struct JSONObjectText: Sendable {
    private var parts: [String] = []
    /// An empty object.
    public init() {}
    /// The object as JSON text.
    public var text: String { "{" + parts.joined(separator: ",") + "}" }

    /// Adds `key` with a value that is already JSON.
    public mutating func raw(_ key: String, _ json: String) { parts.append(JSONObjectText.quoted(key) + ":" + json) }
    /// Adds `key` with a string value.
    public mutating func string(_ key: String, _ value: String) { raw(key, JSONObjectText.quoted(value)) }
    /// Adds `key` with an exact decimal as a string (≤ 6 places, CONTRACT.md §5), or null.
    public mutating func decimal(_ key: String, _ value: Rational?) { raw(key, value.map { JSONObjectText.quoted($0.decimalString(places: 6)) } ?? "null") }

    /// A JSON string literal (RFC 8259 escaping).
    public static func quoted(_ s: String) -> String {
        // Nearly every string needs no escape: copy it whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
