import Domain
import Foundation
import Parallelism
import Postgres
import Quota
import Store

/// The annual quota review: read the year's inputs and the policy book, review
/// every employer (pure), and store each review as a new version with its
/// trace, worksheet and the parameter rows it used — so a later change of a
/// parameter never silently changes a stored result.
public enum Review {
    /// Words a review as the staff's worksheet (Render's `QuotaWorksheet.render`):
    /// the caller passes it, as App holds no words.
    public typealias WorksheetText = @Sendable (EmployerReview) -> String

    /// Reviews every employer for `year` (or one, `employer`), without storing.
    public static func compute(_ c: Connection, year: Int, jurisdiction: String, employer: String? = nil,
                               book: PolicyBook? = nil) throws -> [EmployerReview] {
        let inputs = try ReviewStore.loadInputs(c, year: year)
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
    /// `worksheets` (Render's `QuotaWorksheet.render`) also renders and stores each
    /// worksheet (about 0.3 ms of CPU each — left out of a whole-district review
    /// unless asked for).
    public static func review(_ c: Connection, year: Int, jurisdiction: String, employer: String? = nil,
                              worksheets: WorksheetText? = nil, actor: String,
                              beforeCommit: ([EmployerReview]) throws -> Void = { _ in }) throws -> [(review: EmployerReview, version: Int)] {
        try c.transaction { tx in
            try review(inTransaction: tx, year: year, jurisdiction: jurisdiction, employer: employer, worksheets: worksheets, actor: actor,
                       beforeCommit: beforeCommit)
        }
    }

    /// `review(_:year:…)` inside the caller's transaction (a certification's
    /// approval stores its review and freezes it in one transaction).
    public static func review(inTransaction tx: Connection, year: Int, jurisdiction: String, employer: String? = nil,
                              worksheets: WorksheetText? = nil, actor: String,
                              beforeCommit: ([EmployerReview]) throws -> Void = { _ in }) throws -> [(review: EmployerReview, version: Int)] {
        try ReviewStore.lockYear(tx, year: year)
        let (book, ids) = try PolicyStore.load(tx)
        let reviews = try compute(tx, year: year, jurisdiction: jurisdiction, employer: employer, book: book)
        let latest = try ReviewStore.latestVersions(tx, year: year)
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
                worksheets?(r),
                "{" + used.sorted().map(String.init).joined(separator: ",") + "}", actor,
            ]
        }
        try ReviewStore.write(tx, rows: rows)
        try Audit.record(tx, actor: actor, action: "review", subject: String(year),
                         detail: ["employers": String(reviews.count), "employer": employer ?? "all"])
        // Files the caller writes from the reviews (worksheets): written before the
        // commit, so a failed write stores no new version (issue 17).
        try beforeCommit(reviews)
        return stored
    }

    /// Every seeker's name by certificate number (the employers' papers name the people they count).
    public static func seekerNames(_ c: Connection) throws -> [String: String] {
        try ReviewStore.seekerNames(c)
    }

    /// The subsidies placements earn in `year` (POLICY.md §4).
    public static func subsidies(_ c: Connection, year: Int, jurisdiction: String) throws -> SubsidyStatement {
        let (book, _) = try PolicyStore.load(c)
        let (openings, placements) = try ReviewStore.subsidyInputs(c, year: year)
        let cases = try placements.compactMap { p -> SubsidyCase? in
            guard let opening = openings[p.opening] else { return nil }
            return SubsidyCase(placement: p, opening: opening, person: try CertificateNumber(p.certificateKey))
        }
        return try SubsidyCalculator.due(year: year, placements: cases, book: book, jurisdiction: jurisdiction)
    }
}
