import Domain
import Quota

extension ExportTable {
    /// `export indicators`: one row per indicator, beside its target. Counts
    /// and ratios are decimal strings in `value`; money is `amount` (yuan in
    /// CSV, `amount_fen` in JSON).
    public static func indicators(_ list: [PlanIndicators.Indicator], year: Int) -> ExportTable {
        ExportTable(columns: [
            .init("year", .integer), .init("code"), .init("indicator"), .init("unit"),
            .init("value", .decimal), .init("amount", .fen), .init("target", .decimal),
            .init("target_period"), .init("target_source"), .init("note"),
        ], rows: list.map { i in
            [String(year), i.code, i.label, i.unit, i.value?.decimalString(places: 6), i.amount.map { String($0.value) },
             i.target?.value.decimalString(places: 6), i.target.map { "\($0.period.lowerBound)–\($0.period.upperBound)" },
             i.target?.source, i.note]
        })
    }
}
