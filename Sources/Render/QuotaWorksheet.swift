import Domain
import Quota

/// The worksheet (年审工作底稿) for people: one employer's review in Chinese
/// Markdown — the declared inputs, each roster row with its verdict and
/// reasons, each calculation step with its formula, inputs and result, the
/// figures, and every parameter with its source and status. Every figure that
/// rests on a placeholder parameter carries the mark `⚠占位` (POLICY.md: "a
/// figure that rests on a placeholder says so"). Identity numbers are masked
/// (CONTRACT.md §5) unless `unmasked` is true.
public enum QuotaWorksheet {
    /// The mark on a figure resting on a placeholder.
    public static let placeholderMark = "⚠占位"

    /// Renders the worksheet.
    public static func render(_ r: EmployerReview, unmasked: Bool = false) -> String {
        var out: [String] = []
        func mark(_ f: ReviewFigure) -> String { r.restsOnPlaceholder(f) ? " " + placeholderMark : "" }
        func yuan(_ f: Fen?) -> String { f.map { "\($0.grouped) 元" } ?? "—" }
        func dec(_ x: Rational?) -> String { x?.text() ?? "—" }

        out.append("# 按比例安排残疾人就业年审工作底稿（\(r.year)年度）")
        out.append("")
        out.append("- 单位：\(r.employerName)（统一社会信用代码 \(r.creditCode.value)）")
        out.append("- 单位性质：\(r.employerType.label)")
        out.append("- 审核状态：\(r.status.label)")
        out.append("- 审核年度：\(r.year)年；残疾人就业保障金缴纳年度：\(r.year + 1)年")
        out.append("")
        out.append("## 一、申报数据")
        out.append("")
        out.append("- 在职职工年平均人数 N：\(dec(r.employees))")
        out.append("- 职工工资总额：\(yuan(r.totalWages))")
        out.append("- 申报残疾职工：\(r.rows.count) 行")
        out.append("")
        out.append("## 二、残疾职工逐人认定")
        out.append("")
        if r.rows.isEmpty {
            out.append("（未申报残疾职工）")
        } else {
            out.append("| 序号 | 证号 | 缴费月数 | 权重 w | 折算 f | 计入 w×f | 认定 | 原因 |")
            out.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
            for (i, row) in r.rows.enumerated() {
                let number = row.certificateNo.isEmpty ? "（未填）" : (unmasked ? row.certificateNo : row.maskedCertificateNo)
                let kind = row.isVeteran ? "（残疾军人证）" : ""
                let reasons = row.reasons.map { "\($0.label)（\($0.rawValue)）" }.joined(separator: "；")
                out.append("| \(i + 1) | \(number)\(kind) | \(row.monthsPaid) | \(row.weight) | \(row.share.text()) | \(row.counted.text()) | \(row.qualifies ? "符合" : "不符合") | \(reasons) |")
            }
        }
        out.append("")
        out.append("## 三、计算过程")
        out.append("")
        for (i, s) in r.trace.enumerated() {
            let flag = s.restsOnPlaceholder ? " " + placeholderMark : ""
            out.append("\(i + 1). **\(s.title)**（\(s.code)）：\(s.formula)")
            if !s.inputs.isEmpty {
                out.append("   - 代入：" + s.inputs.map { "\($0.name) = \($0.value)" }.joined(separator: "，"))
            }
            out.append("   - 结果：**\(s.result)**\(flag)")
            for p in s.parameters {
                out.append("   - 依据：`\(p.key)` = \(p.value)（\(p.jurisdiction)，\(p.validFrom)起\(p.validTo.map { "至\($0)" } ?? "")，\(p.status.label)\(p.isPlaceholder ? " " + placeholderMark : "")）")
            }
        }
        out.append("")
        out.append("## 四、结果")
        out.append("")
        if r.status == .reviewed {
            out.append("| 项目 | 数值 |")
            out.append("| --- | --- |")
            out.append("| 应安排残疾人数 R | \(dec(r.required))\(mark(.required)) |")
            out.append("| 实际安排残疾人数 D | \(dec(r.counted))\(mark(.counted)) |")
            out.append("| 差额人数 S | \(dec(r.shortfall))\(mark(.shortfall)) |")
            out.append("| 超比例人数 E | \(dec(r.excess))\(mark(.excess)) |")
            out.append("| 安排比例 ρ | \(r.ratio.map { $0.percentText() } ?? "—")\(mark(.ratio)) |")
            out.append("| 小微企业暂免 | \(r.exempt == true ? "是" : "否")\(mark(.exempt)) |")
            out.append("| 残疾人就业保障金（\(r.year + 1)年缴纳） | \(yuan(r.levy))\(mark(.levy)) |")
            out.append("| 超比例奖励 | \(yuan(r.reward))\(mark(.reward)) |")
        } else {
            out.append("\(r.status.label)：不计算保障金和奖励。")
        }
        out.append("")
        out.append("## 五、所用政策参数")
        out.append("")
        out.append("| 参数 | 值 | 地区 | 生效日期 | 失效日期 | 状态 | 依据 |")
        out.append("| --- | --- | --- | --- | --- | --- | --- |")
        for p in r.parametersUsed {
            let status = p.status.label + (p.isPlaceholder ? " " + placeholderMark : "")
            out.append("| `\(p.key)` | \(p.value) | \(p.jurisdiction) | \(p.validFrom) | \(p.validTo?.description ?? "") | \(status) | \(p.source.replacingPipes) |")
        }
        out.append("")
        out.append("说明：金额按精确值计算，最后一次四舍五入到分；人数和比例不取整。标有“\(placeholderMark)”的数字依赖占位参数（未找到正式依据的暂用值），中心核实后可能变化。")
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// `|` would break a Markdown table cell.
    var replacingPipes: String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "／") }
}
