// Issue 17 ("close the holes"): schedules naming an unknown region, a
// statement the database refuses, and /livez asked with LF-only line ends.

import Daemon
import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct HolesDaemonTests {
    @Test func whenTheScheduleNamesAnUnknownRegionOnlyThatFiringFailsAndTheDaemonStaysReady() async throws {
        let db = try TestDatabase.make(regions: ["R1"])
        let environment = [
            "JOBMATCH_TEST_EXECUTOR": "sleep:0", "JOBMATCH_TEST_NOW": "2025-03-01T01:59:57+08:00",
            "JOBMATCH_SCHEDULE_NIGHTLY_MATCH": "* * * * *", "JOBMATCH_SCHEDULE_REGIONS": "R1,410399",
            "JOBMATCH_TIME_ZONE": "Asia/Shanghai",
        ]
        // Two replicas, as in the report.
        let a = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "holes-a"], environment: environment)
        let b = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "holes-b"], environment: environment)
        try await a.waitForLog("daemon ready")
        try await b.waitForLog("daemon ready")
        try await waitUntil("the loaded region's scheduled request done", timeout: .seconds(20)) {
            try db.int("SELECT count(*) AS n FROM match_request WHERE job = 'nightly_match' AND region_code = 'R1' AND state = 'done'") >= 1
        }
        #expect(try db.int("SELECT count(*) AS n FROM match_request WHERE region_code = '410399'") == 0)
        // Recorded and logged, once per firing (whichever replica fired it).
        #expect(try db.int("""
            SELECT count(*) AS n FROM audit_log WHERE action = 'scheduled_match_refused' AND subject = '410399'
            """) >= 1)
        #expect((a.log + b.log).contains("scheduled match refused"))
        #expect(!(a.log + b.log).contains("database unavailable"))
        // Ready, and on-demand requests run.
        for d in [a, b] {
            #expect(try httpGet(port: try await d.metricsPort(), path: "/readyz").status == 200)
        }
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: "2025-03-01", requestedBy: "test")
        // Due by the daemons' injected clock (2025), not the database's.
        try db.connection.query("UPDATE match_request SET due_at = '2025-03-01 00:00:00+08' WHERE request_id = \(id)")
        try await waitUntil("on-demand request done") { try RequestQueue.state(db.connection, requestID: id)?.state == "done" }
        for d in [a, b] {
            d.send(SIGTERM)
            #expect(await d.waitForExit(timeout: .seconds(5)) == 0)
        }
    }

    @Test func whenTheConfigNamesRegionCodesOutsideTheGrammarCheckConfigRefusesThem() async throws {
        let configFile = NSTemporaryDirectory() + "jobmatch-\(UUID().uuidString).toml"
        defer { unlink(configFile) }
        try "[schedule]\nnightly_match = \"0 2 * * *\"\nregions = [\"\", \"nope'; DROP TABLE region; --\", \"410307\"]\n"
            .write(toFile: configFile, atomically: true, encoding: .utf8)
        let daemon = try ServeProcess(["--config", configFile, "--check-config", "--database-url", "host=/nonexistent"])
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 2)
        let log = daemon.log
        #expect(log.contains("\"\" is not a region code"))
        #expect(log.contains("\"nope'; DROP TABLE region; --\" is not a region code"))
        #expect(!log.contains("\"410307\" is not"))
    }

    @Test func whenSIGHUPBringsARegionCodeOutsideTheGrammarTheReloadIsRefused() async throws {
        let db = try TestDatabase.make()
        let configFile = NSTemporaryDirectory() + "jobmatch-\(UUID().uuidString).toml"
        defer { unlink(configFile) }
        try "[schedule]\nnightly_match = \"0 2 * * *\"\nregions = [\"R1\"]\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        let daemon = try ServeProcess(["--database-url", db.conninfo, "--config", configFile], environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0"])
        try await daemon.waitForLog("daemon ready")
        try "[schedule]\nnightly_match = \"0 2 * * *\"\nregions = [\"R1\", \"nope'; DROP TABLE region; --\"]\n"
            .write(toFile: configFile, atomically: true, encoding: .utf8)
        daemon.send(SIGHUP)
        try await daemon.waitForLog("configuration reload failed; keeping the previous configuration")
        #expect(daemon.log.contains("is not a region code"))
        #expect(try httpGet(port: try await daemon.metricsPort(), path: "/readyz").status == 200)
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func whenLivezIsAskedWithLFOnlyLineEndsItIsAnswered() async throws {
        let db = try TestDatabase.make()
        let daemon = try ServeProcess(["--database-url", db.conninfo], environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0"])
        let port = try await daemon.metricsPort()
        let fd = try #require(loopbackConnection(port: port))
        defer { close(fd) }
        sendText(fd, "GET /livez HTTP/1.1\nHost: localhost\n\n")
        let started = Date()
        let data = readToEnd(fd, timeoutSeconds: 3)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        #expect(Date().timeIntervalSince(started) < 2)
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func aStatementTheDatabaseRefusesIsNotAnOutageALostConnectionIs() {
        let refused = PostgresError(kind: .query, operation: "PQsendQueryParams", message: "violates", sqlState: SQLState("23503"))
        #expect(!Daemon.isOutage(refused))
        #expect(!Daemon.isOutage(TransactionError(body: refused)))
        #expect(!Daemon.isOutage(PostgresError(kind: .query, operation: "q", message: "x", sqlState: SQLState("22003"))))
        #expect(Daemon.isOutage(PostgresError(kind: .connectionLost(maybeExecuted: false), operation: "q", message: "gone")))
        #expect(Daemon.isOutage(PostgresError(kind: .query, operation: "q", message: "x", sqlState: SQLState("08006"))))
        #expect(Daemon.isOutage(PostgresError(kind: .query, operation: "q", message: "x", sqlState: SQLState("57P01"))))
        #expect(Daemon.isOutage(TransactionError(body: refused, rollback: PostgresError(kind: .connectionLost(maybeExecuted: true), operation: "q", message: "gone"))))
    }
}
