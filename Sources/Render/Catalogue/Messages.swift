import Domain

/// The message catalogue (CONTRACT.md §1): every sentence the command line says
/// to a person, in Simplified Chinese (the default) and English. Each function
/// takes the language, `Language.current` unless the caller says otherwise.
/// No message names an internal type.
public enum Messages {
    /// A review, run or subsidy statement needs a parameter the book lacks: which
    /// one, for which jurisdiction and date, and the command that adds it.
    public static func missingParameter(key: String, jurisdiction: String, date: CivilDate, _ lang: Language = .current) -> String {
        let (from, until) = suggestedPeriod(key: key, date: date)
        let command = "jobmatch policy set \(key) \(lang.pick("数值", "VALUE")) --from \(from)\(until.map { " --until \($0)" } ?? "")"
            + " --jurisdiction \(suggestedJurisdiction(key: key, jurisdiction: jurisdiction))"
            + " --source \"\(lang.pick("发布机关、文号或出处", "issuer, document number or source"))\" --status verified"
        return lang.pick(
            "政策参数缺失：\(key) 在 \(date) 对 \(jurisdiction) 没有有效值，未保存任何结果。请先添加该参数，例如：" + command,
            "policy parameter missing: \(key) has no value in force on \(date) for \(jurisdiction); nothing was saved. Add it first, e.g.: " + command)
    }

    /// Figures a province publishes (average wage, minimum wages) belong to the
    /// province (`CN-41`), which its districts inherit; anything else to the
    /// jurisdiction asked about.
    public static func suggestedJurisdiction(key: String, jurisdiction: String) -> String {
        guard key == "social_average_wage" || key.hasPrefix("minimum_wage.monthly") else { return jurisdiction }
        let parts = jurisdiction.split(separator: "-")
        return parts.count > 2 ? parts.prefix(2).joined(separator: "-") : jurisdiction
    }

    /// A parameter read from the book has a value the rules cannot use.
    public static func malformedParameter(key: String, value: String, expected: String, _ lang: Language = .current) -> String {
        lang.pick(
            "政策参数 \(key) 的值 \(value) 无法使用（应为 \(expected)），未保存任何结果。请用 jobmatch policy set 添加一条更正后的记录。",
            "policy parameter \(key) has the value \(value), which cannot be used (expected \(expected)); nothing was saved. Add a corrected record with jobmatch policy set.")
    }

    /// An identifier the user gave does not exist (exit 3). `what` is how Store
    /// names it: `employer 9141…`, `run 7`.
    public static func notFound(_ what: String, _ lang: Language = .current) -> String {
        guard lang == .zh else { return "not found: \(what) (nothing was changed)" }
        for (english, chinese) in notFoundNouns where what.hasPrefix(english) {
            return "未找到\(chinese)：\(what.dropFirst(english.count))（未作任何更改）"
        }
        return "未找到：\(what)（未作任何更改）"
    }

    /// A command's own line for an identifier that does not exist:
    /// `jobmatch export：未找到匹配运行：999`.
    public static func notFound(command: String, _ what: String, _ lang: Language = .current) -> String {
        guard lang == .zh else { return "jobmatch \(command): not found: \(what)" }
        let noun = notFoundNouns.first { what.hasPrefix($0.0) }
        return "jobmatch \(command)：未找到\(noun.map { "\($0.1)：\(what.dropFirst($0.0.count))" } ?? "：\(what)")"
    }

    /// How Store names what it did not find, in Chinese.
    static let notFoundNouns: [(String, String)] = [
        ("employer ", "单位"), ("region ", "地区"), ("run ", "匹配运行"), ("seeker ", "求职者"), ("opening ", "岗位"),
        ("placement of ", "在岗安置"), ("possible duplicate ", "待核实的可能重复人员"), ("proposal ", "推荐"),
    ]

    /// A per-year parameter (one row per calendar year) covers the whole year of `date`.
    public static func suggestedPeriod(key: String, date: CivilDate) -> (String, String?) {
        if key == "social_average_wage" {
            return (CivilDate.startOf(year: date.year).description, CivilDate.endOf(year: date.year).description)
        }
        return (date.description, nil)
    }
}
