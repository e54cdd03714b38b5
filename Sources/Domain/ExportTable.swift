/// A table to export (CONTRACT.md §5): CSV for people — UTF-8 with a BOM, CRLF,
/// RFC 4180 quoting (`CSVWriter`), Chinese headers (Render's) by default — and JSON for
/// systems — English keys, money as integer fen in `*_fen` fields, decimals as
/// strings. Cells hold the database's text; each column's kind says how to
/// show it, and which cells are personal data to mask.
public struct ExportTable: Sendable, Equatable {
    /// How a column's cells are shown.
    public enum Kind: Sendable, Equatable {
        /// Text as stored.
        case text
        /// A resident ID or certificate number: masked unless unmasked.
        case identifier
        /// A person's name: masked unless unmasked.
        case name
        /// A phone number: masked unless unmasked.
        case phone
        /// An integer: a JSON number.
        case integer
        /// Money in integer fen: yuan with two decimals in CSV (`2000.00`),
        /// an integer in JSON under the key `<en>_fen`.
        case fen
        /// An exact decimal: a string in both.
        case decimal
        /// `t`/`true` or `f`/`false`: 是/否 (zh) or true/false (en) in CSV, a JSON boolean.
        case boolean
        /// A code of one of these families: Render's label in CSV with Chinese
        /// headers, the code with English headers and in JSON.
        case coded(Codes)
    }

    /// The families of codes an export shows by label.
    public enum Codes: Sendable, Equatable {
        case openingKind, unmatchedReason, placementSource, reviewStatus
    }

    /// A column: its English name (CSV `--headers en`, JSON key) and kind; Render's
    /// catalogue has the Chinese header of each name.
    public struct Column: Sendable, Equatable {
        public var en: String
        public var kind: Kind
        public init(_ en: String, _ kind: Kind = .text) { self.en = en; self.kind = kind }
        /// The JSON key: `<en>_fen` for money, else `en`.
        public var jsonKey: String { kind == .fen && !en.hasSuffix("_fen") ? en + "_fen" : en }
    }

    /// Header language of CSV.
    public enum Headers: String, Sendable, CaseIterable { case zh, en }

    public var columns: [Column]
    /// Rows of cells, nil for NULL.
    public var rows: [[String?]]

    public init(columns: [Column], rows: [[String?]]) { self.columns = columns; self.rows = rows }
}
