import Foundation
import Store

/// Long-running child processes for tests (a daemon under test): posix_spawn + waitpid on the child's own pid, output
/// (stdout and stderr together, or apart) in files — not Foundation.Process, which
/// was seen to hang in waitUntilExit under parallel Swift Testing here (see
/// EmbeddedPostgres' runProcess).
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

public final class BackgroundProcess: @unchecked Sendable {
    // Guarded by the test that owns it: one thread calls wait/send.
    public let pid: pid_t
    let outPath: String
    let errPath: String
    private var status: Int32?

    public init(_ argv: [String], environment: [String: String], stdin: String = "/dev/null") throws {
        let base = NSTemporaryDirectory() + "jobmatch-child-\(getpid())-\(UUID().uuidString)"
        outPath = base + ".out"
        errPath = base + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Default signal handling and an empty mask in the child, whatever the test runner set.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cargv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cargv { free(p) }; for p in envp { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, argv[0], &actions, &attr, cargv, envp)
        guard rc == 0 else {
            throw TestPostgresError(message: "posix_spawn \(argv[0]): \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var s: Int32 = 0
            waitpid(pid, &s, 0)
        }
        unlink(outPath)
        unlink(errPath)
    }

    public var stdout: String { Self.read(outPath) }
    public var stderr: String { Self.read(errPath) }

    /// The file's bytes as UTF-8 (lossy). POSIX read, not String(contentsOfFile:): under
    /// AddressSanitizer, swift-foundation 6.3.1's readBytesFromFile leaks a 4 KiB buffer
    /// for each empty file it reads (scripts/sanitize).
    static func read(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes += buffer[..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the exit; the status, or 128 + n for signal n.
    @discardableResult
    public func wait() -> Int32 {
        if let status { return status }
        var s: Int32 = 0
        while waitpid(pid, &s, 0) == -1 && errno == EINTR {}
        let code = (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f)
        status = code
        return code
    }

    /// The exit status, or nil if still running after `timeout`.
    public func wait(timeout: Duration) async -> Int32? {
        if let status { return status }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            var s: Int32 = 0
            if waitpid(pid, &s, WNOHANG) == pid {
                let code = (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f)
                status = code
                return code
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
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
