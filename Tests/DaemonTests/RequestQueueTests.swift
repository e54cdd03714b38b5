// The queue's SQL against a real PostgreSQL: claims, leases, the reaper and the
// guards. "now" is a parameter, so expiry is tested by passing a later time,
// not by sleeping.

import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct RequestQueueTests {
    // Requests are due at the server's now(); claim a little later than that.
    var t0: Date { Date().addingTimeInterval(5 - 3600) }

    @Test func whenTwoConnectionsClaimTheyGetDifferentRequests() throws {
        let db = try TestDatabase.make(regions: ["R1", "R2"])
        let a = try Connection.connect(db.config), b = try Connection.connect(db.config)
        let first = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "t")
        let second = try RequestQueue.enqueue(db.connection, region: "R2", date: nil, requestedBy: "t")
        // A holds the first row locked inside an open transaction; B must skip it, not wait.
        try a.query("BEGIN")
        try a.query("SELECT 1 FROM match_request WHERE request_id = \(first) FOR UPDATE")
        let claimedByB = try RequestQueue.claim(b, workerID: "b", now: t0.addingTimeInterval(3600), lease: .seconds(60))
        #expect(claimedByB?.requestID == second)
        try a.query("ROLLBACK")
        let claimedByA = try RequestQueue.claim(a, workerID: "a", now: t0.addingTimeInterval(3600), lease: .seconds(60))
        #expect(claimedByA?.requestID == first)
        #expect(claimedByA?.attempts == 1)
        #expect(try RequestQueue.claim(a, workerID: "a", now: t0.addingTimeInterval(3600), lease: .seconds(60)) == nil)
    }

    @Test func whenClaimingTheOrderIsPriorityThenDueTimeAndFutureRequestsWait() throws {
        let db = try TestDatabase.make(regions: ["R1", "R2", "R3"])
        let now = Date()
        let low = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "t", priority: 5)
        let urgent = try RequestQueue.enqueue(db.connection, region: "R2", date: nil, requestedBy: "t", priority: -1)
        try db.connection.query("UPDATE match_request SET due_at = now() + interval '1 hour' WHERE request_id = \(low)")
        _ = try RequestQueue.enqueue(db.connection, region: "R3", date: nil, requestedBy: "t", priority: 0)
        let c = db.connection
        #expect(try RequestQueue.claim(c, workerID: "w", now: now.addingTimeInterval(5), lease: .seconds(60))?.requestID == urgent)
        #expect(try RequestQueue.claim(c, workerID: "w", now: now.addingTimeInterval(5), lease: .seconds(60))?.regionCode == "R3")
        #expect(try RequestQueue.claim(c, workerID: "w", now: now.addingTimeInterval(5), lease: .seconds(60)) == nil)
        #expect(try RequestQueue.claim(c, workerID: "w", now: now.addingTimeInterval(3700), lease: .seconds(60))?.requestID == low)
    }

    @Test func whenARegionHasALiveRunItsOtherRequestsAreNotClaimed() throws {
        let db = try TestDatabase.make(regions: ["R1"])
        _ = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "t")
        _ = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "t")
        let now = Date().addingTimeInterval(5)
        #expect(try RequestQueue.claim(db.connection, workerID: "a", now: now, lease: .seconds(60)) != nil)
        #expect(try RequestQueue.claim(db.connection, workerID: "b", now: now, lease: .seconds(60)) == nil)
        // Once the live run's lease has expired, the region is free again.
        #expect(try RequestQueue.claim(db.connection, workerID: "b", now: now.addingTimeInterval(61), lease: .seconds(60)) != nil)
    }

    @Test func whenALeaseExpiresTheReaperRequeuesAndAnotherWorkerReclaims() throws {
        let db = try TestDatabase.make()
        let c = db.connection
        let id = try RequestQueue.enqueue(c, region: "R1", date: nil, requestedBy: "t")
        let now = Date().addingTimeInterval(5)
        let held = try #require(try RequestQueue.claim(c, workerID: "dead", now: now, lease: .seconds(30)))
        #expect(try RequestQueue.reap(c, now: now.addingTimeInterval(29)) == RequestQueue.Reaped())
        // Renewal by the holder moves the expiry.
        let renewed = try RequestQueue.renewLease(c, requestID: id, workerID: "dead", now: now.addingTimeInterval(20), lease: .seconds(30))
        #expect(renewed! > held.leaseUntil)
        #expect(try RequestQueue.renewLease(c, requestID: id, workerID: "other", now: now, lease: .seconds(30)) == nil)
        let reaped = try RequestQueue.reap(c, now: now.addingTimeInterval(51))
        #expect(reaped.requeued == [id])
        let again = try #require(try RequestQueue.claim(c, workerID: "alive", now: now.addingTimeInterval(52), lease: .seconds(30)))
        #expect(again.requestID == id)
        #expect(again.attempts == 2)
        // The old holder can neither complete nor fail it now.
        #expect(try RequestQueue.fail(c, requestID: id, workerID: "dead", error: "x", retryAt: now) == nil)
        #expect(try RequestQueue.release(c, requestID: id, workerID: "dead", dueAt: now) == false)
    }

    @Test func whenLeasesExpireTooOftenTheRequestFails() throws {
        let db = try TestDatabase.make()
        let c = db.connection
        let id = try RequestQueue.enqueue(c, region: "R1", date: nil, requestedBy: "t")
        var now = Date().addingTimeInterval(5)
        for attempt in 1...2 {
            #expect(try RequestQueue.claim(c, workerID: "w", now: now, lease: .seconds(10))?.attempts == attempt)
            now = now.addingTimeInterval(11)
            #expect(try RequestQueue.reap(c, now: now, maxAttempts: 2) == (attempt < 2 ? .init(requeued: [id]) : .init(failed: [id])))
        }
        #expect(try RequestQueue.state(c, requestID: id)?.state == "failed")
    }

    @Test func whenANonHolderCompletesTheRunIsRefusedAndRolledBack() throws {
        let db = try TestDatabase.make()
        let c = db.connection
        let id = try RequestQueue.enqueue(c, region: "R1", date: nil, requestedBy: "t")
        _ = try RequestQueue.claim(c, workerID: "holder", now: Date().addingTimeInterval(5), lease: .seconds(60))
        let request = ClaimedRequest(requestID: id, regionCode: "R1", runDate: nil, attempts: 1, workerID: "intruder",
                                     leaseUntil: Date(), job: nil)
        #expect(throws: TransactionError.self) {
            _ = try TestExecutorForTests.write(request, on: c)
        }
        #expect(try db.int("SELECT count(*) AS n FROM match_run") == 0)
        #expect(try RequestQueue.state(c, requestID: id)?.state == "running")

        let holder = ClaimedRequest(requestID: id, regionCode: "R1", runDate: nil, attempts: 1, workerID: "holder",
                                    leaseUntil: Date(), job: nil)
        let runID = try TestExecutorForTests.write(holder, on: c)
        #expect(try RequestQueue.state(c, requestID: id)?.runID == runID)
        #expect(try RequestQueue.state(c, requestID: id)?.state == "done")
        // Completing twice is refused too.
        #expect(throws: TransactionError.self) { _ = try TestExecutorForTests.write(holder, on: c) }
    }

    @Test func whenARunFailsTheRequestIsRetriedThenFailedWithItsError() throws {
        let db = try TestDatabase.make()
        let c = db.connection
        let id = try RequestQueue.enqueue(c, region: "R1", date: nil, requestedBy: "t")
        let now = Date().addingTimeInterval(5)
        _ = try RequestQueue.claim(c, workerID: "w", now: now, lease: .seconds(60))
        #expect(try RequestQueue.fail(c, requestID: id, workerID: "w", error: "boom", retryAt: now.addingTimeInterval(10), maxAttempts: 2) == "queued")
        #expect(try RequestQueue.claim(c, workerID: "w", now: now.addingTimeInterval(5), lease: .seconds(60)) == nil)
        _ = try RequestQueue.claim(c, workerID: "w", now: now.addingTimeInterval(11), lease: .seconds(60))
        #expect(try RequestQueue.fail(c, requestID: id, workerID: "w", error: "boom", retryAt: now, maxAttempts: 2) == "failed")
        #expect(try c.query("SELECT error FROM match_request WHERE request_id = \(id)")[0].string("error") == "boom")
    }

    @Test func whenTwoReplicasFireTheSameScheduleEachRegionIsEnqueuedOnce() throws {
        let db = try TestDatabase.make(regions: ["R1", "R2"])
        let other = try Connection.connect(db.config)
        let at = Date(timeIntervalSince1970: 1_740_765_600)
        let first = try RequestQueue.enqueueScheduled(db.connection, job: "nightly_match", regions: ["R1", "R2"], scheduledFor: at,
                                                      runDate: "2025-03-01", requestedBy: "a")
        let second = try RequestQueue.enqueueScheduled(other, job: "nightly_match", regions: ["R1", "R2"], scheduledFor: at,
                                                       runDate: "2025-03-01", requestedBy: "b")
        #expect(first.count == 2)
        #expect(second.isEmpty)
        #expect(try RequestQueue.lastFirings(db.connection)["nightly_match"] == at)
        // An older firing never moves the record back.
        #expect(try RequestQueue.recordFiring(db.connection, job: "nightly_match", at: at.addingTimeInterval(-86400)) == false)
        #expect(try RequestQueue.lastFirings(db.connection)["nightly_match"] == at)
    }
}

/// What a real executor does, minus matching: the run row and the completion in one transaction.
enum TestExecutorForTests {
    static func write(_ request: ClaimedRequest, on c: Connection) throws -> Int64 {
        try c.transaction { tx in
            let runID = try tx.query("""
                INSERT INTO match_run (request_id, region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings,
                    pairs, objective_households, objective_priority, objective_placed, objective_score, created_by)
                VALUES (\(request.requestID), \(request.regionCode), current_date, now(), now(), now(), 0, 0, 0, 0, 0, 0, 0, 'test')
                RETURNING run_id
                """)[0].int64("run_id")
            try RequestQueue.complete(tx, requestID: request.requestID, runID: runID, workerID: request.workerID)
            return runID
        }
    }
}
