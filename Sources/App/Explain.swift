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
            throw StoreError.notFound(.seeker(Masking.identifier(key)))
        }
        let run: SeekerExplanation.Run?
        if let runID {
            guard let stored = try ExplainStore.run(c, runID: runID) else { throw StoreError.notFound(.run(runID)) }
            run = stored
        } else {
            run = try ExplainStore.latestRun(c, key: key)
        }
        guard let run else {
            return SeekerExplanation(certificateKey: key, name: seeker.name, run: nil,
                                     outcome: .notInRun(.noRunYet), alternatives: [])
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
                outcome = .excludedByE1(.notSeeking(status))
            case .alreadyPlaced(let opening)?:
                outcome = .excludedByE1(.alreadyPlaced(opening: opening.value, date: run.date))
            default:
                outcome = .notInRun(.notHeld(region: run.region))
            }
        }
        let alternatives = try ExplainStore.alternatives(c, runID: run.runID, key: key, except: proposedOpening)
        return SeekerExplanation(certificateKey: key, name: seeker.name, run: run, outcome: outcome, alternatives: alternatives)
    }
}
