import App
import Domain
import Postgres
import Store
import Testing
import TestSupport

@Suite("Explain against PostgreSQL")
struct ExplainTests {
    @Test("a proposed seeker is explained from the stored run; a seeker absent from the run is judged by Matching's E1")
    func storedRunThenE1() throws {
        let c = try Connection.connect(try ExampleDistrictLoader.config())
        defer { c.close() }
        let request = MatchRunner.Request(region: "410307", date: ExampleDistrictLoader.runDate,
                                          jurisdiction: "CN-41-4103-410307", actor: "test")
        let (run, runID) = try MatchRunner.runAndWrite(c, request)

        let proposed = try #require(run.plan.proposals.first)
        let e = try Explain.seeker(c, certificate: proposed.certificateKey, runID: nil)
        #expect(e.run?.runID == runID)
        guard case .proposed(_, let opening, _, _, _, _) = e.outcome else {
            Issue.record("expected the stored proposal, got \(e.outcome)")
            return
        }
        #expect(opening.id == proposed.openingID.value)

        // A seeker the run does not hold, made inactive: E1 refuses them.
        let absent = try #require(try c.query("""
            SELECT s.certificate_no FROM seeker s
            WHERE NOT EXISTS (SELECT 1 FROM proposal p WHERE p.run_id = \(runID) AND p.certificate_no = s.certificate_no)
              AND NOT EXISTS (SELECT 1 FROM unmatched u WHERE u.run_id = \(runID) AND u.certificate_no = s.certificate_no)
              AND NOT EXISTS (SELECT 1 FROM placement l WHERE l.certificate_no = s.certificate_no)
            ORDER BY s.certificate_no LIMIT 1
            """).first).string("certificate_no")
        try c.query("UPDATE seeker SET status = 'inactive' WHERE certificate_no = \(absent)")
        let refused = try Explain.seeker(c, certificate: absent, runID: runID)
        guard case .excludedByE1(let why) = refused.outcome else {
            Issue.record("expected E1, got \(refused.outcome)")
            return
        }
        #expect(why == .notSeeking(.inactive))

        // Seeking and not placed: E1 admits them, so the answer says the run simply does not hold them.
        try c.query("UPDATE seeker SET status = 'seeking' WHERE certificate_no = \(absent)")
        guard case .notInRun(let text) = try Explain.seeker(c, certificate: absent, runID: runID).outcome else {
            Issue.record("expected not in run")
            return
        }
        #expect(text == .notHeld(region: try #require(try Explain.seeker(c, certificate: absent, runID: runID).run).region))
    }
}
