import Domain

/// The summary lines of `match`, `confirm`, `review`, `subsidies` and `status`:
/// what a command did, in one line a person reads.
public enum SummaryMessages {
    // MARK: match

    /// `第 12 次匹配运行：区域 410307，日期 2025-09-01`.
    public static func matchRun(_ runID: Int64?, region: String, day: String, _ lang: Language = .current) -> String {
        if lang == .zh {
            return (runID.map { "第 \($0) 次匹配运行" } ?? "匹配试运行（未保存）") + "：区域 \(region)，日期 \(day)"
        }
        return "run \(runID.map(String.init) ?? "(dry run, not saved)") for region \(region) on \(day)"
    }

    public static func matchObjective(households: Int, priority: Int, placed: Int, score: Int, _ lang: Language = .current) -> String {
        lang.pick("  覆盖零就业家庭 \(households) 户，安置优先人员 \(priority) 人，推荐 \(placed) 条，总匹配分 \(score)",
                  "  zero-employment households reached \(households), priority seekers placed \(priority), proposals \(placed), total score \(score)")
    }

    public static func matchSize(seekers: Int, openings: Int, pairs: Int, _ lang: Language = .current) -> String {
        lang.pick("  求职者 \(seekers) 人，岗位 \(openings) 个，符合条件的组合 \(pairs) 个",
                  "  \(seekers) seekers, \(openings) openings, \(pairs) eligible pairs")
    }

    public static func matchUnmatched(_ count: Int, noOpening: Int, _ lang: Language = .current) -> String {
        lang.pick("  未安排：\(count) 人（\(noOpening) 人没有符合条件的岗位，\(count - noOpening) 人的岗位已由他人取得）；原因见 `jobmatch explain --seeker 证号`",
                  "  unmatched: \(count) (\(noOpening) with no eligible opening, \(count - noOpening) outcompeted); `jobmatch explain --seeker CERT` says why")
    }

    // MARK: confirm

    public static func confirmed(proposal: Int64, run: Int64, seeker: String, opening: String, from start: String, _ lang: Language = .current) -> String {
        lang.pick("已确认推荐 \(proposal)（第 \(run) 次匹配运行）：\(seeker) → \(opening)，自 \(start) 起",
                  "confirmed proposal \(proposal) (run \(run)): \(seeker) → \(opening) from \(start)")
    }

    public static func confirmedBefore(_ n: Int, _ lang: Language = .current) -> String {
        lang.pick("该运行中有 \(n) 条推荐此前已确认，已跳过", "\(n) proposals of the run were confirmed before; skipped")
    }

    public static func nothingToConfirm(_ lang: Language = .current) -> String { lang.pick("没有需要确认的推荐", "nothing to confirm") }

    public static func confirmPartial(confirmed: Int, refused: Int, _ lang: Language = .current) -> String {
        lang.pick("jobmatch confirm：确认 \(confirmed) 条，拒绝 \(refused) 条", "jobmatch confirm: \(confirmed) confirmed, \(refused) refused")
    }

    // MARK: review

    public static func reviewStored(year: Int, employers: Int, _ lang: Language = .current) -> String {
        lang.pick("\(year) 年度按比例就业审核（\(year + 1) 年征收保障金）：\(employers) 家用人单位，已保存为新版本",
                  "quota review \(year) (levy payable \(year + 1)): \(employers) employers, stored as a new version")
    }

    public static func reviewTotals(levy: Fen, reward: Fen, _ lang: Language = .current) -> String {
        lang.pick("合计：保障金 \(levy.grouped)，奖励 \(reward.grouped)", "totals: levy \(levy.grouped), reward \(reward.grouped)")
    }

    /// `3 行不计入（invalid_certificate 2，not_contracted 1）`: rows of a review not counted, by reason code.
    public static func notCounted(_ rows: Int, byReason: [(code: String, rows: Int)], _ lang: Language = .current) -> String {
        let parts = byReason.map { "\($0.code) \($0.rows)" }.joined(separator: lang.pick("，", ", "))
        return lang.pick("\(rows) 行不计入（\(parts)）", "\(rows) rows not counted (\(parts))")
    }

    // MARK: subsidies

    public static func subsidiesDue(year: Int, lines: Int, _ lang: Language = .current) -> String {
        lang.pick("\(year) 年应发补贴：按月 \(lines) 条", "subsidies due in \(year): \(lines) monthly lines")
    }
}

extension SummaryMessages {
    /// Appended to why `review --worksheets` could not write: the review was not stored either.
    public static func noReviewStored(_ lang: Language = .current) -> String {
        lang.pick("；未保存审核结果", "; no review was stored")
    }

}
