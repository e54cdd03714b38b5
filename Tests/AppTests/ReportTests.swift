import App
import Domain
import Postgres
import Quota
import Store
import Testing
import TestSupport

@Suite("Report against PostgreSQL")
struct ReportTests {
    @Test("the report's data applies the rules in App to the rows Store reads: the book's quota ratio, the plan's indicators")
    func rulesOnTheRows() throws {
        let c = try Connection.connect(ExampleDistrictLoader.config())
        defer { c.close() }
        let data = try Report.data(c, year: 2025, jurisdiction: "CN-41-4103-410307")
        let rows = try ReportStore.read(c, year: 2025)
        let book = try PolicyStore.load(c).book
        let ratio = try book.decimal("quota.ratio", jurisdiction: "CN-41-4103-410307", on: CivilDate(year: 2025, month: 12, day: 31)!).0
        #expect(data.quotaRatio == ratio)
        #expect(data.district != nil && data.district == rows.district)
        #expect(data.indicators == PlanIndicators.compute(rows.facts))
        #expect(data.placements == rows.placements && data.employers == rows.employers && data.reviewYear == rows.reviewYear)
    }
}
