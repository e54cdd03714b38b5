// End to end on the built binary against a real PostgreSQL: `jobmatch serve`
// with the test executor (JOBMATCH_TEST_EXECUTOR), so these tests do not
// depend on the matching engine. Each test has its own database (and the
// PostgreSQL-restart test its own cluster), so they run in parallel.

import EmbeddedPostgres
import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct ServeEndToEndTests {
    @Test func whenARequestIsEnqueuedTheDaemonCompletesItAndReportsMetrics() async throws {
        let db = try TestDatabase.make()
        let daemon = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "e2e-1"],
                                      environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0.2"])
        try await daemon.waitForLog("daemon ready")
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: "2025-03-01", requestedBy: "test")
        try await waitUntil("request done") { try RequestQueue.state(db.connection, requestID: id)?.state == "done" }
        #expect(try db.int("SELECT count(*) AS n FROM match_run WHERE request_id = \(id)") == 1)
        #expect(try db.int("SELECT count(*) AS n FROM match_run WHERE run_date = '2025-03-01'") == 1)

        let port = try await daemon.metricsPort()
        #expect(try httpGet(port: port, path: "/livez").status == 200)
        #expect(try httpGet(port: port, path: "/readyz").status == 200)
        #expect(try httpGet(port: port, path: "/nope").status == 404)
        let metrics = try httpGet(port: port, path: "/metrics").body
        #expect(metrics.contains("jobmatch_runs_total{outcome=\"success\"} 1"))
        #expect(metrics.contains("jobmatch_last_success_timestamp_seconds{job=\"on_demand\"}"))
        #expect(metrics.contains("jobmatch_run_duration_seconds_count 1"))
        #expect(metrics.contains("jobmatch_database_reconnects_total 0"))

        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }

    /// A daemon whose runs take `runSeconds`, given `drainSeconds` to finish one, sent
    /// SIGTERM once a requested run has started.
    func terminatedDuringARun(runSeconds: String, drainSeconds: String) async throws
        -> (db: TestDatabase, daemon: ServeProcess, request: Int64, sent: ContinuousClock.Instant) {
        let db = try TestDatabase.make()
        let daemon = try ServeProcess(["--database-url", db.conninfo], environment: [
            "JOBMATCH_TEST_EXECUTOR": "sleep:\(runSeconds)", "JOBMATCH_DRAIN_SECONDS": drainSeconds,
        ])
        try await daemon.waitForLog("daemon ready")
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "test")
        try await daemon.waitForLog("run started")
        let sent = ContinuousClock.now
        daemon.send(SIGTERM)
        return (db, daemon, id, sent)
    }

    @Test func whenSIGTERMArrivesDuringARunTheRunFinishesAndTheDaemonExitsZero() async throws {
        let (db, daemon, id, sent) = try await terminatedDuringARun(runSeconds: "1.5", drainSeconds: "10")
        let clock = ContinuousClock()
        let status = await daemon.waitForExit(timeout: .seconds(10))
        #expect(status == 0)
        #expect(clock.now - sent < .seconds(10))
        #expect(try RequestQueue.state(db.connection, requestID: id)?.state == "done")
    }

    @Test func whenTheDrainDeadlinePassesTheRunIsAbandonedAndItsRequestQueuedAgain() async throws {
        let (db, daemon, id, sent) = try await terminatedDuringARun(runSeconds: "30", drainSeconds: "1")
        let clock = ContinuousClock()
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
        #expect(clock.now - sent < .seconds(3))
        let state = try RequestQueue.state(db.connection, requestID: id)
        #expect(state?.state == "queued")
        #expect(state?.attempts == 0)
        #expect(try db.int("SELECT count(*) AS n FROM match_run") == 0)
    }

    @Test func whenASecondSIGTERMArrivesWhileDrainingTheDaemonExitsAtOnceNonZero() async throws {
        let db = try TestDatabase.make()
        let daemon = try ServeProcess(["--database-url", db.conninfo], environment: [
            "JOBMATCH_TEST_EXECUTOR": "sleep:30", "JOBMATCH_DRAIN_SECONDS": "60",
        ])
        try await daemon.waitForLog("daemon ready")
        _ = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "test")
        try await daemon.waitForLog("run started")
        daemon.send(SIGTERM)
        try await daemon.waitForLog("draining")
        daemon.send(SIGTERM)
        let status = await daemon.waitForExit(timeout: .seconds(3))
        #expect(status == 128 + SIGTERM)
        #expect(try db.int("SELECT count(*) AS n FROM match_run") == 0)
    }

    @Test func whenTwoReplicasServeTwentyRequestsEachCompletesExactlyOnce() async throws {
        let regions = ["R1", "R2", "R3", "R4", "R5"]
        let db = try TestDatabase.make(regions: regions)
        let env = ["JOBMATCH_TEST_EXECUTOR": "sleep:0.1"]
        let a = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "replica-a"], environment: env)
        let b = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "replica-b"], environment: env)
        try await a.waitForLog("daemon ready")
        try await b.waitForLog("daemon ready")
        var ids: [Int64] = []
        for i in 0..<20 {
            ids.append(try RequestQueue.enqueue(db.connection, region: regions[i % regions.count], date: nil, requestedBy: "test"))
        }
        try await waitUntil("20 requests done", timeout: .seconds(30)) {
            try db.int("SELECT count(*) AS n FROM match_request WHERE state = 'done'") == 20
        }
        #expect(try db.int("SELECT count(*) AS n FROM match_run") == 20)
        #expect(try db.int("SELECT count(DISTINCT request_id) AS n FROM match_run") == 20)
        #expect(try db.int("""
            SELECT count(*) AS n FROM match_request q JOIN match_run r ON r.run_id = q.run_id AND r.request_id = q.request_id
            """) == 20)
        #expect(try db.int("SELECT count(*) AS n FROM match_request WHERE attempts <> 1 AND state = 'done'") <= 20)
        a.send(SIGTERM)
        b.send(SIGTERM)
        #expect(await a.waitForExit(timeout: .seconds(5)) == 0)
        #expect(await b.waitForExit(timeout: .seconds(5)) == 0)
        // No two runs of one region overlapped: their [started, finished] spans are disjoint.
        #expect(try db.int("""
            SELECT count(*) AS n FROM match_run x JOIN match_run y
              ON x.region_code = y.region_code AND x.run_id < y.run_id
             AND x.started_at < y.finished_at AND y.started_at < x.finished_at
            """) == 0)
    }

    @Test func whenTheDaemonIsKilledMidRunNothingIsWrittenAndTheRequestCompletesAfterRestart() async throws {
        let db = try TestDatabase.make()
        let first = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "killed"],
                                     environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:30"])
        try await first.waitForLog("daemon ready")
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "test")
        try await first.waitForLog("run started")
        first.send(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(5)) == 128 + SIGKILL)
        #expect(try db.int("SELECT count(*) AS n FROM match_run") == 0)
        #expect(try RequestQueue.state(db.connection, requestID: id)?.state == "running")

        // Same worker id: the restarted daemon returns its predecessor's request at once.
        let second = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "killed"],
                                      environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0.1"])
        try await waitUntil("request done after restart", timeout: .seconds(20)) {
            try RequestQueue.state(db.connection, requestID: id)?.state == "done"
        }
        #expect(try db.int("SELECT count(*) AS n FROM match_run") == 1)
        #expect(try RequestQueue.state(db.connection, requestID: id)?.attempts == 2)
        second.send(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func whenPostgreSQLRestartsWhileServingTheNextRunSucceeds() async throws {
        // Our own cluster: restarting the shared test server would break every other test.
        var template = Array((NSTemporaryDirectory() + "jobmatch-restart-XXXXXX").utf8CString)
        let dir = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
        chmod(dir, 0o711)
        let cluster = LocalCluster(home: dir, forTests: true)
        defer {
            try? cluster.stop(mode: "immediate")
            try? FileManager.default.removeItem(atPath: dir)
            if cluster.clusterRoot != dir { try? FileManager.default.removeItem(atPath: cluster.clusterRoot) }
        }
        let config = try cluster.start()
        let setup = try Connection.connect(config)
        _ = try Migrator.migrate(setup, actor: "test")
        try setup.query("INSERT INTO region (code, name) VALUES ('R1', 'Region R1')")
        setup.close()

        let daemon = try ServeProcess(["--database-url", TestDatabase.conninfo(config)],
                                      environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0.1"])
        try await daemon.waitForLog("daemon ready")
        try cluster.stop(mode: "fast")
        try await daemon.waitForLog("database unavailable")
        try cluster.start()
        try await daemon.waitForLog("database connection restored", timeout: .seconds(20))

        let c = try Connection.connect(config)
        defer { c.close() }
        let id = try RequestQueue.enqueue(c, region: "R1", date: nil, requestedBy: "test")
        try await waitUntil("request done after PostgreSQL restart", timeout: .seconds(20)) {
            try RequestQueue.state(c, requestID: id)?.state == "done"
        }
        let metrics = try httpGet(port: await daemon.metricsPort(), path: "/metrics").body
        #expect(!metrics.contains("jobmatch_database_reconnects_total 0\n"))
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func whenTheInjectedClockReachesTheNightlyTimeOneRequestPerRegionRuns() async throws {
        let db = try TestDatabase.make(regions: ["R1", "R2"])
        let configFile = NSTemporaryDirectory() + "jobmatch-\(UUID().uuidString).toml"
        defer { unlink(configFile) }
        try """
            time_zone = "Asia/Shanghai"
            [schedule]
            nightly_match = "0 2 * * *"
            regions = ["R1", "R2"]
            """.write(toFile: configFile, atomically: true, encoding: .utf8)
        let daemon = try ServeProcess(["--database-url", db.conninfo, "--config", configFile], environment: [
            "JOBMATCH_TEST_EXECUTOR": "sleep:0", "JOBMATCH_TEST_NOW": "2025-03-01T01:59:57+08:00",
        ])
        try await daemon.waitForLog("daemon ready")
        try await waitUntil("two nightly requests done", timeout: .seconds(15)) {
            try db.int("SELECT count(*) AS n FROM match_request WHERE job = 'nightly_match' AND state = 'done'") == 2
        }
        #expect(try db.int("""
            SELECT count(*) AS n FROM match_request
            WHERE scheduled_for = '2025-03-01 02:00:00+08' AND run_date = '2025-03-01'
            """) == 2)
        #expect(try db.int("SELECT count(*) AS n FROM match_request") == 2)
        // Fired on time by the timer, not caught up at start.
        #expect(daemon.log.contains("info scheduled match enqueued"))
        #expect(!daemon.log.contains("missed scheduled match"))
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func whenTheDaemonWasDownOverSeveralNightsItRunsTheMissedScheduleOnceAtStart() async throws {
        let db = try TestDatabase.make(regions: ["R1"])
        try db.connection.query("INSERT INTO schedule_state (job, last_fired_at) VALUES ('nightly_match', '2025-02-26 02:00:00+08')")
        let daemon = try ServeProcess(["--database-url", db.conninfo], environment: [
            "JOBMATCH_TEST_EXECUTOR": "sleep:0", "JOBMATCH_TEST_NOW": "2025-03-01T10:00:00+08:00",
            "JOBMATCH_SCHEDULE_NIGHTLY_MATCH": "0 2 * * *", "JOBMATCH_SCHEDULE_REGIONS": "R1",
        ])
        try await daemon.waitForLog("missed scheduled match enqueued")
        try await waitUntil("the missed run done") {
            try db.int("SELECT count(*) AS n FROM match_request WHERE state = 'done'") == 1
        }
        #expect(try db.int("SELECT count(*) AS n FROM match_request") == 1)
        #expect(try db.int("SELECT count(*) AS n FROM match_request WHERE scheduled_for = '2025-03-01 02:00:00+08'") == 1)
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func whenSIGHUPBringsAnInvalidConfigTheOldOneIsKeptAndRequestsStillRun() async throws {
        let db = try TestDatabase.make()
        let configFile = NSTemporaryDirectory() + "jobmatch-\(UUID().uuidString).toml"
        defer { unlink(configFile) }
        try "poll_interval_seconds = 1\nlog_level = \"info\"\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        let daemon = try ServeProcess(["--database-url", db.conninfo, "--config", configFile],
                                      environment: ["JOBMATCH_TEST_EXECUTOR": "sleep:0"])
        try await daemon.waitForLog("daemon ready")
        try "poll_interval_seconds = 1\n# a typo follows\nlease_seconds = \"sixty\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        daemon.send(SIGHUP)
        try await daemon.waitForLog("configuration reload failed; keeping the previous configuration")
        #expect(daemon.log.contains("line 3"))
        let id = try RequestQueue.enqueue(db.connection, region: "R1", date: nil, requestedBy: "test")
        try await waitUntil("request done after a bad reload") { try RequestQueue.state(db.connection, requestID: id)?.state == "done" }

        try "poll_interval_seconds = 2\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        daemon.send(SIGHUP)
        try await daemon.waitForLog("configuration reloaded")
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func whenTheConfigIsInvalidAtStartServeExitsWithAUsageErrorNamingTheLine() async throws {
        let configFile = NSTemporaryDirectory() + "jobmatch-\(UUID().uuidString).toml"
        defer { unlink(configFile) }
        try "[schedule]\nnightly_match = \"0 25 * * *\"\nregions = [\"R1\"]\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        let daemon = try ServeProcess(["--config", configFile, "--database-url", "host=/nonexistent"])
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 2)
        #expect(daemon.log.contains("line 2"))
        #expect(daemon.log.contains("hour 25"))
    }
}

@Suite struct SystemdNotifyTests {
    @Test func whenNotifySocketIsSetTheDaemonSendsReadyWatchdogAndStopping() async throws {
        // An abstract datagram socket, the way systemd may name it ("@…").
        let name = "jobmatch-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = [UInt8(0)] + Array(name.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        try #require(bound == 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = ""
        func drain() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return }
                received += String(decoding: buffer[0..<n], as: UTF8.self) + "\n"
            }
        }

        let db = try TestDatabase.make()
        let daemon = try ServeProcess(["--database-url", db.conninfo], environment: [
            "NOTIFY_SOCKET": "@" + name, "WATCHDOG_USEC": "200000",
        ])
        try await waitUntil("READY and WATCHDOG datagrams") {
            drain()
            return received.contains("READY=1") && received.contains("WATCHDOG=1")
        }
        #expect(received.contains("STATUS=serving"))
        daemon.send(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(5)) == 0)
        drain()
        #expect(received.contains("STOPPING=1"))
    }
}
