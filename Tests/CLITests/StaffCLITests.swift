import Foundation
import Postgres
import Synchronization
import Testing
import TestSupport

/// The staff workflow through the built binary, as a user runs it, on the
/// example district matched on 2025-09-01 (run 1) and reviewed for 2024.
/// Each test gets its own copy of that database, so tests may write.
struct StaffFixtureError: Error, CustomStringConvertible { let description: String }

enum StaffFixture {
    static let runDate = "2025-09-01"
    private static let template = Mutex<Result<String, StaffFixtureError>?>(nil)

    /// A new database: example district, run 1 of 2025-09-01, the 2024 review.
    static func database() throws -> (config: ConnectionConfig, url: String) {
        let name = try template.withLock { state in
            if state == nil {
                state = Result { () throws(StaffFixtureError) in
                    do {
                        let config = try ExampleDistrictLoader.config()
                        let url = CLIRunner.databaseURL(for: config)
                        for args in [["match", "--date", runDate], ["review", "--year", "2024"]] {
                            let r = try CLIRunner.run(args + ["--database-url", url])
                            guard r.status == 0 else { throw StaffFixtureError(description: "\(args[0]) failed: \(r.stderr)") }
                        }
                        return config.parameter("dbname")!
                    } catch let e as StaffFixtureError {
                        throw e
                    } catch {
                        throw StaffFixtureError(description: "staff fixture: \(error)")
                    }
                }
            }
            return try state!.get()
        }
        let config = try TestPostgres.freshDatabase(template: name)
        return (config, CLIRunner.databaseURL(for: config))
    }

    /// Runs `jobmatch args… --database-url url`.
    static func run(_ url: String, _ args: String...) throws -> CLIRunner.Result {
        try CLIRunner.run(args + ["--database-url", url])
    }

    /// Runs `jobmatch args… --database-url url`.
    static func run(_ url: String, _ args: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(args + ["--database-url", url])
    }
}

/// RFC 4180 records of a CSV export, after checking the BOM and that every
/// line ends in CRLF (no bare LF outside quotes).
func parseExportCSV(_ bytes: Data) throws -> [[String]] {
    let b = [UInt8](bytes)
    #expect(b.starts(with: [0xEF, 0xBB, 0xBF]), "CSV starts with the UTF-8 BOM")
    let text = String(decoding: b.dropFirst(3), as: UTF8.self)
    var records: [[String]] = [], field = "", record: [String] = [], quoted = false, afterQuote = false
    var chars = Array(text.unicodeScalars)[...]
    while let ch = chars.popFirst() {
        if quoted {
            if ch == "\"" {
                if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true }
            } else { field.unicodeScalars.append(ch) }
            continue
        }
        switch ch {
        case "\"" where field.isEmpty && !afterQuote: quoted = true
        case ",": record.append(field); field = ""; afterQuote = false
        case "\r":
            #expect(chars.popFirst() == "\n", "CR is followed by LF")
            record.append(field); records.append(record); record = []; field = ""; afterQuote = false
        case "\n": Issue.record("a bare LF ends a line; CSV for people uses CRLF")
        default: field.unicodeScalars.append(ch)
        }
    }
    #expect(field.isEmpty && record.isEmpty, "the file ends with CRLF")
    return records
}

@Suite("staff workflow through the binary")
struct StaffCLITests {
    func proposals(_ c: Connection, run: Int = 1) throws -> [(id: Int64, cert: String, opening: String)] {
        try c.query("SELECT proposal_id, certificate_no, opening_id FROM proposal WHERE run_id = \(run) ORDER BY proposal_id").map {
            (try $0.int64("proposal_id"), try $0.string("certificate_no"), try $0.string("opening_id"))
        }
    }

    func counts(_ c: Connection) throws -> [Int] {
        try ["placement", "audit_log"].map { try c.query(Query(unsafeSQL: "SELECT count(*) AS n FROM \($0)"))[0].int("n") }
            + [c.query("SELECT count(*) AS n FROM proposal WHERE confirmed_at IS NOT NULL")[0].int("n")]
    }

    @Test("when a proposal is confirmed, a placement exists and confirming it again is refused")
    func confirmOnceThenRefused() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let p = try proposals(c)[0]
        let ok = try StaffFixture.run(url, "confirm", String(p.id))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("已确认推荐 \(p.id)"))
        #expect(!ok.stdout.contains(p.cert), "the certificate is masked")
        let row = try #require(try c.query("""
            SELECT pl.source, pl.start_date::text AS start_date, pl.monthly_wage_fen, o.monthly_wage_fen AS opening_wage
            FROM placement pl JOIN opening o ON o.opening_id = pl.opening_id WHERE pl.proposal_id = \(p.id)
            """).first)
        #expect(try row.string("source") == "confirmed")
        #expect(try row.string("start_date") == StaffFixture.runDate)
        #expect(try row.optionalInt64("monthly_wage_fen") == row.optionalInt64("opening_wage"))
        #expect(try c.query("SELECT 1 FROM proposal WHERE proposal_id = \(p.id) AND confirmed_at IS NOT NULL").count == 1)
        let audit = try c.query("SELECT subject, detail::text AS d FROM audit_log WHERE action = 'confirm'")
        #expect(audit.count == 1)
        #expect(try audit[0].string("d") == "{\"run_id\": \"1\", \"proposal_id\": \"\(p.id)\"}")

        let before = try counts(c)
        let again = try StaffFixture.run(url, "confirm", String(p.id))
        #expect(again.status == 3)
        #expect(again.stderr.contains("推荐 \(p.id)：已于") && again.stderr.contains("确认"), "\(again.stderr)")
        let english = try StaffFixture.run(url, "--lang", "en", "confirm", String(p.id))
        #expect(english.status == 3)
        #expect(english.stderr.contains("proposal \(p.id): already confirmed") && english.stderr.contains("nothing confirmed"), "\(english.stderr)")
        #expect(!english.stderr.contains("alreadyConfirmed") && !english.stderr.contains("ConfirmRefusalReason"))
        #expect(try counts(c) == before)
    }

    @Test("when a later run of the region exists, a proposal of the earlier run is refused")
    func supersededRunRefused() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let p = try proposals(c)[0]
        #expect(try StaffFixture.run(url, "match", "--date", StaffFixture.runDate).status == 0)
        let r = try StaffFixture.run(url, "confirm", String(p.id))
        #expect(r.status == 3)
        #expect(r.stderr.contains("推荐 \(p.id)：第 1 次匹配运行已被区域") && r.stderr.contains("第 2 次运行取代"), "\(r.stderr)")
        #expect(try c.query("SELECT count(*) AS n FROM placement WHERE source = 'confirmed'")[0].int("n") == 0)
    }

    @Test("when the opening is full by now, the proposal is refused and a failed command changes nothing")
    func fullOpeningRefusedAndNothingChanges() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let all = try proposals(c)
        let (good, victim) = (all[0], all.first { $0.opening != all[0].opening }!)
        // Someone else was placed in the victim's opening since the run: fill every slot left.
        let left = try c.query("""
            SELECT o.slots - (SELECT count(*) FROM placement p WHERE p.opening_id = o.opening_id
                              AND p.start_date <= '2025-09-01' AND (p.end_date IS NULL OR p.end_date >= '2025-09-01')) AS n
            FROM opening o WHERE o.opening_id = \(victim.opening)
            """)[0].int("n")
        let others = try c.query("""
            SELECT certificate_no FROM seeker WHERE certificate_no NOT IN (SELECT certificate_no FROM proposal)
            ORDER BY certificate_no LIMIT \(left)
            """).map { try $0.string("certificate_no") }
        for s in others {
            try c.query("INSERT INTO placement (certificate_no, opening_id, start_date) VALUES (\(s), \(victim.opening), '2025-08-01')")
        }
        let before = try counts(c)
        let r = try StaffFixture.run(url, "confirm", String(good.id), String(victim.id))
        #expect(r.status == 3)
        #expect(r.stderr.contains("推荐 \(victim.id)：岗位 \(victim.opening) 在") && r.stderr.contains("已无空缺"), "\(r.stderr)")
        #expect(!r.stderr.contains("推荐 \(good.id)："), "only the refused proposal is named")
        #expect(try counts(c) == before, "all-or-nothing: the good proposal was not confirmed either")

        let partial = try StaffFixture.run(url, "confirm", String(good.id), String(victim.id), "--partial")
        #expect(partial.status == 0)
        #expect(partial.stdout.contains("已确认推荐 \(good.id)"))
        #expect(partial.stderr.contains("推荐 \(victim.id)：岗位 \(victim.opening) 在"), "\(partial.stderr)")
    }

    @Test("when the seeker is no longer eligible, the refusal names the rule")
    func ineligibleSeekerRefusedNamingTheRule() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let p = try proposals(c)[0]
        try c.query("UPDATE seeker SET status = 'inactive' WHERE certificate_no = \(p.cert)")
        let r = try StaffFixture.run(url, "confirm", String(p.id))
        #expect(r.status == 3)
        #expect(r.stderr.contains("推荐 \(p.id)：求职者") && r.stderr.contains("E1 求职状态"), "\(r.stderr)")
        #expect(!r.stderr.contains(p.cert))
    }

    @Test("when --run --all is given, every proposal still passing is confirmed in one transaction")
    func confirmAll() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let n = try proposals(c).count
        let r = try StaffFixture.run(url, "confirm", "--run", "1", "--all")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try c.query("SELECT count(*) AS n FROM placement WHERE source = 'confirmed'")[0].int("n") == n)
        let again = try StaffFixture.run(url, "confirm", "--run", "1", "--all")
        #expect(again.status == 0)
        #expect(again.stdout.contains("该运行中有 \(n) 条推荐此前已确认"))
    }

    @Test("when a proposed and an unmatched seeker are explained, certificates are masked unless --unmasked, which is audited")
    func explainMaskedAndUnmasked() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let proposed = try proposals(c)[0].cert
        let unmatched = try c.query("SELECT certificate_no FROM unmatched WHERE run_id = 1 AND reason = 'no_eligible_opening' ORDER BY 1 LIMIT 1")[0].string("certificate_no")
        let outcompeted = try c.query("SELECT certificate_no FROM unmatched WHERE run_id = 1 AND reason = 'outcompeted' ORDER BY 1 LIMIT 1").first
            .map { try $0.string("certificate_no") }
        for cert in [proposed, unmatched] + (outcompeted.map { [$0] } ?? []) {
            let r = try StaffFixture.run(url, "explain", "--seeker", cert)
            #expect(r.status == 0, "\(r.stderr)")
            // CONTRACT.md §5: first 6 and last 4 of the resident ID; category and grade hidden.
            let masked = String(cert.prefix(6)) + String(repeating: "*", count: 8) + String(cert.dropFirst(14).prefix(4)) + "**"
            #expect(r.stdout.contains(masked))
            #expect(!r.stdout.contains(cert))
            #expect(r.stdout.contains("匹配运行：第 1 次"))
        }
        #expect(try StaffFixture.run(url, "explain", "--seeker", proposed).stdout.contains("推荐岗位"))
        #expect(try StaffFixture.run(url, "explain", "--seeker", unmatched).stdout.contains("没有符合条件的岗位"))

        let audits = try c.query("SELECT count(*) AS n FROM audit_log WHERE action = 'unmasked_output'")[0].int("n")
        let whole = try StaffFixture.run(url, "explain", "--seeker", proposed, "--unmasked")
        #expect(whole.stdout.contains(proposed))
        #expect(try c.query("SELECT count(*) AS n FROM audit_log WHERE action = 'unmasked_output' AND subject = 'explain'")[0].int("n") == audits + 1)

        // A seeker E1 excludes (not seeking) is told so.
        let inactive = try c.query("SELECT certificate_no FROM seeker WHERE status <> 'seeking' ORDER BY 1 LIMIT 1").first.map { try $0.string("certificate_no") }
        if let inactive {
            let r = try StaffFixture.run(url, "explain", "--seeker", inactive)
            #expect(r.stdout.contains("E1"), "\(r.stdout)")
        }
        #expect(try StaffFixture.run(url, "explain", "--seeker", "41030719000101000011").status == 3)
    }

    @Test("every export parses back: CSV with BOM, CRLF and quoting, JSON with English keys")
    func exportsParseBack() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("staff-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let certs = try c.query("SELECT certificate_no FROM seeker").map { try $0.string("certificate_no") }
        for what in ["proposals", "candidates", "unmatched", "reviews", "placements", "indicators"] {
            let year = what == "reviews" ? ["--year", "2024"] : what == "indicators" ? ["--year", "2025"] : []
            let csvFile = dir.appendingPathComponent("\(what).csv").path
            let r = try CLIRunner.run(["export", what, "--output", csvFile, "--database-url", url] + year)
            #expect(r.status == 0, "\(what): \(r.stderr)")
            let records = try parseExportCSV(try Data(contentsOf: URL(fileURLWithPath: csvFile)))
            #expect(records.count > 1, "\(what) has rows")
            #expect(Set(records.map(\.count)).count == 1, "\(what): every record has the header's width")
            let text = try String(contentsOfFile: csvFile, encoding: .utf8)
            #expect(!certs.contains { text.contains($0) }, "\(what): no whole certificate number")
            let json = try StaffFixture.run(url, "export", what, "--format", "json", year.first ?? "--headers", year.last ?? "zh")
            #expect(json.status == 0, "\(what): \(json.stderr)")
            let array = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(array.count == records.count - 1, "\(what): JSON and CSV have the same rows")
            #expect(array.allSatisfy { $0.keys.allSatisfy { $0.range(of: "^[a-z_]+$", options: .regularExpression) != nil } })
        }
        // Header language, and the candidates contract.
        let en = try StaffFixture.run(url, "export", "candidates", "--run", "1", "--format", "csv", "--headers", "en")
        let lines = String(en.stdout.dropFirst()).components(separatedBy: "\r\n")
        #expect(lines[0] == "certificate_no,opening_id,score")
        let pairs = try c.query("SELECT pairs FROM match_run WHERE run_id = 1")[0].int("pairs")
        #expect(lines.count - 2 == pairs)  // header, then one line per pair, then "" after the last CRLF
        let zh = try StaffFixture.run(url, "export", "candidates")
        #expect(zh.stdout.dropFirst().hasPrefix("残疾人证号,岗位编号,匹配分\r\n"))
        // Money is integer fen in JSON.
        let reviews = try StaffFixture.run(url, "export", "reviews", "--year", "2024", "--format", "json")
        let first = try #require((try JSONSerialization.jsonObject(with: Data(reviews.stdout.utf8)) as? [[String: Any]])?.first)
        #expect(first["levy_fen"] is NSNumber && first["ratio"] is String)
        // --unmasked prints whole numbers and is audited.
        let whole = try StaffFixture.run(url, "export", "proposals", "--unmasked")
        #expect(certs.contains { whole.stdout.contains($0) })
        #expect(try c.query("SELECT count(*) AS n FROM audit_log WHERE action = 'unmasked_output' AND subject = 'export'")[0].int("n") == 1)
    }

    @Test("indicators equal SQL counts on the example district")
    func indicatorsEqualSQLCounts() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        #expect(try StaffFixture.run(url, "confirm", "--run", "1", "--all").status == 0)
        let r = try StaffFixture.run(url, "export", "indicators", "--year", "2025", "--format", "json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        func value(_ code: String) -> String? { rows.first { $0["code"] as? String == code }?["value"] as? String }
        func sql(_ q: String) throws -> String { String(try c.query(Query(unsafeSQL: q))[0].int64("n")) }
        #expect(value("seekers_registered_total") == (try sql("SELECT count(*) AS n FROM seeker WHERE registered_on IS NULL OR registered_on <= '2025-12-31'")))
        #expect(value("placements_in_year") == (try sql("SELECT count(*) AS n FROM placement WHERE start_date BETWEEN '2025-01-01' AND '2025-12-31'")))
        #expect(value("placements_public_welfare") == (try sql("""
            SELECT count(*) AS n FROM placement p JOIN opening o USING (opening_id)
            WHERE o.kind = 'public_welfare' AND p.start_date BETWEEN '2025-01-01' AND '2025-12-31'
            """)))
        #expect(value("zero_employment_households_lifted") == (try sql("""
            SELECT count(DISTINCT h.household_id) AS n FROM placement p JOIN seeker s USING (certificate_no)
            JOIN household h ON h.household_id = s.household_id
            WHERE h.employed_members = 0 AND p.start_date BETWEEN '2025-01-01' AND '2025-12-31'
            """)))
        // The plan counts persons (人), with the records (人次) beside them (issue 12).
        #expect(value("trained_plan_period") == (try sql("""
            SELECT count(DISTINCT certificate_no) AS n FROM training
            WHERE completed AND coalesce(end_date, start_date) BETWEEN '2021-01-01' AND '2025-12-31'
            """)))
        #expect(value("trained_plan_period_times") == (try sql("""
            SELECT count(*) AS n FROM training WHERE completed AND coalesce(end_date, start_date) BETWEEN '2021-01-01' AND '2025-12-31'
            """)))
        #expect(value("trained_plan_period") != value("trained_plan_period_times"), "the example has people trained more than once")
        #expect(rows.first { $0["code"] as? String == "trained_plan_period" }?["unit"] as? String == "人")
        #expect((rows.first { $0["code"] as? String == "trained_plan_period" }?["target_source"] as? String)?
            .contains("城乡残疾人培训人数（人）1000") == true)
        #expect(rows.first { $0["code"] as? String == "trained_plan_period" }?["target"] as? String == "1000")
        let y2024 = try StaffFixture.run(url, "export", "indicators", "--year", "2024", "--format", "json")
        let rows24 = try #require(try JSONSerialization.jsonObject(with: Data(y2024.stdout.utf8)) as? [[String: Any]])
        let levy = rows24.first { $0["code"] as? String == "levy_total" }?["amount_fen"] as? NSNumber
        #expect(levy?.int64Value == (try c.query("""
            SELECT sum(levy_fen) AS n FROM (SELECT DISTINCT ON (credit_code) levy_fen, status FROM review WHERE year = 2024
                                             ORDER BY credit_code, version DESC) l WHERE status = 'reviewed'
            """)[0].int64("n")))
    }

    @Test("the report is one self-contained HTML page with SVG charts and no person in it")
    func reportRenders() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("staff-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try StaffFixture.run(url, "report", "--year", "2025", "--output", dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 5)
        for id in ["placements-by-year", "placements-by-town", "households-lifted", "quota-ratios", "levy-reward"] {
            #expect(html.contains("id=\"\(id)\""))
        }
        #expect(html.contains("规定比例 1.6%"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=") && !html.contains("@import"))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"), "no network resource")
        let certs = try c.query("SELECT certificate_no, name FROM seeker").map { (try $0.string("certificate_no"), try $0.string("name")) }
        #expect(!certs.contains { html.contains($0.0) || html.contains(String($0.0.prefix(6)) + "**") })
    }
}
