import Domain
import Postgres
import Store

/// The words of the command line's new messages, in one place: a later issue
/// gathers them into a zh/en catalogue chosen by `--lang` (CONTRACT.md §1).
/// Chinese is the default language. No message names an internal type.
enum Messages {
    /// A review, run or subsidy statement needs a parameter the book lacks: which
    /// one, for which jurisdiction and date, and the command that adds it.
    static func missingParameter(key: String, jurisdiction: String, date: CivilDate) -> String {
        let (from, until) = suggestedPeriod(key: key, date: date)
        return "政策参数缺失：\(key) 在 \(date) 对 \(jurisdiction) 没有有效值，未保存任何结果。"
            + "请先添加该参数，例如：jobmatch policy set \(key) 数值 --from \(from)\(until.map { " --until \($0)" } ?? "")"
            + " --jurisdiction \(suggestedJurisdiction(key: key, jurisdiction: jurisdiction)) --source \"发布机关、文号或出处\" --status verified"
    }

    /// Figures a province publishes (average wage, minimum wages) belong to the
    /// province (`CN-41`), which its districts inherit; anything else to the
    /// jurisdiction asked about.
    static func suggestedJurisdiction(key: String, jurisdiction: String) -> String {
        guard key == "social_average_wage" || key.hasPrefix("minimum_wage.monthly") else { return jurisdiction }
        let parts = jurisdiction.split(separator: "-")
        return parts.count > 2 ? parts.prefix(2).joined(separator: "-") : jurisdiction
    }

    /// A parameter read from the book has a value the rules cannot use.
    static func malformedParameter(key: String, value: String, expected: String) -> String {
        "政策参数 \(key) 的值 \(value) 无法使用（应为 \(expected)），未保存任何结果。请用 jobmatch policy set 添加一条更正后的记录。"
    }

    /// An identifier the user gave does not exist (exit 3).
    static func notFound(_ what: String) -> String {
        for (english, chinese) in notFoundNouns where what.hasPrefix(english) {
            return "未找到\(chinese)：\(what.dropFirst(english.count))（未作任何更改）"
        }
        return "未找到：\(what)（未作任何更改）"
    }

    /// How Store names what it did not find, in Chinese.
    static let notFoundNouns: [(String, String)] = [
        ("employer ", "单位"), ("region ", "地区"), ("run ", "匹配运行"), ("seeker ", "求职者"), ("opening ", "岗位"),
        ("placement of ", "在岗安置"), ("possible duplicate ", "待核实的可能重复人员"), ("proposal ", "推荐"),
    ]

    /// A per-year parameter (one row per calendar year) covers the whole year of `date`.
    static func suggestedPeriod(key: String, date: CivilDate) -> (String, String?) {
        if key == "social_average_wage" {
            return (CivilDate.startOf(year: date.year).description, CivilDate.endOf(year: date.year).description)
        }
        return (date.description, nil)
    }
}
