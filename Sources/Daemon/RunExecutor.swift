// The seam between the daemon and a matching run. The daemon claims a
// request, takes the region's advisory lock on `connection`, calls `execute`,
// and releases the lock; the executor does the run itself: read a snapshot,
// match, and in ONE transaction on `connection` write the run and call
// `RequestQueue.complete(tx, requestID:runID:workerID:)`, so the run and the
// request's completion commit together or not at all.

import App
import Domain
import Foundation
import Postgres
import Store

/// Executes one claimed request and returns the run id it wrote.
///
/// Called on the daemon's run queue (a plain thread, never the cooperative
/// pool); blocking is fine. `connection` is dedicated to runs: do not keep it.
/// Throwing means the run failed and wrote nothing; the daemon retries the
/// request later, up to `max_attempts`. Errors are logged and stored in
/// `match_request.error`: keep their descriptions free of personal data.
public protocol RunExecutor: Sendable {
    func execute(request: ClaimedRequest, connection: Connection) throws -> Int64
}

/// Stands in until the matching executor is wired in: every run fails, saying so.
public struct UnavailableExecutor: RunExecutor {
    public struct NotWired: Error, CustomStringConvertible {
        public var description: String { "no run executor is configured in this build" }
    }
    public init() {}
    public func execute(request: ClaimedRequest, connection: Connection) throws -> Int64 { throw NotWired() }
}

/// For tests of the daemon only, selected with `JOBMATCH_TEST_EXECUTOR`:
/// writes a `match_run` row of zeros, holds its transaction open for
/// `seconds` (pg_sleep, so a cancel interrupts it as it would a real query),
/// then completes the request in the same transaction.
///
///     JOBMATCH_TEST_EXECUTOR=sleep:2     two seconds per run
///     JOBMATCH_TEST_EXECUTOR=fail        every run throws
public struct TestExecutor: RunExecutor {
    public static let environmentVariable = "JOBMATCH_TEST_EXECUTOR"

    public enum Mode: Sendable, Equatable { case sleep(Double), fail }
    public let mode: Mode

    public struct Failed: Error, CustomStringConvertible {
        public var description: String { "test executor failure" }
    }

    /// Parses the variable's value; nil when unset or malformed.
    public init?(environment: [String: String]) {
        guard let spec = environment[Self.environmentVariable], !spec.isEmpty else { return nil }
        if spec == "fail" {
            mode = .fail
        } else if spec.hasPrefix("sleep:"), let s = Double(spec.dropFirst(6)), s >= 0 {
            mode = .sleep(s)
        } else {
            return nil
        }
    }

    public init(mode: Mode) { self.mode = mode }

    public func execute(request: ClaimedRequest, connection: Connection) throws -> Int64 {
        guard case .sleep(let seconds) = mode else { throw Failed() }
        return try connection.transaction { tx in
            let runID = try tx.query("""
                INSERT INTO match_run (request_id, region_code, run_date, snapshot_at, started_at, finished_at,
                    seekers, openings, pairs, objective_households, objective_priority, objective_placed,
                    objective_score, created_by)
                VALUES (\(request.requestID), \(request.regionCode), coalesce(\(request.runDate)::date, current_date),
                    now(), now(), now(), 0, 0, 0, 0, 0, 0, 0, \("test-executor:" + request.workerID))
                RETURNING run_id
                """)[0].int64("run_id")
            if seconds > 0 { try tx.query("SELECT pg_sleep(\(seconds))") }
            try RequestQueue.complete(tx, requestID: request.requestID, runID: runID, workerID: request.workerID)
            return runID
        }
    }
}

/// The real executor: a matching run of the request's region, written together
/// with the request's completion (MatchRunner; DESIGN.md steps 2–4).
public struct MatchRunExecutor: RunExecutor {
    let jurisdiction: String
    let clock: any WallClock
    let timeZone: TimeZone

    /// `jurisdiction` names the policy book's rules; `clock` and `timeZone` give
    /// "today" for requests without a run date.
    public init(jurisdiction: String, clock: any WallClock, timeZone: TimeZone) {
        self.jurisdiction = jurisdiction; self.clock = clock; self.timeZone = timeZone
    }

    public func execute(request: ClaimedRequest, connection: Connection) throws -> Int64 {
        try MatchRunner.run(claimed: request, connection, jurisdiction: jurisdiction, today: today)
    }

    func today() -> CivilDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let c = cal.dateComponents([.year, .month, .day], from: clock.now())
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
