// Issue 18: the daemon through a database that is there but not writable (a standby met
// first, a primary being demoted). Real PostgreSQL: the database is made read-only for new
// sessions (`default_transaction_read_only`), as a standby's sessions are.

import Foundation
import Postgres
import Store
import Testing
import TestSupport
@testable import Daemon

@Suite(.serialized) struct FailoverTests {
    @Test func aDaemonOnAReadOnlyServerIsNotReadyAndReconnectsUntilItIsWritable() async throws {
        let db = try TestDatabase.make()
        try ReadOnlyDatabase.set(db.connection, true)
        defer { try? ReadOnlyDatabase.set(db.connection, false) }
        // The URL has no target_session_attrs: the daemon must not settle on a read-only server.
        let daemon = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "ro-1", "--no-schedule"],
                                      environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0"])
        defer { daemon.send(SIGKILL) }
        let port = try await daemon.metricsPort()
        try await daemon.waitForLog("database unavailable; retrying")
        #expect(try httpGet(port: port, path: "/readyz").status == 503)
        #expect(!daemon.log.contains("daemon ready"))
        // The request was written before the database turned read-only for new sessions.
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: "2025-03-01", requestedBy: "test")
        try ReadOnlyDatabase.set(db.connection, false)
        try await daemon.waitForLog("daemon ready")
        #expect(try httpGet(port: port, path: "/readyz").status == 200)
        try await waitUntil("request done") { try RequestQueue.state(db.connection, requestID: id)?.state == "done" }
        #expect(try RequestQueue.state(db.connection, requestID: id)?.attempts == 1)
    }

    @Test func aRequestHeldWhenTheDatabaseWentAwayGoesBackWithoutSpendingAnAttempt() throws {
        let db = try TestDatabase.make()
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: "2025-03-01", requestedBy: "test")
        let claimed = try #require(try RequestQueue.claim(db.connection, workerID: "w1", now: Date(), lease: .seconds(60)))
        #expect(claimed.requestID == id)
        #expect(try RequestQueue.requeueHeld(db.connection, workerID: "other", dueAt: Date()).isEmpty)
        #expect(try RequestQueue.requeueHeld(db.connection, workerID: "w1", dueAt: Date()) == [id])
        let state = try RequestQueue.state(db.connection, requestID: id)
        #expect(state?.state == "queued")
        #expect(state?.attempts == 0)
    }

    @Test func anEnqueueRetriedUnderOneKeyMakesOneRequestWithOneAuditRow() throws {
        let db = try TestDatabase.make()
        let args = ["--database-url", db.conninfo, "match", "--enqueue", "--region", "R1", "--date", "2025-03-01",
                    "--idempotency-key", "k-\(UUID().uuidString)"]
        let first = try CLIRunner.run(args)
        let second = try CLIRunner.run(args)
        #expect(first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
        let id = try #require(Int64(first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(second.stdout == first.stdout)
        #expect(try db.int("SELECT count(*) AS n FROM match_request WHERE region_code = 'R1'") == 1)
        #expect(try db.int("SELECT count(*) AS n FROM audit_log WHERE action = 'match_request' AND detail->>'request_id' = \(String(id))") == 1)
    }

    @Test func anEnqueueWithNoWritablePrimaryWaitsThenSaysNothingWasCommitted() throws {
        let db = try TestDatabase.make()
        try ReadOnlyDatabase.set(db.connection, true)
        defer { try? ReadOnlyDatabase.set(db.connection, false) }
        let result = try CLIRunner.run(["--database-url", db.conninfo, "match", "--enqueue", "--region", "R1"],
                                       environment: ["JOBMATCH_WRITE_RETRY_SECONDS": "1", "JOBMATCH_LANG": "zh"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("暂无可写的数据库主节点"))
        #expect(result.stderr.contains("没有可写的数据库主节点；请求未提交，可以重试"))
        #expect(try db.int("SELECT count(*) AS n FROM match_request") == 0)
    }

    @Test func statusJSONListsAttemptsAndTheLastErrorByPage() throws {
        let db = try TestDatabase.make()
        var ids: [Int64] = []
        for _ in 0..<3 { ids.append(try RequestQueue.enqueue(db.connection, region: "R1", date: "2025-03-01", requestedBy: "test")) }
        let claimed = try #require(try RequestQueue.claim(db.connection, workerID: "w1", now: Date(), lease: .seconds(60)))
        _ = try RequestQueue.fail(db.connection, requestID: claimed.requestID, workerID: "w1", error: "connection lost",
                                  retryAt: Date(), maxAttempts: 5)
        let page1 = try CLIRunner.run(["--database-url", db.conninfo, "status", "--json", "--limit", "2"])
        #expect(page1.status == 0, "\(page1.stderr)")
        let json1 = try #require(try JSONSerialization.jsonObject(with: Data(page1.stdout.utf8)) as? [String: Any])
        let requests1 = try #require(json1["requests"] as? [[String: Any]])
        #expect(requests1.map { ($0["id"] as? NSNumber)?.int64Value } == [ids[2], ids[1]])
        #expect((json1["requests_next_before"] as? NSNumber)?.int64Value == ids[1])
        let page2 = try CLIRunner.run(["--database-url", db.conninfo, "status", "--json", "--limit", "2", "--before", "\(ids[1])"])
        let json2 = try #require(try JSONSerialization.jsonObject(with: Data(page2.stdout.utf8)) as? [String: Any])
        let requests2 = try #require(json2["requests"] as? [[String: Any]])
        #expect(requests2.count == 1 && json2["requests_next_before"] == nil)
        let failed = try #require(requests2.first)
        #expect((failed["id"] as? NSNumber)?.int64Value == claimed.requestID)
        #expect((failed["attempts"] as? NSNumber)?.intValue == 1)
        #expect(failed["last_error"] as? String == "connection lost")
        #expect(failed["requested_at"] is String && failed["due_at"] is String)
    }

    @Test func connectionLossesAreToldFromStatementsTheServerRefused() {
        #expect(Daemon.isConnectionLoss(ReadOnlyServer()))
        #expect(!Daemon.isConnectionLoss(StoreError.conflict("x")))
        // A shutdown (57P01) reconnects; a cancelled statement (57014, same class) does not:
        // a run stopped by a statement timeout would otherwise be requeued forever, no attempt spent.
        #expect(Daemon.isConnectionLoss(PostgresError(kind: .query, operation: "q", message: "terminating", sqlState: SQLState("57P01"))))
        #expect(!Daemon.isConnectionLoss(PostgresError(kind: .query, operation: "q", message: "canceling", sqlState: .queryCanceled)))
        #expect(!Daemon.isConnectionLoss(TransactionError(body: PostgresError(kind: .query, operation: "q", message: "canceling", sqlState: .queryCanceled))))
        #expect(Daemon.isOutage(ReadOnlyServer()))
    }
}
