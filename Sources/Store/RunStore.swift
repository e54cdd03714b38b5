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
    /// The stored JSON shapes, as readers decode them (`explain`): written by the
    /// text writers below with the same keys.
    struct StoredPart: Codable { let code: String; let label: String; let points: Int; let maximum: Int; let detail: String }
    struct StoredReason: Codable { let code: String; let text: String }
    struct StoredUnmatched: Codable { let text: String; let openings: [String] }

    /// JSON of a timings map, keys sorted.
    static func json(_ timings: [String: Double]) -> String {
        var o = JSONObjectText()
        for (k, v) in timings.sorted(by: { $0.key < $1.key }) { o.raw(k, String(v)) }
        return o.text
    }

    /// `proposal.score_parts`: `[{code, label, points, maximum, detail}]`.
    static func json(_ parts: [ScorePart]) -> String {
        "[" + parts.map { p in
            var o = JSONObjectText()
            o.string("code", p.code); o.string("detail", p.detail); o.string("label", p.label)
            o.raw("maximum", String(p.maximum)); o.raw("points", String(p.points))
            return o.text
        }.joined(separator: ",") + "]"
    }

    /// `proposal.reasons`: `[{code, text}]`.
    static func json(_ reasons: [PlanReason]) -> String {
        "[" + reasons.map { r in
            var o = JSONObjectText()
            o.string("code", r.code); o.string("text", r.chinese)
            return o.text
        }.joined(separator: ",") + "]"
    }

    /// `unmatched.detail`: `{openings, text}`.
    static func json(unmatched u: Unmatched) -> String {
        var o = JSONObjectText()
        o.raw("openings", "[" + u.reason.openingIDs.map(JSONObjectText.quoted).joined(separator: ",") + "]")
        o.string("text", u.detail)
        return o.text
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
                    \(o.households), \(o.priority), \(o.placed), \(o.score), \(json(run.timings))::jsonb, \(run.createdBy))
            RETURNING run_id
            """)[0].int64("run_id")
        let id = String(runID)
        try tx.copyIn("COPY proposal (run_id, certificate_no, opening_id, score, score_parts, reasons) FROM STDIN") { w in
            for p in run.plan.proposals {
                try w.append(row: [id, p.certificateKey, p.openingID.value, String(p.score.total), json(p.score.parts), json(p.reasons)])
            }
        }
        try tx.copyIn("COPY candidate_set (run_id, certificate_no, opening_ids, scores) FROM STDIN") { w in
            let p = run.problem
            for s in 0..<p.seekers.count {
                let edges = Int(p.seekerStart[s])..<Int(p.seekerStart[s + 1])
                guard !edges.isEmpty else { continue }
                let ids = edges.map { p.openings[Int(p.opening[$0])].id.value }.postgresText
                let scores = edges.map { Int(p.score[$0]) }.postgresText
                try w.append(row: [id, p.seekers[s].certificateKey, ids, scores])
            }
        }
        try tx.copyIn("COPY unmatched (run_id, certificate_no, reason, detail) FROM STDIN") { w in
            for u in run.plan.unmatched {
                try w.append(row: [id, u.certificateKey, u.reason.code, json(unmatched: u)])
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
