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
        var text = text
        // On the string's own UTF-8 bytes (no copy): the web parses two of these per proposal.
        return text.withUTF8 { parseArrayLiteral(bytes: $0) }
    }

    private static func parseArrayLiteral(bytes all: UnsafeBufferPointer<UInt8>) -> [String?]? {
        guard all.count >= 2, all.first == UInt8(ascii: "{"), all.last == UInt8(ascii: "}") else { return nil }
        let bytes = UnsafeBufferPointer(rebasing: all[1..<(all.count - 1)])
        if bytes.isEmpty { return [] }
        var result: [String?] = []
        var element: [UInt8] = []
        var i = 0
        while i <= bytes.count {
            if i < bytes.count && bytes[i] == UInt8(ascii: "\"") {
                element.removeAll(keepingCapacity: true)
                i += 1
                while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1; guard i < bytes.count else { return nil } }
                    element.append(bytes[i]); i += 1
                }
                guard i < bytes.count else { return nil }
                i += 1  // closing quote
                result.append(String(decoding: element, as: UTF8.self))
            } else {
                var j = i
                while j < bytes.count && bytes[j] != UInt8(ascii: ",") { j += 1 }
                let raw = UnsafeBufferPointer(rebasing: bytes[i..<j])
                if raw.first == UInt8(ascii: "{") { return nil }
                result.append(raw.elementsEqual("NULL".utf8) ? nil : String(decoding: raw, as: UTF8.self))
                i = j
            }
            if i == bytes.count { break }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
        return result
    }
}
