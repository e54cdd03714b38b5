// The daemon's decisions, as pure values: no clock, no I/O, no Dispatch. The
// shell (`Daemon`) feeds them events and the current time and performs the
// actions they return; tests drive them with plain dates and durations.

import Foundation

// MARK: - Scheduler

/// A scheduled job.
public struct ScheduledJob: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Enqueue one match request per region.
        case match(regions: [String])
        /// Remind staff of the annual quota review (logged).
        case reviewReminder
    }
    public let name: String
    public let cron: CronExpression
    public let kind: Kind

    public init(name: String, cron: CronExpression, kind: Kind) {
        self.name = name
        self.cron = cron
        self.kind = kind
    }

    public static let nightlyMatchName = "nightly_match"
    public static let reviewReminderName = "review_reminder"
}

/// Decides which scheduled firings are due.
///
/// `lastFired[job]` means "firings up to this time are handled"; it lives in
/// `schedule_state`, so it survives restarts. A job never seen before starts
/// from the moment the daemon started (the shell records that baseline), so
/// the first start does not invent a missed run. When several firings were
/// missed (the daemon was down), only the latest is due: a missed run runs
/// once, not once per missed night.
///
///     due(now) ──▶ [Firing] ──(shell enqueues and records)──▶ fired(firing)
///
/// `due` does not change state: a firing the shell could not persist (the
/// database was away) is due again on the next call.
public struct Scheduler: Sendable {
    public struct Firing: Sendable, Equatable {
        public let job: ScheduledJob
        public let scheduledFor: Date
        /// True when this firing was missed (it is due well after its time).
        public let catchUp: Bool

        public init(job: ScheduledJob, scheduledFor: Date, catchUp: Bool) {
            self.job = job
            self.scheduledFor = scheduledFor
            self.catchUp = catchUp
        }
    }

    public private(set) var jobs: [ScheduledJob]
    public let timeZone: TimeZone
    public private(set) var lastFired: [String: Date]
    /// A firing this late counts as a catch-up (logged as such).
    public static let catchUpThresholdDefault: TimeInterval = 60

    /// `lastFired` from `schedule_state`; jobs missing there start at `startedAt`.
    public init(jobs: [ScheduledJob], timeZone: TimeZone, lastFired: [String: Date], startedAt: Date) {
        self.jobs = jobs
        self.timeZone = timeZone
        var known = lastFired
        for job in jobs where known[job.name] == nil { known[job.name] = startedAt }
        self.lastFired = known
    }

    /// Jobs that had no record and must have their baseline stored.
    public static func baselines(jobs: [ScheduledJob], stored: [String: Date]) -> [String] {
        jobs.map(\.name).filter { stored[$0] == nil }
    }

    /// Replaces the jobs (config reload), keeping what has fired.
    public mutating func replaceJobs(_ newJobs: [ScheduledJob], now: Date) {
        jobs = newJobs
        for job in newJobs where lastFired[job.name] == nil { lastFired[job.name] = now }
    }

    /// The firings due at `now`: per job, the latest scheduled time after its last firing.
    public func due(now: Date) -> [Firing] {
        jobs.compactMap { job in
            let since = lastFired[job.name] ?? now
            guard let t = job.cron.latest(atOrBefore: now, after: since, in: timeZone) else { return nil }
            return Firing(job: job, scheduledFor: t, catchUp: now.timeIntervalSince(t) > Self.catchUpThresholdDefault)
        }
    }

    /// Records that `firing` was persisted.
    public mutating func fired(_ firing: Firing) {
        if let previous = lastFired[firing.job.name], previous >= firing.scheduledFor { return }
        lastFired[firing.job.name] = firing.scheduledFor
    }

    /// When the next firing falls, for the timer.
    public func nextFiring() -> Date? {
        jobs.compactMap { job in job.cron.next(after: lastFired[job.name] ?? .distantPast, in: timeZone) }.min()
    }
}

// MARK: - Lifecycle

/// Shutdown decisions: drain on the first SIGTERM/SIGINT, exit at once on the second.
///
///     running ──signal──▶ draining(deadline) ──run finished──▶ exit 0
///        │                    │     └──deadline──▶ abandon run, exit 0
///        │                    └──second signal──▶ exit 128+signal
///        └──signal, no run──▶ exit 0
///
/// Times are monotonic durations since the daemon started.
public struct Lifecycle: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case running
        case draining(deadline: Duration)
        case exited(Int32)
    }
    public enum Action: Sendable, Equatable {
        /// Stop claiming requests and firing schedules; tell systemd STOPPING=1.
        case stopClaiming
        /// Check again at this monotonic time.
        case armDeadline(Duration)
        /// Cancel the current run and give its request back.
        case abandonRun
        case exit(Int32)
    }

    public private(set) var phase: Phase = .running
    public private(set) var runActive = false

    public init() {}

    public var isRunning: Bool { phase == .running }

    public mutating func runStarted() {
        runActive = true
    }

    public mutating func runFinished() -> [Action] {
        runActive = false
        if case .draining = phase { return exit(0) }
        return []
    }

    /// A termination signal (SIGTERM, SIGINT) arrived.
    public mutating func signal(_ number: Int32, now: Duration, drain: Duration) -> [Action] {
        switch phase {
        case .running:
            guard runActive else { return [.stopClaiming] + exit(0) }
            let deadline = now + drain
            phase = .draining(deadline: deadline)
            return [.stopClaiming, .armDeadline(deadline)]
        case .draining:
            return exit(128 + number)
        case .exited:
            return []
        }
    }

    /// The deadline timer fired (or any tick).
    public mutating func tick(now: Duration) -> [Action] {
        guard case .draining(let deadline) = phase, now >= deadline else { return [] }
        return (runActive ? [.abandonRun] : []) + exit(0)
    }

    private mutating func exit(_ code: Int32) -> [Action] {
        phase = .exited(code)
        return [.exit(code)]
    }
}

// MARK: - Backoff

/// Exponential backoff with "equal jitter": the n-th delay is uniformly drawn
/// from [d/2, d] with d = min(cap, base · 2ⁿ), so replicas that lost the
/// database together do not reconnect in lockstep, and none waits past `cap`.
public struct Backoff: Sendable, Equatable {
    public let base: Duration
    public let cap: Duration
    public private(set) var attempt = 0

    public static let baseDefault: Duration = .milliseconds(100)

    public init(base: Duration = Backoff.baseDefault, cap: Duration) {
        self.base = base
        self.cap = cap
    }

    /// The next delay; `unit` is a random number in [0, 1) (injected for tests).
    public mutating func nextDelay(unit: Double) -> Duration {
        let exponent = min(attempt, 30)
        attempt += 1
        let full = min(cap, base * (1 << exponent))
        return full / 2 + full / 2 * max(0, min(unit, 1))
    }

    public mutating func reset() { attempt = 0 }
}
