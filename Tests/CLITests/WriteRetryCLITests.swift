// Issue 18: commands that write, through a database that is there but not writable (a
// standby met first, a primary being demoted). Real PostgreSQL: the database is made
// read-only for new sessions (`ReadOnlyDatabase`), as a standby's sessions are; the
// FailoverTests of the daemon do the same for `match --enqueue`.

import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct WriteRetryCLITests {
    static let waiting = "暂无可写的数据库主节点"
    static let gaveUp = "没有可写的数据库主节点；请求未提交，可以重试"

    /// Starts `jobmatch args…` while the database is read-only; once it says it is waiting,
    /// makes the database writable again; returns the child's exit status and stderr.
    static func waitsThenRuns(_ c: Connection, _ args: [String]) async throws -> (status: Int32?, stderr: String) {
        try ReadOnlyDatabase.set(c, true)
        defer { try? ReadOnlyDatabase.set(c, false) }
        var env = cleanEnvironment()
        env["JOBMATCH_WRITE_RETRY_SECONDS"] = "600"
        env["JOBMATCH_LANG"] = "zh"
        let child = try BackgroundProcess([CLIRunner.binary.path] + args, environment: env)
        let waited = await child.waitForOutput(waiting)
        try ReadOnlyDatabase.set(c, false)
        let status = waited ? await child.wait(timeout: .seconds(300)) : nil
        if status == nil {
            child.send(SIGKILL)
            child.wait()
        }
        return (status, child.stderr)
    }

    /// Runs `jobmatch args…` against a database that stays read-only, with a one-second window.
    static func givesUp(_ c: Connection, _ args: [String]) throws -> Spawn.Result {
        try ReadOnlyDatabase.set(c, true)
        defer { try? ReadOnlyDatabase.set(c, false) }
        return try jobmatch(args, environment: ["JOBMATCH_WRITE_RETRY_SECONDS": "1", "JOBMATCH_LANG": "zh"])
    }

    static func firstProposal(_ c: Connection) throws -> Int64 {
        try c.query("SELECT proposal_id FROM proposal WHERE run_id = 1 AND confirmed_at IS NULL ORDER BY proposal_id LIMIT 1")[0]
            .int64("proposal_id")
    }

    @Test func anImportWaitsForAWritablePrimaryThenLoads() async throws {
        let (url, config) = try freshMigratedDatabase()
        let c = try Connection.connect(config)
        defer { c.close() }
        let r = try await Self.waitsThenRuns(c, ["--database-url", url, "import", "regions", exampleURL("regions").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains(Self.waiting))
        #expect(!r.stderr.contains(Self.gaveUp))
        #expect(try count(config, "region") > 0)
        #expect(try count(config, "audit_log WHERE action = 'import'") == 1)
    }

    @Test func anImportWithNoWritablePrimaryGivesUpAndWritesNothing() throws {
        let (url, config) = try freshMigratedDatabase()
        let c = try Connection.connect(config)
        defer { c.close() }
        let r = try Self.givesUp(c, ["--database-url", url, "import", "regions", exampleURL("regions").path])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(Self.waiting))
        #expect(r.stderr.contains(Self.gaveUp))
        #expect(try count(config, "region") == 0)
    }

    @Test func aConfirmWaitsForAWritablePrimaryThenConfirms() async throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let id = try Self.firstProposal(c)
        let r = try await Self.waitsThenRuns(c, ["--database-url", url, "confirm", String(id)])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains(Self.waiting))
        #expect(try c.query("SELECT 1 FROM placement WHERE proposal_id = \(id) AND source = 'confirmed'").count == 1)
        #expect(try c.query("SELECT 1 FROM audit_log WHERE action = 'confirm'").count == 1)
    }

    @Test func aConfirmWithNoWritablePrimaryGivesUpAndConfirmsNothing() throws {
        let (config, url) = try StaffFixture.database()
        let c = try Connection.connect(config)
        defer { c.close() }
        let id = try Self.firstProposal(c)
        let r = try Self.givesUp(c, ["--database-url", url, "confirm", String(id)])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(Self.waiting))
        #expect(r.stderr.contains(Self.gaveUp))
        #expect(try count(config, "placement WHERE source = 'confirmed'") == 0)
        #expect(try count(config, "proposal WHERE confirmed_at IS NOT NULL") == 0)
    }

    @Test func aBadRowIsRefusedAtOnceNotRetried() throws {
        let (url, config) = try freshMigratedDatabase()
        let dir = try temporaryDirectory("retry")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("regions.csv")
        // The parent is not loaded: the import's own transaction refuses the row.
        try Data("code,name,parent_code,neighbours\n410307999,某街道,999999,\n".utf8).write(to: file)
        // A window long enough that a retried refusal would end in "gave up" (exit 1), not exit 3.
        let r = try jobmatch(["--database-url", url, "import", "regions", file.path],
                             environment: ["JOBMATCH_WRITE_RETRY_SECONDS": "30", "JOBMATCH_LANG": "zh"])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(!r.stderr.contains(Self.waiting))
        #expect(try count(config, "region") == 0)
    }

    @Test func aRefusalIsNotRetried() throws {
        let (url, config) = try freshMigratedDatabase()
        let add = ["--database-url", url, "category", "add", "tea_sorter", "茶叶分拣"]
        let env = ["JOBMATCH_WRITE_RETRY_SECONDS": "30", "JOBMATCH_LANG": "zh"]
        #expect(try jobmatch(add, environment: env).status == 0)
        let again = try jobmatch(add, environment: env)
        #expect(again.status == 3, "\(again.stderr)")
        #expect(again.stderr.contains("已存在"))
        #expect(!again.stderr.contains(Self.waiting))
        #expect(try count(config, "job_category WHERE code = 'tea_sorter'") == 1)
    }
}

/// A command run again after its first try committed (a COMMIT reply lost in a failover):
/// the repeat meets that try's rows (issue 18).
@Suite struct RepeatCLITests {
    @Test func theSameFollowUpVisitRecordedAgainIsRecordedOnce() throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let c = try Connection.connect(config)
        defer { c.close() }
        let p = try c.query("""
            SELECT placement_id, (start_date + 35)::text AS visit FROM placement
            WHERE placement_id IS NOT NULL AND (end_date IS NULL OR end_date > start_date + 35) ORDER BY placement_id LIMIT 1
            """)[0]
        let id = try p.int64("placement_id"), visit = try p.string("visit")
        let args = ["--database-url", url, "followup", "record", String(id), "--date", visit, "--outcome", "in_work"]
        let first = try jobmatch(args), again = try jobmatch(args)
        #expect(first.status == 0 && again.status == 0, "\(first.stderr) \(again.stderr)")
        #expect(again.stdout == first.stdout)
        #expect(try count(config, "followup WHERE placement_id = \(id)") == 1)
        #expect(try count(config, "audit_log WHERE action = 'followup_record'") == 1)
    }

    @Test func aPolicyRowSetAgainIsNotAddedTwice() throws {
        let (url, config) = try freshMigratedDatabase()
        let args = ["--database-url", url, "policy", "set", "social_average_wage", "91000", "--from", "2031-01-01",
                    "--source", "豫人社 test", "--status", "verified", "--jurisdiction", "CN-41"]
        let first = try jobmatch(args), again = try jobmatch(args, environment: ["JOBMATCH_LANG": "zh"])
        #expect(first.status == 0 && again.status == 0, "\(first.stderr) \(again.stderr)")
        #expect(again.stdout.contains("已在册，内容相同，未重复添加"))
        #expect(try count(config, "policy_parameter WHERE valid_from = '2031-01-01'") == 1)
    }
}
