import Domain

/// What `category add`, `placement end` and `duplicates` say to a person.
public enum RecordMessages {
    public static func badCategoryCode(_ code: String, _ lang: Language = .current) -> String {
        lang.pick("类别代码 \(code)：应为小写字母开头，由小写字母、数字和 _ 组成，至多 50 个字符",
                  "category code \(code): expected a lower-case letter, then lower-case letters, digits and _, at most 50 characters")
    }
    public static func badName(_ name: String, _ lang: Language = .current) -> String {
        lang.pick("类别名称 \(name)：不能为空，至多 50 个字符", "category name \(name): must not be empty, at most 50 characters")
    }
    public static func badDemand(_ d: String, _ lang: Language = .current) -> String {
        lang.pick("--demands \(d)：应为 vision、hearing、speech、walking、lifting、fine_motor、cognition 之一",
                  "--demands \(d): expected one of vision, hearing, speech, walking, lifting, fine_motor, cognition")
    }
    public static func badKind(_ k: String, _ lang: Language = .current) -> String {
        lang.pick("--kind-default \(k)：应为 public_welfare、quota、assisted 或 general",
                  "--kind-default \(k): expected public_welfare, quota, assisted or general")
    }
    public static func badDate(_ d: String, _ lang: Language = .current) -> String {
        lang.pick("--date \(d)：应为 YYYY-MM-DD", "--date \(d): expected YYYY-MM-DD")
    }
    public static func badReason(_ r: String, _ lang: Language = .current) -> String {
        let each = PlacementEndReason.allCases.map { lang.pick("\($0.rawValue)（\(Labels.endReason($0, .zh))）", $0.rawValue) }
        return lang.pick("--reason \(r)：应为 " + each.joined(separator: "、"), "--reason \(r): expected " + each.joined(separator: ", "))
    }
    /// Something to add exists already (`what` as Store names it).
    public static func exists(_ what: String, _ lang: Language = .current) -> String {
        lang.pick("已存在，未添加：\(what)", "exists already, not added: \(what)")
    }
    public static func categoryAdded(_ code: String, _ name: String, _ lang: Language = .current) -> String {
        lang.pick("已添加岗位类别 \(code)（\(name)）", "job category \(code) (\(name)) added")
    }

    /// A placement ended: the seeker's status before and after, and whether the household now has no one in work.
    public static func placementEnded(certificate cert: String, opening: String, started: CivilDate, on day: CivilDate,
                                      reason: PlacementEndReason, statusBefore: String, statusAfter: String,
                                      household: String?, householdZeroEmployment: Bool, _ lang: Language = .current) -> String {
        if lang == .zh {
            var text = "已结束安置：\(cert) 在 \(opening)（自 \(started) 起）至 \(day) 止，原因：\(Labels.endReason(reason, lang))。"
            text += statusAfter == statusBefore ? "求职状态仍为 \(statusAfter)。" : "求职状态 \(statusBefore) → \(statusAfter)。"
            if let h = household { text += householdZeroEmployment ? "家庭 \(h) 现为零就业家庭。" : "家庭 \(h) 仍有成员就业。" }
            return text + "补贴计至 \(day.year)年\(day.month)月。"
        }
        var text = "placement ended: \(cert) at \(opening) (from \(started)) through \(day), reason: \(Labels.endReason(reason, lang)). "
        text += statusAfter == statusBefore ? "Status stays \(statusAfter). " : "Status \(statusBefore) → \(statusAfter). "
        if let h = household {
            text += householdZeroEmployment ? "Household \(h) now has no one in work. " : "Household \(h) still has someone in work. "
        }
        return text + "Subsidies count through \(day.year)-\(day.month < 10 ? "0" : "")\(day.month)."
    }

    public static func duplicatesHeader(_ n: Int, _ lang: Language = .current) -> String {
        lang.pick("可能重复的人员：\(n) 对（同名且出生日期相同，身份证号不同）",
                  "possible duplicate persons: \(n) pairs (same name and date of birth, different ID numbers)")
    }
    /// Staff's decision on a pair: `same`, `different`, or nil (not decided).
    public static func decision(_ d: String?, _ lang: Language = .current) -> String {
        switch d {
        case "same": lang.pick("已确认：同一人", "decided: the same person")
        case "different": lang.pick("已确认：不同的人", "decided: two people")
        default: lang.pick("待核实", "to be checked")
        }
    }
    public static func resolved(_ a: String, _ b: String, same: Bool, _ lang: Language = .current) -> String {
        lang.pick("已记录：\(a) 与 \(b) \(same ? "是同一人" : "是不同的人")",
                  "recorded: \(a) and \(b) are \(same ? "the same person" : "two people")")
    }
    public static func sameOrDifferent(_ lang: Language = .current) -> String {
        lang.pick("请给出 --same 或 --different 之一", "give exactly one of --same or --different")
    }
}
