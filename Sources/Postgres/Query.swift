/// A value that can be sent as a text-format bind parameter. `nil` is SQL NULL.
public protocol PostgresBindable {
    /// The PostgreSQL text representation, or nil for NULL.
    var postgresText: String? { get }
}

extension String: PostgresBindable { public var postgresText: String? { self } }
extension Substring: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int64: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int32: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int16: PostgresBindable { public var postgresText: String? { String(self) } }
extension Bool: PostgresBindable { public var postgresText: String? { self ? "t" : "f" } }
/// Swift's shortest round-trip form; `inf`, `-inf` and `nan` are accepted by float8 input.
extension Double: PostgresBindable { public var postgresText: String? { String(self) } }
extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? { self?.postgresText }
}

/// An element of an array bind: each non-null element is double-quoted with `\` and `"`
/// escaped, so the text array literal parses for any element type (`'{"1","2"}'::int[]`).
public protocol PostgresArrayElement: PostgresBindable {}
extension String: PostgresArrayElement {}
extension Substring: PostgresArrayElement {}
extension Int: PostgresArrayElement {}
extension Int64: PostgresArrayElement {}
extension Int32: PostgresArrayElement {}
extension Int16: PostgresArrayElement {}
extension Bool: PostgresArrayElement {}
extension Double: PostgresArrayElement {}
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {}

extension Array: PostgresBindable where Element: PostgresArrayElement {
    /// A one-dimensional text array literal, e.g. `{"a","b\"c",NULL}`.
    /// Inlinable: specialised in the caller's module, it skips generic dispatch per element.
    @inlinable
    public var postgresText: String? {
        var out = "{"
        for (i, element) in enumerated() {
            if i > 0 { out += "," }
            guard let text = element.postgresText else {
                out += "NULL"
                continue
            }
            out += "\""
            // Nearly every element needs no escape: append it whole (a per-scalar loop
            // here was 13 % of an import's CPU).
            if text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for ch in text.unicodeScalars {
                    if ch == "\"" || ch == "\\" { out += "\\" }
                    out.unicodeScalars.append(ch)
                }
            } else {
                out += text
            }
            out += "\""
        }
        return out + "}"
    }
}

/// SQL text plus its bind parameters.
///
/// Interpolated values become parameters: `"SELECT * FROM seeker WHERE id = \(id)"` has
/// `sql == "SELECT * FROM seeker WHERE id = $1"` and `binds == [id]`. Literal text is SQL.
/// Raw text must be asked for: `\(unsafe: sqlFragment)`, or `\(identifier: name)` for a
/// double-quoted identifier. Do not write `$n` placeholders in literal text next to
/// interpolated values: the interpolations are numbered from `$1`.
public struct Query: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    public let sql: String
    /// Text-format values, nil for NULL. Never printed by `description`.
    public let binds: [String?]

    /// SQL from a runtime string, with explicit `$n` binds. The caller vouches for `unsafeSQL`.
    public init(unsafeSQL: String, binds: [String?] = []) {
        self.sql = unsafeSQL
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// The SQL text and the number of binds (never their values).
    public var description: String { "Query(\(sql) [\(binds.count) binds])" }

    /// `name` as a double-quoted SQL identifier (`"` doubled).
    public static func quoteIdentifier(_ name: String) -> String {
        precondition(!name.utf8.contains(0), "an SQL identifier cannot contain NUL")
        return "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql: String
        var binds: [String?]

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + 3 * interpolationCount)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A bind parameter: becomes `$n`.
        public mutating func appendInterpolation(_ value: some PostgresBindable) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        /// A bind parameter that may be NULL: becomes `$n`. (A separate overload, so the
        /// compiler does not warn about interpolating an optional.)
        public mutating func appendInterpolation<T: PostgresBindable>(_ value: T?) {
            binds.append(value?.postgresText)
            sql += "$\(binds.count)"
        }

        /// Raw SQL text spliced as is. Never pass user input.
        public mutating func appendInterpolation(unsafe raw: String) {
            sql += raw
        }

        /// A double-quoted identifier (table, database, channel name).
        public mutating func appendInterpolation(identifier: String) {
            sql += Query.quoteIdentifier(identifier)
        }
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}

/// How to reach a server. Passed to `PQconnectdbParams` as keyword/value arrays with
/// `expand_dbname=1`: the URL (or conninfo string) is the first `dbname` entry and is
/// expanded by libpq; `parameters` follow and override it. Nothing is ever spliced into a
/// conninfo string by hand.
public struct ConnectionConfig: Sendable, CustomStringConvertible {
    /// A `postgresql://` URL or a `key=value` conninfo string; nil means libpq defaults and `PG*` variables.
    public var url: String?
    /// Extra keywords, applied after `url`, later entries winning: e.g. `("application_name", "jobmatch")`.
    public var parameters: [(String, String)]

    public init(url: String?, parameters: [(String, String)] = []) {
        self.url = url
        self.parameters = parameters
    }

    /// A copy with one more keyword.
    public func with(_ key: String, _ value: String) -> ConnectionConfig {
        var copy = self
        copy.parameters.append((key, value))
        return copy
    }

    /// The last value given for `key` in `parameters` (the URL is not parsed).
    public func parameter(_ key: String) -> String? {
        parameters.last { $0.0 == key }?.1
    }

    /// Keywords only: the URL and values may hold a password.
    public var description: String {
        "ConnectionConfig(url: \(url == nil ? "nil" : "<redacted>"), keywords: \(parameters.map(\.0).joined(separator: ",")))"
    }
}
