// Helpers for the daemon tests: a `jobmatch serve` child process (posix_spawn +
// waitpid, not Foundation.Process, which was seen to hang on Linux), and
// waiting for database conditions or log lines by polling with a deadline.

import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes. Async, so a waiting
/// test does not hold one of the (two, here) cooperative threads other tests need.
func waitUntil(_ what: String, timeout: Duration = .seconds(15), _ condition: () throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try condition() { return }
        if clock.now >= deadline { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A database for one test: migrated, with regions, and a libpq connection string for the binary.
struct TestDatabase {
    let config: ConnectionConfig
    let conninfo: String
    let connection: Connection

    static func make(regions: [String] = ["R1"]) throws -> TestDatabase {
        let config = try MigratedDatabase.config()
        let c = try Connection.connect(config)
        for r in regions { try c.query("INSERT INTO region (code, name) VALUES (\(r), \("Region " + r))") }
        return TestDatabase(config: config, conninfo: conninfo(config), connection: c)
    }

    /// `key='value' …` from keyword parameters (the harness's own cluster has no URL).
    static func conninfo(_ config: ConnectionConfig) -> String {
        precondition(config.url == nil, "end-to-end tests need keyword settings, not JOBMATCH_TEST_DATABASE_URL")
        var latest: [String: String] = [:]
        var order: [String] = []
        for (k, v) in config.parameters {
            if latest[k] == nil { order.append(k) }
            latest[k] = v
        }
        return order.map { k in
            "\(k)='" + latest[k]!.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }.joined(separator: " ")
    }

    func int(_ sql: Query) throws -> Int { try connection.query(sql)[0].int("n") }
}

/// A running `jobmatch serve`, its output in a file.
final class ServeProcess: @unchecked Sendable {
    let child: ChildProcess
    let logPath: String

    var pid: pid_t { child.pid }

    /// Starts `jobmatch serve` with `arguments`; `environment` is added to a clean copy of ours.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        logPath = NSTemporaryDirectory() + "jobmatch-serve-\(getpid())-\(UUID().uuidString).log"
        var env = ProcessInfo.processInfo.environment
        for k in ["DATABASE_URL", "NOTIFY_SOCKET", "WATCHDOG_USEC", "JOBMATCH_TEST_NOW", "JOBMATCH_TEST_EXECUTOR"] { env[k] = nil }
        env["JOBMATCH_METRICS_LISTEN"] = "127.0.0.1:0"
        env["JOBMATCH_POLL_INTERVAL_SECONDS"] = "1"
        env["JOBMATCH_RECONNECT_MAX_SECONDS"] = "1"
        for (k, v) in environment { env[k] = v }
        do {
            child = try ChildProcess([CLIRunner.binary.path, "serve"] + arguments, environment: env, stdout: logPath)
        } catch {
            throw TimedOut(what: "spawn: \(error)")
        }
    }

    deinit { unlink(logPath) }

    var log: String { String(decoding: ChildProcess.readFile(logPath), as: UTF8.self) }

    func send(_ signal: Int32) { child.send(signal) }

    /// The exit status (128+n for a signal), or nil if still running after `timeout`.
    func waitForExit(timeout: Duration) async -> Int32? {
        await child.wait(timeout: timeout)?.status
    }

    func waitForLog(_ needle: String, timeout: Duration = .seconds(15)) async throws {
        do {
            try await waitUntil("log line \"\(needle)\"", timeout: timeout) { log.contains(needle) }
        } catch {
            throw TimedOut(what: "log line \"\(needle)\"; the log so far:\n\(log.suffix(3000))")
        }
    }

    /// The metrics port, from the "metrics listening" line.
    func metricsPort() async throws -> Int {
        try await waitForLog("metrics.address=")
        let line = log.split(separator: "\n").first { $0.contains("metrics.address=") }!
        let address = line.split(separator: " ").first { $0.hasPrefix("metrics.address=") }!
        return Int(address.split(separator: ":").last!)!
    }
}

/// A TCP connection to 127.0.0.1:`port`, or nil when nothing listens there. The raw
/// socket helpers below are the one place the daemon tests speak to its HTTP port.
func loopbackConnection(port: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
    let ok = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard ok == 0 else { close(fd); return nil }
    return fd
}

/// Sends `text` (never a SIGPIPE: a reset peer is an error return).
func sendText(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
}

/// Everything the peer sends until it closes, waiting at most `timeoutSeconds` for each read.
func readToEnd(_ fd: Int32, timeoutSeconds: Int = 5) -> [UInt8] {
    var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var data = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &chunk, chunk.count)
        if n <= 0 { break }
        data += chunk[0..<n]
    }
    return data
}

/// GET over a raw socket (no URLSession dependency in tests): status and body. Reads to the
/// end, so it asks the server to close (HTTP/1.1 keeps connections open otherwise).
func httpGet(port: Int, path: String) throws -> (status: Int, body: String) {
    guard let fd = loopbackConnection(port: port) else { throw TimedOut(what: "connect to metrics port \(port)") }
    defer { close(fd) }
    sendText(fd, "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    let text = String(decoding: readToEnd(fd), as: UTF8.self)
    let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
    let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    return (status, body)
}
