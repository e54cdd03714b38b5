import Domain
import Foundation
import Intake
import Postgres
import Store
import TestSupport
import Testing

/// Bulk loads (migration 0008): a large import suspends a table's foreign keys and
/// secondary indexes and builds them again before commit. The example district is
/// small, so these tests lower the threshold to make every file a bulk load.
@Suite struct BulkLoadTests {
    /// Every index and constraint of the import tables, as the catalog defines them.
    func schema(_ c: Connection) throws -> [String] {
        try c.query("""
            SELECT c.relname || ' ' || pg_get_indexdef(i.indexrelid) AS d
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public'
            UNION ALL
            SELECT k.conrelid::regclass::text || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) || ' ' || k.convalidated::text
            FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = 'public'
            ORDER BY 1
            """).map { try $0.string("d") }
    }

    @Test func whenEveryFileLoadsInBulkTheRowsAndTheSchemaAreThoseOfARowByRowLoad() throws {
        let bulk = try MigratedDatabase.connect()
        defer { bulk.close() }
        let rowByRow = try MigratedDatabase.connect()
        defer { rowByRow.close() }
        let schemaBefore = try schema(bulk)
        for f in ExampleDistrict.files {
            let a = try importBytes(bulk, f.kind, f.bytes, name: f.name, bulkLoadMinimumRows: 1)
            let b = try importBytes(rowByRow, f.kind, f.bytes, name: f.name)
            #expect(a.inserted == b.inserted && a.updated == 0 && a.accepted == b.accepted, "\(f.name)")
        }
        for t in importedTables where t != "audit_log" {
            #expect(try dump(bulk, t) == dump(rowByRow, t), "\(t) differs between a bulk and a row-by-row load")
        }
        #expect(try dump(bulk, "possible_duplicate") == dump(rowByRow, "possible_duplicate"))
        // Every foreign key and index is back, validated, as the migrations made it.
        #expect(try schema(bulk) == schemaBefore)
        #expect(try bulk.query("SELECT count(*) AS n FROM bulk_load_suspended")[0].int("n") == 0)
        let audited = try bulk.query("SELECT detail->>'bulk_load' AS b FROM audit_log WHERE action = 'import'").map { try $0.string("b") }
        #expect(audited == Array(repeating: "yes", count: ExampleDistrict.files.count))
        // Loading the same files again adds nothing: row by row, and nothing changes.
        for f in ExampleDistrict.files {
            let again = try importBytes(bulk, f.kind, f.bytes, name: f.name, bulkLoadMinimumRows: 1)
            #expect(again.inserted == 0 && again.updated == 0, "\(f.name)")
        }
        #expect(try bulk.query("SELECT count(*) FILTER (WHERE detail->>'bulk_load' = 'yes') AS n FROM audit_log")[0].int("n")
                == ExampleDistrict.files.count)
    }

    @Test func whenARebuiltForeignKeyFindsABrokenReferenceNothingIsWrittenAndTheSchemaIsWhole() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .seekers)
            let before = try schema(c)
            let households = try count(c, "household")
            // Stands in for a change the import did not see: once the seekers are in,
            // a household they refer to disappears (its foreign key is suspended).
            let (header, records) = try exampleRecords(.seekers)
            let column = header.firstIndex(of: "household_id")!
            let victim = try #require(records.first { !$0[column].isEmpty })[column]
            try c.execute(unsafeSQL: """
                CREATE FUNCTION test_drop_household() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN DELETE FROM household WHERE household_id = '\(victim)'; RETURN NULL; END $$;
                CREATE TRIGGER test_drop_household AFTER INSERT ON seeker FOR EACH STATEMENT EXECUTE FUNCTION test_drop_household();
                """)
            do {
                try importBytes(c, .seekers, exampleFile(.seekers), bulkLoadMinimumRows: 1)
                Issue.record("a load that broke a reference was committed")
            } catch {
                #expect("\(error)".contains("seeker_household_fk"), "\(error)")
            }
            try c.execute(unsafeSQL: "DROP TRIGGER test_drop_household ON seeker; DROP FUNCTION test_drop_household()")
            #expect(try count(c, "seeker") == 0)
            #expect(try count(c, "household") == households)
            #expect(try schema(c) == before)
            #expect(try c.query("SELECT count(*) AS n FROM bulk_load_suspended")[0].int("n") == 0)
        }
    }

    @Test func whenATransactionSuspendsATableAndDoesNotRestoreItItCannotCommit() throws {
        try withMigratedDatabase { c in
            let before = try schema(c)
            try c.execute(unsafeSQL: "BEGIN")
            let dropped = try c.query("SELECT bulk_load_suspend('seeker') AS n")[0].int("n")
            #expect(dropped == 6)  // two foreign keys; the town, household, name+birth date and resident-ID indexes
            do {
                try c.execute(unsafeSQL: "COMMIT")
                Issue.record("a transaction left seeker suspended and committed")
            } catch let e as PostgresError {
                #expect(e.sqlState == SQLState("23000"))
                #expect(e.message?.contains("suspended for a bulk load and not restored") == true)
            }
            #expect(try schema(c) == before)
        }
    }

    @Test func whenAskedToSuspendATableThatIsNotAnImportTableItRefuses() throws {
        try withMigratedDatabase { c in
            for table in ["audit_log", "proposal", "seeker; DROP TABLE seeker", ""] {
                do {
                    _ = try c.query("SELECT bulk_load_suspend(\(table)) AS n")
                    Issue.record("suspended \(table)")
                } catch let e as PostgresError {
                    #expect(e.sqlState == SQLState("22023"), "\(table): \(e)")
                }
            }
        }
    }
}
