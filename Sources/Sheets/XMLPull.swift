/// A small pull tokenizer for the XML of OOXML parts, fed in chunks so that a
/// 100 MB sheet is read in flat memory (a tree is never built).
///
/// It knows what spreadsheet XML uses: elements, attributes, text, character and
/// the five predefined entity references, CDATA, comments and processing
/// instructions (skipped). A DOCTYPE is refused (no entity definitions, so no
/// entity expansion). Namespace prefixes are dropped from names (`x:c` is `c`).
struct XMLPull {
    enum Event: Equatable {
        /// A start tag; `selfClosing` for `<c r="A1"/>` (no end event follows).
        case start(name: String, attributes: [(String, String)], selfClosing: Bool)
        case end(name: String)
        /// Text between tags, entities decoded.
        case text(String)

        static func == (a: Event, b: Event) -> Bool {
            switch (a, b) {
            case let (.start(n1, a1, s1), .start(n2, a2, s2)): n1 == n2 && s1 == s2 && a1.elementsEqual(a2, by: { $0 == $1 })
            case let (.end(n1), .end(n2)): n1 == n2
            case let (.text(t1), .text(t2)): t1 == t2
            default: false
            }
        }
    }

    /// A tag or a text run may be at most this long (a cell's text is at most 32,767 characters).
    static let tokenLimitDefault = 1 << 20
    /// Element nesting deeper than this is refused.
    static let depthLimitDefault = 256

    private let more: () throws -> [UInt8]?
    private var buf: [UInt8] = []
    private var pos = 0
    private var eof = false
    private let part: String
    private(set) var depth = 0

    init(part: String, more: @escaping () throws -> [UInt8]?) {
        self.part = part
        self.more = more
    }

    private func bad(_ why: String) -> SheetError { SheetError(.notWellFormed(part: part, detail: why)) }

    /// Loads more bytes; false at the end of the input.
    private mutating func refill() throws -> Bool {
        guard !eof else { return false }
        guard let chunk = try more() else { eof = true; return false }
        if pos > 0 { buf.removeFirst(pos); pos = 0 }
        buf.append(contentsOf: chunk)
        return true
    }

    /// The index of `byte` at or after `from`, loading more input as needed.
    private mutating func find(_ byte: UInt8, from: Int) throws -> Int? {
        var i = from
        while true {
            while i < buf.count { if buf[i] == byte { return i }; i += 1 }
            if i - pos > Self.tokenLimitDefault { throw bad("a token longer than \(Self.tokenLimitDefault) bytes") }
            let base = pos
            guard try refill() else { return nil }
            i -= base
        }
    }

    /// The index just after `pattern` at or after `from`, loading more input as needed.
    private mutating func find(_ pattern: [UInt8], from: Int) throws -> Int? {
        var i = from
        while true {
            if i + pattern.count <= buf.count {
                if buf[i] == pattern[0], Array(buf[i..<(i + pattern.count)]) == pattern { return i + pattern.count }
                i += 1
                continue
            }
            if i - pos > Self.tokenLimitDefault { throw bad("a token longer than \(Self.tokenLimitDefault) bytes") }
            let base = pos
            guard try refill() else { return nil }
            i -= base
        }
    }

    private mutating func starts(_ pattern: [UInt8]) throws -> Bool {
        while buf.count - pos < pattern.count { guard try refill() else { return false } }
        return buf[pos..<(pos + pattern.count)].elementsEqual(pattern)
    }

    /// The next event, or nil at the end of the input.
    mutating func next() throws -> Event? {
        while true {
            if pos >= buf.count { guard try refill() else { return nil } ; continue }
            if buf[pos] != UInt8(ascii: "<") {
                let end = try find(UInt8(ascii: "<"), from: pos) ?? buf.count
                let text = try decode(buf[pos..<end])
                pos = end
                return .text(text)
            }
            while buf.count - pos < 2 { guard try refill() else { throw bad("a lone <") } }
            let second = buf[pos + 1]
            if second == UInt8(ascii: "?") {
                guard let e = try find(Array("?>".utf8), from: pos + 2) else { throw bad("an unclosed <?") }
                pos = e; continue
            }
            if second == UInt8(ascii: "!"), try starts(Array("<!--".utf8)) {
                guard let e = try find(Array("-->".utf8), from: pos + 4) else { throw bad("an unclosed comment") }
                pos = e; continue
            }
            if second == UInt8(ascii: "!"), try starts(Array("<![CDATA[".utf8)) {
                guard let e = try find(Array("]]>".utf8), from: pos + 9) else { throw bad("an unclosed CDATA section") }
                let text = String(decoding: buf[(pos + 9)..<(e - 3)], as: UTF8.self)
                pos = e
                return .text(text)
            }
            if second == UInt8(ascii: "!") { throw bad("a DOCTYPE or declaration, which workbooks do not use") }
            // A tag: up to the first '>' outside quotes.
            var i = pos + 1
            var quote: UInt8 = 0
            while true {
                if i >= buf.count {
                    if i - pos > Self.tokenLimitDefault { throw bad("a tag longer than \(Self.tokenLimitDefault) bytes") }
                    let base = pos
                    guard try refill() else { throw bad("an unclosed tag") }
                    i -= base
                    continue
                }
                let b = buf[i]
                if quote != 0 { if b == quote { quote = 0 } } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { quote = b } else if b == UInt8(ascii: ">") { break }
                i += 1
            }
            let tag = buf[(pos + 1)..<i]
            pos = i + 1
            return try parseTag(tag)
        }
    }

    private mutating func parseTag(_ tag: ArraySlice<UInt8>) throws -> Event {
        var t = tag
        if t.first == UInt8(ascii: "/") {
            t = t.dropFirst()
            let name = Self.localName(t.prefix { !Self.isSpace($0) })
            guard !name.isEmpty else { throw bad("an empty end tag") }
            depth -= 1
            guard depth >= 0 else { throw bad("an end tag without a start") }
            return .end(name: name)
        }
        var selfClosing = false
        if t.last == UInt8(ascii: "/") { selfClosing = true; t = t.dropLast() }
        let nameBytes = t.prefix { !Self.isSpace($0) }
        let name = Self.localName(nameBytes)
        guard !name.isEmpty else { throw bad("an empty tag") }
        var attributes: [(String, String)] = []
        var i = nameBytes.endIndex
        while true {
            while i < t.endIndex, Self.isSpace(t[i]) { i += 1 }
            if i >= t.endIndex { break }
            let nameStart = i
            while i < t.endIndex, t[i] != UInt8(ascii: "="), !Self.isSpace(t[i]) { i += 1 }
            let an = Self.localName(t[nameStart..<i])
            while i < t.endIndex, Self.isSpace(t[i]) { i += 1 }
            guard i < t.endIndex, t[i] == UInt8(ascii: "=") else { throw bad("an attribute without a value") }
            i += 1
            while i < t.endIndex, Self.isSpace(t[i]) { i += 1 }
            guard i < t.endIndex, t[i] == UInt8(ascii: "\"") || t[i] == UInt8(ascii: "'") else { throw bad("an unquoted attribute") }
            let q = t[i]
            i += 1
            let vs = i
            while i < t.endIndex, t[i] != q { i += 1 }
            guard i < t.endIndex else { throw bad("an unclosed attribute value") }
            attributes.append((an, try decode(t[vs..<i])))
            i += 1
        }
        if !selfClosing {
            depth += 1
            guard depth <= Self.depthLimitDefault else { throw bad("elements nested too deep") }
        }
        return .start(name: name, attributes: attributes, selfClosing: selfClosing)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    static func localName(_ b: ArraySlice<UInt8>) -> String {
        let s = b.lastIndex(of: UInt8(ascii: ":")).map { b[($0 + 1)...] } ?? b
        return String(decoding: s, as: UTF8.self)
    }

    /// Text with character and predefined entity references decoded.
    func decode(_ b: ArraySlice<UInt8>) throws -> String {
        guard b.contains(UInt8(ascii: "&")) else { return String(decoding: b, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = b.startIndex
        while i < b.endIndex {
            let c = b[i]
            guard c == UInt8(ascii: "&") else { out.append(c); i += 1; continue }
            guard let semi = b[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { throw bad("a bare &") }
            let ref = String(decoding: b[(i + 1)..<semi], as: UTF8.self)
            switch ref {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var v: UInt32?
                if ref.hasPrefix("#x") || ref.hasPrefix("#X") { v = UInt32(ref.dropFirst(2), radix: 16) } else if ref.hasPrefix("#") { v = UInt32(ref.dropFirst(), radix: 10) }
                guard let v, let u = Unicode.Scalar(v) else { throw bad("an unknown entity &\(ref);") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            }
            i = semi + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
