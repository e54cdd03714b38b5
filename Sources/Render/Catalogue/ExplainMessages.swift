import Domain

/// The sentences of `explain --seeker` that App's outcome leaves as values.
public enum ExplainMessages {
    public static func exclusion(_ e: SeekerExplanation.Exclusion, _ lang: Language = .current) -> String {
        switch e {
        case .notSeeking(let status):
            lang.pick("求职状态为“\(Labels.seekerStatus(status, lang))”，不在求职中", "the status is \(Labels.seekerStatus(status, lang)), not seeking")
        case .alreadyPlaced(let opening, let date):
            lang.pick("运行日 \(date) 已在岗位 \(opening) 就业（安置记录有效）",
                      "in work in opening \(opening) on the run's date \(date) (an active placement)")
        }
    }

    public static func absence(_ a: SeekerExplanation.Absence, _ lang: Language = .current) -> String {
        switch a {
        case .noRunYet:
            lang.pick("尚无可解释的匹配结果；运行 `jobmatch match` 后再查询。", "no matching result to explain yet; run `jobmatch match`, then ask again.")
        case .notHeld(let region):
            lang.pick("不在本次运行中：E1 不排除此人（求职中、运行日无有效安置），可能是运行之后才登记，或所在镇街不在区域 \(region) 内。",
                      "not in this run: E1 does not exclude the seeker (seeking, no active placement on the run's date); the seeker may have been registered after the run, or the town is outside region \(region).")
        }
    }
}
