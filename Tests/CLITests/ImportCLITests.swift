import Foundation
import Postgres
import TestSupport
import Testing

/// `jobmatch import` and `jobmatch migrate` through the built binary (CONTRACT.md §1–2):
/// exit statuses, stderr lines, the rejects file.
@Suite struct ImportCLITests {
    // MARK: exit statuses

    @Test(arguments: [
        ["import", "seekers", "seekers.csv", "--no-such-option"],
        ["import", "nonsense", "seekers.csv"],
        ["import", "seekers", "seekers.csv", "--partial"],
        ["import", "seekers", "seekers.csv", "--rejects", "rejects.csv"],
        ["import", "seekers"],
        ["import", "seekers", "seekers.csv", "--encoding", "latin1"],
        ["frobnicate"],
    ])
    func whenTheCommandLineIsWrongTheExitStatusIs2(args: [String]) throws {
        let r = try jobmatch(args + ["--database-url", "postgresql:///nowhere?host=/nonexistent"])
        #expect(r.status == 2, "\(args): stdout \(r.stdout) stderr \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    @Test func whenAFileIsImportedSuccessfullyTheExitStatusIs0AndTheRowsAreThere() throws {
        let db = try freshMigratedDatabase()
        let r = try jobmatch(["import", "regions", exampleURL("regions").path, "--database-url", db.url])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("regions.csv：导入 14 行（新增 14"), "\(r.stdout)")
        #expect(try count(db.config, "region") == 14)
    }

    @Test func whenTheDatabaseIsUnreachableTheExitStatusIs1WithOneLine() throws {
        let empty = try temporaryDirectory("nosocket")
        defer { try? FileManager.default.removeItem(at: empty) }
        // No wait for a writable primary (issue 18: a failover's retry; its own tests are WriteRetryCLITests).
        let r = try jobmatch(["import", "regions", exampleURL("regions").path,
                              "--database-url", "postgresql:///jobmatch?host=\(empty.path)"],
                             environment: ["JOBMATCH_WRITE_RETRY_SECONDS": "0"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(lines(r.stderr).count == 1 && r.stderr.hasPrefix("jobmatch: "), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// The example's seekers with rows 5, 52 and 122 broken (check character, town, education).
    static func brokenSeekers() throws -> (header: [String], records: [[String]], bad: [Int: String]) {
        let text = try String(contentsOf: exampleURL("seekers"), encoding: .utf8)
        let rows = lines(text).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var records = Array(rows.dropFirst())
        let header = rows[0]
        var cert = Array(records[3][0])
        cert[17] = cert[17] == "1" ? "2" : "1"
        records[3][0] = String(cert)
        records[50][header.firstIndex(of: "town_code")!] = "410307999"
        records[120][header.firstIndex(of: "education")!] = "phd"
        return (header, records, [5: "certificate_no", 52: "town_code", 122: "education"])
    }

    @Test func whenAFileHasBadRowsTheExitStatusIs3WithOneMaskedLinePerErrorAndNothingIsWritten() throws {
        let db = try freshMigratedDatabase()
        for kind in ["regions", "households"] {
            let r = try jobmatch(["import", kind, exampleURL(kind).path, "--database-url", db.url])
            try #require(r.status == 0, "\(kind): \(r.stderr)")
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (header, records, bad) = try Self.brokenSeekers()
        let file = dir.appendingPathComponent("seekers-bad.csv")
        try (([header] + records).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let audit = try count(db.config, "audit_log")

        let r = try jobmatch(["import", "seekers", file.path, "--database-url", db.url])
        #expect(r.status == 3, "\(r.stderr)")
        let errorLines = lines(r.stderr).filter { $0.contains("，列 ") }
        #expect(errorLines.count == bad.count, "\(r.stderr)")
        for (row, column) in bad {
            let line = errorLines.first { $0.hasPrefix("seekers-bad.csv 第 \(row) 行，列 \(column)：值 ") }
            #expect(line != nil, "no line for row \(row) column \(column) in \(r.stderr)")
            #expect(line?.contains(" — ") == true)  // then the rule
        }
        #expect(r.stderr.contains("未写入任何数据"))
        // Never a whole certificate (or resident ID) number: at most masked ones.
        #expect(r.stderr.range(of: "[0-9]{18,}", options: .regularExpression) == nil, "\(r.stderr)")
        #expect(r.stderr.contains("410307********"))
        #expect(try count(db.config, "seeker") == 0)
        #expect(try count(db.config, "audit_log") == audit)
    }

    // MARK: --partial --rejects

    @Test func whenPartialWithEnglishHeadersTheRejectsFileHasTheInputColumnsTheOriginalValuesAndReason() throws {
        let db = try freshMigratedDatabase()
        for kind in ["regions", "households"] {
            try #require(try jobmatch(["import", kind, exampleURL(kind).path, "--database-url", db.url]).status == 0)
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (header, records, bad) = try Self.brokenSeekers()
        // Columns in an order of our own, to see that the rejects file follows the input's.
        let order = Array(header.indices.reversed())
        let reordered = ([header] + records).map { r in order.map { r[$0] } }
        let file = dir.appendingPathComponent("seekers.csv")
        try (reordered.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let rejects = dir.appendingPathComponent("rejects.csv")

        let r = try jobmatch(["import", "seekers", file.path, "--partial", "--rejects", rejects.path, "--database-url", db.url])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("导入 \(records.count - bad.count) 行，拒绝 \(bad.count) 行"), "\(r.stderr)")
        #expect(try count(db.config, "seeker") == records.count - bad.count)
        try checkRejectsFile(rejects, header: reordered[0], reason: "reason",
                             expected: bad.keys.sorted().map { reordered[$0 - 1] })
    }

    @Test func whenPartialWithChineseHeadersInGB18030TheRejectsFileIsUTF8WithAChineseReasonColumn() throws {
        let db = try freshMigratedDatabase()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try generateDistrict(["--seed", "410307", "--seekers", "300", "--out", dir.path, "--headers", "zh",
                              "--encoding", "gb18030", "--crlf"])
        for kind in ["regions", "households"] {
            let r = try jobmatch(["import", kind, dir.appendingPathComponent("\(kind).csv").path, "--database-url", db.url])
            try #require(r.status == 0, "\(kind): \(r.stderr)")
        }
        let original = try Data(contentsOf: dir.appendingPathComponent("seekers.csv"))
        let text = try #require(String(data: original, encoding: gb18030))
        var rows = lines(text).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0].contains("残疾人证号"))
        let town = rows[0].firstIndex(of: "镇街代码")!, education = rows[0].firstIndex(of: "文化程度")!
        rows[10][town] = "410307999"
        rows[20][education] = "博士后"
        let file = dir.appendingPathComponent("求职者.csv")
        try #require(rows.map { $0.joined(separator: ",") }.joined(separator: "\r\n").appending("\r\n").data(using: gb18030)).write(to: file)
        let rejects = dir.appendingPathComponent("错误行.csv")

        let r = try jobmatch(["import", "seekers", file.path, "--partial", "--rejects", rejects.path, "--database-url", db.url])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("导入 \(rows.count - 3) 行，拒绝 2 行"), "\(r.stderr)")
        try checkRejectsFile(rejects, header: rows[0], reason: "错误原因", expected: [rows[10], rows[20]])
    }

    /// UTF-8 with BOM, CRLF on every line, the input's header plus `reason`, then each
    /// rejected row's original values and a non-empty reason.
    func checkRejectsFile(_ url: URL, header: [String], reason: String, expected: [[String]]) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "no BOM")
        let lf = bytes.indices.filter { bytes[$0] == 10 }
        #expect(!lf.isEmpty && lf.allSatisfy { $0 > 0 && bytes[$0 - 1] == 13 }, "not CRLF throughout")
        let text = try #require(String(validating: bytes.dropFirst(3), as: UTF8.self), "rejects file is not UTF-8")
        let records = parseCSV(text)
        #expect(records.first == header + [reason])
        #expect(records.count == expected.count + 1)
        for (got, want) in zip(records.dropFirst(), expected) {
            #expect(Array(got.dropLast()) == want)
            #expect(!(got.last ?? "").isEmpty)
        }
    }

    // MARK: migrate

    @Test func whenMigrateRunsTwiceTheSecondHasNothingToDo() throws {
        let config = try TestPostgres.freshDatabase()
        let first = try jobmatch(["migrate", "--database-url", config.libpqString])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied migrations"), "\(first.stdout)")
        let second = try jobmatch(["migrate", "--database-url", config.libpqString])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("nothing to do"), "\(second.stdout)")
        #expect(!second.stdout.contains("applied"))
    }

    @Test func whenTwoMigrateProcessesRunAtOnceBothSucceedAndEachMigrationIsAppliedOnce() throws {
        let config = try TestPostgres.freshDatabase()
        let url = config.libpqString
        let group = DispatchGroup()
        let statuses = Statuses()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                statuses.append((try? jobmatch(["migrate", "--database-url", url])).map { ($0.status, $0.stdout + $0.stderr) } ?? (-1, "spawn failed"))
            }
        }
        #expect(group.wait(timeout: .now() + 180) == .success)
        let results = statuses.values
        #expect(results.count == 2 && results.allSatisfy { $0.0 == 0 }, "\(results)")
        #expect(results.filter { $0.1.contains("nothing to do") }.count == 1, "\(results)")
        let files = try FileManager.default.contentsOfDirectory(atPath: CLIRunner.packageRoot.appendingPathComponent("sql").path)
            .filter { $0.hasSuffix(".sql") }
        let c = try Connection.connect(config)
        defer { c.close() }
        let row = try c.query("SELECT count(*) AS n, count(DISTINCT version) AS d FROM schema_migration")[0]
        #expect(try row.int("n") == files.count && row.int("d") == files.count)
    }
}

final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [(Int32, String)] = []
    func append(_ v: (Int32, String)) { lock.lock(); storage.append(v); lock.unlock() }
    var values: [(Int32, String)] { lock.lock(); defer { lock.unlock() }; return storage }
}
