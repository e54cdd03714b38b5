// Retention (issue 7): prune removes superseded, unconfirmed runs and finished
// requests past the age given, keeps the latest run of each region and any run
// with a confirmed proposal, is audited, and never takes audit records younger
// than 183 days.

import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct PrivacyRetentionTests {
    func count(_ c: Connection, _ sql: Query) throws -> Int { try c.query(sql)[0].int("n") }

    func addRun(_ c: Connection, id: Int, region: String, daysAgo: Int, request: Int? = nil) throws {
        try c.query("""
            INSERT INTO match_run (run_id, request_id, region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings,
                                   pairs, objective_households, objective_priority, objective_placed, objective_score, created_by)
            VALUES (\(id), \(request), \(region), '2025-01-01', now(), now() - make_interval(days => \(daysAgo)),
                    now() - make_interval(days => \(daysAgo)), 0, 0, 0, 0, 0, 0, 0, 'test')
            """)
        try c.query("""
            INSERT INTO proposal (run_id, certificate_no, opening_id, score, score_parts, reasons)
            VALUES (\(id), \("4103071980010100" + String(format: "%02d", id % 100) + "42"), 'O1', 1, '[]', '[]')
            """)
    }

    @Test func whenPruningOldRunsTheLatestAndTheConfirmedStayAndTheAuditTrailIsUntouched() throws {
        let c = try MigratedDatabase.connect()
        defer { c.close() }
        try c.query("INSERT INTO region (code, name) VALUES ('R1', 'One'), ('R2', 'Two')")
        try c.query("""
            INSERT INTO match_request (request_id, region_code, state, requested_by, finished_at)
            VALUES (1, 'R1', 'done', 'test', now() - interval '100 days'), (2, 'R1', 'done', 'test', now() - interval '5 days'),
                   (3, 'R1', 'queued', 'test', NULL)
            """)
        try addRun(c, id: 11, region: "R1", daysAgo: 100, request: 1)  // superseded, old: goes
        try addRun(c, id: 12, region: "R1", daysAgo: 90)                // superseded, old, confirmed: stays
        try c.query("UPDATE proposal SET confirmed_at = now() WHERE run_id = 12")
        try addRun(c, id: 13, region: "R1", daysAgo: 5, request: 2)     // superseded but young: stays
        try addRun(c, id: 14, region: "R1", daysAgo: 1)                 // latest: stays
        try addRun(c, id: 21, region: "R2", daysAgo: 200)               // latest of R2, however old: stays
        try c.query("UPDATE match_request SET run_id = request_id + 10 WHERE request_id IN (1, 2)")
        try c.query("INSERT INTO audit_log (actor, action, at) VALUES ('x', 'old', now() - interval '400 days'), ('x', 'young', now() - interval '100 days')")

        #expect(throws: Retention.RefusedError.auditTooYoung(days: 100)) {
            try Retention.prune(c, olderThanDays: 30, auditOlderThanDays: 100, actor: "operator")
        }
        let o = try Retention.prune(c, olderThanDays: 30, actor: "operator")
        #expect(o.runs == 1 && o.proposals == 1 && o.requests == 1 && o.auditRecords == 0)
        #expect(Set(try c.query("SELECT run_id FROM match_run").map { try $0.int("run_id") }) == [12, 13, 14, 21])
        #expect(Set(try c.query("SELECT request_id FROM match_request").map { try $0.int("request_id") }) == [2, 3])
        #expect(try count(c, "SELECT count(*) AS n FROM audit_log WHERE action IN ('old', 'young')") == 2)
        #expect(try count(c, """
            SELECT count(*) AS n FROM audit_log WHERE action = 'prune' AND actor = 'operator' AND detail->>'runs' = '1'
            """) == 1)

        let withAudit = try Retention.prune(c, olderThanDays: 30, auditOlderThanDays: 183, actor: "operator")
        #expect(withAudit.auditRecords == 1)
        #expect(try count(c, "SELECT count(*) AS n FROM audit_log WHERE action = 'young'") == 1)
    }
}
