import Domain
import Foundation
import Intake

/// Rendering of an `ExportTable` (Domain): CSV for people, JSON for systems.
extension ExportTable {
    /// One cell as CSV text.
    static func csvCell(_ value: String?, _ kind: Kind, headers: Headers, unmasked: Bool) -> String {
        guard let value else { return "" }
        switch kind {
        case .text, .integer, .decimal: return value
        case .identifier: return unmasked ? value : Masking.identifier(value)
        case .name: return unmasked ? value : Masking.name(value)
        case .phone: return unmasked ? value : Masking.phone(value)
        case .fen: return Int64(value).map { Fen($0).yuan.fixed(2) } ?? value
        case .boolean:
            let b = ["t", "true"].contains(value.lowercased())
            return headers == .zh ? (b ? "是" : "否") : (b ? "true" : "false")
        case .coded(let family): return ExportHeaders.label(value, family, headers)
        }
    }

    /// The CSV file's bytes: BOM, header row, one row per record, CRLF.
    public func csv(headers: Headers, unmasked: Bool) -> [UInt8] {
        var text = CSVWriter.line(columns.map { ExportHeaders.header($0, headers) })
        for row in rows {
            text += CSVWriter.line(zip(row, columns).map { Self.csvCell($0, $1.kind, headers: headers, unmasked: unmasked) },
                                   guardFormulas: true)
        }
        return CSVWriter.bom + Array(text.utf8)
    }

    /// A JSON value of one cell.
    enum JSONCell: Encodable, Equatable {
        case string(String), integer(Int64), bool(Bool), null
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .string(let s): try c.encode(s)
            case .integer(let i): try c.encode(i)
            case .bool(let b): try c.encode(b)
            case .null: try c.encodeNil()
            }
        }
    }

    static func jsonCell(_ value: String?, _ kind: Kind, unmasked: Bool) -> JSONCell {
        guard let value else { return .null }
        switch kind {
        case .integer, .fen: return Int64(value).map(JSONCell.integer) ?? .string(value)
        case .boolean: return .bool(["t", "true"].contains(value.lowercased()))
        default: return .string(csvCell(value, kind, headers: .en, unmasked: unmasked))
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct JSONRow: Encodable {
        let fields: [(String, JSONCell)]
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in fields { try c.encode(v, forKey: Key(stringValue: k)) }
        }
    }

    /// The JSON text: an array of objects with English keys, sorted.
    public func json(unmasked: Bool) throws -> String {
        let objects = rows.map { row in
            JSONRow(fields: zip(row, columns).map { ($1.jsonKey, Self.jsonCell($0, $1.kind, unmasked: unmasked)) })
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try e.encode(objects), as: UTF8.self) + "\n"
    }
}
