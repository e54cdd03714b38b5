// The queue worker's decisions, as a pure value like `Lifecycle`: events in,
// actions out; no clock, no I/O, no Dispatch. The shell (Daemon+Worker.swift)
// performs the actions in order and feeds back what happened.
//
//   unhealthy ──poll──▶ [checkDatabase] ──databaseReached──▶ healthy
//       ▲                                                      │
//       └──────────── databaseFailed(outage or schema) ────────┤
//                                                              │ poll / woken, idle
//                         runEnded ◀── running(request) ◀──claimed
//
// Once claiming stops (drain), nothing new starts: no poll, no claim.

import Foundation
import Store

public struct ClaimLoop: Sendable, Equatable {
    /// How a database step failed, as the shell classifies it.
    public enum Failure: Sendable, Equatable {
        /// Connection lost or refused, server shutting down.
        case outage
        /// The schema is not the one this jobmatch needs.
        case schema
        /// A statement the database refused (a constraint, a bad value): not an outage.
        case statement
    }

    /// How a run ended, as the run queue reports it.
    public enum RunResult: Sendable, Equatable {
        case succeeded(runID: Int64)
        /// Another session holds the region's lock: give the request back.
        case regionBusy
        /// The request's lease went to the reaper or another worker.
        case leaseLost
        case failed(message: String)
        /// The run's connection died with the database (issue 18): handed back, no attempt spent.
        case connectionLost(message: String)
    }

    public enum PollDelay: Sendable, Equatable {
        /// The configured poll interval.
        case interval
        /// The next backoff delay.
        case backoff
    }

    public enum Action: Sendable, Equatable {
        /// Connect and require the current schema; then `databaseReached` or `databaseFailed`.
        case checkDatabase
        /// Mark ready (metrics, readiness).
        case markReady
        /// Give back requests this worker id's previous process left running (once per process).
        case reapOwnLeftovers
        /// Read the schedule state and create the scheduler, if scheduling and none yet.
        case startScheduler
        /// Log and tell systemd: first time ready, or the database came back.
        case announceReady(first: Bool)
        /// LISTEN for requests (if not already), reap expired leases, fire due schedules.
        case listen, reap, fireSchedules
        /// Claim one queued request; then `claimed` if one was.
        case claim
        /// Measure the queue for the metrics.
        case measureQueue
        case resetBackoff
        /// Poll again after the delay (for `.backoff`, reports below name the delay drawn here).
        case armPoll(PollDelay)
        /// Start the run of `request` (lease renewals, the run queue).
        case startRun(ClaimedRequest)
        case stopLeaseRenewal
        case recordOutcome(Metrics.Outcome)
        case logSucceeded(runID: Int64)
        /// Give the request back, due again after `seconds`.
        case release(after: TimeInterval)
        /// The run died with its connection: reopen every session, give the request back on a
        /// fresh one (attempt not counted), log and count it; the database is then checked again.
        case handBack(message: String)
        /// After a reconnect, give back every request this worker still holds (none is running).
        case requeueHeld
        /// Mark the attempt failed, retried after `seconds` (or failed for good past max attempts).
        case fail(message: String, retryAfter: TimeInterval)
        case logLeaseLost
        case logAbandonedEnded
        /// Tell the lifecycle the run is over.
        case runFinished
        /// Claim again soon (after the finished run's bookkeeping).
        case wakeSoon
        /// Cancel the statement in flight and give the request back now.
        case abandon(ClaimedRequest)
        /// A statement failed while healthy: log (first time), stay ready.
        case reportStatementFailure
        /// The database is away or the schema wrong: log (first time), drop LISTEN.
        case reportOutage(schema: Bool, wasHealthy: Bool)
        case markUnready
        case dropListen
    }

    public struct Run: Sendable, Equatable {
        public let request: ClaimedRequest
        public var abandoned = false
    }

    /// A request whose region is busy elsewhere is due again after this.
    public static let regionBusyRetryDefault: TimeInterval = 1
    /// First retry of a failed run; doubles per attempt, capped.
    public static let failureRetryBaseDefault: TimeInterval = 5
    public static let failureRetryCapDefault: TimeInterval = 300

    public private(set) var healthy = false
    public private(set) var everReady = false
    public private(set) var ownLeftoversReaped = false
    public private(set) var claiming = true
    public private(set) var current: Run?

    public init() {}

    public var isIdle: Bool { current == nil }

    /// The poll timer fired (or a schedule fell due).
    public mutating func poll() -> [Action] {
        guard claiming else { return [] }
        guard healthy else { return [.checkDatabase] }
        return pollWork()
    }

    /// The connection is open and the schema current.
    public mutating func databaseReached() -> [Action] {
        guard claiming else { return [] }
        guard !healthy else { return pollWork() }
        healthy = true
        let first = !everReady
        everReady = true
        // Reconnected with no run in flight: what we still hold died with the old connections.
        var actions: [Action] = !first && current == nil ? [.requeueHeld, .markReady] : [.markReady]
        if !ownLeftoversReaped {
            ownLeftoversReaped = true
            actions.append(.reapOwnLeftovers)
        }
        actions += [.startScheduler, .announceReady(first: first)]
        return actions + pollWork()
    }

    /// A NOTIFY arrived or a run finished: claim if idle, nothing else.
    public func woken() -> [Action] {
        guard claiming, healthy, current == nil else { return [] }
        return [.claim]
    }

    /// The claim returned a request.
    public mutating func claimed(_ request: ClaimedRequest) -> [Action] {
        guard current == nil else { return [] }
        current = Run(request: request)
        return [.startRun(request)]
    }

    /// The run queue is done with the current request.
    public mutating func runEnded(_ result: RunResult) -> [Action] {
        guard let run = current else { return [] }
        current = nil
        var actions: [Action] = [.stopLeaseRenewal]
        switch result {
        case .succeeded(let runID):
            actions += [.recordOutcome(.success), .logSucceeded(runID: runID)]
        case .regionBusy:
            actions += [.recordOutcome(.skipped), .release(after: Self.regionBusyRetryDefault)]
        case .connectionLost(let message):
            actions += run.abandoned ? [.logAbandonedEnded] : [.recordOutcome(.failure), .handBack(message: message)]
        case .leaseLost, .failed:
            if run.abandoned {
                actions.append(.logAbandonedEnded)  // already given back by `abandon`
            } else if case .failed(let message) = result {
                actions += [.recordOutcome(.failure),
                            .fail(message: message, retryAfter: Self.retryDelay(attempts: run.request.attempts))]
            } else {
                actions += [.recordOutcome(.leaseLost), .logLeaseLost]
            }
        }
        actions.append(.runFinished)
        if claiming { actions.append(.wakeSoon) }
        return actions
    }

    /// A database step failed.
    public mutating func databaseFailed(_ failure: Failure) -> [Action] {
        if healthy, failure == .statement {
            return [.armPoll(.backoff), .reportStatementFailure]
        }
        let wasHealthy = healthy
        healthy = false
        return [.armPoll(.backoff), .reportOutage(schema: failure == .schema, wasHealthy: wasHealthy)]
            + (wasHealthy ? [.markUnready] : []) + [.dropListen]
    }

    /// Draining: claim nothing more.
    public mutating func stopClaiming() {
        claiming = false
    }

    /// The drain deadline passed with a run in flight.
    public mutating func abandonRun() -> [Action] {
        guard var run = current, !run.abandoned else { return [] }
        run.abandoned = true
        current = run
        return [.recordOutcome(.abandoned), .abandon(run.request)]
    }

    /// First retry after `failureRetryBaseDefault`, doubling per attempt, capped.
    public static func retryDelay(attempts: Int) -> TimeInterval {
        min(failureRetryCapDefault, failureRetryBaseDefault * pow(2, Double(max(0, attempts - 1))))
    }

    private func pollWork() -> [Action] {
        [.listen, .reap, .fireSchedules] + (current == nil ? [.claim] : []) + [.measureQueue, .resetBackoff, .armPoll(.interval)]
    }
}
