import Domain
import Testing
@testable import Quota

/// POLICY.md §4 with the Henan pack.
struct SubsidyTests {
    static let employerCode = Fixture.creditCode(7)

    func welfarePost(_ id: String = "W1") -> Opening {
        Opening(id: OpeningID(id), kind: .publicWelfare, employer: Self.employerCode, category: "cleaner_rural", town: Fixture.town, slots: 1)
    }
    func quotaPost(wage: Int64) -> Opening {
        Opening(id: OpeningID("Q1"), kind: .quota, employer: Self.employerCode, category: "assembly", town: Fixture.town, slots: 1,
                monthlyWage: Fen(yuan: wage))
    }
    func person(_ born: String, serial: Int = 11) -> CertificateNumber {
        try! CertificateNumber(Fixture.certificate(born: born, serial: serial, grade: 3))
    }
    func due(_ year: Int, _ cases: [SubsidyCase], book: PolicyBook = Fixture.henan) throws -> SubsidyStatement {
        try SubsidyCalculator.due(year: year, placements: cases, book: book, jurisdiction: Fixture.yanshi)
    }

    @Test("a welfare post from 2024-03-10: 10 months × 2,000 wage subsidy and 10 × 927.73 insurance to the post provider")
    func welfarePostYear() throws {
        // insurance: 75,120 (2023) × 0.6 ÷ 12 = 3,756 × (0.16 + 0.08 + 0.007) = 927.732 → 927.73 a month
        let c = SubsidyCase(placement: Placement(certificateKey: "", opening: OpeningID("W1"), startDate: CivilDate(iso: "2024-03-10")!),
                            opening: welfarePost(), person: person("1985-06-15"))
        let s = try due(2024, [c])
        let wage = s.lines.filter { $0.programme == "welfare_post_wage" }
        let insurance = s.lines.filter { $0.programme == "welfare_post_insurance" }
        #expect(wage.map(\.month) == Array(3...12))
        #expect(wage.allSatisfy { $0.amount == Fen(2000_00) && !$0.restsOnPlaceholder })
        #expect(insurance.allSatisfy { $0.amount == Fen(927_73) && $0.restsOnPlaceholder })
        #expect(s.totals == [SubsidyTotal(beneficiaryKind: .postProvider, beneficiary: Self.employerCode.value,
                                          amount: Fen(10 * 2000_00 + 10 * 927_73), lines: 20, restsOnPlaceholder: true)])
        #expect(!s.lines.contains { $0.programme == "employer_job_subsidy" })
    }

    @Test("the 36-month limit counts from the start month: a 2022-03 start has 2 months left in 2025")
    func thirtySixMonths() throws {
        let c = SubsidyCase(placement: Placement(certificateKey: "", opening: OpeningID("W1"), startDate: CivilDate(iso: "2022-03-01")!),
                            opening: welfarePost(), person: person("1985-06-15"))
        let s = try due(2025, [c])
        #expect(s.lines.filter { $0.programme == "welfare_post_wage" }.map(\.monthIndex) == [35, 36])
    }

    @Test("within 5 years of retirement at the start, the subsidy runs to retirement (man born 1966-05-15 → 2026-10-15)")
    func toRetirement() throws {
        let book = Fixture.henan(plus: [Fixture.row("social_average_wage", "CN-41", "2025-01-01", "78000", to: "2025-12-31")])
        let near = SubsidyCase(placement: Placement(certificateKey: "", opening: OpeningID("W1"), startDate: CivilDate(iso: "2023-01-01")!),
                               opening: welfarePost(), person: person("1966-05-15"))
        let s = try due(2026, [near], book: book)
        let months = s.lines.filter { $0.programme == "welfare_post_wage" }.map(\.month)
        #expect(months == Array(1...10)) // month indexes 37–46, beyond 36, until October (retires on the 15th)
        #expect(s.lines.first { $0.programme == "welfare_post_wage" }!.parameters.contains { $0.key == "retirement.reform.schedule" })
        // Not within 5 years: born 1970, retiring in 2030 or later → 36 months end 2025-12.
        let far = SubsidyCase(placement: near.placement, opening: welfarePost(), person: person("1970-01-01"))
        #expect(try due(2026, [far], book: book).lines.isEmpty)
    }

    @Test("employer job subsidy: 500 a month when the wage is at least 1.2 × 2,000 and the contract at least 12 months",
          arguments: zip([2400, 2399, 2400], [12, 12, 11]))
    func employerJobSubsidy(_ wage: Int64, _ contractMonths: Int) throws {
        let c = SubsidyCase(placement: Placement(certificateKey: "", opening: OpeningID("Q1"), startDate: CivilDate(iso: "2024-07-01")!,
                                                 contractMonths: contractMonths),
                            opening: quotaPost(wage: wage), person: person("1990-01-01"))
        let s = try due(2024, [c])
        let due = wage >= 2400 && contractMonths >= 12
        #expect(s.lines.count == (due ? 6 : 0))
        #expect(s.totals.first?.amount == (due ? Fen(3000_00) : nil))
        #expect(s.lines.allSatisfy { $0.beneficiaryKind == .employer && $0.amount == Fen(500_00) })
    }

    @Test("an employer's subsidy on an opening without an employer is not paid: the placement is listed for staff")
    func noEmployerNoPayment() throws {
        let general = Opening(id: OpeningID("G1"), kind: .general, employer: nil, category: "retail", town: Fixture.town, slots: 1,
                              monthlyWage: Fen(yuan: 3000))
        let c = SubsidyCase(placement: Placement(certificateKey: "", opening: OpeningID("G1"), startDate: CivilDate(iso: "2024-07-01")!,
                                                 contractMonths: 24),
                            opening: general, person: person("1990-01-01"))
        let s = try due(2024, [c])
        #expect(s.lines.isEmpty && s.totals.isEmpty)
        #expect(s.needsAttention.map(\.programme) == ["employer_job_subsidy"])
        #expect(s.needsAttention.first?.months == Array(7...12))
        #expect(s.needsAttention.first?.reason == .noEmployer)
        // The same opening with an employer is paid.
        var withEmployer = general
        withEmployer.employer = Self.employerCode
        let paid = try due(2024, [SubsidyCase(placement: c.placement, opening: withEmployer, person: c.person)])
        #expect(paid.lines.count == 6 && paid.needsAttention.isEmpty)
    }

    @Test("a welfare post without an employer pays its town (镇街), the post's provider, never a made-up beneficiary")
    func welfarePostOfTheTown() throws {
        var post = welfarePost()
        post.employer = nil
        let c = SubsidyCase(placement: Placement(certificateKey: "", opening: OpeningID("W1"), startDate: CivilDate(iso: "2024-03-10")!),
                            opening: post, person: person("1985-06-15"))
        let s = try due(2024, [c])
        #expect(!s.lines.isEmpty)
        #expect(s.lines.allSatisfy { $0.beneficiaryKind == .postProvider && $0.beneficiary == Fixture.town.value })
    }

    @Test("totals per beneficiary sum the lines and do not depend on input order")
    func totalsOrder() throws {
        let cases = (0..<6).map { i in
            SubsidyCase(placement: Placement(certificateKey: "", opening: OpeningID("W\(i % 2)"), startDate: CivilDate(year: 2023, month: 1 + i, day: 5)!),
                        opening: welfarePost("W\(i % 2)"), person: person("198\(i)-02-0\(i + 1)", serial: 11 + 2 * i))
        }
        let a = try due(2024, cases), b = try due(2024, cases.reversed())
        #expect(a == b)
        #expect(a.totals.reduce(Fen.zero) { $0 + $1.amount } == a.lines.reduce(Fen.zero) { $0 + $1.amount })
    }
}
