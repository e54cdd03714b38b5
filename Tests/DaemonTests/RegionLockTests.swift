// One key for one region (issue 13): the CLI's blocking lock (`jobmatch match`,
// MatchRunner) and the daemon's try-lock are the same `AdvisoryLock.Key.region`,
// so a CLI run and a daemon run of one region never overlap, and a daemon whose
// region is busy gives its claim back instead of waiting while holding it.

import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct RegionLockTests {
    @Test func theDaemonsTryLockAndTheCLIsLockAreOneKeyAndTheDaemonsIsReentrant() throws {
        let db = try TestDatabase.make()
        let cli = try Connection.connect(db.config)
        let daemon = try Connection.connect(db.config)
        // What `jobmatch match` holds while it runs.
        try AdvisoryLock.lock(cli, .region("R1"), waitingFor: .matchingRun(region: "R1"), waitSeconds: 1)
        #expect(try !AdvisoryLock.tryLock(daemon, .region("R1")))
        #expect(try AdvisoryLock.tryLock(daemon, .region("R2")))
        AdvisoryLock.unlock(daemon, .region("R2"))
        AdvisoryLock.unlock(cli, .region("R1"))
        // The daemon's run takes the key, then the executor (MatchRunner) takes it again on
        // the same session: granted at once, never a wait on itself.
        #expect(try AdvisoryLock.tryLock(daemon, .region("R1")))
        let t0 = ContinuousClock.now
        try AdvisoryLock.lock(daemon, .region("R1"), waitingFor: .matchingRun(region: "R1"), waitSeconds: 1)
        #expect(ContinuousClock.now - t0 < .milliseconds(900))
        // While the daemon holds it, the CLI waits (and here gives up after its wait).
        #expect(throws: AdvisoryLock.TimedOut.self) { try AdvisoryLock.lock(cli, .region("R1"), waitingFor: .matchingRun(region: "R1"), waitSeconds: 1) }
        AdvisoryLock.unlock(daemon, .region("R1"))
        AdvisoryLock.unlock(daemon, .region("R1"))
        #expect(try AdvisoryLock.tryLock(cli, .region("R1")))
    }

    @Test func whileTheCLIRunsARegionTheDaemonGivesItsClaimBackAndRunsItAfter() async throws {
        let db = try TestDatabase.make()
        let cli = try Connection.connect(db.config)
        try AdvisoryLock.lock(cli, .region("R1"), waitingFor: .matchingRun(region: "R1"), waitSeconds: 1)
        let daemon = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "lock-1", "--no-schedule"],
                                      environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0"])
        defer { daemon.send(SIGKILL) }
        try await daemon.waitForLog("daemon ready")
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: "2025-03-01", requestedBy: "test")
        try await daemon.waitForLog("region busy with another run; request returned to the queue")
        // Not held while the region is busy: the request is back in the queue, no attempt counted.
        let state = try RequestQueue.state(db.connection, requestID: id)
        #expect(state?.state == "queued")
        #expect(try db.int("SELECT count(*) AS n FROM match_run WHERE request_id = \(id)") == 0)
        AdvisoryLock.unlock(cli, .region("R1"))
        try await waitUntil("request done once the CLI's run ended") { try RequestQueue.state(db.connection, requestID: id)?.state == "done" }
        #expect(try db.int("SELECT count(*) AS n FROM match_run WHERE request_id = \(id)") == 1)
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }
}
