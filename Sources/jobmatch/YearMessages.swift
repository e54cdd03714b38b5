import App
import Domain
import Quota
import Store

/// Every sentence the `certify` and `followup` commands say to a person, in
/// one place (Chinese; the zh/en catalogue of a later issue takes them over).
/// No internal type's name ever reaches a message.
enum YearText {
    static func refusal(_ r: CertifyStore.Refused) -> String {
        switch r {
        case .rule(let rule): return refusal(rule)
        case .unknownEmployer(let e): return "没有统一社会信用代码为 \(e) 的用人单位"
        case .notOpened(let e, let y): return "用人单位 \(e) 的 \(y) 年度申报尚未开启：请先运行 jobmatch certify open --year \(y)"
        case .reviewIncomplete(let status):
            return "无法审核通过：\(status.label)（请先导入该单位本年度的在职职工人数和工资总额：import employer-years）"
        case .unknownRow(let p): return "退回原因所指的人员 \(p) 不在该单位本年度的申报名单中"
        case .noLetter(let e, let y): return "用人单位 \(e) 的 \(y) 年度申报尚未审核通过，没有审核确认书"
        }
    }

    static func refusal(_ r: CertificationRefusal) -> String {
        switch r {
        case .alreadyApproved: return "该申报已审核通过，不能再次审核或申报；如需更正，请由管理员重新打开（certify reopen --admin --reason 原因）"
        case .notSubmitted(let s): return "该申报当前为“\(s.label)”状态，尚未提交，不能审核或退回"
        case .alreadySubmitted: return "该申报已提交，正在等待审核"
        case .returnNeedsReason: return "退回申报必须填写原因（--reason 原因，或 --row 证号=原因）"
        case .lateApprovalNeedsAdminAndReason(let closed):
            return "申报期已于 \(closed) 结束：逾期审核须由管理员操作并说明原因（--admin --reason 原因）"
        case .reopenNeedsApproved(let s): return "只有已审核通过的申报才能重新打开，该申报当前为“\(s.label)”状态"
        case .reopenNeedsAdminAndReason: return "重新打开已审核的申报须由管理员操作并说明原因（--admin --reason 原因）"
        }
    }

    static func refusal(_ r: FollowUp.Refused) -> String {
        switch r {
        case .unknownPlacement(let id): return "没有编号为 \(id) 的安置记录（见 followup due 的 placement_id）"
        case .beforeStart(let start): return "回访日期早于安置开始日期 \(start)"
        case .alreadyEnded(let end): return "该安置已于 \(end) 结束，不能再登记回访"
        }
    }

    static func stateLabel(_ s: DeclarationState?) -> String { s?.label ?? "未开启" }

    static func opened(_ o: CertifyStore.OpenOutcome, year: Int) -> String {
        "\(year) 年度申报已开启：新建草稿 \(o.opened) 家（其中按上年度已审核名单结转 \(o.carriedOver) 家，结转 \(o.linesCarried) 人，"
            + "因安置已结束或合同已到期未结转 \(o.linesDropped) 人）；此前已开启 \(o.alreadyOpen) 家"
    }

    static func changed(_ c: CertifyStore.Change, employer: String, year: Int) -> String {
        var s = "用人单位 \(employer) 的 \(year) 年度申报：\(c.from.label) → \(c.to.label)"
        if let l = c.letter { s += "；审核确认书编号 \(l.letterNo)，核验码 \(l.verificationCode)" }
        return s
    }

    static func statusHeader(year: Int, window: CertificationWindow, today: CivilDate) -> String {
        "\(year) 年度按比例就业申报：申报期 \(window.opens) 至 \(window.closes)，截至 \(today) 剩余 \(window.daysLeft(on: today)) 天"
    }

    static func returnedBecause(_ why: String) -> String { "退回原因：\(why)" }
    static let notDeclaredHeader = "尚未申报（草稿、已退回或未开启）："
    static let remindHeader = "应提醒的用人单位："

    static func letterWritten(_ path: String, number: String) -> String { "审核确认书 \(number) 已写入 \(path)" }
    static func pdfFailed(_ why: String) -> String { "无法生成 PDF（需要 chromium）：\(why)" }
    static func taxListWritten(_ path: String, rows: Int) -> String { "税务机关名单已写入 \(path)：\(rows) 家已审核单位" }
    static func remindersRecorded(_ n: Int) -> String { "已登记提醒 \(n) 家" }
    static func hookFailed(_ status: Int32) -> String { "提醒钩子命令失败（退出码 \(status)），未登记提醒" }
    static let windowNotOpen = "今天不在申报期内，没有需要提醒的单位"

    static func badOutcome(_ v: String) -> String { "--outcome \(v)：应为 in_work（在岗）、left（已离岗）或 unreachable（无法联系）" }
    static func badDate(_ option: String, _ v: String) -> String { "\(option) \(v)：日期格式应为 YYYY-MM-DD" }

    static func recorded(_ r: FollowUp.Recorded, placement: Int64, outcome: FollowUpOutcome) -> String {
        let which = r.offsets.isEmpty ? "计划外回访" : r.offsets.map { "第 \($0) 个月" }.joined(separator: "、") + "回访"
        var s = "安置 \(placement)：已登记\(which)，结果：\(outcome.label)"
        if let end = r.endedOn { s += "；该安置已于 \(end) 结束（离岗）" }
        return s
    }

    static func dueHeader(_ date: CivilDate, count: Int, overdue: Int) -> String {
        "截至 \(date) 应回访 \(count) 次，其中逾期 \(overdue) 次"
    }

    static func kindLabel(_ code: String) -> String { OpeningKind(codeOrLabel: code)?.label ?? code }
}
