// Least privilege, proven (issue 7): deploy/roles.sql applied to a fresh
// database the way an operator does it — roles.sql, `jobmatch migrate` as the
// owner, roles.sql again — then each role connects over the socket (trust
// auth) and tries what it must not do.
//
// Serialized: the roles are cluster-wide, and roles.sql creates them with a
// check-then-create that two concurrent runs could race.

import App
import Domain
import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite(.serialized) struct PrivacyRolesTests {
    /// A database set up as deploy/roles.sql and docs/operations.md say.
    struct Deployed {
        let name: String
        let server: TestServer

        func connect(as role: String) throws -> Connection {
            try Connection.connect(server.config(database: name).with("user", role))
        }

        static func make() throws -> Deployed {
            let server = try TestPostgres.server()
            let config = try TestPostgres.freshDatabase()
            let name = config.parameter("dbname")!
            let deployed = Deployed(name: name, server: server)
            try applyRoles(deployed)
            let owner = try deployed.connect(as: "jobmatch_owner")
            defer { owner.close() }
            _ = try Migrator.migrate(owner, actor: "operator")
            try applyRoles(deployed)
            return deployed
        }

        static func applyRoles(_ d: Deployed) throws {
            let admin = d.server.admin
            var argv = [psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "jobmatch_db=\(d.name)", "-f",
                        CLIRunner.packageRoot.appendingPathComponent("deploy/roles.sql").path]
            if let url = admin.url {
                argv += ["-d", url]
            } else {
                for (flag, key) in [("-h", "host"), ("-U", "user"), ("-p", "port")] {
                    if let v = admin.parameter(key) { argv += [flag, v] }
                }
                argv += ["-d", "postgres"]
            }
            let r = try Spawn.run(argv, environment: Spawn.cleanEnvironment())
            guard r.status == 0 else {
                throw RolesNotApplied(status: r.status, output: r.stderr)
            }
        }

        static func psql() -> String {
            let candidates = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
                .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
                .map { "/usr/lib/postgresql/\($0)/bin/psql" } ?? []
            return (candidates + ["/usr/bin/psql"]).first { FileManager.default.isExecutableFile(atPath: $0) } ?? "psql"
        }
    }

    /// The SQLSTATE of what `body` threw, or nil when it did not throw.
    func sqlState(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let e as PostgresError {
            return e.sqlState?.code ?? "no sqlstate"
        } catch let e as TransactionError {
            return e.sqlState?.code ?? "no sqlstate"
        } catch {
            return "not a database error: \(error)"
        }
    }

    static let insufficientPrivilege = SQLState.insufficientPrivilege.code

    func importExampleDistrict(_ c: Connection, actor: String) throws {
        for file in ExampleDistrict.files {
            var chunks = [file.bytes][...]
            // Every file as a bulk load: the application role suspends and rebuilds
            // foreign keys and indexes only through migration 0008's functions.
            _ = try ImportService.run(c, kind: file.kind, fileName: file.name, partial: false,
                                      today: CivilDate(iso: ExampleDistrict.runDate)!, actor: actor, chunks: { chunks.popFirst() },
                                      bulkLoadMinimumRows: 1)
        }
    }

    @Test func whenTheApplicationRoleTriesDDLItIsRefused() throws {
        let d = try Deployed.make()
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        for sql in [
            "CREATE TABLE sneaky (id int)",
            "ALTER TABLE seeker ADD COLUMN sneaky text",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_trigger",
            "DROP TABLE seeker",
            "DROP TRIGGER audit_log_append_only_trigger ON audit_log",
            "CREATE INDEX sneaky_idx ON seeker (name)",
            "INSERT INTO bulk_load_suspended VALUES ('seeker', 'x', 'index', 'DROP TABLE seeker')",
            "DELETE FROM bulk_load_suspended",
            "CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "INSERT INTO schema_migration (version, name) VALUES (9999, 'sneaky')",
            "DELETE FROM schema_migration",
        ] {
            #expect(sqlState { try app.execute(unsafeSQL: sql) } == Self.insufficientPrivilege, "\(sql)")
        }
        // The bulk-load functions act on the import tables alone.
        #expect(sqlState { try app.execute(unsafeSQL: "SELECT bulk_load_suspend('audit_log')") } == "22023")
    }

    @Test func whenTheApplicationRoleTriesToRewriteTheAuditTrailItIsRefused() throws {
        let d = try Deployed.make()
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        try Audit.record(app, actor: "clerk", action: "test", subject: "roles")
        #expect(try app.query("SELECT count(*) AS n FROM audit_log WHERE actor = 'clerk'")[0].int("n") == 1)
        for sql in [
            "UPDATE audit_log SET actor = 'someone else'",
            "DELETE FROM audit_log",
            "DELETE FROM audit_log WHERE at < now() - interval '1 year'",
            "TRUNCATE audit_log",
        ] {
            #expect(sqlState { try app.execute(unsafeSQL: sql) } == Self.insufficientPrivilege, "\(sql)")
        }
        // A back-dated record gets the database's time: it cannot be pruned early.
        try app.query("INSERT INTO audit_log (actor, action, at) VALUES ('clerk', 'backdated', now() - interval '3 years')")
        #expect(try app.query("SELECT count(*) AS n FROM audit_log WHERE action = 'backdated' AND at > now() - interval '1 hour'")[0].int("n") == 1)
        // Retention through the function: never younger than 183 days.
        #expect(sqlState { try app.execute(unsafeSQL: "SELECT prune_audit_log(30)") } == "22023")
        #expect(try app.query("SELECT prune_audit_log(183) AS n")[0].int("n") == 0)
    }

    @Test func whenTheApplicationRoleImportsTheExampleDistrictItWorks() throws {
        let d = try Deployed.make()
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        try importExampleDistrict(app, actor: "clerk")
        #expect(try app.query("SELECT count(*) AS n FROM seeker")[0].int("n") == 300)
        let reviews = try Review.review(app, year: ExampleDistrict.reviewYear, jurisdiction: "CN-41-4103-410307", actor: "clerk")
        #expect(!reviews.isEmpty)
        #expect(try app.query("SELECT count(*) AS n FROM audit_log WHERE actor = 'clerk' AND action = 'import'")[0].int("n")
                == ExampleDistrict.files.count)
        #expect(try app.query("SELECT count(*) AS n FROM audit_log WHERE actor = 'clerk' AND action = 'review'")[0].int("n") == 1)
        // Operational pruning works for the application, and is audited.
        _ = try Retention.prune(app, olderThanDays: 0, auditOlderThanDays: 183, actor: "clerk")
        #expect(try app.query("SELECT count(*) AS n FROM audit_log WHERE action = 'prune'")[0].int("n") == 1)
    }

    @Test func whenTheReportingRoleTriesToWriteAnywhereItIsRefused() throws {
        let d = try Deployed.make()
        let owner = try d.connect(as: "jobmatch_owner")
        defer { owner.close() }
        let report = try d.connect(as: "jobmatch_report")
        defer { report.close() }
        #expect(try report.query("SELECT count(*) AS n FROM policy_parameter")[0].int("n") > 0)
        // No privilege beyond SELECT on any table, no sequence, no function that writes.
        let granted = try owner.query("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S')
              AND (has_table_privilege('jobmatch_report', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                   OR (c.relkind = 'S' AND has_sequence_privilege('jobmatch_report', c.oid, 'USAGE, UPDATE')))
            """).map { try $0.string("relname") }
        #expect(granted == [])
        #expect(try owner.query("SELECT has_function_privilege('jobmatch_report', 'prune_audit_log(integer)', 'EXECUTE') AS b")[0].bool("b") == false)
        // And in practice, table by table.
        let tables = try owner.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").map { try $0.string("tablename") }
        #expect(tables.count >= 15)
        for t in tables {
            let q = Query.quoteIdentifier(t)
            let column = Query.quoteIdentifier(try owner.query(Query(unsafeSQL:
                "SELECT attname::text AS a FROM pg_attribute WHERE attrelid = '\(q)'::regclass AND attnum = 1"))[0].string("a"))
            #expect(sqlState { try report.execute(unsafeSQL: "SELECT * FROM \(q) LIMIT 1") } == nil, "SELECT \(t)")
            for sql in ["INSERT INTO \(q) DEFAULT VALUES", "UPDATE \(q) SET \(column) = \(column)", "DELETE FROM \(q)", "TRUNCATE \(q)"] {
                let state = sqlState { try report.execute(unsafeSQL: sql) }
                #expect(state == Self.insufficientPrivilege, "\(sql): \(state ?? "succeeded")")
            }
        }
        #expect(sqlState { try report.execute(unsafeSQL: "CREATE TABLE sneaky (id int)") } == Self.insufficientPrivilege)
        #expect(sqlState { try report.execute(unsafeSQL: "CREATE TEMP TABLE sneaky (id int)") } == Self.insufficientPrivilege)
    }

    @Test func whenAuditRecordsAreYoungerThanSixMonthsNoOneDeletesThem() throws {
        let d = try Deployed.make()
        let owner = try d.connect(as: "jobmatch_owner")
        defer { owner.close() }
        // The owner may write a time of its own (tests of retention, migrations).
        try owner.query("""
            INSERT INTO audit_log (actor, action, at) VALUES
              ('old', 'test', now() - interval '200 days'),
              ('older', 'test', now() - interval '400 days'),
              ('young', 'test', now() - interval '170 days'),
              ('fresh', 'test', now())
            """)
        for actor in ["young", "fresh"] {
            #expect(sqlState { try owner.execute(unsafeSQL: "DELETE FROM audit_log WHERE actor = '\(actor)'") } == Self.insufficientPrivilege)
        }
        #expect(sqlState { try owner.execute(unsafeSQL: "UPDATE audit_log SET actor = 'x' WHERE actor = 'old'") } == Self.insufficientPrivilege)
        #expect(sqlState { try owner.execute(unsafeSQL: "TRUNCATE audit_log") } == Self.insufficientPrivilege)
        try owner.execute(unsafeSQL: "DELETE FROM audit_log WHERE actor = 'older'")
        // The application prunes through the function: the 200-day record goes, the 170-day one stays.
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        #expect(throws: Retention.RefusedError.auditTooYoung(days: 182)) {
            try Retention.prune(app, olderThanDays: 30, auditOlderThanDays: 182, actor: "clerk")
        }
        let pruned = try Retention.prune(app, olderThanDays: 30, auditOlderThanDays: 183, actor: "clerk")
        #expect(pruned.auditRecords == 1)
        let left = Set(try owner.query("SELECT actor FROM audit_log WHERE action = 'test'").map { try $0.string("actor") })
        #expect(left == ["young", "fresh"])
    }

    @Test func whenADatabaseErrorQuotesPersonalDataTheServerLogDoesNotKeepIt() throws {
        // roles.sql sets log_error_verbosity = terse on the database: no DETAIL (`Key (…)=(…)`).
        let d = try Deployed.make()
        guard let logFile = d.server.cluster?.logFile else { return }  // an external server: its log is not ours to read
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        try importExampleDistrict(app, actor: "clerk")
        let cert = try app.query("SELECT certificate_no FROM seeker ORDER BY certificate_no LIMIT 1")[0].string("certificate_no")
        let marker = "privacy-\(UUID().uuidString)"
        // A unique violation whose DETAIL would quote the certificate number (`Key (certificate_no)=(…)`).
        #expect(sqlState {
            try app.execute(unsafeSQL: "/* \(marker) */ INSERT INTO seeker SELECT * FROM seeker WHERE certificate_no = '\(cert)'")
        } == SQLState.uniqueViolation.code)
        // Booleans first: a failing #expect would print the log it looked at.
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        let errorLogged = log.contains("duplicate key value violates unique constraint \"seeker_pkey\"")
        let statementLogged = log.contains(marker)
        let numberLogged = log.contains(String(cert.prefix(18)))
        #expect(errorLogged, "the error reached the server log")
        #expect(!statementLogged, "the statement was logged")
        #expect(!numberLogged, "the certificate number was logged")
    }
}

/// `psql -f deploy/roles.sql` failed.
struct RolesNotApplied: Error, CustomStringConvertible {
    let status: Int32
    let output: String
    var description: String { "psql -f deploy/roles.sql exited \(status): \(output)" }
}
