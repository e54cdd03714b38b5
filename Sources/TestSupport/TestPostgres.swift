// The PostgreSQL test harness: one server per test process, one fresh database per test.
//
// With JOBMATCH_TEST_DATABASE_URL set, tests use that server (it must allow CREATE DATABASE).
// Otherwise the first call starts a throwaway LocalCluster (fsync off) in a new temporary
// directory; an atexit handler stops it (SIGQUIT, PostgreSQL's "immediate" shutdown) and
// removes the directory. If the test process is killed (SIGKILL), the server is left running
// in /tmp/jobmatch-test-*: stop it with `pg_ctl -D <dir>/data stop -m immediate`.
// No database is a loud failure (an error thrown to the test), never a skip.

import EmbeddedPostgres
import Foundation
import Postgres
import Synchronization

/// The server tests run against.
public struct TestServer: Sendable {
    /// The maintenance database ("postgres"), for CREATE/DROP DATABASE.
    public let admin: ConnectionConfig
    /// The throwaway cluster, or nil when `JOBMATCH_TEST_DATABASE_URL` chose the server.
    public let cluster: LocalCluster?

    /// The same server, another database.
    public func config(database: String) -> ConnectionConfig {
        admin.with("dbname", database)
    }
}

public enum TestPostgres {
    public static let urlVariable = "JOBMATCH_TEST_DATABASE_URL"

    private struct State: ~Copyable {
        var server: Result<TestServer, TestPostgresError>?
        var counter = 0
    }

    /// Guards lazy start-up and the name counter; Swift Testing calls in from many threads.
    private static let state = Mutex(State())

    /// The process-wide server, started on first use. Thread safe; a start failure is
    /// remembered and thrown to every caller.
    public static func server() throws -> TestServer {
        try state.withLock { state in
            if state.server == nil { state.server = Result { () throws(TestPostgresError) in try startServer() } }
            return try state.server!.get()
        }
    }

    /// Creates a database with a unique name (optionally `TEMPLATE template`) and returns its
    /// configuration. Databases are not dropped: the throwaway cluster goes away with the process.
    public static func freshDatabase(template: String? = nil, file: String = #fileID, line: Int = #line) throws -> ConnectionConfig {
        let server = try server()
        let name = state.withLock { state in
            state.counter += 1
            return "jm_test_\(getpid())_\(state.counter)_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        }
        let admin = try Connection.connect(server.admin, file: file, line: line)
        defer { admin.close() }
        let templateClause = template.map { " TEMPLATE \(Query.quoteIdentifier($0))" } ?? ""
        try admin.execute(unsafeSQL: "CREATE DATABASE \(Query.quoteIdentifier(name))\(templateClause)", file: file, line: line)
        return server.config(database: name)
    }

    /// A connection to a fresh database.
    public static func freshConnection(template: String? = nil, file: String = #fileID, line: Int = #line) throws -> Connection {
        try Connection.connect(freshDatabase(template: template, file: file, line: line), file: file, line: line)
    }

    private static func startServer() throws(TestPostgresError) -> TestServer {
        if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty {
            let config = ConnectionConfig(url: url)
            do {
                try Connection.connect(config).close()
            } catch {
                throw TestPostgresError(message: "\(urlVariable) is set but no connection: \(error)")
            }
            return TestServer(admin: config, cluster: nil)
        }
        var template = Array((NSTemporaryDirectory() + "jobmatch-test-XXXXXX").utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else {
            throw TestPostgresError(message: "mkdtemp failed: errno \(errno)")
        }
        // The server runs as postgres when we are root: let it traverse (not list) the directory.
        chmod(dir, 0o711)
        let cluster = LocalCluster(home: dir, forTests: true)
        do {
            try cluster.start()
        } catch {
            throw TestPostgresError(message: "could not start a test PostgreSQL in \(dir): \(error)")
        }
        shutdownState.withLock { $0 = (cluster, dir) }
        atexit { TestPostgres.shutdown() }
        return TestServer(admin: cluster.connectionConfig(database: "postgres"), cluster: cluster)
    }

    private static let shutdownState = Mutex<(LocalCluster, String)?>(nil)

    /// Immediate shutdown (SIGQUIT to the postmaster), then removes the directory.
    /// No child processes: this runs inside exit().
    private static func shutdown() {
        guard let (cluster, dir) = shutdownState.withLock({ $0 }) else { return }
        if case .running(let pid) = cluster.status() {
            kill(pid, SIGQUIT)
            for _ in 0..<200 where kill(pid, 0) == 0 { usleep(10_000) }
        }
        try? FileManager.default.removeItem(atPath: dir)
        if cluster.clusterRoot != dir { try? FileManager.default.removeItem(atPath: cluster.clusterRoot) }
    }
}

/// The test database could not be reached or started.
public struct TestPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "TestPostgresError: \(message)" }
}
