import Domain
import Quota

/// The lines of `review` (one per employer) and `subsidies` (per placement, per
/// beneficiary, and what needs staff's attention).
public enum ReviewMessages {
    /// `  9141… 某公司：N 120.00 D 1.00 ρ 0.833% 保障金 12,345.00；2 行不计入（…）`.
    public static func employerLine(_ r: EmployerReview, year: Int, _ lang: Language = .current) -> String {
        let figure: String
        switch r.status {
        case .reviewed:
            let levy = r.levy.flatMap { $0.value > 0 ? lang.pick("保障金 \($0.grouped)", "levy \($0.grouped)") : nil }
            let reward = r.reward.flatMap { $0.value > 0 ? lang.pick("奖励 \($0.grouped)", "reward \($0.grouped)") : nil }
            let otherwise = (r.exempt ?? false) ? lang.pick("免征（小微企业）", "exempt (small enterprise)") : lang.pick("无需缴纳保障金", "no levy")
            figure = "N \(r.employees?.decimalString(places: 2) ?? "-") D \(r.counted?.decimalString(places: 2) ?? "-") ρ \(r.ratio?.percent(places: 3) ?? "-") "
                + (levy ?? reward ?? otherwise)
                + (r.placeholderFigures.isEmpty ? "" : "  " + placeholder(lang))
        case .missingEmployerYear: figure = lang.pick("未导入 \(year) 年度的在职职工人数和工资总额", "no employer-year loaded for \(year)")
        case .noStaff: figure = lang.pick("在职职工为0（N = 0）", "no staff (N = 0)")
        }
        let rows = SummaryMessages.notCounted(r.rows, lang).map { lang.pick("；", "; ") + $0 } ?? ""
        return "  \(r.creditCode.value) \(r.employerName)\(lang.pick("：", ": "))\(figure)\(rows)"
    }

    /// `⚠ 依据占位参数`: a figure rests on a placeholder parameter.
    public static func placeholder(_ lang: Language = .current) -> String {
        lang.pick("⚠ 依据占位参数", "⚠ rests on a placeholder")
    }

    /// The review's totals and the rows of every employer not counted.
    public static func totals(_ reviews: [EmployerReview], _ lang: Language = .current) -> String {
        let totals = ReviewTotals(reviews)
        return SummaryMessages.reviewTotals(levy: totals.levy, reward: totals.reward, lang)
            + (SummaryMessages.notCounted(reviews.flatMap(\.rows), lang).map { lang.pick("；", "; ") + $0 } ?? "")
    }

    // MARK: subsidies

    public static func beneficiary(_ kind: SubsidyBeneficiaryKind, _ who: String, _ lang: Language = .current) -> String {
        switch kind {
        case .person: lang.pick("个人", "the person")
        case .postProvider: lang.pick("岗位开发单位 \(who)", "post provider \(who)")
        case .employer: lang.pick("用人单位 \(who)", "employer \(who)")
        }
    }

    /// One placement and programme: who receives it and the subtotal.
    public static func placement(person: String, opening: String, start: CivilDate, programme: String, beneficiary: String,
                                 subtotal: Fen, placeholder rests: Bool, _ lang: Language = .current) -> String {
        lang.pick("  \(person) \(opening) 自 \(start) · \(programme) → \(beneficiary)：\(subtotal.grouped) 元",
                  "  \(person) \(opening) from \(start) · \(programme) → \(beneficiary): \(subtotal.grouped) yuan")
            + (rests ? "  " + placeholder(lang) : "")
    }

    /// `    2025-01 1,000.00 · 2025-02 1,000.00`: the months of a placement.
    public static func months(_ amounts: [(month: Int, amount: Fen)], year: Int) -> String {
        "    " + amounts.map { "\(year)-\($0.month < 10 ? "0" : "")\($0.month) \($0.amount.grouped)" }.joined(separator: " · ")
    }

    public static func totalsHeader(_ lang: Language = .current) -> String { lang.pick("按领取人合计：", "totals per beneficiary:") }

    public static func total(kind: SubsidyBeneficiaryKind, who: String, amount: Fen, months: Int, placeholder rests: Bool,
                             _ lang: Language = .current) -> String {
        let whom = kind == .person ? who : beneficiary(kind, who, lang)
        let rest = rests ? "  " + placeholder(lang) : ""
        return kind == .person
            ? lang.pick("  个人 \(whom)：\(months) 个月共 \(amount.grouped) 元", "  person \(whom): \(amount.grouped) yuan over \(months) months") + rest
            : lang.pick("  \(whom)：\(months) 个月共 \(amount.grouped) 元", "  \(whom): \(amount.grouped) yuan over \(months) months") + rest
    }

    public static func grandTotal(_ amount: Fen, _ lang: Language = .current) -> String {
        lang.pick("合计：\(amount.grouped) 元", "total: \(amount.grouped) yuan")
    }

    public static func attentionHeader(_ count: Int, _ lang: Language = .current) -> String {
        lang.pick("需要工作人员处理（未发放）：\(count)", "needs staff attention (not paid): \(count)")
    }

    public static func attention(person: String, opening: String, start: CivilDate, programme: String, months: [Int],
                                 reason: SubsidyAttention.Reason, _ lang: Language = .current) -> String {
        let list = months.map(String.init).joined(separator: ",")
        return lang.pick("  \(person) \(opening) 自 \(start) · \(programme)，月份 \(list)：\(attentionReason(reason, lang))",
                         "  \(person) \(opening) from \(start) · \(programme), months \(list): \(attentionReason(reason, lang))")
    }

    public static func attentionReason(_ r: SubsidyAttention.Reason, _ lang: Language = .current) -> String {
        switch r {
        case .noEmployer:
            lang.pick(r.label, "the opening has no employer, so nobody can receive the employer's subsidy; add the opening's employer (credit code) and compute again")
        }
    }
}

extension SummaryMessages {
    /// Roster rows that did not count, by reason (issue 15): `3 行不计入（invalid_certificate 2，below_minimum_wage 1）`;
    /// nil when every row counted. A row with two reasons is counted under each.
    public static func notCounted(_ rows: [RowVerdict], _ lang: Language = .current) -> String? {
        let refused = rows.filter { !$0.qualifies }
        guard !refused.isEmpty else { return nil }
        var byReason: [ReasonCode: Int] = [:]
        for r in refused { for reason in r.reasons { byReason[reason, default: 0] += 1 } }
        return notCounted(refused.count, byReason: byReason.keys.sorted().map { ($0.rawValue, byReason[$0]!) }, lang)
    }
}
