import App
import Domain
import Foundation
import Postgres
import Render
import Store
import Testing
import TestSupport

@Suite("Matching runs against PostgreSQL")
struct MatchRunTests {
    static let jurisdiction = "CN-41-4103-410307"

    static func loadedDatabase() throws -> Connection {
        let c = try MigratedDatabase.connect()
        try ExampleDistrictLoader.load(c)
        return c
    }

    static func count(_ c: Connection, _ sql: String) throws -> Int {
        try c.query(Query(unsafeSQL: sql))[0].int("n")
    }

    @Test("when the example district is matched, the run, its proposals, every eligible pair and every unmatched seeker are written in one go")
    func writesWholeRun() throws {
        let c = try Self.loadedDatabase()
        defer { c.close() }
        let request = MatchRunner.Request(region: "410307", date: ExampleDistrictLoader.runDate, jurisdiction: Self.jurisdiction, actor: "test")
        let (run, runID) = try MatchRunner.runAndWrite(c, request)
        let o = run.plan.objective
        #expect(o.placed > 0 && o.households > 0 && o.priority > 0)
        #expect(try Self.count(c, "SELECT count(*) AS n FROM proposal WHERE run_id = \(runID)") == o.placed)
        #expect(try Self.count(c, "SELECT count(*) AS n FROM candidate WHERE run_id = \(runID)") == run.problem.pairCount)
        let stored = try c.query("SELECT pairs, objective_households, objective_priority, objective_placed, objective_score FROM match_run WHERE run_id = \(runID)")[0]
        #expect(try stored.int("pairs") == run.problem.pairCount)
        #expect(try stored.int("objective_households") == o.households)
        #expect(try stored.int("objective_score") == o.score)
        // Every seeker E1 admits is either proposed or unmatched with a reason.
        let unmatched = try Self.count(c, "SELECT count(*) AS n FROM unmatched WHERE run_id = \(runID)")
        #expect(unmatched + o.placed == run.problem.seekers.count)
        #expect(try Self.count(c, "SELECT count(*) AS n FROM unmatched WHERE run_id = \(runID) AND reason NOT IN ('no_eligible_opening', 'outcompeted')") == 0)
        // No opening gets more proposals than slots left.
        #expect(try Self.count(c, """
            SELECT count(*) AS n FROM (SELECT opening_id, count(*) AS k FROM proposal WHERE run_id = \(runID) GROUP BY opening_id) p
            JOIN opening o USING (opening_id)
            WHERE p.k > o.slots - (SELECT count(*) FROM placement pl WHERE pl.opening_id = o.opening_id
                                   AND pl.start_date <= '2025-09-01' AND (pl.end_date IS NULL OR pl.end_date >= '2025-09-01'))
            """) == 0)
        // Every proposal is an eligible pair of the run.
        #expect(try Self.count(c, """
            SELECT count(*) AS n FROM proposal p WHERE run_id = \(runID)
              AND NOT EXISTS (SELECT 1 FROM candidate k WHERE k.run_id = p.run_id AND k.certificate_no = p.certificate_no AND k.opening_id = p.opening_id)
            """) == 0)
    }

    @Test("when a run is only computed (dry run), nothing is written")
    func dryRunWritesNothing() throws {
        let c = try Self.loadedDatabase()
        defer { c.close() }
        let before = try Self.count(c, "SELECT (SELECT count(*) FROM match_run) + (SELECT count(*) FROM proposal) + (SELECT count(*) FROM candidate) AS n")
        let run = try MatchRunner.compute(c, .init(region: "410307", date: ExampleDistrictLoader.runDate, jurisdiction: Self.jurisdiction, actor: "test"))
        #expect(run.plan.objective.placed > 0)
        #expect(try Self.count(c, "SELECT (SELECT count(*) FROM match_run) + (SELECT count(*) FROM proposal) + (SELECT count(*) FROM candidate) AS n") == before)
    }

    @Test("when the same data is matched twice, the proposals are identical")
    func deterministic() throws {
        let c = try Self.loadedDatabase()
        defer { c.close() }
        let request = MatchRunner.Request(region: "410307", date: ExampleDistrictLoader.runDate, jurisdiction: Self.jurisdiction, actor: "test")
        let (_, first) = try MatchRunner.runAndWrite(c, request)
        let (_, second) = try MatchRunner.runAndWrite(c, request)
        func proposals(_ id: Int64) throws -> [String] {
            try c.query("SELECT certificate_no || '>' || opening_id || ':' || score || ':' || reasons::text AS p FROM proposal WHERE run_id = \(id) ORDER BY certificate_no")
                .map { try $0.string("p") }
        }
        #expect(try proposals(first) == proposals(second))
        let unmatched = "SELECT string_agg(certificate_no || reason || detail::text, ',' ORDER BY certificate_no) AS u FROM unmatched WHERE run_id = "
        #expect(try c.query(Query(unsafeSQL: unmatched + String(first)))[0].string("u") == c.query(Query(unsafeSQL: unmatched + String(second)))[0].string("u"))
    }

    @Test("when writing a run fails midway, no row of it remains")
    func failedWriteLeavesNothing() throws {
        let c = try Self.loadedDatabase()
        defer { c.close() }
        struct Boom: Error {}
        let request = MatchRunner.Request(region: "410307", date: ExampleDistrictLoader.runDate, jurisdiction: Self.jurisdiction, actor: "test")
        #expect(throws: (any Error).self) {
            try MatchRunner.runAndWrite(c, request) { _, _ in throw Boom() }
        }
        #expect(try Self.count(c, "SELECT (SELECT count(*) FROM match_run) + (SELECT count(*) FROM proposal) + (SELECT count(*) FROM candidate) + (SELECT count(*) FROM unmatched) AS n") == 0)
        // The region's lock was released: another run goes through.
        let (_, id) = try MatchRunner.runAndWrite(c, request)
        #expect(id > 0)
    }

    @Test("the example district's quota review stores one version per employer, and reviewing again adds a second beside it")
    func reviewVersions() throws {
        let c = try Self.loadedDatabase()
        defer { c.close() }
        let first = try Review.review(c, year: 2024, jurisdiction: Self.jurisdiction, actor: "test")
        #expect(first.count == 20)
        #expect(first.allSatisfy { $0.version == 1 })
        let levy = try #require(first.first { $0.review.creditCode.value == "91410381671088103U" })
        #expect(levy.review.levy == Fen(16_070_400))  // POLICY.md's first worked example, 160,704.00
        let second = try Review.review(c, year: 2024, jurisdiction: Self.jurisdiction, employer: "91410381671088103U",
                                       worksheets: { QuotaWorksheet.render($0) }, actor: "test")
        #expect(second.map(\.version) == [2])
        let rows = try c.query("SELECT version, levy_fen, worksheet IS NOT NULL AS has_sheet, cardinality(parameter_ids) AS params FROM review WHERE credit_code = '91410381671088103U' ORDER BY version")
        #expect(rows.count == 2)
        #expect(try rows[0].int64("levy_fen") == 16_070_400 && rows[1].int64("levy_fen") == 16_070_400)
        #expect(try rows[1].bool("has_sheet"))
        #expect(try rows[0].int("params") > 5)
    }
}
