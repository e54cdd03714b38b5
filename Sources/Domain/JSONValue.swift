/// A JSON value for the outputs printed for systems (`--json`, JSON exports):
/// built by the caller, printed by `pretty` in the layout those outputs have
/// always had (Foundation's sorted, pretty-printed form). Strings are escaped
/// by `JSONObjectText.appendQuoted`, the one escaper. Numbers are integers
/// only: money is integer fen and decimals are strings (CONTRACT.md §5).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    /// Members in the order given; `pretty` sorts them by key.
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Equatable {
        public let key: String
        public let value: JSONValue
        public init(_ key: String, _ value: JSONValue) { self.key = key; self.value = value }
    }

    /// An object from key–value pairs.
    public static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { Member($0.key, $0.value) })
    }
    /// An object from key–value pairs, leaving out the members whose value is
    /// nil (as a synthesized `Encodable` leaves out a nil optional).
    public static func object(omittingNil members: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(members.compactMap { m in m.value.map { Member(m.key, $0) } })
    }
    /// An integer.
    public static func integer(_ i: Int) -> JSONValue { .integer(Int64(i)) }
    /// A string, or null.
    public static func string(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    /// An integer, or null.
    public static func integer(_ i: Int64?) -> JSONValue { i.map(JSONValue.integer) ?? .null }
    /// An array of strings.
    public static func strings(_ s: [String]) -> JSONValue { .array(s.map(JSONValue.string)) }

    /// The value as pretty-printed text: two-space indent, `"key" : value`,
    /// object keys sorted by their UTF-8 bytes, an empty array or object as
    /// an opening and closing line with an empty line between, no trailing
    /// newline — byte for byte what Foundation's JSONEncoder printed with
    /// `[.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]`.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "")
        return out
    }

    /// The value on one line, no spaces, object keys sorted as in `pretty`: the
    /// API's large bodies (a page of proposals, of seekers).
    public var compact: String {
        var out = ""
        writeCompact(to: &out)
        return out
    }

    private func writeCompact(to out: inout String) {
        switch self {
        case .null, .bool, .integer, .string: write(to: &out, indent: "")
        case .array(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                item.writeCompact(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (n, m) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if n > 0 { out += "," }
                JSONObjectText.appendQuoted(m.key, to: &out)
                out += ":"
                m.value.writeCompact(to: &out)
            }
            out += "}"
        }
    }

    private func write(to out: inout String, indent: String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .string(let s): JSONObjectText.appendQuoted(s, to: &out)
        case .array(let items):
            let inner = indent + "  "
            out += "[\n"
            if items.isEmpty { out += "\n" }
            for (n, item) in items.enumerated() {
                out += inner
                item.write(to: &out, indent: inner)
                out += n == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let members):
            let inner = indent + "  "
            out += "{\n"
            if members.isEmpty { out += "\n" }
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (n, m) in sorted.enumerated() {
                out += inner
                JSONObjectText.appendQuoted(m.key, to: &out)
                out += " : "
                m.value.write(to: &out, indent: inner)
                out += n == sorted.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        }
    }
}
