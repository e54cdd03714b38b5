import App
import Domain
import Foundation
import Postgres
import Store
import Synchronization

/// The example district (examples/yanshi, carried in the binary as
/// `ExampleDistrict.files`) loaded through the real import, for tests that
/// need realistic data: load it into a connection, or get a new database that
/// already holds it (copied from a template loaded once per test process).
public enum ExampleDistrictLoader {
    /// The date the example is built for.
    public static var runDate: CivilDate { CivilDate(iso: ExampleDistrict.runDate)! }

    /// Imports every file, in load order, as of the example's run date.
    @discardableResult
    public static func load(_ c: Connection, actor: String = "test") throws -> [ImportOutcome] {
        let today = runDate
        return try ExampleDistrict.files.map { file in
            var chunks = [file.bytes][...]
            return try ImportService.run(c, kind: file.kind, fileName: file.name, partial: false, today: today, actor: actor,
                                         chunks: { chunks.popFirst() })
        }
    }

    private static let template = Mutex<Result<String, TestPostgresError>?>(nil)

    /// Settings of a new migrated database holding the example district.
    public static func config() throws -> ConnectionConfig {
        let name = try template.withLock { state in
            if state == nil {
                state = Result { () throws(TestPostgresError) in
                    do {
                        let config = try MigratedDatabase.config()
                        let c = try Connection.connect(config)
                        defer { c.close() }
                        try load(c)
                        return try c.query("SELECT current_database() AS d")[0].string("d")
                    } catch {
                        throw TestPostgresError(message: "loading the example district failed: \(error)")
                    }
                }
            }
            return try state!.get()
        }
        return try TestPostgres.freshDatabase(template: name)
    }
}

extension CLIRunner {
    /// A `--database-url` for `config`, so the built binary reaches the test database.
    public static func databaseURL(for config: ConnectionConfig) -> String {
        let db = config.parameter("dbname") ?? "postgres"
        if let url = config.url, var u = URLComponents(string: url) {
            u.path = "/" + db
            return u.string ?? url
        }
        var u = URLComponents()
        u.scheme = "postgresql"
        u.host = ""
        u.path = "/" + db
        u.queryItems = ["host", "port", "user", "password"].compactMap { k in config.parameter(k).map { URLQueryItem(name: k, value: $0) } }
        return u.string!
    }
}
