// One run: the region's lock and the executor on the run queue, lease renewals
// on the lease queue, the outcome back to the claim loop on the control queue.

import Dispatch
import Foundation
import Logging
import Postgres
import Store

extension Daemon {
    /// The run being settled, while `ClaimLoop.runEnded`'s actions are performed.
    struct Ending {
        let request: ClaimedRequest
        let seconds: Double
    }

    func startRun(_ request: ClaimedRequest) {
        runStartedAt = .now
        lifecycle.runStarted()
        logger.info("run started", metadata: .keyed([
            .requestID: "\(request.requestID)", .region: "\(request.regionCode)", .attempts: "\(request.attempts)",
        ]))
        startLeaseTimer(request)
        let executor = setup.executor
        runQueue.async { [self] in
            let result = execute(request, executor: executor)
            control.async { [self] in finishRun(request, result) }
        }
    }

    /// On the run queue. Never waits for the region: a busy region gives the request back.
    private func execute(_ request: ClaimedRequest, executor: any RunExecutor) -> ClaimLoop.RunResult {
        do {
            var c = try runDB.get()
            let key = AdvisoryLock.Key.region(request.regionCode)
            let locked: Bool
            do {
                locked = try AdvisoryLock.tryLock(c, key)
            } catch where Self.isConnectionLoss(error) {
                // The run session was opened on a server that is gone (a failover while it
                // sat idle): retry the first statement at once on a fresh session, no attempt spent.
                logger.info("run session was stale; reconnecting and retrying its first statement", metadata: .keyed([
                    .requestID: "\(request.requestID)", .error: "\(Self.describe(error))",
                ]))
                metrics.recordRunRetried()
                runDB.discard()
                c = try runDB.get()
                locked = try AdvisoryLock.tryLock(c, key)
            }
            guard locked else { return .regionBusy }
            defer { AdvisoryLock.unlock(c, key) }
            return .succeeded(runID: try executor.execute(request: request, connection: c))
        } catch {
            runDB.dropIfBroken()
            if Self.isLeaseLost(error) { return .leaseLost }
            if Self.isConnectionLoss(error) {
                runDB.discard()
                return .connectionLost(message: Self.describe(error))
            }
            return .failed(message: Self.describe(error))
        }
    }

    /// On the control queue, when the run queue is done with a request.
    private func finishRun(_ request: ClaimedRequest, _ result: ClaimLoop.RunResult) {
        let seconds = (runStartedAt.map { ContinuousClock.now - $0 } ?? .zero).secondsDouble
        runStartedAt = nil
        ending = Ending(request: request, seconds: seconds)
        defer { ending = nil }
        perform(loop.runEnded(result))
    }

    /// Drain deadline passed: cancel the statement in flight and give the request back now,
    /// so another replica can take it. The run's transaction never commits: if the executor
    /// was about to call `complete`, the guard refuses it, since the request is queued again.
    func abandon(_ request: ClaimedRequest) {
        runDB.cancelCurrentQuery()
        do {
            let released = try RequestQueue.release(try controlDB.get(), requestID: request.requestID,
                                                    workerID: request.workerID, dueAt: setup.clock.now())
            logger.warning("drain deadline passed; run abandoned and request returned to the queue", metadata: .keyed([
                .requestID: "\(request.requestID)", .state: "\(released ? "queued" : "unchanged")",
            ]))
        } catch {
            logger.warning("drain deadline passed; run abandoned, its lease will expire", metadata: .keyed([
                .requestID: "\(request.requestID)", .error: "\(error)",
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
                if Self.isConnectionLoss(error) { self.leaseDB.discard() }
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
