import Domain
import Quota

/// What `policy show`, `policy set` and `policy import` say.
public enum PolicyMessages {
    public static func inForce(on day: CivilDate, jurisdiction: String, count: Int, _ lang: Language = .current) -> String {
        lang.pick("\(day) 在 \(jurisdiction) 有效的政策参数：\(count) 条", "policy in force on \(day) for \(jurisdiction): \(count) parameters")
    }

    /// `#12 quota.ratio = 0.015   [有效；CN-41，自 2024-01-01 起，verified]`.
    public static func parameter(id: Int64?, _ p: PolicyParameter, _ lang: Language = .current) -> String {
        let head = "\(id.map { "#\($0) " } ?? "")\(p.key) = \(p.value)   "
        let mark = p.status == .placeholder ? lang.pick("  ⚠ 占位值", "  ⚠ placeholder") : ""
        return head + lang.pick("[有效；\(p.jurisdiction)，自 \(p.validFrom) 起\(p.validTo.map { "至 \($0)" } ?? "")，\(p.status.code)]",
                                "[in force; \(p.jurisdiction), from \(p.validFrom)\(p.validTo.map { " to \($0)" } ?? ""), \(p.status.code)]") + mark
    }

    public static func source(_ s: String, _ lang: Language = .current) -> String { lang.pick("    出处：\(s)", "    source: \(s)") }

    /// An earlier row the one in force replaces.
    public static func replaces(id: Int64, _ q: PolicyParameter, _ lang: Language = .current) -> String {
        lang.pick("    取代 #\(id)：\(q.value) [自 \(q.validFrom) 起\(q.validTo.map { "至 \($0)" } ?? "")，\(q.status.code)] 出处：\(q.source)",
                  "    replaces #\(id): \(q.value) [from \(q.validFrom)\(q.validTo.map { " to \($0)" } ?? ""), \(q.status.code)] source: \(q.source)")
    }

    public static func added(id: Int64, _ p: PolicyParameter, replaces: Int64?, _ lang: Language = .current) -> String {
        lang.pick("已添加政策参数 #\(id)：\(p.key) = \(p.value)（\(p.jurisdiction)，自 \(p.validFrom) 起\(p.validTo.map { "至 \($0)" } ?? "")，\(p.status.code)）"
                    + (replaces.map { "，取代 #\($0)" } ?? ""),
                  "policy parameter #\(id) added: \(p.key) = \(p.value) (\(p.jurisdiction), from \(p.validFrom)\(p.validTo.map { " to \($0)" } ?? ""), \(p.status.code))"
                    + (replaces.map { ", replaces #\($0)" } ?? ""))
    }

    public static func imported(_ file: String, added: Int, replacing: Int, _ lang: Language = .current) -> String {
        lang.pick("已从 \(file) 添加 \(added) 条政策参数（取代 \(replacing) 条）", "\(added) policy parameters added from \(file) (\(replacing) replaced)")
    }

    public static func cannotOpen(_ file: String, _ lang: Language = .current) -> String {
        lang.pick("\(file)：无法打开读取", "\(file): cannot be opened for reading")
    }

    /// A policy file that cannot be read: nothing was added.
    public static func badFile(_ file: String, _ e: PolicyPackError, _ lang: Language = .current) -> String {
        "\(file)\(lang.pick("：", ": "))\(pack(e, lang))\(lang.pick("；未添加任何参数", "; nothing was added"))"
    }

    public static func pack(_ e: PolicyPackError, _ lang: Language = .current) -> String {
        switch e {
        case .empty: return lang.pick("文件是空的（没有列名行）", "the file is empty (no header)")
        case .missingColumn(let c): return lang.pick("列名行缺少 \(c) 列", "the header lacks the column \(c)")
        case .fieldCount(let l, let expected, let found):
            return lang.pick("第 \(l) 行有 \(found) 个字段，列名行有 \(expected) 个", "line \(l): \(found) fields, the header has \(expected)")
        case .unterminatedQuote(let l): return lang.pick("第 \(l) 行的引号没有闭合", "line \(l): a quoted field is not closed")
        case .badValue(let l, let c, let v, let rule):
            return lang.pick("第 \(l) 行，列 \(c)，值 \(v)：\(packRule(rule, lang))", "line \(l), column \(c), value \(v): \(packRule(rule, lang))")
        }
    }

    static func packRule(_ r: PolicyPackError.Rule, _ lang: Language) -> String {
        switch r {
        case .notEmpty: lang.pick("不能为空", "must not be empty")
        case .date: lang.pick("应为 YYYY-MM-DD", "must be YYYY-MM-DD")
        case .dateNotBeforeStart: lang.pick("应为不早于 valid_from 的 YYYY-MM-DD，或留空", "must be YYYY-MM-DD on or after valid_from, or empty")
        case .status: lang.pick("应为 verified、secondary 或 placeholder", "must be verified, secondary or placeholder")
        case .source: lang.pick("每条参数都须注明出处", "every parameter names its source")
        }
    }

    // MARK: a parameter staff give

    /// What is wrong with a parameter staff give (`policy set`, a line of `policy import`).
    /// Domain's `PolicyParameter.validated` finds them, for the command line and the /policy form.
    public typealias Problem = PolicyParameter.InputProblem

    /// How a problem names the field at fault: by the command's options (`--from`) or by
    /// the /policy form's labels (生效日期), so the command line and the page share one wording.
    public enum Naming: Sendable { case options, form }

    public static func problem(_ p: Problem, _ lang: Language = .current, naming: Naming = .options) -> String {
        func field(_ option: String, _ zh: String, _ en: String) -> String { naming == .options ? option : lang.pick(zh, en) }
        let from = field("--from", "生效日期", "valid from"), until = field("--until", "失效日期", "valid to")
        switch p {
        case .badKey(let k): return lang.pick("参数名 \(k)：不能为空或含空格，至多 100 个字符", "parameter key \(k): must not be empty or hold spaces, at most 100 characters")
        case .badValue(let k): return lang.pick("\(k) 的值：不能为空，至多 200 个字符", "the value of \(k): must not be empty, at most 200 characters")
        case .badFrom(let v): return lang.pick("\(from) \(v)：应为 YYYY-MM-DD", "\(from) \(v): expected YYYY-MM-DD")
        case .badUntil(let v): return lang.pick("\(until) \(v)：应为 YYYY-MM-DD", "\(until) \(v): expected YYYY-MM-DD")
        case .untilBeforeFrom(let u, let f): return lang.pick("\(until) \(u)：早于 \(from) \(f)", "\(until) \(u) is before \(from) \(f)")
        case .noSource:
            let source = field("--source", "依据", "source")
            return lang.pick("\(source)：必须注明出处（至多 500 个字符）", "\(source): the source must be named (at most 500 characters)")
        case .badStatus(let v):
            let status = field("--status", "核实状态", "status")
            return lang.pick("\(status) \(v)：应为 verified、secondary 或 placeholder", "\(status) \(v): expected verified, secondary or placeholder")
        case .badJurisdiction(let j):
            let jurisdiction = field("--jurisdiction", "适用地区", "jurisdiction")
            return lang.pick("\(jurisdiction) \(j)：应为如 CN-41 的地区代码", "\(jurisdiction) \(j): expected a code such as CN-41")
        case .notANumber(let k, let v): return lang.pick("\(k) 的值 \(v)：应为数字", "the value \(v) of \(k): expected a number")
        }
    }

    /// `jobmatch policy set：…；未添加任何参数` (`place` is the command or the file's line).
    public static func refused(_ place: String, _ p: Problem, _ lang: Language = .current) -> String {
        "jobmatch \(place)\(lang.pick("：", ": "))\(problem(p, lang))\(lang.pick("；未添加任何参数", "; nothing was added"))"
    }

    /// A line of a policy file, as `place`: `policy.csv 第 3 行`.
    public static func line(_ file: String, _ n: Int, _ lang: Language = .current) -> String {
        lang.pick("\(file) 第 \(n) 行", "\(file) line \(n)")
    }
}
