import Domain
import Testing
@testable import Matching

@Suite("Tiers — zero-employment households and priority seekers")
struct RulesTierTests {
    struct HouseholdCase: Sendable, CustomTestStringConvertible {
        var name: String; var employedMembers: Int; var otherStatus: SeekerStatus = .seeking
        var otherPlacement: (String, String?)? = nil
        var zero: Bool
        var testDescription: String { name }
    }
    static let householdCases: [HouseholdCase] = [
        HouseholdCase(name: "nobody in work", employedMembers: 0, zero: true),
        HouseholdCase(name: "one member in work per the household row", employedMembers: 1, zero: false),
        HouseholdCase(name: "another seeker of the household is employed", employedMembers: 0, otherStatus: .employed, zero: false),
        HouseholdCase(name: "another seeker has a placement active on d", employedMembers: 0, otherPlacement: ("2025-06-01", nil), zero: false),
        HouseholdCase(name: "another seeker's placement ended", employedMembers: 0, otherPlacement: ("2025-06-01", "2026-01-31"), zero: true),
        HouseholdCase(name: "another seeker is inactive", employedMembers: 0, otherStatus: .inactive, zero: true),
    ]

    @Test(arguments: householdCases)
    func whenHouseholdMembersWorkOrNot(_ c: HouseholdCase) {
        let h = Household(id: HouseholdID("H1"), town: RegionCode("T1"), employedMembers: c.employedMembers, flags: [])
        let me = Fx.seeker(Fx.cert(born: "1990-01-01", serial: 1), household: "H1")
        var other = Fx.seeker(Fx.cert(born: "1992-01-01", serial: 2), household: "H1")
        other.status = c.otherStatus
        let placements = c.otherPlacement.map {
            [Placement(certificateKey: other.certificate.key, opening: OpeningID("P"), startDate: Fx.day($0.0), endDate: $0.1.map(Fx.day))]
        } ?? []
        let ctx = Fx.context(seekers: [me, other], openings: [Fx.opening()], households: [h], placements: placements)
        #expect(ctx.isZeroEmployment(h.id) == c.zero)
        #expect(ctx.tiers(of: me).contains(.household) == c.zero)
        let problem = MatchProblemData(context: ctx)
        let row = problem.seekers.firstIndex { $0.certificateKey == me.certificate.key }!
        #expect((problem.zeroEmploymentHousehold[row] >= 0) == c.zero)
        #expect(problem.householdCount == (c.zero ? 1 : 0))
    }

    struct PriorityCase: Sendable, CustomTestStringConvertible {
        var name: String
        var seekerFlags: Set<SupportFlag> = []; var householdFlags: Set<SupportFlag> = []
        var education: Education? = nil; var graduated: Int? = nil
        var expected: [PriorityReason]
        var testDescription: String { name }
    }
    static let priorityCases: [PriorityCase] = [
        PriorityCase(name: "nothing", expected: []),
        PriorityCase(name: "dibao on the seeker", seekerFlags: [.dibao], expected: [.seekerFlag(.dibao)]),
        PriorityCase(name: "monitored on the household", householdFlags: [.monitored], expected: [.householdFlag(.monitored)]),
        PriorityCase(name: "poverty alleviated on the household", householdFlags: [.povertyAlleviated],
                     expected: [.householdFlag(.povertyAlleviated)]),
        PriorityCase(name: "college graduate of the run's year", education: .college, graduated: 2026,
                     expected: [.recentGraduate(.college, year: 2026)]),
        PriorityCase(name: "bachelor two years before", education: .bachelor, graduated: 2024,
                     expected: [.recentGraduate(.bachelor, year: 2024)]),
        PriorityCase(name: "postgraduate three years before is outside", education: .postgraduate, graduated: 2023, expected: []),
        PriorityCase(name: "graduation year after the run", education: .college, graduated: 2027, expected: []),
        PriorityCase(name: "vocational graduate is not higher education", education: .vocational, graduated: 2026, expected: []),
        PriorityCase(name: "senior without a year", education: .senior, expected: []),
    ]

    @Test(arguments: priorityCases)
    func whenFlagsOrGraduation(_ c: PriorityCase) {
        let h = Household(id: HouseholdID("H1"), town: RegionCode("T1"), employedMembers: 1, flags: c.householdFlags)
        var s = Fx.seeker(household: "H1")
        s.flags = c.seekerFlags; s.education = c.education; s.graduationYear = c.graduated
        let ctx = Fx.context(seekers: [s], openings: [Fx.opening()], households: [h])
        #expect(ctx.priorityReasons(of: s) == c.expected)
        #expect(MatchProblemData(context: ctx).priority == [!c.expected.isEmpty])
    }

    @Test func whenTheSeekerFailsE1ItIsNotInTheProblem() {
        var gone = Fx.seeker(Fx.cert(born: "1990-01-01", serial: 1)); gone.status = .inactive
        let here = Fx.seeker(Fx.cert(born: "1990-01-01", serial: 2))
        let p = MatchProblemData(context: Fx.context(seekers: [gone, here], openings: [Fx.opening()]))
        #expect(p.seekers.map(\.certificateKey) == [here.certificate.key])
        #expect(p.seekerStart == [0, 1])
        #expect(p.openings == [OpeningRef(id: OpeningID("O1"), slotsLeft: 1)])
    }
}
