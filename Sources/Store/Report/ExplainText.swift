// Store/Report — pure rendering for staff: explanations, export tables (CSV
// and JSON), the plan's indicators and the HTML report. Functions from values
// to strings or bytes: no SQL, no files, no clock. The `*Store` files beside
// them read the values; the CLI writes the result where it is asked to.

import Domain

/// What `explain --seeker` says about one seeker, read from a stored run.
public struct SeekerExplanation: Sendable, Equatable {
    /// An opening as staff know it.
    public struct OpeningLabel: Sendable, Equatable {
        public var id: String
        public var category: String
        public var town: String
        public var kindLabel: String
        public var title: String?
        public init(id: String, category: String, town: String, kindLabel: String, title: String?) {
            self.id = id; self.category = category; self.town = town; self.kindLabel = kindLabel; self.title = title
        }
        /// `YS-P001（社区服务人员，首阳山街道，公益性岗位）`.
        public var text: String {
            "\(id)（\(title.map { "\($0)，" } ?? "")\(category)，\(town)，\(kindLabel)）"
        }
    }
    /// A score part as stored in `proposal.score_parts`.
    public struct Part: Sendable, Equatable {
        public var label: String
        public var points: Int
        public var maximum: Int
        public var detail: String
        public init(label: String, points: Int, maximum: Int, detail: String) {
            self.label = label; self.points = points; self.maximum = maximum; self.detail = detail
        }
    }
    /// The run explained.
    public struct Run: Sendable, Equatable {
        public var runID: Int64
        public var region: String
        public var date: String
        public init(runID: Int64, region: String, date: String) { self.runID = runID; self.region = region; self.date = date }
    }
    /// What the seeker got.
    public enum Outcome: Sendable, Equatable {
        /// A proposal: id, opening, score, stored reasons (without the score
        /// parts, which `parts` carries), confirmation time if confirmed.
        case proposed(proposalID: Int64, opening: OpeningLabel, score: Int, reasons: [String], parts: [Part], confirmedAt: String?)
        /// Unmatched with the stored reason code and text.
        case unmatched(reason: String, detail: String)
        /// Not a candidate of the run: E1 refused (the sentence says why).
        case excludedByE1(String)
        /// In no run: E1 admits them today, yet the run does not hold them.
        case notInRun(String)
    }

    public var certificateKey: String
    public var name: String
    /// nil when no run has been made in the seeker's region.
    public var run: Run?
    public var outcome: Outcome
    /// Other eligible openings of the seeker in the run, best score first (at most 5).
    public var alternatives: [(opening: OpeningLabel, score: Int)]

    public init(certificateKey: String, name: String, run: Run?, outcome: Outcome, alternatives: [(opening: OpeningLabel, score: Int)]) {
        self.certificateKey = certificateKey; self.name = name; self.run = run; self.outcome = outcome; self.alternatives = alternatives
    }

    public static func == (a: SeekerExplanation, b: SeekerExplanation) -> Bool {
        a.certificateKey == b.certificateKey && a.name == b.name && a.run == b.run && a.outcome == b.outcome
            && a.alternatives.map(\.opening) == b.alternatives.map(\.opening) && a.alternatives.map(\.score) == b.alternatives.map(\.score)
    }

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
        case .excludedByE1(let sentence):
            lines.append("结果：未参加本次匹配——E1 求职状态：\(sentence)。")
        case .notInRun(let sentence):
            lines.append("结果：\(sentence)")
        }
        if !alternatives.isEmpty {
            lines.append(outcomeIsProposal ? "其他符合条件的岗位（按匹配分，最多 5 个）：" : "符合条件的岗位（按匹配分，最多 5 个）：")
            lines += alternatives.map { "  - \($0.opening.text)：匹配分 \($0.score)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var outcomeIsProposal: Bool { if case .proposed = outcome { true } else { false } }
}
