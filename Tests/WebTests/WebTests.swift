// The front desk against a real PostgreSQL: the router in-process (HummingbirdTesting),
// its pool logged in as the web's database role so row-level security applies.

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Store
import Testing
import TestSupport
@testable import Web

/// A migrated database with two towns (T1 with sub-region T1A, and T2), a seeker in
/// each, accounts of every role and a token limited to T2.
struct WebFixture {
    let admin: Connection
    let webConfig: ConnectionConfig
    let pool: SessionPool
    var seekers: [String: String] = [:]  // town → seeker_id
    static let password = "correct horse battery"
    static let certificates = ["T1": "41030719800101123X21", "T1A": "41030719900202234531", "T2": "41030720000303345642"]

    init(poolSize: Int = 2) throws {
        let config = try MigratedDatabase.config()
        admin = try Connection.connect(config)
        // The web's role (cluster-wide; deploy/roles.sql makes it in production).
        try admin.execute(unsafeSQL: """
            DO $$ BEGIN CREATE ROLE jobmatch_web LOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
            """)
        try admin.execute(unsafeSQL: """
            GRANT USAGE ON SCHEMA public TO jobmatch_web;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO jobmatch_web;
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO jobmatch_web;
            INSERT INTO region (code, name, parent_code) VALUES ('T1', '首阳山', NULL), ('T1A', '首阳山东', 'T1'), ('T2', '岳滩', NULL);
            """)
        for (town, cert) in Self.certificates {
            let row = try admin.query("""
                INSERT INTO seeker (certificate_no, resident_id, name, town_code, phone)
                VALUES (\(cert), \(String(cert.prefix(18))), \("张三" + town), \(town), '13800138000') RETURNING seeker_id
                """)
            seekers[town] = try row[0].string("seeker_id")
        }
        let hash = Secrets.hashPassword(Self.password)
        try AccountStore.addUser(admin, username: "root", role: .admin, passwordHash: hash, regions: [], actor: "test")
        try AccountStore.addUser(admin, username: "alice", role: .staff, passwordHash: hash, regions: ["T1"], actor: "test")
        try AccountStore.addUser(admin, username: "vera", role: .viewer, passwordHash: hash, regions: [], actor: "test")
        webConfig = config.with("user", "jobmatch_web")
        pool = SessionPool(webConfig, options: .init(size: poolSize))
    }

    func app(_ configure: (inout WebConfiguration) -> Void = { _ in }) -> Application<RouterResponder<WebContext>> {
        var c = WebConfiguration(host: "127.0.0.1", port: 0)
        c.maxFailedLogins = 3
        configure(&c)
        return makeWebApplication(pool: pool, configuration: c)
    }

    func audit(_ action: String) throws -> Int {
        try admin.query("SELECT count(*)::int AS n FROM audit_log WHERE action = \(action)")[0].int("n")
    }

    func close() {
        pool.shutdown()
        admin.close()
    }
}

/// A signed-in cookie session.
struct Session {
    var cookie: String
    var csrf: String

    func headers(csrf withToken: Bool = false, json: Bool = false) -> HTTPFields {
        var h: HTTPFields = [.cookie: "jobmatch_session=\(cookie)"]
        if withToken { h[HTTPField.Name("X-CSRF-Token")!] = csrf }
        if json { h[.contentType] = "application/json" }
        return h
    }
}

func text(_ r: TestResponse) -> String { String(buffer: r.body) }

/// The body as a JSON object ([:] when it is not one: the expectations then fail).
func json(_ r: TestResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text(r).utf8))) as? [String: Any] ?? [:]
}

func errorCode(_ r: TestResponse) -> String? {
    (json(r)["error"] as? [String: Any])?["code"] as? String
}

func signIn(_ client: some TestClientProtocol, _ user: String, password: String = WebFixture.password) async throws -> Session {
    let body = #"{"username":"\#(user)","password":"\#(password)"}"#
    return try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                    body: ByteBuffer(string: body)) { r in
        #expect(r.status == .ok, "sign-in of \(user): \(text(r))")
        let setCookie = r.headers[.setCookie] ?? ""
        // A failed sign-in has no cookie: the expectation above fails, the process does not crash.
        let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
        return Session(cookie: value, csrf: json(r)["csrf_token"] as? String ?? "")
    }
}

@Suite struct WebAPITests {
    @Test func openAPIDocumentIsTheCommittedFileAndIsServed() async throws {
        let file = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("openapi/openapi.yaml"), encoding: .utf8)
        #expect(OpenAPIDocument.yaml + "\n" == file, "run scripts/embed-sql: Sources/Web/OpenAPIDocument.generated.swift comes from openapi/openapi.yaml")
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/openapi.yaml", method: .get) { r in
                #expect(r.status == .ok)
                #expect(text(r).hasPrefix("openapi: 3.1.0"))
            }
        }
    }

    @Test func aDatabaseThatWentAwayIs503InWordsAndThePoolReopens() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "root")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in #expect(r.status == .ok) }
            // A restart or a failover as the pool sees it: every session of the web in this database ends.
            _ = try f.admin.query("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE usename = 'jobmatch_web' AND datname = current_database()
                """)
            for _ in 0..<100 where try f.admin.query("""
                SELECT 1 FROM pg_stat_activity WHERE usename = 'jobmatch_web' AND datname = current_database()
                """).count > 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in
                #expect(r.status == .serviceUnavailable, "\(text(r))")
                #expect(errorCode(r) == "database_unavailable")
                #expect(text(r).contains("数据库暂时不可用"))
            }
            // The pool reopened its sessions: the next request is answered.
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in #expect(r.status == .ok) }
        }
    }

    @Test func withoutSessionOrTokenIs401InTheRequestsLanguage() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/seekers", method: .get) { r in
                #expect(r.status == .unauthorized)
                #expect(errorCode(r) == "unauthenticated")
                #expect(text(r).contains("请先登录"))
                #expect(r.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: [.acceptLanguage: "en-US,en;q=0.9"]) { r in
                #expect(text(r).contains("Sign in first"))
            }
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: [.authorization: "Bearer nonsense"]) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func signInSetsAStrictHttpOnlySecureCookieAndIsAudited() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"username":"alice","password":"\#(WebFixture.password)"}"#)) { r in
                #expect(r.status == .ok)
                let c = r.headers[.setCookie] ?? ""
                #expect(c.hasPrefix("jobmatch_session="))
                #expect(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"))
                #expect(json(r)["role"] as? String == "staff")
            }
        }
        #expect(try f.audit("login") == 1)
        // Stored hashed: no row holds the cookie's value.
        let stored = try f.admin.query("SELECT session_hash FROM web_session")[0].string("session_hash")
        #expect(stored.count == 64)
    }

    @Test func failedSignInsAreAuditedAndLockTheAccount() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: #"{"username":"alice","password":"wrong"}"#)) { r in
                    #expect(r.status == .unauthorized)
                    #expect(errorCode(r) == "bad_login")
                }
            }
            // The third failure in a row (maxFailedLogins = 3) locks; then even the right password is refused.
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"username":"alice","password":"wrong"}"#)) { r in
                #expect(r.status == .tooManyRequests)
            }
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"username":"alice","password":"\#(WebFixture.password)"}"#)) { r in
                #expect(r.status == .tooManyRequests)
                #expect(errorCode(r) == "locked")
            }
            // An unknown user: the same answer as a wrong password.
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"username":"nobody","password":"x"}"#)) { r in
                #expect(r.status == .unauthorized)
                #expect(errorCode(r) == "bad_login")
            }
            // A name with a NUL character (text PostgreSQL cannot hold; schemathesis sent one): the same answer, not a 500.
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"username":"ali\u0000ce","password":"x"}"#)) { r in
                #expect(r.status == .unauthorized)
                #expect(errorCode(r) == "bad_login")
            }
        }
        #expect(try f.audit("login.failed") == 5)
        #expect(try f.audit("login") == 0)
        // `user passwd` lifts the lock.
        try AccountStore.setPassword(f.admin, username: "alice", passwordHash: Secrets.hashPassword("another password"), actor: "test")
        try await f.app().test(.router) { client in _ = try await signIn(client, "alice", password: "another password") }
    }

    @Test func regionScopingListsOnlyTheUsersRegionsAndHidesOthersAs404() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                let towns = (json(r)["items"] as? [[String: Any]] ?? []).compactMap { $0["town_code"] as? String }.sorted()
                #expect(towns == ["T1", "T1A"])  // T1 and its sub-region, not T2
                #expect(!text(r).contains("41030719800101123X21"))  // masked
            }
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T2"]!)", method: .get, headers: s.headers()) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/seekers?region=T2", method: .get, headers: s.headers()) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/seekers/search", method: .post, headers: s.headers(csrf: true, json: true),
                                     body: ByteBuffer(string: #"{"certificate_no":"\#(WebFixture.certificates["T2"]!)"}"#)) { r in
                #expect(r.status == .ok)
                #expect((json(r)["items"] as? [Any])?.count == 0)
            }
            try await client.execute(uri: "/api/v1/seekers/search", method: .post, headers: s.headers(csrf: true, json: true),
                                     body: ByteBuffer(string: #"{"certificate_no":"\#(WebFixture.certificates["T1"]!)"}"#)) { r in
                let items = json(r)["items"] as? [[String: Any]] ?? []
                #expect(items.count == 1 && items.first?["seeker_id"] as? String == f.seekers["T1"])
            }
            // A run of another region is refused, and nothing is queued.
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: s.headers(csrf: true, json: true),
                                     body: ByteBuffer(string: #"{"region":"T2"}"#)) { r in
                #expect(r.status == .unprocessableContent)
            }
        }
        #expect(try f.admin.query("SELECT count(*)::int AS n FROM match_request")[0].int("n") == 0)
    }

    @Test func cursorPaginationWalksEverySeekerOnce() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "root")
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/seekers?limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")
                cursor = try await client.execute(uri: uri, method: .get, headers: s.headers()) { r in
                    let body = json(r)
                    seen += (body["items"] as? [[String: Any]] ?? []).compactMap { $0["seeker_id"] as? String }
                    return body["next_cursor"] as? String
                }
            } while cursor != nil
            #expect(seen.sorted() == f.seekers.values.sorted())
        }
    }

    @Test func aCookieRequestWithoutTheCSRFTokenChangesNothing() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: s.headers(json: true),
                                     body: ByteBuffer(string: #"{"region":"T1"}"#)) { r in
                #expect(r.status == .forbidden)
                #expect(errorCode(r) == "csrf")
            }
            var wrong = s
            wrong.csrf = String(repeating: "0", count: 64)
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: wrong.headers(csrf: true, json: true),
                                     body: ByteBuffer(string: #"{"region":"T1"}"#)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/session", method: .delete, headers: s.headers()) { r in
                #expect(r.status == .forbidden)
            }
            #expect(try f.admin.query("SELECT count(*)::int AS n FROM match_request")[0].int("n") == 0)
            let id = try await client.execute(uri: "/api/v1/runs", method: .post, headers: s.headers(csrf: true, json: true),
                                              body: ByteBuffer(string: #"{"region":"T1A","date":"2025-03-01"}"#)) { r in
                #expect(r.status == .accepted)
                return json(r)["request_id"] as? Int ?? -1
            }
            try await client.execute(uri: "/api/v1/requests/\(id)", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                #expect(json(r)["state"] as? String == "queued")
            }
            // Sign-out ends the session.
            try await client.execute(uri: "/api/v1/session", method: .delete, headers: s.headers(csrf: true)) { r in
                #expect(r.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in
                #expect(r.status == .unauthorized)
            }
        }
        #expect(try f.admin.query("SELECT count(*)::int AS n FROM match_request")[0].int("n") == 1)
        #expect(try f.audit("run.request") == 1)
    }

    @Test func rolesDecideWhoMayRequestRunsAndUnmask() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let viewer = try await signIn(client, "vera")
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: viewer.headers(csrf: true, json: true),
                                     body: ByteBuffer(string: #"{"region":"T1"}"#)) { r in
                #expect(r.status == .forbidden)
                #expect(errorCode(r) == "forbidden")
            }
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T2"]!)?unmasked=true", method: .get, headers: viewer.headers()) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T2"]!)", method: .get, headers: viewer.headers()) { r in
                #expect(r.status == .ok)
                #expect(json(r)["certificate_no"] as? String == "410307********3456**")
                #expect(json(r)["phone"] as? String == "138****8000")
            }
            #expect(try f.audit("seeker.reveal") == 0)
            let staff = try await signIn(client, "alice")
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T1"]!)?unmasked=true", method: .get, headers: staff.headers()) { r in
                #expect(r.status == .ok)
                #expect(json(r)["certificate_no"] as? String == WebFixture.certificates["T1"])
                #expect(json(r)["masked"] as? Bool == false)
            }
        }
        #expect(try f.audit("seeker.reveal") == 1)
    }

    @Test func bearerTokensNeedNoCSRFAndAreScopedAndRevocable() async throws {
        let f = try WebFixture()
        defer { f.close() }
        let token = Secrets.randomToken()
        try AccountStore.addToken(f.admin, name: "gov-platform", role: .staff, tokenHash: Secrets.digest(token), regions: ["T2"], actor: "test")
        let bearer: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: bearer, body: ByteBuffer(string: #"{"region":"T2"}"#)) { r in
                #expect(r.status == .accepted)
            }
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T1"]!)", method: .get, headers: bearer) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T2"]!)", method: .get, headers: bearer) { r in
                #expect(r.status == .ok)
            }
        }
        #expect(try f.admin.query("SELECT count(*)::int AS n FROM api_token WHERE token_hash = \(token)")[0].int("n") == 0)
        try AccountStore.revokeToken(f.admin, name: "gov-platform", actor: "test")
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: bearer) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func idleSessionsExpireAndDisabledUsersAreSignedOut() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            try f.admin.query("UPDATE web_session SET last_seen_at = now() - interval '31 minutes'")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in
                #expect(r.status == .unauthorized)
            }
            let v = try await signIn(client, "vera")
            try AccountStore.disable(f.admin, username: "vera", actor: "test")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: v.headers()) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func runsProposalsAndAConfirmationThatNoLongerHoldsIs409() async throws {
        let f = try WebFixture()
        defer { f.close() }
        var made: [String: Int64] = [:]
        for town in ["T1", "T2"] {
            made[town] = try f.admin.query("""
                INSERT INTO match_run (region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings, pairs,
                    objective_households, objective_priority, objective_placed, objective_score, created_by)
                VALUES (\(town), '2025-03-01', now(), now(), now(), 1, 1, 1, 0, 0, 1, 500, 'test') RETURNING run_id
                """)[0].int64("run_id")
        }
        let runs = made
        func propose(_ town: String, _ seekerTown: String, confirmed: Bool) throws -> Int64 {
            try f.admin.query("""
                INSERT INTO proposal (run_id, certificate_no, opening_id, score, score_parts, reasons, confirmed_at)
                VALUES (\(runs[town]!), \(WebFixture.certificates[seekerTown]!), 'OP-1', 500, '{}',
                        '[{"code":"skill","text":"技能相符"}]', \(confirmed ? "2025-03-02" : nil)::timestamptz)
                RETURNING proposal_id
                """)[0].int64("proposal_id")
        }
        let done = try propose("T1", "T1", confirmed: true)
        let stale = try propose("T1", "T1A", confirmed: false)  // its opening does not exist
        let other = try propose("T2", "T2", confirmed: false)
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            try await client.execute(uri: "/api/v1/runs/\(runs["T1"]!)", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                #expect(json(r)["objective_placed"] as? Int == 1)
            }
            try await client.execute(uri: "/api/v1/runs/\(runs["T2"]!)", method: .get, headers: s.headers()) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/runs/\(runs["T1"]!)/proposals?limit=1", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                let items = json(r)["items"] as? [[String: Any]] ?? []
                #expect(items.count == 1 && items.first?["seeker_id"] as? String == f.seekers["T1"])
                #expect(json(r)["next_cursor"] as? String != nil)
                #expect(!text(r).contains(WebFixture.certificates["T1"]!))
            }
            try await client.execute(uri: "/api/v1/runs/\(runs["T2"]!)/unmatched", method: .get, headers: s.headers()) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/proposals/\(done)/confirm", method: .post, headers: s.headers()) { r in
                #expect(r.status == .forbidden)  // no CSRF token
            }
            try await client.execute(uri: "/api/v1/proposals/\(done)/confirm", method: .post, headers: s.headers(csrf: true)) { r in
                #expect(r.status == .conflict, "\(text(r))")
                #expect(errorCode(r) == "conflict")
                // The reason is worded by Render's catalogue in the request's language (Chinese by default).
                #expect(text(r).contains("推荐 \(done)：已于") && !text(r).contains("already confirmed"), "\(text(r))")
            }
            try await client.execute(uri: "/api/v1/proposals/\(stale)/confirm", method: .post, headers: s.headers(csrf: true)) { r in
                #expect(r.status == .conflict, "\(text(r))")
            }
            try await client.execute(uri: "/api/v1/proposals/\(other)/confirm", method: .post, headers: s.headers(csrf: true)) { r in
                #expect(r.status == .notFound)
            }
            let viewer = try await signIn(client, "vera")
            try await client.execute(uri: "/api/v1/proposals/\(other)/confirm", method: .post, headers: viewer.headers(csrf: true)) { r in
                #expect(r.status == .forbidden)
            }
        }
        #expect(try f.admin.query("SELECT count(*)::int AS n FROM placement")[0].int("n") == 0)
    }

    @Test func policyInForceOnADate() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/policy", method: .get) { r in
                #expect(r.status == .unauthorized)
            }
            let s = try await signIn(client, "vera")
            try await client.execute(uri: "/api/v1/policy?date=2025-03-01", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                let items = json(r)["items"] as? [[String: Any]] ?? []
                #expect(!items.isEmpty)
                #expect(items.allSatisfy { ($0["valid_from"] as? String ?? "9999") <= "2025-03-01" })
            }
            try await client.execute(uri: "/api/v1/policy?date=2025-13-01", method: .get, headers: s.headers()) { r in
                #expect(r.status == .unprocessableContent)
                #expect(errorCode(r) == "bad_date")
            }
        }
    }

    @Test func rowLevelSecurityHidesOtherRegionsFromTheWebRoleItself() throws {
        let f = try WebFixture()
        defer { f.close() }
        let web = try Connection.connect(f.webConfig)
        defer { web.close() }
        func count() throws -> Int { try web.query("SELECT count(*)::int AS n FROM seeker")[0].int("n") }
        #expect(try count() == 0)  // no regions named: nothing
        try web.query("SELECT set_config('jobmatch.regions', 'T2', false)")
        #expect(try count() == 1)
        // Even an UPDATE without a region clause cannot reach T1's seekers.
        let touched = try web.query("UPDATE seeker SET phone = NULL").affectedRows
        #expect(touched == 1)
        try web.query("SELECT set_config('jobmatch.regions', '*', false)")
        #expect(try count() == 3)
        #expect(try f.admin.query("SELECT count(*)::int AS n FROM seeker WHERE phone IS NOT NULL")[0].int("n") == 2)
    }
}

@Suite struct WebPageTests {
    @Test func pagesAreChineseEscapedAndNeedASession() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/login")
            }
            try await client.execute(uri: "/login", method: .get) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains(#"<html lang="zh-CN">"#))
                #expect(text(r).contains(#"<label for="password">密码</label>"#))
                #expect(!text(r).contains("<script"))
            }
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "username=alice&password=wrong")) { r in
                #expect(r.status == .unauthorized)
                #expect(text(r).contains("用户名或密码不正确"))
            }
            let cookie = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "username=alice&password=correct+horse+battery")) { r in
                #expect(r.status == .seeOther)
                return String((r.headers[.setCookie] ?? "").split(separator: ";")[0])
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains("今日概况"))
            }
            try await client.execute(uri: "/seekers", method: .get, headers: [.cookie: cookie]) { r in
                #expect(text(r).contains("张*"))
                #expect(!text(r).contains("张三T2"))
            }
        }
    }

    @Test func revealingAFieldNeedsCSRFIsAuditedAndOtherRegionsAre404() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            let form: HTTPFields = [.cookie: "jobmatch_session=\(s.cookie)", .contentType: "application/x-www-form-urlencoded"]
            let id = f.seekers["T1"]!
            try await client.execute(uri: "/seekers/\(id)", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains("410307********123X**"))
                #expect(text(r).contains("显示"))
            }
            try await client.execute(uri: "/seekers/\(id)/reveal", method: .post, headers: form, body: ByteBuffer(string: "field=name")) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/seekers/\(id)/reveal", method: .post, headers: form,
                                     body: ByteBuffer(string: "csrf_token=\(s.csrf)&field=name")) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains("张三T1"))
            }
            try await client.execute(uri: "/seekers/\(f.seekers["T2"]!)", method: .get, headers: s.headers()) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/seekers/\(f.seekers["T2"]!)/reveal", method: .post, headers: form,
                                     body: ByteBuffer(string: "csrf_token=\(s.csrf)&field=name")) { r in
                #expect(r.status == .notFound)
            }
            // Search is a POST: no identity in a URL.
            try await client.execute(uri: "/seekers", method: .post, headers: form,
                                     body: ByteBuffer(string: "csrf_token=\(s.csrf)&certificate_no=\(WebFixture.certificates["T1A"]!)")) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains("/seekers/\(f.seekers["T1A"]!)"))
            }
        }
        #expect(try f.admin.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'seeker.reveal' AND detail->>'fields' = 'name'")[0].int("n") == 1)
    }

    @Test func escapingKeepsMarkupOutOfPages() {
        #expect(esc(#"<script>alert("x")</script>&'"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;")
    }
}
