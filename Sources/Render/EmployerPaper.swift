import Domain
import Quota

/// The review as a paper an employer can be handed (issue 15): one A4 HTML page
/// with the employer's name and the year, each declared person — name, masked
/// ID, whether they counted and why, in plain Chinese — then the figures with
/// the formula each comes from. The staff's trace (parameter keys, sources,
/// placeholder notes) stays in the worksheet (`QuotaWorksheet`).
public enum EmployerPaper {
    /// Why a row did not count, as an employer reads it.
    public static func plain(_ reason: ReasonCode) -> String {
        switch reason {
        case .invalidCertificate: "证号无效：残疾人证号（或残疾军人证号、身份证号）位数、校验位或出生日期有误，请与证件原件核对"
        case .outsideWorkingAge: "全年不在法定劳动年龄内"
        case .contractTooShort: "劳动合同期限不足1年（非在编人员须签订1年以上劳动合同）"
        case .belowMinimumWage: "月工资低于当地最低工资标准"
        case .noPaidMonths: "当年没有足额缴纳社会保险的月份"
        case .claimedTwice: "同一人已被其他单位申报，不能重复计算"
        }
    }

    /// Whether and how much a row counted, in words.
    public static func counted(_ row: RowVerdict) -> String {
        guard row.qualifies else { return "不计入" }
        var parts = ["计入 \(row.counted.text()) 人"]
        if row.weight == 2 { parts.append(row.isVeteran ? "一至三级残疾军人按 2 人计" : "一、二级残疾按 2 人计") }
        if row.share != Rational(1) { parts.append("按缴费 \(row.monthsPaid) 个月折算") }
        return parts.joined(separator: "，")
    }

    /// The page. `names` maps a certificate number (its 20-character key) to the
    /// registered name; names and numbers are masked unless `unmasked`.
    public static func html(_ r: EmployerReview, names: [String: String], unmasked: Bool = false) -> String {
        func e(_ s: String) -> String {
            var o = ""
            for ch in s {
                switch ch {
                case "&": o += "&amp;"
                case "<": o += "&lt;"
                case ">": o += "&gt;"
                case "\"": o += "&quot;"
                default: o.append(ch)
                }
            }
            return o
        }
        func yuan(_ f: Fen?) -> String { f.map { "\($0.grouped) 元" } ?? "—" }
        var rows = ""
        for (i, row) in r.rows.enumerated() {
            let key = String(row.certificateNo.prefix(20))
            let name = names[key].map { unmasked ? $0 : Masking.name($0) } ?? "（未登记）"
            let number = row.certificateNo.isEmpty ? "（未填）" : (unmasked ? row.certificateNo : row.maskedCertificateNo)
            let why = row.qualifies ? "" : row.reasons.map(plain).joined(separator: "；")
            rows += "<tr><td class=\"num\">\(i + 1)</td><td>\(e(name))</td><td class=\"id\">\(e(number))\(row.isVeteran ? "（残疾军人证）" : "")</td>"
                + "<td class=\"num\">\(row.monthsPaid)</td><td class=\"\(row.qualifies ? "yes" : "no")\">\(e(counted(row)))</td><td>\(e(why))</td></tr>\n"
        }
        if rows.isEmpty { rows = "<tr><td colspan=\"6\">（未申报残疾职工）</td></tr>\n" }
        var steps = ""
        for s in r.trace where s.code != "rows" {
            let inputs = s.inputs.map { "\($0.name) = \($0.value)" }.joined(separator: "，")
            steps += "<tr><td>\(e(s.title))</td><td class=\"formula\">\(e(s.formula))</td><td>\(e(inputs))</td><td class=\"num\"><b>\(e(s.result))</b></td></tr>\n"
        }
        let result: String
        switch r.status {
        case .reviewed:
            result = """
                <table class="result"><tbody>
                <tr><th>在职职工年平均人数</th><td>\(e(r.employees?.text() ?? "—"))</td><th>应安排残疾人数</th><td>\(e(r.required?.text() ?? "—"))</td></tr>
                <tr><th>实际安排残疾人数</th><td>\(e(r.counted?.text() ?? "—"))</td><th>安排比例</th><td>\(e(r.ratio.map { $0.percentText() } ?? "—"))</td></tr>
                <tr><th>残疾人就业保障金（\(r.year + 1)年缴纳）</th><td><b>\(e(yuan(r.levy)))</b></td><th>超比例奖励</th><td><b>\(e(yuan(r.reward)))</b></td></tr>
                </tbody></table>
                """
        default:
            result = "<p><b>\(e(r.status.label))</b>：不计算保障金和奖励。</p>"
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(e(r.employerName)) \(r.year)年度按比例安排残疾人就业审核结果</title>
            <style>
            @page { size: A4; margin: 15mm 12mm; }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "SimSun", "Microsoft YaHei", sans-serif; font-size: 12pt; color: #000; max-width: 180mm; margin: 12mm auto; }
            h1 { font-size: 16pt; text-align: center; margin: 0 0 6mm; }
            h2 { font-size: 13pt; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }
            table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
            th, td { border: 1px solid #444; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
            thead { display: table-header-group; }
            tr { break-inside: avoid; page-break-inside: avoid; }
            th { background: #eee; }
            td.num { text-align: right; white-space: nowrap; }
            td.id { font-family: monospace; white-space: nowrap; }
            td.no { color: #b00; white-space: nowrap; }
            td.yes { white-space: nowrap; }
            td.formula { white-space: nowrap; }
            .meta td, .meta th { border: none; padding: 0.5mm 2mm 0.5mm 0; }
            p.note { font-size: 9.5pt; color: #333; }
            @media print { body { margin: 0; max-width: none; } }
            </style>
            </head>
            <body>
            <h1>按比例安排残疾人就业审核结果（\(r.year)年度）</h1>
            <table class="meta"><tbody>
            <tr><th>用人单位</th><td>\(e(r.employerName))</td></tr>
            <tr><th>统一社会信用代码</th><td>\(e(r.creditCode.value))</td></tr>
            <tr><th>审核年度</th><td>\(r.year)年（残疾人就业保障金于\(r.year + 1)年缴纳）</td></tr>
            </tbody></table>
            <h2>一、申报的残疾职工</h2>
            <table>
            <thead><tr><th>序号</th><th>姓名</th><th>证号</th><th>缴费月数</th><th>是否计入</th><th>不计入的原因</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <h2>二、审核结果</h2>
            \(result)
            <h2>三、计算过程</h2>
            <table>
            <thead><tr><th>项目</th><th>计算方法</th><th>代入数值</th><th>结果</th></tr></thead>
            <tbody>
            \(steps)</tbody>
            </table>
            <p class="note">依据《残疾人就业保障金征收使用管理办法》（财税〔2015〕72号）及本地现行标准计算：应安排人数按在职职工年平均人数乘以规定比例，一、二级残疾（或一至三级残疾军人）按 2 人计，未全年足额缴纳社会保险的按实际缴费月数折算。金额按精确值计算，最后四舍五入到分。证号只显示前 6 位和后 2 位。对结果有疑问，请携带证件原件到残疾人就业服务机构核对。</p>
            </body>
            </html>

            """
    }
}
