// Daemon — the imperative shell: where the database is, the scheduler, the
// request listener and claim loop, the run executor, signals and systemd.
// Decisions live in pure state machines and in the pure modules; this module
// performs their actions against PostgreSQL, the clock and the process.

import EmbeddedPostgres
import Foundation
import Postgres

/// Where the database is, in the contract's order (CONTRACT.md §1):
/// `--database-url`, else `DATABASE_URL`, else libpq's PG* variables, else the
/// embedded local cluster under `$JOBMATCH_HOME` (default `./.jobmatch`).
public struct DatabaseLocator: Sendable {
    public enum Source: Sendable, Equatable {
        case option, databaseURLVariable, libpqVariables, embedded(home: String)
    }

    public let url: String?
    public let source: Source

    /// Resolves the location from an explicit option and the environment.
    public init(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let option, !option.isEmpty {
            url = option; source = .option
        } else if let env = environment["DATABASE_URL"], !env.isEmpty {
            url = env; source = .databaseURLVariable
        } else if ["PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGHOSTADDR"].contains(where: { environment[$0]?.isEmpty == false }) {
            url = nil; source = .libpqVariables
        } else {
            url = nil
            source = .embedded(home: DatabaseLocator.home(environment))
        }
    }

    /// `$JOBMATCH_HOME`, default `./.jobmatch`.
    public static func home(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["JOBMATCH_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ".jobmatch"
    }

    /// Connection settings; for the embedded cluster, starts it when needed and
    /// says so through `notice` (stderr in the CLI).
    public func connectionConfig(notice: (String) -> Void) throws -> ConnectionConfig {
        switch source {
        case .option, .databaseURLVariable:
            if let url, !ConnectionConfig.isWellFormed(url) { throw DatabaseURLError(source: source) }
            return ConnectionConfig(url: url).with("application_name", "jobmatch")
        case .libpqVariables:
            return ConnectionConfig(url: nil).with("application_name", "jobmatch")
        case .embedded(let home):
            let cluster = LocalCluster(home: home)
            if case .running = cluster.status() {
                return cluster.connectionConfig().with("application_name", "jobmatch")
            }
            notice("jobmatch: no database URL given; starting the local PostgreSQL cluster in \(cluster.home)")
            return try cluster.start(log: notice).with("application_name", "jobmatch")
        }
    }

    /// Connects, starting the embedded cluster when that is the source.
    public func connect(notice: (String) -> Void) throws -> Connection {
        try Connection.connect(connectionConfig(notice: notice))
    }
}

/// The database URL cannot be read (issue 17): a usage error (exit 2), never retried.
/// The message does not repeat the URL, which may hold a password.
public struct DatabaseURLError: Error, CustomStringConvertible, Sendable {
    public let source: DatabaseLocator.Source
    public var description: String {
        let from = source == .option ? "--database-url" : "DATABASE_URL"
        return "\(from) is not a valid database URL; expected postgresql://user@host:port/database or key=value settings"
    }
}
