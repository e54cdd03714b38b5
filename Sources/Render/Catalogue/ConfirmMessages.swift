import Domain
import Matching

/// Why a proposal was not confirmed, for the command line and the front desk's
/// 409 (which passes the request's language).
public enum ConfirmMessages {
    public static func reason(_ r: ConfirmRefusalReason, _ lang: Language = .current) -> String {
        switch r {
        case .noSuchProposal:
            return lang.pick("没有这条推荐", "no such proposal")
        case .alreadyConfirmed(let at):
            return lang.pick("已于 \(at) 确认", "already confirmed (\(at))")
        case .superseded(let run, let later, let region):
            return lang.pick("第 \(run) 次匹配运行已被区域 \(region) 的第 \(later) 次运行取代；请从最新一次运行确认",
                             "run \(run) is superseded by run \(later) of region \(region); confirm from the latest run")
        case .goneFromRegion(let seeker, let opening, let region):
            return lang.pick("求职者 \(seeker) 或岗位 \(opening) 已不在区域 \(region)",
                             "seeker \(seeker) or opening \(opening) is no longer in region \(region)")
        case .placedByAnotherProposal(let seeker):
            return lang.pick("求职者 \(seeker) 已由本次命令的另一条推荐安置", "seeker \(seeker) is placed by another proposal of this command")
        case .noLongerEligible(let seeker, let opening, let day, let why):
            return lang.pick("求职者 \(seeker) 在 \(day) 已不符合岗位 \(opening) 的条件：\(why.rule) \(MatchMessages.rule(why.rule, lang))（\(why.code)）— \(MatchMessages.exclusion(why, lang))",
                             "seeker \(seeker) is no longer eligible for \(opening) on \(day): \(why.rule) \(MatchMessages.rule(why.rule, lang)) (\(why.code)) — \(MatchMessages.exclusion(why, lang))")
        case .noSlotLeft(let opening, let day, let slots):
            return lang.pick("岗位 \(opening) 在 \(day) 已无空缺：\(slots) 个名额均已由在岗安置占用",
                             "no slot left in \(opening) on \(day): its \(slots) slots are taken by active placements")
        case .regionGone:
            return lang.pick("匹配运行所在区域的数据已不存在", "the run's region and its data are gone")
        }
    }

    /// `推荐 12：已于 … 确认` / `proposal 12: already confirmed (…)`.
    public static func refusal(proposal: Int64, _ r: ConfirmRefusalReason, _ lang: Language = .current) -> String {
        lang.pick("推荐 \(proposal)：\(reason(r, lang))", "proposal \(proposal): \(reason(r, lang))")
    }

    /// Every refusal of a command, one a line.
    public static func refusals(_ all: [(proposal: Int64, reason: ConfirmRefusalReason)], _ lang: Language = .current) -> String {
        all.map { refusal(proposal: $0.proposal, $0.reason, lang) }.joined(separator: "\n")
    }

    public static func nothingConfirmed(_ lang: Language = .current) -> String {
        lang.pick("未确认任何推荐（全部成功或全部不做；--partial 只确认符合条件的推荐）",
                  "nothing confirmed (all-or-nothing; --partial confirms what passes)")
    }
}

/// The words of matching's rules: the eligibility rules and why a pair is excluded.
public enum MatchMessages {
    public static func rule(_ r: EligibilityRule, _ lang: Language = .current) -> String {
        guard lang == .en else { return r.chinese }
        switch r {
        case .e1: return "seeking status"
        case .e2: return "age"
        case .e3: return "reach"
        case .e4: return "demands and disability"
        case .e5: return "work capacity"
        case .e6: return "certificates and skills"
        case .e7: return "intentions"
        case .e8: return "opening open with slots"
        }
    }

    public static func exclusion(_ r: ExclusionReason, _ lang: Language = .current) -> String {
        guard lang == .en else { return r.chinese }
        switch r {
        case .notSeeking(let s): return "status is \(Labels.seekerStatus(s, .en)), not seeking"
        case .alreadyPlaced(let o): return "already in work in opening \(o) on the run's date"
        case .tooYoung(let age, let min): return "aged \(age), below the minimum \(min)"
        case .tooOld(let age, let max): return "aged \(age), above the maximum \(max)"
        case .outOfReach(let r): return "the opening recruits from \(r.code) only; the seeker's town is outside it"
        case .demandFailed(let d): return "the opening demands \(d.code), which the seeker's disability category and grade do not meet"
        case .openingNeedsAssistedCapacity(let c):
            return "an assisted opening takes only assisted or partial capacity; the seeker's capacity is \(c.code)"
        case .capacityNeedsAssistedOpening(let k): return "assisted capacity takes only assisted openings; this opening is \(k.code)"
        case .tooManyHours(let h, let max): return "partial capacity allows at most \(max) hours a week; the opening has \(h)"
        case .missingCertificates(let c): return "lacks the required certificates: \(c.joined(separator: ", "))"
        case .missingSkills(let s): return "lacks the required skills: \(s.joined(separator: ", "))"
        case .notInIntentions(let c): return "the category \(c) is not among the seeker's intentions"
        case .notOpenYet(let d): return "the opening opens on \(d)"
        case .closed(let d): return "the opening closed on \(d)"
        case .noSlotsLeft(let n): return "all \(n) slots of the opening are taken"
        }
    }
}
