import Foundation

/// A child process: started with `posix_spawn`, reaped with `wait4` on its own pid. The
/// one way this project runs a program — initdb and pg_ctl here, the CLI and the daemon
/// in tests, `jobmatch import` in ImportBench.
///
/// Not Foundation `Process`: under Swift Testing, two `Process.waitUntilExit()` calls on
/// different threads hung with both children already exited (`<defunct>`, never reaped;
/// swift-corelibs-foundation 6.3.1, seen on `pg_ctl start`). Waiting on the child's own
/// pid cannot miss its exit. Output goes to files, not pipes: a child that leaves a
/// daemon behind (`pg_ctl start`, `jobmatch db start`) must not hand it a pipe someone
/// reads to EOF; for the same reason descriptors above 2 are closed in the child. The
/// child gets default handling of the usual signals and an empty signal mask, whatever
/// the parent (a test runner) set.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `exit` is written only by the thread that waits (one owner per child).

    /// How a child ended.
    public struct Exit: Sendable {
        /// The exit code, or 128 + the number of the signal that ended it; -1 when it
        /// cannot be known (the child was reaped elsewhere: `wait4` said ECHILD).
        public let status: Int32
        /// Peak resident set size, in KiB (`ru_maxrss`).
        public let maxRSSKiB: Int
        /// User plus system CPU time, in seconds.
        public let cpuSeconds: Double
    }

    public let pid: pid_t
    private var exit: Exit?

    /// Starts `argv` (argv[0] an absolute path, or a name looked up on PATH).
    /// - Parameters:
    ///   - environment: the child's environment; nil is this process's.
    ///   - stdin: a file to read standard input from.
    ///   - stdout: the file standard output goes to (created or truncated).
    ///   - stderr: the file standard error goes to; nil is the same as `stdout`.
    ///   - currentDirectory: where the child starts (the server user may not reach ours).
    public init(_ argv: [String], environment: [String: String]? = nil, stdin: String = "/dev/null", stdout: String,
                stderr: String? = nil, currentDirectory: String? = nil) throws(ChildProcessError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        _ = GlibcSpawnExtensions.closeFrom?(&actions, 3)
        if let currentDirectory {
            guard let chdir = GlibcSpawnExtensions.changeDirectory else {
                throw ChildProcessError(program: argv[0], message: "posix_spawn_file_actions_addchdir_np is not available")
            }
            _ = chdir(&actions, currentDirectory)
        }
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

        var child: pid_t = 0
        let rc = Self.withCStrings(argv) { args -> Int32 in
            func spawn(_ envp: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
                argv[0].hasPrefix("/") ? posix_spawn(&child, argv[0], &actions, &attr, args, envp)
                    : posix_spawnp(&child, argv[0], &actions, &attr, args, envp)
            }
            guard let environment else { return spawn(environ) }
            return Self.withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                envp.withUnsafeBufferPointer { spawn($0.baseAddress!) }
            }
        }
        guard rc == 0 else { throw ChildProcessError(program: argv[0], message: "posix_spawn: \(String(cString: strerror(rc)))") }
        pid = child
    }

    /// A child still running when its owner lets go of it is killed and reaped.
    deinit {
        if exit == nil {
            kill(pid, SIGKILL)
            var s: Int32 = 0
            waitpid(pid, &s, 0)
        }
    }

    public func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the child to end.
    @discardableResult
    public func wait() -> Exit {
        if let exit { return exit }
        if let done = reap(options: 0) { return done }
        // ECHILD: someone else reaped it (a SIGCHLD handler, a second waiter). It has ended;
        // its status is lost.
        let unknown = Exit(status: -1, maxRSSKiB: 0, cpuSeconds: 0)
        exit = unknown
        return unknown
    }

    /// The child's exit if it has ended, else nil (does not block).
    public func poll() -> Exit? {
        if let exit { return exit }
        return reap(options: WNOHANG)
    }

    /// The child's exit, or nil if it is still running after `timeout` (polls; does not block a thread).
    public func wait(timeout: Duration) async -> Exit? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let exit = poll() { return exit }
            // Checked after polling: a starved caller still looks once past the deadline.
            if clock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func reap(options: Int32) -> Exit? {
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let r = wait4(pid, &status, options, &usage)
            if r == pid { break }
            if r == 0 { return nil }  // WNOHANG, still running
            if errno == ECHILD && options & WNOHANG != 0 {
                // Reaped elsewhere: ended, status unknown (see `wait()`).
                let unknown = Exit(status: -1, maxRSSKiB: 0, cpuSeconds: 0)
                exit = unknown
                return unknown
            }
            if errno != EINTR { return nil }
        }
        // wait status: low 7 bits the terminating signal (0 = exited), bits 8–15 the exit code.
        let signal = status & 0x7f
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
        let done = Exit(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, maxRSSKiB: Int(usage.ru_maxrss), cpuSeconds: cpu)
        exit = done
        return done
    }

    /// Runs `argv` to its end with standard input from `stdin` bytes; returns how it ended
    /// and its standard output and error (kept apart).
    public static func run(_ argv: [String], environment: [String: String]? = nil, stdin: [UInt8]? = nil,
                           currentDirectory: String? = nil) throws(ChildProcessError) -> (exit: Exit, stdout: [UInt8], stderr: [UInt8]) {
        let base = NSTemporaryDirectory() + "jobmatch-child-\(getpid())-\(UUID().uuidString)"
        let inPath = base + ".in", outPath = base + ".out", errPath = base + ".err"
        defer { for p in [inPath, outPath, errPath] { unlink(p) } }
        if let stdin { _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin)) }
        let child = try ChildProcess(argv, environment: environment, stdin: stdin == nil ? "/dev/null" : inPath,
                                     stdout: outPath, stderr: errPath, currentDirectory: currentDirectory)
        let exit = child.wait()
        return (exit, readFile(outPath), readFile(errPath))
    }

    /// A file's bytes, empty when it cannot be read. POSIX read, not Foundation: under
    /// AddressSanitizer, swift-foundation 6.3.1's readBytesFromFile leaks a 4 KiB buffer
    /// for each empty file it reads (scripts/sanitize).
    public static func readFile(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes += buffer[..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return bytes
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}

/// A child process could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let program: String
    public let message: String
    public var description: String { "\(program): \(message)" }
}
