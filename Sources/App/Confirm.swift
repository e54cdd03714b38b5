import Domain
import Foundation
import Matching
import Postgres
import Store

/// `jobmatch confirm`: proposals become placements (CONTRACT.md §1, §3 "a
/// confirmed proposal is a placement").
///
/// A proposal is confirmed only if, at that moment and on the start date, the
/// pair still passes every rule E1–E8 (a fresh snapshot of the run's region,
/// `Eligibility.check`) and the opening still has a slot, counting placements
/// made earlier in the same command. Refused: a proposal already confirmed, a
/// proposal of a superseded run (a later run of the same region exists), a
/// seeker no longer eligible, an opening with no slot left.
///
/// One transaction per command. The openings and proposals concerned are
/// locked (`FOR UPDATE`, in key order, so two staff confirming at once queue
/// rather than deadlock or overfill an opening) before the snapshot is read.
/// All-or-nothing unless `partial`: one refusal writes nothing.
public enum Confirm {
    /// What to confirm.
    public typealias Selection = ProposalStore.Selection

    /// One confirmed proposal.
    public struct Confirmed: Sendable, Equatable {
        public let proposalID: Int64
        public let runID: Int64
        public let certificateKey: String
        public let openingID: String
        public let startDate: CivilDate
    }

    /// One refusal: the proposal and a one-line reason (identities masked).
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public let proposalID: Int64
        /// The reason as a value (Render's `ConfirmMessages` words it in Chinese or English).
        public let why: ConfirmRefusalReason
        /// The reason in English (the command line's line).
        public let reason: String
        public var description: String { "proposal \(proposalID): \(reason)" }
    }

    /// What a command did.
    public struct Outcome: Sendable, Equatable {
        /// Written (empty when refused as a whole).
        public var confirmed: [Confirmed]
        /// Refused (written nothing unless the command was partial).
        public var refused: [Refusal]
        /// `--all` only: proposals of the run that were confirmed before, skipped.
        public var alreadyConfirmed: Int
    }

    /// Some proposals were refused and the command was all-or-nothing:
    /// nothing was written. One line per refusal.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public let refusals: [Refusal]
        public var description: String { refusals.map(\.description).joined(separator: "\n") }
    }

    typealias Candidate = ProposalStore.Candidate

    /// Confirms `selection`; `startDate` defaults to each run's date.
    /// Throws `Refused` (nothing written) when any is refused and `partial` is false.
    public static func confirm(_ c: Connection, _ selection: Selection, startDate: CivilDate?, partial: Bool,
                               jurisdiction: String, actor: String) throws -> Outcome {
        do {
            return try c.transaction { tx -> Outcome in
                let candidates = try ProposalStore.lock(tx, selection)
                var refused: [Refusal] = []
                var skipped = 0
                var live: [Candidate] = []
                if case .proposals(let ids) = selection {
                    let found = Set(candidates.map(\.proposalID))
                    for id in ids where !found.contains(id) { refused.append(Refusal(proposalID: id, why: .noSuchProposal, reason: "no such proposal")) }
                }
                for p in candidates {
                    if let at = p.confirmedAt {
                        if case .allOfRun = selection { skipped += 1; continue }
                        refused.append(Refusal(proposalID: p.proposalID, why: .alreadyConfirmed(at: "\(at)"), reason: "already confirmed (\(at))"))
                    } else if let later = p.supersededBy {
                        refused.append(Refusal(proposalID: p.proposalID, why: .superseded(run: p.runID, by: later, region: p.region),
                                               reason: "run \(p.runID) is superseded by run \(later) of region \(p.region); confirm from the latest run"))
                    } else {
                        live.append(p)
                    }
                }
                var confirmed: [Confirmed] = []
                // One snapshot per (region, start date): usually exactly one.
                let groups = Dictionary(grouping: live) { "\($0.region)|\(startDate ?? $0.runDate)" }
                let (book, _) = try PolicyStore.load(tx)
                for key in groups.keys.sorted() {
                    let group = groups[key]!.sorted { $0.proposalID < $1.proposalID }
                    let day = startDate ?? group[0].runDate
                    let snapshot = try SnapshotStore.read(tx, region: group[0].region, date: day)
                    let policy = try MatchingPolicy(book: book, jurisdiction: jurisdiction, date: day)
                    let context = MatchContext(MatchInput(snapshot: snapshot, policy: policy))
                    let seekers = Dictionary(snapshot.seekers.map { ($0.certificate.key, $0) }, uniquingKeysWith: { a, _ in a })
                    let openings = Dictionary(snapshot.openings.map { ($0.id.value, $0) }, uniquingKeysWith: { a, _ in a })
                    var takenHere: [String: Int] = [:]
                    var placedHere: Set<String> = []
                    for p in group {
                        let who = Masking.identifier(p.certificateKey)
                        guard let seeker = seekers[p.certificateKey], let opening = openings[p.openingID] else {
                            refused.append(Refusal(proposalID: p.proposalID, why: .goneFromRegion(seeker: who, opening: p.openingID, region: p.region),
                                                   reason: "seeker \(who) or opening \(p.openingID) is no longer in region \(p.region)"))
                            continue
                        }
                        if placedHere.contains(p.certificateKey) {
                            refused.append(Refusal(proposalID: p.proposalID, why: .placedByAnother(seeker: who), reason: "seeker \(who) is placed by another proposal of this command"))
                            continue
                        }
                        let reasons = Eligibility.check(seeker: seeker, opening: opening, context: context)
                        if let r = reasons.first(where: { if case .noSlotsLeft = $0 { false } else { true } }) {
                            refused.append(Refusal(proposalID: p.proposalID,
                                                   why: .noLongerEligible(seeker: who, opening: p.openingID, day: day, rule: r.rule.description,
                                                                          ruleName: r.rule.chinese, code: r.code, detail: r.chinese),
                                                   reason: "seeker \(who) is no longer eligible for \(p.openingID) on \(day): \(r.rule) \(r.rule.chinese) (\(r.code)) — \(r.chinese)"))
                            continue
                        }
                        let left = context.slotsLeft(opening) - takenHere[p.openingID, default: 0]
                        if left <= 0 {
                            refused.append(Refusal(proposalID: p.proposalID, why: .noSlotLeft(opening: p.openingID, day: day, slots: opening.slots),
                                                   reason: "no slot left in \(p.openingID) on \(day): its \(opening.slots) slots are taken by active placements"))
                            continue
                        }
                        takenHere[p.openingID, default: 0] += 1
                        placedHere.insert(p.certificateKey)
                        try ProposalStore.place(tx, p, startDate: day, monthlyWage: opening.monthlyWage)
                        try Audit.record(tx, actor: actor, action: "confirm", subject: "proposal",
                                         detail: ["proposal_id": String(p.proposalID), "run_id": String(p.runID)])
                        confirmed.append(Confirmed(proposalID: p.proposalID, runID: p.runID, certificateKey: p.certificateKey,
                                                   openingID: p.openingID, startDate: day))
                    }
                }
                refused.sort { $0.proposalID < $1.proposalID }
                if !refused.isEmpty && !partial { throw Refused(refusals: refused) }
                return Outcome(confirmed: confirmed.sorted { $0.proposalID < $1.proposalID }, refused: refused, alreadyConfirmed: skipped)
            }
        } catch {
            // The refusal itself, not the transaction wrapper: nothing was written.
            if let body = error.body, body is Refused || body is StoreError { throw body }
            throw error
        }
    }
}
