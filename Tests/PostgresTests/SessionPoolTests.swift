// SessionPool: bounded sessions for async callers, statements cancelled on the
// server when the caller goes away, broken and stale sessions replaced.

import Foundation
import Postgres
import Synchronization
import Testing
import TestSupport

@Suite struct SessionPoolTests {
    @Test func neverMoreSessionsThanItsSizeAndEveryCallerServed() async throws {
        let config = try TestPostgres.freshDatabase()
        let pool = SessionPool(config, options: .init(size: 3, maxWaiters: 100, acquireTimeout: .seconds(120)))
        defer { pool.shutdown() }
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await pool.withSession { c in
                        _ = try c.query("SELECT pg_sleep(0.01)")
                        return c.backendPID
                    }
                }
            }
            var all: [Int32] = []
            for try await pid in group { all.append(pid) }
            return all
        }
        #expect(pids.count == 40)
        #expect(Set(pids).count <= 3)
        #expect(pool.sessionsOpened <= 3)
    }

    @Test func aCancelledCallerCancelsItsStatementAndTheSessionIsReused() async throws {
        let config = try TestPostgres.freshDatabase()
        let pool = SessionPool(config, options: .init(size: 1))
        defer { pool.shutdown() }
        let started = ContinuousClock.now
        let task = Task {
            try await pool.withSession { c in _ = try c.query("SELECT pg_sleep(120)") }
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcome = await task.result
        // Uncancelled, the statement would hold the task for 120 s; a loaded machine that
        // starves the test threads still comes in far under that.
        #expect(ContinuousClock.now - started < .seconds(100))
        #expect(throws: CancellationError.self) { try outcome.get() }
        // The same session, still usable: the server cancelled the statement, not the session.
        let n = try await pool.withSession { c in try c.query("SELECT 1 AS n")[0].int("n") }
        #expect(n == 1)
        #expect(pool.sessionsOpened == 1)
    }

    @Test func pastItsWaitersACallerIsToldBusyAtOnce() async throws {
        let config = try TestPostgres.freshDatabase()
        let pool = SessionPool(config, options: .init(size: 1, maxWaiters: 0))
        defer { pool.shutdown() }
        let holding = Task { try await pool.withSession { c in _ = try c.query("SELECT pg_sleep(1)") } }
        try await Task.sleep(for: .milliseconds(200))
        await #expect(throws: SessionPoolError.busy) {
            try await pool.withSession { _ in () }
        }
        try await holding.value
    }

    @Test func aWaiterGivesUpAfterTheAcquireTimeout() async throws {
        let config = try TestPostgres.freshDatabase()
        let pool = SessionPool(config, options: .init(size: 1, maxWaiters: 4, acquireTimeout: .milliseconds(200)))
        defer { pool.shutdown() }
        let holding = Task { try await pool.withSession { c in _ = try c.query("SELECT pg_sleep(1.5)") } }
        try await Task.sleep(for: .milliseconds(200))
        await #expect(throws: SessionPoolError.timedOut) {
            try await pool.withSession { _ in () }
        }
        try await holding.value
    }

    @Test func aSessionTheServerEndedIsReplacedOnItsNextUse() async throws {
        let config = try TestPostgres.freshDatabase()
        let pool = SessionPool(config, options: .init(size: 1))
        defer { pool.shutdown() }
        let first = try await pool.withSession { c in c.backendPID }
        let killer = try Connection.connect(config)
        defer { killer.close() }
        _ = try killer.query("SELECT pg_terminate_backend(\(Int(first)))")
        // The use that finds it dead fails (its statement never ran) ...
        await #expect(throws: PostgresError.self) {
            try await pool.withSession { c in _ = try c.query("SELECT 1") }
        }
        // ... and the next one gets a new session.
        let second = try await pool.withSession { c in c.backendPID }
        #expect(second != first)
        #expect(pool.sessionsOpened == 2)
    }

    @Test func reopenAllReplacesIdleAndBusySessions() async throws {
        let config = try TestPostgres.freshDatabase()
        let pool = SessionPool(config, options: .init(size: 2))
        defer { pool.shutdown() }
        let started = Counter()
        let before = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await pool.withSession { c in
                        started.increment()  // opened, and now busy
                        _ = try c.query("SELECT pg_sleep(0.5)")
                        return c.backendPID
                    }
                }
            }
            while started.value < 2 { try await Task.sleep(for: .milliseconds(10)) }
            pool.reopenAll()  // both busy now
            var pids: Set<Int32> = []
            for try await pid in group { pids.insert(pid) }
            return pids
        }
        let after = try await pool.withSession { c in c.backendPID }
        #expect(before.count == 2)
        #expect(!before.contains(after))
    }

    @Test func afterShutdownNoSessionIsHanded() async throws {
        let config = try TestPostgres.freshDatabase()
        let pool = SessionPool(config, options: .init(size: 1))
        _ = try await pool.withSession { c in c.backendPID }
        pool.shutdown()
        await #expect(throws: SessionPoolError.shutDown) {
            try await pool.withSession { _ in () }
        }
    }
}

final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
