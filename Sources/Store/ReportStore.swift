import Domain
import Postgres
import Quota

/// `jobmatch report --year Y`: reads the rows the report shows (one READ
/// ONLY, REPEATABLE READ transaction); App's `Report` applies the rules and
/// Render's `ReportHTML` words the page. Only counts, employer names and
/// ratios: no person appears in the report.
public enum ReportStore {
    /// The rows the report of `year` is made from.
    public struct Rows: Sendable {
        /// The top region's name; nil when no region is loaded.
        public var district: String?
        public var placements: [ReportData.PlacementCount]
        /// Zero-employment households lifted, by year.
        public var householdsLifted: [Int: Int]
        /// The latest year reviewed up to Y, and its employers' latest reviews.
        public var reviewYear: Int?
        public var employers: [ReportData.EmployerRatio]
        /// Levy and reward totals of the latest reviews, by reviewed year.
        public var totals: [Int: (levy: Fen, reward: Fen)]
        /// The facts the plan's indicators are computed from.
        public var facts: IndicatorFacts
    }

    /// Reads the rows of `year`.
    public static func read(_ c: Connection, year: Int) throws -> Rows {
        try c.transaction(isolation: .repeatableRead, readOnly: true) { tx in
            try rows(tx, year: year)
        }
    }

    static func rows(_ tx: Connection, year: Int) throws -> Rows {
        let top = try tx.query("SELECT name FROM region WHERE parent_code IS NULL ORDER BY code LIMIT 1")
        let district = try top.first?.string("name")
        let placements = try tx.query("""
            SELECT extract(year FROM p.start_date)::int AS year, coalesce(r.name, o.town_code) AS town, o.kind, count(*) AS n
            FROM placement p JOIN opening o ON o.opening_id = p.opening_id LEFT JOIN region r ON r.code = o.town_code
            WHERE p.start_date <= make_date(\(year), 12, 31)
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """).compactMap { row -> ReportData.PlacementCount? in
            guard let kind = OpeningKind(codeOrLabel: try row.string("kind")) else { return nil }
            return .init(year: try row.int("year"), town: try row.string("town"), kind: kind, count: try row.int("n"))
        }
        var lifted: [Int: Int] = [:]
        for row in try tx.query("""
            SELECT extract(year FROM p.start_date)::int AS year, count(DISTINCT h.household_id) AS n
            FROM placement p JOIN seeker s ON s.certificate_no = p.certificate_no JOIN household h ON h.household_id = s.household_id
            WHERE h.employed_members = 0 AND p.start_date <= make_date(\(year), 12, 31)
            GROUP BY 1
            """) {
            lifted[try row.int("year")] = try row.int("n")
        }
        // Y's review is made in Y+1: until then the report shows the latest year reviewed before Y.
        let reviewYear = try tx.query("SELECT max(year) AS y FROM review WHERE year <= \(year)")[0].optionalInt("y")
        let employers = try tx.query("""
            SELECT DISTINCT ON (r.credit_code) r.credit_code, e.name, r.status, r.result->>'ratio' AS ratio, r.levy_fen, r.reward_fen
            FROM review r JOIN employer e ON e.credit_code = r.credit_code
            WHERE r.year = \(reviewYear) ORDER BY r.credit_code, r.version DESC
            """).map { (row: Row) throws -> ReportData.EmployerRatio in
            ReportData.EmployerRatio(
                name: try row.string("name"), creditCode: try row.string("credit_code"),
                ratio: try row.optionalString("ratio").flatMap { Rational(decimal: $0) },
                levy: try row.optionalInt64("levy_fen").map { Fen($0) }, reward: try row.optionalInt64("reward_fen").map { Fen($0) })
        }
        var totals: [Int: (levy: Fen, reward: Fen)] = [:]
        for row in try tx.query("""
            WITH latest AS (SELECT DISTINCT ON (credit_code, year) year, status, levy_fen, reward_fen FROM review
                            WHERE year <= \(year) ORDER BY credit_code, year, version DESC)
            SELECT year, coalesce(sum(levy_fen) FILTER (WHERE status = 'reviewed'), 0) AS levy,
                   coalesce(sum(reward_fen) FILTER (WHERE status = 'reviewed'), 0) AS reward
            FROM latest GROUP BY year
            """) {
            totals[try row.int("year")] = (Fen(try row.int64("levy")), Fen(try row.int64("reward")))
        }
        return Rows(district: district, placements: placements, householdsLifted: lifted, reviewYear: reviewYear, employers: employers,
                    totals: totals, facts: try IndicatorStore.read(tx, year: year))
    }
}
