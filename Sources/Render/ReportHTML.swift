import Domain
import Quota

/// The report page: one self-contained `index.html` — inline CSS, inline SVG
/// charts, no script and no network resource — that a browser opens offline
/// and prints. Pure: data in, HTML out.
public enum ReportHTML {
    static let kindColors: [OpeningKind: String] = [.publicWelfare: "#2e7d32", .quota: "#1565c0", .assisted: "#ef6c00", .general: "#6d4c41"]

    static func count(_ v: Double) -> String { String(Int(v.rounded())) }
    static func yuan(_ fen: Fen) -> String { fen.yuan.fixed(2) }

    /// The page.
    public static func render(_ d: ReportData) -> String {
        let e = SVGChart.escape
        let firstYear = min(d.placements.map(\.year).min() ?? d.year, d.year)
        let years = Array(max(min(firstYear, d.year - 2), d.year - 5)...d.year)
        let kinds = OpeningKind.allCases

        // 1. Placements by year and kind.
        let byYear = SVGChart.verticalBars(
            title: "各年新增安置就业（按岗位类型）", categories: years.map { "\($0)年" },
            series: kinds.map { k in
                SVGChart.Series(name: k.label, color: kindColors[k]!, values: years.map { y in
                    Double(d.placements.filter { $0.year == y && $0.kind == k }.reduce(0) { $0 + $1.count })
                })
            }, stacked: true, format: count)
        // 2. Placements of Y by town and kind.
        let towns = Set(d.placements.filter { $0.year == d.year }.map(\.town)).sorted()
        let byTown = towns.isEmpty ? "<p class=\"empty\">\(d.year)年没有新增安置。</p>" : SVGChart.horizontalBars(
            title: "\(d.year)年新增安置（按镇街、岗位类型）", labels: towns,
            series: kinds.map { k in
                SVGChart.Series(name: k.label, color: kindColors[k]!, values: towns.map { t in
                    Double(d.placements.filter { $0.year == d.year && $0.town == t && $0.kind == k }.reduce(0) { $0 + $1.count })
                })
            }, format: count)
        // 3. Households lifted.
        let lifted = SVGChart.verticalBars(
            title: "零就业家庭实现就业（户）", categories: years.map { "\($0)年" },
            series: [SVGChart.Series(name: "实现就业的零就业家庭", color: "#8e24aa", values: years.map { Double(d.householdsLifted[$0] ?? 0) })],
            stacked: true, format: count)
        // 4. Quota ratios against the required ratio.
        let reviewed = d.employers.filter { $0.ratio != nil }.sorted { ($0.ratio!, $0.creditCode) < ($1.ratio!, $1.creditCode) }
        let ratioPercent = { (r: Rational) in Double(r.decimalString(places: 6))! * 100 }
        let required = ratioPercent(d.quotaRatio)
        let ry = d.reviewYear.map(String.init) ?? "—"
        let ratios = reviewed.isEmpty ? "<p class=\"empty\">\(d.year)年度及以前没有已审核的单位。</p>" : SVGChart.horizontalBars(
            title: "\(ry)年度各单位安排残疾人就业比例（虚线：规定比例 \(d.quotaRatio.percent(places: 1))）",
            labels: reviewed.map(\.name),
            series: [SVGChart.Series(name: "安排比例", color: "#1565c0", values: reviewed.map { ratioPercent($0.ratio!) })],
            format: { String(format: "%.2f%%", $0) },
            reference: (required, "规定比例 \(d.quotaRatio.percent(places: 1))"),
            colors: reviewed.map { $0.ratio! < d.quotaRatio ? "#e57373" : "#43a047" }, cap: required * 4)
        // 5. Levy and reward totals.
        let reviewYears = d.totals.keys.sorted()
        let money = reviewYears.isEmpty ? "<p class=\"empty\">尚无年审结果。</p>" : SVGChart.verticalBars(
            title: "保障金与超比例奖励合计（元）", categories: reviewYears.map { "\($0)年度" },
            series: [
                SVGChart.Series(name: "保障金", color: "#c62828", values: reviewYears.map { Double(d.totals[$0]!.levy.value) / 100 }),
                SVGChart.Series(name: "超比例奖励", color: "#2e7d32", values: reviewYears.map { Double(d.totals[$0]!.reward.value) / 100 }),
            ], stacked: false, format: SVGChart.grouped)

        var rows = ""
        // A year with no reviewed employer has no levy or reward yet: "尚未年审", not 0.00 (issue 15).
        let unreviewed = d.indicators.first { $0.code == "employers_reviewed" }?.value.map { $0 == Rational(0) } ?? false
        for i in d.indicators {
            var value = i.amount.map(yuan) ?? i.value.map { i.unit == "比例" ? $0.percent(places: 2) : $0.decimalString(places: 2) } ?? "—"
            if unreviewed && (i.code == "levy_total" || i.code == "reward_total") { value = "尚未年审" }
            let target = i.target.map { "\($0.value.decimalString(places: 2))（\($0.period.lowerBound)–\($0.period.upperBound)年）" } ?? "—"
            rows += "<tr><td>\(e(i.label))</td><td class=\"num\">\(e(value))</td><td>\(e(i.unit))</td><td class=\"num\">\(e(target))</td><td class=\"note\">\(e(i.note))</td></tr>\n"
        }
        var employerRows = ""
        for r in d.employers.sorted(by: { $0.creditCode < $1.creditCode }) {
            employerRows += "<tr><td>\(e(r.name))</td><td>\(e(r.creditCode))</td><td class=\"num\">\(e(r.ratio.map { $0.percent(places: 3) } ?? "未审核"))</td>"
                + "<td class=\"num\">\(e(r.levy.map(yuan) ?? "—"))</td><td class=\"num\">\(e(r.reward.map(yuan) ?? "—"))</td></tr>\n"
        }

        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(e(d.district ?? "本区")) \(d.year)年残疾人就业工作报告</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 24px auto; max-width: 980px; color: #222; background: #fff; }
            h1 { font-size: 24px; border-bottom: 3px solid #1565c0; padding-bottom: 8px; }
            h2 { font-size: 18px; margin-top: 32px; color: #1565c0; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            figure { margin: 0; padding: 8px; border: 1px solid #ddd; border-radius: 6px; background: #fafafa; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; }
            th { background: #e3f2fd; }
            td.num { text-align: right; white-space: nowrap; }
            td.note { color: #555; font-size: 12px; }
            .empty { color: #777; }
            footer { margin-top: 32px; font-size: 12px; color: #777; }
            @page { size: A4; margin: 15mm 12mm; }
            @media print {
              body { margin: 0; max-width: none; }
              h1, h2 { break-after: avoid; page-break-after: avoid; }
              figure, tr, thead { break-inside: avoid; page-break-inside: avoid; }
              .charts { display: block; }
              figure { margin-bottom: 8px; }
              svg { max-width: 100%; height: auto; }
            }
            </style>
            </head>
            <body>
            <h1>\(e(d.district ?? "本区")) \(d.year)年残疾人就业工作报告</h1>
            <p>数据来自 jobmatch（就业服务机构的登记、匹配与按比例就业年审记录）；不含任何个人身份信息。</p>
            <h2>一、主要指标（“十四五”规划 专栏1）</h2>
            <table>
            <thead><tr><th>指标</th><th>数值</th><th>单位</th><th>规划目标</th><th>口径</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <h2>二、安置就业</h2>
            <div class="charts">
            <figure id="placements-by-year">\(byYear)</figure>
            <figure id="placements-by-town">\(byTown)</figure>
            </div>
            <h2>三、零就业家庭</h2>
            <div class="charts"><figure id="households-lifted">\(lifted)</figure></div>
            <h2>四、按比例安排残疾人就业（\(ry)年度年审）</h2>
            <div class="charts">
            <figure id="quota-ratios">\(ratios)</figure>
            <figure id="levy-reward">\(money)</figure>
            </div>
            <table>
            <thead><tr><th>单位</th><th>统一社会信用代码</th><th>安排比例</th><th>保障金（元）</th><th>超比例奖励（元）</th></tr></thead>
            <tbody>
            \(employerRows)</tbody>
            </table>
            <footer>由 jobmatch report --year \(d.year) 生成。图表为内嵌 SVG，无需联网。</footer>
            </body>
            </html>

            """
    }
}
