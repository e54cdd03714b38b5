// The claim loop's decisions as a table: state, event → actions. No clock, no database.

import Daemon
import Foundation
import Store
import Testing

@Suite struct ClaimLoopTests {
    static func request(_ id: Int64 = 7, attempts: Int = 1) -> ClaimedRequest {
        ClaimedRequest(requestID: id, regionCode: "410307", runDate: nil, attempts: attempts, workerID: "w1",
                       leaseUntil: Date(timeIntervalSince1970: 0), job: nil)
    }

    static let pollWork: [ClaimLoop.Action] = [.listen, .reap, .fireSchedules, .claim, .measureQueue, .resetBackoff, .armPoll(.interval)]

    /// A loop that reached the database once.
    static func healthy() -> ClaimLoop {
        var loop = ClaimLoop()
        _ = loop.databaseReached()
        return loop
    }

    @Test func anUnhealthyLoopChecksTheDatabaseFirst() {
        var loop = ClaimLoop()
        #expect(loop.poll() == [.checkDatabase])
        #expect(loop.woken() == [])
    }

    @Test func theFirstReadyAnnouncesReapsOnceAndPolls() {
        var loop = ClaimLoop()
        #expect(loop.databaseReached() == [.markReady, .reapOwnLeftovers, .startScheduler, .announceReady(first: true)] + Self.pollWork)
        #expect(loop.healthy && loop.everReady)
        // Lost and found again: restored, not first; no second reap of our leftovers, but what
        // this worker still holds (a run that died with its connection) goes back first (issue 18).
        #expect(loop.databaseFailed(.outage) == [.armPoll(.backoff), .reportOutage(schema: false, wasHealthy: true), .markUnready, .dropListen])
        #expect(loop.poll() == [.checkDatabase])
        #expect(loop.databaseReached() == [.requeueHeld, .markReady, .startScheduler, .announceReady(first: false)] + Self.pollWork)
    }

    @Test(arguments: [
        (ClaimLoop.Failure.statement, [ClaimLoop.Action.armPoll(.backoff), .reportStatementFailure], true),
        (.outage, [.armPoll(.backoff), .reportOutage(schema: false, wasHealthy: true), .markUnready, .dropListen], false),
        (.schema, [.armPoll(.backoff), .reportOutage(schema: true, wasHealthy: true), .markUnready, .dropListen], false),
    ])
    func failuresWhileHealthy(failure: ClaimLoop.Failure, actions: [ClaimLoop.Action], staysHealthy: Bool) {
        var loop = Self.healthy()
        #expect(loop.databaseFailed(failure) == actions)
        #expect(loop.healthy == staysHealthy)
    }

    @Test func aFailureWhileUnhealthyReportsWithoutMarkingUnreadyAgain() {
        var loop = ClaimLoop()
        #expect(loop.databaseFailed(.statement) == [.armPoll(.backoff), .reportOutage(schema: false, wasHealthy: false), .dropListen])
    }

    @Test func aRunThatLostItsConnectionIsHandedBackWithoutSpendingAnAttempt() {
        var loop = Self.healthy()
        _ = loop.claimed(Self.request())
        #expect(loop.runEnded(.connectionLost(message: "gone")) == [
            .stopLeaseRenewal, .recordOutcome(.failure), .handBack(message: "gone"), .runFinished, .wakeSoon,
        ])
        #expect(loop.isIdle)
    }

    @Test func aReconnectWithARunInFlightLeavesItsRequestToTheRun() {
        var loop = Self.healthy()
        _ = loop.claimed(Self.request())
        _ = loop.databaseFailed(.outage)
        #expect(loop.databaseReached() == [.markReady, .startScheduler, .announceReady(first: false), .listen, .reap, .fireSchedules, .measureQueue, .resetBackoff, .armPoll(.interval)])
    }

    @Test func oneRunAtATime() {
        var loop = Self.healthy()
        #expect(loop.woken() == [.claim])
        #expect(loop.claimed(Self.request()) == [.startRun(Self.request())])
        #expect(loop.woken() == [])
        #expect(loop.claimed(Self.request(8)) == [])
        // Polling goes on without claiming.
        #expect(loop.poll() == [.listen, .reap, .fireSchedules, .measureQueue, .resetBackoff, .armPoll(.interval)])
    }

    @Test(arguments: [
        (ClaimLoop.RunResult.succeeded(runID: 3), 1, [ClaimLoop.Action.recordOutcome(.success), .logSucceeded(runID: 3)]),
        (.regionBusy, 1, [.recordOutcome(.skipped), .release(after: 1)]),
        (.leaseLost, 1, [.recordOutcome(.leaseLost), .logLeaseLost]),
        (.failed(message: "boom"), 1, [.recordOutcome(.failure), .fail(message: "boom", retryAfter: 5)]),
        (.failed(message: "boom"), 3, [.recordOutcome(.failure), .fail(message: "boom", retryAfter: 20)]),
        (.failed(message: "boom"), 30, [.recordOutcome(.failure), .fail(message: "boom", retryAfter: 300)]),
    ])
    func howARunEnds(result: ClaimLoop.RunResult, attempts: Int, middle: [ClaimLoop.Action]) {
        var loop = Self.healthy()
        _ = loop.claimed(Self.request(attempts: attempts))
        #expect(loop.runEnded(result) == [.stopLeaseRenewal] + middle + [.runFinished, .wakeSoon])
        #expect(loop.isIdle)
    }

    @Test func drainingClaimsNothingAndAnAbandonedRunIsGivenBackOnce() {
        var loop = Self.healthy()
        _ = loop.claimed(Self.request())
        loop.stopClaiming()
        #expect(loop.poll() == [])
        #expect(loop.woken() == [])
        #expect(loop.abandonRun() == [.recordOutcome(.abandoned), .abandon(Self.request())])
        #expect(loop.abandonRun() == [])
        // Its end (a cancelled statement, a refused completion) is only logged: no retry, no wake.
        #expect(loop.runEnded(.failed(message: "canceling statement")) == [.stopLeaseRenewal, .logAbandonedEnded, .runFinished])
        #expect(loop.runEnded(.succeeded(runID: 1)) == [])
    }

    @Test func abandoningWithoutARunDoesNothing() {
        var loop = Self.healthy()
        #expect(loop.abandonRun() == [])
    }
}
