import Domain
import Postgres
import Quota
import Store

/// `jobmatch export WHAT`: the table of one export (rendering to CSV or JSON is
/// pure, elsewhere).
public enum Export {
    /// The table of `what`: per-run exports read `run` (default the latest run),
    /// `reviews` and `indicators` need `year`, `placements` takes it as a filter
    /// (placements starting in that year). Returns the run read, if any.
    /// `towns` (nil: every region) limits the export to a region-scoped account's:
    /// the latest run of those regions, placements of seekers living there, reviews
    /// of employers there; a run of another region is `notFound`, and the
    /// district-wide indicators are `DistrictOnly`.
    public static func table(_ c: Connection, _ what: ExportStore.What, run: Int64?, year: Int?,
                             towns: [String]? = nil) throws -> (table: ExportTable, runID: Int64?) {
        if what.isPerRun {
            let id = try run ?? ExportStore.latestRunID(c, regions: towns)
            if let towns, try !ExportStore.runIsOf(c, run: id, regions: towns) { throw StoreError.notFound(.run(id)) }
            switch what {
            case .proposals: return (try ExportStore.proposals(c, run: id), id)
            case .candidates: return (try ExportStore.candidates(c, run: id), id)
            default: return (try ExportStore.unmatched(c, run: id), id)
            }
        }
        switch what {
        case .placements: return (try ExportStore.placements(c, year: year, towns: towns), nil)
        case .reviews, .indicators:
            guard let year else { throw StoreError.notFound(.year(export: what.rawValue)) }
            if what == .reviews { return (try ExportStore.reviews(c, year: year, towns: towns), nil) }
            if towns != nil { throw DistrictOnly() }
            return (ExportTable.indicators(try Indicators.of(c, year: year), year: year), nil)
        default: preconditionFailure("per-run exports are handled above")
        }
    }
}

/// The plan's indicators are the whole district's sums: a region-scoped account
/// cannot have them (they would show other regions' figures).
public struct DistrictOnly: Error, Sendable {}

/// The plan's indicators (see `PlanIndicators`).
public enum Indicators {
    /// The indicators of `year`, beside their targets.
    public static func of(_ c: Connection, year: Int, jurisdiction: String = "CN") throws -> [PlanIndicators.Indicator] {
        try PlanIndicators.compute(IndicatorStore.facts(c, year: year))
            + FollowUp.indicators(c, year: year, jurisdiction: jurisdiction)  // issue 16: retention, overdue follow-ups
    }
}
