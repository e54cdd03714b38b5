// The large, frequent JSON responses written straight to bytes. Foundation's
// JSONEncoder builds a tree of boxed values and sorts every object's keys; for a
// page of 50 proposals with 8 reasons each it took about as long as the rest of
// the request. `Respond.json` uses `JSONBody.writeJSON` when a value has one, and
// the output is byte for byte JSONEncoder's with `.sortedKeys` (a test compares
// them): keys in sorted order, an absent optional left out, `/` written `\/`.

/// A response body that writes its own JSON (keys in sorted order, nil optionals left out).
protocol JSONBody: Encodable {
    func writeJSON(_ out: inout JSONOut)
}

/// A JSON text being written: objects, arrays, keys and scalars, commas placed by itself.
struct JSONOut {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    private mutating func startValue() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    mutating func object(_ body: (inout JSONOut) -> Void) {
        startValue()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONOut, S.Element) -> Void) {
        startValue()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for e in elements { body(&self, e) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A key of the object being written; its value comes next.
    mutating func key(_ name: StaticString) {
        startValue()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\":".utf8)
        needsComma = false
    }

    mutating func string(_ s: String) {
        startValue()
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var start = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "/") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                start = i + 1
                switch b {
                case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "/"): bytes.append(contentsOf: #"\/"#.utf8)
                case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
                case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
                case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
                case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
                case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: #"\u00"#.utf8)
                    bytes.append(hex[Int(b >> 4)])
                    bytes.append(hex[Int(b & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ n: some BinaryInteger) {
        startValue()
        bytes.append(contentsOf: String(n).utf8)
    }

    mutating func bool(_ b: Bool) {
        startValue()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    /// `"name":value`, or nothing when `value` is nil (as synthesized `Encodable` does).
    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }
}

extension JSONBody {
    var jsonBytes: [UInt8] {
        var out = JSONOut()
        writeJSON(&out)
        return out.bytes
    }
}

// MARK: - The bodies written this way

extension ProposalReason: JSONBody {
    func writeJSON(_ out: inout JSONOut) {
        out.object { o in
            o.key("code"); o.string(code)
            o.key("text"); o.string(text)
        }
    }
}

extension ProposalItem: JSONBody {
    func writeJSON(_ out: inout JSONOut) {
        out.object { o in
            o.key("certificate_no"); o.string(certificate_no)
            o.key("confirmed"); o.bool(confirmed)
            o.key("opening_id"); o.string(opening_id)
            o.key("proposal_id"); o.int(proposal_id)
            o.key("reasons"); o.array(reasons) { o, r in r.writeJSON(&o) }
            o.key("score"); o.int(score)
            o.field("seeker_id", seeker_id)
        }
    }
}

extension WebServer.ProposalList: JSONBody {
    func writeJSON(_ out: inout JSONOut) {
        out.object { o in
            o.key("items"); o.array(items) { o, item in item.writeJSON(&o) }
            o.field("next_cursor", next_cursor)
        }
    }
}

extension SeekerSummary: JSONBody {
    func writeJSON(_ out: inout JSONOut) {
        out.object { o in
            o.key("certificate_no"); o.string(certificate_no)
            o.key("name"); o.string(name)
            o.key("seeker_id"); o.string(seeker_id)
            o.key("status"); o.string(status)
            o.key("town_code"); o.string(town_code)
        }
    }
}

extension WebServer.SeekerList: JSONBody {
    func writeJSON(_ out: inout JSONOut) {
        out.object { o in
            o.key("items"); o.array(items) { o, item in item.writeJSON(&o) }
            o.field("next_cursor", next_cursor)
        }
    }
}
