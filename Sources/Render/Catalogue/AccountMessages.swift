import Domain

/// What `user` and `token` say.
public enum AccountMessages {
    public static func problem(_ p: AccountProblem, _ lang: Language = .current) -> String {
        switch p {
        case .unknownUser(let n): lang.pick("用户“\(n)”不存在", "user \"\(n)\" does not exist")
        case .userExists(let n): lang.pick("用户“\(n)”已存在", "user \"\(n)\" already exists")
        case .unknownToken(let n): lang.pick("令牌“\(n)”不存在", "token \"\(n)\" does not exist")
        case .tokenExists(let n): lang.pick("令牌“\(n)”已存在", "token \"\(n)\" already exists")
        case .unknownRegion(let c): lang.pick("地区“\(c)”不存在", "region \"\(c)\" does not exist")
        case .badName(let n):
            lang.pick("名称“\(n)”不可用：请用 1 至 64 个字母、数字、“_”“.”或“-”", "name \"\(n)\" is not allowed: use 1 to 64 letters, digits, '_', '.' or '-'")
        }
    }
    /// `jobmatch：…` / `jobmatch: …`.
    public static func refused(_ p: AccountProblem, _ lang: Language = .current) -> String {
        "jobmatch\(lang.pick("：", ": "))\(problem(p, lang))"
    }
    public static func badPassword(_ lang: Language = .current) -> String {
        lang.pick("jobmatch：标准输入：密码须为一行，至少 8 个字符", "jobmatch: standard input: the password must be one line of at least 8 characters")
    }
    public static func userAdded(_ name: String, role: String, regions: [String], _ lang: Language = .current) -> String {
        lang.pick("已添加用户 \(name)（\(role)，\(regions.isEmpty ? "全部地区" : "地区 " + regions.joined(separator: ","))）",
                  "added user \(name) (\(role)\(regions.isEmpty ? ", every region" : ", regions " + regions.joined(separator: ",")))")
    }
    public static func passwordChanged(_ name: String, _ lang: Language = .current) -> String {
        lang.pick("已更改 \(name) 的密码", "password of \(name) changed")
    }
    public static func disabled(_ name: String, _ lang: Language = .current) -> String { lang.pick("已停用 \(name)", "disabled \(name)") }
    public static func revoked(_ name: String, _ lang: Language = .current) -> String { lang.pick("已吊销 \(name)", "revoked \(name)") }
    public static func tokenRole(_ lang: Language = .current) -> String {
        lang.pick("令牌的角色只能是 staff 或 viewer", "a token's role is staff or viewer")
    }
}
