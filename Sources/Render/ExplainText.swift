// Render — pure: every word and file a person reads. Functions from values to
// strings or bytes: no SQL, no files, no clock, no environment. Store and the
// use cases read the values; the CLI writes the result where it is asked to.

import Domain

extension SeekerExplanation.OpeningLabel {
    /// `YS-P001（社区服务人员，首阳山街道，公益性岗位）`.
    public var text: String {
        "\(id)（\(title.map { "\($0)，" } ?? "")\(category)，\(town)，\(Labels.kind(code: kind, .zh))）"
    }
}

extension SeekerExplanation {
    /// Plain Chinese for staff to read out; the seeker's certificate and name
    /// masked unless `unmasked` (CONTRACT.md §5). Other people named in stored
    /// texts are always masked (they were masked when the run was written).
    public func chinese(unmasked: Bool) -> String {
        let cert = unmasked ? certificateKey : Masking.identifier(certificateKey)
        let person = unmasked ? name : Masking.name(name)
        var lines = ["求职者：\(person)（残疾人证号 \(cert)）"]
        if let run {
            lines.append("匹配运行：第 \(run.runID) 次（区域 \(run.region)，运行日期 \(run.date)）")
        } else {
            lines.append("匹配运行：所在区域尚未运行过匹配。")
        }
        switch outcome {
        case .proposed(let id, let opening, let score, let reasons, let parts, let confirmedAt):
            lines.append("结果：推荐岗位 \(opening.text)，匹配分 \(score)/1000（推荐编号 \(id)，"
                         + (confirmedAt.map { "已于 \($0) 确认安置" } ?? "尚未确认；确认用 `jobmatch confirm \(id)`") + "）。")
            if !reasons.isEmpty {
                lines.append("推荐理由：")
                lines += reasons.map { "  - \($0)" }
            }
            if !parts.isEmpty {
                lines.append("匹配分构成（分数越高越合适）：")
                lines += parts.map { "  - \($0.label) \($0.points)/\($0.maximum) 分：\($0.detail)" }
            }
        case .unmatched(let reason, let detail):
            let why = reason == "outcompeted" ? "符合条件的岗位已由他人取得" : "没有符合条件的岗位"
            lines.append("结果：本次未安排岗位（\(why)）。")
            lines.append("说明：\(detail)")
        case .excludedByE1(let why):
            lines.append("结果：未参加本次匹配——E1 求职状态：\(ExplainMessages.exclusion(why, .zh))。")
        case .notInRun(let why):
            lines.append("结果：\(ExplainMessages.absence(why, .zh))")
        }
        if !alternatives.isEmpty {
            lines.append(outcomeIsProposal ? "其他符合条件的岗位（按匹配分，最多 5 个）：" : "符合条件的岗位（按匹配分，最多 5 个）：")
            lines += alternatives.map { "  - \($0.opening.text)：匹配分 \($0.score)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var outcomeIsProposal: Bool { if case .proposed = outcome { true } else { false } }
}
