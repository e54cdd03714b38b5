import Domain
import Matching
import Postgres
import Store

/// `explain --seeker`: what a STORED run said about one seeker, so the answer is
/// what the run decided, not a recomputation on today's data. Only a seeker
/// absent from the run is judged now, by Matching's E1 on the run's date.
public enum Explain {
    /// The explanation of `certificate` in `runID`, or by default in the latest
    /// run that holds the seeker (else the latest run of a region above the
    /// seeker's town). Throws `StoreError.notFound` for an unknown seeker or run.
    public static func seeker(_ c: Connection, certificate: String, runID: Int64?) throws -> SeekerExplanation {
        let key = String(certificate.uppercased().prefix(20))
        guard let seeker = try ExplainStore.seeker(c, key: key) else {
            throw StoreError.notFound("seeker \(Masking.identifier(key))")
        }
        let run: SeekerExplanation.Run?
        if let runID {
            guard let stored = try ExplainStore.run(c, runID: runID) else { throw StoreError.notFound("run \(runID)") }
            run = stored
        } else {
            run = try ExplainStore.latestRun(c, key: key)
        }
        guard let run else {
            return SeekerExplanation(certificateKey: key, name: seeker.name, run: nil,
                                     outcome: .notInRun("尚无可解释的匹配结果；运行 `jobmatch match` 后再查询。"), alternatives: [])
        }

        var proposedOpening: String?
        let outcome: SeekerExplanation.Outcome
        if let p = try ExplainStore.proposal(c, runID: run.runID, key: key) {
            proposedOpening = p.openingID
            outcome = .proposed(proposalID: p.proposalID, opening: try ExplainStore.label(c, p.openingID),
                                score: p.score, reasons: p.reasons.filter { !$0.code.hasPrefix("score_") }.map(\.text),
                                parts: p.parts, confirmedAt: p.confirmedAt)
        } else if let u = try ExplainStore.unmatched(c, runID: run.runID, key: key) {
            outcome = .unmatched(reason: u.reason, detail: u.detail)
        } else {
            // Not in the run: E1 (status, or a placement active on the run's date), else another reason.
            let status = SeekerStatus(codeOrLabel: seeker.status) ?? .seeking
            let placed = try ExplainStore.activePlacement(c, key: key, on: run.date)
            switch Eligibility.e1(status: status, activePlacement: placed.map(OpeningID.init)).first {
            case .notSeeking(let status)?:
                outcome = .excludedByE1("求职状态为“\(status.label)”，不在求职中")
            case .alreadyPlaced(let opening)?:
                outcome = .excludedByE1("运行日 \(run.date) 已在岗位 \(opening) 就业（安置记录有效）")
            default:
                outcome = .notInRun("不在本次运行中：E1 不排除此人（求职中、运行日无有效安置），可能是运行之后才登记，或所在镇街不在区域 \(run.region) 内。")
            }
        }
        let alternatives = try ExplainStore.alternatives(c, runID: run.runID, key: key, except: proposedOpening)
        return SeekerExplanation(certificateKey: key, name: seeker.name, run: run, outcome: outcome, alternatives: alternatives)
    }
}
