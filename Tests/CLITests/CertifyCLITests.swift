import Foundation
import Postgres
import Testing
import TestSupport

/// The center's year through the built binary on the example district
/// (issue 16): declarations from draft to the 审核确认书, and follow-up.
/// `--year 2024` is the reviewed year; Henan's window for it (policy data) is
/// 2025-03-01 … 2025-06-30.
@Suite("certification and follow-up through the binary")
struct CertifyCLITests {
    static let inWindow = "2025-03-02"
    static let afterWindow = "2025-07-05"
    /// 洛阳鼎泰重工机械有限公司: 4 people on its 2024 roster, opening YS-P030.
    static let employer = "91410381671088103U"
    /// 洛阳九鼎钢制家具有限公司: 2 people on its 2024 roster.
    static let other = "91410381557977388W"

    func certify(_ url: String, _ args: String...) throws -> CLIRunner.Result { try certify(url, args) }

    func certify(_ url: String, _ args: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(["certify"] + args + ["--database-url", url])
    }

    /// Declarations, frozen versions, row reasons and the audit trail: what a refused change must not touch.
    func snapshot(_ c: Connection) throws -> [String] {
        try c.query("""
            SELECT (SELECT string_agg(credit_code || year || state || coalesce(return_reason, ''), ',' ORDER BY credit_code, year)
                    FROM declaration) AS d,
                   (SELECT count(*) FROM declaration_version)::text AS v,
                   (SELECT count(*) FROM declaration_row_reason)::text AS r,
                   (SELECT count(*) FROM review)::text AS rv,
                   (SELECT count(*) FROM audit_log)::text AS a
            """).map { [try $0.string("d", default: ""), try $0.string("v"), try $0.string("r"), try $0.string("rv"), try $0.string("a")] }[0]
    }

    /// Opens 2024 and takes `employer` through submit → approve in the window.
    func approve2024(_ url: String, _ employers: [String]) throws {
        #expect(try certify(url, "open", "--year", "2024", "--date", Self.inWindow).status == 0)
        for e in employers {
            for step in ["submit", "approve"] {
                let r = try certify(url, step, "--year", "2024", "--employer", e, "--date", Self.inWindow)
                #expect(r.status == 0, "\(step) \(e): \(r.stderr)")
            }
        }
    }

    @Test("when 2025 is opened, each employer approved for 2024 is carried over without the people whose placements ended")
    func openCarriesOverApprovedRosters() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        try approve2024(url, [Self.employer, Self.other])
        // One person on the employer's 2024 roster was placed in its opening, and that placement ended in 2025.
        let gone = "41030719930113219622"
        try c.query("""
            INSERT INTO placement (certificate_no, opening_id, start_date, end_date) VALUES (\(gone), 'YS-P030', DATE '2019-12-14', DATE '2025-10-31')
            """)
        // Someone else's placement there runs on: they stay.
        try c.query("""
            INSERT INTO placement (certificate_no, opening_id, start_date) VALUES ('41038119990816693553', 'YS-P030', DATE '2021-08-19')
            """)

        func people(_ e: String, _ y: Int) throws -> [String] {
            try c.query("SELECT person_key FROM roster WHERE credit_code = \(e) AND year = \(y) ORDER BY person_key").map { try $0.string("person_key") }
        }
        // After the approval someone changed last year's rows: the approved (frozen) roster is carried, not these.
        let approvedOther = try people(Self.other, 2024)
        try c.query("DELETE FROM roster WHERE credit_code = \(Self.other) AND year = 2024 AND person_key = \(approvedOther[0])")
        let open = try certify(url, "open", "--year", "2025", "--date", "2026-03-02")
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout.contains("结转 2 家"), "\(open.stdout)")
        let carried = try people(Self.employer, 2025)
        #expect(carried == (try people(Self.employer, 2024)).filter { $0 != String(gone.prefix(18)) })
        #expect(carried.count == 3)
        #expect(try people(Self.other, 2025) == approvedOther)
        #expect(approvedOther.count == 2)
        // An employer not approved for 2024 gets an empty draft.
        #expect(try people("914103813761199669", 2025).isEmpty)
        #expect(try c.query("SELECT count(*) AS n FROM declaration WHERE year = 2025 AND state = 'draft'")[0].int("n")
                == c.query("SELECT count(*) AS n FROM employer")[0].int("n"))

        let status = try certify(url, "status", "--year", "2025", "--date", "2026-03-02", "--json")
        #expect(status.status == 0, "\(status.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == (try c.query("SELECT count(*) AS n FROM employer")[0].int("n")))
        for row in rows {
            #expect(row["state"] as? String == "draft")
            #expect(row["deadline"] as? String == "2026-06-30")
            #expect(row["days_left"] as? Int == 121)
            #expect((row["credit_code"] as? String)?.count == 18)
            #expect(row["declared"] as? Bool == false)
        }
        // Opening again changes nothing.
        let before = try people(Self.employer, 2025)
        #expect(try certify(url, "open", "--year", "2025", "--date", "2026-03-02").stdout.contains("新建草稿 0 家"))
        #expect(try people(Self.employer, 2025) == before)
    }

    @Test("submit, return with a reason, submit, approve: a numbered letter whose figures equal the review")
    func fullCycleAndLetter() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let y = ["--year", "2024", "--employer", Self.employer, "--date", Self.inWindow]
        #expect(try certify(url, ["open", "--year", "2024", "--date", Self.inWindow]).status == 0)
        #expect(try certify(url, ["submit"] + y).status == 0)
        let back = try certify(url, ["return"] + y + ["--reason", "缺少劳动合同复印件", "--row", "41031119800612312314=合同已于2025年3月到期"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("已申报 → 已退回"))
        #expect(try c.query("SELECT state, return_reason FROM declaration WHERE credit_code = \(Self.employer) AND year = 2024")[0]
            .string("return_reason") == "缺少劳动合同复印件")
        #expect(try c.query("SELECT count(*) AS n FROM declaration_row_reason")[0].int("n") == 1)
        let returned = try json(try certify(url, ["status", "--year", "2024", "--date", Self.inWindow, "--json"]))
        let mine = try #require(returned.first { $0["credit_code"] as? String == Self.employer })
        #expect(mine["state"] as? String == "returned" && mine["return_reason"] as? String == "缺少劳动合同复印件")
        let rowReasons = try #require(mine["row_reasons"] as? [[String: String]])
        #expect(rowReasons.count == 1 && rowReasons[0]["reason"] == "合同已于2025年3月到期")
        #expect(rowReasons[0]["person"] != "410311198006123123", "masked")
        #expect(try certify(url, ["submit"] + y).status == 0)
        let ok = try certify(url, ["approve"] + y)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("已申报 → 已审核"))
        let v = try c.query("""
            SELECT letter_no, verification_code, review_id FROM declaration_version WHERE credit_code = \(Self.employer) AND year = 2024
            """)
        #expect(v.count == 1)
        let letterNo = try v[0].string("letter_no")
        #expect(letterNo.hasPrefix("2024-"))
        #expect(ok.stdout.contains(letterNo))
        let actions = try c.query("SELECT action FROM audit_log WHERE action LIKE 'certify_%' ORDER BY audit_id").map { try $0.string("action") }
        #expect(actions == ["certify_open", "certify_submit", "certify_return", "certify_submit", "certify_approve"])

        let dir = try temporaryDirectory("letter")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("letter.html").path
        let written = try certify(url, "letter", "--year", "2024", "--employer", Self.employer, "--output", file)
        #expect(written.status == 0, "\(written.stderr)")
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("审核确认书") && html.contains(letterNo) && html.contains("@page { size: A4"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "no outside resource")
        var figures: [String: String] = [:]
        let pattern = try NSRegularExpression(pattern: #"data-figure="([a-z_]+)" data-value="([^"]*)""#)
        for m in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            figures[String(html[Range(m.range(at: 1), in: html)!])] = String(html[Range(m.range(at: 2), in: html)!])
        }
        #expect(figures.count == 6)

        let review = try CLIRunner.run(["review", "--year", "2024", "--employer", Self.employer, "--json", "--database-url", url])
        #expect(review.status == 0)
        let r = try #require((try JSONSerialization.jsonObject(with: Data(review.stdout.utf8)) as? [[String: Any]])?.first)
        func text(_ v: Any?) -> String {
            switch v {
            case let n as NSNumber: return n.stringValue
            case let s as String: return s
            default: return "null"
            }
        }
        for key in ["employees", "required", "counted", "ratio", "levy_fen", "reward_fen"] {
            #expect(figures[key] == text(r[key]), "\(key): letter \(figures[key] ?? "-") review \(text(r[key]))")
        }
        #expect(text(r["levy_fen"]) != "null" && text(r["levy_fen"]) != "0", "the example employer owes a levy")
    }

    @Test("forbidden changes are refused in Chinese with exit 3 and change nothing")
    func forbiddenTransitions() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let y = ["--year", "2024", "--employer", Self.employer, "--date", Self.inWindow]
        #expect(try certify(url, ["open", "--year", "2024", "--date", Self.inWindow]).status == 0)

        func refused(_ args: [String], saying words: String) throws {
            let before = try snapshot(c)
            let r = try certify(url, args)
            #expect(r.status == 3, "\(args): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains(words), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("Refused") && !r.stderr.contains("CertificationRefusal"), "no internal name")
            #expect(try snapshot(c) == before, "\(args) changed something")
        }
        try refused(["approve"] + y, saying: "尚未提交")
        #expect(try certify(url, ["submit"] + y).status == 0)
        try refused(["return"] + y, saying: "退回申报必须填写原因")
        try refused(["return"] + y + ["--reason", "  "], saying: "退回申报必须填写原因")
        try refused(["return"] + y + ["--reason", "x", "--row", "110101199001011234=不在名单"], saying: "不在该单位本年度的申报名单中")
        try refused(["approve", "--year", "2024", "--employer", Self.employer, "--date", Self.afterWindow], saying: "逾期审核须由管理员操作")
        try refused(["approve", "--year", "2024", "--employer", Self.employer, "--date", Self.afterWindow, "--admin"], saying: "逾期审核须由管理员操作")
        try refused(["approve", "--year", "2024", "--employer", "91410381000000000X", "--date", Self.inWindow], saying: "没有统一社会信用代码为")
        try refused(["submit", "--year", "2023", "--employer", Self.employer, "--date", Self.inWindow], saying: "尚未开启")
        // An employer without the year's staff figures cannot be approved; the review it ran is not stored either.
        let noFigures = ["--year", "2024", "--employer", "91410381541137149M", "--date", Self.inWindow]
        #expect(try certify(url, ["submit"] + noFigures).status == 0)
        try refused(["approve"] + noFigures, saying: "无法审核通过")
        #expect(try certify(url, ["approve"] + y).status == 0)
        try refused(["approve"] + y, saying: "已审核通过，不能再次审核")
        try refused(["submit"] + y, saying: "已审核通过，不能再次审核或申报")
        try refused(["reopen"] + y + ["--reason", "人数有误"], saying: "须由管理员操作")

        // An admin may approve late, with a reason; and reopen, keeping the old version and its letter.
        #expect(try certify(url, ["submit", "--year", "2024", "--employer", Self.other, "--date", Self.afterWindow]).status == 0)
        let late = try certify(url, ["approve", "--year", "2024", "--employer", Self.other, "--date", Self.afterWindow, "--admin", "--reason", "单位补交材料"])
        #expect(late.status == 0, "\(late.stderr)")
        #expect(try c.query("SELECT late_reason FROM declaration_version WHERE credit_code = \(Self.other)")[0].string("late_reason") == "单位补交材料")
        let first = try c.query("SELECT letter_no FROM declaration_version WHERE credit_code = \(Self.employer)")[0].string("letter_no")
        let reopened = try certify(url, ["reopen"] + y + ["--admin", "--reason", "人数有误"])
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(try certify(url, ["submit"] + y).status == 0)
        #expect(try certify(url, ["approve"] + y).status == 0)
        let versions = try c.query("""
            SELECT version, letter_no, reopened_at IS NOT NULL AS reopened FROM declaration_version
            WHERE credit_code = \(Self.employer) ORDER BY version
            """)
        #expect(versions.count == 2)
        #expect(try versions[0].string("letter_no") == first && versions[0].bool("reopened"))
        #expect(try versions[1].string("letter_no") != first && !versions[1].bool("reopened"))
        // The frozen version cannot be edited or removed, even by SQL.
        #expect(throws: (any Error).self) { try c.query("UPDATE declaration_version SET letter_no = 'x' WHERE credit_code = \(Self.employer)") }
        #expect(throws: (any Error).self) { try c.query("DELETE FROM declaration_version WHERE credit_code = \(Self.employer)") }
    }

    @Test("the tax bureau's list has the levy form's columns for each approved employer")
    func taxList() throws {
        let (_, url) = try StaffFixture.database()
        try approve2024(url, [Self.employer])
        let dir = try temporaryDirectory("tax")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tax.csv")
        let r = try certify(url, "tax-list", "--year", "2024", "--output", file.path)
        #expect(r.status == 0, "\(r.stderr)")
        let records = try parseExportCSV(try Data(contentsOf: file))
        #expect(records.count == 2)
        let row = Dictionary(uniqueKeysWithValues: zip(records[0], records[1]))
        #expect(row["统一社会信用代码"] == Self.employer)
        #expect(row["上年在职职工人数"] == "430")
        #expect(row["上年在职职工工资总额"] == "26660000.00")
        #expect(row["上年在职职工年平均工资"] == "62000")
        for column in ["应安排残疾人就业人数", "上年实际安排残疾人就业人数", "应安排残疾人就业比例", "本期应纳费额", "审核确认书编号"] {
            #expect(!(row[column] ?? "").isEmpty, "\(column)")
        }
    }

    @Test("tax-list --output x.xlsx: a 0600 workbook with the CSV's cells, the credit code and letter number as 文本, dates as dates, yuan as money")
    func taxListWorkbook() throws {
        let (_, url) = try StaffFixture.database()
        try approve2024(url, [Self.employer])
        let dir = try temporaryDirectory("tax-xlsx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csvFile = dir.appendingPathComponent("tax.csv"), xlsxFile = dir.appendingPathComponent("tax.xlsx")
        #expect(try certify(url, "tax-list", "--year", "2024", "--output", csvFile.path).status == 0)
        let r = try certify(url, "tax-list", "--year", "2024", "--output", xlsxFile.path)
        #expect(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(stat(xlsxFile.path, &st) == 0 && st.st_mode & 0o777 == 0o600)
        let csv = try parseExportCSV(try Data(contentsOf: csvFile))
        let json = try Office.python(SpreadsheetCLITests.openpyxlDump, [xlsxFile.path])
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try #require(dump["rows"] as? [[[String]]])
        #expect(dump["freeze"] as? String == "A2")
        try #require(rows.count == csv.count && csv.count == 2)
        #expect(rows[0].map { $0[1] } == csv[0])
        for (i, expected) in csv[1].enumerated() {
            let (type, text, format) = (rows[1][i][0], rows[1][i][1], rows[1][i][2])
            switch csv[0][i] {
            case "统一社会信用代码", "审核确认书编号", "核验码":
                #expect(type == "string" && format == "@" && text == expected, "\(csv[0][i]): \(rows[1][i])")
            case "费款所属期起", "费款所属期止":
                #expect(type == "date" && text == expected, "\(csv[0][i]): \(rows[1][i])")
            case "上年在职职工工资总额", "上年在职职工年平均工资", "本期应纳费额":
                #expect(type == "number" && format.contains("元") && Double(text) == Double(expected), "\(csv[0][i]): \(rows[1][i])")
            case "用人单位名称":
                #expect(type == "string" && text == expected)
            default:
                #expect(type == "number" && Double(text) == Double(expected), "\(csv[0][i]): \(rows[1][i]) vs \(expected)")
            }
        }
        #expect(rows[1][2][1] == Self.employer)
    }

    @Test("the letter prints to a one-page A4 PDF through chromium")
    func letterPDF() throws {
        let (_, url) = try StaffFixture.database()
        try approve2024(url, [Self.employer])
        let dir = try temporaryDirectory("pdf")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("letter.pdf")
        let r = try certify(url, "letter", "--year", "2024", "--employer", Self.employer, "--output", file.path)
        #expect(r.status == 0, "\(r.stderr)")
        let bytes = try Data(contentsOf: file)
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        let info = try Spawn.run(["/usr/bin/pdfinfo", file.path])
        #expect(info.stdout.contains("Pages:           1"), "one page: \(info.stdout)")
        #expect(info.stdout.contains("(A4)"), "A4: \(info.stdout)")
    }

    /// The 1-, 3- and 6-month rule, computed by PostgreSQL's own month arithmetic
    /// (which also clamps 31 January + 1 month to February's last day).
    func expectedDue(_ c: Connection, on day: String) throws -> Set<String> {
        Set(try c.query("""
            SELECT p.placement_id::text || '/' || m::text || '/' || (p.start_date + make_interval(months => m))::date::text AS k
            FROM placement p CROSS JOIN unnest(ARRAY[1, 3, 6]) AS m
            WHERE (p.start_date + make_interval(months => m))::date <= \(day)::date
              AND (p.end_date IS NULL OR p.end_date >= (p.start_date + make_interval(months => m))::date)
            """).map { try $0.string("k") })
    }

    func json(_ r: CLIRunner.Result) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "\(r.stderr)")
    }

    @Test("followup due lists the example district's placements by the 1-, 3- and 6-month rule; left ends the placement and retention falls")
    func followUpDueRecordAndRetention() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let day = StaffFixture.runDate
        let due = try CLIRunner.run(["followup", "due", "--date", day, "--json", "--database-url", url])
        #expect(due.status == 0, "\(due.stderr)")
        let rows = try json(due)
        let listed = Set(rows.map { "\($0["placement_id"]!)/\($0["offset_months"]!)/\($0["due_on"]!)" })
        let expected = try expectedDue(c, on: day)
        #expect(!expected.isEmpty)
        #expect(listed == expected)
        #expect(Set(rows.compactMap { $0["offset_months"] as? Int }) == [1, 3])
        for r in rows {
            let cert = try #require(r["certificate_no"] as? String)
            #expect(cert.contains("*"), "masked: \(cert)")
            #expect((r["overdue"] as? Bool) == ((r["due_on"] as? String)! < day))
        }
        let towns = rows.compactMap { $0["town_code"] as? String }
        #expect(towns == towns.sorted(), "by town")

        // A placement past its 3-month mark, still running: found gone at its 1-month follow-up.
        let p = try #require(try c.query("""
            SELECT p.placement_id, (p.start_date + interval '1 month')::date::text AS d, o.kind
            FROM placement p JOIN opening o ON o.opening_id = p.opening_id
            WHERE p.end_date IS NULL AND p.start_date + interval '3 months' <= DATE '2025-09-01'
            ORDER BY p.placement_id LIMIT 1
            """).first)
        let id = try p.int64("placement_id"), leftOn = try p.string("d"), kind = try p.string("kind")
        func retained() throws -> (Int, Int) {
            let r = try CLIRunner.run(["followup", "retention", "--date", day, "--json", "--database-url", url])
            let row = try #require(try json(r).first { $0["opening_kind"] as? String == kind && $0["months"] as? Int == 3 })
            return (row["retained"] as! Int, row["eligible"] as! Int)
        }
        func indicator(_ code: String) throws -> String? {
            let r = try CLIRunner.run(["export", "indicators", "--year", "2025", "--format", "json", "--database-url", url])
            return try json(r).first { $0["code"] as? String == code }?["value"] as? String
        }
        let before = try retained()
        let indicatorBefore = try indicator("retention_3m_\(kind)")
        let overdueBefore = try #require(try indicator("followups_overdue"))
        let recorded = try CLIRunner.run(["followup", "record", String(id), "--date", leftOn, "--outcome", "left", "--reason", "回家务农",
                                          "--database-url", url])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try c.query("SELECT end_date::text AS e FROM placement WHERE placement_id = \(id)")[0].string("e") == leftOn)
        #expect(try c.query("SELECT end_reason FROM placement WHERE placement_id = \(id)")[0].string("end_reason") == "left",
                 "ended as `placement end --reason left` ends it")
        #expect(try c.query("SELECT count(*) AS n FROM audit_log WHERE action = 'placement_end'")[0].int("n") == 1)
        let after = try retained()
        #expect(after.0 == before.0 - 1 && after.1 == before.1, "retention \(before) → \(after)")
        let indicatorAfter = try indicator("retention_3m_\(kind)")
        #expect(indicatorBefore != nil && indicatorAfter != nil && indicatorAfter != indicatorBefore,
                 "export indicators: \(indicatorBefore ?? "-") → \(indicatorAfter ?? "-")")
        #expect(Int(try #require(try indicator("followups_overdue")))! < Int(overdueBefore)!, "the recorded follow-up is no longer overdue")
        #expect(try c.query("SELECT outcome FROM followup WHERE placement_id = \(id)").map { try $0.string("outcome") } == ["left"])
        let again = try json(try CLIRunner.run(["followup", "due", "--date", day, "--json", "--database-url", url]))
        #expect(!again.contains { ($0["placement_id"] as? Int).map(Int64.init) == id }, "an ended placement owes no more follow-ups")
        #expect(Set(again.map { "\($0["placement_id"]!)/\($0["offset_months"]!)/\($0["due_on"]!)" }) == (try expectedDue(c, on: day)).filter { !$0.hasPrefix("\(id)/") }, "the others still due")

        // Refusals: exit 3 in Chinese, nothing written.
        let n = try c.query("SELECT count(*) AS n FROM followup")[0].int("n")
        for (args, words) in [
            (["followup", "record", "999999", "--date", day, "--outcome", "in_work"], "没有编号为 999999 的安置记录"),
            (["followup", "record", String(id), "--date", day, "--outcome", "in_work"], "该安置已于 \(leftOn) 结束"),
            (["followup", "record", String(id), "--date", day, "--outcome", "gone"], "应为 in_work"),
        ] {
            let r = try CLIRunner.run(args + ["--database-url", url])
            #expect(r.status == 3 && r.stderr.contains(words), "\(args): \(r.stderr)")
        }
        #expect(try c.query("SELECT count(*) AS n FROM followup")[0].int("n") == n)
    }

    @Test("each morning in the window: the employers to remind, a hook run with the list, the reminders recorded")
    func reminders() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        #expect(try certify(url, "open", "--year", "2024", "--date", Self.inWindow).status == 0)
        #expect(try certify(url, "submit", "--year", "2024", "--employer", Self.employer, "--date", Self.inWindow).status == 0)
        #expect(try certify(url, "submit", "--year", "2024", "--employer", Self.other, "--date", Self.inWindow).status == 0)
        #expect(try certify(url, "return", "--year", "2024", "--employer", Self.other, "--date", Self.inWindow, "--reason", "缺少工资表").status == 0)
        let dir = try temporaryDirectory("remind")
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = dir.appendingPathComponent("remind.csv"), sent = dir.appendingPathComponent("sent")
        try FileManager.default.createDirectory(at: sent, withIntermediateDirectories: true)

        let failing = try certify(url, "remind", "--year", "2024", "--date", "2025-03-03", "--output", list.path, "--hook", "false")
        #expect(failing.status == 1)
        #expect(try c.query("SELECT count(*) AS n FROM declaration_reminder")[0].int("n") == 0, "a failed hook records nothing")

        let r = try certify(url, "remind", "--year", "2024", "--date", "2025-03-03", "--output", list.path, "--hook", "cp -t \(sent.path)")
        #expect(r.status == 0, "\(r.stderr)")
        let records = try parseExportCSV(try Data(contentsOf: sent.appendingPathComponent("remind.csv")))
        let employers = try c.query("SELECT count(*) AS n FROM employer")[0].int("n")
        #expect(records.count == 1 + employers - 1, "everyone but the one submitted")
        #expect(!records.contains { $0[0] == Self.employer })
        #expect(records.contains { $0[0] == Self.other && $0[3] == "returned" })
        #expect(records.dropFirst().allSatisfy { $0[4] == "120" && $0[5] == "2025-06-30" })
        #expect(try c.query("SELECT count(*) AS n FROM declaration_reminder WHERE sent_on = DATE '2025-03-03'")[0].int("n") == employers - 1)
        let status = try json(try certify(url, "status", "--year", "2024", "--date", "2025-03-03", "--json"))
        #expect(status.first { $0["credit_code"] as? String == Self.other }?["reminders_sent"] as? Int == 1)
        #expect(status.first { $0["credit_code"] as? String == Self.employer }?["reminders_sent"] as? Int == 0)

        let outside = try certify(url, "remind", "--year", "2024", "--date", "2025-07-01", "--output", list.path, "--record")
        #expect(outside.status == 0)
        #expect(try parseExportCSV(try Data(contentsOf: list)).count == 1, "after the window: header only")
    }
}
