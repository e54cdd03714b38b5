// Issue 17, Intake's bounds: size of a field and a record, control characters,
// int4 ranges, decimals bounded before arithmetic, UTF-8 preferred when the
// sample is overwhelmingly UTF-8 (stray bytes named by row and byte), and a
// bounded number of unknown-column warnings.

import Domain
import Foundation
@testable import Intake
import Testing

@Suite struct HolesIntakeTests {
    @Test("a file without a line break is refused once a field passes 64 KiB, fed in chunks")
    func fieldBound() throws {
        var reader = CSVReader(file: "zero.csv")
        let chunk = [UInt8](repeating: 0, count: 1 << 16)
        var fed = 0
        #expect(throws: FileError(file: "zero.csv", .fieldTooLong(row: 1, limit: 64 * 1024))) {
            for _ in 0..<1000 { try reader.feed(chunk) { _ in }; fed += chunk.count }
        }
        #expect(fed <= 1 << 17, "read \(fed) bytes before refusing")
    }

    @Test("a quote never closed is refused at the bound, naming the row it opened on")
    func quoteBound() throws {
        var bytes = Array("a,b\n1,2\n3,\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 70_000)
        #expect(throws: FileError(file: "q.csv", .fieldTooLong(row: 3, limit: 64 * 1024))) {
            _ = try CSVReader.records(in: bytes, file: "q.csv")
        }
    }

    @Test("a record of many short fields is refused past 1 MiB")
    func recordBound() throws {
        let row = String(repeating: "xxxxxxx,", count: 140_000)
        #expect(throws: FileError(file: "r.csv", .recordTooLong(row: 2, limit: 1 << 20))) {
            _ = try CSVReader.records(in: Array("a\n\(row)\n".utf8), file: "r.csv")
        }
    }

    @Test("control characters in a name or a title are row errors naming row and column", arguments: [
        "\u{0}", "\u{1B}[31m", "\t", "\r", "\n", "\u{7F}", "\u{85}",
    ])
    func controlCharacters(_ bad: String) throws {
        let quoted = "\"" + "岗位" + bad + "名称" + "\""
        let r = try run(.openings, csv(["opening_id,kind,category,title,town_code,slots", "P1,general,office,\(quoted),\(town),1"]))
        #expect(r.accepted.isEmpty)
        let e = try #require(r.rejected.first?.errors.first)
        #expect(e.row == 2 && e.column == "title")
        #expect(e.rule.text.contains("control character"))
        #expect(!e.description.contains("\n") && !e.description.contains("\u{1B}") && !e.description.contains("\u{0}"))
    }

    @Test("an integer past int4 is a row error, not a database error", arguments: [
        ("slots", "2147483648"), ("slots", "99999999999"),
    ])
    func int4(_ column: String, _ value: String) throws {
        let r = try run(.openings, csv(["opening_id,kind,category,title,town_code,slots", "P1,general,office,t,\(town),\(value)"]))
        #expect(r.accepted.isEmpty)
        #expect(r.rejected.first?.errors.first?.column == column)
        #expect(try FieldParser.integer("2147483647", in: 1...Int.max) == 2_147_483_647)
    }

    @Test("a decimal with too many digits is refused before any arithmetic", arguments: [
        "123456789012345678901234567890", "99999999999999999999999999999", "1234567890", "1.23456",
    ])
    func decimals(_ text: String) {
        #expect(throws: FieldError.self) { try FieldParser.decimal(text) }
    }

    @Test("a UTF-8 file with one stray byte is read as UTF-8 and the byte is named, never garbled as GB18030")
    func strayByte() throws {
        let body = (0..<200).map { "王芳\($0),岗位\($0)" }.joined(separator: "\n")
        var bytes = Array("a,b\n".utf8) + Array(body.utf8) + Array("\n".utf8)
        let at = bytes.count
        bytes += Array("x,".utf8) + [0xB1] + Array("y\n".utf8)
        #expect(throws: FileError(file: "s.csv", .invalidUTF8(row: 202, byte: at + 3))) {
            _ = try CSVReader.records(in: bytes, file: "s.csv")
        }
        // The stray byte early in the file: the same.
        let early = Array("a,b\n".utf8) + [0xB1] + Array(",1\n".utf8) + Array(body.utf8) + Array("\n".utf8)
        #expect(throws: FileError(file: "s.csv", .invalidUTF8(row: 2, byte: 5))) {
            _ = try CSVReader.records(in: early, file: "s.csv")
        }
    }

    @Test("100,000 unknown columns give a bounded number of warnings")
    func unknownColumns() throws {
        let header = "opening_id,kind,category,title,town_code,slots," + (0..<100_000).map { "x\($0)" }.joined(separator: ",")
        let r = try run(.openings, csv([header, "P1,general,office,t,\(town),1"]))
        #expect(r.header.warnings.count == IntakeHeader.warningLimitDefault + 1)
        #expect(r.header.warnings.last?.message.contains("99980 more") == true)
        #expect(r.accepted.count == 1)
    }

    @Test("the formula guard also catches a leading TAB or CR", arguments: ["\t=1+2", "\r=HYPERLINK(\"x\")", "=1+2", "@SUM(A1)"])
    func formulaGuard(_ cell: String) {
        let line = CSVWriter.line([cell], guardFormulas: true)
        #expect(line.hasPrefix("'") || line.hasPrefix("\"'"), "\(line)")
    }
}
