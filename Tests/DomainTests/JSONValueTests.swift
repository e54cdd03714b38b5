import Domain
import Foundation
import Testing

/// `JSONValue.pretty` replaced Foundation's JSONEncoder for the `--json`
/// outputs and JSON exports; these pin that it prints the same bytes.
struct JSONValueTests {
    /// A shape with every case the outputs use: keys that sort differently by
    /// case, digits and underscores; empty and nested containers; escapes.
    struct Sample: Encodable {
        let Z: Int
        let a10: Int64
        let a2: Int
        let aB: String
        let a_b: Bool
        let ab: [Int]
        let e: [String: Int]
        let nested: [[Int]]
        let objects: [[String: String]]
        let nothing: String?
        let s: String
        func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey { case Z, a10, a2, aB, a_b, ab, e, nested, objects, nothing, s }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(Z, forKey: .Z); try c.encode(a10, forKey: .a10); try c.encode(a2, forKey: .a2)
            try c.encode(aB, forKey: .aB); try c.encode(a_b, forKey: .a_b); try c.encode(ab, forKey: .ab)
            try c.encode(e, forKey: .e); try c.encode(nested, forKey: .nested); try c.encode(objects, forKey: .objects)
            try c.encode(nothing, forKey: .nothing); try c.encode(s, forKey: .s)
        }
    }

    static let text = "a/b \u{8}\u{C}\u{1F}\u{7F} \"q\" \\ \n\r\t 残疾人 é \u{2028}"

    @Test("pretty prints what JSONEncoder printed with sorted keys, pretty printing and unescaped slashes")
    func sameBytesAsJSONEncoder() throws {
        let sample = Sample(Z: 0, a10: -9_000_000_000, a2: 2, aB: "x", a_b: true, ab: [], e: [:], nested: [[1, 2], []],
                            objects: [["k": "v", "j": ""], [:]], nothing: nil, s: Self.text)
        let value = JSONValue.object([
            "s": .string(Self.text), "nothing": .null, "objects": .array([.object(["k": .string("v"), "j": .string("")]), .object([])]),
            "nested": .array([.array([.integer(1), .integer(2)]), .array([])]), "e": .object([]), "ab": .array([]),
            "a_b": .bool(true), "aB": .string("x"), "a2": .integer(2), "a10": .integer(Int64(-9_000_000_000)), "Z": .integer(0),
        ])
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        #expect(value.pretty == String(decoding: try e.encode(sample), as: UTF8.self))
        #expect(JSONValue.array([]).pretty == String(decoding: try e.encode([Int]()), as: UTF8.self))
        #expect(JSONValue.strings(["x"]).pretty == String(decoding: try e.encode(["x"]), as: UTF8.self))
    }

    @Test("a nil member is left out by object(omittingNil:), printed as null by object")
    func omittingNil() {
        let id: Int64? = nil
        #expect(JSONValue.object(omittingNil: ["a": id.map(JSONValue.integer), "b": .integer(1)]).pretty == "{\n  \"b\" : 1\n}")
        #expect(JSONValue.object(["a": .integer(id), "b": .string(nil)]).pretty == "{\n  \"a\" : null,\n  \"b\" : null\n}")
    }

    @Test("the compact object writer and pretty escape strings alike, and both parse back to the same text")
    func oneEscaper() throws {
        var o = JSONObjectText()
        o.string("s", Self.text)
        let compact = try #require(try JSONSerialization.jsonObject(with: Data(o.text.utf8)) as? [String: String])
        let pretty = try #require(try JSONSerialization.jsonObject(with: Data(JSONValue.object(["s": .string(Self.text)]).pretty.utf8)) as? [String: String])
        #expect(compact["s"] == Self.text && pretty["s"] == Self.text)
        #expect(o.text == "{\"s\":" + JSONObjectText.quoted(Self.text) + "}")
    }
}
