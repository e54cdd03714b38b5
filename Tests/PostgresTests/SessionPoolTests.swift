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
        let watcher = try Connection.connect(config)
        defer { watcher.close() }
        let task = Task {
            try await pool.withSession { c in _ = try c.query("SELECT pg_sleep(120)") }
        }
        // Cancel only once the statement runs on the server (a loaded machine may take long
        // to start the task; the wait is bounded).
        var running: Int?
        for _ in 0..<1200 where running == nil {
            running = try watcher.query("""
                SELECT pid FROM pg_stat_activity
                WHERE query LIKE 'SELECT pg_sleep(120)%' AND state = 'active' AND pid <> pg_backend_pid()
                """).first.map { try $0.int("pid") }
            if running == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let pid = try #require(running)
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        // The server's own account, whatever the test threads' delays: the statement ended
        // long before its 120 s, and the session stayed (idle, not terminated).
        let after = try watcher.query("""
            SELECT state, extract(epoch FROM state_change - query_start)::int AS ran FROM pg_stat_activity WHERE pid = \(pid)
            """)
        #expect(try after.first?.string("state") == "idle")
        #expect(try (after.first?.int("ran") ?? 999) < 60)
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
