import Domain
import Sheets

extension ExportTable {
    /// The table as a one-sheet .xlsx workbook (issue 15): identity numbers, credit codes and
    /// phone numbers as text cells, `*_date` columns as date cells, money as numbers with a
    /// 元 format, integers and decimals as numbers, everything else as the CSV shows it.
    /// Masking is the CSV's.
    public func xlsx(sheetName: String, headers: Headers, unmasked: Bool) -> [UInt8] {
        let kinds: [SheetWriter.CellKind] = columns.map { c in
            switch c.kind {
            case .identifier, .phone: return .text(identity: true)
            case .integer, .decimal: return .number
            case .fen: return .money
            case .text where c.en.hasSuffix("_date"): return .date
            case .text where c.en == "credit_code" || c.en.hasSuffix("_credit_code"): return .text(identity: true)
            default: return .text(identity: false)
            }
        }
        var w = SheetWriter(sheetName: sheetName, columns: zip(columns, kinds).map { .init(ExportHeaders.header($0, headers), $1) })
        for row in rows {
            w.append(zip(row, columns).map { value, c in value.map { Self.csvCell($0, c.kind, headers: headers, unmasked: unmasked) } })
        }
        return w.xlsx()
    }
}
