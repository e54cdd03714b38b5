import Domain
import Foundation
import Matching
import Parallelism
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
    /// The codes of the top-level regions (no parent), in order.
    public static func topLevelRegions(_ c: Connection) throws -> [String] {
        try c.query("SELECT code FROM region WHERE parent_code IS NULL ORDER BY code").map { try $0.string("code") }
    }

    /// A written run's proposal ids by certificate key.
    public static func proposalIDs(_ c: Connection, runID: Int64) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try c.query("SELECT proposal_id, certificate_no FROM proposal WHERE run_id = \(runID)") {
            ids[try row.string("certificate_no")] = try row.int64("proposal_id")
        }
        return ids
    }

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

    /// Inserts the run and everything it proposes; returns the run id. One call, for a
    /// run computed whole; `MatchRunner.runAndWrite` calls the three steps itself, so
    /// that the pairs are copied while the solver runs.
    public static func write(_ tx: Connection, _ run: ComputedRun) throws -> Int64 {
        let runID = try begin(tx, regionCode: run.regionCode, date: run.date, snapshotAt: run.snapshotAt, startedAt: run.startedAt,
                              problem: run.problem, createdBy: run.createdBy, requestID: run.requestID)
        try writeCandidates(tx, runID: runID, run.problem)
        try finish(tx, runID: runID, run)
        return runID
    }

    /// Inserts the run's row with what is known before solving (counts; the objective
    /// as zero and the finish time as the start until `finish`) and returns its id.
    /// Readers never see those placeholders: `finish` runs in the same transaction.
    public static func begin(_ tx: Connection, regionCode: String, date: CivilDate, snapshotAt: String, startedAt: Date,
                             problem: MatchProblemData, createdBy: String, requestID: Int64?) throws -> Int64 {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let started = iso.string(from: startedAt)
        return try tx.query("""
            INSERT INTO match_run (request_id, region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings,
                                   pairs, objective_households, objective_priority, objective_placed, objective_score, timings, created_by)
            VALUES (\(requestID), \(regionCode), \(date.description)::date, \(snapshotAt)::timestamptz,
                    \(started)::timestamptz, \(started)::timestamptz,
                    \(problem.seekers.count), \(problem.openings.count), \(problem.pairCount),
                    0, 0, 0, 0, '{}'::jsonb, \(createdBy))
            RETURNING run_id
            """)[0].int64("run_id")
    }

    /// Copies every eligible pair of the run into `candidate_set`, one row per seeker
    /// with parallel arrays. The array literals are built as bytes, each opening's
    /// quoted id once: building them as Swift strings per pair was 1.3 s of client CPU
    /// for a district's 1.4 M pairs (measured), more than the server's COPY of them.
    public static func writeCandidates(_ tx: Connection, runID: Int64, _ p: MatchProblemData) throws {
        let quotedID: [[UInt8]] = p.openings.map { o in
            var element = [o.id.value].postgresText ?? "{}"  // `{"ID"}`, escaped as an array element
            element.removeFirst()
            element.removeLast()
            return Array(element.utf8)
        }
        let decimal: [[UInt8]] = (0...1000).map { Array(String($0).utf8) }  // scores are 0…1000
        let id = Array(String(runID).utf8)
        var ids: [UInt8] = [], scores: [UInt8] = []
        try tx.copyIn("COPY candidate_set (run_id, certificate_no, opening_ids, scores) FROM STDIN") { w in
            for s in 0..<p.seekers.count {
                let edges = Int(p.seekerStart[s])..<Int(p.seekerStart[s + 1])
                guard !edges.isEmpty else { continue }
                ids.removeAll(keepingCapacity: true)
                scores.removeAll(keepingCapacity: true)
                ids.append(UInt8(ascii: "{"))
                scores.append(UInt8(ascii: "{"))
                for k in edges {
                    if k != edges.lowerBound {
                        ids.append(UInt8(ascii: ","))
                        scores.append(UInt8(ascii: ","))
                    }
                    ids.append(contentsOf: quotedID[Int(p.opening[k])])
                    let score = Int(p.score[k])
                    if score >= 0 && score < decimal.count {
                        scores.append(contentsOf: decimal[score])
                    } else {
                        scores.append(contentsOf: String(score).utf8)
                    }
                }
                ids.append(UInt8(ascii: "}"))
                scores.append(UInt8(ascii: "}"))
                try w.append(utf8Fields: [id, Array(p.seekers[s].certificateKey.utf8), ids, scores])
            }
        }
    }

    /// Completes the run's row (objective, finish time, timings) and copies its
    /// proposals and unmatched seekers.
    public static func finish(_ tx: Connection, runID: Int64, _ run: ComputedRun) throws {
        let o = run.plan.objective
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let id = String(runID)
        // The rows' JSON (about 1.5 KB a proposal, most of this step's client time at a
        // district's 3,000 proposals) is built across the cores, then streamed in order.
        let proposals = run.plan.proposals.concurrentMap { p -> [String?] in
            [id, p.certificateKey, p.openingID.value, String(p.score.total), json(p.score.parts), json(p.reasons)]
        }
        try tx.copyIn("COPY proposal (run_id, certificate_no, opening_id, score, score_parts, reasons) FROM STDIN") { w in
            for row in proposals { try w.append(row: row) }
        }
        let unmatched = run.plan.unmatched.concurrentMap { u -> [String?] in
            [id, u.certificateKey, u.reason.code, json(unmatched: u)]
        }
        try tx.copyIn("COPY unmatched (run_id, certificate_no, reason, detail) FROM STDIN") { w in
            for row in unmatched { try w.append(row: row) }
        }
        // Last: each row copied above checks its foreign key against the run's row, and
        // after an UPDATE that check follows the row's update chain.
        try tx.query("""
            UPDATE match_run SET finished_at = \(iso.string(from: run.finishedAt))::timestamptz,
                   objective_households = \(o.households), objective_priority = \(o.priority),
                   objective_placed = \(o.placed), objective_score = \(o.score), timings = \(json(run.timings))::jsonb
            WHERE run_id = \(runID)
            """)
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
