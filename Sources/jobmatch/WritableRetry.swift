// Commands that write, through a database failover (issue 18): while no primary is
// writable (refused, lost, read-only, shutting down), connect again for a bounded time
// (`JOBMATCH_WRITE_RETRY_SECONDS`, default 60) and say so in Chinese; then give up plainly.
// Only a lost connection, a read-only server or one shutting down is retried
// (`Daemon.isConnectionLoss`), never a statement the server refused.
//
// The body runs again on each try, so it must be safe to repeat: its writes are one
// transaction, so a try that lost its connection before COMMIT left nothing. A try whose
// COMMIT was sent but never answered may have taken effect; each command's body is written
// so that a repeat is then harmless (an upsert, a natural key, an idempotency key as in
// match --enqueue) or ends in a plain refusal, to which a note is added. docs/operations.md
// lists what a repeat does for each command.

import ArgumentParser
import Daemon
import Foundation
import Postgres
import Render
import Store

enum WritableRetry {
    static let secondsDefault = 60

    static func seconds(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        environment["JOBMATCH_WRITE_RETRY_SECONDS"].flatMap(Int.init).map { max(0, min($0, 3600)) } ?? secondsDefault
    }

    /// No writable primary before the deadline.
    struct GaveUp: Error, CustomStringConvertible {
        /// A try's COMMIT was sent but never answered: it may have taken effect.
        var unknown = false
        var description: String { (unknown ? FailoverMessage.gaveUpUnknown : .gaveUp).text() }
    }

    /// Runs `body` on a connection to a writable primary, again on a fresh one while the
    /// database is away, until `JOBMATCH_WRITE_RETRY_SECONDS` pass. `migrated: false` for
    /// `migrate`, which brings the schema up to date itself.
    static func run<T>(_ db: DatabaseOptions, migrated: Bool = true, _ body: (Connection) throws -> T) throws -> T {
        let limit = seconds()
        let deadline = ContinuousClock.now + .seconds(limit)
        var told = false
        var unknown = false
        var delay = 0.2
        while true {
            do {
                let c = try db.connect(writable: true)
                defer { c.close() }
                if migrated { try Migrator.requireCurrent(c) }
                return try body(c)
            } catch where Daemon.isConnectionLoss(error) {
                if commitUnanswered(error) { unknown = true }
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw GaveUp(unknown: unknown) }
                if !told {
                    Console.error(FailoverMessage.waiting(seconds: limit).text())
                    told = true
                }
                let wait = min(delay * Double.random(in: 0.5...1), Double(left.components.seconds) + 0.1)
                Thread.sleep(forTimeInterval: wait)
                delay = min(delay * 2, 2)
            } catch where unknown {
                // Refused after a try that may have committed: the refusal may be that try's doing.
                guard let refused = error as? InputRejected ?? InputRejected(refusing: error) else { throw error }
                throw InputRejected(lines: refused.lines + [FailoverMessage.mayHaveTakenEffect.text()])
            }
        }
    }

    /// `run` when `writes`, else the body once on an ordinary connection (a reading command
    /// writes only the audit record of an `--unmasked` output).
    static func run<T>(_ db: DatabaseOptions, writes: Bool, _ body: (Connection) throws -> T) throws -> T {
        if writes { return try run(db, body) }
        let c = try db.connectMigrated()
        defer { c.close() }
        return try body(c)
    }

    /// True when the error is a COMMIT that was sent but whose answer never came.
    static func commitUnanswered(_ error: any Error) -> Bool {
        guard let t = error as? TransactionError, let commit = t.commit else { return false }
        return Daemon.isConnectionLoss(commit)
    }
}
