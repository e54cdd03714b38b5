// The queue worker: performs `ClaimLoop`'s actions on the control queue. A
// step that fails with a database error ends the list (the loop is told, and
// answers with a backoff); only the bookkeeping after a run still happens.

import Dispatch
import Foundation
import Logging
import Postgres
import Store

extension Daemon {
    /// The poll timer fired: connect if needed, reap, fire schedules, claim, measure.
    func poll() { perform(loop.poll()) }

    /// A wake-up (NOTIFY, a run finished): claim if idle, nothing else.
    func wake() { perform(loop.woken()) }

    func perform(_ actions: [ClaimLoop.Action]) {
        dispatchPrecondition(condition: .onQueue(control))
        var failed = false
        for action in actions {
            if failed, action != .runFinished, action != .wakeSoon { continue }
            do {
                try step(action)
            } catch {
                failed = true
                databaseTrouble(error)
            }
        }
    }

    private func step(_ action: ClaimLoop.Action) throws {
        switch action {
        case .checkDatabase:
            let c = try controlDB.get()
            try requireWritable(c)
            try Migrator.requireCurrent(c)
            perform(loop.databaseReached())
        case .markReady:
            metrics.setReady(true)
        case .reapOwnLeftovers:
            reapOwnLeftovers(try controlDB.get())
        case .startScheduler:
            startScheduler(try controlDB.get())
        case .announceReady(let first):
            announceReady(first: first)
        case .listen:
            ensureListening()
        case .reap:
            let reaped = try RequestQueue.reap(try controlDB.get(), now: setup.clock.now(), maxAttempts: config.maxAttempts)
            for id in reaped.requeued { logger.warning("lease expired; request returned to the queue", metadata: .keyed([.requestID: "\(id)"])) }
            for id in reaped.failed { logger.error("lease expired too often; request failed", metadata: .keyed([.requestID: "\(id)"])) }
        case .fireSchedules:
            try fireDueSchedules(try controlDB.get())
        case .claim:
            let c = try controlDB.get()
            if let request = try RequestQueue.claim(c, workerID: config.workerID, now: setup.clock.now(), lease: config.lease) {
                perform(loop.claimed(request))
            }
        case .measureQueue:
            let depth = try RequestQueue.depth(try controlDB.get())
            metrics.setQueue(queued: depth.queued, running: depth.running)
        case .resetBackoff:
            backoff.reset()
        case .armPoll(.interval):
            armPoll(after: config.pollInterval)
        case .armPoll(.backoff):
            lastBackoffDelay = backoff.nextDelay(unit: Double.random(in: 0..<1))
            armPoll(after: lastBackoffDelay)
        case .startRun(let request):
            startRun(request)
        case .stopLeaseRenewal:
            leaseTimer?.cancel()
            leaseTimer = nil
        case .recordOutcome(let outcome):
            let request = ending?.request ?? loop.current?.request
            metrics.recordRun(outcome, job: request?.job ?? "on_demand", duration: ending?.seconds ?? 0, at: setup.clock.now())
        case .logSucceeded(let runID):
            logger.info("run succeeded", metadata: endingMetadata([.runID: "\(runID)"]))
        case .release(let after):
            guard let request = ending?.request else { return }
            try RequestQueue.release(try controlDB.get(), requestID: request.requestID, workerID: request.workerID,
                                     dueAt: setup.clock.now().addingTimeInterval(after))
            logger.info("region busy with another run; request returned to the queue", metadata: endingMetadata([:]))
        case .fail(let message, let retryAfter):
            guard let request = ending?.request else { return }
            let state = try RequestQueue.fail(try controlDB.get(), requestID: request.requestID, workerID: request.workerID,
                                              error: message, retryAt: setup.clock.now().addingTimeInterval(retryAfter),
                                              maxAttempts: config.maxAttempts)
            logger.error("run failed", metadata: endingMetadata([
                .error: "\(message)", .state: "\(state ?? "lost")", .delaySeconds: "\(retryAfter)",
            ]))
        case .handBack(let message):
            guard let request = ending?.request else { return }
            metrics.recordRunRetried()
            logger.error("run failed: its database connection was lost; handing the request back", metadata: endingMetadata([
                .error: "\(message)",
            ]))
            databaseWentAway()
            // On a fresh connection; if the database is still away this throws (an outage),
            // and the next reconnect's `requeueHeld` gives it back.
            try RequestQueue.release(try controlDB.get(), requestID: request.requestID, workerID: request.workerID,
                                     dueAt: setup.clock.now())
            logger.info("request handed back to the queue", metadata: endingMetadata([:]))
        case .requeueHeld:
            try requeueHeld(try controlDB.get())
        case .logLeaseLost:
            logger.warning("run discarded: its lease was lost to the reaper or another worker", metadata: endingMetadata([:]))
        case .logAbandonedEnded:
            logger.info("abandoned run ended", metadata: endingMetadata([:]))
        case .runFinished:
            perform(lifecycle.runFinished())
        case .wakeSoon:
            control.async { [weak self] in self?.wake() }
        case .abandon(let request):
            abandon(request)
        case .reportStatementFailure:
            if backoff.attempt == 1, let error = lastDatabaseError {
                logger.error("a database statement failed; still serving, will try again", metadata: .keyed([
                    .error: "\(error)", .delaySeconds: "\(lastBackoffDelay.secondsDouble)",
                ]))
            }
        case .reportOutage(let schema, let wasHealthy):
            reportOutage(schema: schema, wasHealthy: wasHealthy)
        case .markUnready:
            metrics.setReady(false)
        case .dropListen:
            dropListen()
        }
    }

    func armPoll(after delay: Duration) {
        guard lifecycle.isRunning else { return }
        pollTimer?.schedule(deadline: .now() + delay.dispatchInterval)
    }

    private func endingMetadata(_ extra: KeyValuePairs<LogKey, Logger.MetadataValue>) -> Logger.Metadata {
        var meta: Logger.Metadata = ending.map {
            .keyed([.requestID: "\($0.request.requestID)", .region: "\($0.request.regionCode)", .durationSeconds: "\($0.seconds)"])
        } ?? [:]
        meta.merge(.keyed(extra)) { $1 }
        return meta
    }
}
