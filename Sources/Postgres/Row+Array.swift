extension Row {
    /// A one-dimensional `text[]` (or any array) column in text format, as Swift strings;
    /// SQL NULL elements are dropped. NULL column → `[]`.
    ///
    /// Parses PostgreSQL's array output syntax: `{a,"b c","d\"e",NULL}`.
    public func stringArray(_ column: String) throws(RowDecodingError) -> [String] {
        guard let text = try optionalString(column) else { return [] }
        guard let parsed = Row.parseArrayLiteral(text) else {
            throw RowDecodingError(column: column, reason: .invalidText(expected: "array"))
        }
        return parsed.compactMap { $0 }
    }

    /// `{a,"b c",NULL}` → ["a", "b c", nil]; nil for malformed input or nested arrays.
    static func parseArrayLiteral(_ text: String) -> [String?]? {
        var bytes = Array(text.utf8)[...]
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        bytes = bytes.dropFirst().dropLast()
        if bytes.isEmpty { return [] }
        var result: [String?] = []
        var i = bytes.startIndex
        while i <= bytes.endIndex {
            if i < bytes.endIndex && bytes[i] == UInt8(ascii: "\"") {
                var element: [UInt8] = []
                i += 1
                while i < bytes.endIndex && bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1; guard i < bytes.endIndex else { return nil } }
                    element.append(bytes[i]); i += 1
                }
                guard i < bytes.endIndex else { return nil }
                i += 1  // closing quote
                result.append(String(decoding: element, as: UTF8.self))
            } else {
                var j = i
                while j < bytes.endIndex && bytes[j] != UInt8(ascii: ",") { j += 1 }
                let raw = String(decoding: bytes[i..<j], as: UTF8.self)
                if raw.hasPrefix("{") { return nil }
                result.append(raw == "NULL" ? nil : raw)
                i = j
            }
            if i == bytes.endIndex { break }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
        return result
    }
}
