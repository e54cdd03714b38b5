import Domain
import Foundation
import Postgres

/// Advisory locks whose waits are bounded (issue 17): a region's run, a year's
/// review and the migrator serialise on them. Tries once; when another session
/// holds the lock, says so through `notice` (the CLI prints it, worded by Render)
/// and waits at most `waitSeconds` (`lock_timeout`), then throws `TimedOut`,
/// which names what it waited for.
public enum AdvisoryLock {
    /// How long a command waits for another one by default: `JOBMATCH_LOCK_WAIT_SECONDS`, else 10 minutes.
    public static var defaultWaitSeconds: Int {
        ProcessInfo.processInfo.environment["JOBMATCH_LOCK_WAIT_SECONDS"].flatMap { Int($0) }.map { max(1, $0) } ?? 600
    }

    /// The lock was still held after the wait; Render words it.
    public struct TimedOut: Error, CustomStringConvertible, Sendable {
        public let waitingFor: LockedWork
        public let seconds: Int
        /// For developers and logs (no words for people).
        public var description: String { "advisory lock wait timed out after \(seconds) s (\(waitingFor))" }
    }

    /// A wait begins: what for, and for at most how many seconds.
    public struct Waiting: Sendable, Hashable {
        public let waitingFor: LockedWork
        public let seconds: Int
    }

    /// Where a waiting command says so (the CLI sets it to print Render's words); nothing by default.
    nonisolated(unsafe) public static var notice: @Sendable (Waiting) -> Void = { _ in }

    /// Takes the session lock `key` (SQL text of the lock's arguments: `123` or `1, hashtext('x')`).
    public static func lock(_ c: Connection, key: String, waitingFor: LockedWork, waitSeconds: Int = defaultWaitSeconds) throws {
        try acquire(c, function: "pg_advisory_lock", tryFunction: "pg_try_advisory_lock", key: key,
                    waitingFor: waitingFor, waitSeconds: waitSeconds, local: false)
    }

    /// Takes the transaction lock `key`; `c` is in a transaction.
    public static func transactionLock(_ c: Connection, key: String, waitingFor: LockedWork, waitSeconds: Int = defaultWaitSeconds) throws {
        try acquire(c, function: "pg_advisory_xact_lock", tryFunction: "pg_try_advisory_xact_lock", key: key,
                    waitingFor: waitingFor, waitSeconds: waitSeconds, local: true)
    }

    private static func acquire(_ c: Connection, function: String, tryFunction: String, key: String,
                                waitingFor: LockedWork, waitSeconds: Int, local: Bool) throws {
        if try c.query(Query(unsafeSQL: "SELECT pg_catalog.\(tryFunction)(\(key)) AS locked"))[0].bool("locked") { return }
        notice(Waiting(waitingFor: waitingFor, seconds: waitSeconds))
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

/// The advisory-lock keys jobmatch's commands serialise on. Every key jobmatch
/// takes is named here; the CLI's blocking lock and the daemon's try-lock on a
/// region use the same `Key.region`, so the two never run one region at once.
extension AdvisoryLock {
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        /// SQL text of the lock functions' arguments: `123` or `1, 2` (integers only).
        public let arguments: String

        private init(_ arguments: String) { self.arguments = arguments }

        /// A region's matching runs (the CLI's `jobmatch match`, the daemon's runs) —
        /// also taken by an import that renames certificates of the region's seekers, so
        /// a run in flight commits before the rename (which then re-maps its rows) or
        /// starts after it (issue 17).
        public static func region(_ code: String) -> Key { Key("\(LockKeys.region(code))") }

        /// One reviewer at a time per year: versions are numbered without gaps or races.
        public static func review(year: Int) -> Key { Key("\(Int64(0x7265_7669_6577) ^ Int64(year))") }  // "review"

        /// Concurrent `jobmatch migrate`s.
        public static let migrator = Key("\(Int64(0x6A6F_626D_6967))")  // "jobmig"

        /// Imports, one at a time (issue 17): two bulk loads of one table deadlocked, and so
        /// did two of tables that reference one table (trainings and placements, both on
        /// seeker: each re-adds a foreign key to it). Files are loaded in order anyway.
        public static let imports = Key("1229803604, 0")

        public var description: String { arguments }
    }

    /// Takes the session lock `key`, waiting as `lock(_:key:…)` does.
    public static func lock(_ c: Connection, _ key: Key, waitingFor: LockedWork, waitSeconds: Int = defaultWaitSeconds) throws {
        try lock(c, key: key.arguments, waitingFor: waitingFor, waitSeconds: waitSeconds)
    }

    /// Takes the transaction lock `key`; `c` is in a transaction.
    public static func transactionLock(_ c: Connection, _ key: Key, waitingFor: LockedWork, waitSeconds: Int = defaultWaitSeconds) throws {
        try transactionLock(c, key: key.arguments, waitingFor: waitingFor, waitSeconds: waitSeconds)
    }

    /// Takes the session lock `key` if it is free; never waits (the daemon holding a claim).
    /// Re-entrant on one session: a session that holds it gets it again (release each).
    public static func tryLock(_ c: Connection, _ key: Key) throws -> Bool {
        try c.query(Query(unsafeSQL: "SELECT pg_catalog.pg_try_advisory_lock(\(key.arguments)) AS locked"))[0].bool("locked")
    }

    /// Releases one hold of the session lock `key`; errors are ignored (the lock dies with the session).
    public static func unlock(_ c: Connection, _ key: Key) {
        _ = try? c.query(Query(unsafeSQL: "SELECT pg_catalog.pg_advisory_unlock(\(key.arguments))"))
    }
}

/// Numeric values of some keys, for tests that hold them from psql-like sessions.
public enum LockKeys {
    /// `AdvisoryLock.Key.region`'s value.
    public static func region(_ region: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for byte in "jobmatch.region:\(region)".utf8 { hash ^= UInt64(byte); hash &*= 0x0000_0100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    /// `AdvisoryLock.Key.imports`'s arguments.
    public static let imports = AdvisoryLock.Key.imports.arguments
}
