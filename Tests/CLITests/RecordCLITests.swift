import Foundation
import Postgres
import Sheets
import Testing
import TestSupport

/// Issue 12: staff keep the record right without SQL — the policy book, global
/// options, identifiers that do not exist, messages without internal names.
@Suite struct RecordCLITests {
    func reviewCount(_ config: ConnectionConfig, year: Int) throws -> Int {
        let c = try Connection.connect(config)
        defer { c.close() }
        return try c.query("SELECT count(*) AS n FROM review WHERE year = \(year)")[0].int("n")
    }

    @Test func whenTheBookLacksTheYearsAverageWageTheReviewSaysWhichInChineseAndPolicySetMendsIt() throws {
        let (config, url) = try StaffFixture.database()
        // One employer declares 2025 (the example district holds 2024 only).
        let dir = try temporaryDirectory("review2025")
        defer { try? FileManager.default.removeItem(at: dir) }
        let years = dir.appendingPathComponent("employer-years.csv")
        try "credit_code,year,employees,total_wages\n91410381671088103U,2025,430,26660000\n".write(to: years, atomically: true, encoding: .utf8)
        let imported = try StaffFixture.run(url, "import", "employer-years", years.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let refused = try StaffFixture.run(url, "review", "--year", "2025")
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("政策参数缺失"))
        #expect(refused.stderr.contains("social_average_wage"))
        #expect(refused.stderr.contains("2025-12-31"))
        #expect(refused.stderr.contains("jobmatch policy set social_average_wage 数值 --from 2025-01-01 --until 2025-12-31 --jurisdiction CN-41 "))
        #expect(!refused.stderr.contains("TransactionError"))
        #expect(try reviewCount(config, year: 2025) == 0, "a refused review stores nothing")

        let set = try StaffFixture.run(url, "policy", "set", "social_average_wage", "79000", "--from", "2025-01-01",
                                       "--until", "2025-12-31", "--jurisdiction", "CN-41",
                                       "--source", "测试来源：河南省统计局2025年平均工资", "--status", "placeholder")
        #expect(set.status == 0, "\(set.stderr)")
        let review = try StaffFixture.run(url, "review", "--year", "2025", "--json")
        #expect(review.status == 0, "\(review.stderr)")
        let reviewed = review.stdout.split(separator: "\n").first { $0.contains("\"91410381671088103U\"") }.map(String.init) ?? ""
        let namesTheRow = reviewed.contains("\"key\":\"social_average_wage\",\"jurisdiction\":\"CN-41\",\"value\":\"79000\"")
            && reviewed.contains("测试来源：河南省统计局2025年平均工资")
        #expect(namesTheRow, "the trace names the new row")
        #expect(try reviewCount(config, year: 2025) > 0)

        let c = try Connection.connect(config)
        defer { c.close() }
        let audit = try c.query("SELECT subject FROM audit_log WHERE action = 'policy_change'")
        #expect(try audit.map { try $0.string("subject") } == ["social_average_wage"])
    }

    @Test func whenStaffCorrectARowTheBookKeepsBothAndShowMarksWhichReplacedWhich() throws {
        let (config, url) = try StaffFixture.database()
        let set = try StaffFixture.run(url, "policy", "set", "social_average_wage", "76999", "--from", "2024-01-01",
                                       "--until", "2024-12-31", "--jurisdiction", "CN-41", "--source", "更正测试", "--status", "verified")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("取代 #"))
        let c = try Connection.connect(config)
        defer { c.close() }
        let rows = try c.query("""
            SELECT value FROM policy_parameter WHERE key = 'social_average_wage' AND valid_from = '2024-01-01' ORDER BY parameter_id
            """).map { try $0.string("value") }
        #expect(rows == ["76620", "76999"], "never an edit in place")
        let show = try StaffFixture.run(url, "policy", "show", "--date", "2024-06-30")
        #expect(show.status == 0, "\(show.stderr)")
        let line = show.stdout.split(separator: "\n").first { $0.contains("social_average_wage = ") }
        #expect(line?.contains("76999") == true && line?.contains("[有效；") == true)
        #expect(show.stdout.contains("取代 #") && show.stdout.contains("：76620 "))
        let english = try StaffFixture.run(url, "--lang", "en", "policy", "show", "--date", "2024-06-30")
        #expect(english.stdout.contains("in force") && english.stdout.contains("replaces #") && english.stdout.contains(": 76620 "))
        #expect(!english.stdout.contains("取代") && !english.stdout.contains("有效"))
    }

    @Test func whenAPolicyFileHasABadLineNothingIsAddedAndAGoodFileAddsEveryRow() throws {
        let (config, url) = try StaffFixture.database()
        let dir = try temporaryDirectory("policy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.csv")
        try """
            key,jurisdiction,valid_from,valid_to,value,source,status
            social_average_wage,CN-41,2025-01-01,2025-12-31,80000,测试,placeholder
            quota.ratio,CN-41,2026-01-01,,abc,测试,verified
            """.write(to: bad, atomically: true, encoding: .utf8)
        let before = try count(config, "policy_parameter")
        let refused = try StaffFixture.run(url, "policy", "import", bad.path)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("第 3 行") && refused.stderr.contains("quota.ratio"), "\(refused.stderr)")
        #expect(try count(config, "policy_parameter") == before)
        let good = dir.appendingPathComponent("good.csv")
        try """
            key,jurisdiction,valid_from,valid_to,value,source,status
            social_average_wage,CN-41,2025-01-01,2025-12-31,80000,测试,placeholder
            minimum_wage.monthly.tier1,CN-41,2026-01-01,,2100,测试,secondary
            """.write(to: good, atomically: true, encoding: .utf8)
        let ok = try StaffFixture.run(url, "policy", "import", good.path)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try count(config, "policy_parameter") == before + 2)
        #expect(try StaffFixture.run(url, "review", "--year", "2025").status == 0)
    }

    @Test func whenPolicySetIsGivenABadDateOrStatusItExits3AndAddsNothing() throws {
        let (config, url) = try StaffFixture.database()
        let before = try count(config, "policy_parameter")
        let r = try StaffFixture.run(url, "policy", "set", "social_average_wage", "80000", "--from", "2025-13-01",
                                     "--source", "x", "--status", "guess")
        #expect(r.status == 3)
        #expect(r.stderr.contains("--from 2025-13-01：应为 YYYY-MM-DD") && r.stderr.contains("--status guess") && r.stderr.contains("未添加任何参数"))
        let english = try StaffFixture.run(url, "--lang", "en", "policy", "set", "social_average_wage", "80000", "--from", "2025-13-01",
                                           "--source", "x", "--status", "guess")
        #expect(english.status == 3)
        #expect(english.stderr.contains("--from 2025-13-01: expected YYYY-MM-DD") && english.stderr.contains("nothing was added"), "\(english.stderr)")
        #expect(try count(config, "policy_parameter") == before)
    }
}

/// CONTRACT.md §1: global options in either place; an identifier that does not
/// exist is exit 3 naming it; no message names an internal type.
@Suite struct MessagesCLITests {
    /// Names of types inside jobmatch that a message must never show.
    static func namesAnInternalType(_ text: String) -> Bool {
        text.firstMatch(of: #/(Transaction|Postgres|Store|Policy|RowDecoding|Migration|Import|Intake|File|Validation)Error\b|\w+Error\(|Optional\(/#) != nil
    }

    @Test func whenTheDatabaseURLComesBeforeTheCommandStatusWorks() throws {
        let (_, url) = try StaffFixture.database()
        let before = try CLIRunner.run(["--database-url", url, "status"])
        #expect(before.status == 0, "\(before.stderr)")
        let equals = try CLIRunner.run(["--database-url=\(url)", "--lang", "zh", "status", "--json"])
        #expect(equals.status == 0, "\(equals.stderr)")
        let after = try CLIRunner.run(["status", "--lang", "en", "--database-url", url])
        #expect(after.status == 0, "\(after.stderr)")
        let badLang = try CLIRunner.run(["--lang", "fr", "--database-url", url, "status"])
        #expect(badLang.status == 2)
    }

    @Test(arguments: [
        (["review", "--year", "2024", "--employer", "NOPE"], "NOPE"),
        (["match", "--region", "NOPE", "--date", "2025-09-01"], "NOPE"),
        (["explain", "--seeker", "41030719900101001X43"], "410307"),
        (["explain", "--seeker", "41030719920311662743", "--run", "999"], "999"),
        (["confirm", "999999"], "999999"),
        (["export", "proposals", "--run", "999"], "999"),
    ])
    func whenAnIdentifierDoesNotExistTheCommandExits3AndNamesIt(args: [String], name: String) throws {
        let (_, url) = try StaffFixture.database()
        let r = try StaffFixture.run(url, args)
        #expect(r.status == 3, "\(args): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(name), "\(args): \(r.stderr)")
        #expect(!Self.namesAnInternalType(r.stderr), "\(args): \(r.stderr)")
    }

    @Test func noFailureOfAnyCommandNamesAnInternalType() throws {
        let (_, url) = try StaffFixture.database()
        let dir = try temporaryDirectory("failures")
        defer { try? FileManager.default.removeItem(at: dir) }
        let badCSV = dir.appendingPathComponent("seekers.csv")
        try "certificate_no,name,town_code\n123,张三,NOPE\n".write(to: badCSV, atomically: true, encoding: .utf8)
        let badPolicy = dir.appendingPathComponent("policy.csv")
        try "key,value\nx,1\n".write(to: badPolicy, atomically: true, encoding: .utf8)
        let failing: [[String]] = [
            ["review", "--year", "2025"], ["review", "--year", "2024", "--employer", "NOPE"],
            ["match", "--region", "NOPE"], ["explain", "--seeker", "NOPE"],
            ["confirm", "999999"], ["confirm", "--run", "999", "--all"], ["export", "proposals", "--run", "999"],
            ["export", "reviews"], ["import", "seekers", badCSV.path], ["import", "seekers", dir.appendingPathComponent("none.csv").path],
            ["policy", "set", "k", "v", "--from", "x", "--source", "", "--status", "y"], ["policy", "import", badPolicy.path],
            ["policy", "show", "--date", "nope"],
            ["placement", "end", "NOPE", "NOPE", "--date", "2025-01-01", "--reason", "left"],
            ["category", "add", "office", "文员"], ["duplicates", "resolve", "A", "B", "--same"],
        ]
        // In both languages of the catalogue (CONTRACT.md §1).
        for lang in ["zh", "en"] {
            for args in failing {
                let r = try StaffFixture.run(url, ["--lang", lang] + args)
                #expect(r.status != 0, "\(lang) \(args) should fail")
                #expect(!Self.namesAnInternalType(r.stderr), "\(lang) \(args): \(r.stderr)")
                #expect(!Self.namesAnInternalType(r.stdout), "\(lang) \(args): \(r.stdout)")
            }
            // The database unreachable: exit 1, in words.
            let down = try CLIRunner.run(["--lang", lang, "status", "--database-url", "postgresql://127.0.0.1:1/none?connect_timeout=2"])
            #expect(down.status == 1)
            #expect(!Self.namesAnInternalType(down.stderr), "\(lang): \(down.stderr)")
        }
    }
}

/// CONTRACT.md §5 as revised: a masked certificate shows the resident ID's first
/// 6 and last 4 characters and hides the category and grade (health data).
@Suite struct MaskingCLITests {
    /// A masked certificate followed by its category and grade, or the old mask (first 6, last 2).
    /// Every cell of a workbook's first sheet, one line each.
    static func cells(ofWorkbook path: String) throws -> String {
        var lines: [String] = []
        try Workbook(path: path, fileName: (path as NSString).lastPathComponent).rows { row in lines += row.cells }
        return lines.joined(separator: "\n")
    }

    static func showsCategoryOrGrade(_ text: String) -> Bool {
        text.firstMatch(of: #/[0-9]{6}\*{8}[0-9Xx]{4}[0-9]{2}|[0-9]{6}\*{10,12}[0-9]{2}(?![0-9*])/#) != nil
    }
    static func maskedCertificates(_ text: String) -> Int {
        text.matches(of: #/[0-9]{6}\*{8}[0-9Xx]{4}\*\*/#).count
    }

    @Test func whenOutputsAreMaskedNoneShowsACategoryOrGrade() throws {
        let (_, url) = try StaffFixture.database()
        let dir = try temporaryDirectory("masking")
        defer { try? FileManager.default.removeItem(at: dir) }
        let worksheets = dir.appendingPathComponent("ws").path
        let outputs: [[String]] = [
            ["match", "--date", "2025-09-01", "--dry-run", "--json"], ["match", "--date", "2025-09-01", "--dry-run"],
            ["explain", "--seeker", "41030719920311662743"], ["review", "--year", "2024", "--json"],
            ["review", "--year", "2024", "--worksheets", worksheets], ["subsidies", "--year", "2025", "--json"],
            ["subsidies", "--year", "2025"], ["export", "proposals", "--format", "json"], ["export", "unmatched", "--format", "csv"],
            ["export", "placements", "--year", "2025", "--format", "csv"], ["export", "reviews", "--year", "2024", "--format", "json"],
        ]
        var masked = 0
        for args in outputs {
            let r = try StaffFixture.run(url, args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(!Self.showsCategoryOrGrade(r.stdout) && !Self.showsCategoryOrGrade(r.stderr), "\(args)")
            #expect(!r.stdout.contains("41030719920311662743"), "\(args): a whole certificate")
            masked += Self.maskedCertificates(r.stdout)
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: worksheets) {
            let path = worksheets + "/" + file
            // The employer's workbook: every cell of its sheets, one per line.
            let text = file.hasSuffix(".xlsx")
                ? try Self.cells(ofWorkbook: path)
                : try String(contentsOfFile: path, encoding: .utf8)
            #expect(!Self.showsCategoryOrGrade(text), "worksheet \(file)")
            masked += Self.maskedCertificates(text)
        }
        #expect(masked > 100, "the outputs do carry masked certificates (\(masked))")
        // The explanation shows the person, masked the new way.
        let explained = try StaffFixture.run(url, "explain", "--seeker", "41030719920311662743")
        #expect(explained.stdout.contains("410307********6627**"))
    }
}

/// POLICY.md §4 and issue 12: nobody made up receives a subsidy; the human
/// statement lists each placement's programme by month, with totals.
@Suite struct SubsidiesCLITests {
    @Test func whenSubsidiesAreListedEveryBeneficiaryExistsAndEachPlacementShowsItsMonths() throws {
        let (config, url) = try StaffFixture.database()
        let json = try StaffFixture.run(url, "subsidies", "--year", "2025", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let placements = try #require(object["placements"] as? [[String: Any]])
        let totals = try #require(object["totals"] as? [[String: Any]])
        #expect(!placements.isEmpty)
        let c = try Connection.connect(config)
        defer { c.close() }
        let employers = Set(try c.query("SELECT credit_code FROM employer").map { try $0.string("credit_code") })
        let towns = Set(try c.query("SELECT code FROM region").map { try $0.string("code") })
        for item in placements + totals {
            let kind = item["beneficiary_kind"] as? String, who = item["beneficiary"] as? String ?? ""
            switch kind {
            case "employer": #expect(employers.contains(who), "\(who)")
            case "post_provider": #expect(employers.contains(who) || towns.contains(who), "\(who)")
            case "person": #expect(who.count == 20 && who.hasSuffix("**"), "\(who) is a masked certificate")
            default: Issue.record("beneficiary kind \(kind ?? "nil")")
            }
        }
        // The example district has placements in general openings without an employer.
        let attention = try #require(object["needs_attention"] as? [[String: Any]])
        #expect(!attention.isEmpty)
        #expect(attention.allSatisfy { $0["reason"] as? String == "no_employer" && $0["programme"] as? String == "employer_job_subsidy" })

        let human = try StaffFixture.run(url, "subsidies", "--year", "2025")
        #expect(human.status == 0, "\(human.stderr)")
        #expect(!human.stdout.contains("opening:"))
        #expect(human.stdout.contains("2025-12 ") && human.stdout.contains("按领取人合计：") && human.stdout.contains("合计："))
        #expect(human.stdout.contains("需要工作人员处理（未发放）"))
        #expect(human.stdout.contains("岗位未登记用人单位"))
        let english = try StaffFixture.run(url, "--lang", "en", "subsidies", "--year", "2025")
        #expect(english.stdout.contains("totals per beneficiary:") && english.stdout.contains("total: ")
                && english.stdout.contains("needs staff attention (not paid)") && english.stdout.contains("the opening has no employer"))
        #expect(!english.stdout.contains("岗位未登记用人单位") && !english.stdout.contains("元"))
    }
}

/// Reference data without SQL (issue 12): categories, ended placements, duplicates. All audited.
@Suite struct ReferenceDataCLITests {
    func query(_ config: ConnectionConfig, _ sql: Query) throws -> Rows {
        let c = try Connection.connect(config)
        defer { c.close() }
        return try c.query(sql)
    }

    @Test func whenStaffAddACategoryOpeningsMayUseItAndAnExistingOneIsRefused() throws {
        let (config, url) = try StaffFixture.database()
        let added = try StaffFixture.run(url, "category", "add", "tea_picker", "采茶工", "--demands", "walking;lifting", "--kind-default", "general")
        #expect(added.status == 0, "\(added.stderr)")
        let row = try query(config, "SELECT name, default_demands, default_kind FROM job_category WHERE code = 'tea_picker'")
        #expect(try row.first?.string("name") == "采茶工" && row.first?.string("default_kind") == "general")
        #expect(try row.first?.stringArray("default_demands") == ["walking", "lifting"])
        let dir = try temporaryDirectory("category")
        defer { try? FileManager.default.removeItem(at: dir) }
        let openings = dir.appendingPathComponent("openings.csv")
        try "opening_id,kind,category,town_code,slots,title\nYS-TEA1,general,采茶工,410307004,2,\(String(repeating: "长", count: 120))\n"
            .write(to: openings, atomically: true, encoding: .utf8)
        let imported = try StaffFixture.run(url, "import", "openings", openings.path)
        #expect(imported.status == 0, "a new category by its name, and a title of 120 characters: \(imported.stderr)")
        for (code, name) in [("office", "新文员"), ("new_code", "文员"), ("Bad Code", "x")] {
            let refused = try StaffFixture.run(url, "category", "add", code, name)
            #expect(refused.status == 3, "\(code) \(name): \(refused.stderr)")
        }
        #expect(try query(config, "SELECT count(*) AS n FROM audit_log WHERE action = 'category_add'")[0].int("n") == 1)
    }

    @Test func whenAPlacementEndsItIsKeptWithItsReasonTheSeekerSeeksAgainAndSubsidiesStop() throws {
        let (config, url) = try StaffFixture.database()
        let cert = "41038119720709248724", opening = "YS-P035"  // quota, from 2025-06-22, employer's job subsidy
        _ = try query(config, "UPDATE seeker SET status = 'employed' WHERE certificate_no = \(cert)")
        let before = try StaffFixture.run(url, "subsidies", "--year", "2025", "--json")
        #expect(before.stdout.contains("\"opening_id\" : \"YS-P035\""))
        let ended = try StaffFixture.run(url, "placement", "end", cert, opening, "--date", "2025-08-15", "--reason", "left")
        #expect(ended.status == 0, "\(ended.stderr)")
        #expect(ended.stdout.contains("employed → seeking"), "\(ended.stdout)")
        let row = try query(config, """
            SELECT end_date::text AS end_date, end_reason FROM placement WHERE certificate_no = \(cert) AND opening_id = \(opening)
            """)
        #expect(try row.first?.string("end_date") == "2025-08-15" && row.first?.string("end_reason") == "left")
        #expect(try query(config, "SELECT status FROM seeker WHERE certificate_no = \(cert)")[0].string("status") == "seeking")
        // Subsidies stop with the end month.
        let after = try StaffFixture.run(url, "subsidies", "--year", "2025", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        let lines = (object["placements"] as? [[String: Any]] ?? []).filter { $0["opening_id"] as? String == opening }
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { ($0["months"] as? [Int])?.max() == 8 })
        // Not active any more: ending it again names what is missing.
        let again = try StaffFixture.run(url, "placement", "end", cert, opening, "--date", "2025-09-30", "--reason", "left")
        #expect(again.status == 3 && again.stderr.contains(opening), "\(again.stderr)")
        let badReason = try StaffFixture.run(url, "placement", "end", cert, opening, "--date", "2025-09-30", "--reason", "bored")
        #expect(badReason.status == 3)
        #expect(try query(config, "SELECT count(*) AS n FROM audit_log WHERE action = 'placement_end'")[0].int("n") == 1)
        // A file that reopens it (an empty end_date) clears the reason; one without the column keeps the end.
        let dir = try temporaryDirectory("reopen")
        defer { try? FileManager.default.removeItem(at: dir) }
        let keep = dir.appendingPathComponent("keep.csv"), reopen = dir.appendingPathComponent("reopen.csv")
        try "certificate_no,opening_id,start_date\n\(cert),\(opening),2025-06-22\n".write(to: keep, atomically: true, encoding: .utf8)
        try "certificate_no,opening_id,start_date,end_date\n\(cert),\(opening),2025-06-22,\n".write(to: reopen, atomically: true, encoding: .utf8)
        #expect(try StaffFixture.run(url, "import", "placements", keep.path).status == 0)
        #expect(try query(config, "SELECT end_reason FROM placement WHERE certificate_no = \(cert) AND opening_id = \(opening)")[0]
            .optionalString("end_reason") == "left")
        #expect(try StaffFixture.run(url, "import", "placements", reopen.path).status == 0)
        let reopened = try query(config, """
            SELECT end_date, end_reason FROM placement WHERE certificate_no = \(cert) AND opening_id = \(opening)
            """)[0]
        #expect(try reopened.optionalString("end_date") == nil && reopened.optionalString("end_reason") == nil)
    }

    @Test func whenStaffDecideOnAPossibleDuplicateItIsRecordedAndNoLongerListed() throws {
        let (config, url) = try StaffFixture.database()
        let pair = try query(config, "SELECT certificate_no FROM seeker ORDER BY certificate_no LIMIT 2").map { try $0.string("certificate_no") }
        _ = try query(config, """
            INSERT INTO possible_duplicate (certificate_no_a, certificate_no_b, reason) VALUES (\(pair[0]), \(pair[1]), 'same_name_and_birth_date')
            """)
        let listed = try StaffFixture.run(url, "duplicates")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("1 对") && listed.stdout.contains(String(pair[0].prefix(6)) + "********"))
        #expect(!listed.stdout.contains(pair[0]), "masked")
        let resolved = try StaffFixture.run(url, "duplicates", "resolve", pair[1], pair[0], "--different")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(try StaffFixture.run(url, "duplicates").stdout.contains("0 对"))
        let row = try query(config, "SELECT decision, resolved_by FROM possible_duplicate")
        #expect(try row[0].string("decision") == "different")
        let unknown = try StaffFixture.run(url, "duplicates", "resolve", pair[0], "41030719900101001X43", "--same")
        #expect(unknown.status == 3)
        #expect(try StaffFixture.run(url, "duplicates", "resolve", pair[0], pair[1]).status == 2)
        #expect(try query(config, "SELECT count(*) AS n FROM audit_log WHERE action = 'duplicate_resolve'")[0].int("n") == 1)
    }
}
