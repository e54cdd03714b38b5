import Domain
import Foundation
import Testing
@testable import Quota
import Render

struct WorksheetTests {
    @Test("the worksheet shows inputs, rules, figures and sources in Chinese, masks IDs and marks placeholders")
    func worksheet() throws {
        let rows = Fixture.rows(1, count: 10, grade: 3, firstSerial: 1)
            + [Fixture.roster(1, certificate: Fixture.certificate(serial: 99, grade: 2), months: 0)]
        let r = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 430, wages: 26_660_000)], rows).first)
        let text = QuotaWorksheet.render(r)
        #expect(text.contains("2024年度"))
        #expect(text.contains("26,660,000.00 元"))
        #expect(text.contains("| 超比例奖励 | 37,440.00 元 ⚠占位 |"))
        #expect(text.contains("| 残疾人就业保障金（2025年缴纳） | 0.00 元 |"))
        #expect(text.contains("无足额缴费月份（no_paid_months）"))
        #expect(text.contains("《残疾人就业保障金征收使用管理办法》(财税〔2015〕72号)"))
        #expect(!rows.contains { text.contains($0.certificateNo!) })
        #expect(rows.contains { text.contains(Masking.identifier($0.certificateNo!)) })
        #expect(rows.contains { QuotaWorksheet.render(r, unmasked: true).contains($0.certificateNo!) })
    }

    @Test("subsidy JSON groups months per placement and programme, with totals per beneficiary")
    func subsidyJSON() throws {
        let opening = Opening(id: OpeningID("W1"), kind: .publicWelfare, employer: Fixture.creditCode(7), category: "cleaner_rural",
                              town: Fixture.town, slots: 1)
        let person = try CertificateNumber(Fixture.certificate(grade: 3))
        let s = try SubsidyCalculator.due(year: 2024, placements: [(Placement(certificateKey: person.key, opening: opening.id,
                                                                              startDate: CivilDate(iso: "2024-11-20")!), opening, person: person)],
                                          book: Fixture.henan, jurisdiction: Fixture.yanshi)
        let o = try JSONSerialization.jsonObject(with: Data(s.json(unmasked: false).pretty.utf8)) as! [String: Any]
        let placements = o["placements"] as! [[String: Any]]
        #expect(placements.count == 2)
        #expect(placements[0]["months"] as? [Int] == [11, 12] && placements[0]["amount_fen"] as? Int == 400_000)
        #expect((placements[0]["certificate_no"] as! String) == person.masked)
        #expect((o["totals"] as! [[String: Any]])[0]["amount_fen"] as? Int == 400_000 + 2 * 92_773)
    }
}
