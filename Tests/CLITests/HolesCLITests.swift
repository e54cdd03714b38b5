// Issue 17 ("close the holes"), through the built binary as a user runs it.

import Foundation
import Postgres
import Testing
import TestSupport

struct HolesCLITests {
    /// MatchRunner's advisory-lock key of a region (FNV-1a of "jobmatch.region:<code>").
    static func regionLockKey(_ region: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "jobmatch.region:\(region)".utf8 { hash ^= UInt64(byte); hash &*= 0x0000_0100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    @Test("when another session holds the region's lock, match says it is waiting and gives up after the bound")
    func matchWaitsForTheRegionLockWithAMessageAndABound() throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let holder = try Connection.connect(config)
        defer { holder.close() }
        _ = try holder.query(Query(unsafeSQL: "SELECT pg_advisory_lock(\(Self.regionLockKey("410307")))"))
        let runs = try count(config, "match_run")
        let started = Date()
        let r = try jobmatch(["match", "--region", "410307", "--date", "2025-09-01", "--database-url", url],
                             environment: ["JOBMATCH_LOCK_WAIT_SECONDS": "2"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.status == 1)
        let stderr = lines(r.stderr)
        #expect(stderr.count == 2, "\(stderr)")
        #expect(stderr.first?.contains("正在等待区域 410307 的另一次匹配运行结束") == true, "\(stderr)")
        #expect(stderr.last?.contains("已等待 2 秒，区域 410307 的另一次匹配运行仍未结束") == true, "\(stderr)")
        let english = try jobmatch(["--lang", "en", "match", "--region", "410307", "--date", "2025-09-01", "--database-url", url],
                                   environment: ["JOBMATCH_LOCK_WAIT_SECONDS": "1"])
        #expect(english.status == 1)
        #expect(english.stderr.contains("waiting for another matching run of region 410307"), "\(english.stderr)")
        #expect(english.stderr.contains("gave up after 1 s waiting for another matching run of region 410307"), "\(english.stderr)")
        #expect(!english.stderr.contains("matchingRun") && !english.stderr.contains("TimedOut"), "\(english.stderr)")
        #expect(elapsed < 30)
        #expect(try count(config, "match_run") == runs)
        // Once the other run is done, the command runs.
        _ = try holder.query(Query(unsafeSQL: "SELECT pg_advisory_unlock_all()"))
        let ok = try jobmatch(["match", "--region", "410307", "--date", "2025-09-01", "--database-url", url],
                              environment: ["JOBMATCH_LOCK_WAIT_SECONDS": "2"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try count(config, "match_run") == runs + 1)
    }

    @Test("review --worksheets into a folder that cannot be made stores no new review version")
    func worksheetsIntoAnUnwritableFolderStoreNothing() throws {
        let (config, url) = try StaffFixture.database()
        let dir = try temporaryDirectory("holes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocker = dir.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let reviews = try count(config, "review")
        for _ in 0..<2 {
            let r = try jobmatch(["review", "--year", "2024", "--worksheets", blocker.appendingPathComponent("sheets").path, "--database-url", url])
            #expect(r.status == 1)
            #expect(lines(r.stderr).count == 1, "\(r.stderr)")
            #expect(r.stderr.contains("无法写入") && r.stderr.contains("未保存审核结果"), "\(r.stderr)")
            #expect(!r.stderr.contains("Error("))
        }
        #expect(try count(config, "review") == reviews)
        // Into a writable folder: stored, and each worksheet 0600 whatever the umask.
        let sheets = dir.appendingPathComponent("sheets").path
        let ok = try Spawn.run(["/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\"", CLIRunner.binary.path,
                                "review", "--year", "2024", "--worksheets", sheets, "--database-url", url], environment: cleanEnvironment())
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try count(config, "review") > reviews)
        let files = try FileManager.default.contentsOfDirectory(atPath: sheets)
        #expect(!files.isEmpty)
        for f in files {
            var st = stat()
            #expect(stat(sheets + "/" + f, &st) == 0 && st.st_mode & 0o777 == 0o600, "\(f)")
        }
    }

    @Test("an export with personal data is created 0600 whatever the umask")
    func exportsArePrivate() throws {
        let (_, url) = try StaffFixture.database()
        let dir = try temporaryDirectory("holes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("proposals.csv").path
        let r = try Spawn.run(["/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\"", CLIRunner.binary.path,
                               "export", "proposals", "--output", out, "--database-url", url], environment: cleanEnvironment())
        #expect(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(stat(out, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
    }

    static let malformedURLs = [
        "postgresql://clerk:s3cret@db.example:notaport/jobmatch",
        "postgresql://clerk:s3cret@[::1/jobmatch",
        "host=db.example password=s3cret port",
        "postgresql://clerk:s3cret@db.example/jobmatch?sslmode=sideways&nonsense=1",
    ]

    @Test("a malformed database URL is a usage error at once, and its password is not echoed", arguments: malformedURLs)
    func malformedURL(_ url: String) throws {
        for args in [["status"], ["serve", "--no-schedule", "--metrics-listen", "off"]] {
            let started = Date()
            let r = try Spawn.run([CLIRunner.binary.path] + args + ["--database-url", url], environment: cleanEnvironment())
            #expect(r.status == 2, "\(args) \(url): \(r.stderr)")
            #expect(lines(r.stderr).count == 1, "\(r.stderr)")
            #expect(r.stderr.contains("is not a valid database URL"), "\(r.stderr)")
            #expect(!(r.stderr + r.stdout).contains("s3cret"))
            #expect(Date().timeIntervalSince(started) < 20)
        }
        // The same through DATABASE_URL.
        let r = try Spawn.run([CLIRunner.binary.path, "status"], environment: cleanEnvironment().merging(["DATABASE_URL": url]) { $1 })
        #expect(r.status == 2 && r.stderr.contains("DATABASE_URL is not a valid database URL") && !r.stderr.contains("s3cret"))
    }

    @Test("an unknown JOBMATCH_TIMEZONE is a usage error, not silent UTC")
    func unknownTimeZone() throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let runs = try count(config, "match_run")
        let r = try jobmatch(["match", "--region", "410307", "--database-url", url], environment: ["JOBMATCH_TIMEZONE": "Mars/Olympus_Mons"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("JOBMATCH_TIMEZONE \"Mars/Olympus_Mons\" is not a known time zone"), "\(r.stderr)")
        #expect(try count(config, "match_run") == runs)
    }

    @Test("imports serialise: a second waits, says so, and gives up after the bound changing nothing")
    func importsOfOneKindSerialise() throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let holder = try Connection.connect(config)
        defer { holder.close() }
        // What a running import holds (Store's LockKeys.imports).
        _ = try holder.query(Query(unsafeSQL: "SELECT pg_advisory_lock(1229803604, 0)"))
        let before = try HostileCorpusTests.fingerprint(config)
        let r = try jobmatch(["import", "seekers", exampleURL("seekers").path, "--database-url", url],
                             environment: ["JOBMATCH_LOCK_WAIT_SECONDS": "1"])
        #expect(r.status == 1)
        let out = lines(r.stderr)
        #expect(out.count == 2, "\(out)")
        #expect(out.first?.contains("正在等待另一次导入结束") == true, "\(out)")
        #expect(out.last?.contains("已等待 1 秒，另一次导入仍未结束") == true, "\(out)")
        #expect(try HostileCorpusTests.fingerprint(config) == before)
        _ = try holder.query(Query(unsafeSQL: "SELECT pg_advisory_unlock_all()"))
        let ok = try jobmatch(["import", "seekers", exampleURL("seekers").path, "--database-url", url])
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
