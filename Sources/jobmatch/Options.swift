import ArgumentParser
import Daemon
import Foundation
import Postgres
import Store

/// Options every database command shares (CONTRACT.md §1, global options).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; else DATABASE_URL, else PG* variables, else the local cluster under $JOBMATCH_HOME.")
    var databaseURL: String?

    @Option(help: "Who is acting, for the audit trail (default: the OS user).")
    var actor: String?

    var resolvedActor: String {
        actor ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
    }

    /// Connects, starting the embedded cluster when no URL is configured. `writable`: to a
    /// writable server only (a standby met first in a multi-host URL is skipped; issue 18).
    func connect(writable: Bool = false) throws -> Connection {
        do {
            let locator = DatabaseLocator(option: databaseURL)
            guard writable else { return try locator.connect(notice: Console.error) }
            return try Connection.connect(locator.connectionConfig(notice: Console.error).with("target_session_attrs", "read-write"))
        } catch let e as DatabaseURLError {
            Console.error("jobmatch: \(e)")  // one line, exit 2 (issue 17)
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// Connects and checks that the schema is the one this binary knows.
    func connectMigrated() throws -> Connection {
        let c = try connect()
        try Migrator.requireCurrent(c)
        return c
    }
}
