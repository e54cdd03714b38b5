import EmbeddedPostgres
import Foundation
import Postgres
import Testing

@Suite("LocalCluster")
struct LocalClusterTests {
    @Test("start, status, start again, url and stop round trip (home unreachable by postgres when root)")
    func roundTrip() throws {
        // mkdtemp makes a 0700 directory: as root, the postgres user cannot traverse it.
        var template = Array((NSTemporaryDirectory() + "jobmatch-cluster-XXXXXX").utf8CString)
        let home = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! }) + "/home with space"
        let cluster = LocalCluster(home: home, forTests: true)
        defer {
            try? cluster.stop(mode: "immediate")
            try? FileManager.default.removeItem(atPath: (home as NSString).deletingLastPathComponent)
            try? FileManager.default.removeItem(atPath: cluster.clusterRoot)
        }
        if geteuid() == 0 {
            #expect(cluster.clusterRoot.hasPrefix("/var/tmp/jobmatch-"))
        }
        #expect(cluster.status() == .notInitialised)

        var messages: [String] = []
        let config = try cluster.start { messages.append($0) }
        guard case .running(let pid) = cluster.status() else {
            Issue.record("not running after start: \(cluster.status())")
            return
        }
        #expect(messages.contains { $0.contains("creating database jobmatch") })
        try cluster.start()  // idempotent
        #expect(cluster.status() == .running(pid: pid))

        let viaConfig = try Connection.connect(config)
        #expect(try viaConfig.query("SELECT current_database() AS db").first?["db"] == "jobmatch")
        viaConfig.close()
        let viaURL = try Connection.connect(ConnectionConfig(url: cluster.url))
        let settings = try viaURL.query("SELECT current_setting('listen_addresses') AS l, current_setting('server_encoding') AS e").first!
        #expect(settings["l"] == "")
        #expect(settings["e"] == "UTF8")
        // Issue 17: the log keeps no DETAIL, CONTEXT or failed statement, and only the server reads it.
        let logging = try viaURL.query("""
            SELECT current_setting('log_error_verbosity') AS v, current_setting('log_min_error_statement') AS s
            """).first!
        #expect(logging["v"] == "terse")
        #expect(logging["s"] == "panic")
        viaURL.close()
        #expect(FileManager.default.fileExists(atPath: cluster.home + "/postgres.log"))
        var st = stat()
        #expect(stat(cluster.logFile, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)

        try cluster.stop()
        #expect(cluster.status() == .stopped)
        try cluster.stop()  // stopping a stopped cluster does nothing
        // A new value for the same home finds the relocated cluster again.
        #expect(LocalCluster(home: home).clusterRoot == cluster.clusterRoot)
    }

    @Test("findBinary prefers a real executable and finds the versioned server binaries")
    func findBinary() {
        let initdb = LocalCluster.findBinary("initdb")
        #expect(initdb?.hasSuffix("/initdb") == true)
        #expect(initdb.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path == $0 } == true)
        #expect(LocalCluster.findBinary("no-such-binary-jobmatch") == nil)
    }
}
