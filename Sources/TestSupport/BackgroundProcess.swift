import EmbeddedPostgres
import Foundation
import Store

/// The environment a child under test gets.
extension Spawn {

    /// This process's environment without the variables that choose a database or
    /// talk to systemd, plus `extra`.
    public static func cleanEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for k in ["DATABASE_URL", "JOBMATCH_DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGHOSTADDR",
                  "PGUSER", "NOTIFY_SOCKET", "WATCHDOG_USEC", "JOBMATCH_TEST_NOW", "JOBMATCH_TEST_EXECUTOR"] { env[k] = nil }
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in extra { env[k] = v }
        return env
    }
}

/// A long-running child under test (a daemon): a `ChildProcess` with its standard
/// output and error in files apart, read while it runs.
public final class BackgroundProcess: @unchecked Sendable {
    // Guarded by the test that owns it: one thread calls wait/send.
    let child: ChildProcess
    let outPath: String
    let errPath: String

    public var pid: pid_t { child.pid }

    public init(_ argv: [String], environment: [String: String], stdin: String = "/dev/null") throws {
        let base = NSTemporaryDirectory() + "jobmatch-child-\(getpid())-\(UUID().uuidString)"
        outPath = base + ".out"
        errPath = base + ".err"
        do {
            child = try ChildProcess(argv, environment: environment, stdin: stdin, stdout: outPath, stderr: errPath)
        } catch {
            throw TestPostgresError(message: error.description)
        }
    }

    deinit {
        unlink(outPath)
        unlink(errPath)
    }

    public var stdout: String { String(decoding: ChildProcess.readFile(outPath), as: UTF8.self) }
    public var stderr: String { String(decoding: ChildProcess.readFile(errPath), as: UTF8.self) }

    public func send(_ signal: Int32) { child.send(signal) }

    /// Waits for the exit; the status, or 128 + n for signal n.
    @discardableResult
    public func wait() -> Int32 { child.wait().status }

    /// The exit status, or nil if still running after `timeout`.
    public func wait(timeout: Duration) async -> Int32? {
        await child.wait(timeout: timeout)?.status
    }

    /// Waits until stdout or stderr contains `text`. The generous default is a bound,
    /// not a wait: a daemon starting beside the full suite on a loaded 2-core machine
    /// has taken over 30 s to say it is ready.
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(120)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if stderr.contains(text) || stdout.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// The example district's files (`ExampleDistrict.files`), written to a folder.
public enum ExampleFiles {
    /// Writes each file as `<kind>.csv` into `directory`; returns (kind, path) in load order.
    public static func write(to directory: String) throws -> [(kind: String, path: String)] {
        try ExampleDistrict.files.map { file in
            let path = (directory as NSString).appendingPathComponent(file.name)
            try Data(file.bytes).write(to: URL(fileURLWithPath: path))
            return (file.kind.rawValue, path)
        }
    }
}
