import Domain
import Quota

/// The names of enumerated values as people read them: Domain's and Quota's
/// Chinese `label` in zh, plain English words in en.
public enum Labels {
    public static func state(_ s: DeclarationState?, _ lang: Language = .current) -> String {
        guard let s else { return lang.pick("未开启", "not opened") }
        return lang.pick(s.label, { switch s { case .draft: "draft"; case .submitted: "submitted"; case .returned: "returned"; case .approved: "approved" } }())
    }

    public static func reviewStatus(_ s: ReviewStatus, _ lang: Language = .current) -> String {
        lang.pick(s.label, { switch s { case .reviewed: "reviewed"; case .missingEmployerYear: "the year's staff figures are missing"; case .noStaff: "no staff" } }())
    }

    public static func outcome(_ o: FollowUpOutcome, _ lang: Language = .current) -> String {
        lang.pick(o.label, { switch o { case .inWork: "in work"; case .left: "left the job"; case .unreachable: "unreachable" } }())
    }

    public static func kind(_ k: OpeningKind, _ lang: Language = .current) -> String {
        lang.pick(k.label, { switch k { case .publicWelfare: "public welfare post"; case .quota: "quota employment"; case .assisted: "assisted employment"; case .general: "other" } }())
    }

    /// A kind as the database spells it (code or label); unknown text as it is.
    public static func kind(code: String, _ lang: Language = .current) -> String {
        OpeningKind(codeOrLabel: code).map { kind($0, lang) } ?? code
    }

    public static func endReason(_ r: PlacementEndReason, _ lang: Language = .current) -> String {
        switch r {
        case .left: lang.pick("离职", "left")
        case .dismissed: lang.pick("辞退", "dismissed")
        case .contractEnded: lang.pick("合同到期", "contract ended")
        case .retired: lang.pick("退休", "retired")
        case .died: lang.pick("死亡", "died")
        case .other: lang.pick("其他", "other")
        }
    }

    public static func seekerStatus(_ s: SeekerStatus, _ lang: Language = .current) -> String {
        lang.pick(s.label, { switch s { case .seeking: "seeking"; case .employed: "employed"; case .inactive: "inactive" } }())
    }
}
