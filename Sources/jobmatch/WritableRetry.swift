// Commands that write, through a database failover (issue 18): while no primary is
// writable (refused, lost, read-only, shutting down), connect again for a bounded time
// (`JOBMATCH_WRITE_RETRY_SECONDS`, default 60) and say so in Chinese; then give up plainly.
// The body runs again on each try, so it must be safe to repeat: one transaction, or an
// idempotency key (match --enqueue).

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

    /// No writable primary before the deadline: nothing was committed.
    struct GaveUp: Error, CustomStringConvertible {
        var description: String { FailoverMessage.gaveUp.text() }
    }

    static func run<T>(_ db: DatabaseOptions, _ body: (Connection) throws -> T) throws -> T {
        let limit = seconds()
        let deadline = ContinuousClock.now + .seconds(limit)
        var told = false
        var delay = 0.2
        while true {
            do {
                let c = try db.connectWritable()
                defer { c.close() }
                try Migrator.requireCurrent(c)
                return try body(c)
            } catch where Daemon.isConnectionLoss(error) {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw GaveUp() }
                if !told {
                    Console.error(FailoverMessage.waiting(seconds: limit).text())
                    told = true
                }
                let wait = min(delay * Double.random(in: 0.5...1), Double(left.components.seconds) + 0.1)
                Thread.sleep(forTimeInterval: wait)
                delay = min(delay * 2, 2)
            }
        }
    }
}

extension DatabaseOptions {
    /// Connects to a writable server only (a standby met first in a multi-host URL is skipped).
    func connectWritable() throws -> Connection {
        do {
            let config = try DatabaseLocator(option: databaseURL).connectionConfig(notice: Console.error)
            return try Connection.connect(config.with("target_session_attrs", "read-write"))
        } catch let e as DatabaseURLError {
            Console.error("jobmatch: \(e)")  // one line, exit 2 (issue 17)
            throw ExitCode(ExitStatus.usage)
        }
    }
}
