import Domain
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
        case .coded(let labels): return headers == .zh ? labels[value] ?? value : value
        }
    }

    /// The CSV file's bytes: BOM, header row, one row per record, CRLF.
    public func csv(headers: Headers, unmasked: Bool) -> [UInt8] {
        var text = CSVWriter.line(columns.map { headers == .zh ? $0.zh : $0.en })
        for row in rows {
            text += CSVWriter.line(zip(row, columns).map { Self.csvCell($0, $1.kind, headers: headers, unmasked: unmasked) },
                                   guardFormulas: true)
        }
        return CSVWriter.bom + Array(text.utf8)
    }

    /// A JSON value of one cell: integers and fen as numbers, booleans, masked text.
    static func jsonCell(_ value: String?, _ kind: Kind, unmasked: Bool) -> JSONValue {
        guard let value else { return .null }
        switch kind {
        case .integer, .fen: return Int64(value).map(JSONValue.integer) ?? .string(value)
        case .boolean: return .bool(["t", "true"].contains(value.lowercased()))
        default: return .string(csvCell(value, kind, headers: .en, unmasked: unmasked))
        }
    }

    /// The JSON text: an array of objects with English keys, sorted.
    public func json(unmasked: Bool) -> String {
        JSONValue.array(rows.map { row in
            .object(zip(row, columns).map { JSONValue.Member($1.jsonKey, Self.jsonCell($0, $1.kind, unmasked: unmasked)) })
        }).pretty + "\n"
    }
}
