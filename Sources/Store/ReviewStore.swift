import Domain
import Foundation
import Parallelism
import Postgres
import Quota

/// The annual quota review against the database: read the year's inputs and
/// the policy book, review every employer (pure), and store each review as a
/// new version with its trace, worksheet and the parameter rows it used — so a
/// later change of a parameter never silently changes a stored result.
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

    /// Reviews every employer for `year` (or one, `employer`), without storing.
    public static func compute(_ c: Connection, year: Int, jurisdiction: String, employer: String? = nil,
                               book: PolicyBook? = nil) throws -> [EmployerReview] {
        let inputs = try loadInputs(c, year: year)
        let book = try book ?? PolicyStore.load(c).book
        // All employers are reviewed together so `claimed_twice` sees every roster.
        let all = try QuotaReview.reviewAll(employers: inputs.employers, employerYears: inputs.years, rosters: inputs.rosters,
                                            year: year, book: book, jurisdiction: jurisdiction)
        guard let employer else { return all }
        let one = all.filter { $0.creditCode.value == employer.uppercased() }
        if one.isEmpty { throw StoreError.notFound("employer \(employer)") }
        return one
    }

    /// Computes and stores the reviews in one transaction; returns them with their versions.
    /// `worksheets: true` also renders and stores each Chinese worksheet (about 0.3 ms
    /// of CPU each — left out of a whole-district review unless asked for).
    public static func review(_ c: Connection, year: Int, jurisdiction: String, employer: String? = nil,
                              worksheets: Bool = false, actor: String,
                              beforeCommit: ([EmployerReview]) throws -> Void = { _ in }) throws -> [(review: EmployerReview, version: Int)] {
        try c.transaction { tx in
            try review(inTransaction: tx, year: year, jurisdiction: jurisdiction, employer: employer, worksheets: worksheets, actor: actor,
                       beforeCommit: beforeCommit)
        }
    }

    /// `review(_:year:…)` inside the caller's transaction (a certification's
    /// approval stores its review and freezes it in one transaction).
    public static func review(inTransaction tx: Connection, year: Int, jurisdiction: String, employer: String? = nil,
                              worksheets: Bool = false, actor: String,
                              beforeCommit: ([EmployerReview]) throws -> Void = { _ in }) throws -> [(review: EmployerReview, version: Int)] {
        do {
            // One reviewer at a time per year: versions are numbered without gaps or races.
            try AdvisoryLock.transactionLock(tx, .review(year: year), waitingFor: "another review of \(year)")
            let (book, ids) = try PolicyStore.load(tx)
            let reviews = try compute(tx, year: year, jurisdiction: jurisdiction, employer: employer, book: book)
            var latest: [String: Int] = [:]
            for row in try tx.query("SELECT credit_code, max(version) AS v FROM review WHERE year = \(year) GROUP BY credit_code") {
                latest[try row.string("credit_code")] = try row.int("v")
            }
            let stored = reviews.map { r in (r, (latest[r.creditCode.value] ?? 0) + 1) }
            // Each review's JSON and worksheet are built across the cores (most of the
            // store's client time at 10,000 employers), then streamed in order.
            let rows = stored.concurrentMap { r, version -> [String?] in
                // The trace names parameter rows by id; the review keeps the set of them.
                var used = Set<Int64>()
                let result = ReviewJSONText.object(r, parameters: .ids { use in
                    let id = ids[ParameterKey(key: use.key, jurisdiction: use.jurisdiction, validFrom: use.validFrom)]
                    if let id { used.insert(id) }
                    return id
                })
                return [
                    r.creditCode.value, String(year), String(version), r.status.rawValue, r.levy.map { String($0.value) },
                    r.reward.map { String($0.value) }, result,
                    worksheets ? QuotaWorksheet.render(r) : nil,
                    "{" + used.sorted().map(String.init).joined(separator: ",") + "}", actor,
                ]
            }
            try tx.copyIn("""
                COPY review (credit_code, year, version, status, levy_fen, reward_fen, result, worksheet, parameter_ids, created_by)
                FROM STDIN
                """) { w in
                for row in rows { try w.append(row: row) }
            }
            try Audit.record(tx, actor: actor, action: "review", subject: String(year),
                             detail: ["employers": String(reviews.count), "employer": employer ?? "all"])
            // Files the caller writes from the reviews (worksheets): written before the
            // commit, so a failed write stores no new version (issue 17).
            try beforeCommit(reviews)
            return stored
        }
    }

    /// The subsidies placements earn in `year` (POLICY.md §4).
    public static func subsidies(_ c: Connection, year: Int, jurisdiction: String) throws -> SubsidyStatement {
        let (book, _) = try PolicyStore.load(c)
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
        let cases = try placements.compactMap { p -> SubsidyCase? in
            guard let opening = openings[p.opening] else { return nil }
            return SubsidyCase(placement: p, opening: opening, person: try CertificateNumber(p.certificateKey))
        }
        return try SubsidyCalculator.due(year: year, placements: cases, book: book, jurisdiction: jurisdiction)
    }
}
