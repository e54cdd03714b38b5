import Foundation
import Postgres

/// Advisory locks whose waits are bounded (issue 17): a region's run, a year's
/// review and the migrator serialise on them. Tries once; when another session
/// holds the lock, says so through `onWait` (the CLI prints it: "waiting for …")
/// and waits at most `waitSeconds` (`lock_timeout`), then gives up with a
/// message that names what it waited for.
public enum AdvisoryLock {
    /// How long a command waits for another one by default: `JOBMATCH_LOCK_WAIT_SECONDS`, else 10 minutes.
    public static var defaultWaitSeconds: Int {
        ProcessInfo.processInfo.environment["JOBMATCH_LOCK_WAIT_SECONDS"].flatMap { Int($0) }.map { max(1, $0) } ?? 600
    }

    /// The lock was still held after the wait.
    public struct TimedOut: Error, CustomStringConvertible, Sendable {
        public let waitingFor: String
        public let seconds: Int
        public var description: String {
            "gave up after \(seconds) s waiting for \(waitingFor) to finish; try again when it is done"
        }
    }

    /// Where the CLI and the daemon say they are waiting; stderr by default.
    nonisolated(unsafe) public static var notice: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Takes the session lock `key` (SQL text of the lock's arguments: `123` or `1, hashtext('x')`).
    public static func lock(_ c: Connection, key: String, waitingFor: String, waitSeconds: Int = defaultWaitSeconds) throws {
        try acquire(c, function: "pg_advisory_lock", tryFunction: "pg_try_advisory_lock", key: key,
                    waitingFor: waitingFor, waitSeconds: waitSeconds, local: false)
    }

    /// Takes the transaction lock `key`; `c` is in a transaction.
    public static func transactionLock(_ c: Connection, key: String, waitingFor: String, waitSeconds: Int = defaultWaitSeconds) throws {
        try acquire(c, function: "pg_advisory_xact_lock", tryFunction: "pg_try_advisory_xact_lock", key: key,
                    waitingFor: waitingFor, waitSeconds: waitSeconds, local: true)
    }

    private static func acquire(_ c: Connection, function: String, tryFunction: String, key: String,
                                waitingFor: String, waitSeconds: Int, local: Bool) throws {
        if try c.query(Query(unsafeSQL: "SELECT pg_catalog.\(tryFunction)(\(key)) AS locked"))[0].bool("locked") { return }
        notice("waiting for \(waitingFor) to finish (at most \(waitSeconds) s)…")
        // SET LOCAL inside a transaction; a session setting (reset after) outside one.
        try c.execute(unsafeSQL: "SELECT pg_catalog.set_config('lock_timeout', '\(waitSeconds)s', \(local))")
        var failure: PostgresError?
        do {
            _ = try c.query(Query(unsafeSQL: "SELECT pg_catalog.\(function)(\(key))"))
        } catch {
            failure = error
        }
        if !local { _ = try? c.execute(unsafeSQL: "RESET lock_timeout") }
        guard let failure else { return }
        if failure.sqlState == .lockNotAvailable { throw TimedOut(waitingFor: waitingFor, seconds: waitSeconds) }
        throw failure
    }
}

/// The advisory-lock keys jobmatch's commands serialise on.
public enum LockKeys {
    /// A region's matching runs (MatchRunner) — also taken by an import that renames
    /// certificates of the region's seekers, so a run in flight commits before the rename
    /// (which then re-maps its rows) or starts after it (issue 17).
    public static func region(_ region: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for byte in "jobmatch.region:\(region)".utf8 { hash ^= UInt64(byte); hash &*= 0x0000_0100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    /// Imports, one at a time (issue 17): two bulk loads of one table deadlocked, and so
    /// did two of tables that reference one table (trainings and placements, both on
    /// seeker: each re-adds a foreign key to it). Files are loaded in order anyway.
    public static let imports = "1229803604, 0"
}
