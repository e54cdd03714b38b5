import Domain
import Foundation
import Matching
import Postgres

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
public enum ConfirmStore {
    /// What to confirm.
    public enum Selection: Sendable, Equatable {
        /// These proposals.
        case proposals([Int64])
        /// Every proposal of the run not yet confirmed.
        case allOfRun(Int64)
    }

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

    struct Candidate {
        let proposalID: Int64
        let runID: Int64
        let region: String
        let runDate: CivilDate
        let certificateKey: String
        let openingID: String
        let confirmedAt: String?
        let supersededBy: Int64?
    }

    /// Confirms `selection`; `startDate` defaults to each run's date.
    /// Throws `Refused` (nothing written) when any is refused and `partial` is false.
    public static func confirm(_ c: Connection, _ selection: Selection, startDate: CivilDate?, partial: Bool,
                               jurisdiction: String, actor: String) throws -> Outcome {
        do {
            return try c.transaction { tx -> Outcome in
                let candidates = try lock(tx, selection)
                var refused: [Refusal] = []
                var skipped = 0
                var live: [Candidate] = []
                if case .proposals(let ids) = selection {
                    let found = Set(candidates.map(\.proposalID))
                    for id in ids where !found.contains(id) { refused.append(Refusal(proposalID: id, reason: "no such proposal")) }
                }
                for p in candidates {
                    if let at = p.confirmedAt {
                        if case .allOfRun = selection { skipped += 1; continue }
                        refused.append(Refusal(proposalID: p.proposalID, reason: "already confirmed (\(at))"))
                    } else if let later = p.supersededBy {
                        refused.append(Refusal(proposalID: p.proposalID,
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
                            refused.append(Refusal(proposalID: p.proposalID,
                                                   reason: "seeker \(who) or opening \(p.openingID) is no longer in region \(p.region)"))
                            continue
                        }
                        if placedHere.contains(p.certificateKey) {
                            refused.append(Refusal(proposalID: p.proposalID, reason: "seeker \(who) is placed by another proposal of this command"))
                            continue
                        }
                        let reasons = Eligibility.check(seeker: seeker, opening: opening, context: context)
                        if let r = reasons.first(where: { if case .noSlotsLeft = $0 { false } else { true } }) {
                            refused.append(Refusal(proposalID: p.proposalID,
                                                   reason: "seeker \(who) is no longer eligible for \(p.openingID) on \(day): \(r.rule) \(r.rule.chinese) (\(r.code)) — \(r.chinese)"))
                            continue
                        }
                        let left = context.slotsLeft(opening) - takenHere[p.openingID, default: 0]
                        if left <= 0 {
                            refused.append(Refusal(proposalID: p.proposalID,
                                                   reason: "no slot left in \(p.openingID) on \(day): its \(opening.slots) slots are taken by active placements"))
                            continue
                        }
                        takenHere[p.openingID, default: 0] += 1
                        placedHere.insert(p.certificateKey)
                        try tx.query("""
                            INSERT INTO placement (certificate_no, opening_id, start_date, monthly_wage_fen, source, proposal_id)
                            VALUES (\(p.certificateKey), \(p.openingID), \(day.description)::date, \(opening.monthlyWage?.value), 'confirmed', \(p.proposalID))
                            """)
                        try tx.query("UPDATE proposal SET confirmed_at = now() WHERE proposal_id = \(p.proposalID)")
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

    /// Locks the openings, then the proposals, in key order; returns the proposals.
    static func lock(_ tx: Connection, _ selection: Selection) throws -> [Candidate] {
        let filter: Query
        switch selection {
        case .proposals(let ids): filter = "p.proposal_id = ANY(\(ids.map { Int($0) })::bigint[])"
        case .allOfRun(let run):
            guard try tx.query("SELECT 1 FROM match_run WHERE run_id = \(run)").count == 1 else {
                throw StoreError.notFound("run \(run)")
            }
            filter = "p.run_id = \(run)"
        }
        _ = try tx.query(Query(unsafeSQL: """
            SELECT o.opening_id FROM opening o
            WHERE o.opening_id IN (SELECT p.opening_id FROM proposal p WHERE \(filter.sql))
            ORDER BY o.opening_id FOR UPDATE
            """, binds: filter.binds))
        return try tx.query(Query(unsafeSQL: """
            SELECT p.proposal_id, p.run_id, r.region_code, r.run_date::text AS run_date, p.certificate_no, p.opening_id,
                   to_char(p.confirmed_at, 'YYYY-MM-DD HH24:MI:SSOF') AS confirmed_at,
                   (SELECT max(l.run_id) FROM match_run l WHERE l.region_code = r.region_code AND l.run_id > r.run_id) AS superseded_by
            FROM proposal p JOIN match_run r ON r.run_id = p.run_id
            WHERE \(filter.sql)
            ORDER BY p.proposal_id FOR UPDATE OF p
            """, binds: filter.binds)).map { row in
            guard let date = CivilDate(iso: try row.string("run_date")) else { throw StoreError.conflict("match_run: run_date does not decode") }
            return Candidate(proposalID: try row.int64("proposal_id"), runID: try row.int64("run_id"), region: try row.string("region_code"),
                             runDate: date, certificateKey: try row.string("certificate_no"), openingID: try row.string("opening_id"),
                             confirmedAt: try row.optionalString("confirmed_at"), supersededBy: try row.optionalInt64("superseded_by"))
        }
    }
}
