import Postgres
import Testing

@Suite("Query and binds, without a server")
struct QueryTests {
    @Test("interpolated values become numbered binds and literal text stays SQL")
    func interpolationBecomesBinds() {
        let name = "O'Brien"
        let age: Int? = nil
        let q: Query = "SELECT * FROM seeker WHERE name = \(name) AND age = \(age) AND ok = \(true)"
        #expect(q.sql == "SELECT * FROM seeker WHERE name = $1 AND age = $2 AND ok = $3")
        #expect(q.binds == ["O'Brien", nil, "t"])
    }

    @Test("raw text needs the unsafe label and identifiers are quoted")
    func unsafeAndIdentifier() {
        let q: Query = "SELECT 1 FROM \(identifier: "we\"ird") ORDER BY \(unsafe: "id DESC")"
        #expect(q.sql == #"SELECT 1 FROM "we""ird" ORDER BY id DESC"#)
        #expect(q.binds.isEmpty)
    }

    @Test("array binds are text array literals with quoting", arguments: zip(
        [["a", "b"], [], ["x,y", "q\"uote", "back\\slash", "NULL", ""]],
        [#"{"a","b"}"#, "{}", #"{"x,y","q\"uote","back\\slash","NULL",""}"#]))
    func arrayLiteral(values: [String], literal: String) {
        #expect(values.postgresText == literal)
    }

    @Test("integer arrays and null elements")
    func intArrays() {
        #expect([1, -2, 3].postgresText == #"{"1","-2","3"}"#)
        #expect(["a", nil].postgresText == #"{"a",NULL}"#)
    }

    @Test("a query's description never shows bound values")
    func descriptionHidesBinds() {
        let secret = "身份证 410323199001011234"
        let q: Query = "SELECT \(secret)"
        #expect(!q.description.contains("4103"))
        #expect(q.description.contains("1 binds"))
    }

    @Test("SQLSTATE classes drive decisions")
    func sqlStateClasses() {
        #expect(SQLState("08006").isConnectionException)
        #expect(SQLState.serializationFailure.isRetryableTransactionFailure)
        #expect(SQLState.deadlockDetected.isRetryableTransactionFailure)
        #expect(!SQLState.uniqueViolation.isRetryableTransactionFailure)
        #expect(SQLState.uniqueViolation.classCode == "23")
        #expect(SQLState("XX123").description == "XX123")
        #expect(SQLState.uniqueViolation.description == "23505 unique_violation")
    }
}
