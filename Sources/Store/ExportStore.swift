import Domain
import Postgres
import Quota

/// The reads of `jobmatch export WHAT` (the use case is App's `Export`): the rows of each export into an
/// `ExportTable` of keys and kinds (the headers and the rendering to CSV or JSON are Render's). Rows come in a
/// fixed order (by key), so the same data exports byte for byte the same.
public enum ExportStore {
    /// What can be exported (CONTRACT.md §1 `export WHAT`).
    public enum What: String, Sendable, CaseIterable {
        case proposals, candidates, unmatched, reviews, placements, indicators
        /// Whether the export belongs to one run (`--run`, default the latest).
        public var isPerRun: Bool { [.proposals, .candidates, .unmatched].contains(self) }
    }

    /// The latest run (highest id; of `regions` when given), or `notFound` when none was made.
    public static func latestRunID(_ c: Connection, regions: [String]? = nil) throws -> Int64 {
        guard let id = try c.query("""
            SELECT max(run_id) AS id FROM match_run WHERE \(regions)::text[] IS NULL OR region_code = ANY (\(regions)::text[])
            """)[0].optionalInt64("id") else {
            throw StoreError.notFound(.anyRun)
        }
        return id
    }

    /// Whether run `run` is of one of `regions`.
    public static func runIsOf(_ c: Connection, run: Int64, regions: [String]) throws -> Bool {
        try c.query("SELECT 1 FROM match_run WHERE run_id = \(run) AND region_code = ANY (\(regions)::text[])").count == 1
    }

    static func requireRun(_ c: Connection, _ run: Int64) throws {
        guard try c.query("SELECT 1 FROM match_run WHERE run_id = \(run)").count == 1 else { throw StoreError.notFound(.run(run)) }
    }

    /// A table from a query: the columns name the result's columns by `en`.
    static func table(_ c: Connection, _ columns: [ExportTable.Column], _ q: Query) throws -> ExportTable {
        let rows = try c.query(q)
        return ExportTable(columns: columns, rows: rows.map { row in columns.map { row[$0.en] } })
    }

    /// The proposals of a run, by certificate number.
    public static func proposals(_ c: Connection, run: Int64) throws -> ExportTable {
        try requireRun(c, run)
        return try table(c, [
            .init("proposal_id", .integer), .init("run_id", .integer),
            .init("certificate_no", .identifier), .init("name", .name), .init("town"),
            .init("opening_id"), .init("opening_title"), .init("opening_kind", .coded(.openingKind)),
            .init("category"), .init("opening_town"), .init("score", .integer),
            .init("reasons"), .init("confirmed_at"),
        ], """
            SELECT p.proposal_id, p.run_id, p.certificate_no, s.name, ts.name AS town, p.opening_id, o.title AS opening_title,
                   o.kind AS opening_kind, coalesce(jc.name, o.category) AS category, ot.name AS opening_town, p.score,
                   (SELECT string_agg(e.x->>'text', '；' ORDER BY e.n) FROM jsonb_array_elements(p.reasons) WITH ORDINALITY AS e(x, n)) AS reasons,
                   to_char(p.confirmed_at, 'YYYY-MM-DD HH24:MI:SS') AS confirmed_at
            FROM proposal p
            LEFT JOIN seeker s ON s.certificate_no = p.certificate_no LEFT JOIN region ts ON ts.code = s.town_code
            LEFT JOIN opening o ON o.opening_id = p.opening_id LEFT JOIN region ot ON ot.code = o.town_code
            LEFT JOIN job_category jc ON jc.code = o.category
            WHERE p.run_id = \(run) ORDER BY p.certificate_no
            """)
    }

    /// Every eligible pair of a run (CONTRACT.md §4): `certificate_no,opening_id,score`.
    public static func candidates(_ c: Connection, run: Int64) throws -> ExportTable {
        try requireRun(c, run)
        return try table(c, [
            .init("certificate_no", .identifier), .init("opening_id"), .init("score", .integer),
        ], "SELECT certificate_no, opening_id, score FROM candidate WHERE run_id = \(run) ORDER BY certificate_no, opening_id")
    }

    /// The unmatched seekers of a run with the stored reason.
    public static func unmatched(_ c: Connection, run: Int64) throws -> ExportTable {
        try requireRun(c, run)
        return try table(c, [
            .init("run_id", .integer), .init("certificate_no", .identifier), .init("name", .name),
            .init("town"), .init("reason", .coded(.unmatchedReason)), .init("detail"),
            .init("openings"),
        ], """
            SELECT u.run_id, u.certificate_no, s.name, t.name AS town, u.reason, u.detail->>'text' AS detail,
                   (SELECT string_agg(x, ';' ORDER BY n) FROM jsonb_array_elements_text(u.detail->'openings') WITH ORDINALITY AS e(x, n)) AS openings
            FROM unmatched u LEFT JOIN seeker s ON s.certificate_no = u.certificate_no LEFT JOIN region t ON t.code = s.town_code
            WHERE u.run_id = \(run) ORDER BY u.certificate_no
            """)
    }

    /// The latest stored review version of each employer for `year`; with `towns`,
    /// only employers of those towns (a region-scoped account).
    public static func reviews(_ c: Connection, year: Int, towns: [String]? = nil) throws -> ExportTable {
        try table(c, [
            .init("credit_code"), .init("employer_name"), .init("year", .integer),
            .init("version", .integer), .init("status", .coded(.reviewStatus)),
            .init("employees", .decimal), .init("required", .decimal),
            .init("counted", .decimal), .init("shortfall", .decimal), .init("excess", .decimal),
            .init("ratio", .decimal), .init("exempt", .boolean),
            .init("levy", .fen), .init("reward", .fen), .init("reviewed_at"),
        ], """
            SELECT DISTINCT ON (r.credit_code) r.credit_code, e.name AS employer_name, r.year, r.version, r.status,
                   r.result->>'employees' AS employees, r.result->>'required' AS required, r.result->>'counted' AS counted,
                   r.result->>'shortfall' AS shortfall, r.result->>'excess' AS excess, r.result->>'ratio' AS ratio,
                   r.result->>'exempt' AS exempt, r.levy_fen AS levy, r.reward_fen AS reward,
                   to_char(r.created_at, 'YYYY-MM-DD HH24:MI:SS') AS reviewed_at
            FROM review r JOIN employer e ON e.credit_code = r.credit_code
            WHERE r.year = \(year) AND (\(towns)::text[] IS NULL OR e.town_code = ANY (\(towns)::text[]))
            ORDER BY r.credit_code, r.version DESC
            """)
    }

    /// Placements (all, or those starting in `year`); the first columns are the
    /// import's, so the English CSV loads back with `import placements`. With `towns`,
    /// only placements of seekers living in those towns (a region-scoped account).
    public static func placements(_ c: Connection, year: Int?, towns: [String]? = nil) throws -> ExportTable {
        try table(c, [
            .init("certificate_no", .identifier), .init("opening_id"), .init("start_date"),
            .init("end_date"), .init("monthly_wage", .fen), .init("contract_months", .integer),
            .init("name", .name), .init("opening_kind", .coded(.openingKind)), .init("opening_town"),
            .init("employer_credit_code"), .init("source", .coded(.placementSource)),
            .init("proposal_id", .integer),
        ], """
            SELECT p.certificate_no, p.opening_id, p.start_date::text AS start_date, p.end_date::text AS end_date,
                   p.monthly_wage_fen AS monthly_wage, p.contract_months, s.name, o.kind AS opening_kind, t.name AS opening_town,
                   o.employer_credit_code, p.source, p.proposal_id
            FROM placement p LEFT JOIN seeker s ON s.certificate_no = p.certificate_no
            LEFT JOIN opening o ON o.opening_id = p.opening_id LEFT JOIN region t ON t.code = o.town_code
            WHERE (\(year)::int IS NULL OR extract(year FROM p.start_date) = \(year)::int)
              AND (\(towns)::text[] IS NULL OR s.town_code = ANY (\(towns)::text[]))
            ORDER BY p.certificate_no, p.opening_id, p.start_date
            """)
    }
}
