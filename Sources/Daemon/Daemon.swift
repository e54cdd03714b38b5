// `jobmatch serve`: the imperative shell around the queue, the scheduler and
// the lifecycle state machines (StateMachines.swift). It owns four database
// sessions, each used from one serial queue only:
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
// request, and the run takes a session advisory lock keyed by the region on
// the run connection (pg_try_advisory_lock(class, hashtext(region))). If the
// lock is taken, the request is given back (skip-and-requeue, attempt not
// counted) and retried a second later; it never waits holding a claim. The
// lock dies with the session, so a killed daemon cannot leave it behind.
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

/// The daemon. Create, then `run()` (never returns).
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
    /// First key of the two-key advisory lock that keeps one region's runs apart ("jm").
    static let regionLockClass: Int32 = 0x6A6D
    /// A request whose region is busy elsewhere is due again after this.
    static let regionBusyRetryDefault: TimeInterval = 1
    /// First retry of a failed run; doubles per attempt, capped.
    static let failureRetryBaseDefault: TimeInterval = 5
    static let failureRetryCapDefault: TimeInterval = 300

    let control = DispatchQueue(label: "jobmatch.control")
    let runQueue = DispatchQueue(label: "jobmatch.run")
    let leaseQueue = DispatchQueue(label: "jobmatch.lease")

    private var setup: Setup
    private var config: DaemonConfig { setup.config }
    private let logger: Logger
    public let metrics = Metrics()
    private let notifier = SystemdNotifier()
    private let started = ContinuousClock.now
    private var lifecycle = Lifecycle()
    private var scheduler: Scheduler?
    private var backoff: Backoff
    private var healthy = false
    private var everReady = false
    private var startupReaped = false
    private var current: CurrentRun?

    private let controlDB: DatabaseSession  // control queue
    private let runDB: DatabaseSession  // run queue (cancel from anywhere)
    private let leaseDB: DatabaseSession  // lease queue
    private var listenConnection: Connection?
    private var listenWatch: NotificationWatch?

    private var pollTimer: (any DispatchSourceTimer)?
    private var scheduleTimer: (any DispatchSourceTimer)?
    private var deadlineTimer: (any DispatchSourceTimer)?
    private var watchdogTimer: (any DispatchSourceTimer)?
    private var leaseTimer: (any DispatchSourceTimer)?
    private var signalSources: [any DispatchSourceSignal] = []
    private var httpServer: HTTPServer?

    private struct CurrentRun {
        let request: ClaimedRequest
        let startedAt: ContinuousClock.Instant
        var abandoned = false
    }

    private enum RunOutcome {
        case succeeded(runID: Int64)
        case regionBusy
        case failed(any Error)
    }

    public init(setup: Setup, logger: Logger) {
        self.setup = setup
        self.logger = logger
        backoff = Backoff(cap: setup.config.reconnectMax)
        let metrics = self.metrics
        let onReconnect: @Sendable () -> Void = { metrics.recordReconnect() }
        let base = setup.connection
        controlDB = DatabaseSession(config: base.with("application_name", "jobmatch serve"), onReconnect: onReconnect)
        leaseDB = DatabaseSession(config: base.with("application_name", "jobmatch serve lease"), onReconnect: onReconnect)
        // client_connection_check_interval: if this process dies mid-run (kill -9), the
        // server notices the closed socket within a second even inside a long statement,
        // rolls the run back and frees the region's advisory lock, instead of finding out
        // only when the statement ends (PostgreSQL ≥ 14).
        runDB = DatabaseSession(config: base.with("application_name", "jobmatch serve run"), onReconnect: onReconnect) { c in
            try c.query("SET client_connection_check_interval = '1s'")
        }
    }

    /// Starts everything and never returns; the process exits through the lifecycle.
    public func run() -> Never {
        control.sync { start() }
        dispatchMain()
    }

    private var monotonicNow: Duration { ContinuousClock.now - started }

    // MARK: - Start

    private func start() {
        dispatchPrecondition(condition: .onQueue(control))
        installSignalHandlers()
        logger.info("daemon starting", metadata: .keyed([
            .workerID: "\(config.workerID)", .configPath: "\(setup.configFile ?? "-")",
        ]))
        if let listen = config.metricsListen {
            let metrics = self.metrics
            let server = HTTPServer { _, path in Daemon.route(path, metrics: metrics) }
            do {
                try server.start(host: listen.host, port: listen.port)
                httpServer = server
                logger.info("metrics listening", metadata: .keyed([.metricsAddress: "\(listen.host):\(server.port)"]))
            } catch {
                // A taken port must not stop matching: say so and carry on without metrics.
                logger.error("metrics server could not start", metadata: .keyed([.error: "\(error)"]))
            }
        }
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

    static func route(_ path: String, metrics: Metrics) -> HTTPServer.Response {
        switch path {
        case "/metrics":
            return .init(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.render())
        case "/livez":
            return .init(status: 200, body: "ok\n")
        case "/readyz":
            return metrics.isReady ? .init(status: 200, body: "ready\n") : .init(status: 503, body: "not ready: database unreachable or schema not current\n")
        default:
            return .init(status: 404, body: "not found\n")
        }
    }

    // MARK: - Signals (the one place they are handled)

    private func installSignalHandlers() {
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            // A Dispatch signal source observes a signal but does not replace its default
            // action, which for these three terminates the process: set SIG_IGN first (as
            // swift-service-lifecycle's UnixSignals does). Linux detail: libdispatch reads
            // signals through a signalfd and blocks them only on its own manager thread;
            // see Daemon.blockTerminationSignals for the other threads.
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: control)
            source.setEventHandler { [weak self] in self?.handleSignal(sig) }
            source.activate()
            signalSources.append(source)
        }
    }

    /// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread, and so in every thread
    /// created after it. Call first thing in `serve`, before anything starts threads (and
    /// after starting any child process, which would inherit the mask).
    ///
    /// Why: on Linux, libdispatch delivers signal sources through a signalfd and blocks
    /// the signal only in its own manager thread. A process-directed signal goes to any
    /// thread that does not block it; with SIG_IGN there it is discarded and the source
    /// never fires, without SIG_IGN it kills the process. Blocked everywhere, it stays
    /// pending until the signalfd reads it.
    public static func blockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    private func handleSignal(_ sig: Int32) {
        if sig == SIGHUP {
            reload()
            return
        }
        logger.info("termination signal received", metadata: .keyed([.signal: "\(sig == SIGTERM ? "SIGTERM" : "SIGINT")"]))
        perform(lifecycle.signal(sig, now: monotonicNow, drain: config.drain))
    }

    private func perform(_ actions: [Lifecycle.Action]) {
        for action in actions {
            switch action {
            case .stopClaiming:
                pollTimer?.cancel()
                scheduleTimer?.cancel()
                notifier.stopping(status: "draining")
                logger.info("draining: no new requests will be claimed", metadata: current.map {
                    .keyed([.requestID: "\($0.request.requestID)", .delaySeconds: "\(config.drain.secondsDouble)"])
                } ?? [:])
            case .armDeadline(let at):
                let timer = DispatchSource.makeTimerSource(queue: control)
                timer.setEventHandler { [weak self] in
                    guard let self else { return }
                    self.perform(self.lifecycle.tick(now: self.monotonicNow))
                }
                timer.schedule(deadline: .now() + max(.zero, at - monotonicNow).dispatchInterval)
                timer.activate()
                deadlineTimer = timer
            case .abandonRun:
                abandonCurrentRun()
            case .exit(let code):
                logger.info("daemon stopped", metadata: .keyed([.exitStatus: "\(code)"]))
                exit(code)
            }
        }
    }

    // MARK: - Configuration reload (SIGHUP)

    private func reload() {
        do {
            var new = try DaemonConfig.load(file: setup.configFile, environment: setup.environment, flags: setup.flags,
                                            defaultWorkerID: config.workerID)
            var restartOnly: [String] = []
            if new.workerID != config.workerID { restartOnly.append("worker_id"); new.workerID = config.workerID }
            if new.databaseURL != config.databaseURL { restartOnly.append("database_url"); new.databaseURL = config.databaseURL }
            if new.metricsListen != config.metricsListen { restartOnly.append("metrics.listen"); new.metricsListen = config.metricsListen }
            if new.logFormat != config.logFormat { restartOnly.append("log_format"); new.logFormat = config.logFormat }
            setup.config = new
            setup.logLevel.value = new.logLevel
            backoff = Backoff(cap: new.reconnectMax)
            if new.scheduleEnabled {
                let jobs = Self.jobs(new)
                if scheduler != nil { scheduler?.replaceJobs(jobs, now: setup.clock.now()) }
            } else {
                scheduler = nil
            }
            armScheduleTimer()
            logger.info("configuration reloaded", metadata: .keyed([
                .configPath: "\(setup.configFile ?? "-")", .count: "\(restartOnly.count)",
                .error: restartOnly.isEmpty ? "" : "changes to \(restartOnly.joined(separator: ", ")) take effect at restart",
            ]))
        } catch {
            logger.warning("configuration reload failed; keeping the previous configuration", metadata: .keyed([
                .configPath: "\(setup.configFile ?? "-")", .error: "\(error)",
            ]))
        }
    }

    static func jobs(_ config: DaemonConfig) -> [ScheduledJob] {
        var jobs: [ScheduledJob] = []
        if let cron = config.nightlyMatch {
            jobs.append(ScheduledJob(name: ScheduledJob.nightlyMatchName, cron: cron, kind: .match(regions: config.regions)))
        }
        if let cron = config.reviewReminder {
            jobs.append(ScheduledJob(name: ScheduledJob.reviewReminderName, cron: cron, kind: .reviewReminder))
        }
        return jobs
    }

    // MARK: - The control loop

    /// Periodic work: connect if needed, reap, fire schedules, measure the queue, claim.
    private func poll() {
        guard lifecycle.isRunning else { return }
        do {
            let c = try controlDB.get()
            if !healthy {
                try Migrator.requireCurrent(c)
                becomeHealthy(c)
            }
            ensureListening()
            let now = setup.clock.now()
            let reaped = try RequestQueue.reap(c, now: now, maxAttempts: config.maxAttempts)
            for id in reaped.requeued { logger.warning("lease expired; request returned to the queue", metadata: .keyed([.requestID: "\(id)"])) }
            for id in reaped.failed { logger.error("lease expired too often; request failed", metadata: .keyed([.requestID: "\(id)"])) }
            try fireDueSchedules(c)
            try claimIfIdle(c)
            let depth = try RequestQueue.depth(c)
            metrics.setQueue(queued: depth.queued, running: depth.running)
            backoff.reset()
            armPoll(after: config.pollInterval)
        } catch {
            databaseTrouble(error)
        }
    }

    /// A wake-up (NOTIFY, a run finished): claim if idle, nothing else.
    private func wake() {
        guard lifecycle.isRunning, healthy, current == nil else { return }
        do {
            try claimIfIdle(try controlDB.get())
        } catch {
            databaseTrouble(error)
        }
    }

    private func armPoll(after delay: Duration) {
        guard lifecycle.isRunning else { return }
        pollTimer?.schedule(deadline: .now() + delay.dispatchInterval)
    }

    private func becomeHealthy(_ c: Connection) {
        let wasEver = everReady
        healthy = true
        everReady = true
        metrics.setReady(true)
        let version = (try? Migrator.currentVersion(c)) ?? 0
        if !startupReaped {
            // Our worker id's previous process is gone (ids are unique per live daemon):
            // its running requests can go back now instead of waiting for their leases.
            if let mine = try? RequestQueue.reap(c, now: setup.clock.now(), maxAttempts: config.maxAttempts, ownedBy: config.workerID),
               !(mine.requeued.isEmpty && mine.failed.isEmpty) {
                logger.warning("requests left running by this worker's previous process were returned", metadata: .keyed([
                    .count: "\(mine.requeued.count + mine.failed.count)",
                ]))
            }
            startupReaped = true
        }
        if config.scheduleEnabled && scheduler == nil {
            do {
                let stored = try RequestQueue.lastFirings(c)
                let now = setup.clock.now()
                let jobs = Self.jobs(config)
                for name in Scheduler.baselines(jobs: jobs, stored: stored) {
                    _ = try RequestQueue.recordFiring(c, job: name, at: now)
                }
                scheduler = Scheduler(jobs: jobs, timeZone: config.timeZone, lastFired: stored, startedAt: now)
                if let unknown = try? RequestQueue.unknownRegions(c, config.regions), !unknown.isEmpty {
                    logger.error("schedule.regions names regions that are not loaded; their scheduled matches will be refused",
                                 metadata: .keyed([.region: "\(unknown.joined(separator: ","))"]))
                }
            } catch {
                logger.warning("schedule state could not be read; will retry", metadata: .keyed([.error: "\(error)"]))
            }
        }
        if wasEver {
            logger.info("database connection restored")
            notifier.status("serving")
        } else {
            logger.info("daemon ready", metadata: .keyed([.schemaVersion: "\(version)", .workerID: "\(config.workerID)"]))
            notifier.ready(status: "serving")
        }
    }

    private func databaseTrouble(_ error: any Error) {
        controlDB.dropIfBroken()
        // A statement the database refused (a constraint, a bad value) is not an
        // outage: the daemon stays ready and tries again later (issue 17).
        if healthy, !(error is StoreError || error is MigrationError), !Self.isOutage(error) {
            let delay = backoff.nextDelay(unit: Double.random(in: 0..<1))
            if backoff.attempt == 1 {
                logger.error("a database statement failed; still serving, will try again", metadata: .keyed([
                    .error: "\(error)", .delaySeconds: "\(delay.secondsDouble)",
                ]))
            }
            armPoll(after: delay)
            return
        }
        let delay = backoff.nextDelay(unit: Double.random(in: 0..<1))
        let schema = error is StoreError || error is MigrationError
        if healthy || backoff.attempt == 1 {
            if schema {
                logger.error("database schema is not the one this jobmatch needs; run jobmatch migrate", metadata: .keyed([
                    .error: "\(error)", .delaySeconds: "\(delay.secondsDouble)",
                ]))
            } else {
                logger.warning("database unavailable; retrying", metadata: .keyed([
                    .error: "\(error)", .delaySeconds: "\(delay.secondsDouble)",
                ]))
            }
        }
        if healthy { notifier.status("database unavailable; retrying") }
        healthy = false
        metrics.setReady(false)
        if let watch = listenWatch, let connection = listenConnection {
            watch.cancel()
            listenWatch = nil
            listenConnection = nil
            // close() waits for the watch's cancel handler, which runs on this (control)
            // queue: close from elsewhere, or it would wait on itself.
            DispatchQueue.global().async { connection.close() }
        }
        armPoll(after: delay)
    }

    private func ensureListening() {
        guard listenWatch == nil else { return }
        do {
            let c = try Connection.connect(setup.connection.with("application_name", "jobmatch serve listen"))
            try c.listen(Self.channel)
            listenConnection = c
            listenWatch = c.watchNotifications(on: control, onError: { [weak self] _ in
                // Already on the control queue; the watch has cancelled itself.
                guard let self else { return }
                self.listenWatch = nil
                self.listenConnection?.close()
                self.listenConnection = nil
                self.logger.debug("notification connection lost; polling until it is back")
            }) { [weak self] _ in
                self?.wake()
            }
        } catch {
            // Polling still finds every request; the next poll tries again.
            logger.debug("LISTEN failed; polling only", metadata: .keyed([.error: "\(error)"]))
        }
    }

    // MARK: - Schedules

    private func fireDueSchedules(_ c: Connection) throws {
        guard config.scheduleEnabled, var s = scheduler else { return }
        defer { scheduler = s; armScheduleTimer() }
        for firing in s.due(now: setup.clock.now()) {
            let meta: Logger.Metadata = .keyed([
                .job: "\(firing.job.name)", .scheduledFor: "\(firing.scheduledFor.formatted(.iso8601))", .catchUp: "\(firing.catchUp)",
            ])
            switch firing.job.kind {
            case .match(let regions):
                // An unknown region fails its own firing, recorded and logged; the others run (issue 17).
                let unknown = try RequestQueue.unknownRegions(c, regions)
                for region in unknown {
                    logger.error("scheduled match refused: no region with this code is loaded; fix schedule.regions",
                                 metadata: meta.merging(.keyed([.region: "\(region)"])) { $1 })
                    try Audit.record(c, actor: "schedule:\(config.workerID)", action: "scheduled_match_refused", subject: region,
                                     detail: ["job": firing.job.name, "reason": "unknown_region",
                                              "scheduled_for": firing.scheduledFor.formatted(.iso8601)])
                }
                let ids = try RequestQueue.enqueueScheduled(
                    c, job: firing.job.name, regions: regions, scheduledFor: firing.scheduledFor,
                    runDate: localDate(firing.scheduledFor), requestedBy: "schedule:\(config.workerID)")
                logger.info(firing.catchUp ? "missed scheduled match enqueued" : "scheduled match enqueued",
                            metadata: meta.merging(.keyed([.count: "\(ids.count)"])) { $1 })
            case .reviewReminder:
                if try RequestQueue.recordFiring(c, job: firing.job.name, at: firing.scheduledFor) {
                    logger.notice("the annual quota review is due: run jobmatch review --year for last year", metadata: meta)
                }
            }
            s.fired(firing)
            metrics.recordFiring(job: firing.job.name, at: setup.clock.now())
        }
    }

    private func armScheduleTimer() {
        scheduleTimer?.cancel()
        scheduleTimer = nil
        guard lifecycle.isRunning, let next = scheduler?.nextFiring() else { return }
        let delay = max(0, next.timeIntervalSince(setup.clock.now())) + 0.05
        let timer = DispatchSource.makeTimerSource(queue: control)
        timer.setEventHandler { [weak self] in self?.poll() }
        timer.schedule(deadline: .now() + min(delay, 3600))
        timer.activate()
        scheduleTimer = timer
    }

    private func localDate(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = config.timeZone
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    // MARK: - Runs

    private func claimIfIdle(_ c: Connection) throws {
        guard lifecycle.isRunning, current == nil else { return }
        guard let request = try RequestQueue.claim(c, workerID: config.workerID, now: setup.clock.now(), lease: config.lease) else { return }
        startRun(request)
    }

    private func startRun(_ request: ClaimedRequest) {
        current = CurrentRun(request: request, startedAt: .now)
        lifecycle.runStarted()
        logger.info("run started", metadata: .keyed([
            .requestID: "\(request.requestID)", .region: "\(request.regionCode)", .attempts: "\(request.attempts)",
        ]))
        startLeaseTimer(request)
        let executor = setup.executor
        runQueue.async { [self] in
            let outcome = execute(request, executor: executor)
            control.async { [self] in finishRun(request, outcome) }
        }
    }

    /// On the run queue.
    private func execute(_ request: ClaimedRequest, executor: any RunExecutor) -> RunOutcome {
        do {
            let c = try runDB.get()
            let locked = try c.query("""
                SELECT pg_try_advisory_lock(\(Self.regionLockClass), hashtext(\(request.regionCode))) AS locked
                """)[0].bool("locked")
            guard locked else { return .regionBusy }
            defer { _ = try? c.query("SELECT pg_advisory_unlock(\(Self.regionLockClass), hashtext(\(request.regionCode)))") }
            return .succeeded(runID: try executor.execute(request: request, connection: c))
        } catch {
            runDB.dropIfBroken()
            return .failed(error)
        }
    }

    /// On the control queue, when the run queue is done with a request.
    private func finishRun(_ request: ClaimedRequest, _ outcome: RunOutcome) {
        leaseTimer?.cancel()
        leaseTimer = nil
        let run = current
        current = nil
        let seconds = (run.map { ContinuousClock.now - $0.startedAt } ?? .zero).secondsDouble
        let now = setup.clock.now()
        let job = request.job ?? "on_demand"
        var meta: Logger.Metadata = .keyed([
            .requestID: "\(request.requestID)", .region: "\(request.regionCode)", .durationSeconds: "\(seconds)",
        ])
        do {
            switch outcome {
            case .succeeded(let runID):
                metrics.recordRun(.success, job: job, duration: seconds, at: now)
                meta[LogKey.runID.rawValue] = "\(runID)"
                logger.info("run succeeded", metadata: meta)
            case .regionBusy:
                metrics.recordRun(.skipped, job: job, duration: seconds, at: now)
                try RequestQueue.release(try controlDB.get(), requestID: request.requestID, workerID: request.workerID,
                                         dueAt: now.addingTimeInterval(Self.regionBusyRetryDefault))
                logger.info("region busy with another run; request returned to the queue", metadata: meta)
            case .failed(let error):
                meta[LogKey.error.rawValue] = "\(Self.describe(error))"
                if run?.abandoned == true {
                    // Already given back by abandonCurrentRun.
                    logger.info("abandoned run ended", metadata: meta)
                } else if Self.isLeaseLost(error) {
                    metrics.recordRun(.leaseLost, job: job, duration: seconds, at: now)
                    logger.warning("run discarded: its lease was lost to the reaper or another worker", metadata: meta)
                } else {
                    metrics.recordRun(.failure, job: job, duration: seconds, at: now)
                    let delay = min(Self.failureRetryCapDefault, Self.failureRetryBaseDefault * pow(2, Double(max(0, request.attempts - 1))))
                    let state = try RequestQueue.fail(try controlDB.get(), requestID: request.requestID, workerID: request.workerID,
                                                      error: Self.describe(error), retryAt: now.addingTimeInterval(delay),
                                                      maxAttempts: config.maxAttempts)
                    meta[LogKey.state.rawValue] = "\(state ?? "lost")"
                    meta[LogKey.delaySeconds.rawValue] = "\(delay)"
                    logger.error("run failed", metadata: meta)
                }
            }
        } catch {
            // The lease will expire and the reaper will return the request.
            databaseTrouble(error)
        }
        perform(lifecycle.runFinished())
        if lifecycle.isRunning { control.async { [weak self] in self?.wake() } }
    }

    /// Drain deadline passed: cancel the statement in flight and give the request back now,
    /// so another replica can take it. The run's transaction never commits: if the executor
    /// was about to call `complete`, the guard refuses it, since the request is queued again.
    private func abandonCurrentRun() {
        guard var run = current else { return }
        run.abandoned = true
        current = run
        runDB.cancelCurrentQuery()
        metrics.recordRun(.abandoned, job: run.request.job ?? "on_demand", duration: 0, at: setup.clock.now())
        do {
            let released = try RequestQueue.release(try controlDB.get(), requestID: run.request.requestID,
                                                    workerID: run.request.workerID, dueAt: setup.clock.now())
            logger.warning("drain deadline passed; run abandoned and request returned to the queue", metadata: .keyed([
                .requestID: "\(run.request.requestID)", .state: "\(released ? "queued" : "unchanged")",
            ]))
        } catch {
            logger.warning("drain deadline passed; run abandoned, its lease will expire", metadata: .keyed([
                .requestID: "\(run.request.requestID)", .error: "\(error)",
            ]))
        }
    }

    private func startLeaseTimer(_ request: ClaimedRequest) {
        let timer = DispatchSource.makeTimerSource(queue: leaseQueue)
        let every = config.lease / 3
        let lease = config.lease
        let clock = setup.clock
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            do {
                let until = try RequestQueue.renewLease(try self.leaseDB.get(), requestID: request.requestID,
                                                        workerID: request.workerID, now: clock.now(), lease: lease)
                if until == nil {
                    self.logger.warning("lease lost; cancelling the run", metadata: .keyed([.requestID: "\(request.requestID)"]))
                    self.runDB.cancelCurrentQuery()
                    timer.cancel()
                }
            } catch {
                self.leaseDB.dropIfBroken()
                self.logger.debug("lease renewal failed; will retry", metadata: .keyed([.error: "\(error)"]))
            }
        }
        timer.schedule(deadline: .now() + every.dispatchInterval, repeating: every.dispatchInterval)
        timer.activate()
        leaseTimer = timer
    }

    static func isLeaseLost(_ error: any Error) -> Bool {
        if error is RequestQueueError { return true }
        if let t = error as? TransactionError, t.body is RequestQueueError { return true }
        return false
    }

    /// One safe line: the wrappers' descriptions carry no bind values or row data.
    static func describe(_ error: any Error) -> String {
        String(String(describing: error).split(separator: "\n").joined(separator: " ").prefix(500))
    }
}

/// A database session that reopens itself after a failure.
///
/// Thread safety: `@unchecked Sendable`; the connection reference is behind
/// `lock`, and each session is used for statements from one queue only, so
/// `get` never races with itself. `cancelCurrentQuery` may come from anywhere.
final class DatabaseSession: @unchecked Sendable {
    let config: ConnectionConfig
    let onReconnect: @Sendable () -> Void
    let prepare: (Connection) throws -> Void
    private let lock = NSLock()
    private var connection: Connection?
    private var connectedBefore = false

    init(config: ConnectionConfig, onReconnect: @escaping @Sendable () -> Void,
         prepare: @escaping (Connection) throws -> Void = { _ in }) {
        // Fail fast when the server is away, and notice a dead server on an idle session.
        self.config = config.with("connect_timeout", "5").with("keepalives", "1").with("keepalives_idle", "10")
            .with("keepalives_interval", "5").with("keepalives_count", "3")
        self.onReconnect = onReconnect
        self.prepare = prepare
    }

    /// The open connection, connecting first if there is none or it broke.
    func get() throws -> Connection {
        if let c = lock.withLock({ connection }), c.isConnected { return c }
        dropIfBroken()
        let c = try Connection.connect(config)
        do { try prepare(c) } catch { c.close(); throw error }
        let reconnected = lock.withLock { () -> Bool in
            connection = c
            defer { connectedBefore = true }
            return connectedBefore
        }
        if reconnected { onReconnect() }
        return c
    }

    /// Closes the connection if libpq says it is broken.
    func dropIfBroken() {
        let broken: Connection? = lock.withLock {
            guard let c = connection, !c.isConnected else { return nil }
            connection = nil
            return c
        }
        broken?.close()
    }

    func cancelCurrentQuery() {
        lock.withLock { connection }?.cancelCurrentQuery()
    }
}

extension Daemon {
    /// True when `error` means the database is out of reach (connection lost or
    /// refused, server shutting down), false for a statement it refused.
    public static func isOutage(_ error: any Error) -> Bool {
        if let t = error as? TransactionError {
            return [t.begin, t.commit, t.rollback].contains { $0.map(isOutage) ?? false } || (t.body.map(isOutage) ?? false)
        }
        guard let e = error as? PostgresError else { return true }
        if e.isConnectionFailure { return true }
        if case .connect = e.kind { return true }
        guard let state = e.sqlState else { return true }
        return ["57", "53", "58", "XX"].contains(state.classCode)
    }
}
