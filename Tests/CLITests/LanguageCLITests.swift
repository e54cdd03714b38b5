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
}
