// The daemon's metrics, rendered in the Prometheus text format (0.0.4) by the
// metrics HTTP server. Few series, fixed label values (outcomes, job names):
// no request ids or regions in labels, so cardinality stays bounded.

import Foundation
import Synchronization

/// Counters, gauges and one histogram. Thread safe: all state behind one Mutex.
public final class Metrics: Sendable {
    /// Outcomes of a claimed request.
    public enum Outcome: String, Sendable, CaseIterable {
        case success, failure, abandoned, skipped
        case leaseLost = "lease_lost"
    }

    /// Run duration histogram buckets, seconds.
    public static let bucketsDefault: [Double] = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]

    struct State {
        var runs: [Outcome: Int] = [:]
        var lastSuccess: [String: Double] = [:]
        var bucketCounts: [Int]
        var durationSum = 0.0
        var durationCount = 0
        var queueDepth = 0
        var running = 0
        var reconnects = 0
        var scheduledFirings: [String: Int] = [:]
        var ready = false
    }

    private let state: Mutex<State>
    let buckets: [Double]

    public init(buckets: [Double] = Metrics.bucketsDefault) {
        self.buckets = buckets
        state = Mutex(State(bucketCounts: Array(repeating: 0, count: buckets.count)))
    }

    public func recordRun(_ outcome: Outcome, job: String, duration: Double, at now: Date) {
        state.withLock { s in
            s.runs[outcome, default: 0] += 1
            guard outcome == .success || outcome == .failure else { return }
            if outcome == .success { s.lastSuccess[job] = now.timeIntervalSince1970 }
            for (i, b) in buckets.enumerated() where duration <= b { s.bucketCounts[i] += 1 }
            s.durationSum += duration
            s.durationCount += 1
        }
    }

    /// A scheduled job fired successfully (for jobs that enqueue, the enqueue).
    public func recordFiring(job: String, at now: Date) {
        state.withLock { s in
            s.scheduledFirings[job, default: 0] += 1
            s.lastSuccess[job] = now.timeIntervalSince1970
        }
    }

    public func setQueue(queued: Int, running: Int) { state.withLock { $0.queueDepth = queued; $0.running = running } }
    public func recordReconnect() { state.withLock { $0.reconnects += 1 } }
    public func setReady(_ ready: Bool) { state.withLock { $0.ready = ready } }
    public var isReady: Bool { state.withLock { $0.ready } }
    public var reconnects: Int { state.withLock { $0.reconnects } }

    /// The Prometheus text exposition.
    public func render() -> String {
        let s = state.withLock { $0 }
        var out = ""
        func head(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        head("jobmatch_runs_total", "counter", "Claimed match requests by outcome.")
        for o in Outcome.allCases { out += "jobmatch_runs_total{outcome=\"\(o.rawValue)\"} \(s.runs[o] ?? 0)\n" }
        head("jobmatch_last_success_timestamp_seconds", "gauge", "Unix time of the last success per job (on_demand, nightly_match, review_reminder).")
        for (job, t) in s.lastSuccess.sorted(by: { $0.key < $1.key }) {
            out += "jobmatch_last_success_timestamp_seconds{job=\"\(job)\"} \(format(t))\n"
        }
        head("jobmatch_run_duration_seconds", "histogram", "Duration of finished runs (success or failure).")
        for (i, b) in buckets.enumerated() {
            out += "jobmatch_run_duration_seconds_bucket{le=\"\(format(b))\"} \(s.bucketCounts[i])\n"
        }
        out += "jobmatch_run_duration_seconds_bucket{le=\"+Inf\"} \(s.durationCount)\n"
        out += "jobmatch_run_duration_seconds_sum \(format(s.durationSum))\n"
        out += "jobmatch_run_duration_seconds_count \(s.durationCount)\n"
        head("jobmatch_queue_depth", "gauge", "Match requests queued, as of the last poll.")
        out += "jobmatch_queue_depth \(s.queueDepth)\n"
        head("jobmatch_requests_running", "gauge", "Match requests running on any replica, as of the last poll.")
        out += "jobmatch_requests_running \(s.running)\n"
        head("jobmatch_database_reconnects_total", "counter", "Database connections re-established after a loss.")
        out += "jobmatch_database_reconnects_total \(s.reconnects)\n"
        head("jobmatch_schedule_firings_total", "counter", "Scheduled job firings persisted by this replica.")
        for (job, n) in s.scheduledFirings.sorted(by: { $0.key < $1.key }) { out += "jobmatch_schedule_firings_total{job=\"\(job)\"} \(n)\n" }
        head("jobmatch_ready", "gauge", "1 when connected to a database with the expected schema.")
        out += "jobmatch_ready \(s.ready ? 1 : 0)\n"
        return out
    }

    private func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}
