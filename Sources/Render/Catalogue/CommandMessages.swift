/// The options' refusals and the one-line reports of `migrate`, `export`,
/// `import` and `match` that are not a summary of their own.
public enum CommandMessages {
    public static func badDate(_ option: String, _ value: String, _ lang: Language = .current) -> String {
        lang.pick("\(option) \(value)：日期格式应为 YYYY-MM-DD", "\(option) \(value): expected YYYY-MM-DD")
    }
    public static func badYear(_ year: Int, _ lang: Language = .current) -> String {
        lang.pick("--year \(year)：应为年份，例如 2024", "--year \(year): expected a year such as 2024")
    }
    /// Two options that exclude each other.
    public static func notTogether(_ a: String, _ b: String, _ lang: Language = .current) -> String {
        lang.pick("\(a) 与 \(b) 不能同时使用", "\(a) and \(b) do not go together")
    }
    /// An option that needs another.
    public static func goesWith(_ a: String, _ b: String, _ lang: Language = .current) -> String {
        lang.pick("\(a) 须与 \(b) 一起使用", "\(a) goes with \(b)")
    }
    public static func partialNeedsRejects(_ lang: Language = .current) -> String {
        lang.pick("--partial 须同时给出 --rejects 文件，以免坏行被悄悄丢弃", "--partial needs --rejects FILE, so that no bad row is dropped silently")
    }
    public static func oneOf(_ what: String, _ value: String, _ choices: [String], _ lang: Language = .current) -> String {
        lang.pick("\(what) \(value)：应为 \(choices.joined(separator: "、")) 之一", "\(what) \(value): expected one of \(choices.joined(separator: ", "))")
    }
    public static func needsYear(_ what: String, _ lang: Language = .current) -> String {
        lang.pick("export \(what) 须给出 --year", "export \(what) needs --year")
    }
    public static func exported(_ rows: Int, of what: String, to path: String, _ lang: Language = .current) -> String {
        lang.pick("jobmatch export：\(what) 共 \(rows) 行已写入 \(path)", "jobmatch export: \(rows) rows of \(what) written to \(path)")
    }

    // MARK: migrate

    public static func schemaCurrent(_ version: Int, _ lang: Language = .current) -> String {
        lang.pick("数据库结构已是第 \(version) 版，无需迁移", "schema is current at version \(version); nothing to do")
    }
    public static func migrated(_ applied: [Int], version: Int, _ lang: Language = .current) -> String {
        let list = applied.map(String.init).joined(separator: ", ")
        return lang.pick("已应用迁移 \(list)；数据库结构为第 \(version) 版", "applied migrations \(list); schema at version \(version)")
    }
    public static func policySeeded(_ rows: Int, _ lang: Language = .current) -> String {
        lang.pick("已写入 \(rows) 条政策参数", "seeded \(rows) policy parameter rows")
    }

    /// One proposal of `match --verbose`-style listing: `#12 410307…→ YS-P001  匹配分 812  理由`.
    public static func proposal(id: Int64?, seeker: String, opening: String, score: Int, reasons: String, _ lang: Language = .current) -> String {
        "  \(id.map { "#\($0) " } ?? "")\(seeker) → \(opening)  \(lang.pick("匹配分", "score")) \(score)  \(reasons)"
    }
}
