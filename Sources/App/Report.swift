import Domain
import Postgres
import Quota
import Store

/// `jobmatch report --year Y`: the report's data (Render's `ReportHTML` words it).
public enum Report {
    /// The quota ratio when the policy book has none for the jurisdiction (Henan's 1.6 %).
    static let defaultQuotaRatio = Rational(16, 1000)

    /// The data of the report of `year`: the rows Store reads, the quota ratio
    /// in force on 31 December of Y, and the plan's indicators computed from
    /// the facts.
    public static func data(_ c: Connection, year: Int, jurisdiction: String) throws -> ReportData {
        let (book, _) = try PolicyStore.load(c)
        let endOfYear = CivilDate(year: year, month: 12, day: 31)!
        let quotaRatio = (try? book.decimal("quota.ratio", jurisdiction: jurisdiction, on: endOfYear).0) ?? defaultQuotaRatio
        let rows = try ReportStore.read(c, year: year)
        return ReportData(year: year, reviewYear: rows.reviewYear, district: rows.district, placements: rows.placements,
                          householdsLifted: rows.householdsLifted, employers: rows.employers, quotaRatio: quotaRatio,
                          totals: rows.totals, indicators: PlanIndicators.compute(rows.facts))
    }
}
