import Foundation
import Postgres
import TestSupport
import Testing

/// `jobmatch db start|status|url|stop` and `jobmatch demo` on a `JOBMATCH_HOME` of their own,
/// as root and as an unprivileged user (issue 2).
@Suite struct DbCLITests {
    /// Stops the cluster under `home` (whatever state the test left it in) and removes it,
    /// including a relocated cluster root (LocalCluster's /var/tmp fallback).
    static func cleanUp(home: URL, asUser user: String? = nil, binary: String = CLIRunner.binary.path) {
        var argv = [binary, "db", "stop"]
        if let user { argv = ["/usr/sbin/runuser", "-u", user, "--", "env", "JOBMATCH_HOME=\(home.path)"] + argv }
        _ = try? Spawn.run(argv, environment: cleanEnvironment(home: home.path), currentDirectory: "/")
        if let moved = try? String(contentsOf: home.appendingPathComponent("cluster-location"), encoding: .utf8) {
            try? FileManager.default.removeItem(atPath: moved.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try? FileManager.default.removeItem(at: home)
    }

    /// Connects to `url` (as the test process, root) and returns the database's name.
    static func databaseName(_ url: String) throws -> String {
        let c = try Connection.connect(ConnectionConfig(url: url))
        defer { c.close() }
        return try c.query("SELECT current_database() AS d")[0].string("d")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root"))
    func whenRootStartsTheClusterStatusURLAndStopWorkAndStartTwiceIsIdempotent() throws {
        let home = try temporaryDirectory("home")
        defer { Self.cleanUp(home: home) }
        let h = home.path

        let start = try jobmatch(["db", "start"], home: h)
        try #require(start.status == 0, "db start: \(start.stderr)")
        let url = start.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("postgresql://"))
        let again = try jobmatch(["db", "start"], home: h)
        #expect(again.status == 0, "second db start: \(again.stderr)")
        #expect(again.stderr.contains("already running"), "\(again.stderr)")

        let status = try jobmatch(["db", "status"], home: h)
        #expect(status.status == 0 && status.stdout.hasPrefix("running"), "\(status.stdout)")
        let printed = try jobmatch(["db", "url"], home: h)
        #expect(printed.status == 0 && printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == url)
        #expect(try Self.databaseName(url) == "jobmatch")
        let psql = try Spawn.run(["psql", url, "-XAtc", "SELECT 40 + 2"])
        #expect(psql.status == 0 && psql.stdout == "42\n", "psql: \(psql.stderr)")
        // The server listens on its socket only.
        #expect(try Spawn.run(["psql", url, "-XAtc", "SHOW listen_addresses"]).stdout == "\n")

        let stop = try jobmatch(["db", "stop"], home: h)
        #expect(stop.status == 0, "db stop: \(stop.stderr)")
        let stopped = try jobmatch(["db", "status"], home: h)
        #expect(stopped.status == 1 && stopped.stdout.hasPrefix("stopped"), "\(stopped.stdout)")
        #expect(try jobmatch(["db", "stop"], home: h).status == 0, "stop when stopped")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to become nobody"))
    func whenAnUnprivilegedUserStartsTheClusterItRunsAsThatUserAndStatusURLAndStopWork() throws {
        let base = try temporaryDirectory("nobody")
        let home = base.appendingPathComponent("home")
        let bin = base.appendingPathComponent("bin/jobmatch")
        defer {
            Self.cleanUp(home: home, asUser: "nobody", binary: bin.path)
            try? FileManager.default.removeItem(at: base)
        }
        let fm = FileManager.default
        try fm.createDirectory(at: bin.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fm.copyItem(at: CLIRunner.binary, to: bin)
        for dir in [base, bin.deletingLastPathComponent()] { chmod(dir.path, 0o755) }
        chmod(bin.path, 0o755)
        try fm.createDirectory(at: home, withIntermediateDirectories: true)
        try #require(chown(home.path, 65534, 65534) == 0)

        func asNobody(_ args: [String]) throws -> Spawn.Result {
            try Spawn.run(["/usr/sbin/runuser", "-u", "nobody", "--", "env", "JOBMATCH_HOME=\(home.path)", bin.path] + args,
                          environment: cleanEnvironment(home: home.path), currentDirectory: home.path)
        }
        let start = try asNobody(["db", "start"])
        try #require(start.status == 0, "db start as nobody: \(start.stderr)")
        let url = start.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("postgresql://nobody@"), "\(url)")
        #expect(try asNobody(["db", "start"]).status == 0)
        // The data belong to nobody: initdb ran as the caller, not through runuser postgres.
        let owner = try fm.attributesOfItem(atPath: home.appendingPathComponent("data").path)[.ownerAccountID] as? NSNumber
        #expect(owner?.intValue == 65534)

        let status = try asNobody(["db", "status"])
        #expect(status.status == 0 && status.stdout.hasPrefix("running"), "\(status.stdout) \(status.stderr)")
        #expect(try asNobody(["db", "url"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == url)
        #expect(try Self.databaseName(url) == "jobmatch")

        let stop = try asNobody(["db", "stop"])
        #expect(stop.status == 0, "db stop as nobody: \(stop.stderr)")
        let stopped = try asNobody(["db", "status"])
        #expect(stopped.status == 1 && stopped.stdout.hasPrefix("stopped"), "\(stopped.stdout)")
    }

    @Test func whenTheDemoRunsOnAFreshHomeItExits0AndPrintsTheThreeReviewCases() throws {
        let home = try temporaryDirectory("demo")
        defer { Self.cleanUp(home: home) }
        let r = try jobmatch(["demo"], home: home.path)
        #expect(r.status == 0, "demo: \(r.stderr)")
        for label in ["levy:", "exemption:", "reward:"] {
            #expect(r.stdout.contains("   \(label) "), "demo output lacks the \(label) case:\n\(r.stdout)")
        }
        #expect(r.stderr.contains("starting the local PostgreSQL cluster"), "\(r.stderr)")
    }
}
