// `jobmatch serve`: the imperative shell around the queue, the scheduler and
// the pure state machines (`Lifecycle`, `ClaimLoop`, `Scheduler`). By concern:
//
//   Daemon.swift            the sessions, the queues, start
//   Daemon+Signals.swift    SIGTERM/SIGINT drain, SIGHUP
//   Daemon+Reload.swift     configuration reload
//   Daemon+Worker.swift     the claim loop: performs `ClaimLoop`'s actions
//   Daemon+Health.swift     schema check, readiness, outages, LISTEN
//   Daemon+Schedules.swift  scheduled firings
//   Daemon+Runs.swift       one run: the region lock, the executor, leases
//
// It owns four database sessions, each used from one serial queue only:
//
//   control queue ─ control session: reap, schedules, queue depth, claim, and
//                   the guarded transitions after a run (fail, release)
//                 ─ listen session: LISTEN jobmatch_match_request; a NOTIFY
//                   only wakes the claim loop (a hint: polling continues)
//   run queue     ─ run session: region advisory lock + RunExecutor.execute
//   lease queue   ─ lease session: renews the current request's lease
//
// Signals, timers and notifications all land on the control queue, so every
// decision is taken there, in order. One request runs at a time per daemon;
// more throughput means more replicas (DESIGN.md, "Scale").
//
// Overlap of one region's runs: the claim skips regions with a live running
// request, and the run try-locks the region's advisory lock
// (`AdvisoryLock.Key.region`, the key the CLI's `jobmatch match` waits on) on
// the run connection. If the lock is taken, the request is given back
// (skip-and-requeue, attempt not counted) and retried a second later; it never
// waits holding a claim (the executor's own lock on that key, on the same
// session, is then re-entrant). The lock dies with the session, so a killed
// daemon cannot leave it behind.
//
// Losing PostgreSQL: every failure of a session closes it; the control loop
// retries with exponential backoff and jitter (Backoff), reopening sessions
// as needed. A run in flight when the database goes fails and is retried; its
// transaction never committed.

import Dispatch
import Foundation
import Logging
import Postgres
import Store

/// The daemon. Create, then `serve()` (never returns), or run it as a service of a group.
///
/// Thread safety: `@unchecked Sendable`; every `var` below is touched only on
/// `control`, except the sessions, each confined to its own queue (noted).
public final class Daemon: @unchecked Sendable {
    public struct Setup: Sendable {
        public var config: DaemonConfig
        /// Re-read on SIGHUP; nil: flags and environment only.
        public var configFile: String?
        public var environment: [String: String]
        /// Flag overrides by key path, re-applied on reload.
        public var flags: [String: String]
        public var connection: ConnectionConfig
        public var executor: any RunExecutor
        public var clock: any WallClock
        public var logLevel: LineLogHandler.LevelBox

        public init(config: DaemonConfig, configFile: String?, environment: [String: String], flags: [String: String],
                    connection: ConnectionConfig, executor: any RunExecutor, clock: any WallClock,
                    logLevel: LineLogHandler.LevelBox) {
            self.config = config
            self.configFile = configFile
            self.environment = environment
            self.flags = flags
            self.connection = connection
            self.executor = executor
            self.clock = clock
            self.logLevel = logLevel
        }
    }

    public static let channel = "jobmatch_match_request"

    let control = DispatchQueue(label: "jobmatch.control")
    let runQueue = DispatchQueue(label: "jobmatch.run")
    let leaseQueue = DispatchQueue(label: "jobmatch.lease")

    // Control queue only.
    var setup: Setup
    var config: DaemonConfig { setup.config }
    let logger: Logger
    public let metrics = Metrics()
    let notifier = SystemdNotifier()
    let started = ContinuousClock.now
    var lifecycle = Lifecycle()
    var loop = ClaimLoop()
    var scheduler: Scheduler?
    var backoff: Backoff
    /// When the current run started (for its duration).
    var runStartedAt: ContinuousClock.Instant?
    /// The run being settled (see Daemon+Runs.swift).
    var ending: Ending?
    /// For the reports that follow a failure: its error and the backoff delay drawn.
    var lastDatabaseError: (any Error)?
    var lastBackoffDelay: Duration = .zero

    /// Bumped when the database went away: every session reopens (DatabaseSession.swift).
    let epoch = DatabaseEpoch()
    let controlDB: DatabaseSession  // control queue
    let runDB: DatabaseSession  // run queue (cancel from anywhere)
    let leaseDB: DatabaseSession  // lease queue
    var listenConnection: Connection?
    var listenWatch: NotificationWatch?

    var pollTimer: (any DispatchSourceTimer)?
    var scheduleTimer: (any DispatchSourceTimer)?
    var deadlineTimer: (any DispatchSourceTimer)?
    var watchdogTimer: (any DispatchSourceTimer)?
    var leaseTimer: (any DispatchSourceTimer)?
    /// Resumed when the lifecycle has drained: the queue worker's `run` returns.
    var stopped: CheckedContinuation<Void, Never>?

    public init(setup: Setup, logger: Logger) {
        self.setup = setup
        self.logger = logger
        backoff = Backoff(cap: setup.config.reconnectMax)
        let metrics = self.metrics
        let onReconnect: @Sendable () -> Void = { metrics.recordReconnect() }
        let base = setup.connection
        controlDB = DatabaseSession(config: base.with("application_name", "jobmatch serve"), epoch: epoch, onReconnect: onReconnect)
        leaseDB = DatabaseSession(config: base.with("application_name", "jobmatch serve lease"), epoch: epoch, onReconnect: onReconnect)
        runDB = DatabaseSession(config: base.with("application_name", "jobmatch serve run"), epoch: epoch, onReconnect: onReconnect,
                                prepare: RequestQueue.prepareRunSession)
    }

    /// Also reopened when the database went away: sessions the daemon does not own.
    private let alsoReopen = NSLock()
    private var reopeners: [@Sendable () -> Void] = []

    /// Registers sessions the daemon does not own (the web's `SessionPool.reopenAll`) to be
    /// reopened whenever the database went away (issue 18).
    public func reopenOnDatabaseLoss(_ reopen: @escaping @Sendable () -> Void) {
        alsoReopen.withLock { reopeners.append(reopen) }
    }

    func reopenOthers() {
        for reopen in alsoReopen.withLock({ reopeners }) { reopen() }
    }

    var monotonicNow: Duration { ContinuousClock.now - started }

    /// On the control queue, from the queue worker's `run` (Daemon+Service.swift).
    func start() {
        dispatchPrecondition(condition: .onQueue(control))
        logger.info("daemon starting", metadata: .keyed([
            .workerID: "\(config.workerID)", .configPath: "\(setup.configFile ?? "-")",
        ]))
        if let interval = notifier.watchdogInterval {
            let timer = DispatchSource.makeTimerSource(queue: control)
            // On the control queue: a wedged control loop stops the pings and systemd restarts us.
            timer.setEventHandler { [notifier] in notifier.watchdog() }
            timer.schedule(deadline: .now(), repeating: (interval / 2).dispatchInterval)
            timer.activate()
            watchdogTimer = timer
        }
        let poll = DispatchSource.makeTimerSource(queue: control)
        poll.setEventHandler { [weak self] in self?.poll() }
        poll.schedule(deadline: .now())
        poll.activate()
        pollTimer = poll
    }
}
