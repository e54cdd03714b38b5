import Domain
import Foundation
import Matching
import Postgres

/// A computed run, ready to be written.
public struct ComputedRun: Sendable {
    public var regionCode: String
    public var date: CivilDate
    public var snapshotAt: String
    public var startedAt: Date
    public var finishedAt: Date
    public var problem: MatchProblemData
    public var plan: MatchPlan
    /// Seconds per phase: `snapshot`, `build`, `solve`, `explain` (and `write`, added when written).
    public var timings: [String: Double]
    public var createdBy: String
    public var requestID: Int64?

    public init(regionCode: String, date: CivilDate, snapshotAt: String, startedAt: Date, finishedAt: Date,
                problem: MatchProblemData, plan: MatchPlan, timings: [String: Double], createdBy: String, requestID: Int64?) {
        self.regionCode = regionCode; self.date = date; self.snapshotAt = snapshotAt; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.problem = problem; self.plan = plan; self.timings = timings
        self.createdBy = createdBy; self.requestID = requestID
    }
}

/// Writes runs: the run row, its proposals with score parts and reasons, every
/// eligible pair, and every unmatched seeker with a reason — in the caller's
/// transaction, with COPY for the bulk, so a run exists whole or not at all.
public enum RunStore {
    /// JSON shapes stored in `proposal.score_parts`, `proposal.reasons` and `unmatched.detail`.
    struct StoredPart: Codable { let code: String; let label: String; let points: Int; let maximum: Int; let detail: String }
    struct StoredReason: Codable { let code: String; let text: String }
    struct StoredUnmatched: Codable { let text: String; let openings: [String] }

    static func json(_ value: some Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// Inserts the run and everything it proposes; returns the run id.
    public static func write(_ tx: Connection, _ run: ComputedRun) throws -> Int64 {
        let o = run.plan.objective
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let runID = try tx.query("""
            INSERT INTO match_run (request_id, region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings,
                                   pairs, objective_households, objective_priority, objective_placed, objective_score, timings, created_by)
            VALUES (\(run.requestID), \(run.regionCode), \(run.date.description)::date, \(run.snapshotAt)::timestamptz,
                    \(iso.string(from: run.startedAt))::timestamptz, \(iso.string(from: run.finishedAt))::timestamptz,
                    \(run.problem.seekers.count), \(run.problem.openings.count), \(run.problem.pairCount),
                    \(o.households), \(o.priority), \(o.placed), \(o.score), \(try json(run.timings))::jsonb, \(run.createdBy))
            RETURNING run_id
            """)[0].int64("run_id")
        let id = String(runID)
        try tx.copyIn("COPY proposal (run_id, certificate_no, opening_id, score, score_parts, reasons) FROM STDIN") { w in
            for p in run.plan.proposals {
                let parts = p.score.parts.map { StoredPart(code: $0.code, label: $0.label, points: $0.points, maximum: $0.maximum, detail: $0.detail) }
                let reasons = p.reasons.map { StoredReason(code: $0.code, text: $0.chinese) }
                try w.append(row: [id, p.certificateKey, p.openingID.value, String(p.score.total), try json(parts), try json(reasons)])
            }
        }
        try tx.copyIn("COPY candidate (run_id, certificate_no, opening_id, score) FROM STDIN") { w in
            let p = run.problem
            for s in 0..<p.seekers.count {
                let cert = p.seekers[s].certificateKey
                for e in Int(p.seekerStart[s])..<Int(p.seekerStart[s + 1]) {
                    try w.append(row: [id, cert, p.openings[Int(p.opening[e])].id.value, String(p.score[e])])
                }
            }
        }
        try tx.copyIn("COPY unmatched (run_id, certificate_no, reason, detail) FROM STDIN") { w in
            for u in run.plan.unmatched {
                try w.append(row: [id, u.certificateKey, u.reason.code, try json(StoredUnmatched(text: u.detail, openings: u.reason.openingIDs))])
            }
        }
        return runID
    }
}

extension UnmatchedReason {
    /// The openings the explanation names (nearest excluded ones, or the ones taken).
    var openingIDs: [String] {
        switch self {
        case .noEligibleOpening(let nearest): nearest.map(\.openingID.value)
        case .outcompeted(let competitions): competitions.map(\.openingID.value)
        }
    }
}
