import Domain

// The front desk's words (Sources/Web): every text a page or an API error shows,
// in Chinese (the default) and English (chosen per request by `Accept-Language`).

extension Language {
    /// The language of a web request: English when `Accept-Language` lists it
    /// first (browsers list by preference), else Chinese.
    public init(acceptLanguage: String?) {
        guard let header = acceptLanguage?.lowercased() else { self = .zh; return }
        let first = header.split(separator: ",").first.map { $0.split(separator: ";")[0].filter { !$0.isWhitespace } } ?? ""
        self = first.hasPrefix("en") ? .en : .zh
    }
}

/// A message in both languages.
public struct WebText: Sendable {
    public let zh: String
    public let en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
    public func callAsFunction(_ lang: Language) -> String { lang == .en ? en : zh }
}

public enum WebMessages {
    // Errors (the `code` of `{"error":{"code","message"}}` is the case name).
    public static let unauthenticated = WebText(zh: "请先登录。", en: "Sign in first.")
    public static let forbidden = WebText(zh: "您的角色无权执行此操作。", en: "Your role may not do this.")
    public static let csrf = WebText(zh: "请求缺少有效的 CSRF 令牌，未做任何更改。", en: "The request has no valid CSRF token; nothing was changed.")
    public static let notFound = WebText(zh: "未找到。", en: "Not found.")
    public static let badRequest = WebText(zh: "请求格式不正确。", en: "The request is malformed.")
    public static let badLogin = WebText(zh: "用户名或密码不正确。", en: "Wrong user name or password.")
    public static let locked = WebText(zh: "登录失败次数过多，账户已暂时锁定，请稍后再试。", en: "Too many failed sign-ins: the account is locked for a while.")
    public static let busy = WebText(zh: "系统繁忙，请稍后再试。", en: "The server is busy; try again shortly.")
    public static let databaseAway = WebText(zh: "数据库暂时不可用（可能正在切换主节点）；请稍后重试。",
                                             en: "The database is unavailable for the moment (perhaps switching to a new primary); try again shortly.")
    public static let internalError = WebText(zh: "服务器内部错误。", en: "Internal server error.")
    public static let tooLarge = WebText(zh: "请求内容过大。", en: "The request body is too large.")
    public static let unknownRegion = WebText(zh: "地区不存在或不在您的权限范围内。", en: "The region does not exist or is outside your regions.")
    public static let badDate = WebText(zh: "日期格式应为 YYYY-MM-DD。", en: "Dates are written YYYY-MM-DD.")
    public static let searchNeedsField = WebText(zh: "请填写残疾人证号或姓名。", en: "Give a certificate number or a name.")

    // Pages.
    public static let appName = WebText(zh: "偃师区残疾人就业服务中心", en: "Yanshi District Disabled Persons' Employment Service Center")
    public static let loginTitle = WebText(zh: "登录", en: "Sign in")
    public static let username = WebText(zh: "用户名", en: "User name")
    public static let password = WebText(zh: "密码", en: "Password")
    public static let signIn = WebText(zh: "登录", en: "Sign in")
    public static let signOut = WebText(zh: "退出登录", en: "Sign out")
    public static let overviewTitle = WebText(zh: "今日概况", en: "Today")
    public static let seekersTitle = WebText(zh: "求职者查询", en: "Seeker search")
    public static let seekerTitle = WebText(zh: "求职者档案", en: "Seeker record")
    public static let search = WebText(zh: "查询", en: "Search")
    public static let certificateNo = WebText(zh: "残疾人证号", en: "Certificate number")
    public static let name = WebText(zh: "姓名", en: "Name")
    public static let town = WebText(zh: "镇街", en: "Town")
    public static let status = WebText(zh: "状态", en: "Status")
    public static let phone = WebText(zh: "联系电话", en: "Phone")
    public static let workCapacity = WebText(zh: "劳动能力", en: "Work capacity")
    public static let education = WebText(zh: "文化程度", en: "Education")
    public static let registeredOn = WebText(zh: "登记日期", en: "Registered on")
    public static let reveal = WebText(zh: "显示", en: "Show")
    public static let noResults = WebText(zh: "没有找到符合条件的求职者。", en: "No seeker matches.")
    public static let seekerCount = WebText(zh: "求职者人数", en: "Seekers")
    public static let queueDepth = WebText(zh: "排队中的匹配请求", en: "Match requests waiting")
    public static let recentRuns = WebText(zh: "最近的匹配运行", en: "Recent runs")
    public static let noRuns = WebText(zh: "暂无匹配运行。", en: "No run yet.")
    public static let navigation = WebText(zh: "主导航", en: "Main navigation")
    public static let skipToContent = WebText(zh: "跳到主要内容", en: "Skip to content")
    public static let revealAudited = WebText(zh: "显示完整信息会记入审计日志。", en: "Showing a full value is recorded in the audit trail.")
    public static let signedInAs = WebText(zh: "当前用户", en: "Signed in as")
}
