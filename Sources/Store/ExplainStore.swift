import Domain
import Foundation
import Postgres

/// The reads behind `explain --seeker` (the use case is App's `Explain`): what a
/// STORED run said about one seeker — the proposal with its stored reasons and
/// score parts, the other candidate openings, or the stored reason of an
/// unmatched seeker — and the two facts of E1 for a seeker absent from the run.
public enum ExplainStore {
    /// A seeker as `explain` needs them.
    public struct SeekerRow: Sendable {
        public let name: String
        public let status: String
    }

    /// A stored proposal of one seeker in one run.
    public struct ProposalRow: Sendable {
        public let proposalID: Int64
        public let openingID: String
        public let score: Int
        public let reasons: [(code: String, text: String)]
        public let parts: [SeekerExplanation.Part]
        public let confirmedAt: String?
    }

    /// The seeker of `key` (a normalised certificate key), or nil.
    public static func seeker(_ c: Connection, key: String) throws -> SeekerRow? {
        try c.query("""
            SELECT certificate_no, name, town_code, status FROM seeker WHERE certificate_no = \(key)
            """).first.map { SeekerRow(name: try $0.string("name"), status: try $0.string("status")) }
    }

    /// Run `runID`, or nil when there is none.
    public static func run(_ c: Connection, runID: Int64) throws -> SeekerExplanation.Run? {
        try c.query("SELECT run_id, region_code, run_date::text AS run_date FROM match_run WHERE run_id = \(runID)").first.map(runValue)
    }

    /// The latest run that holds the seeker (a proposal or an unmatched row), else
    /// the latest run of a region above the seeker's town.
    public static func latestRun(_ c: Connection, key: String) throws -> SeekerExplanation.Run? {
        let held = try c.query("""
            SELECT r.run_id, r.region_code, r.run_date::text AS run_date FROM match_run r
            WHERE r.run_id IN (SELECT run_id FROM proposal WHERE certificate_no = \(key)
                               UNION ALL SELECT run_id FROM unmatched WHERE certificate_no = \(key))
            ORDER BY r.run_id DESC LIMIT 1
            """).first
        let above = try held == nil ? c.query("""
            WITH RECURSIVE up(code) AS (
                SELECT town_code FROM seeker WHERE certificate_no = \(key)
                UNION SELECT r.parent_code FROM region r JOIN up ON r.code = up.code WHERE r.parent_code IS NOT NULL
            )
            SELECT run_id, region_code, run_date::text AS run_date FROM match_run
            WHERE region_code IN (SELECT code FROM up) ORDER BY run_id DESC LIMIT 1
            """).first : nil
        return try (held ?? above).map(runValue)
    }

    /// The seeker's stored proposal in `runID`, or nil.
    public static func proposal(_ c: Connection, runID: Int64, key: String) throws -> ProposalRow? {
        guard let p = try c.query("""
            SELECT proposal_id, opening_id, score, score_parts::text AS score_parts, reasons::text AS reasons,
                   to_char(confirmed_at, 'YYYY-MM-DD HH24:MI') AS confirmed_at
            FROM proposal WHERE run_id = \(runID) AND certificate_no = \(key)
            """).first else { return nil }
        let d = JSONDecoder()
        let parts = try d.decode([RunStore.StoredPart].self, from: Data(try p.string("score_parts").utf8))
        let reasons = try d.decode([RunStore.StoredReason].self, from: Data(try p.string("reasons").utf8))
        return ProposalRow(proposalID: try p.int64("proposal_id"), openingID: try p.string("opening_id"), score: try p.int("score"),
                           reasons: reasons.map { ($0.code, $0.text) },
                           parts: parts.map { .init(label: $0.label, points: $0.points, maximum: $0.maximum, detail: $0.detail) },
                           confirmedAt: try p.optionalString("confirmed_at"))
    }

    /// The seeker's stored unmatched reason and its text in `runID`, or nil.
    public static func unmatched(_ c: Connection, runID: Int64, key: String) throws -> (reason: String, detail: String)? {
        guard let u = try c.query("""
            SELECT reason, detail::text AS detail FROM unmatched WHERE run_id = \(runID) AND certificate_no = \(key)
            """).first else { return nil }
        let detail = try JSONDecoder().decode(RunStore.StoredUnmatched.self, from: Data(try u.string("detail").utf8))
        return (try u.string("reason"), detail.text)
    }

    /// The opening of a placement of the seeker active on `date` (E1's second fact), or nil.
    public static func activePlacement(_ c: Connection, key: String, on date: String) throws -> String? {
        try c.query("""
            SELECT opening_id FROM placement
            WHERE certificate_no = \(key) AND start_date <= \(date)::date AND (end_date IS NULL OR end_date >= \(date)::date)
            ORDER BY opening_id LIMIT 1
            """).first.map { try $0.string("opening_id") }
    }

    /// The seeker's other candidate openings in `runID`, best first (five at most).
    public static func alternatives(_ c: Connection, runID: Int64, key: String,
                                    except proposedOpening: String?) throws -> [(opening: SeekerExplanation.OpeningLabel, score: Int)] {
        try c.query("""
            SELECT opening_id, score FROM candidate
            WHERE run_id = \(runID) AND certificate_no = \(key) AND opening_id IS DISTINCT FROM \(proposedOpening)
            ORDER BY score DESC, opening_id LIMIT 5
            """).map { (opening: try label(c, try $0.string("opening_id")), score: try $0.int("score")) }
    }

    static func runValue(_ row: Row) throws -> SeekerExplanation.Run {
        .init(runID: try row.int64("run_id"), region: try row.string("region_code"), date: try row.string("run_date"))
    }

    /// An opening's label: category and town by name, kind as stored.
    public static func label(_ c: Connection, _ openingID: String) throws -> SeekerExplanation.OpeningLabel {
        guard let row = try c.query("""
            SELECT o.opening_id, o.kind, o.title, coalesce(jc.name, o.category) AS category, coalesce(r.name, o.town_code) AS town
            FROM opening o LEFT JOIN job_category jc ON jc.code = o.category LEFT JOIN region r ON r.code = o.town_code
            WHERE o.opening_id = \(openingID)
            """).first else {
            return .init(id: openingID, category: "?", town: "?", kind: "?", title: nil)
        }
        let kind = try row.string("kind")
        return .init(id: openingID, category: try row.string("category"), town: try row.string("town"),
                     kind: kind, title: try row.optionalString("title"))
    }
}
