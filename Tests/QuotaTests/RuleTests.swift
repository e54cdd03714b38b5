import Domain
import Foundation
import Testing
@testable import Quota

/// POLICY.md §2 reasons, weights and statuses; the reward kinds; CONTRACT.md §5 JSON.
struct RuleTests {
    @Test("a row with an invalid certificate still gets every other reason that applies")
    func allReasons() throws {
        var cert = Array(Fixture.certificate(born: "1950-05-05", serial: 11, grade: 3))
        cert[17] = cert[17] == "1" ? "2" : "1" // break the check character
        let row = Fixture.roster(1, certificate: String(cert), months: 0, wage: 1000, start: "2024-01-01", end: "2024-06-30")
        let r = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 100, wages: 6_000_000)], [row]).first)
        #expect(r.rows[0].reasons == [.invalidCertificate, .contractTooShort, .belowMinimumWage, .noPaidMonths])
        // A bad category with a valid ID still tells the age.
        let bad = Fixture.residentID(born: "1950-05-05", serial: 11) + "93"
        let r2 = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 100, wages: 6_000_000)],
                                                 [Fixture.roster(1, certificate: bad)]).first)
        #expect(r2.rows[0].reasons == [.invalidCertificate, .outsideWorkingAge])
    }

    @Test("veteran rows: grades 1–3 weigh 2, 4–8 weigh 1, other grades or a missing resident ID are invalid",
          arguments: zip([1, 3, 4, 8, 9, 0], [2, 2, 1, 1, 1, 1]))
    func veteranWeight(_ grade: Int, _ weight: Int) throws {
        let row = RosterRow(creditCode: Fixture.creditCode(1), year: 2024, veteranCertificateNo: "豫军残字第000123号", veteranGrade: grade,
                            residentID: Fixture.residentID(born: "1980-01-01", serial: 11), contractStart: CivilDate(iso: "2020-01-01"),
                            monthsPaid: 12, lowestMonthlyWage: Fen(yuan: 3000))
        let r = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 100, wages: 6_000_000)], [row]).first)
        #expect(r.rows[0].weight == weight)
        #expect(r.rows[0].qualifies == (1...8).contains(grade))
        var noID = row; noID.residentID = nil
        let r2 = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 100, wages: 6_000_000)], [noID]).first)
        #expect(r2.rows[0].reasons.contains(.invalidCertificate))
    }

    @Test("when one person is declared by two employers both rows get claimed_twice, whatever the certificate form")
    func claimedTwice() throws {
        let id = Fixture.residentID(born: "1980-01-01", serial: 11)
        let a = Fixture.roster(1, certificate: id + "42")
        let b = Fixture.roster(2, certificate: id + "42B1")
        let c = RosterRow(creditCode: Fixture.creditCode(3), year: 2024, veteranCertificateNo: "V1", veteranGrade: 5, residentID: id,
                          contractStart: CivilDate(iso: "2020-01-01"), monthsPaid: 12, lowestMonthlyWage: Fen(yuan: 3000))
        let other = Fixture.roster(4, certificate: Fixture.certificate(serial: 13, grade: 3))
        let lastYear = Fixture.roster(4, year: 2023, certificate: id + "42")
        let employers = (1...4).map { Fixture.employer($0) }
        let years = (1...4).map { Fixture.employerYear($0, employees: 100, wages: 6_000_000) }
        let rs = try Fixture.review(employers, years, [a, b, c, other, lastYear])
        #expect(rs.map { $0.rows.first?.reasons ?? [] } == [[.claimedTwice], [.claimedTwice], [.claimedTwice], []])
    }

    @Test("no employer-year gives missing_employer_year and no figures; N = 0 gives no_staff; rows are judged anyway")
    func statuses() throws {
        let rs = try Fixture.review([Fixture.employer(1), Fixture.employer(2)],
                                    [Fixture.employerYear(2, employees: 0, wages: 0), Fixture.employerYear(1, year: 2023, employees: 10, wages: 1)],
                                    [Fixture.roster(1, certificate: Fixture.certificate(grade: 3))])
        #expect(rs.map(\.status) == [.missingEmployerYear, .noStaff])
        #expect(rs[0].levy == nil && rs[0].counted == nil && rs[0].rows.count == 1 && rs[0].rows[0].qualifies)
        #expect(rs[1].employees == .zero && rs[1].ratio == nil && rs[1].reward == nil)
    }

    @Test("per_new_placement (Luoyang 2013): 4,000 + 3,000 + 3,000 + 2,000 for four hired in Y, capped at 30,000")
    func perNewPlacement() throws {
        let book = Fixture.henan(plus: [Fixture.row("reward.kind", "CN-41-4103", "2013-01-01", "per_new_placement")])
        var rows = Fixture.rows(1, count: 8, grade: 3, firstSerial: 101)
        rows += [(1, 1, 1), (5, 3, 3), (2, 3, 5), (4, 2, 7)].map { (cat, grade, serial) in
            Fixture.roster(1, certificate: Fixture.certificate(serial: serial, category: cat, grade: grade), start: "2024-03-01")
        }
        let r = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 430, wages: 26_660_000)], rows, book: book).first)
        #expect(r.reward == Fen(12_000_00))
        let many = Fixture.rows(1, count: 40, grade: 3, firstSerial: 301).map { var x = $0; x.contractStart = CivilDate(iso: "2024-02-01"); return x }
        let r2 = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 430, wages: 26_660_000)], many, book: book).first)
        #expect(r2.reward == Fen(30_000_00))
    }

    @Test("⌊E⌋ when reward.whole_persons is true: ⌊3.12⌋ × 6 × 2,000 = 36,000.00")
    func wholePersonsReward() throws {
        let book = Fixture.henan(plus: [Fixture.row("reward.whole_persons", Fixture.yanshi, "2020-01-01", "true")])
        let r = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 430, wages: 26_660_000)],
                                                Fixture.rows(1, count: 10, grade: 3, firstSerial: 1), book: book).first)
        #expect(r.reward == Fen(36_000_00))
    }

    @Test("JSON has exactly the CONTRACT.md §5 keys, decimal strings and fen, and masks unless asked")
    func json() throws {
        let rows = [2, 3, 3].enumerated().map { Fixture.roster(1, certificate: Fixture.certificate(serial: 2 * $0.offset + 1, grade: $0.element)) }
        let rs = try Fixture.review([Fixture.employer(1), Fixture.employer(2)],
                                    [Fixture.employerYear(1, employees: 430, wages: 26_660_000)], rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let masked = try JSONSerialization.jsonObject(with: encoder.encode(rs)) as! [[String: Any]]
        let o = masked[0]
        #expect(Set(o.keys) == ["credit_code", "year", "status", "employees", "required", "counted", "shortfall", "excess", "ratio",
                                "exempt", "levy_fen", "reward_fen", "rows", "trace", "placeholder_figures"])
        #expect(o["required"] as? String == "6.88")
        #expect(o["ratio"] as? String == "0.009302")
        #expect(o["levy_fen"] as? Int == 16_070_400)
        let row = (o["rows"] as! [[String: Any]])[0]
        #expect(Set(row.keys) == ["certificate_no", "qualifies", "weight", "share", "reasons"])
        #expect((row["certificate_no"] as! String).contains("********"))
        let step = (o["trace"] as! [[String: Any]]).first { $0["code"] as? String == "R" }!
        let p = (step["parameters"] as! [[String: Any]])[0]
        #expect(p["key"] as? String == "quota.ratio" && p["valid_from"] as? String == "2010-01-01" && p["status"] as? String == "secondary")
        #expect(masked[1]["status"] as? String == "missing_employer_year")
        #expect(masked[1]["levy_fen"] is NSNull)
        encoder.userInfo[.unmaskedIdentifiers] = true
        let whole = try JSONSerialization.jsonObject(with: encoder.encode(rs)) as! [[String: Any]]
        let wholeRow = (whole[0]["rows"] as! [[String: Any]])[0]
        #expect(rows.contains { $0.certificateNo == wholeRow["certificate_no"] as? String })
    }
}
