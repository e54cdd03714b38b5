// EmbeddedPostgres — a local PostgreSQL cluster managed with the machine's own initdb and
// pg_ctl: the demo, the tests and `jobmatch` without a database URL use it.
//
// Owns the directory layout below and the server's lifetime; the data directory is
// authoritative for "initialised" (PG_VERSION) and postmaster.pid for "running".
//
//   <home>/                      $JOBMATCH_HOME, e.g. ./.jobmatch (made absolute)
//     data/                      PGDATA: UTF8, locale C, trust auth on the socket only
//     run/                       the Unix socket, mode 0700; no TCP port (listen_addresses='')
//     postgres.log               server log
//
//     notInitialised ──start()──▶ running(pid) ──stop()──▶ stopped ──start()──▶ running
//
// Running as root: initdb refuses root, so initdb and pg_ctl run through
// `runuser -u postgres --` and the files belong to postgres. If postgres cannot traverse
// <home> (a 0700 mktemp directory, /root…), the cluster lives instead in
// /var/tmp/jobmatch-<FNV-1a hash of the absolute home path>/ (same layout) and
// <home>/cluster-location holds that path; <home>/postgres.log is a symlink to its log.
// The superuser role is named after the OS user who calls `start()` (root or yourself), so
// plain libpq defaults work, and `url` names it explicitly anyway.

import Foundation
import Postgres

/// A PostgreSQL cluster under a home directory, driven by initdb and pg_ctl.
public struct LocalCluster: Sendable {
    /// Tuning for throwaway clusters.
    public struct Options: Sendable {
        /// `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`, `initdb --no-sync`:
        /// fast and unsafe on a crash. Only for tests.
        public var forTests: Bool
        /// How long `start()` waits for the server to accept connections.
        public var startTimeout: Duration

        public static let startTimeoutDefault: Duration = .seconds(60)

        public init(forTests: Bool = false, startTimeout: Duration = Options.startTimeoutDefault) {
            self.forTests = forTests
            self.startTimeout = startTimeout
        }
    }

    public enum State: Sendable, Equatable {
        case notInitialised
        case stopped
        case running(pid: Int32)
    }

    /// The absolute home directory.
    public let home: String
    /// Where data/, run/ and the log actually live: `home`, or a postgres-reachable directory (see the module comment).
    public let clusterRoot: String
    public let options: Options

    public var dataDirectory: String { clusterRoot + "/data" }
    public var socketDirectory: String { clusterRoot + "/run" }
    public var logFile: String { clusterRoot + "/postgres.log" }
    /// The superuser role: the OS user of this process.
    public var superuser: String { Self.currentUserName() }

    public init(home: String, forTests: Bool = false) {
        self.init(home: home, options: Options(forTests: forTests))
    }

    public init(home: String, options: Options) {
        let absolute = URL(fileURLWithPath: home).standardizedFileURL.path
        self.home = absolute
        self.options = options
        self.clusterRoot = Self.resolveClusterRoot(home: absolute)
    }

    // MARK: - Status

    /// Reads the data directory: no PG_VERSION → not initialised; a postmaster.pid whose
    /// process exists → running; else stopped.
    public func status() -> State {
        let fm = FileManager.default
        guard fm.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return .notInitialised }
        guard let pidText = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let firstLine = pidText.split(separator: "\n").first,
              let pid = Int32(firstLine.trimmingCharacters(in: .whitespaces)), pid > 0
        else { return .stopped }
        // kill(pid, 0): 0 or EPERM means the process exists. A stale pid file after a crash
        // whose pid was reused would read as running; pg_ctl start copes with it anyway.
        if kill(pid, 0) == 0 || errno == EPERM { return .running(pid: pid) }
        return .stopped
    }

    // MARK: - Connecting

    /// `postgresql://<superuser>@/jobmatch?host=<socket dir>` with the path percent-encoded.
    public var url: String { url(database: "jobmatch") }

    public func url(database: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        return "postgresql://\(enc(superuser))@/\(enc(database))?host=\(enc(socketDirectory))"
    }

    /// Keyword parameters for `database` over the socket: host, dbname, user.
    public func connectionConfig(database: String = "jobmatch") -> ConnectionConfig {
        ConnectionConfig(url: nil, parameters: [
            ("host", socketDirectory), ("dbname", database), ("user", superuser),
        ])
    }

    // MARK: - Start / stop

    /// Makes the cluster usable and returns the configuration of database "jobmatch".
    /// Idempotent: initdb if needed, start if not running, wait until a connection succeeds
    /// (retrying until `options.startTimeout`), create database "jobmatch" if missing.
    @discardableResult
    public func start(log: (String) -> Void = { _ in }) throws -> ConnectionConfig {
        try prepareDirectories()
        if status() == .notInitialised {
            log("initialising a PostgreSQL cluster in \(dataDirectory)")
            try initdb()
        }
        if case .running = status() {
            log("PostgreSQL already running in \(dataDirectory)")
        } else {
            log("starting PostgreSQL, socket in \(socketDirectory)")
            do {
                try pgctl(["start", "-w", "-t", String(options.startTimeout.components.seconds), "-l", logFile,
                           "-o", serverOptions])
            } catch {
                // Another process may have started it concurrently; readiness below decides.
                guard case .running = status() else { throw error }
            }
        }
        let admin = try waitUntilReady()
        defer { admin.close() }
        if try admin.query("SELECT 1 FROM pg_database WHERE datname = 'jobmatch'").count == 0 {
            log("creating database jobmatch")
            do {
                try admin.execute(unsafeSQL: "CREATE DATABASE jobmatch")
            } catch {
                // Created concurrently: fine.
                guard error.sqlState == .duplicateDatabase else { throw error }
            }
        }
        return connectionConfig()
    }

    /// Stops the server (`pg_ctl stop -m fast`, waiting). Does nothing unless running.
    public func stop() throws {
        try stop(mode: "fast")
    }

    /// `pg_ctl stop -m <mode>` (`smart`, `fast` or `immediate`), waiting for the server to exit.
    public func stop(mode: String) throws {
        guard case .running = status() else { return }
        try pgctl(["stop", "-w", "-m", mode])
    }

    /// Connects to the maintenance database until it works or `startTimeout` passes.
    func waitUntilReady() throws -> Connection {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: options.startTimeout)
        let config = connectionConfig(database: "postgres").with("connect_timeout", "5")
        while true {
            do {
                return try Connection.connect(config)
            } catch {
                if clock.now >= deadline {
                    throw LocalClusterError(
                        operation: "wait for readiness", status: nil,
                        output: "no connection within \(options.startTimeout): \(error); see \(logFile)")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    private var serverOptions: String {
        // No spaces inside values: pg_ctl passes -o through a shell.
        var settings = ["-c listen_addresses="]
        // The server log keeps no personal data (issue 17, as deploy/roles.sql does for a
        // deployed database): no DETAIL or CONTEXT quoting row values, no failed statement.
        settings += ["-c log_error_verbosity=terse", "-c log_min_error_statement=panic"]
        if options.forTests {
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
            // Every suite at once, each web test with its pool and its served daemons: 100 was the edge.
            settings += ["-c max_connections=300"]
        }
        return settings.joined(separator: " ")
    }

    private func initdb() throws {
        guard let bin = Self.binDirectory() else {
            throw LocalClusterError(operation: "find initdb", status: nil,
                                    output: "no initdb on PATH or in /usr/lib/postgresql/*/bin; install postgresql")
        }
        var args = [bin + "/initdb", "-D", dataDirectory, "-U", superuser, "-E", "UTF8", "--locale=C",
                    "--auth-local=trust", "--auth-host=reject", "--no-instructions"]
        if options.forTests { args.append("--no-sync") }
        try run(asServerUser(args))
        // Settings that hold whatever pg_ctl options are used later. Values single-quoted per postgresql.conf.
        let quotedSocket = "'" + socketDirectory.replacingOccurrences(of: "'", with: "''") + "'"
        let conf = """

            # jobmatch LocalCluster: Unix socket in a private directory, no TCP.
            listen_addresses = ''
            unix_socket_directories = \(quotedSocket)
            unix_socket_permissions = 0700

            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(conf.utf8))
    }

    private func pgctl(_ arguments: [String]) throws {
        guard let bin = Self.binDirectory() else {
            throw LocalClusterError(operation: "find pg_ctl", status: nil, output: "no pg_ctl found; install postgresql")
        }
        try run(asServerUser([bin + "/pg_ctl", "-D", dataDirectory] + arguments))
    }

    /// As root, prefix `runuser -u postgres --`.
    private func asServerUser(_ command: [String]) -> [String] {
        guard Self.isRoot else { return command }
        return [Self.findBinary("runuser") ?? "/usr/sbin/runuser", "-u", Self.serverUser, "--"] + command
    }

    /// Creates home, the cluster root, data/ and run/ (0700), owned by the server user when root.
    private func prepareDirectories() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: home, withIntermediateDirectories: true)
        if clusterRoot != home {
            if fm.fileExists(atPath: clusterRoot) {
                // /var/tmp is world-writable: refuse a directory someone else planted there.
                let owner = (try fm.attributesOfItem(atPath: clusterRoot)[.ownerAccountID] as? NSNumber)?.uint32Value
                guard owner == 0 || owner == Self.serverUID || owner == getuid() else {
                    throw LocalClusterError(operation: "check \(clusterRoot)", status: nil, output: "owned by uid \(owner ?? 0), not by root or postgres")
                }
            }
            try fm.createDirectory(atPath: clusterRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try clusterRoot.write(toFile: home + "/cluster-location", atomically: true, encoding: .utf8)
            let link = home + "/postgres.log"
            if (try? fm.destinationOfSymbolicLink(atPath: link)) == nil {
                try? fm.removeItem(atPath: link)
                try fm.createSymbolicLink(atPath: link, withDestinationPath: logFile)
            }
        }
        for dir in [clusterRoot, dataDirectory, socketDirectory] {
            if !fm.fileExists(atPath: dir) {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        }
        if Self.isRoot, let uid = Self.serverUID, let gid = Self.serverGID {
            for path in [clusterRoot, dataDirectory, socketDirectory] { _ = chown(path, uid, gid) }
            if clusterRoot == home { _ = chmod(home, 0o711) }  // traversable, not listable
            _ = chown(logFile, uid, gid)
        }
        // The log is the server's alone (0600), whoever created it and whatever the umask (issue 17).
        let fd = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if fd >= 0 {
            _ = fchmod(fd, 0o600)
            if Self.isRoot, let uid = Self.serverUID, let gid = Self.serverGID { _ = fchown(fd, uid, gid) }
            close(fd)
        }
    }

    // MARK: - Finding things

    static let serverUser = "postgres"
    static var isRoot: Bool { geteuid() == 0 }
    static var serverUID: uid_t? { getpwnam(serverUser).map { $0.pointee.pw_uid } }
    static var serverGID: gid_t? { getpwnam(serverUser).map { $0.pointee.pw_gid } }

    static func currentUserName() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
    }

    /// `home` itself if the server user can reach it (or we are not root); else the hashed
    /// /var/tmp directory, or the one named in `home/cluster-location` if that exists.
    static func resolveClusterRoot(home: String) -> String {
        if let recorded = try? String(contentsOfFile: home + "/cluster-location", encoding: .utf8) {
            let path = recorded.trimmingCharacters(in: .whitespacesAndNewlines)
            if !path.isEmpty { return path }
        }
        guard isRoot, FileManager.default.fileExists(atPath: "/usr/sbin/runuser") || findBinary("runuser") != nil else { return home }
        // Check the nearest existing ancestor: home may not exist yet.
        var probe = home
        while !FileManager.default.fileExists(atPath: probe), probe != "/" {
            probe = (probe as NSString).deletingLastPathComponent
        }
        let runuser = findBinary("runuser") ?? "/usr/sbin/runuser"
        let reachable = (try? runProcess([runuser, "-u", serverUser, "--", "test", "-x", probe])) != nil
        if reachable { return home }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64: stable across runs, unlike Hasher
        for byte in home.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return "/var/tmp/jobmatch-" + String(hash, radix: 16)
    }

    /// PATH first, else the highest `/usr/lib/postgresql/<version>/bin`. A PATH entry is used
    /// only if it resolves to a real executable of that name (Debian's `pg_wrapper` script,
    /// which `/usr/bin/pg_ctl` may link to, is skipped).
    public static func findBinary(_ name: String) -> String? {
        let fm = FileManager.default
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            guard fm.isExecutableFile(atPath: candidate) else { continue }
            let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
            if (resolved as NSString).lastPathComponent == name { return resolved }
        }
        for dir in ["/usr/sbin", "/sbin"] where fm.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return versionedBinDirectories().lazy.map { "\($0)/\(name)" }.first { fm.isExecutableFile(atPath: $0) }
    }

    /// The directory holding initdb, with pg_ctl beside it (one version for both).
    static func binDirectory() -> String? {
        if let initdb = findBinary("initdb") {
            let dir = (initdb as NSString).deletingLastPathComponent
            if FileManager.default.isExecutableFile(atPath: dir + "/pg_ctl") { return dir }
        }
        return versionedBinDirectories().first { FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
    }

    /// `/usr/lib/postgresql/<n>/bin`, highest version first.
    static func versionedBinDirectories() -> [String] {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "\(root)/\($0)/bin" }
    }
}

/// A command run by `LocalCluster` failed. `output` is the command's own output (paths and
/// PostgreSQL messages, no user data).
public struct LocalClusterError: Error, CustomStringConvertible {
    public let operation: String
    public let status: Int32?
    public let output: String

    public var description: String {
        "LocalClusterError: \(operation) failed" + (status.map { " (exit \($0))" } ?? "") + (output.isEmpty ? "" : ": \(output)")
    }
}

/// Runs a command (a `ChildProcess`, output to a temporary file) and throws on a non-zero exit.
@discardableResult
func runProcess(_ command: [String]) throws -> String {
    let outputPath = NSTemporaryDirectory() + "jobmatch-cmd-\(getpid())-\(UUID().uuidString).out"
    defer { unlink(outputPath) }
    let exit: ChildProcess.Exit
    do {
        // "/": the server user may not reach our working directory (where the extension exists).
        exit = try ChildProcess(command, stdout: outputPath,
                                currentDirectory: GlibcSpawnExtensions.changeDirectory == nil ? nil : "/").wait()
    } catch {
        throw LocalClusterError(operation: command[0], status: nil, output: error.message)
    }
    let text = String(decoding: ChildProcess.readFile(outputPath), as: UTF8.self)
    guard exit.status == 0 else {
        let program = command.first { $0.hasPrefix("/") && !$0.hasSuffix("/runuser") } ?? command[0]
        throw LocalClusterError(operation: (program as NSString).lastPathComponent + " " + (command.last ?? ""),
                                status: exit.status, output: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    return text
}

/// glibc ≥ 2.29/2.34 has these, but the Swift Glibc module does not import them (they need
/// _GNU_SOURCE), so they are looked up at run time; without them the child keeps our cwd and
/// inherited descriptors, which still works in the common case. Shared with TestSupport's
/// child-process helpers.
public enum GlibcSpawnExtensions {
    public typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    public typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    /// `posix_spawn_file_actions_addclosefrom_np`, when the C library has it.
    public static let closeFrom: AddCloseFrom? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }
    /// `posix_spawn_file_actions_addchdir_np`, when the C library has it.
    public static let changeDirectory: AddChdir? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
}

extension LocalCluster {
    func run(_ command: [String]) throws {
        _ = try runProcess(command)
    }
}
