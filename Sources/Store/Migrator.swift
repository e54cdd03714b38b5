// Store — all of jobmatch's SQL. It maps rows to domain values and back, runs
// transactions and turns database errors into domain errors. Nothing above it
// writes SQL; nothing in it parses arguments or prints.
//
// Migrations (this file): `sql/NNNN_name.sql`, embedded in the binary by
// scripts/embed-sql. Each is applied in one transaction together with its
// version row; a session advisory lock serialises concurrent migrators (the
// second waits, then finds nothing to do); a database whose recorded version is
// newer than the binary's is refused, because an old binary could corrupt a
// schema it does not know.

import Domain
import Postgres

/// Why the schema could not be brought up to date.
public enum MigrationError: Error, CustomStringConvertible, Sendable {
    /// The database was migrated by a newer jobmatch.
    case databaseNewerThanBinary(database: Int, binary: Int)
    /// A migration failed; the transaction rolled back and nothing of it remains.
    case failed(version: Int, name: String, cause: String)

    public var description: String {
        switch self {
        case .databaseNewerThanBinary(let db, let bin):
            "the database schema is at version \(db) but this jobmatch knows only up to \(bin); upgrade jobmatch"
        case .failed(let v, let name, let cause):
            "migration \(v) (\(name)) failed and was rolled back: \(cause)"
        }
    }
}

/// One migration as the binary carries it.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// Applies the embedded migrations.
public enum Migrator {

    /// The migrations this binary carries, in version order.
    public static var migrations: [Migration] {
        Embedded.migrations.map { Migration(version: $0.version, name: $0.name, sql: $0.sql) }
    }

    /// The newest version this binary knows.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// What a `migrate` did.
    public struct Outcome: Sendable, Equatable {
        /// Versions applied by this call, in order (empty when already current).
        public var applied: [Int]
        /// Policy parameter rows newly seeded.
        public var policyRowsSeeded: Int
        /// The schema version after the call.
        public var version: Int
    }

    /// Brings the schema up to date and seeds the policy packs; safe to run twice
    /// and from several processes at once.
    public static func migrate(_ connection: Connection, actor: String) throws -> Outcome {
        try AdvisoryLock.lock(connection, .migrator, waitingFor: .migration)
        defer { AdvisoryLock.unlock(connection, .migrator) }

        try connection.execute(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS schema_migration (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """)
        let current = try currentVersion(connection)
        if current > latestVersion {
            throw MigrationError.databaseNewerThanBinary(database: current, binary: latestVersion)
        }
        var applied: [Int] = []
        for m in migrations where m.version > current {
            do {
                try connection.transaction { tx in
                    try tx.execute(unsafeSQL: m.sql)
                    try tx.query("INSERT INTO schema_migration (version, name) VALUES (\(m.version), \(m.name))")
                }
            } catch {
                throw MigrationError.failed(version: m.version, name: m.name, cause: Migrator.cause(error))
            }
            applied.append(m.version)
        }
        if !applied.isEmpty {
            try Audit.record(connection, actor: actor, action: "migrate", subject: "schema",
                             detail: ["versions": applied.map(String.init).joined(separator: ",")])
        }
        let seeded = try PolicyStore.seedPacks(connection)
        return Outcome(applied: applied, policyRowsSeeded: seeded, version: try currentVersion(connection))
    }

    /// The server's message for a failed migration: migration SQL binds no personal
    /// data, so its messages are safe to show and are what an operator needs.
    static func cause(_ error: any Error) -> String {
        if let t = error as? TransactionError, let p = (t.body as? PostgresError) ?? t.commit ?? t.begin {
            return "\(p.sqlState.map { "SQLSTATE \($0.code): " } ?? "")\(p.message ?? p.description)"
        }
        if let p = error as? PostgresError { return p.message ?? p.description }
        return String(describing: error)
    }

    /// The highest applied version, 0 for an empty database.
    public static func currentVersion(_ connection: Connection) throws -> Int {
        let exists = try connection.query("SELECT to_regclass('schema_migration') IS NOT NULL AS present")
        guard try exists[0].bool("present") else { return 0 }
        let rows = try connection.query("SELECT coalesce(max(version), 0) AS v FROM schema_migration")
        return try rows[0].int("v")
    }

    /// Refuses to work against a schema this binary does not match.
    public static func requireCurrent(_ connection: Connection) throws {
        let v = try currentVersion(connection)
        if v > latestVersion { throw MigrationError.databaseNewerThanBinary(database: v, binary: latestVersion) }
        if v < latestVersion { throw StoreError.schemaOutOfDate(database: v, binary: latestVersion) }
    }
}

/// Store-level failures, in words staff and operators can act on.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case schemaOutOfDate(database: Int, binary: Int)
    case notFound(Missing)
    case conflict(String)

    public var description: String {
        switch self {
        case .schemaOutOfDate(let db, let bin): "the database schema is at version \(db), this jobmatch needs \(bin): run `jobmatch migrate`"
        case .notFound(let what): "not found: \(what)"
        case .conflict(let what): what
        }
    }
}
