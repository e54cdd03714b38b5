import Foundation
import Postgres
import Store
import Synchronization

/// Fresh databases that already carry the whole schema and the policy packs:
/// the schema is migrated once per test process into a template database,
/// and each test gets a copy (CREATE DATABASE … TEMPLATE, a file copy, ~50 ms)
/// — the graphile/worker way, so tests are isolated and may commit.
public enum MigratedDatabase {
    private static let template = Mutex<Result<String, TestPostgresError>?>(nil)

    /// The name of the migrated template database, created on first use.
    public static func templateName() throws -> String {
        try template.withLock { state in
            if state == nil {
                state = Result { () throws(TestPostgresError) in
                    do {
                        let config = try TestPostgres.freshDatabase()
                        let c = try Connection.connect(config)
                        defer { c.close() }
                        _ = try Migrator.migrate(c, actor: "test")
                        return try c.query("SELECT current_database() AS d")[0].string("d")
                    } catch {
                        throw TestPostgresError(message: "migrating the template database failed: \(error)")
                    }
                }
            }
            return try state!.get()
        }
    }

    /// Settings of a new migrated database.
    public static func config() throws -> ConnectionConfig {
        try TestPostgres.freshDatabase(template: templateName())
    }

    /// A connection to a new migrated database.
    public static func connect() throws -> Connection {
        try Connection.connect(config())
    }
}
