import Domain
import Postgres

/// What `jobmatch status` shows: row counts per import kind, the request
/// queue and recent runs.
public struct StatusReport: Sendable {
    public struct Request: Sendable {
        public let id: Int64
        public let state: String
        public let regionCode: String
        public let runID: Int64?
        public let requestedAt: String
        /// Issue 18: how often it was claimed, what went wrong last, who holds it, and when.
        public var attempts = 0
        public var lastError: String?
        public var claimedBy: String?
        public var claimedAt: String?
        public var dueAt: String?
        public var leaseUntil: String?
        public var finishedAt: String?
    }
    public struct Run: Sendable {
        public let runID: Int64
        public let regionCode: String
        public let runDate: String
        public let finishedAt: String
        public let seekers: Int
        public let placed: Int
    }
    /// By import KIND (`regions`, `seekers`, …, `employer-years`).
    public let counts: [String: Int]
    public let requests: [Request]
    public let runs: [Run]
    /// Paging of `requests` (issue 18): pass this as `--before` for the next, older page; nil on the last page.
    public var requestsNextBefore: Int64?

    /// The import kinds and their tables (CONTRACT.md §1, `import KIND`).
    public static let tables: [(kind: String, table: String)] = [
        ("regions", "region"), ("households", "household"), ("seekers", "seeker"), ("trainings", "training"),
        ("employers", "employer"), ("openings", "opening"), ("employer-years", "employer_year"),
        ("rosters", "roster"), ("placements", "placement"),
    ]

    /// Reads the report; `limit` caps the requests and runs listed.
    public static func load(_ c: Connection, limit: Int = 20, before: Int64? = nil) throws -> StatusReport {
        var counts: [String: Int] = [:]
        for (kind, table) in tables {
            counts[kind] = try c.query("SELECT count(*) AS n FROM \(unsafe: table)")[0].int("n")
        }
        func utc(_ column: String) -> String {
            "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS \(column)"
        }
        let times = ["requested_at", "claimed_at", "due_at", "lease_until", "finished_at"].map(utc).joined(separator: ", ")
        var requests = try c.query("""
            SELECT request_id, state, region_code, run_id, attempts, error, claimed_by, \(unsafe: times)
            FROM match_request WHERE request_id < coalesce(\(before)::bigint, 9223372036854775807)
            ORDER BY request_id DESC LIMIT \(limit + 1)
            """).map { r in
            var request = Request(id: try r.int64("request_id"), state: try r.string("state"), regionCode: try r.string("region_code"),
                                  runID: try r.optionalInt64("run_id"), requestedAt: try r.string("requested_at"))
            request.attempts = try r.int("attempts")
            request.lastError = try r.optionalString("error")
            request.claimedBy = try r.optionalString("claimed_by")
            request.claimedAt = try r.optionalString("claimed_at")
            request.dueAt = try r.optionalString("due_at")
            request.leaseUntil = try r.optionalString("lease_until")
            request.finishedAt = try r.optionalString("finished_at")
            return request
        }
        let more = requests.count > limit
        if more { requests.removeLast() }
        let runs = try c.query("""
            SELECT run_id, region_code, run_date::text AS d, seekers, objective_placed,
                   to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
            FROM match_run ORDER BY run_id DESC LIMIT \(limit)
            """).map { r in
            Run(runID: try r.int64("run_id"), regionCode: try r.string("region_code"), runDate: try r.string("d"),
                finishedAt: try r.string("at"), seekers: try r.int("seekers"), placed: try r.int("objective_placed"))
        }
        var report = StatusReport(counts: counts, requests: requests, runs: runs)
        report.requestsNextBefore = more ? requests.last?.id : nil
        return report
    }
}
