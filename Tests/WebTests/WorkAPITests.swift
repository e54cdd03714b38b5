// The API's working routes (imports, reviews, exports, confirm-many, ETag) and the
// /policy form, against a real PostgreSQL through the web's database role.

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Render
import Store
import Testing
import TestSupport
@testable import Web

extension Session {
    /// A cookie request that changes something: the CSRF header, and a body type.
    func changing(_ type: String) -> HTTPFields {
        var h = headers(csrf: true)
        h[.contentType] = type
        return h
    }
}

// Serialized: each test holds an admin connection and a pool of two, and the whole
// `swift test` is close to the test cluster's 100 connections.
@Suite(.serialized) struct WebWorkAPITests {
    func count(_ f: WebFixture, _ sql: String) throws -> Int {
        try f.admin.query("SELECT count(*)::int AS n FROM \(unsafe: sql)")[0].int("n")
    }

    @Test func anAPIImportIs422WithEveryRowErrorAndWritesNothing() async throws {
        let f = try WebFixture()
        defer { f.close() }
        let before = try count(f, "region")
        let bad = ByteBuffer(string: "code,name,parent_code,neighbours\nT9,新区,,\n,没有代码,T1,\nT8,,,\n")
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/imports/regions", method: .post, headers: [.contentType: "text/csv"], body: bad) { r in
                #expect(r.status == .unauthorized)
            }
            let v = try await signIn(client, "vera")
            try await client.execute(uri: "/api/v1/imports/regions", method: .post, headers: v.changing("text/csv"), body: bad) { r in
                #expect(r.status == .forbidden)
            }
            // A staff account limited to a town: the district's workbooks are not split by town.
            let a = try await signIn(client, "alice")
            let good = ByteBuffer(string: "code,name,parent_code,neighbours\nT9,新区,,\n")
            try await client.execute(uri: "/api/v1/imports/regions", method: .post, headers: a.changing("text/csv"), body: good) { r in
                #expect(r.status == .forbidden)
                #expect(errorCode(r) == "district_only")
            }
            let s = try await signIn(client, "root")
            try await client.execute(uri: "/api/v1/imports/regions", method: .post, headers: s.headers(csrf: false).merging([.contentType: "text/csv"]),
                                     body: bad) { r in
                #expect(r.status == .forbidden)
                #expect(errorCode(r) == "csrf")
            }
            try await client.execute(uri: "/api/v1/imports/regions", method: .post, headers: s.changing("application/json"), body: bad) { r in
                #expect(r.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/api/v1/imports/nonsense", method: .post, headers: s.changing("text/csv"), body: bad) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/imports/regions", method: .post, headers: s.changing("text/csv"), body: bad) { r in
                #expect(r.status == .unprocessableContent, "\(text(r))")
                #expect(errorCode(r) == "import_refused")
                let errors = json(r)["errors"] as? [[String: Any]] ?? []
                #expect(errors.count == 2)  // every row error, not only the first
                let first = errors.first ?? [:]
                #expect(first["file"] as? String == "regions.csv")
                #expect(first["row"] as? Int == 3)
                #expect(first["column"] as? String == "code")
                #expect(first["value"] as? String == "")
                #expect(first["rule"] as? String == "required")
                #expect((first["message"] as? String)?.contains("regions.csv 第 3 行") == true)
                #expect(errors.last?["row"] as? Int == 4)
            }
            var en = s.changing("text/csv")
            en[.acceptLanguage] = "en-GB,en;q=0.8"
            try await client.execute(uri: "/api/v1/imports/regions?file_name=towns.csv", method: .post, headers: en, body: bad) { r in
                #expect(r.status == .unprocessableContent)
                let errors = json(r)["errors"] as? [[String: Any]] ?? []
                #expect((errors.first?["message"] as? String)?.contains("towns.csv row 3") == true, "\(text(r))")
            }
            #expect(try count(f, "region") == before)
            try await client.execute(uri: "/api/v1/imports/regions?partial=true", method: .post, headers: s.changing("text/csv"), body: bad) { r in
                #expect(r.status == .ok, "\(text(r))")
                #expect(json(r)["accepted"] as? Int == 1)
                #expect(json(r)["rejected"] as? Int == 2)
                #expect((json(r)["errors"] as? [Any])?.count == 2)
            }
            #expect(try count(f, "region") == before + 1)
            // A file that is not text: refused as a whole.
            try await client.execute(uri: "/api/v1/imports/regions", method: .post, headers: s.changing(WebServer.xlsxType),
                                     body: ByteBuffer(bytes: [0x50, 0x4B, 0x03, 0x04, 0, 0, 0])) { r in
                #expect(r.status == .unprocessableContent, "\(text(r))")
                #expect((json(r)["errors"] as? [[String: Any]])?.first?["rule"] as? String == "workbook")
            }
        }
        #expect(try f.audit("import") >= 1)
    }

    @Test func reviewsAndExportsAreScopedToTheAccountsRegionsAndTagged() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try ExampleDistrictLoader.load(f.admin)
        // A staff account of the town with the most employers.
        let town = try f.admin.query("SELECT town_code FROM employer GROUP BY town_code ORDER BY count(*) DESC, town_code LIMIT 1")[0].string("town_code")
        let mine = Set(try f.admin.query("SELECT credit_code FROM employer WHERE town_code = \(town)").map { try $0.string("credit_code") })
        let other = try f.admin.query("SELECT credit_code FROM employer WHERE town_code <> \(town) ORDER BY credit_code LIMIT 1")[0].string("credit_code")
        try AccountStore.addUser(f.admin, username: "tess", role: .staff, passwordHash: Secrets.hashPassword(WebFixture.password),
                                 regions: [town], actor: "test")
        try await f.app().test(.router) { client in
            let root = try await signIn(client, "root"), tess = try await signIn(client, "tess"), vera = try await signIn(client, "vera")
            var all = 0, year = 0
            try await client.execute(uri: "/api/v1/reviews?limit=500", method: .get, headers: root.headers()) { r in
                #expect(r.status == .ok, "\(text(r))")
                all = (json(r)["items"] as? [Any])?.count ?? 0
                year = json(r)["year"] as? Int ?? 0
            }
            #expect(all > mine.count && year > 2000)
            try await client.execute(uri: "/api/v1/reviews?limit=500&year=\(year)", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .ok)
                let codes = (json(r)["items"] as? [[String: Any]] ?? []).compactMap { $0["credit_code"] as? String }
                #expect(Set(codes) == mine)
            }
            // A page at a time: the cursor walks every employer once.
            var seen: [String] = [], cursor: String?
            repeat {
                let uri = "/api/v1/reviews?limit=2&year=\(year)" + (cursor.map { "&cursor=\($0)" } ?? "")
                cursor = try await client.execute(uri: uri, method: .get, headers: root.headers()) { r in
                    seen += (json(r)["items"] as? [[String: Any]] ?? []).compactMap { $0["credit_code"] as? String }
                    return json(r)["next_cursor"] as? String
                }
            } while cursor != nil
            #expect(seen.count == all && Set(seen).count == all)
            // A NUL character in a query parameter (schemathesis sent one in the cursor): 400, not 500.
            for uri in ["/api/v1/reviews?cursor=a%00b", "/api/v1/seekers?region=%00", "/api/v1/runs/1/proposals?cursor=%00"] {
                try await client.execute(uri: uri, method: .get, headers: root.headers()) { r in
                    #expect(r.status == .badRequest, "\(uri): \(text(r))")
                }
            }
            try await client.execute(uri: "/api/v1/reviews?credit_code=\(other)", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/reviews?credit_code=\(mine.first!)", method: .get, headers: tess.headers()) { r in
                #expect((json(r)["items"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/api/v1/reviews?year=20x4", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .unprocessableContent)
            }
            // A year the policy book does not cover: 422 in words, not a server error.
            try await client.execute(uri: "/api/v1/reviews?year=1950", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .unprocessableContent, "\(text(r))")
                #expect(errorCode(r)?.hasPrefix("policy_") == true)
            }
            try await client.execute(uri: "/reviews?year=1950", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(uri: "/reviews?year=\(year)", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains(mine.first!) && !text(r).contains(other))
            }
            try await client.execute(uri: "/reviews/\(year)/\(other)", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .notFound)
            }
            // Storing the reviews: every-region staff and admins only.
            let body = ByteBuffer(string: #"{"year":\#(year)}"#)
            for (who, status) in [(tess, HTTPResponse.Status.forbidden), (vera, .forbidden)] {
                try await client.execute(uri: "/api/v1/reviews", method: .post, headers: who.changing("application/json"), body: body) { r in
                    #expect(r.status == status)
                }
            }
            try await client.execute(uri: "/api/v1/reviews", method: .post, headers: root.headers().merging([.contentType: "application/json"]), body: body) { r in
                #expect(r.status == .forbidden)  // no CSRF token
            }
            #expect(try count(f, "review") == 0)
            try await client.execute(uri: "/api/v1/reviews", method: .post, headers: root.changing("application/json"), body: body) { r in
                #expect(r.status == .ok, "\(text(r))")
                #expect(json(r)["reviewed"] as? Int == all)
            }
            // Exports: the stored reviews of her employers only; placements of her seekers only.
            try await client.execute(uri: "/api/v1/exports/reviews?format=json&year=\(year)", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .ok, "\(text(r))")
                let rows = (try? JSONSerialization.jsonObject(with: Data(text(r).utf8))) as? [[String: Any]] ?? []
                #expect(Set(rows.compactMap { $0["credit_code"] as? String }) == mine)
            }
            let placed = try count(f, "placement p JOIN seeker s USING (certificate_no) WHERE s.town_code = '\(town)'")
            try await client.execute(uri: "/api/v1/exports/placements?format=json", method: .get, headers: tess.headers()) { r in
                let rows = (try? JSONSerialization.jsonObject(with: Data(text(r).utf8))) as? [Any] ?? []
                #expect(rows.count == placed)
            }
            try await client.execute(uri: "/api/v1/exports/placements?format=json", method: .get, headers: root.headers()) { r in
                let rows = (try? JSONSerialization.jsonObject(with: Data(text(r).utf8))) as? [Any] ?? []
                #expect(rows.count == (try? count(f, "placement")) && rows.count > placed)
            }
            try await client.execute(uri: "/api/v1/exports/indicators?year=\(year)", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .forbidden)
                #expect(errorCode(r) == "district_only")
                #expect((json(r)["error"] as? [String: Any])?["message"] as? String == WebMessages.districtOnly(.zh))
            }
            try await client.execute(uri: "/api/v1/exports/indicators?year=\(year)&format=xlsx", method: .get, headers: root.headers()) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == WebServer.xlsxType)
            }
            try await client.execute(uri: "/api/v1/exports/proposals", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .notFound)  // no run of her town
            }
            try await client.execute(uri: "/api/v1/exports/reviews", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .unprocessableContent)  // needs the year
            }
            try await client.execute(uri: "/exports/placements.csv", method: .get, headers: tess.headers()) { r in
                #expect(r.status == .ok)
            }
            // ETag: the same bytes are 304 without a body; another tag gets the body.
            for uri in ["/api/v1/exports/placements?format=csv", "/api/v1/reviews?year=\(year)", "/api/v1/seekers?limit=5"] {
                let tag = try await client.execute(uri: uri, method: .get, headers: tess.headers()) { r in
                    #expect(r.status == .ok)
                    return r.headers[.eTag] ?? ""
                }
                #expect(tag.hasPrefix("\"") && tag.count == 66, "\(uri)")
                var h = tess.headers()
                h[.ifNoneMatch] = "\"other\", \(tag)"
                try await client.execute(uri: uri, method: .get, headers: h) { r in
                    #expect(r.status == .notModified, "\(uri)")
                    #expect(r.body.readableBytes == 0)
                    #expect(r.headers[.eTag] == tag)
                }
                h[.ifNoneMatch] = "\"other\""
                try await client.execute(uri: uri, method: .get, headers: h) { r in
                    #expect(r.status == .ok && r.body.readableBytes > 0, "\(uri)")
                }
            }
        }
        #expect(try f.audit("export") >= 8)
        #expect(try f.audit("review") == 1)
    }

    @Test func severalProposalsAreConfirmedAllOrNoneAndTheReasonsAreWorded() async throws {
        let f = try WebFixture()
        defer { f.close() }
        func run(_ town: String) throws -> Int64 {
            try f.admin.query("""
                INSERT INTO match_run (region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings, pairs,
                    objective_households, objective_priority, objective_placed, objective_score, created_by)
                VALUES (\(town), '2025-03-01', now(), now(), now(), 1, 1, 1, 0, 0, 1, 500, 'test') RETURNING run_id
                """)[0].int64("run_id")
        }
        let t1 = try run("T1"), t2 = try run("T2")
        func propose(_ run: Int64, _ seekerTown: String, confirmed: Bool) throws -> Int64 {
            try f.admin.query("""
                INSERT INTO proposal (run_id, certificate_no, opening_id, score, score_parts, reasons, confirmed_at)
                VALUES (\(run), \(WebFixture.certificates[seekerTown]!), 'OP-1', 500, '{}', '[]', \(confirmed ? "2025-03-02" : nil)::timestamptz)
                RETURNING proposal_id
                """)[0].int64("proposal_id")
        }
        // Both confirmed before: each refusal is listed (a stale one is in WebAPITests).
        let done = try propose(t1, "T1", confirmed: true), stale = try propose(t1, "T1A", confirmed: true)
        let other = try propose(t2, "T2", confirmed: false)
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "alice")
            let many = ByteBuffer(string: #"{"proposal_ids":[\#(done)]}"#)
            try await client.execute(uri: "/api/v1/proposals/\(stale)/confirm", method: .post, headers: s.changing("application/json"), body: many) { r in
                #expect(r.status == .conflict, "\(text(r))")
                let message = (json(r)["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains("推荐 \(done)：已于"), "\(message)")
                #expect(message.contains("推荐 \(stale)：已于"))
                #expect(!message.contains("proposal"))  // no English inside the Chinese
            }
            var en = s.changing("application/json")
            en[.acceptLanguage] = "en"
            try await client.execute(uri: "/api/v1/proposals/\(stale)/confirm", method: .post, headers: en, body: many) { r in
                let message = (json(r)["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains("proposal \(done): already confirmed"), "\(message)")
            }
            // One of another region among them: 404, nothing tried.
            try await client.execute(uri: "/api/v1/proposals/\(stale)/confirm", method: .post, headers: s.changing("application/json"),
                                     body: ByteBuffer(string: #"{"proposal_ids":[\#(other)]}"#)) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/proposals/\(stale)/confirm", method: .post, headers: s.changing("application/json"),
                                     body: ByteBuffer(string: #"{"proposal_ids":"all"}"#)) { r in
                #expect(r.status == .badRequest)
            }
            // The page words a refusal in the request's language too.
            var form = s.changing("application/x-www-form-urlencoded")
            form[.acceptLanguage] = "zh-CN"
            try await client.execute(uri: "/runs/\(t1)/confirm", method: .post, headers: form,
                                     body: ByteBuffer(string: "csrf_token=\(s.csrf)&proposal=\(done)")) { r in
                #expect(r.status == .conflict)
                #expect(text(r).contains("推荐 \(done)：已于"))
            }
        }
        #expect(try count(f, "placement") == 0)
        #expect(try f.audit("confirm") == 0)
    }

    @Test func adminsAddDatedPolicyRowsFromThePolicyPage() async throws {
        let f = try WebFixture()
        defer { f.close() }
        let before = try count(f, "policy_parameter"), audited = try f.audit("policy_change")
        let good = "key=social_average_wage&value=99999&jurisdiction=CN-41&valid_from=2031-01-01&valid_to=&source=%E6%B5%8B%E8%AF%95&status=secondary"
        try await f.app().test(.router) { client in
            let alice = try await signIn(client, "alice"), root = try await signIn(client, "root")
            try await client.execute(uri: "/policy", method: .get, headers: alice.headers()) { r in
                #expect(r.status == .ok)
                #expect(!text(r).contains("action=\"/policy\""))  // no form for staff
            }
            try await client.execute(uri: "/policy", method: .get, headers: root.headers()) { r in
                #expect(text(r).contains("action=\"/policy\"") && text(r).contains("添加有日期的参数"))
            }
            let form = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/policy", method: .post, headers: alice.changing(form),
                                     body: ByteBuffer(string: "csrf_token=\(alice.csrf)&" + good)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/policy", method: .post, headers: root.headers().merging([.contentType: form]),
                                     body: ByteBuffer(string: good)) { r in
                #expect(r.status == .forbidden)  // no CSRF token
            }
            try await client.execute(uri: "/policy", method: .post, headers: root.changing(form),
                                     body: ByteBuffer(string: "csrf_token=\(root.csrf)&key=quota.ratio&value=lots&jurisdiction=CN-41&valid_from=2031-13-01&source=&status=verified")) { r in
                #expect(r.status == .unprocessableContent)
                #expect(text(r).contains("未添加任何参数"))
                #expect(text(r).contains("生效日期 2031-13-01：应为 YYYY-MM-DD"))
                #expect(text(r).contains("quota.ratio 的值 lots：应为数字"))
                #expect(text(r).contains("依据：必须注明出处"))
                #expect(text(r).contains("value=\"lots\""))  // what was typed stays
            }
            var en = root.changing(form)
            en[.acceptLanguage] = "en"
            try await client.execute(uri: "/policy", method: .post, headers: en,
                                     body: ByteBuffer(string: "csrf_token=\(root.csrf)&key=x&value=1&jurisdiction=CN&valid_from=2031-01-01&source=s&status=guess")) { r in
                #expect(r.status == .unprocessableContent)
                #expect(text(r).contains("status guess: expected verified, secondary or placeholder"))
            }
            #expect(try count(f, "policy_parameter") == before)
            try await client.execute(uri: "/policy", method: .post, headers: root.changing(form),
                                     body: ByteBuffer(string: "csrf_token=\(root.csrf)&" + good)) { r in
                #expect(r.status == .ok, "\(text(r))")
                #expect(text(r).contains("已添加政策参数"))
            }
        }
        #expect(try count(f, "policy_parameter") == before + 1)
        #expect(try f.admin.query("""
            SELECT count(*)::int AS n FROM policy_parameter WHERE key = 'social_average_wage' AND value = '99999'
              AND valid_from = '2031-01-01' AND status = 'secondary' AND created_by = 'web:root'
            """)[0].int("n") == 1)
        #expect(try f.audit("policy_change") == audited + 1)
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var h = self
        for field in other { h[field.name] = field.value }
        return h
    }
}
