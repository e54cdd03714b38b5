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
        #expect(stderr.first?.contains("waiting for another matching run of region 410307") == true, "\(stderr)")
        #expect(stderr.last?.contains("gave up after 2 s waiting for another matching run of region 410307") == true, "\(stderr)")
        #expect(elapsed < 30)
        #expect(try count(config, "match_run") == runs)
        // Once the other run is done, the command runs.
        _ = try holder.query(Query(unsafeSQL: "SELECT pg_advisory_unlock_all()"))
        let ok = try jobmatch(["match", "--region", "410307", "--date", "2025-09-01", "--database-url", url],
                              environment: ["JOBMATCH_LOCK_WAIT_SECONDS": "2"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try count(config, "match_run") == runs + 1)
    }
}
