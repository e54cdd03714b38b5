import Domain
import Foundation
import Quota

/// The 审核确认书 (confirmation of the yearly quota review) as one printable
/// A4 HTML page: Chinese, print CSS, no outside resource (fonts, scripts,
/// images), so it prints the same on an office intranet and through
/// `chromium --headless --print-to-pdf`.
///
/// Every figure comes from the stored review the approval froze
/// (`review.result`), never from a new computation. Each figure's cell also
/// carries it in `data-figure`/`data-value` as `review --json` writes it, so
/// a test (and anyone) can check the letter against the review.
public enum ConfirmationLetter {
    /// The figures of a stored review's JSON, as `review --json` writes them.
    public struct Figures: Sendable, Equatable {
        public var status: String
        public var employees: String?
        public var required: String?
        public var counted: String?
        public var ratio: String?
        public var exempt: Bool?
        public var levyFen: Int64?
        public var rewardFen: Int64?

        /// Reads a review's JSON object (`review.result` or one element of `review --json`).
        public init(reviewJSON: String) throws {
            guard let o = try JSONSerialization.jsonObject(with: Data(reviewJSON.utf8)) as? [String: Any] else {
                throw CocoaError(.coderReadCorrupt)
            }
            status = o["status"] as? String ?? ""
            employees = o["employees"] as? String
            required = o["required"] as? String
            counted = o["counted"] as? String
            ratio = o["ratio"] as? String
            exempt = o["exempt"] as? Bool
            levyFen = (o["levy_fen"] as? NSNumber)?.int64Value
            rewardFen = (o["reward_fen"] as? NSNumber)?.int64Value
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func trimmed(_ decimal: String?) -> String {
        guard var s = decimal else { return "—" }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func yuan(_ fen: Int64?) -> String {
        guard let fen else { return "—" }
        return Fen(fen).grouped + " 元"
    }

    static func percent(_ decimal: String?) -> String {
        guard let d = decimal, let r = Rational(decimal: d) else { return "—" }
        return r.percent(places: 3)
    }

    /// `2025-03-02` as `2025年3月2日`.
    static func chineseDate(_ iso: String) -> String {
        guard let d = CivilDate(iso: iso) else { return escape(iso) }
        return "\(d.year)年\(d.month)月\(d.day)日"
    }

    /// The page for `letter`, issued by `center`.
    public static func html(_ letter: CertificationLetter, center: String) throws -> String {
        let f = try Figures(reviewJSON: letter.reviewJSON)
        func cell(_ key: String, _ raw: String?, _ shown: String) -> String {
            "<td data-figure=\"\(key)\" data-value=\"\(escape(raw ?? "null"))\">\(escape(shown))</td>"
        }
        let outcome: String
        if let levy = f.levyFen, levy > 0 {
            outcome = "应缴纳残疾人就业保障金 \(yuan(levy))"
        } else if let reward = f.rewardFen, reward > 0 {
            outcome = "超比例安排残疾人就业，可申请奖励 \(yuan(reward))"
        } else if f.exempt == true {
            outcome = "符合暂免征收条件，本年度不缴纳残疾人就业保障金"
        } else {
            outcome = "已达到规定比例，本年度无需缴纳残疾人就业保障金"
        }
        let worksheetRef = "审核工作底稿 \(letter.creditCode)-\(letter.year)（审核记录第 \(letter.reviewID) 号，第 \(letter.reviewVersion) 版）"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>按比例安排残疾人就业审核确认书 \(escape(letter.letterNo))</title>
            <style>
            @page { size: A4; margin: 18mm 20mm; }
            html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; color: #000; }
            body { margin: 0 auto; max-width: 170mm; font-size: 12pt; line-height: 1.5; }
            h1 { font-size: 19pt; text-align: center; letter-spacing: 0.2em; margin: 0 0 3mm; }
            .no { text-align: right; font-size: 11pt; margin-bottom: 4mm; }
            table { width: 100%; border-collapse: collapse; margin: 4mm 0; }
            th, td { border: 1px solid #000; padding: 1.3mm 3mm; text-align: left; vertical-align: top; }
            th { width: 38%; font-weight: normal; background: #f2f2f2; }
            .outcome { font-weight: bold; }
            .sign { margin-top: 10mm; text-align: right; } .sign p { margin: 1mm 0; }
            .verify { page-break-inside: avoid; margin-top: 8mm; font-size: 9.5pt; border-top: 1px solid #000; padding-top: 2mm; }
            .reopened { border: 2px solid #000; padding: 2mm; text-align: center; font-weight: bold; }
            @media print { th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
            </style>
            </head>
            <body>
            <h1>按比例安排残疾人就业<br>审核确认书</h1>
            <p class="no">编号：<span data-figure="letter_no">\(escape(letter.letterNo))</span></p>
            \(letter.current ? "" : "<p class=\"reopened\">本确认书所依据的申报已重新打开，以新出具的确认书为准</p>")
            <p>\(escape(letter.employerName))：</p>
            <p>　　经审核，你单位 \(letter.year) 年度按比例安排残疾人就业情况如下：</p>
            <table>
            <tr><th>用人单位名称</th><td>\(escape(letter.employerName))</td></tr>
            <tr><th>统一社会信用代码</th><td data-figure="credit_code">\(escape(letter.creditCode))</td></tr>
            <tr><th>审核年度</th><td data-figure="year">\(letter.year)</td></tr>
            <tr><th>上年在职职工人数</th>\(cell("employees", f.employees, trimmed(f.employees)))</tr>
            <tr><th>应安排残疾人就业人数</th>\(cell("required", f.required, trimmed(f.required)))</tr>
            <tr><th>经审核计入安排残疾人就业人数</th>\(cell("counted", f.counted, trimmed(f.counted)))</tr>
            <tr><th>安排比例</th>\(cell("ratio", f.ratio, percent(f.ratio)))</tr>
            <tr><th>残疾人就业保障金</th>\(cell("levy_fen", f.levyFen.map(String.init), yuan(f.levyFen)))</tr>
            <tr><th>超比例奖励</th>\(cell("reward_fen", f.rewardFen.map(String.init), yuan(f.rewardFen)))</tr>
            <tr><th>审核结论</th><td class="outcome">\(escape(outcome))</td></tr>
            <tr><th>计算依据</th><td>\(escape(worksheetRef))</td></tr>
            </table>
            <p>　　本确认书供你单位向主管税务机关申报缴纳残疾人就业保障金时使用。</p>
            <div class="sign">
            <p>\(escape(center))（盖章）</p>
            <p>\(chineseDate(letter.approvedAt))</p>
            </div>
            <p class="verify">核验码：<strong data-figure="verification_code">\(escape(letter.verificationCode))</strong>　
            核验方法：以编号、统一社会信用代码、年度和保障金、奖励金额（分）计算 SHA-256 的前 12 位，与中心存档的审核记录核对。</p>
            </body>
            </html>

            """
    }
}
