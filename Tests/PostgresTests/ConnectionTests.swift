import Dispatch
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Connection against a real PostgreSQL")
struct ConnectionTests {
    @Test("when a unique constraint is violated, the error carries SQLSTATE 23505 and the constraint name, not the value")
    func uniqueViolation() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: """
                CREATE TABLE seeker (seeker_id int PRIMARY KEY, id_number text NOT NULL,
                                     CONSTRAINT seeker_id_number_key UNIQUE (id_number))
                """)
            try db.query("INSERT INTO seeker VALUES (1, \("410323199001011234"))")
            let error = postgresError { try db.query("INSERT INTO seeker VALUES (2, \("410323199001011234"))") }
            #expect(error?.sqlState == .uniqueViolation)
            #expect(error?.constraint == "seeker_id_number_key")
            #expect(error?.table == "seeker")
            #expect(error?.kind == .query)
            #expect(error?.operation == "PQsendQueryParams")
            #expect(error?.file.hasSuffix("ConnectionTests.swift") == true)
            #expect(error?.detail?.contains("410323199001011234") == true)  // the server's DETAIL quotes the row…
            #expect(error.map { !$0.description.contains("4103") } == true)  // …which description never shows
            #expect(error?.debugDescription.contains("410323199001011234") == true)
            #expect(try db.query("SELECT 1 AS one").first?.int("one") == 1)
        }
    }

    @Test("when the SQL has a syntax error, the error has 42601 and the position")
    func syntaxError() throws {
        try withFreshConnection { db throws in
            let error = postgresError { try db.query("SELECT FROM WHERE nonsense") }
            #expect(error?.sqlState == .syntaxError)
            #expect(error?.position == 13)
            #expect(error?.severity == "ERROR")
            #expect(db.isConnected)
        }
    }

    @Test("when nothing listens on the socket, connect fails with kind .connect")
    func connectionRefused() throws {
        let config = ConnectionConfig(url: nil).with("host", "/nonexistent-jobmatch-socket-dir").with("connect_timeout", "2")
        let error = postgresError { _ = try Connection.connect(config) }
        #expect(error?.kind == .connect)
        #expect(error?.operation == "PQconnectdbParams")
        #expect(error?.sqlState == nil)
        #expect(error?.description.contains("nonexistent-jobmatch-socket-dir") == true)  // libpq's own message is kept
        let tcp = ConnectionConfig(url: "postgresql://127.0.0.1:1/x?connect_timeout=2")
        #expect(postgresError { _ = try Connection.connect(tcp) }?.kind == .connect)
    }

    @Test("a URL and later keywords combine, later keywords winning")
    func urlAndKeywords() throws {
        let server = try TestPostgres.server()
        let name = try TestPostgres.freshDatabase().parameter("dbname")!
        let viaURL = try Connection.connect(server.admin.with("dbname", name).with("application_name", "jobmatch-test"))
        defer { viaURL.close() }
        let row = try viaURL.query("SELECT current_database() AS db, current_setting('application_name') AS app").first!
        #expect(try row.string("db") == name)
        #expect(try row.string("app") == "jobmatch-test")
    }

    @Test("when the server terminates the session, the statement fails as connectionLost and reset() reconnects")
    func terminatedSession() throws {
        let config = try TestPostgres.freshDatabase()
        let victim = try Connection.connect(config)
        defer { victim.close() }
        let killer = try Connection.connect(config)
        defer { killer.close() }
        let oldPID = victim.backendPID
        let terminated = try killer.query("SELECT pg_terminate_backend(\(oldPID)) AS ok").first?.bool("ok")
        #expect(terminated == true)
        // Wait until the backend is gone, so the next statement meets a closed socket.
        for _ in 0..<200 where try killer.query("SELECT 1 FROM pg_stat_activity WHERE pid = \(oldPID)").count > 0 {
            usleep(10_000)
        }
        let lost = postgresError { try victim.query("SELECT 1") }
        guard case .connectionLost = lost?.kind else {
            Issue.record("expected connectionLost, got \(String(describing: lost))")
            return
        }
        #expect(lost?.isConnectionFailure == true)
        #expect(!victim.isConnected)
        // Now libpq knows the connection is bad: nothing can be sent, so it certainly did not run.
        let notSent = postgresError { try victim.query("INSERT INTO nowhere VALUES (1)") }
        #expect(notSent?.kind == .connectionLost(maybeExecuted: false))
        try victim.reset()
        #expect(victim.isConnected)
        #expect(victim.backendPID != oldPID)
        #expect(try victim.query("SELECT 2 AS two").first?.int("two") == 2)
    }

    @Test("queryPrepared prepares a statement once per session, binds each run, and prepares again after reset()")
    func preparedOncePerSession() throws {
        let config = try TestPostgres.freshDatabase()
        let db = try Connection.connect(config)
        defer { db.close() }
        func preparedCount() throws -> Int { try db.query("SELECT count(*)::int AS n FROM pg_prepared_statements")[0].int("n") }
        for word in ["残疾人", "'); DROP TABLE x;--", "就业"] {
            #expect(try db.queryPrepared("SELECT \(word)::text || '!' AS w")[0].string("w") == word + "!")
        }
        #expect(try db.queryPrepared("SELECT \(2)::int * 3 AS n")[0].int("n") == 6)
        #expect(try preparedCount() == 2)  // one per SQL text, whatever the binds
        let failed = postgresError { try db.queryPrepared("SELECT 1 / \(0)::int AS n") }
        #expect(failed?.sqlState == SQLState("22012"))  // division by zero: an error, and the session goes on
        let killer = try Connection.connect(config)
        defer { killer.close() }
        let oldPID = db.backendPID
        _ = try killer.query("SELECT pg_terminate_backend(\(oldPID))")
        for _ in 0..<200 where try killer.query("SELECT 1 FROM pg_stat_activity WHERE pid = \(oldPID)").count > 0 { usleep(10_000) }
        _ = postgresError { try db.query("SELECT 1") }
        try db.reset()
        #expect(try db.queryPrepared("SELECT \("again")::text || '!' AS w")[0].string("w") == "again!")
        #expect(try preparedCount() == 1)
    }

    @Test func aSessionSettingIsSentOnlyWhenItChangesAndAgainAfterARollbackOrAReset() throws {
        let config = try TestPostgres.freshDatabase()
        let db = try Connection.connect(config)
        defer { db.close() }
        func current() throws -> String { try db.query("SELECT coalesce(current_setting('jobmatch.regions', true), '') AS v")[0].string("v") }
        try db.setSessionSetting("jobmatch.regions", "T1")
        #expect(try current() == "T1")
        // Changed behind its back (which the web never does): the same value is not sent again,
        // which is how the skipped round trip shows.
        try db.query("SELECT set_config('jobmatch.regions', 'X', false)")
        try db.setSessionSetting("jobmatch.regions", "T1")
        #expect(try current() == "X")
        try db.setSessionSetting("jobmatch.regions", "T2")
        #expect(try current() == "T2")
        // Set inside a transaction that rolls back: sent, not remembered, so sent again after.
        struct Undo: Error {}
        _ = try? db.transaction { c in
            try c.setSessionSetting("jobmatch.regions", "*")
            #expect(try c.query("SELECT current_setting('jobmatch.regions') AS v")[0].string("v") == "*")
            throw Undo()
        }
        #expect(try current() == "T2")
        try db.setSessionSetting("jobmatch.regions", "*")
        #expect(try current() == "*")
        // A new server session (reset) starts from nothing: the setting is sent again.
        try db.reset()
        #expect(try current() == "")
        try db.setSessionSetting("jobmatch.regions", "*")
        #expect(try current() == "*")
    }

    @Test("hostile, astral and NULL binds round-trip byte for byte", arguments: [
        "'); DROP TABLE x;--", "😀👩🏽‍🦽", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠀀𪚥", "残疾人就业保障金", "tab\there\nnew\r\nline", #"back\slash \N "quote""#,
        "", " ", "$1", nil,
    ] as [String?])
    func bindsRoundTrip(value: String?) throws {
        try withFreshConnection { db throws in
            let row = try db.query("SELECT \(value)::text AS v, octet_length(\(value)::text) AS n").first!
            #expect(row["v"] == value)
            #expect(try row.optionalInt("n") == value.map { $0.utf8.count })
            try db.execute(unsafeSQL: "CREATE TABLE t (v text)")
            try db.copyIn("COPY t (v) FROM STDIN") { w in try w.append(row: [value]) }
            #expect(try db.query("SELECT v FROM t").first?["v"] == value)
            var copied = Data()
            try db.copyOut("COPY t TO STDOUT") { copied.append(contentsOf: $0) }
            #expect(copied.last == 0x0A)
        }
    }

    @Test("array binds round-trip through text[] and int[]")
    func arrayBinds() throws {
        try withFreshConnection { db throws in
            let words = ["a,b", "q\"uote", #"back\slash"#, "{brace}", "NULL", "", "😀"]
            let rows = try db.query("SELECT unnest(\(words)::text[]) AS w")
            #expect(rows.map { $0["w"] } == words)
            #expect(try db.query("SELECT sum(x) AS s FROM unnest(\([1, 2, 39])::int[]) AS x").first?.int("s") == 42)
            // And back as one text[] value, parsed from PostgreSQL's array syntax (a NULL element is left out).
            let back = try db.query("SELECT array_append(\(words)::text[], NULL) AS a, '{}'::text[] AS e, NULL::text[] AS n")[0]
            #expect(try back.stringArray("a") == words)
            #expect(try back.stringArray("e") == [])
            #expect(try back.stringArray("n") == [])
        }
    }

    @Test("a bind with a NUL character is refused before sending")
    func nulBindRefused() throws {
        try withFreshConnection { db throws in
            let error = postgresError { try db.query("SELECT \("a\u{0}b")::text") }
            #expect(error?.kind == .query)
            #expect(error?.message?.contains("$1") == true)
            #expect(db.isConnected)
        }
    }

    @Test("prepared statements run repeatedly with different binds")
    func preparedStatements() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE opening (opening_id int PRIMARY KEY, title text)")
            try db.prepare(name: "insert_opening", sql: "INSERT INTO opening VALUES ($1, $2)")
            for (id, title) in [(1, "客服"), (2, nil as String?), (3, "仓储")] {
                let rows = try db.executePrepared(name: "insert_opening", binds: [String(id), title])
                #expect(rows.affectedRows == 1)
            }
            let rows = try db.query("SELECT opening_id, title FROM opening ORDER BY opening_id")
            #expect(rows.count == 3)
            #expect(rows.columns == ["opening_id", "title"])
            #expect(rows[1]["title"] == nil)
            #expect(try rows[2].string("title") == "仓储")
            let missing = postgresError { try db.executePrepared(name: "no_such_statement", binds: []) }
            #expect(missing?.sqlState == SQLState("26000"))
        }
    }

    @Test("row accessors throw typed errors naming the column, never the value")
    func rowDecodingErrors() throws {
        try withFreshConnection { db throws in
            let row = try db.query("SELECT 'x' AS word, NULL::int AS nothing, 't'::bool AS yes, 9007199254740993::int8 AS big").first!
            #expect(throws: RowDecodingError(column: "word", reason: .invalidText(expected: "Int"))) { try row.int("word") }
            #expect(throws: RowDecodingError(column: "nothing", reason: .unexpectedNull)) { try row.int("nothing") }
            #expect(throws: RowDecodingError(column: "absent", reason: .noSuchColumn)) { try row.string("absent") }
            #expect(try row.optionalInt("nothing") == nil)
            #expect(try row.bool("yes"))
            #expect(try row.int64("big") == 9_007_199_254_740_993)
            #expect(try row.string("nothing", default: "-") == "-")
        }
    }

    @Test("several statements run through the simple protocol, stopping at the first error")
    func executeScript() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE a (x int); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);")
            #expect(try db.query("SELECT count(*) AS n FROM a").first?.int("n") == 2)
            let error = postgresError { try db.execute(unsafeSQL: "INSERT INTO a VALUES (3); SELECT 1/0; INSERT INTO a VALUES (4);") }
            #expect(error?.sqlState == SQLState("22012"))
            #expect(try db.query("SELECT count(*) AS n FROM a").first?.int("n") == 2)  // one implicit transaction
        }
    }

    @Test("a COPY sent through query() is a protocol violation and the connection stays usable")
    func copyThroughQuery() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE t (x int)")
            #expect(postgresError { try db.query("COPY t FROM STDIN") }?.kind == .protocolViolation)
            #expect(postgresError { try db.query("COPY t TO STDOUT") }?.kind == .protocolViolation)
            #expect(try db.query("SELECT 1 AS one").first?.int("one") == 1)
        }
    }

    @Test("cancelCurrentQuery from another thread stops a running statement with 57014")
    func cancelFromAnotherThread() throws {
        try withFreshConnection { db throws in
            let started = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                started.wait()
                usleep(200_000)
                db.cancelCurrentQuery()
            }
            let clock = ContinuousClock()
            let begin = clock.now
            let error = postgresError {
                started.signal()
                try db.query("SELECT pg_sleep(30)")
            }
            #expect(error?.sqlState == .queryCanceled)
            #expect(clock.now - begin < .seconds(10))
            #expect(try db.query("SELECT 1 AS one").first?.int("one") == 1)
        }
    }

    @Test("close() is idempotent")
    func closeTwice() throws {
        let db = try TestPostgres.freshConnection()
        db.close()
        db.close()
        #expect(!db.isConnected)
    }
}
