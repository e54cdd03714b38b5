import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Transactions keep every failure")
struct TransactionTests {
    @Test("when the body throws, the transaction rolls back and the body's error is kept")
    func bodyErrorRollsBack() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE placement (placement_id int PRIMARY KEY)")
            do {
                try db.transaction { tx in
                    try tx.query("INSERT INTO placement VALUES (1)")
                    throw ExpectedFailure(tag: "body")
                }
                Issue.record("transaction should have thrown")
            } catch let error as TransactionError {
                #expect(error.body as? ExpectedFailure == ExpectedFailure(tag: "body"))
                #expect(error.rollback == nil)
                #expect(error.commit == nil)
                #expect(error.begin == nil)
            }
            #expect(try db.query("SELECT count(*) AS n FROM placement").first?.int("n") == 0)
        }
    }

    @Test("when COMMIT fails on a deferred constraint, the commit error is kept with its SQLSTATE")
    func deferredConstraintFailsCommit() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: """
                CREATE TABLE employer (employer_id int PRIMARY KEY);
                CREATE TABLE opening (opening_id int PRIMARY KEY, employer_id int,
                  CONSTRAINT opening_employer_fk FOREIGN KEY (employer_id) REFERENCES employer
                  DEFERRABLE INITIALLY DEFERRED);
                """)
            do {
                try db.transaction(isolation: .serializable) { tx in
                    try tx.query("INSERT INTO opening VALUES (1, \(42))")
                }
                Issue.record("commit should have failed")
            } catch let error as TransactionError {
                #expect(error.body == nil)
                #expect(error.commit?.sqlState == .foreignKeyViolation)
                #expect(error.commit?.constraint == "opening_employer_fk")
                #expect(error.sqlState == .foreignKeyViolation)
                #expect(!error.isRetryable)
            }
            #expect(try db.query("SELECT count(*) AS n FROM opening").first?.int("n") == 0)
        }
    }

    @Test("when the body swallows a statement error, COMMIT answers ROLLBACK and that is a commit failure")
    func swallowedErrorIsCommitFailure() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE t (x int PRIMARY KEY); INSERT INTO t VALUES (1)")
            do {
                try db.transaction { tx in
                    try tx.query("INSERT INTO t VALUES (2)")
                    _ = try? tx.query("INSERT INTO t VALUES (1)")
                }
                Issue.record("commit should have failed")
            } catch let error as TransactionError {
                #expect(error.commit?.kind == .transaction)
                #expect(error.body == nil)
            }
            #expect(try db.query("SELECT count(*) AS n FROM t").first?.int("n") == 1)
        }
    }

    @Test("a committed transaction returns the body's value, read-only transactions refuse writes")
    func commitAndReadOnly() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE t (x int)")
            let n = try db.transaction(isolation: .repeatableRead) { tx in
                try tx.query("INSERT INTO t VALUES (1), (2)").affectedRows
            }
            #expect(n == 2)
            do {
                try db.transaction(readOnly: true) { tx in try tx.query("INSERT INTO t VALUES (3)") }
                Issue.record("read-only transaction should refuse writes")
            } catch let error as TransactionError {
                #expect((error.body as? PostgresError)?.sqlState == SQLState("25006"))
            }
        }
    }

    @Test("when the connection dies inside the body, both the body and the rollback failures are kept")
    func connectionLostInBody() throws {
        let config = try TestPostgres.freshDatabase()
        let db = try Connection.connect(config)
        defer { db.close() }
        do {
            try db.transaction { tx in
                try tx.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            Issue.record("transaction should have thrown")
        } catch {
            #expect((error.body as? PostgresError)?.isConnectionFailure == true)
            #expect(error.rollback?.kind == .connectionLost(maybeExecuted: false))
        }
    }
}
