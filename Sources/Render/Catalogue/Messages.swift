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

    /// An identifier the user gave does not exist (exit 3): `未找到匹配运行：7（未作任何更改）`.
    public static func notFound(_ what: Missing, _ lang: Language = .current) -> String {
        lang.pick("未找到\(missing(what, .zh))（未作任何更改）", "not found: \(missing(what, .en)) (nothing was changed)")
    }

    /// A command's own line for an identifier that does not exist:
    /// `jobmatch export：未找到匹配运行：999`.
    public static func notFound(command: String, _ what: Missing, _ lang: Language = .current) -> String {
        lang.pick("jobmatch \(command)：未找到\(missing(what, .zh))", "jobmatch \(command): not found: \(missing(what, .en))")
    }

    /// What was not found: `匹配运行：7` / `run 7`.
    public static func missing(_ what: Missing, _ lang: Language = .current) -> String {
        switch what {
        case .employer(let e): lang.pick("单位：\(e)", "employer \(e)")
        case .region(let r): lang.pick("地区：\(r)", "region \(r)")
        case .run(let r): lang.pick("匹配运行：\(r)", "run \(r)")
        case .seeker(let s): lang.pick("求职者：\(s)", "seeker \(s)")
        case .opening(let o): lang.pick("岗位：\(o)", "opening \(o)")
        case .activePlacement(let s, let o, let d):
            lang.pick("在岗安置：\(s) 在 \(o)（\(d) 有效）", "placement of \(s) in \(o) active on \(d)")
        case .possibleDuplicate(let a, let b): lang.pick("待核实的可能重复人员：\(a) 与 \(b)", "possible duplicate \(a) and \(b)")
        case .anyRun: lang.pick("任何匹配运行：请先运行 jobmatch match", "any matching run: run `jobmatch match` first")
        case .year(let what): lang.pick("年度：export \(what) 须给出 --year", "the year: `export \(what)` needs --year")
        }
    }

    /// The database's schema is older (or newer) than this jobmatch.
    public static func schemaOutOfDate(database: Int, binary: Int, _ lang: Language = .current) -> String {
        lang.pick("数据库结构为第 \(database) 版，本程序需要第 \(binary) 版：请运行 jobmatch migrate",
                  "the database schema is at version \(database), this jobmatch needs \(binary): run `jobmatch migrate`")
    }

    /// A per-year parameter (one row per calendar year) covers the whole year of `date`.
    public static func suggestedPeriod(key: String, date: CivilDate) -> (String, String?) {
        if key == "social_average_wage" {
            return (CivilDate.startOf(year: date.year).description, CivilDate.endOf(year: date.year).description)
        }
        return (date.description, nil)
    }
}
