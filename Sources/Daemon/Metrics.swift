// The daemon's metrics, through swift-metrics into a swift-prometheus registry
// that the metrics endpoint renders (Prometheus text format 0.0.4). Few series,
// fixed label values (outcomes, job names): no request ids or regions in
// labels, so cardinality stays bounded. `factory` is the one the process
// bootstraps `MetricsSystem` with in `serve`, so libraries' metrics (the web
// server's middleware) land in the same registry.

import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// Counters, gauges and one histogram. Thread safe: the registry is; `ready` and
/// the reconnect count sit behind a Mutex for `/readyz` and tests.
public final class Metrics: Sendable {
    /// Outcomes of a claimed request.
    public enum Outcome: String, Sendable, CaseIterable {
        case success, failure, abandoned, skipped
        case leaseLost = "lease_lost"
    }

    /// Run duration histogram buckets, seconds.
    public static let bucketsDefault: [Double] = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]

    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    private let runs: [Outcome: CoreMetrics.Counter]
    private let duration: CoreMetrics.Timer
    private let queueDepth: CoreMetrics.Gauge
    private let running: CoreMetrics.Gauge
    private let reconnectsCounter: CoreMetrics.Counter
    private let readyGauge: CoreMetrics.Gauge
    private struct State {
        var ready = false
        var reconnects = 0
    }
    private let state = Mutex(State())

    public init(buckets: [Double] = Metrics.bucketsDefault) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["jobmatch_run_duration_seconds"] = buckets.map { .nanoseconds(Int64($0 * 1e9)) }
        self.registry = registry
        self.factory = factory
        var runs: [Outcome: CoreMetrics.Counter] = [:]
        for o in Outcome.allCases {
            runs[o] = CoreMetrics.Counter(label: "jobmatch_runs_total", dimensions: [("outcome", o.rawValue)], factory: factory)
        }
        self.runs = runs
        duration = CoreMetrics.Timer(label: "jobmatch_run_duration_seconds", factory: factory)
        queueDepth = CoreMetrics.Gauge(label: "jobmatch_queue_depth", factory: factory)
        running = CoreMetrics.Gauge(label: "jobmatch_requests_running", factory: factory)
        reconnectsCounter = CoreMetrics.Counter(label: "jobmatch_database_reconnects_total", factory: factory)
        readyGauge = CoreMetrics.Gauge(label: "jobmatch_ready", factory: factory)
        readyGauge.record(0)
        queueDepth.record(0)
        running.record(0)
    }

    /// Unix time of the last success per job (on_demand, nightly_match, review_reminder).
    private func lastSuccess(_ job: String) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: "jobmatch_last_success_timestamp_seconds", dimensions: [("job", job)], factory: factory)
    }

    public func recordRun(_ outcome: Outcome, job: String, duration seconds: Double, at now: Date) {
        runs[outcome]?.increment()
        guard outcome == .success || outcome == .failure else { return }
        if outcome == .success { lastSuccess(job).record(now.timeIntervalSince1970) }
        duration.recordSeconds(seconds)
    }

    /// A scheduled job fired successfully (for jobs that enqueue, the enqueue).
    public func recordFiring(job: String, at now: Date) {
        CoreMetrics.Counter(label: "jobmatch_schedule_firings_total", dimensions: [("job", job)], factory: factory).increment()
        lastSuccess(job).record(now.timeIntervalSince1970)
    }

    public func setQueue(queued: Int, running: Int) {
        queueDepth.record(queued)
        self.running.record(running)
    }

    public func recordReconnect() {
        state.withLock { $0.reconnects += 1 }
        reconnectsCounter.increment()
    }

    /// Requests a replica still held after a reconnect, handed back (issue 18).
    public func recordOrphansRequeued(_ n: Int) {
        CoreMetrics.Counter(label: "jobmatch_orphans_requeued_total", factory: factory).increment(by: n)
    }

    /// A run's first statement met a dead session and was retried at once on a fresh one,
    /// or a run lost its connection and was handed back (no attempt spent).
    public func recordRunRetried() {
        CoreMetrics.Counter(label: "jobmatch_runs_retried_total", factory: factory).increment()
    }

    public func setReady(_ ready: Bool) {
        state.withLock { $0.ready = ready }
        readyGauge.record(ready ? 1 : 0)
    }

    public var isReady: Bool { state.withLock { $0.ready } }
    public var reconnects: Int { state.withLock { $0.reconnects } }

    /// The Prometheus text exposition.
    public func render() -> String { registry.emitToString() }
}
