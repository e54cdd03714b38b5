import EmbeddedPostgres
import Foundation
import Postgres

/// Runs a child process with `posix_spawn` and reaps it with `wait4` on its own pid.
///
/// Not Foundation `Process`: under Swift Testing, concurrent `waitUntilExit()` calls have
/// hung here with the children already exited (see `runProcess` in EmbeddedPostgres).
/// Output goes to temporary files, not pipes, so a child that leaves a daemon behind
/// (`pg_ctl start`, `jobmatch db start`) cannot keep a reader waiting for EOF.
public enum Spawn {
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal that ended the child.
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// Raw standard output, for byte-exact checks.
        public let stdoutBytes: [UInt8]
        /// Peak resident set size of the child, in KiB (`ru_maxrss`).
        public let maxRSSKiB: Int
    }

    /// Runs `argv` (argv[0] an absolute path, or a name looked up on PATH) with `environment`
    /// (nil: this process's), in `currentDirectory`, with `stdin` as its standard input.
    public static func run(_ argv: [String], environment: [String: String]? = nil, currentDirectory: String? = nil,
                           stdin: [UInt8]? = nil) throws -> Result {
        let base = NSTemporaryDirectory() + "jm-spawn-\(getpid())-\(UUID().uuidString)"
        let inPath = base + ".in", outPath = base + ".out", errPath = base + ".err"
        defer { for p in [inPath, outPath, errPath] { unlink(p) } }
        _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin ?? []))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = GlibcSpawnExtensions.closeFrom?(&actions, 3)
        if let currentDirectory {
            guard let chdir = GlibcSpawnExtensions.changeDirectory else {
                throw TestPostgresError(message: "posix_spawn_file_actions_addchdir_np is not available")
            }
            _ = chdir(&actions, currentDirectory)
        }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { args in
            withCStrings(env) { envp in
                argv[0].hasPrefix("/") ? posix_spawn(&pid, argv[0], &actions, nil, args, envp)
                    : posix_spawnp(&pid, argv[0], &actions, nil, args, envp)
            }
        }
        guard rc == 0 else {
            throw TestPostgresError(message: "posix_spawn \(argv[0]): \(String(cString: strerror(rc)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw TestPostgresError(message: "wait4: \(String(cString: strerror(errno)))") }
        }
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        let out = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: outPath)))) ?? []
        let err = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: errPath)))) ?? []
        return Result(status: code, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                      stdoutBytes: out, maxRSSKiB: Int(usage.ru_maxrss))
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}

extension ConnectionConfig {
    /// The configuration as one string `--database-url` accepts: a libpq `key='value'`
    /// conninfo when there is no URL; otherwise the URL (conninfo or `postgresql://`) with
    /// the keywords appended (libpq lets a later keyword win).
    public var libpqString: String {
        func quoted(_ v: String) -> String {
            "'" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        let conninfo = parameters.map { "\($0.0)=\(quoted($0.1))" }.joined(separator: " ")
        guard let url, !url.isEmpty else { return conninfo }
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let query = parameters.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
            }.joined(separator: "&")
            return query.isEmpty ? url : url + (url.contains("?") ? "&" : "?") + query
        }
        return url + " " + conninfo
    }
}
