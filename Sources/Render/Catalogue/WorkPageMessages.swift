import Domain
import Intake
import Matching

// The front desk's working pages (imports, runs, reviews, policy, exports) and
// the API errors they add, in Chinese and English.

extension WebMessages {
    // Navigation and shared words.
    public static let navImports = WebText(zh: "导入", en: "Imports")
    public static let navRuns = WebText(zh: "匹配", en: "Runs")
    public static let navReviews = WebText(zh: "审核", en: "Reviews")
    public static let navPolicy = WebText(zh: "政策", en: "Policy")
    public static let navExports = WebText(zh: "导出", en: "Exports")
    public static let date = WebText(zh: "日期", en: "Date")
    public static let placed = WebText(zh: "安置人数", en: "Placed")
    public static let region = WebText(zh: "区域", en: "Region")
    public static let explanationTitle = WebText(zh: "最近一次匹配的说明", en: "Explanation of the latest run")

    // Errors the working routes add.
    public static let unsupportedMediaType = WebText(zh: "文件类型应为 CSV（text/csv）或 XLSX。",
                                                     en: "The file must be CSV (text/csv) or XLSX.")
    public static let unknownImportKind = WebText(zh: "未知的导入类型。", en: "Unknown import kind.")
    public static let districtOnly = WebText(
        zh: "规划指标是全区的汇总数据，限定地区的账户不能导出；请用全区账户。",
        en: "The plan's indicators are the whole district's sums; an account limited to regions cannot export them.")
    public static let reviewStoreDistrictOnly = WebText(
        zh: "审核结果按全区统一保存（同一职工不得被两家单位重复计算），限定地区的账户不能保存审核；请用全区账户。",
        en: "Reviews are stored for the whole district at once (a person may not count for two employers); an account limited to regions cannot store them.")
    public static let importDistrictOnly = WebText(
        zh: "导入的表格覆盖全区（单位、岗位、地区等不分街镇），限定地区的账户不能导入；请用全区账户。",
        en: "Imported workbooks cover the whole district (employers, openings and regions are not split by town); an account limited to regions cannot import them.")
    public static let badYear = WebText(zh: "年度应为四位数字，例如 2024。", en: "The year is four digits, e.g. 2024.")
    public static let noReviewYear = WebText(zh: "尚无单位年度数据。", en: "No employer-year data yet.")
    public static let noRun = WebText(zh: "尚无匹配运行。", en: "No matching run yet.")

    /// The 409 of a confirmation: every refused proposal with its reason.
    public static func noLongerHolds(_ refusals: [(proposal: Int64, reason: ConfirmRefusalReason)]) -> WebText {
        WebText(zh: "确认未完成，未写入任何安置：" + refusals.map { ConfirmMessages.refusal(proposal: $0.proposal, $0.reason, .zh) }.joined(separator: "；"),
                en: "Not confirmed, no placement written: " + refusals.map { ConfirmMessages.refusal(proposal: $0.proposal, $0.reason, .en) }.joined(separator: "; "))
    }

    // Imports.
    public static let importsTitle = WebText(zh: "导入数据", en: "Import data")
    public static let uploadFile = WebText(zh: "上传文件", en: "Upload a file")
    public static let importKind = WebText(zh: "数据类型", en: "Kind of data")
    public static let csvOrXLSX = WebText(zh: "CSV 或 XLSX 文件", en: "CSV or XLSX file")
    public static let importPartial = WebText(zh: "只导入无误的行（有错的行可下载）；不选则有任何错误都不导入",
                                              en: "Import only the rows without errors (the others can be downloaded); unticked, any error imports nothing")
    public static let importButton = WebText(zh: "导入", en: "Import")
    public static let viewerCannotImport = WebText(zh: "只读账户不能导入。", en: "A read-only account cannot import.")
    public static let downloadRejects = WebText(zh: "下载未导入的行（rejects.csv）", en: "Download the rows not imported (rejects.csv)")
    public static let rejectReasonColumn = WebText(zh: "错误原因", en: "Error")
    public static func errorCount(_ n: Int, _ lang: Language) -> String { lang.pick("错误（\(n)）", "Errors (\(n))") }
    public static func importKind(_ k: ImportKind, _ lang: Language) -> String {
        let zh: String, en: String
        switch k {
        case .regions: (zh, en) = ("区域", "Regions")
        case .households: (zh, en) = ("家庭", "Households")
        case .seekers: (zh, en) = ("求职者", "Seekers")
        case .trainings: (zh, en) = ("培训", "Trainings")
        case .employers: (zh, en) = ("用人单位", "Employers")
        case .openings: (zh, en) = ("岗位", "Openings")
        case .employerYears: (zh, en) = ("单位年度数据", "Employer years")
        case .rosters: (zh, en) = ("在职残疾职工名册", "Rosters of disabled employees")
        case .placements: (zh, en) = ("安置记录", "Placements")
        }
        return lang.pick("\(zh)（\(k.rawValue)）", "\(en) (\(k.rawValue))")
    }
    public static func importNothing(_ file: String, _ lang: Language) -> String {
        lang.pick("\(file)：未导入任何数据。", "\(file): nothing was imported.")
    }
    public static func importRefused(_ file: String, rows: Int, _ lang: Language) -> String {
        lang.pick("\(file)：有 \(rows) 行有错误，未导入任何数据。", "\(file): \(rows) rows have errors; nothing was imported.")
    }
    public static func imported(_ file: String, accepted: Int, inserted: Int, updated: Int, unchanged: Int, rejected: Int,
                                _ lang: Language) -> String {
        lang.pick("\(file)：已导入 \(accepted) 行（新增 \(inserted)，更新 \(updated)，未变 \(unchanged)）" + (rejected > 0 ? "，未导入 \(rejected) 行。" : "。"),
                  "\(file): \(accepted) rows imported (\(inserted) new, \(updated) updated, \(unchanged) unchanged)"
                    + (rejected > 0 ? "; \(rejected) rows not imported." : "."))
    }

    // Runs.
    public static let runsTitle = WebText(zh: "匹配运行", en: "Matching runs")
    public static let requestRun = WebText(zh: "发起匹配", en: "Request a run")
    public static let runDateOptional = WebText(zh: "运行日期（可空，默认今天）", en: "Run date (optional, today by default)")
    public static let enqueue = WebText(zh: "加入匹配队列", en: "Add to the queue")
    public static let requests = WebText(zh: "匹配请求", en: "Run requests")
    public static let noRequests = WebText(zh: "暂无请求。", en: "No request yet.")
    public static let requestNo = WebText(zh: "请求编号", en: "Request")
    public static let run = WebText(zh: "运行", en: "Run")
    public static let runDate = WebText(zh: "运行日期", en: "Run date")
    public static let seekers = WebText(zh: "求职者", en: "Seekers")
    public static let openings = WebText(zh: "岗位", en: "Openings")
    public static let opening = WebText(zh: "岗位", en: "Opening")
    public static let proposals = WebText(zh: "推荐", en: "Proposals")
    public static let noProposals = WebText(zh: "本次匹配没有推荐。", en: "This run proposed nobody.")
    public static let chooseToConfirm = WebText(zh: "选择要确认的推荐", en: "Choose the proposals to confirm")
    public static let proposalsAndReasons = WebText(zh: "推荐与理由", en: "Proposals and their reasons")
    public static let choose = WebText(zh: "选择", en: "Choose")
    public static let proposalNo = WebText(zh: "推荐编号", en: "Proposal")
    public static let score = WebText(zh: "匹配分", en: "Score")
    public static let reasons = WebText(zh: "理由", en: "Reasons")
    public static let confirmed = WebText(zh: "已确认", en: "Confirmed")
    public static let pending = WebText(zh: "待确认", en: "Not confirmed")
    public static let confirmChosen = WebText(zh: "确认所选推荐", en: "Confirm the chosen proposals")
    public static let nextProposals = WebText(zh: "下一页推荐", en: "Next proposals")
    public static let unmatchedTitle = WebText(zh: "未获推荐", en: "Not proposed")
    public static let unmatchedCaption = WebText(zh: "未获推荐的原因", en: "Why they were not proposed")
    public static let reason = WebText(zh: "原因", en: "Reason")
    public static let chooseFirst = WebText(zh: "请先选择要确认的推荐。", en: "Choose the proposals to confirm first.")
    public static func chooseProposal(_ id: Int64, _ lang: Language) -> String { lang.pick("选择推荐 \(id)", "Choose proposal \(id)") }
    public static func runNumber(_ id: Int64, _ lang: Language) -> String { lang.pick("第 \(id) 次", "run \(id)") }
    public static func runTitle(_ id: Int64, _ lang: Language) -> String { lang.pick("第 \(id) 次匹配", "Run \(id)") }
    public static func onlyFirstUnmatched(_ n: Int, _ lang: Language) -> (before: String, link: String, after: String) {
        lang == .zh ? ("只列出前 \(n) 人；完整名单见 ", "导出", "。") : ("Only the first \(n) are listed; the full list is in ", "Exports", ".")
    }
    public static func queued(_ id: String, _ lang: Language) -> String {
        lang.pick("已加入匹配队列，请求编号 \(id)。后台处理完成后刷新本页即可看到结果。",
                  "Queued as request \(id). Reload this page when the worker has run it.")
    }
    public static func requestState(_ state: String, _ lang: Language) -> String {
        switch state {
        case "queued": lang.pick("排队中", "queued")
        case "running": lang.pick("运行中", "running")
        case "done": lang.pick("已完成", "done")
        case "failed": lang.pick("失败", "failed")
        default: state
        }
    }
    public static func unmatchedReason(_ code: String, _ lang: Language) -> String {
        switch code {
        case "outcompeted": lang.pick("符合条件的岗位已由他人取得", "the openings they were eligible for went to others")
        case "no_eligible_opening", "no_eligible": lang.pick("没有符合条件的岗位", "no opening they are eligible for")
        default: lang.pick("未获推荐（\(code)）", "not proposed (\(code))")
        }
    }
    public static func confirmedOne(_ id: Int64, _ lang: Language) -> String { lang.pick("推荐 \(id) 已确认安置。", "Proposal \(id) confirmed.") }

    // Policy.
    public static let policyTitle = WebText(zh: "政策参数", en: "Policy parameters")
    public static func policyInForce(_ date: String, _ lang: Language) -> String {
        lang.pick("\(date) 有效的政策参数。", "The parameters in force on \(date).")
    }
    public static let parameterKey = WebText(zh: "参数", en: "Parameter")
    public static let value = WebText(zh: "值", en: "Value")
    public static let jurisdiction = WebText(zh: "适用地区", en: "Jurisdiction")
    public static let validFrom = WebText(zh: "生效日期", en: "Valid from")
    public static let validTo = WebText(zh: "失效日期", en: "Valid to")
    public static let validToOptional = WebText(zh: "失效日期（可空）", en: "Valid to (optional)")
    public static let source = WebText(zh: "依据", en: "Source")
    public static let parameterStatus = WebText(zh: "核实状态", en: "Status")
    public static let addParameter = WebText(zh: "添加有日期的参数", en: "Add a dated parameter")
    public static let addParameterNote = WebText(zh: "新参数不修改已有记录：更正也是一条新的记录，并记入审计日志。",
                                                 en: "A new row never edits an old one: a correction is a new row, and it is audited.")
    public static let addButton = WebText(zh: "添加", en: "Add")
    public static func parameterAdded(_ id: Int64, key: String, value: String, _ lang: Language) -> String {
        lang.pick("已添加政策参数 #\(id)：\(key) = \(value)。", "Added parameter #\(id): \(key) = \(value).")
    }
    public static func statusLabel(_ s: ParameterStatus, _ lang: Language) -> String {
        switch s {
        case .verified: lang.pick("已核对原文（verified）", "verified against the official text")
        case .secondary: lang.pick("二手来源（secondary）", "from a secondary source")
        case .placeholder: lang.pick("占位值（placeholder）", "a placeholder")
        }
    }
    public static let nothingAdded = WebText(zh: "未添加任何参数。", en: "Nothing was added.")

    // Reviews.
    public static let reviewsTitle = WebText(zh: "按比例就业审核", en: "Quota reviews")
    public static let year = WebText(zh: "年度", en: "Year")
    public static let show = WebText(zh: "查看", en: "Show")
    public static let creditCode = WebText(zh: "统一社会信用代码", en: "Credit code")
    public static let employerName = WebText(zh: "单位名称", en: "Employer")
    public static let reviewStatus = WebText(zh: "审核状态", en: "Review status")
    public static let worksheet = WebText(zh: "工作底稿", en: "Worksheet")
    public static let backToReviews = WebText(zh: "返回审核列表", en: "Back to the reviews")
    public static let printHint = WebText(zh: "（用浏览器的“打印”可打印本页）", en: " (print this page with the browser's Print)")
    public static let scopedReviews = WebText(zh: "只列出您所辖地区的用人单位。", en: "Only the employers of your regions are listed.")
    public static func reviewsOfYear(_ year: Int, _ lang: Language) -> String { lang.pick("\(year) 年度审核", "Reviews of \(year)") }
    public static func worksheetOf(_ employer: String, _ lang: Language) -> String {
        lang.pick("\(employer) 的工作底稿", "Worksheet of \(employer)")
    }
    public static func worksheetTitle(_ employer: String, _ year: Int, _ lang: Language) -> String {
        lang.pick("\(employer) \(year) 年度审核工作底稿", "\(employer): review worksheet \(year)")
    }

    // Exports.
    public static let exportsTitle = WebText(zh: "导出", en: "Exports")
    public static let exportsMasked = WebText(zh: "下载的文件中个人身份信息已遮蔽。", en: "Identities are masked in the files.")
    public static let exportsScoped = WebText(zh: "只包含您所辖地区的数据；规划指标为全区汇总，不提供。",
                                              en: "Only your regions' rows; the plan's indicators are district-wide and not offered.")
    public static let downloadable = WebText(zh: "可下载的表", en: "Tables to download")
    public static let contents = WebText(zh: "内容", en: "Contents")
    public static func exportLabel(_ what: String, _ lang: Language) -> String {
        switch what {
        case "proposals": lang.pick("推荐名单（最近一次匹配）", "Proposals (latest run)")
        case "candidates": lang.pick("候选名单（最近一次匹配）", "Candidates (latest run)")
        case "unmatched": lang.pick("未匹配名单（最近一次匹配）", "Not proposed (latest run)")
        case "placements": lang.pick("安置记录", "Placements")
        case "reviews": lang.pick("按比例审核结果（所选年度）", "Quota reviews (the year)")
        case "indicators": lang.pick("规划指标（所选年度）", "Plan indicators (the year)")
        default: what
        }
    }
}
