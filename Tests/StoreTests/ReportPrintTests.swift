import App
import Domain
import Foundation
import Postgres
import Render
import Store
import TestSupport
import Testing

/// The HTML report as paper (issue 15): A4, no year-without-review shown as 0.00, labels off the quota line.
@Suite struct ReportPrintTests {
    @Test("a bar's value label never sits on the quota line")
    func labelsClearOfTheReferenceLine() throws {
        let svg = SVGChart.horizontalBars(
            title: "安排比例", labels: ["甲", "乙", "丙"], series: [.init(name: "比例", color: "#123456", values: [1.5, 1.55, 3.0])],
            format: { String(format: "%.2f%%", $0) }, reference: (1.6, "规定比例 1.6%"))
        func x(of text: String) throws -> Double {
            let r = try #require(svg.range(of: "\">\(text)</text>", options: .backwards))
            let head = svg[..<r.lowerBound]
            let x = try #require(head.range(of: "<text x=\"", options: .backwards))
            return try #require(Double(head[x.upperBound...].prefix { $0 != "\"" }))
        }
        let line = try #require(svg.range(of: "stroke-dasharray").map { svg[..<$0.lowerBound] }?.range(of: "<line x1=\"", options: .backwards))
        let lineX = try #require(Double(svg[line.upperBound...].prefix { $0 != "\"" }))
        for label in ["1.50%", "1.55%"] {
            let lx = try x(of: label)
            let width = SVGChart.textWidth(label, size: 10)
            #expect(lx > lineX || lx + width < lineX, "\(label) at \(lx)…\(lx + width), the line at \(lineX)")
        }
    }

    @Test("the report prints on A4, keeps headings with what follows, and says 尚未年审 for a year with no review")
    func printsOnA4() throws {
        let c = try Connection.connect(ExampleDistrictLoader.config())
        defer { c.close() }
        let reviewed = try c.query("SELECT count(*) AS n FROM review WHERE year = 2025")[0].int("n")
        #expect(reviewed == 0)
        let html = try ReportHTML.render(Report.data(c, year: 2025, jurisdiction: "CN-41-4103-410307"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("break-after: avoid"))
        let levyRow = try #require(html.components(separatedBy: "\n").first { $0.contains("残疾人就业保障金合计") })
        #expect(levyRow.contains("尚未年审") && !levyRow.contains("0.00"), "\(levyRow)")
    }
}
