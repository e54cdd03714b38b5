import App
import Domain
import Foundation
import Postgres
import Render
import Store
import Testing
import TestSupport

/// The pure pieces of the staff workflow (export tables, explanations, SVG)
/// with plain values, and the Store reads on the example district.
@Suite("staff: exports, explanations, charts")
struct StaffStoreTests {
    static let cert = "41030719920311662743"

    static let table = ExportTable(columns: [
        .init("certificate_no", "残疾人证号", .identifier), .init("name", "姓名", .name), .init("note", "说明"),
        .init("monthly_wage", "月工资（元）", .fen), .init("exempt", "免征", .boolean), .init("ratio", "比例", .decimal),
        .init("score", "匹配分", .integer),
    ], rows: [
        [cert, "梁雪雪", "a, \"quoted\"\r\nline", "200050", "t", "0.011765", "425"],
        [cert, "王五", "=SUM(A1)", nil, "f", nil, "0"],
    ])

    @Test("CSV: BOM, CRLF, Chinese headers, quoting, masking, yuan, formula guard")
    func csvForPeople() {
        let bytes = Self.table.csv(headers: .zh, unmasked: false)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "残疾人证号,姓名,说明,月工资（元）,免征,比例,匹配分\r\n"
                + "410307********6627**,梁**,\"a, \"\"quoted\"\"\r\nline\",2000.50,是,0.011765,425\r\n"
                + "410307********6627**,王**,'=SUM(A1),,否,,0\r\n")
        let en = String(decoding: Self.table.csv(headers: .en, unmasked: true).dropFirst(3), as: UTF8.self)
        #expect(en.hasPrefix("certificate_no,name,note,monthly_wage,exempt,ratio,score\r\n\(Self.cert),梁雪雪,"))
        #expect(en.contains(",true,"))
    }

    @Test("JSON: English keys, money as integer fen under _fen, decimals as strings, masked")
    func jsonForSystems() throws {
        let json = Self.table.json(unmasked: false)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows[0]["monthly_wage_fen"] as? Int == 200050)
        #expect(rows[0]["ratio"] as? String == "0.011765")
        #expect(rows[0]["exempt"] as? Bool == true)
        #expect(rows[0]["certificate_no"] as? String == "410307********6627**")
        #expect(rows[0]["name"] as? String == "梁**")
        #expect(rows[1]["monthly_wage_fen"] is NSNull)
        #expect(!json.contains(Self.cert))
    }

    @Test("an explanation masks the seeker unless unmasked, and lists score parts and alternatives")
    func explanationText() {
        let label = SeekerExplanation.OpeningLabel(id: "YS-P001", category: "社区服务人员", town: "首阳山街道", kindLabel: "公益性岗位", title: nil)
        let e = SeekerExplanation(
            certificateKey: Self.cert, name: "梁雪雪", run: .init(runID: 7, region: "410307", date: "2025-09-01"),
            outcome: .proposed(proposalID: 3, opening: label, score: 812, reasons: ["零就业家庭成员，安置后家庭实现就业"],
                               parts: [.init(label: "距离", points: 250, maximum: 250, detail: "同镇街")], confirmedAt: nil),
            alternatives: [(label, 700)])
        let masked = e.chinese(unmasked: false)
        #expect(masked.contains("梁**（残疾人证号 410307********6627**）"))
        #expect(!masked.contains(Self.cert) && !masked.contains("梁雪雪"))
        #expect(masked.contains("距离 250/250 分：同镇街"))
        #expect(masked.contains("YS-P001（社区服务人员，首阳山街道，公益性岗位）：匹配分 700"))
        #expect(e.chinese(unmasked: true).contains("梁雪雪（残疾人证号 \(Self.cert)）"))
    }

    @Test("SVG charts escape text and draw the reference line")
    func svgCharts() {
        let svg = SVGChart.horizontalBars(
            title: "A & <B>", labels: ["甲", "乙"], series: [.init(name: "比例", color: "#123456", values: [1.2, 2.0])],
            format: { String(format: "%.1f%%", $0) }, reference: (1.6, "规定比例 1.6%"))
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("A &amp; &lt;B&gt;") && !svg.contains("<B>"))
        #expect(svg.contains("stroke-dasharray") && svg.contains("规定比例 1.6%"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2)
    }

    @Test("indicators and the report read the example district")
    func indicatorsAndReportOnExampleDistrict() throws {
        let c = try Connection.connect(ExampleDistrictLoader.config())
        defer { c.close() }
        let list = try Indicators.of(c, year: 2025)
        let registered = try #require(list.first { $0.code == "seekers_registered_total" }?.value)
        #expect(registered == Rational(try c.query("SELECT count(*) AS n FROM seeker WHERE registered_on IS NULL OR registered_on <= '2025-12-31'")[0].int("n")))
        let trained = try #require(list.first { $0.code == "trained_plan_period" })
        #expect(trained.target?.value == Rational(1000) && trained.target?.period == 2021...2025)
        let html = try ReportHTML.render(Report.data(c, year: 2025, jurisdiction: "CN-41-4103-410307"))
        #expect(html.contains("<svg") && html.contains("偃师区"))
    }
}
