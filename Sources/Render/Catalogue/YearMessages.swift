import Domain
import Quota

/// What the `certify` and `followup` commands say to a person (issue 16).
public enum YearMessages {
    // MARK: refusals

    public static func refusal(_ r: DeclarationRefused, _ lang: Language = .current) -> String {
        switch r {
        case .rule(let rule): return refusal(rule, lang)
        case .unknownEmployer(let e):
            return lang.pick("没有统一社会信用代码为 \(e) 的用人单位", "no employer has the credit code \(e)")
        case .notOpened(let e, let y):
            return lang.pick("用人单位 \(e) 的 \(y) 年度申报尚未开启：请先运行 jobmatch certify open --year \(y)",
                             "the \(y) declaration of employer \(e) is not opened yet: run jobmatch certify open --year \(y) first")
        case .reviewIncomplete(let status):
            return lang.pick("无法审核通过：\(Labels.reviewStatus(status, lang))（请先导入该单位本年度的在职职工人数和工资总额：import employer-years）",
                             "cannot approve: \(Labels.reviewStatus(status, lang)) (import the employer's staff count and wage total for the year first: import employer-years)")
        case .unknownRow(let p):
            return lang.pick("退回原因所指的人员 \(p) 不在该单位本年度的申报名单中",
                             "the person \(p) named in a return reason is not on the employer's declaration for the year")
        case .noLetter(let e, let y):
            return lang.pick("用人单位 \(e) 的 \(y) 年度申报尚未审核通过，没有审核确认书",
                             "the \(y) declaration of employer \(e) is not approved: there is no confirmation letter")
        }
    }

    public static func refusal(_ r: CertificationRefusal, _ lang: Language = .current) -> String {
        switch r {
        case .alreadyApproved:
            return lang.pick("该申报已审核通过，不能再次审核或申报；如需更正，请由管理员重新打开（certify reopen --admin --reason 原因）",
                             "the declaration is approved already and cannot be approved or submitted again; to correct it, an administrator reopens it (certify reopen --admin --reason WHY)")
        case .notSubmitted(let s):
            return lang.pick("该申报当前为“\(Labels.state(s, lang))”状态，尚未提交，不能审核或退回",
                             "the declaration is \(Labels.state(s, lang)), not submitted: it cannot be approved or returned")
        case .alreadySubmitted:
            return lang.pick("该申报已提交，正在等待审核", "the declaration is submitted already and waiting for review")
        case .returnNeedsReason:
            return lang.pick("退回申报必须填写原因（--reason 原因，或 --row 证号=原因）",
                             "returning a declaration needs a reason (--reason WHY, or --row CERTIFICATE=WHY)")
        case .lateApprovalNeedsAdminAndReason(let closed):
            return lang.pick("申报期已于 \(closed) 结束：逾期审核须由管理员操作并说明原因（--admin --reason 原因）",
                             "the declaration window closed on \(closed): a late approval needs an administrator and a reason (--admin --reason WHY)")
        case .reopenNeedsApproved(let s):
            return lang.pick("只有已审核通过的申报才能重新打开，该申报当前为“\(Labels.state(s, lang))”状态",
                             "only an approved declaration can be reopened; this one is \(Labels.state(s, lang))")
        case .reopenNeedsAdminAndReason:
            return lang.pick("重新打开已审核的申报须由管理员操作并说明原因（--admin --reason 原因）",
                             "reopening an approved declaration needs an administrator and a reason (--admin --reason WHY)")
        }
    }

    public static func refusal(_ r: FollowUpRefused, _ lang: Language = .current) -> String {
        switch r {
        case .unknownPlacement(let id):
            return lang.pick("没有编号为 \(id) 的安置记录（见 followup due 的 placement_id）",
                             "no placement has the id \(id) (see placement_id in followup due)")
        case .beforeStart(let start):
            return lang.pick("回访日期早于安置开始日期 \(start)", "the follow-up's date is before the placement started on \(start)")
        case .alreadyEnded(let end):
            return lang.pick("该安置已于 \(end) 结束，不能再登记回访", "the placement ended on \(end); no follow-up can be recorded after that")
        }
    }

    /// `jobmatch certify: …` / `jobmatch followup: …`: a refusal's line.
    public static func line(_ command: String, _ text: String, _ lang: Language = .current) -> String {
        "jobmatch \(command)\(lang.pick("：", ": "))\(text)"
    }

    // MARK: certify

    public static func opened(year: Int, opened: Int, carriedOver: Int, linesCarried: Int, linesDropped: Int, alreadyOpen: Int,
                              _ lang: Language = .current) -> String {
        lang.pick("\(year) 年度申报已开启：新建草稿 \(opened) 家（其中按上年度已审核名单结转 \(carriedOver) 家，结转 \(linesCarried) 人，"
                    + "因安置已结束或合同已到期未结转 \(linesDropped) 人）；此前已开启 \(alreadyOpen) 家",
                  "declarations for \(year) opened: \(opened) new drafts (\(carriedOver) carried over from last year's approved roster, "
                    + "\(linesCarried) people carried, \(linesDropped) left out because their placement or contract had ended); \(alreadyOpen) open already")
    }

    public static func changed(from: DeclarationState, to: DeclarationState, letter: CertificationLetter?, employer: String, year: Int,
                               _ lang: Language = .current) -> String {
        var s = lang.pick("用人单位 \(employer) 的 \(year) 年度申报：", "the \(year) declaration of employer \(employer): ")
            + "\(Labels.state(from, lang)) → \(Labels.state(to, lang))"
        if let l = letter {
            s += lang.pick("；审核确认书编号 \(l.letterNo)，核验码 \(l.verificationCode)",
                           "; confirmation letter \(l.letterNo), verification code \(l.verificationCode)")
        }
        return s
    }

    public static func statusHeader(year: Int, window: CertificationWindow, today: CivilDate, _ lang: Language = .current) -> String {
        lang.pick("\(year) 年度按比例就业申报：申报期 \(window.opens) 至 \(window.closes)，截至 \(today) 剩余 \(window.daysLeft(on: today)) 天",
                  "quota employment declarations for \(year): window \(window.opens) to \(window.closes), \(window.daysLeft(on: today)) days left as of \(today)")
    }

    /// `  9141… 某公司：已申报，12 人，确认书 …`: one employer in `certify status`.
    public static func statusLine(creditCode: String, name: String, state: DeclarationState?, people: Int, letterNo: String?,
                                  _ lang: Language = .current) -> String {
        lang.pick("  \(creditCode) \(name)：\(Labels.state(state, lang))，\(people) 人" + (letterNo.map { "，确认书 \($0)" } ?? ""),
                  "  \(creditCode) \(name): \(Labels.state(state, lang)), \(people) people" + (letterNo.map { ", letter \($0)" } ?? ""))
    }

    /// A returned declaration's reason for one person: `    410…：原因`.
    public static func rowReason(person: String, _ why: String, _ lang: Language = .current) -> String {
        "    \(person)\(lang.pick("：", ": "))\(why)"
    }

    /// An employer that has not declared: `  9141… 某公司（草稿）`, with the days left when reminding.
    public static func pendingLine(creditCode: String, name: String, state: DeclarationState?, daysLeft: Int? = nil,
                                   _ lang: Language = .current) -> String {
        let left = daysLeft.map { lang.pick("，剩余 \($0) 天", ", \($0) days left") } ?? ""
        return lang.pick("  \(creditCode) \(name)（\(Labels.state(state, lang))\(left)）", "  \(creditCode) \(name) (\(Labels.state(state, lang))\(left))")
    }

    public static func returnedBecause(_ why: String, _ lang: Language = .current) -> String {
        lang.pick("退回原因：\(why)", "returned because: \(why)")
    }
    public static func notDeclaredHeader(_ lang: Language = .current) -> String {
        lang.pick("尚未申报（草稿、已退回或未开启）：", "not declared (draft, returned or not opened):")
    }
    public static func remindHeader(_ count: Int, _ lang: Language = .current) -> String {
        lang.pick("应提醒的用人单位： \(count)", "employers to remind: \(count)")
    }
    public static func badRow(_ maskedRow: String, _ lang: Language = .current) -> String {
        lang.pick("--row \(maskedRow)：应为 证号=原因", "--row \(maskedRow): expected CERTIFICATE=WHY")
    }
    public static func badYear(_ year: Int, _ lang: Language = .current) -> String {
        lang.pick("--year \(year)：应为年份，例如 2024", "--year \(year): expected a year such as 2024")
    }

    public static func letterWritten(_ path: String, number: String, _ lang: Language = .current) -> String {
        lang.pick("审核确认书 \(number) 已写入 \(path)", "confirmation letter \(number) written to \(path)")
    }
    /// The PDF could not be made; `exit` is chromium's exit status (nil: no chromium found).
    public static func pdfFailed(exit: Int32?, _ detail: String = "", _ lang: Language = .current) -> String {
        let why = exit.map { "exit \($0)" + (detail.isEmpty ? "" : " \(detail)") } ?? lang.pick("未找到 chromium", "chromium not found")
        return lang.pick("无法生成 PDF（需要 chromium）：\(why)", "cannot make the PDF (it needs chromium): \(why)")
    }
    public static func taxListWritten(_ path: String, rows: Int, _ lang: Language = .current) -> String {
        lang.pick("税务机关名单已写入 \(path)：\(rows) 家已审核单位", "the tax bureau's list written to \(path): \(rows) approved employers")
    }
    public static func remindersRecorded(_ n: Int, _ lang: Language = .current) -> String {
        lang.pick("已登记提醒 \(n) 家", "reminders recorded for \(n) employers")
    }
    public static func hookFailed(_ status: Int32, _ lang: Language = .current) -> String {
        lang.pick("提醒钩子命令失败（退出码 \(status)），未登记提醒", "the reminder hook failed (exit status \(status)); no reminder was recorded")
    }
    public static func windowNotOpen(_ lang: Language = .current) -> String {
        lang.pick("今天不在申报期内，没有需要提醒的单位", "today is outside the declaration window: no employer to remind")
    }

    // MARK: followup

    public static func badOutcome(_ v: String, _ lang: Language = .current) -> String {
        lang.pick("--outcome \(v)：应为 in_work（在岗）、left（已离岗）或 unreachable（无法联系）",
                  "--outcome \(v): expected in_work, left or unreachable")
    }
    public static func badDate(_ option: String, _ v: String, _ lang: Language = .current) -> String {
        lang.pick("\(option) \(v)：日期格式应为 YYYY-MM-DD", "\(option) \(v): expected a date YYYY-MM-DD")
    }
    public static func badWithin(_ days: Int, _ lang: Language = .current) -> String {
        lang.pick("--within \(days)：应为 0 或更多天", "--within \(days): expected 0 or more days")
    }

    /// A follow-up recorded: which scheduled visits it answered (`offsets`, months; empty: unscheduled), and
    /// the end of the placement when the outcome ended it.
    public static func recorded(placement: Int64, offsets: [Int], endedOn: CivilDate?, outcome: FollowUpOutcome,
                                _ lang: Language = .current) -> String {
        if lang == .zh {
            let which = offsets.isEmpty ? "计划外回访" : offsets.map { "第 \($0) 个月" }.joined(separator: "、") + "回访"
            var s = "安置 \(placement)：已登记\(which)，结果：\(outcome.label)"
            if let endedOn { s += "；该安置已于 \(endedOn) 结束（离岗）" }
            return s
        }
        let which = offsets.isEmpty ? "an unscheduled follow-up" : "the follow-up of month " + offsets.map(String.init).joined(separator: ", ")
        var s = "placement \(placement): recorded \(which), outcome: \(Labels.outcome(outcome, .en))"
        if let endedOn { s += "; the placement ended on \(endedOn) (left)" }
        return s
    }

    public static func dueHeader(_ date: CivilDate, count: Int, overdue: Int, _ lang: Language = .current) -> String {
        lang.pick("截至 \(date) 应回访 \(count) 次，其中逾期 \(overdue) 次", "\(count) follow-ups due as of \(date), \(overdue) overdue")
    }
    public static func dueTown(_ town: String, _ lang: Language = .current) -> String {
        lang.pick("镇街 \(town)：", "town \(town):")
    }
    public static func dueLine(placement: Int64, certificate: String, opening: String, kind: String, month: Int, dueOn: CivilDate,
                               overdue: Bool, _ lang: Language = .current) -> String {
        lang.pick("  安置 \(placement) \(certificate) \(opening)（\(Labels.kind(code: kind, lang))） 第 \(month) 个月回访 \(dueOn)\(overdue ? " 逾期" : "")",
                  "  placement \(placement) \(certificate) \(opening) (\(Labels.kind(code: kind, lang))) month-\(month) follow-up \(dueOn)\(overdue ? " overdue" : "")")
    }
    public static func retention(kind: String, months: Int, retained: Int, eligible: Int, _ lang: Language = .current) -> String {
        lang.pick("\(Labels.kind(code: kind, lang)) \(months) 个月在岗：\(retained)/\(eligible)",
                  "\(Labels.kind(code: kind, lang)) in work after \(months) months: \(retained)/\(eligible)")
    }
}
