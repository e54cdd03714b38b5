import Domain
import Foundation
import Parallelism
import Postgres
import Quota

/// The SQL of the annual quota review (the use case is App's `Review`): the
/// year's inputs, the stored versions, and the reviews written as new versions
/// with their trace, worksheet and the parameter rows they used.
public enum ReviewStore {
    /// The year's inputs: every employer, the year's employer-years and rosters.
    public static func loadInputs(_ c: Connection, year: Int) throws -> (employers: [Employer], years: [EmployerYear], rosters: [RosterRow]) {
        let employers = try c.query("SELECT credit_code, name, town_code, type, concentrated FROM employer ORDER BY credit_code")
            .map(RowDecoder.employer)
        let years = try c.query("""
            SELECT credit_code, year, employees::text AS employees, monthly_headcounts::text[] AS monthly_headcounts, total_wages_fen
            FROM employer_year WHERE year = \(year) ORDER BY credit_code
            """).map(RowDecoder.employerYear)
        let rosters = try c.query("""
            SELECT credit_code, year, certificate_no, veteran_certificate_no, veteran_grade, resident_id,
                   contract_start::text AS contract_start, contract_end::text AS contract_end, establishment, months_paid,
                   lowest_monthly_wage_fen, new_graduate
            FROM roster WHERE year = \(year) ORDER BY credit_code, person_key
            """).map(RowDecoder.roster)
        return (employers, years, rosters)
    }

    /// Every seeker's name by certificate number (the employers' papers name the people they count).
    public static func seekerNames(_ c: Connection) throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try c.query("SELECT certificate_no, name FROM seeker") { names[try row.string("certificate_no")] = try row.string("name") }
        return names
    }

    /// One reviewer at a time per year: versions are numbered without gaps or races.
    public static func lockYear(_ tx: Connection, year: Int) throws {
        try AdvisoryLock.transactionLock(tx, .review(year: year), waitingFor: .review(year: year))
    }

    /// The latest stored version of each employer's review for `year`.
    public static func latestVersions(_ tx: Connection, year: Int) throws -> [String: Int] {
        var latest: [String: Int] = [:]
        for row in try tx.query("SELECT credit_code, max(version) AS v FROM review WHERE year = \(year) GROUP BY credit_code") {
            latest[try row.string("credit_code")] = try row.int("v")
        }
        return latest
    }

    /// Writes reviews, one row each: credit code, year, version, status, levy, reward,
    /// result JSON, worksheet, parameter ids (`{1,2}`), created by.
    public static func write(_ tx: Connection, rows: [[String?]]) throws {
        try tx.copyIn("""
            COPY review (credit_code, year, version, status, levy_fen, reward_fen, result, worksheet, parameter_ids, created_by)
            FROM STDIN
            """) { w in
            for row in rows { try w.append(row: row) }
        }
    }

    /// The inputs of the subsidies of `year`: the openings that have placements, by
    /// id, and the placements active in the year.
    public static func subsidyInputs(_ c: Connection, year: Int) throws -> (openings: [OpeningID: Opening], placements: [Placement]) {
        let openings = Dictionary(uniqueKeysWithValues: try c.query("""
            SELECT opening_id, kind, employer_credit_code, category, title, town_code, slots, reach, demands, min_age, max_age,
                   required_certificates, required_skills, preferred_skills, monthly_wage_fen, hours_per_week,
                   open_from::text AS open_from, open_until::text AS open_until
            FROM opening WHERE opening_id IN (SELECT opening_id FROM placement)
            """).map(RowDecoder.opening).map { ($0.id, $0) })
        let placements = try c.query("""
            SELECT certificate_no, opening_id, start_date::text AS start_date, end_date::text AS end_date, monthly_wage_fen, contract_months,
                   end_reason
            FROM placement
            WHERE start_date <= make_date(\(year), 12, 31) AND (end_date IS NULL OR end_date >= make_date(\(year), 1, 1))
            ORDER BY certificate_no, opening_id, start_date
            """).map(RowDecoder.placement)
        return (openings, placements)
    }
}
