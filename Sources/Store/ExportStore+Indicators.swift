import Domain
import Quota

extension ExportTable {
    /// `export indicators`: one row per indicator, beside its target. Counts
    /// and ratios are decimal strings in `value`; money is `amount` (yuan in
    /// CSV, `amount_fen` in JSON).
    public static func indicators(_ list: [PlanIndicators.Indicator], year: Int) -> ExportTable {
        ExportTable(columns: [
            .init("year", "年度", .integer), .init("code", "指标代码"), .init("indicator", "指标"), .init("unit", "单位"),
            .init("value", "数值", .decimal), .init("amount", "金额（元）", .fen), .init("target", "目标", .decimal),
            .init("target_period", "目标期"), .init("target_source", "目标来源"), .init("note", "口径说明"),
        ], rows: list.map { i in
            [String(year), i.code, i.label, i.unit, i.value?.decimalString(places: 6), i.amount.map { String($0.value) },
             i.target?.value.decimalString(places: 6), i.target.map { "\($0.period.lowerBound)–\($0.period.upperBound)" },
             i.target?.source, i.note]
        })
    }
}
