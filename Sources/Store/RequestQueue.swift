// The match request queue (table match_request, sql/0003 and sql/0006): every
// statement the daemon and `match --enqueue` run against it, in one place.
//
//                 claim (one statement, FOR UPDATE SKIP LOCKED)
//     queued ───────────────────────────────▶ running ──complete (in the run's tx)──▶ done
//       ▲                                       │
//       ├──── release (drain, region busy) ─────┤
//       ├──── fail / reap, attempts < max ──────┤
//       │                                       └── fail / reap, attempts ≥ max ──▶ failed
//
// Guarantees, and what they rest on:
// - A request is claimed by one worker at a time: the claim is one UPDATE whose
//   CTE row-locks the candidate with SKIP LOCKED, so concurrent claimers pass
//   over each other's rows instead of waiting or double-claiming.
// - A request completes at most once, and only by its lease holder: `complete`
//   runs inside the run's own transaction and updates only
//   `state = 'running' AND claimed_by = <worker>`; zero rows means the lease
//   was lost, and it throws so the whole run rolls back.
// - Every transition out of `running` is guarded the same way, so a late
//   worker cannot undo what the reaper or another worker did.
// - "now" is always a parameter (the daemon's injected clock), never the
//   server's now(), so tests and the scheduler agree on time; rows the server
//   stamps for people (requested_at, finished_at) still use the server clock.
//
// Worker ids must be unique among live daemons (default hostname-pid): the
// lease guard trusts them.

import Foundation
import Postgres

/// A request this worker holds a lease on.
public struct ClaimedRequest: Sendable, Equatable {
    public let requestID: Int64
    public let regionCode: String
    /// The run's date (YYYY-MM-DD), or nil: the date the run starts.
    public let runDate: String?
    /// Including this claim.
    public let attempts: Int
    public let workerID: String
    public let leaseUntil: Date
    /// The scheduled job that enqueued it, or nil for an on-demand request.
    public let job: String?

    public init(requestID: Int64, regionCode: String, runDate: String?, attempts: Int, workerID: String, leaseUntil: Date, job: String?) {
        self.requestID = requestID
        self.regionCode = regionCode
        self.runDate = runDate
        self.attempts = attempts
        self.workerID = workerID
        self.leaseUntil = leaseUntil
        self.job = job
    }
}

/// Why a guarded queue transition did not happen.
public enum RequestQueueError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The request is not `running` under this worker any more (lease expired and
    /// reaped, or claimed by another worker): the caller must not write its result.
    case leaseLost(requestID: Int64, workerID: String)

    public var description: String {
        switch self {
        case .leaseLost(let id, let worker): "request \(id) is no longer running under worker \(worker): lease lost"
        }
    }
}

/// The statements of the match request queue.
public enum RequestQueue {
    /// Attempts before a request is marked failed.
    public static let maxAttemptsDefault = 3

    /// Queued and running counts.
    public struct Depth: Sendable, Equatable {
        public let queued: Int
        public let running: Int
    }

    /// What the reaper did.
    public struct Reaped: Sendable, Equatable {
        /// Returned to the queue.
        public var requeued: [Int64] = []
        /// Out of attempts: now `failed`.
        public var failed: [Int64] = []
        public init(requeued: [Int64] = [], failed: [Int64] = []) {
            self.requeued = requeued
            self.failed = failed
        }
    }

    // MARK: - Enqueue

    /// Inserts an on-demand request and returns its id; its insert trigger
    /// NOTIFYs `jobmatch_match_request`, waking every listening daemon on commit.
    /// `date` (YYYY-MM-DD) nil means the date the run starts. Lower `priority` runs first.
    public static func enqueue(_ c: Connection, region: String, date: String?, requestedBy: String,
                               priority: Int = 0) throws -> Int64 {
        try c.query("""
            INSERT INTO match_request (region_code, run_date, requested_by, priority)
            VALUES (\(region), \(date)::date, \(requestedBy), \(priority))
            RETURNING request_id
            """)[0].int64("request_id")
    }

    /// Inserts an on-demand request under a client-chosen idempotency key (issue 18):
    /// returns its id and true, or the id of the request already made under that key
    /// and false (a retry after a lost COMMIT reply). Call inside the transaction that
    /// also writes the request's audit row.
    public static func enqueue(_ c: Connection, region: String, date: String?, requestedBy: String,
                               idempotencyKey: String, priority: Int = 0) throws -> (id: Int64, created: Bool) {
        if let id = try c.query("""
            INSERT INTO match_request (region_code, run_date, requested_by, priority, idempotency_key)
            VALUES (\(region), \(date)::date, \(requestedBy), \(priority), \(idempotencyKey))
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING request_id
            """).first {
            return (try id.int64("request_id"), true)
        }
        let existing = try c.query("SELECT request_id FROM match_request WHERE idempotency_key = \(idempotencyKey)")[0]
        return (try existing.int64("request_id"), false)
    }

    /// Enqueues a scheduled firing: one request per region, idempotent per
    /// (job, region, scheduled time), so replicas firing the same schedule
    /// enqueue it once. Records the firing in `schedule_state` in the same
    /// transaction. Returns the ids newly inserted (empty if a peer was first).
    /// The codes of `regions` that no loaded region has (a schedule naming one fails
    /// that region's firing alone, issue 17).
    public static func unknownRegions(_ c: Connection, _ regions: [String]) throws -> [String] {
        var unknown: [String] = []
        for region in regions where try c.query("SELECT 1 AS one FROM region WHERE code = \(region)").count == 0 {
            unknown.append(region)
        }
        return unknown
    }

    public static func enqueueScheduled(_ c: Connection, job: String, regions: [String], scheduledFor: Date,
                                        runDate: String?, requestedBy: String) throws -> [Int64] {
        try c.transaction { tx in
            var ids: [Int64] = []
            for region in regions {
                let rows = try tx.query("""
                    INSERT INTO match_request (region_code, run_date, requested_by, job, scheduled_for, due_at)
                    SELECT \(region), \(runDate)::date, \(requestedBy), \(job),
                           to_timestamp(\(scheduledFor.timeIntervalSince1970)), to_timestamp(\(scheduledFor.timeIntervalSince1970))
                    WHERE EXISTS (SELECT 1 FROM region WHERE code = \(region))
                    ON CONFLICT ON CONSTRAINT match_request_schedule_unique DO NOTHING
                    RETURNING request_id
                    """)
                if let row = rows.first { ids.append(try row.int64("request_id")) }
            }
            try recordFiring(tx, job: job, at: scheduledFor)
            return ids
        }
    }

    // MARK: - Claim and lease

    /// Prepares the daemon's run session. client_connection_check_interval: if the
    /// process dies mid-run (kill -9), the server notices the closed socket within a second
    /// even inside a long statement, rolls the run back and frees the region's advisory
    /// lock, instead of finding out only when the statement ends (PostgreSQL ≥ 14).
    public static func prepareRunSession(_ c: Connection) throws {
        try c.execute(unsafeSQL: "SET client_connection_check_interval = '1s'")
    }

    /// Claims the next ready request in (priority, due_at, request_id) order with
    /// one statement, or returns nil. Passes over regions whose run is live under
    /// an unexpired lease (the advisory lock around the run is the real guard).
    public static func claim(_ c: Connection, workerID: String, now: Date, lease: Duration) throws -> ClaimedRequest? {
        let t = now.timeIntervalSince1970
        let leaseSeconds = lease.seconds
        // The CTE is what makes LIMIT + FOR UPDATE SKIP LOCKED pick exactly one
        // unlocked row before the UPDATE (a plain UPDATE … WHERE id = (subquery)
        // can be re-planned to lock more; see oban's basic engine).
        let rows = try c.query("""
            WITH next AS (
                SELECT q.request_id FROM match_request q
                WHERE q.state = 'queued' AND q.due_at <= to_timestamp(\(t))
                  AND NOT EXISTS (
                      SELECT 1 FROM match_request r
                      WHERE r.region_code = q.region_code AND r.state = 'running'
                        AND r.lease_until > to_timestamp(\(t)))
                ORDER BY q.priority, q.due_at, q.request_id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE match_request m
            SET state = 'running', attempts = m.attempts + 1, claimed_by = \(workerID),
                claimed_at = to_timestamp(\(t)), lease_until = to_timestamp(\(t)) + make_interval(secs => \(leaseSeconds)),
                error = NULL
            FROM next WHERE m.request_id = next.request_id
            RETURNING m.request_id, m.region_code, m.run_date::text AS run_date, m.attempts, m.job,
                      extract(epoch FROM m.lease_until)::float8 AS lease_until
            """)
        guard let row = rows.first else { return nil }
        return ClaimedRequest(
            requestID: try row.int64("request_id"), regionCode: try row.string("region_code"),
            runDate: try row.optionalString("run_date"), attempts: try row.int("attempts"), workerID: workerID,
            leaseUntil: Date(timeIntervalSince1970: try row.double("lease_until")), job: try row.optionalString("job"))
    }

    /// Extends the lease; returns the new expiry, or nil if this worker no longer holds it.
    public static func renewLease(_ c: Connection, requestID: Int64, workerID: String, now: Date, lease: Duration) throws -> Date? {
        let rows = try c.query("""
            UPDATE match_request
            SET lease_until = to_timestamp(\(now.timeIntervalSince1970)) + make_interval(secs => \(lease.seconds))
            WHERE request_id = \(requestID) AND state = 'running' AND claimed_by = \(workerID)
            RETURNING extract(epoch FROM lease_until)::float8 AS lease_until
            """)
        return try rows.first.map { Date(timeIntervalSince1970: try $0.double("lease_until")) }
    }

    // MARK: - Leaving `running`

    /// Marks the request done with its run. Call it inside the transaction that
    /// writes the run, so the run and the completion commit together. Throws
    /// `RequestQueueError.leaseLost` (rolling the run back) unless this worker
    /// still holds the request.
    public static func complete(_ tx: Connection, requestID: Int64, runID: Int64, workerID: String) throws {
        let rows = try tx.query("""
            UPDATE match_request
            SET state = 'done', run_id = \(runID), finished_at = now(), lease_until = NULL, error = NULL
            WHERE request_id = \(requestID) AND state = 'running' AND claimed_by = \(workerID)
            """)
        if rows.affectedRows != 1 { throw RequestQueueError.leaseLost(requestID: requestID, workerID: workerID) }
    }

    /// A run failed: back to the queue, due after `retryAt`, or `failed` once
    /// `maxAttempts` are spent. `error` must be safe to show (no personal data).
    /// Returns the new state, or nil if this worker no longer held the request.
    @discardableResult
    public static func fail(_ c: Connection, requestID: Int64, workerID: String, error: String, retryAt: Date,
                            maxAttempts: Int = maxAttemptsDefault) throws -> String? {
        try c.query("""
            UPDATE match_request
            SET state = CASE WHEN attempts >= \(maxAttempts) THEN 'failed' ELSE 'queued' END,
                finished_at = CASE WHEN attempts >= \(maxAttempts) THEN now() END,
                due_at = to_timestamp(\(retryAt.timeIntervalSince1970)), lease_until = NULL, error = \(error)
            WHERE request_id = \(requestID) AND state = 'running' AND claimed_by = \(workerID)
            RETURNING state
            """).first.map { try $0.string("state") }
    }

    /// Gives the request back without counting the attempt (drain deadline, or
    /// its region busy elsewhere); due again at `dueAt`. Returns false if this
    /// worker no longer held it.
    @discardableResult
    public static func release(_ c: Connection, requestID: Int64, workerID: String, dueAt: Date) throws -> Bool {
        try c.query("""
            UPDATE match_request
            SET state = 'queued', attempts = greatest(attempts - 1, 0), lease_until = NULL,
                due_at = to_timestamp(\(dueAt.timeIntervalSince1970))
            WHERE request_id = \(requestID) AND state = 'running' AND claimed_by = \(workerID)
            """).affectedRows == 1
    }

    /// Every request `workerID` still holds goes back to the queue, its attempt not
    /// counted: the daemon reconnected after the database went away, and a run it held
    /// died with its connection (issue 18). Call only while that worker runs nothing.
    public static func requeueHeld(_ c: Connection, workerID: String, dueAt: Date) throws -> [Int64] {
        try c.query("""
            UPDATE match_request
            SET state = 'queued', attempts = greatest(attempts - 1, 0), lease_until = NULL,
                error = 'connection lost (worker ' || claimed_by || ')',
                due_at = to_timestamp(\(dueAt.timeIntervalSince1970))
            WHERE state = 'running' AND claimed_by = \(workerID)
            RETURNING request_id
            """).map { try $0.int64("request_id") }
    }

    /// Returns requests whose lease expired before `now` to the queue (or marks
    /// them failed after `maxAttempts`). With `ownedBy`, instead returns every
    /// running request of that worker whatever its lease: a restarted daemon
    /// with the same worker id knows its previous process is gone.
    public static func reap(_ c: Connection, now: Date, maxAttempts: Int = maxAttemptsDefault,
                            ownedBy workerID: String? = nil) throws -> Reaped {
        let t = now.timeIntervalSince1970
        let rows = try c.query("""
            UPDATE match_request
            SET state = CASE WHEN attempts >= \(maxAttempts) THEN 'failed' ELSE 'queued' END,
                finished_at = CASE WHEN attempts >= \(maxAttempts) THEN now() END,
                error = 'lease expired (worker ' || coalesce(claimed_by, '?') || ')',
                due_at = to_timestamp(\(t)), lease_until = NULL
            WHERE state = 'running'
              AND (CASE WHEN \(workerID)::text IS NULL THEN lease_until < to_timestamp(\(t))
                        ELSE claimed_by = \(workerID)::text END)
            RETURNING request_id, state
            """)
        var out = Reaped()
        for row in rows {
            let id = try row.int64("request_id")
            if try row.string("state") == "failed" { out.failed.append(id) } else { out.requeued.append(id) }
        }
        return out
    }

    // MARK: - Reading

    /// Queued and running counts (for the queue-depth gauge).
    public static func depth(_ c: Connection) throws -> Depth {
        let row = try c.query("""
            SELECT count(*) FILTER (WHERE state = 'queued') AS queued,
                   count(*) FILTER (WHERE state = 'running') AS running
            FROM match_request
            """)[0]
        return Depth(queued: try row.int("queued"), running: try row.int("running"))
    }

    /// One request's state, run id and attempts (tests and `status`).
    public static func state(_ c: Connection, requestID: Int64) throws -> (state: String, runID: Int64?, attempts: Int)? {
        try c.query("SELECT state, run_id, attempts FROM match_request WHERE request_id = \(requestID)").first.map {
            (try $0.string("state"), try $0.optionalInt64("run_id"), try $0.int("attempts"))
        }
    }

    // MARK: - Schedule state

    /// The last firing of every scheduled job.
    public static func lastFirings(_ c: Connection) throws -> [String: Date] {
        var out: [String: Date] = [:]
        for row in try c.query("SELECT job, extract(epoch FROM last_fired_at)::float8 AS t FROM schedule_state") {
            out[try row.string("job")] = Date(timeIntervalSince1970: try row.double("t"))
        }
        return out
    }

    /// Records a firing; never moves a job's last firing backwards (replicas race).
    /// Returns true when this call moved it forward (this replica fired first).
    @discardableResult
    public static func recordFiring(_ c: Connection, job: String, at: Date) throws -> Bool {
        try c.query("""
            INSERT INTO schedule_state (job, last_fired_at) VALUES (\(job), to_timestamp(\(at.timeIntervalSince1970)))
            ON CONFLICT (job) DO UPDATE
            SET last_fired_at = excluded.last_fired_at, updated_at = now()
            WHERE schedule_state.last_fired_at < excluded.last_fired_at
            """).affectedRows == 1
    }
}

extension Duration {
    /// Whole and fractional seconds as a Double.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
