// Issue 17, case 3: a run in flight must not commit certificate numbers an
// import has just renamed. The import that renames takes the run locks of the
// regions its seekers live in: a run holding one finishes first and the rename
// re-maps its rows; the outcome counts the renames.

import App
import Dispatch
import Domain
import Foundation
import Intake
import Postgres
import Store
import Synchronization
import Testing
import TestSupport

@Suite struct RenameDuringRunTests {
    @Test func whenARunOfTheRegionIsInFlightARenamingImportWaitsAndRemapsTheRunsRows() throws {
        let config = try ExampleDistrictLoader.config()
        let run = try Connection.connect(config)
        defer { run.close() }
        let old = try run.query("SELECT certificate_no FROM seeker ORDER BY certificate_no LIMIT 1")[0].string("certificate_no")
        let new = PrivacyIdentityTests.reassessed(old)
        let district = try run.query("SELECT code FROM region WHERE parent_code IS NULL")[0].string("code")

        // The run of the district: its lock, as MatchRunner takes it.
        _ = try run.query(Query(unsafeSQL: "SELECT pg_advisory_lock(\(LockKeys.region(district)))"))
        let line = PrivacyIdentityTests.seekerLines.first { $0.hasPrefix(old) }!
        let lines = [PrivacyIdentityTests.seekerLines[0], line.replacingOccurrences(of: old, with: new)]
        let result = Mutex<Result<ImportOutcome, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let started = Date()
        Thread.detachNewThread {
            let r = Result { () throws -> ImportOutcome in
                let c = try Connection.connect(config)
                defer { c.close() }
                return try PrivacyIdentityTests.importSeekers(c, lines)
            }
            result.withLock { $0 = r }
            done.signal()
        }
        // The import waits for the run …
        Thread.sleep(forTimeInterval: 1.5)
        #expect(result.withLock { $0 == nil }, "the import did not wait for the run of its region")
        // … which commits with the number it read before the rename.
        try run.query("""
            INSERT INTO match_run (run_id, region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings, pairs,
                                   objective_households, objective_priority, objective_placed, objective_score, created_by)
            VALUES (9101, \(district), '2025-09-01', now(), now(), now(), 1, 1, 1, 0, 0, 1, 500, 'test')
            """)
        try run.query("""
            INSERT INTO proposal (run_id, certificate_no, opening_id, score, score_parts, reasons)
            SELECT 9101, \(old), opening_id, 500, '[]', '[]' FROM opening ORDER BY opening_id LIMIT 1
            """)
        try run.query("""
            INSERT INTO unmatched (run_id, certificate_no, reason, detail)
            SELECT 9101, \(old), 'outcompeted', '{}'
            """)
        _ = try run.query(Query(unsafeSQL: "SELECT pg_advisory_unlock(\(LockKeys.region(district)))"))
        #expect(done.wait(timeout: .now() + 60) == .success)
        let outcome = try #require(try result.withLock { $0 }?.get())
        #expect(Date().timeIntervalSince(started) >= 1.5)
        #expect(outcome.renamed == 1)
        for table in ["proposal", "unmatched"] {
            #expect(try run.query(Query(unsafeSQL: "SELECT count(*) AS n FROM \(table) WHERE run_id = 9101 AND certificate_no = $1", binds: [new]))[0].int("n") == 1, "\(table)")
            #expect(try run.query(Query(unsafeSQL: "SELECT count(*) AS n FROM \(table) WHERE certificate_no = $1", binds: [old]))[0].int("n") == 0, "\(table)")
        }
    }
}

/// Issue 17, case 10: two bulk loads of one kind at once deadlocked (40P01) or
/// failed on a unique violation. Imports of a kind now take turns.
@Suite struct ConcurrentImportTests {
    @Test func whenTwoBulkImportsOfOneKindRunAtOnceBothSucceedOneAfterTheOther() throws {
        let config = try MigratedDatabase.config()
        do {
            let c = try Connection.connect(config)
            defer { c.close() }
            try loadExample(c, before: .seekers)
        }
        let seekers = ExampleDistrict.files.first { $0.kind == .seekers }!
        let results = Mutex<[Result<ImportOutcome, any Error>]>([])
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread.detachNewThread {
                let r = Result { () throws -> ImportOutcome in
                    let c = try Connection.connect(config)
                    defer { c.close() }
                    return try importBytes(c, .seekers, seekers.bytes, name: seekers.name, bulkLoadMinimumRows: 1)
                }
                results.withLock { $0.append(r) }
                done.signal()
            }
        }
        for _ in 0..<2 { #expect(done.wait(timeout: .now() + 120) == .success) }
        let outcomes = try results.withLock { try $0.map { try $0.get() } }
        #expect(outcomes.count == 2)
        // One loaded the 300 seekers, the other (after it) found them unchanged.
        #expect(outcomes.map(\.inserted).sorted() == [0, 300])
        let c = try Connection.connect(config)
        defer { c.close() }
        #expect(try c.query("SELECT count(*) AS n FROM seeker")[0].int("n") == 300)
        #expect(try c.query("SELECT count(*) AS n FROM bulk_load_suspended")[0].int("n") == 0)
    }

    /// Two kinds whose tables reference one table (trainings and placements, both on seeker)
    /// deadlocked when bulk-loaded at once: imports of any kind take turns.
    @Test func whenTrainingsAndPlacementsAreBulkLoadedAtOnceBothSucceed() throws {
        let config = try MigratedDatabase.config()
        let kinds: [ImportKind] = [.trainings, .placements]
        do {
            let c = try Connection.connect(config)
            defer { c.close() }
            for f in ExampleDistrict.files where !kinds.contains(f.kind) { try importBytes(c, f.kind, f.bytes, name: f.name) }
        }
        let results = Mutex<[Result<ImportOutcome, any Error>]>([])
        let done = DispatchSemaphore(value: 0)
        for kind in kinds {
            let file = ExampleDistrict.files.first { $0.kind == kind }!
            Thread.detachNewThread {
                let r = Result { () throws -> ImportOutcome in
                    let c = try Connection.connect(config)
                    defer { c.close() }
                    return try importBytes(c, file.kind, file.bytes, name: file.name, bulkLoadMinimumRows: 1)
                }
                results.withLock { $0.append(r) }
                done.signal()
            }
        }
        for _ in kinds { #expect(done.wait(timeout: .now() + 120) == .success) }
        let outcomes = try results.withLock { try $0.map { try $0.get() } }
        #expect(outcomes.count == 2 && outcomes.allSatisfy { $0.inserted > 0 })
    }
}
