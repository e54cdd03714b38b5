import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// Migrations (issue 2; STYLE.md §8): every version once, idempotent, serialised, and
/// refused against a newer schema.
@Suite struct MigrationTests {
    @Test func whenTheDatabaseIsEmptyMigrateAppliesEveryVersionAndRecordsIt() throws {
        try withEmptyDatabase { c in
            #expect(try Migrator.currentVersion(c) == 0)
            let outcome = try Migrator.migrate(c, actor: "test")
            let versions = Migrator.migrations.map(\.version)
            #expect(!versions.isEmpty)
            #expect(outcome.applied == versions)
            #expect(outcome.version == Migrator.latestVersion)
            let recorded = try c.query("SELECT version, name FROM schema_migration ORDER BY version")
            #expect(try recorded.map { try $0.int("version") } == versions)
            #expect(try recorded.map { try $0.string("name") } == Migrator.migrations.map(\.name))
            // Strictly increasing from 1: no file numbered twice. (Parallel branches take
            // numbers ahead, so a branch may lack a number another branch holds.)
            #expect(versions.first == 1 && zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 })
            // One audit record names the versions applied.
            let audit = try c.query("SELECT detail->>'versions' AS v FROM audit_log WHERE action = 'migrate'")
            #expect(audit.count == 1)
            #expect(try audit[0].string("v") == versions.map(String.init).joined(separator: ","))
            try Migrator.requireCurrent(c)
        }
    }

    @Test func whenMigratedTwiceTheSecondRunAppliesNothingAndChangesNoRow() throws {
        try withEmptyDatabase { c in
            let first = try Migrator.migrate(c, actor: "test")
            #expect(!first.applied.isEmpty)
            let before = try snapshot(c)
            let second = try Migrator.migrate(c, actor: "test")
            #expect(second.applied.isEmpty)
            #expect(second.policyRowsSeeded == 0)
            #expect(second.version == first.version)
            #expect(try snapshot(c) == before)
        }
    }

    @Test func whenTwoMigratorsRunAtOnceBothSucceedAndEachVersionIsAppliedOnce() throws {
        let config = try TestPostgres.freshDatabase()
        // Two connections on two threads, released together.
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        let results = ResultBox()
        for i in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                start.wait()
                do {
                    let c = try Connection.connect(config)
                    defer { c.close() }
                    results.append(.success(try Migrator.migrate(c, actor: "migrator-\(i)")))
                } catch {
                    results.append(.failure(String(describing: error)))
                }
            }
        }
        start.signal()
        start.signal()
        #expect(group.wait(timeout: .now() + 120) == .success)
        let outcomes = results.values.compactMap { if case .success(let o) = $0 { o } else { nil } }
        let failures = results.values.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(failures.isEmpty, "\(failures)")
        #expect(outcomes.count == 2)
        // Between them, every version exactly once; one of them found nothing to do.
        let applied = outcomes.flatMap(\.applied).sorted()
        #expect(applied == Migrator.migrations.map(\.version))
        #expect(outcomes.contains { $0.applied.isEmpty })
        #expect(outcomes.allSatisfy { $0.version == Migrator.latestVersion })
        let c = try Connection.connect(config)
        defer { c.close() }
        #expect(try c.query("SELECT count(*) AS n, count(DISTINCT version) AS d FROM schema_migration")[0].int("n")
                == Migrator.migrations.count)
        #expect(try count(c, "audit_log") == 1)
    }

    @Test func whenTheDatabaseIsNewerThanTheBinaryMigrateAndRequireCurrentRefuse() throws {
        try withEmptyDatabase { c in
            _ = try Migrator.migrate(c, actor: "test")
            let newer = Migrator.latestVersion + 1
            try c.query("INSERT INTO schema_migration (version, name) VALUES (\(newer), 'from_the_future.sql')")
            let before = try snapshot(c)
            do {
                _ = try Migrator.migrate(c, actor: "test")
                Issue.record("migrate accepted a database newer than the binary")
            } catch MigrationError.databaseNewerThanBinary(let database, let binary) {
                #expect(database == newer)
                #expect(binary == Migrator.latestVersion)
            }
            #expect(throws: MigrationError.self) { try Migrator.requireCurrent(c) }
            #expect(try snapshot(c) == before)
        }
    }

    @Test func whenTheDatabaseIsBehindRequireCurrentSaysToMigrate() throws {
        try withEmptyDatabase { c in
            #expect(throws: StoreError.self) { try Migrator.requireCurrent(c) }
        }
    }

    @Test func whenEmbedSQLChecksTheGeneratedFileItMatchesSQLPolicyAndExamples() throws {
        let root = CLIRunner.packageRoot
        let r = try runCommand("/bin/bash", [root.appendingPathComponent("scripts/embed-sql").path, "--check"], cwd: root)
        #expect(r.status == 0, "scripts/embed-sql --check: \(r.output)")
    }

    /// Row counts of the tables a migration or the policy seeding writes.
    private func snapshot(_ c: Connection) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for t in ["schema_migration", "audit_log", "policy_parameter", "job_category"] { out[t] = try count(c, t) }
        out["schema_migration.max"] = try Migrator.currentVersion(c)
        return out
    }
}

/// Results collected from several threads.
final class ResultBox: @unchecked Sendable {
    enum Value { case success(Migrator.Outcome), failure(String) }
    private let lock = NSLock()
    private var storage: [Value] = []
    func append(_ v: Value) { lock.lock(); storage.append(v); lock.unlock() }
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return storage }
}
