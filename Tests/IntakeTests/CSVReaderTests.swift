import Testing
import Domain
@testable import Intake

@Suite("CSV reading")
struct CSVReaderTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String, input: String, expected: [[String]], rows: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "LF", input: "a,b\n1,2\n", expected: [["a", "b"], ["1", "2"]], rows: [1, 2]),
        Case(name: "CRLF", input: "a,b\r\n1,2\r\n", expected: [["a", "b"], ["1", "2"]], rows: [1, 2]),
        Case(name: "lone CR (old Mac Excel)", input: "a,b\r1,2\r", expected: [["a", "b"], ["1", "2"]], rows: [1, 2]),
        Case(name: "final line without newline", input: "a,b\n1,2", expected: [["a", "b"], ["1", "2"]], rows: [1, 2]),
        Case(name: "quoted comma", input: "a\n\"x,y\"\n", expected: [["a"], ["x,y"]], rows: [1, 2]),
        Case(name: "doubled quotes", input: "a\n\"say \"\"hi\"\"\"\n", expected: [["a"], ["say \"hi\""]], rows: [1, 2]),
        Case(name: "newline inside quotes is one row", input: "a,b\n\"line1\nline2\",x\n3,4\n",
             expected: [["a", "b"], ["line1\nline2", "x"], ["3", "4"]], rows: [1, 2, 3]),
        Case(name: "CRLF inside quotes kept", input: "a\n\"l1\r\nl2\"\n", expected: [["a"], ["l1\r\nl2"]], rows: [1, 2]),
        Case(name: "quote inside an unquoted field is literal", input: "a\n5\"3\n", expected: [["a"], ["5\"3"]], rows: [1, 2]),
        Case(name: "text after a closing quote is kept", input: "a\n\"ab\"cd\n", expected: [["a"], ["abcd"]], rows: [1, 2]),
        Case(name: "empty fields", input: "a,b,c\n,,x\n\"\",,\n", expected: [["a", "b", "c"], ["", "", "x"]], rows: [1, 2]),
        Case(name: "blank rows skipped, numbering kept", input: "a,b\n,\n\n1,2\n", expected: [["a", "b"], ["1", "2"]], rows: [1, 4]),
        Case(name: "trailing comma is an empty last field", input: "a,b\n1,\n", expected: [["a", "b"], ["1", ""]], rows: [1, 2]),
        Case(name: "UTF-8 BOM stripped", input: "\u{FEFF}名称,b\n1,2\n", expected: [["名称", "b"], ["1", "2"]], rows: [1, 2]),
        Case(name: "empty input", input: "", expected: [], rows: []),
    ]

    @Test("splits RFC 4180 records", arguments: cases)
    func splits(_ c: Case) throws {
        let got = try CSVReader.records(in: Array(c.input.utf8))
        #expect(got.map(\.fields) == c.expected)
        #expect(got.map(\.row) == c.rows)
    }

    @Test("gives the same records whatever the chunk size", arguments: [1, 2, 3, 5, 7, 64])
    func chunkIndependent(_ size: Int) throws {
        let text = "\u{FEFF}姓名,说明\r\n\"张,三\",\"多\r\n行\"\"引号\"\"\"\n𠀀䶮,😀 end\n,\nlast,\"x\""
        let whole = try CSVReader.records(in: Array(text.utf8))
        let chunked = try records(Array(text.utf8), chunk: size)
        #expect(chunked == whole)
        #expect(whole.map(\.row) == [1, 2, 3, 5])
        #expect(whole[1].fields == ["张,三", "多\r\n行\"引号\""])
    }

    @Test("an unterminated quote is a file error naming the row where it opened")
    func unterminatedQuote() {
        #expect(throws: FileError(file: "t.csv", .unterminatedQuote(row: 3))) {
            try CSVReader.records(in: Array("a\n1\n\"never closed\n2\n".utf8), file: "t.csv")
        }
    }

    @Test("invalid UTF-8 in a file read as UTF-8 is a file error naming the row and the byte")
    func invalidUTF8() {
        let bytes = Array("a,b\n1,2\nx,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(throws: FileError(file: "t.csv", .invalidUTF8(row: 3, byte: 11))) {
            try CSVReader.records(in: bytes, file: "t.csv", encoding: .utf8)
        }
    }
}

@Suite("Text encodings")
struct EncodingTests {
    static let text = "姓名,说明\n䶮,𠀀 outside the BMP\n张三,\"引号\"\"，逗号\"\nabc,😀\n"

    @Test("GB18030 bytes (with 4-byte characters) decode to the UTF-8 twin's records", arguments: [1, 3, 4096])
    func gb18030Twin(_ chunk: Int) throws {
        let gb = gb18030(Self.text)
        #expect(gb != Array(Self.text.utf8))
        #expect(gb.count < Array(Self.text.utf8).count)
        let fromUTF8 = try records(Array(Self.text.utf8), chunk: chunk)
        let fromGB = try records(gb, chunk: chunk)
        let forced = try records(gb, chunk: chunk, encoding: .gb18030)
        #expect(fromGB == fromUTF8)
        #expect(forced == fromUTF8)
        #expect(fromGB[1].fields == ["䶮", "𠀀 outside the BMP"])
    }

    @Test("auto: a UTF-8 BOM or valid UTF-8 means UTF-8, otherwise GB18030")
    func detection() throws {
        for (bytes, expected) in [(Array("\u{FEFF}a\n张\n".utf8), TextEncoding.utf8),
                                  (Array("a\n张\n".utf8), .utf8),
                                  (gb18030("a\n张\n"), .gb18030)] {
            var r = CSVReader(file: "t.csv")
            try r.feed(bytes) { _ in }
            try r.finish { _ in }
            #expect(r.detected == expected)
        }
    }

    @Test("auto: ASCII before the first GBK byte is read either way, even past the detection window")
    func asciiPrefix() throws {
        let prefix = String(repeating: "abc,def\n", count: 20_000)
        let text = "h1,h2\n" + prefix + "张三,李四\n"
        let got = try records(gb18030(text), chunk: 4096)
        #expect(got.last?.fields == ["张三", "李四"])
        #expect(got.count == 20_002)
    }

    @Test("auto: a UTF-8 guess that a later chunk disproves is an error naming the row (streamed in 4 KiB chunks)")
    func lateContradiction() {
        let head = "h\n" + String(repeating: "张\n", count: 40_000)  // valid UTF-8 for > 64 KiB
        let bytes = Array(head.utf8) + gb18030("李\n")
        #expect(throws: FileError(file: "t.csv", .invalidUTF8(row: 40_002, byte: 160_003))) {
            _ = try records(bytes, chunk: 4096)
        }
    }

    @Test("an invalid GB18030 sequence is a file error naming the row")
    func invalidGB18030() {
        let bytes = gb18030("h\n张\n") + [0x81, 0x20] + Array("\n".utf8)
        #expect(throws: FileError(file: "t.csv", .undecodable(row: 3, encoding: .gb18030))) {
            _ = try records(bytes, chunk: 2, encoding: .gb18030)
        }
    }

    @Test("a GB18030 sequence cut by the end of the file is an error")
    func truncatedGB18030() {
        let bytes = gb18030("h\n张") .dropLast()
        #expect(throws: FileError.self) { _ = try records(Array(bytes), chunk: 1, encoding: .gb18030) }
    }

    @Test("a GB18030 BOM is stripped")
    func gbBOM() throws {
        let got = try CSVReader.records(in: gb18030("\u{FEFF}名称\n甲\n"), encoding: .gb18030)
        #expect(got.map(\.fields) == [["名称"], ["甲"]])
    }
}
