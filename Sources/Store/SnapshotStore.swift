import Domain
import Matching
import Postgres

/// Reads what a matching run needs, as one consistent snapshot.
///
/// A run's scope is a region (usually a district) and every region below it,
/// so a province partitions its runs by district and each run reads only its
/// own rows. The read is one REPEATABLE READ, READ ONLY transaction: every
/// table is seen as of the same instant, and it is closed before matching
/// starts, so no transaction stays open during the pure computation.
public enum SnapshotStore {
    /// The scope's region codes: `region` and all below it (recursive).
    static let scopeCTE = """
        WITH RECURSIVE scope(code) AS (
            SELECT code FROM region WHERE code = $1
            UNION
            SELECT r.code FROM region r JOIN scope s ON r.parent_code = s.code
        )
        """

    /// Loads the snapshot of `region` for a run dated `date`; returns it with the
    /// database's snapshot time.
    public static func load(_ c: Connection, region: String, date: CivilDate) throws -> (MatchSnapshot, snapshotAt: String) {
        try c.transaction(isolation: .repeatableRead, readOnly: true) { tx in
            let at = try tx.query("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at")[0].string("at")
            return (try read(tx, region: region, date: date), at)
        }
    }

    /// Reads the snapshot of `region` for `date` inside the caller's transaction
    /// (`confirm` re-checks eligibility under its own locks with it).
    public static func read(_ tx: Connection, region: String, date: CivilDate) throws -> MatchSnapshot {
        guard try tx.query("SELECT 1 FROM region WHERE code = \(region)").count == 1 else {
            throw StoreError.notFound(.region(region))
        }
        func scoped(_ sql: String) throws -> Rows {
            try tx.query(Query(unsafeSQL: scopeCTE + "\n" + sql, binds: [region]))
        }
        let regions = try scoped("""
            SELECT r.code, r.name, r.parent_code,
                   array(SELECT n.neighbour_code FROM region_neighbour n WHERE n.region_code = r.code ORDER BY 1) AS neighbours
            FROM region r WHERE r.code IN (SELECT code FROM scope) ORDER BY r.code
            """).map { row in
            Region(code: RegionCode(try row.string("code")), name: try row.string("name"),
                   parent: try row.optionalString("parent_code").map(RegionCode.init),
                   neighbours: try row.stringArray("neighbours").map(RegionCode.init))
        }
        let seekers = try scoped("""
            SELECT certificate_no, reissue, name, town_code, household_id, education, graduation_year, skills,
                   certificates, intentions, work_capacity, flags, status, registered_on::text AS registered_on, phone
            FROM seeker WHERE town_code IN (SELECT code FROM scope) ORDER BY certificate_no
            """).map(RowDecoder.seeker)
        let households = try scoped("""
            SELECT household_id, town_code, employed_members, flags FROM household
            WHERE household_id IN (SELECT household_id FROM seeker WHERE town_code IN (SELECT code FROM scope))
            ORDER BY household_id
            """).map(RowDecoder.household)
        let trainings = try scoped("""
            SELECT certificate_no, course, start_date::text AS start_date, skill, end_date::text AS end_date, completed
            FROM training WHERE certificate_no IN (SELECT certificate_no FROM seeker WHERE town_code IN (SELECT code FROM scope))
            ORDER BY certificate_no, course, start_date
            """).map(RowDecoder.training)
        let openings = try scoped("""
            SELECT opening_id, kind, employer_credit_code, category, title, town_code, slots, reach, demands, min_age, max_age,
                   required_certificates, required_skills, preferred_skills, monthly_wage_fen, hours_per_week,
                   open_from::text AS open_from, open_until::text AS open_until
            FROM opening WHERE town_code IN (SELECT code FROM scope) ORDER BY opening_id
            """).map(RowDecoder.opening)
        let placements = try scoped("""
            SELECT certificate_no, opening_id, start_date::text AS start_date, end_date::text AS end_date,
                   monthly_wage_fen, contract_months
            FROM placement
            WHERE certificate_no IN (SELECT certificate_no FROM seeker WHERE town_code IN (SELECT code FROM scope))
               OR opening_id IN (SELECT opening_id FROM opening WHERE town_code IN (SELECT code FROM scope))
            ORDER BY certificate_no, opening_id, start_date
            """).map(RowDecoder.placement)
        let categories = try tx.query("SELECT code, name FROM job_category ORDER BY code").map { row in
            JobCategory(code: try row.string("code"), name: try row.string("name"))
        }
        return MatchSnapshot(date: date, regions: regions, households: households, seekers: seekers,
                             trainings: trainings, openings: openings, placements: placements, categories: categories)
    }
}
