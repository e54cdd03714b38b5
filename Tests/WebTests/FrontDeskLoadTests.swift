// What the front desk's speed-ups must not change (issue 14, the benchmark):
// the principal is looked up in one statement that writes only when the session or
// token was last touched over a minute ago, and still refuses an idle session, a
// revoked token, a disabled user or a changed password on the very next request;
// the proposals' reasons come out of SQL, not JSONDecoder; the large JSON bodies are
// written by hand, byte for byte as JSONEncoder writes them; a request holds one pooled
// session, and a session never lends one principal's scope to the next request.

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Store
import Testing
import TestSupport
@testable import Web

@Suite struct FrontDeskLoadTests {
    func lastSeen(_ f: WebFixture) throws -> String {
        try f.admin.query("SELECT last_seen_at::text AS t FROM web_session")[0].string("t")
    }

    @Test func aSessionIsTouchedOnlyWhenItsLastTouchIsOverAMinuteOldAndAnIdleOneIsRefused() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            try f.admin.query("UPDATE web_session SET last_seen_at = now() - interval '50 seconds'")
            let recent = try lastSeen(f)
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
            }
            #expect(try lastSeen(f) == recent)  // no write for a session touched under a minute ago
            try f.admin.query("UPDATE web_session SET last_seen_at = now() - interval '29 minutes'")
            let old = try lastSeen(f)
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
            }
            #expect(try lastSeen(f) != old)  // touched: its idle time starts again
            try f.admin.query("UPDATE web_session SET last_seen_at = now() - interval '30 minutes 1 second'")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: s.headers()) { r in
                #expect(r.status == .unauthorized)
            }
            #expect(try f.admin.query("SELECT count(*)::int AS n FROM web_session")[0].int("n") == 0)  // and deleted
        }
    }

    @Test func aRevokedTokenAChangedPasswordAndADisabledUserAreRefusedOnTheNextRequest() async throws {
        let f = try WebFixture()
        defer { f.close() }
        let token = Secrets.randomToken()
        try AccountStore.addToken(f.admin, name: "gov-platform", role: .viewer, tokenHash: Secrets.digest(token), regions: ["T2"], actor: "test")
        let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: bearer) { r in
                #expect(r.status == .ok)
                let towns = (json(r)["items"] as? [[String: Any]] ?? []).compactMap { $0["town_code"] as? String }
                #expect(towns == ["T2"])
            }
            let used = try f.admin.query("SELECT last_used_at::text AS t FROM api_token")[0].optionalString("t")
            #expect(used != nil)
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: bearer) { r in
                #expect(r.status == .ok)
            }
            #expect(try f.admin.query("SELECT last_used_at::text AS t FROM api_token")[0].optionalString("t") == used)
            try AccountStore.revokeToken(f.admin, name: "gov-platform", actor: "test")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: bearer) { r in
                #expect(r.status == .unauthorized)
            }

            let alice = try await signIn(client, "alice")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: alice.headers()) { r in
                #expect(r.status == .ok)
            }
            try AccountStore.setPassword(f.admin, username: "alice", passwordHash: Secrets.hashPassword("another password"), actor: "test")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: alice.headers()) { r in
                #expect(r.status == .unauthorized)
            }

            let root = try await signIn(client, "root")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: root.headers()) { r in
                #expect(r.status == .ok)
            }
            try f.admin.query("UPDATE app_user SET disabled = true WHERE username = 'root'")
            try await client.execute(uri: "/api/v1/seekers", method: .get, headers: root.headers()) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func aScopeIsTheGrantedRegionsAndEveryRegionBelowThem() throws {
        let f = try WebFixture()
        defer { f.close() }
        #expect(try AccountStore.expand(f.admin, ["T1"]) == ["T1", "T1A"])
        #expect(try AccountStore.expand(f.admin, ["T2", "T1A"]) == ["T1A", "T2"])
        #expect(try AccountStore.expand(f.admin, []) == [])
    }

    @Test func proposalsCarryTheirReasonsInOrderAndNoneWhenTheStoredValueIsNoList() async throws {
        let f = try WebFixture()
        defer { f.close() }
        let run = try f.admin.query("""
            INSERT INTO match_run (region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings, pairs,
                objective_households, objective_priority, objective_placed, objective_score, created_by)
            VALUES ('T1', '2025-03-01', now(), now(), now(), 2, 2, 2, 0, 0, 2, 900, 'test') RETURNING run_id
            """)[0].int64("run_id")
        for (cert, reasons) in [(WebFixture.certificates["T1"]!, #"[{"code":"skill","text":"技能相符, \"全\""},{"code":"score_wage","text":"工资 150/150"}]"#),
                                (WebFixture.certificates["T1A"]!, #"{"code":"skill"}"#)] {
            try f.admin.query("""
                INSERT INTO proposal (run_id, certificate_no, opening_id, score, score_parts, reasons)
                VALUES (\(run), \(cert), 'OP-1', 450, '{}', \(reasons)::jsonb)
                """)
        }
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            try await client.execute(uri: "/api/v1/runs/\(run)/proposals", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                let items = json(r)["items"] as? [[String: Any]] ?? []
                #expect(items.count == 2)
                let reasons = items.first?["reasons"] as? [[String: String]] ?? []
                #expect(reasons == [["code": "skill", "text": "技能相符, \"全\""], ["code": "score_wage", "text": "工资 150/150"]])
                #expect((items.last?["reasons"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/runs/\(run)", method: .get, headers: s.headers()) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains("<li>技能相符, &quot;全&quot;</li>"))
                #expect(!text(r).contains("工资 150/150"))  // score parts are not listed as reasons on the page
            }
        }
    }

    @Test func theOneJSONWriterGivesWhatJSONEncoderWrites() throws {
        // Every control character, the characters JSON escapes, `/`, and text beyond ASCII.
        let tricky = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + #"a"b\c/d<e>&'f 技能 🧑‍🦽 é"#
        let items = [
            ProposalItem(proposal_id: 1, seeker_id: nil, certificate_no: "4103**********1234", opening_id: tricky, score: 0,
                         reasons: [], confirmed: false),
            ProposalItem(proposal_id: Int64.max, seeker_id: tricky, certificate_no: "", opening_id: "OP-1", score: -1,
                         reasons: [ProposalReason(code: "skill", text: tricky), ProposalReason(code: "", text: "")], confirmed: true),
        ]
        let seekers = [SeekerSummary(seeker_id: "ab12", certificate_no: tricky, name: "张*", town_code: "410307", status: "seeking")]
        // The same value once parsed (JSONEncoder also writes `/` as `\/`), and keys in the same order.
        func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
            try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
        }
        func keys(_ bytes: [UInt8]) -> [String] {
            let text = String(decoding: bytes, as: UTF8.self)
            return text.matches(of: /"([a-z_]+)":/).map { String($0.1) }
        }
        func same(_ list: some JSONBody) throws -> Bool {
            let encoded = Array(try Respond.encoder.encode(list))
            return try parsed(list.jsonBytes) == parsed(encoded) && keys(list.jsonBytes) == keys(encoded)
        }
        for list in [WebServer.ProposalList(items: items, next_cursor: "2"), WebServer.ProposalList(items: [], next_cursor: nil)] {
            #expect(try same(list), "\(String(decoding: list.jsonBytes, as: UTF8.self))")
        }
        for list in [WebServer.SeekerList(items: seekers, next_cursor: nil), WebServer.SeekerList(items: seekers + seekers, next_cursor: "ab12")] {
            #expect(try same(list), "\(String(decoding: list.jsonBytes, as: UTF8.self))")
        }
    }

    @Test func escapingLeavesPlainTextAsItIsAndEscapesInsideMultibyteText() {
        #expect(esc("首阳山 410307") == "首阳山 410307")
        #expect(esc("技能<相符>&“全”'é") == "技能&lt;相符&gt;&amp;“全”&#39;é")
    }

    /// Tokens of three scopes and their principals, for the pool tests below.
    func principals(_ f: WebFixture) throws -> [(p: AccountStore.Principal, towns: [String])] {
        var out: [(p: AccountStore.Principal, towns: [String])] = []
        for (name, regions, towns) in [("all", [String](), ["T1", "T1A", "T2"]), ("t1", ["T1"], ["T1", "T1A"]), ("t2", ["T2"], ["T2"])] {
            let token = Secrets.randomToken()
            try AccountStore.addToken(f.admin, name: name, role: .staff, tokenHash: Secrets.digest(token), regions: regions, actor: "test")
            out.append((try #require(try AccountStore.principal(f.admin, tokenHash: Secrets.digest(token))), towns))
        }
        return out
    }

    @Test func aPooledSessionNeverCarriesOnePrincipalsScopeIntoAnothersQueries() async throws {
        let f = try WebFixture()
        defer { f.close() }
        let pool = SessionPool(f.webConfig, options: .init(size: 1))
        defer { pool.shutdown() }
        let server = WebServer(pool: pool, configuration: WebConfiguration(), logger: f.app().logger)
        let all = try principals(f)
        // No region clause of the web's own: only row-level security decides what each sees.
        @Sendable func towns(_ c: Connection) throws -> [String] {
            try c.query("SELECT town_code FROM seeker ORDER BY town_code").map { try $0.string("town_code") }
        }
        for (p, expected) in all + all.reversed() + all {
            #expect(try await server.db(p, towns) == expected, "\(p.name)")
            #expect(try await server.db(nil, towns) == [])  // no principal: nothing
            #expect(try await server.db(p, towns) == expected, "\(p.name) again")
        }
        // As a request does: the lookup (unscoped) and the handler on one leased session.
        for (p, expected) in all + all.reversed() {
            let lease = try await pool.lease()
            try await WebServer.$requestSession.withValue(lease) {
                _ = try await server.unscoped { c in try c.query("SELECT 1") }
                #expect(try await server.db(p, towns) == expected, "\(p.name) leased")
            }
            await lease.end()
        }
        #expect(pool.sessionsOpened == 1)  // all of it on the one session
    }

    @Test func principalsOfDifferentScopesTakingTurnsOnOneSessionSeeOnlyTheirOwnRows() async throws {
        let f = try WebFixture(poolSize: 1)
        defer { f.close() }
        let t2 = Secrets.randomToken()
        try AccountStore.addToken(f.admin, name: "t2", role: .staff, tokenHash: Secrets.digest(t2), regions: ["T2"], actor: "test")
        try await f.app().test(.router) { client in
            let root = try await signIn(client, "root"), alice = try await signIn(client, "alice")
            let turns: [(HTTPFields, [String])] = [
                (root.headers(), ["T1", "T1A", "T2"]), (alice.headers(), ["T1", "T1A"]), ([.authorization: "Bearer \(t2)"], ["T2"]),
            ]
            for (headers, expected) in turns + turns.reversed() + turns {
                try await client.execute(uri: "/api/v1/seekers", method: .get, headers: headers) { r in
                    #expect(r.status == .ok)
                    let towns = (json(r)["items"] as? [[String: Any]] ?? []).compactMap { $0["town_code"] as? String }.sorted()
                    #expect(towns == expected)
                }
                try await client.execute(uri: "/runs/1", method: .get, headers: headers) { r in
                    #expect(r.status == .notFound)  // a page on the same session: no run 1
                }
            }
        }
        #expect(f.pool.sessionsOpened == 1)
    }
}
