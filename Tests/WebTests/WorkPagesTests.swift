// The working pages (imports, runs, explanation, reviews, exports) against a real
// PostgreSQL, through the web's database role (row-level security on).

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing
@testable import Web

/// A multipart/form-data upload of one file, with the CSRF token as a field when given.
func upload(kind: String, fileName: String, _ content: String, partial: Bool = false, csrf: String? = nil) -> (HTTPFields, ByteBuffer) {
    let b = "----jobmatchtest"
    var body = ""
    if let csrf { body += "--\(b)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(csrf)\r\n" }
    body += "--\(b)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n\(kind)\r\n"
    if partial { body += "--\(b)\r\nContent-Disposition: form-data; name=\"partial\"\r\n\r\n1\r\n" }
    body += "--\(b)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n\(content)\r\n--\(b)--\r\n"
    return ([.contentType: "multipart/form-data; boundary=\(b)"], ByteBuffer(string: body))
}

@Suite struct WebWorkPagesTests {
    func regions(_ f: WebFixture) throws -> Int { try f.admin.query("SELECT count(*)::int AS n FROM region")[0].int("n") }

    @Test func anImportWithABadRowIs422InChineseAndWritesNothing() async throws {
        let f = try WebFixture()
        defer { f.close() }
        let before = try regions(f)
        try await f.app().test(.router) { client in
            let s = try await signIn(client, "root")
            let bad = "code,name,parent_code,neighbours\nT9,新区,,\n,没有代码,T1,\n"
            var (h, body) = upload(kind: "regions", fileName: "regions.csv", bad)
            h[.cookie] = "jobmatch_session=\(s.cookie)"
            // Without the CSRF token: refused, nothing read. In the URL it no longer counts (proxy logs, history).
            try await client.execute(uri: "/imports", method: .post, headers: h, body: body) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/imports?csrf_token=\(s.csrf)", method: .post, headers: h, body: body) { r in
                #expect(r.status == .forbidden)
            }
            (h, body) = upload(kind: "regions", fileName: "regions.csv", bad, csrf: "not-the-token")
            h[.cookie] = "jobmatch_session=\(s.cookie)"
            try await client.execute(uri: "/imports", method: .post, headers: h, body: body) { r in
                #expect(r.status == .forbidden)
            }
            (h, body) = upload(kind: "regions", fileName: "regions.csv", bad, csrf: s.csrf)
            h[.cookie] = "jobmatch_session=\(s.cookie)"
            try await client.execute(uri: "/imports", method: .post, headers: h, body: body) { r in
                #expect(r.status == .unprocessableContent)
                #expect(text(r).contains("未导入任何数据"))
                #expect(text(r).contains("regions.csv 第 3 行"))
            }
            #expect(try regions(f) == before)
            // Partial: the good row goes in, the bad one is offered as a rejects file.
            (h, body) = upload(kind: "regions", fileName: "regions.csv", bad, partial: true, csrf: s.csrf)
            h[.cookie] = "jobmatch_session=\(s.cookie)"
            try await client.execute(uri: "/imports", method: .post, headers: h, body: body) { r in
                #expect(r.status == .ok, "\(text(r))")
                #expect(text(r).contains("已导入 1 行"))
                #expect(text(r).contains("未导入 1 行"))
                #expect(text(r).contains("download=\"rejects.csv\" href=\"data:text/csv;base64,"))
            }
            #expect(try regions(f) == before + 1)
        }
        #expect(try f.audit("import") >= 1)
    }

    @Test func aViewerCannotImportOrStartRunsAndScopedStaffOnlyTheirRegions() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            let v = try await signIn(client, "vera")
            var (h, body) = upload(kind: "regions", fileName: "regions.csv", "code,name,parent_code,neighbours\nT8,新区,,\n", csrf: v.csrf)
            h[.cookie] = "jobmatch_session=\(v.cookie)"
            try await client.execute(uri: "/imports", method: .post, headers: h, body: body) { r in
                #expect(r.status == .forbidden)
            }
            let form: HTTPFields = [.cookie: "jobmatch_session=\(v.cookie)", .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/runs", method: .post, headers: form, body: ByteBuffer(string: "csrf_token=\(v.csrf)&region=T1")) { r in
                #expect(r.status == .forbidden)
            }
            let a = try await signIn(client, "alice")
            let aform: HTTPFields = [.cookie: "jobmatch_session=\(a.cookie)", .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/runs", method: .post, headers: aform, body: ByteBuffer(string: "csrf_token=\(a.csrf)&region=T2")) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(uri: "/runs", method: .post, headers: aform, body: ByteBuffer(string: "region=T1")) { r in
                #expect(r.status == .forbidden)  // no CSRF token
            }
            #expect(try f.admin.query("SELECT count(*)::int AS n FROM match_request")[0].int("n") == 0)
            try await client.execute(uri: "/runs", method: .post, headers: aform, body: ByteBuffer(string: "csrf_token=\(a.csrf)&region=T1")) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location]?.hasPrefix("/runs?queued=") == true)
            }
            #expect(try f.admin.query("SELECT count(*)::int AS n FROM match_request WHERE region_code = 'T1'")[0].int("n") == 1)
            try await client.execute(uri: "/runs", method: .get, headers: [.cookie: "jobmatch_session=\(a.cookie)"]) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains("排队中"))
                #expect(!text(r).contains("岳滩"))  // T2 is not alice's
            }
            // Reviews and exports are scoped, not refused: alice sees her regions' (none here); the
            // district's indicators are refused to her in words.
            for page in ["/reviews", "/exports"] {
                try await client.execute(uri: page, method: .get, headers: [.cookie: "jobmatch_session=\(a.cookie)"]) { r in
                    #expect(r.status == .ok, "\(page)")
                }
            }
            try await client.execute(uri: "/exports/proposals.csv", method: .get, headers: [.cookie: "jobmatch_session=\(a.cookie)"]) { r in
                #expect(r.status == .notFound)  // no run of her regions
            }
            try await client.execute(uri: "/exports/indicators.csv?year=2024", method: .get, headers: [.cookie: "jobmatch_session=\(a.cookie)"]) { r in
                #expect(r.status == .forbidden)
                #expect(text(r).contains("全区"))
            }
        }
    }

    @Test func theExplanationIsScopedAndNeedsASignIn() async throws {
        let f = try WebFixture()
        defer { f.close() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T1"]!)/explanation", method: .get) { r in
                #expect(r.status == .unauthorized)
            }
            let a = try await signIn(client, "alice")
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T2"]!)/explanation", method: .get, headers: a.headers()) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/seekers/\(f.seekers["T1"]!)/explanation", method: .get, headers: a.headers()) { r in
                #expect(r.status == .ok)
                let t = json(r)["text"] as? String ?? ""
                #expect(t.contains("求职者：张*"))
                #expect(!t.contains("41030719800101123X21"))
            }
            try await client.execute(uri: "/seekers/\(f.seekers["T1"]!)", method: .get, headers: a.headers()) { r in
                #expect(text(r).contains("最近一次匹配的说明"))
            }
            let root = try await signIn(client, "root")
            try await client.execute(uri: "/exports/placements.csv", method: .get, headers: root.headers()) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("text/csv") == true)
            }
            try await client.execute(uri: "/policy", method: .get, headers: root.headers()) { r in
                #expect(r.status == .ok)
                #expect(text(r).contains("政策参数"))
            }
        }
    }
}
