import Foundation
import Postgres
import TestSupport
import Testing

/// CONTRACT.md §1: every message a person reads is Simplified Chinese unless
/// `--lang en` (or, without the flag, `JOBMATCH_LANG=en`) asks for English.
@Suite struct LanguageCLITests {
    /// The three ways to choose, with the language each gives.
    static let choices: [(args: [String], environment: [String: String], english: Bool)] = [
        ([], [:], false),
        (["--lang", "en"], [:], true),
        ([], ["JOBMATCH_LANG": "en"], true),
        (["--lang", "zh"], ["JOBMATCH_LANG": "en"], false),
    ]

    @Test func aFileWithoutARequiredColumnIsRefusedInTheChosenLanguage() throws {
        let db = try freshMigratedDatabase()
        let dir = try temporaryDirectory("lang")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("seekers.csv")
        try "name\n张三\n".write(to: file, atomically: true, encoding: .utf8)
        for choice in Self.choices {
            let r = try jobmatch(choice.args + ["import", "seekers", file.path, "--database-url", db.url], environment: choice.environment)
            #expect(r.status == 3, "\(choice): \(r.stderr)")
            if choice.english {
                #expect(r.stderr.contains("seekers.csv row 1: required column"), "\(choice): \(r.stderr)")
                #expect(r.stderr.contains("seekers.csv: nothing was written"), "\(choice): \(r.stderr)")
            } else {
                #expect(r.stderr.contains("seekers.csv 第 1 行：缺少必填列"), "\(choice): \(r.stderr)")
                #expect(r.stderr.contains("seekers.csv：未写入任何数据"), "\(choice): \(r.stderr)")
            }
        }
    }

    @Test func badRowsAndTheSummaryLineAreInTheChosenLanguage() throws {
        let db = try freshMigratedDatabase()
        for choice in Self.choices {
            let r = try jobmatch(choice.args + ["import", "regions", exampleURL("regions").path, "--database-url", db.url],
                                 environment: choice.environment)
            #expect(r.status == 0, "\(choice): \(r.stderr)")
            let expected = choice.english ? "regions.csv: 14 rows loaded (" : "regions.csv：导入 14 行（"
            #expect(r.stdout.contains(expected), "\(choice): \(r.stdout)")
        }
        let households = try jobmatch(["import", "households", exampleURL("households").path, "--database-url", db.url])
        try #require(households.status == 0, "\(households.stderr)")
        let dir = try temporaryDirectory("lang")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (header, records, bad) = try ImportCLITests.brokenSeekers()
        let file = dir.appendingPathComponent("seekers-bad.csv")
        try (([header] + records).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        for choice in Self.choices {
            let r = try jobmatch(choice.args + ["import", "seekers", file.path, "--database-url", db.url], environment: choice.environment)
            #expect(r.status == 3, "\(choice): \(r.stderr)")
            for (row, column) in bad {
                let line = choice.english ? "seekers-bad.csv row \(row), column \(column): value " : "seekers-bad.csv 第 \(row) 行，列 \(column)：值 "
                #expect(r.stderr.contains(line), "\(choice): \(r.stderr)")
            }
            // The rules themselves (issue 13: Intake's rules are typed, Render words them).
            let rules = choice.english
                ? ["— check character does not match (GB 11643)", "— no region with this code is loaded (load regions first)"]
                : ["— 校验码不符（GB 11643）", "— 没有已导入的此代码的地区（请先导入地区）"]
            for rule in rules { #expect(r.stderr.contains(rule), "\(choice): \(r.stderr)") }
            let last = choice.english ? "seekers-bad.csv: 3 rows rejected; nothing was written" : "seekers-bad.csv：3 行被拒绝；未写入任何数据"
            #expect(r.stderr.contains(last), "\(choice): \(r.stderr)")
        }
    }

    @Test func theRejectsFilesReasonsAreInTheChosenLanguage() throws {
        let db = try freshMigratedDatabase()
        for kind in ["regions", "households"] {
            let r = try jobmatch(["import", kind, exampleURL(kind).path, "--database-url", db.url])
            try #require(r.status == 0, "\(kind): \(r.stderr)")
        }
        let dir = try temporaryDirectory("lang")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (header, records, _) = try ImportCLITests.brokenSeekers()
        let file = dir.appendingPathComponent("seekers-bad.csv")
        try (([header] + records).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        for (i, choice) in Self.choices.enumerated() {
            let rejects = dir.appendingPathComponent("rejects-\(i).csv")
            let r = try jobmatch(choice.args + ["import", "seekers", file.path, "--partial", "--rejects", rejects.path, "--database-url", db.url],
                                 environment: choice.environment)
            #expect(r.status == 0, "\(choice): \(r.stderr)")
            #expect(r.stderr.contains(choice.english ? "rejected 3" : "拒绝 3 行"), "\(choice): \(r.stderr)")
            let text = try String(contentsOf: rejects, encoding: .utf8)
            // `town_code: 410307999 — …` in English, `town_code：410307999 — …` in Chinese.
            #expect(text.contains(choice.english ? "town_code: 410307999 — no region with this code is loaded (load regions first)"
                                                 : "town_code：410307999 — 没有已导入的此代码的地区（请先导入地区）"), "\(choice): \(text)")
        }
    }

    @Test func anUnreachableDatabaseIsReportedInTheChosenLanguage() throws {
        let empty = try temporaryDirectory("nosocket")
        defer { try? FileManager.default.removeItem(at: empty) }
        for choice in Self.choices {
            let r = try jobmatch(choice.args + ["status", "--database-url", "postgresql:///jobmatch?host=\(empty.path)"],
                                 environment: choice.environment)
            #expect(r.status == 1, "\(choice): \(r.stderr)")
            #expect(r.stderr.hasPrefix("jobmatch: "), "\(choice): \(r.stderr)")
            #expect(r.stderr.contains(choice.english ? "database" : "数据库"), "\(choice): \(r.stderr)")
            #expect(!MessagesCLITests.namesAnInternalType(r.stderr), "\(r.stderr)")
        }
    }

    @Test func anIdentifierThatDoesNotExistIsNamedInTheChosenLanguage() throws {
        let (_, url) = try StaffFixture.database()
        for choice in Self.choices {
            let r = try jobmatch(choice.args + ["export", "proposals", "--run", "999", "--database-url", url], environment: choice.environment)
            #expect(r.status == 3, "\(choice): \(r.stderr)")
            #expect(r.stderr.contains("999"), "\(choice): \(r.stderr)")
            #expect(r.stderr.contains(choice.english ? "not found" : "未找到"), "\(choice): \(r.stderr)")
        }
    }

    @Test func theMatchSummaryIsInTheChosenLanguage() throws {
        let (_, url) = try StaffFixture.database()
        for choice in Self.choices {
            let r = try jobmatch(choice.args + ["match", "--region", "410307", "--date", "2025-09-01", "--dry-run", "--database-url", url],
                                 environment: choice.environment)
            #expect(r.status == 0, "\(choice): \(r.stderr)")
            if choice.english {
                #expect(r.stdout.hasPrefix("run (dry run, not saved) for region 410307 on 2025-09-01"), "\(choice): \(r.stdout)")
                #expect(r.stdout.contains(" eligible pairs") && r.stdout.contains("  unmatched: "), "\(choice): \(r.stdout)")
            } else {
                #expect(r.stdout.hasPrefix("匹配试运行（未保存）：区域 410307，日期 2025-09-01"), "\(choice): \(r.stdout)")
                #expect(r.stdout.contains("符合条件的组合") && r.stdout.contains("  未安排："), "\(choice): \(r.stdout)")
            }
            #expect(!MessagesCLITests.namesAnInternalType(r.stdout), "\(r.stdout)")
        }
    }

    /// A Swift value's own spelling (`unknownEmployer("…")`, `LockedWork`, `Optional(`): never in a message.
    static func showsASwiftValue(_ text: String) -> Bool {
        MessagesCLITests.namesAnInternalType(text)
            || text.firstMatch(of: #/\b[a-z]+[A-Z][A-Za-z]*\(|Refused|RefusalReason|LockedWork|ImportWarning|SheetProblem|IntakeWarning/#) != nil
    }

    /// One representative command of each family of issue 13's second pass: Chinese by default, English with --lang en.
    @Test func eachFamilySpeaksTheChosenLanguage() throws {
        let (_, url) = try StaffFixture.database()
        // (arguments, expected exit status, Chinese fragment, English fragment)
        let cases: [([String], Int32, String, String)] = [
            (["status"], 0, "匹配运行（最新在前）：", "runs (newest first):"),
            (["review", "--year", "2024"], 0, "合计：保障金", "totals: levy"),
            (["certify", "submit", "--year", "2024", "--employer", "91410381XXXXXXXXXX", "--date", "2025-03-02"], 3,
             "没有统一社会信用代码为 91410381XXXXXXXXXX 的用人单位", "no employer has the credit code 91410381XXXXXXXXXX"),
            (["certify", "status", "--year", "2025", "--date", "2026-03-02"], 0, "2025 年度按比例就业申报：申报期", "quota employment declarations for 2025: window"),
            (["followup", "record", "999999", "--date", "2025-09-01", "--outcome", "in_work"], 3,
             "没有编号为 999999 的安置记录", "no placement has the id 999999"),
            (["followup", "due", "--date", "2025-12-31"], 0, "应回访", "follow-ups due as of 2025-12-31"),
            (["placement", "end", "41030719920311662743", "YS-P001", "--date", "2025-10-01", "--reason", "bored"], 3,
             "--reason bored：应为 left（离职）", "--reason bored: expected left, dismissed"),
            (["duplicates"], 0, "可能重复的人员：", "possible duplicate persons:"),
            (["subsidies", "--year", "2025"], 0, "按领取人合计：", "totals per beneficiary:"),
        ]
        for (args, status, zh, en) in cases {
            let chinese = try StaffFixture.run(url, args)
            let english = try StaffFixture.run(url, ["--lang", "en"] + args)
            #expect(chinese.status == status && english.status == status, "\(args): \(chinese.stderr) \(english.stderr)")
            #expect((chinese.stdout + chinese.stderr).contains(zh), "\(args): \(chinese.stdout) \(chinese.stderr)")
            #expect((english.stdout + english.stderr).contains(en), "\(args): \(english.stdout) \(english.stderr)")
            #expect(!(english.stdout + english.stderr).contains(zh), "\(args)")
            for text in [chinese.stdout, chinese.stderr, english.stdout, english.stderr] {
                #expect(!Self.showsASwiftValue(text), "\(args): \(text)")
            }
        }
    }

    @Test func anImportWarningIsInTheChosenLanguage() throws {
        let db = try freshMigratedDatabase()
        let dir = try temporaryDirectory("lang")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try String(contentsOf: exampleURL("regions"), encoding: .utf8).split(separator: "\n").map(String.init)
        let file = dir.appendingPathComponent("regions.csv")
        try ([lines[0] + ",remark_x"] + lines.dropFirst().map { $0 + ",x" }).joined(separator: "\n").appending("\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let chinese = try jobmatch(["import", "regions", file.path, "--database-url", db.url])
        #expect(chinese.status == 0, "\(chinese.stderr)")
        #expect(chinese.stderr.contains("提示：regions.csv 第 1 行，列 remark_x：不是 regions 的列，其中的值不导入"), "\(chinese.stderr)")
        let english = try jobmatch(["--lang", "en", "import", "regions", file.path, "--database-url", db.url])
        #expect(english.status == 0, "\(english.stderr)")
        #expect(english.stderr.contains("warning: regions.csv row 1, column remark_x: unknown column for regions; its values are ignored"),
                "\(english.stderr)")
        #expect(!Self.showsASwiftValue(chinese.stderr) && !Self.showsASwiftValue(english.stderr))
    }

    @Test func aWorkbookFormatJobmatchDoesNotReadIsNamedInTheChosenLanguage() throws {
        let db = try freshMigratedDatabase()
        let dir = try temporaryDirectory("lang")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("regions.txt")
        try (try String(contentsOf: exampleURL("regions"), encoding: .utf8)).data(using: .utf16)!.write(to: file)
        let chinese = try jobmatch(["import", "regions", file.path, "--database-url", db.url])
        #expect(chinese.status == 3)
        #expect(chinese.stderr.contains("这是 UTF-16 文本") && chinese.stderr.contains("regions.txt：未写入任何数据"), "\(chinese.stderr)")
        let english = try jobmatch(["--lang", "en", "import", "regions", file.path, "--database-url", db.url])
        #expect(english.status == 3)
        #expect(english.stderr.contains("this is UTF-16 text") && english.stderr.contains("regions.txt: nothing was written"), "\(english.stderr)")
    }
}
