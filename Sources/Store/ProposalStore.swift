import Domain
import Postgres

/// The SQL of confirming proposals (the use case is App's `Confirm`): lock the
/// proposals and their openings, and turn one into a placement.
public enum ProposalStore {
    /// What to confirm.
    public enum Selection: Sendable, Equatable {
        /// These proposals.
        case proposals([Int64])
        /// Every proposal of the run not yet confirmed.
        case allOfRun(Int64)
    }

    /// A proposal as confirming reads it.
    public struct Candidate: Sendable {
        public let proposalID: Int64
        public let runID: Int64
        public let region: String
        public let runDate: CivilDate
        public let certificateKey: String
        public let openingID: String
        public let confirmedAt: String?
        public let supersededBy: Int64?
    }

    /// The proposal becomes a placement from `startDate`, and is marked confirmed.
    public static func place(_ tx: Connection, _ p: Candidate, startDate day: CivilDate, monthlyWage: Fen?) throws {
        try tx.query("""
            INSERT INTO placement (certificate_no, opening_id, start_date, monthly_wage_fen, source, proposal_id)
            VALUES (\(p.certificateKey), \(p.openingID), \(day.description)::date, \(monthlyWage?.value), 'confirmed', \(p.proposalID))
            """)
        try tx.query("UPDATE proposal SET confirmed_at = now() WHERE proposal_id = \(p.proposalID)")
    }

    /// Locks the openings, then the proposals, in key order; returns the proposals.
    public static func lock(_ tx: Connection, _ selection: Selection) throws -> [Candidate] {
        let filter: Query
        switch selection {
        case .proposals(let ids): filter = "p.proposal_id = ANY(\(ids.map { Int($0) })::bigint[])"
        case .allOfRun(let run):
            guard try tx.query("SELECT 1 FROM match_run WHERE run_id = \(run)").count == 1 else {
                throw StoreError.notFound(.run(run))
            }
            filter = "p.run_id = \(run)"
        }
        _ = try tx.query(Query(unsafeSQL: """
            SELECT o.opening_id FROM opening o
            WHERE o.opening_id IN (SELECT p.opening_id FROM proposal p WHERE \(filter.sql))
            ORDER BY o.opening_id FOR UPDATE
            """, binds: filter.binds))
        return try tx.query(Query(unsafeSQL: """
            SELECT p.proposal_id, p.run_id, r.region_code, r.run_date::text AS run_date, p.certificate_no, p.opening_id,
                   to_char(p.confirmed_at, 'YYYY-MM-DD HH24:MI:SSOF') AS confirmed_at,
                   (SELECT max(l.run_id) FROM match_run l WHERE l.region_code = r.region_code AND l.run_id > r.run_id) AS superseded_by
            FROM proposal p JOIN match_run r ON r.run_id = p.run_id
            WHERE \(filter.sql)
            ORDER BY p.proposal_id FOR UPDATE OF p
            """, binds: filter.binds)).map { row in
            guard let date = CivilDate(iso: try row.string("run_date")) else { throw StoreError.conflict("match_run: run_date does not decode") }
            return Candidate(proposalID: try row.int64("proposal_id"), runID: try row.int64("run_id"), region: try row.string("region_code"),
                             runDate: date, certificateKey: try row.string("certificate_no"), openingID: try row.string("opening_id"),
                             confirmedAt: try row.optionalString("confirmed_at"), supersededBy: try row.optionalInt64("superseded_by"))
        }
    }
}
