import Domain
import Testing
@testable import Quota

/// POLICY.md §3 worked examples (Henan, data year 2024, social average wage
/// 76,620, cap 153,240; enterprise N = 430, total wages 26,660,000, W = 62,000).
struct WorkedExampleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let type: EmployerType
        let employees: Int
        let wages: Int64
        /// Grades of 12-month rows.
        let grades: [Int]
        let counted: String, required: String, shortfall: String, excess: String, ratioPercent: String
        let levyFen: Int64, rewardFen: Int64, exempt: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 2 + 1 + 1 = 4; ρ = 0.930 % < 1 % → × 0.9: 2.88 × 62,000 × 0.9 = 160,704.00
        Case(name: "one grade-2 and two grade-3 rows", type: .enterprise, employees: 430, wages: 26_660_000, grades: [2, 3, 3],
             counted: "4", required: "6.88", shortfall: "2.88", excess: "0", ratioPercent: "0.930%",
             levyFen: 160_704_00, rewardFen: 0, exempt: false),
        // 2 + 4 = 6; 1 % ≤ ρ = 1.395 % < 1.6 % → × 0.5: 0.88 × 62,000 × 0.5 = 27,280.00
        Case(name: "five rows, one grade 1", type: .enterprise, employees: 430, wages: 26_660_000, grades: [1, 3, 3, 4, 4],
             counted: "6", required: "6.88", shortfall: "0.88", excess: "0", ratioPercent: "1.395%",
             levyFen: 27_280_00, rewardFen: 0, exempt: false),
        // W = 200,000 capped at 2 × 76,620 = 153,240: 2.88 × 153,240 × 0.9 = 397,198.08
        Case(name: "as the first, wages 86,000,000 (W capped)", type: .enterprise, employees: 430, wages: 86_000_000, grades: [2, 3, 3],
             counted: "4", required: "6.88", shortfall: "2.88", excess: "0", ratioPercent: "0.930%",
             levyFen: 397_198_08, rewardFen: 0, exempt: false),
        // E = 3.12: reward 3.12 × 6 × 2,000 = 37,440.00
        Case(name: "ten counted", type: .enterprise, employees: 430, wages: 26_660_000, grades: Array(repeating: 3, count: 10),
             counted: "10", required: "6.88", shortfall: "0", excess: "3.12", ratioPercent: "2.326%",
             levyFen: 0, rewardFen: 37_440_00, exempt: false),
        // enterprise N = 30 ≤ 30 (levy year 2025 within 2020–2027): exempt, 0.00
        Case(name: "enterprise N = 30, D = 0", type: .enterprise, employees: 30, wages: 1_500_000, grades: [],
             counted: "0", required: "0.48", shortfall: "0.48", excess: "0", ratioPercent: "0.000%",
             levyFen: 0, rewardFen: 0, exempt: true),
        // 事业单位 is never exempt: 0.48 × 50,000 × 0.9 = 21,600.00
        Case(name: "事业单位 N = 30, D = 0, W 50,000", type: .institution, employees: 30, wages: 1_500_000, grades: [],
             counted: "0", required: "0.48", shortfall: "0.48", excess: "0", ratioPercent: "0.000%",
             levyFen: 21_600_00, rewardFen: 0, exempt: false),
    ]

    @Test("POLICY.md §3 worked example to the fen", arguments: cases)
    func workedExample(_ c: Case) throws {
        var serial = 1
        let rows = c.grades.map { g -> RosterRow in
            serial += 2
            return Fixture.roster(1, certificate: Fixture.certificate(serial: serial, grade: g))
        }
        let reviews = try Fixture.review([Fixture.employer(1, type: c.type)],
                                         [Fixture.employerYear(1, employees: c.employees, wages: c.wages)], rows)
        let r = try #require(reviews.first)
        #expect(r.status == .reviewed)
        #expect(r.counted?.decimalString() == c.counted)
        #expect(r.required?.decimalString() == c.required)
        #expect(r.shortfall?.decimalString() == c.shortfall)
        #expect(r.excess?.decimalString() == c.excess)
        #expect(r.ratio?.percent() == c.ratioPercent)
        #expect(r.exempt == c.exempt)
        #expect(r.levy == Fen(c.levyFen))
        #expect(r.reward == Fen(c.rewardFen))
        #expect(r.rows.allSatisfy { $0.qualifies })
    }

    @Test("the reward rests on the Henan placeholder formula and says so; the levy does not")
    func placeholderMarks() throws {
        let rows = Fixture.rows(1, count: 10, grade: 3, firstSerial: 1)
        let r = try #require(try Fixture.review([Fixture.employer(1)], [Fixture.employerYear(1, employees: 430, wages: 26_660_000)], rows).first)
        #expect(r.restsOnPlaceholder(.reward))
        #expect(!r.restsOnPlaceholder(.levy))
        #expect(!r.restsOnPlaceholder(.counted))
        let step = try #require(r.trace.first { $0.code == "reward" })
        #expect(step.restsOnPlaceholder)
        #expect(step.parameters.contains { $0.key == "reward.months" && $0.status == .placeholder })
        #expect(step.parameters.contains { $0.key == "minimum_wage.monthly.tier1" && $0.value == "2000" && $0.status == .verified })
    }
}
