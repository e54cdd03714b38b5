import Domain
import Testing
@testable import Matching

// One passing and one failing example per rule (CONTRACT.md §3), table-driven.

@Suite("E1 — seeking, not placed")
struct RulesE1Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String; var status: SeekerStatus; var placement: (start: String, end: String?)?
        var expected: [ExclusionReason]
        var testDescription: String { name }
    }
    static let cases: [Case] = [
        Case(name: "seeking, no placement", status: .seeking, placement: nil, expected: []),
        Case(name: "employed", status: .employed, placement: nil, expected: [.notSeeking(status: .employed)]),
        Case(name: "inactive", status: .inactive, placement: nil, expected: [.notSeeking(status: .inactive)]),
        Case(name: "open-ended placement active", status: .seeking, placement: ("2025-01-01", nil),
             expected: [.alreadyPlaced(opening: OpeningID("P1"))]),
        Case(name: "placement ending on d is active", status: .seeking, placement: ("2025-01-01", "2026-03-01"),
             expected: [.alreadyPlaced(opening: OpeningID("P1"))]),
        Case(name: "placement ended the day before", status: .seeking, placement: ("2025-01-01", "2026-02-28"), expected: []),
        Case(name: "placement starting tomorrow", status: .seeking, placement: ("2026-03-02", nil), expected: []),
    ]

    @Test(arguments: cases)
    func whenStatusAndPlacement(_ c: Case) {
        var s = Fx.seeker()
        s.status = c.status
        let placements = c.placement.map {
            [Placement(certificateKey: s.certificate.key, opening: OpeningID("P1"), startDate: Fx.day($0.start),
                       endDate: $0.end.map(Fx.day))]
        } ?? []
        let ctx = Fx.context(seekers: [s], placements: placements)
        #expect(Eligibility.e1(seeker: s, context: ctx) == c.expected)
        #expect(Eligibility.check(seeker: s, opening: Fx.opening(), context: ctx) == c.expected)
        // The same rule from its two facts, as `explain` judges a seeker absent from a run.
        #expect(Eligibility.e1(status: s.status, activePlacement: ctx.activePlacement(of: s.certificate.key)) == c.expected)
    }
}

@Suite("E2 — completed age within bounds")
struct RulesE2Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String; var born: String; var sex: Sex; var on: String
        var minAge: Int? = nil; var maxAge: Int? = nil
        var expected: [ExclusionReason]
        var testDescription: String { name }
    }
    static let cases: [Case] = [
        Case(name: "exactly 16 on the birthday", born: "2010-03-01", sex: .male, on: "2026-03-01", expected: []),
        Case(name: "15 the day before", born: "2010-03-01", sex: .male, on: "2026-02-28", expected: [.tooYoung(age: 15, min: 16)]),
        Case(name: "man 59 the day before turning 60", born: "1966-03-01", sex: .male, on: "2026-02-28", expected: []),
        Case(name: "man 60 on the birthday", born: "1966-03-01", sex: .male, on: "2026-03-01", expected: [.tooOld(age: 60, max: 59)]),
        Case(name: "woman 54 the day before turning 55", born: "1971-03-01", sex: .female, on: "2026-02-28", expected: []),
        Case(name: "woman 55 on the birthday", born: "1971-03-01", sex: .female, on: "2026-03-01", expected: [.tooOld(age: 55, max: 54)]),
        Case(name: "man 55 is fine", born: "1971-03-01", sex: .male, on: "2026-03-01", expected: []),
        // 29 February: a year completes on 1 March in common years.
        Case(name: "29 Feb, common year, 28 Feb: not yet 57", born: "1968-02-29", sex: .male, on: "2025-02-28",
             maxAge: 56, expected: []),
        Case(name: "29 Feb, common year, 1 Mar: 57", born: "1968-02-29", sex: .male, on: "2025-03-01",
             maxAge: 56, expected: [.tooOld(age: 57, max: 56)]),
        Case(name: "29 Feb, common year, min_age 19 not reached on 28 Feb", born: "2004-02-29", sex: .female, on: "2023-02-28",
             minAge: 19, expected: [.tooYoung(age: 18, min: 19)]),
        Case(name: "29 Feb, common year, min_age 19 reached on 1 Mar", born: "2004-02-29", sex: .female, on: "2023-03-01",
             minAge: 19, expected: []),
        Case(name: "29 Feb, leap year, 16 on 29 Feb", born: "2008-02-29", sex: .male, on: "2024-02-29", expected: []),
        Case(name: "29 Feb, leap year, 15 on 28 Feb", born: "2008-02-29", sex: .male, on: "2024-02-28",
             expected: [.tooYoung(age: 15, min: 16)]),
        Case(name: "opening max_age 45 refuses 46", born: "1980-01-01", sex: .male, on: "2026-03-01", maxAge: 45,
             expected: [.tooOld(age: 46, max: 45)]),
        Case(name: "opening max_age 46 takes 46", born: "1980-01-01", sex: .male, on: "2026-03-01", maxAge: 46, expected: []),
        Case(name: "opening max_age above working age does not widen it", born: "1971-03-01", sex: .female, on: "2026-03-01",
             maxAge: 65, expected: [.tooOld(age: 55, max: 54)]),
        Case(name: "opening min_age below 16 does not lower it", born: "2011-01-01", sex: .male, on: "2026-03-01",
             minAge: 14, expected: [.tooYoung(age: 15, min: 16)]),
        Case(name: "opening min_age 25 refuses 24", born: "2001-03-02", sex: .male, on: "2026-03-01", minAge: 25,
             expected: [.tooYoung(age: 24, min: 25)]),
    ]

    @Test(arguments: cases)
    func whenAgeOnRunDate(_ c: Case) {
        let s = Fx.seeker(Fx.cert(born: c.born, sex: c.sex))
        var o = Fx.opening()
        o.minAge = c.minAge; o.maxAge = c.maxAge
        let ctx = Fx.context(date: Fx.day(c.on), seekers: [s], openings: [o])
        #expect(Eligibility.e2(seeker: s, opening: o, context: ctx) == c.expected)
    }

    @Test func whenThePolicyBookChangesWorkingAgeTheBoundMoves() {
        var p = MatchingPolicy.contractDefaults
        p.workingAgeMaxMale = 64
        let s = Fx.seeker(Fx.cert(born: "1966-03-01"))
        let ctx = Fx.context(seekers: [s], policy: p)
        #expect(Eligibility.e2(seeker: s, opening: Fx.opening(), context: ctx) == [])
    }
}

@Suite("E3 — reach")
struct RulesE3Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var reach: Reach; var openingTown: String; var seekerTown: String; var eligible: Bool
        var testDescription: String { "\(reach) opening in \(openingTown), seeker in \(seekerTown)" }
    }
    static let cases: [Case] = [
        Case(reach: .town, openingTown: "T1", seekerTown: "T1", eligible: true),
        Case(reach: .town, openingTown: "T1", seekerTown: "T2", eligible: false),
        Case(reach: .neighbours, openingTown: "T1", seekerTown: "T1", eligible: true),
        Case(reach: .neighbours, openingTown: "T1", seekerTown: "T2", eligible: true),   // listed on T1
        Case(reach: .neighbours, openingTown: "T2", seekerTown: "T1", eligible: true),   // symmetric
        Case(reach: .neighbours, openingTown: "T1", seekerTown: "T5", eligible: true),   // listed on T5, other district
        Case(reach: .neighbours, openingTown: "T5", seekerTown: "T1", eligible: true),
        Case(reach: .neighbours, openingTown: "T1", seekerTown: "T3", eligible: false),
        Case(reach: .neighbours, openingTown: "T2", seekerTown: "T5", eligible: false),  // not transitive
        Case(reach: .district, openingTown: "T1", seekerTown: "T3", eligible: true),
        Case(reach: .district, openingTown: "T1", seekerTown: "T2", eligible: true),
        Case(reach: .district, openingTown: "T1", seekerTown: "T1", eligible: true),
        Case(reach: .district, openingTown: "T1", seekerTown: "T5", eligible: false),    // neighbour, other district
        Case(reach: .district, openingTown: "T5", seekerTown: "T6", eligible: true),
        Case(reach: .district, openingTown: "T1", seekerTown: "T9", eligible: false),    // unknown town, no parent
        Case(reach: .district, openingTown: "T9", seekerTown: "T9", eligible: true),
    ]

    @Test(arguments: cases)
    func whenReachAndTowns(_ c: Case) {
        let s = Fx.seeker(town: c.seekerTown)
        let o = Fx.opening(town: c.openingTown, reach: c.reach)
        let ctx = Fx.context(seekers: [s], openings: [o])
        #expect(Eligibility.e3(seeker: s, opening: o, context: ctx) == (c.eligible ? [] : [.outOfReach(reach: c.reach)]))
    }

    @Test func whenReachIsNotGivenPublicWelfareDefaultsToTown() {
        let o = Opening(id: OpeningID("W"), kind: .publicWelfare, category: "cleaner_rural", town: RegionCode("T1"), slots: 1)
        let s = Fx.seeker(town: "T3")
        #expect(Eligibility.e3(seeker: s, opening: o, context: Fx.context()) == [.outOfReach(reach: .town)])
    }
}

@Suite("E4 — demands against category and grade")
struct RulesE4Tests {
    /// CONTRACT.md §3 E4, written out independently of the policy encoding.
    static let failing: [Demand: [DisabilityCategory: ClosedRange<Int>]] = [
        .vision: [.vision: 1...3, .multiple: 1...4],
        .hearing: [.hearing: 1...2, .multiple: 1...4],
        .speech: [.speech: 1...2, .hearing: 1...1, .multiple: 1...4],
        .walking: [.physical: 1...2, .multiple: 1...4],
        .lifting: [.physical: 1...3, .multiple: 1...4],
        .fineMotor: [.physical: 1...2, .vision: 1...2, .multiple: 1...4],
        .cognition: [.intellectual: 1...3, .mental: 1...2, .multiple: 1...4],
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var demand: Demand; var category: DisabilityCategory; var grade: Int
        var fails: Bool { RulesE4Tests.failing[demand]?[category]?.contains(grade) ?? false }
        var testDescription: String { "\(demand.code) × \(category.code) \(grade)" }
    }
    static let cases: [Case] = Demand.allCases.flatMap { d in
        DisabilityCategory.allCases.flatMap { c in (1...4).map { Case(demand: d, category: c, grade: $0) } }
    }

    @Test(arguments: cases)
    func whenOneDemandMeetsCategoryAndGrade(_ c: Case) {
        let s = Fx.seeker(Fx.cert(born: "1990-01-01", category: c.category, grade: c.grade))
        var o = Fx.opening()
        o.demands = [c.demand]
        let ctx = Fx.context(seekers: [s], openings: [o])
        #expect(Eligibility.e4(seeker: s, opening: o, context: ctx) == (c.fails ? [.demandFailed(c.demand)] : []))
    }

    @Test func whenSeveralDemandsFailEachIsNamedInTableOrder() {
        let s = Fx.seeker(Fx.cert(born: "1990-01-01", category: .multiple, grade: 4))
        var o = Fx.opening()
        o.demands = [.walking, .vision]
        #expect(Eligibility.e4(seeker: s, opening: o, context: Fx.context()) == [.demandFailed(.vision), .demandFailed(.walking)])
    }

    @Test func whenTheTableIsEditedTheRuleFollows() throws {
        var p = MatchingPolicy.contractDefaults
        p.demandTable.failing[.walking] = try DemandTable.parseRow("physical:1-4", key: "demand.walking")
        let s = Fx.seeker(Fx.cert(born: "1990-01-01", category: .physical, grade: 4))
        var o = Fx.opening(); o.demands = [.walking]
        #expect(Eligibility.e4(seeker: s, opening: o, context: Fx.context(policy: p)) == [.demandFailed(.walking)])
    }
}

@Suite("E5 — work capacity")
struct RulesE5Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: OpeningKind; var capacity: WorkCapacity; var hours: Int
        var expected: [ExclusionReason] {
            switch (kind == .assisted, capacity) {
            case (true, .full): [.openingNeedsAssistedCapacity(capacity: .full)]
            case (true, _): []
            case (false, .assisted): [.capacityNeedsAssistedOpening(kind: kind)]
            case (false, .partial): hours > 30 ? [.tooManyHours(hours: hours, max: 30)] : []
            case (false, .full): []
            }
        }
        var testDescription: String { "\(kind.code) opening, \(capacity.code) capacity, \(hours) h" }
    }
    static let cases: [Case] = OpeningKind.allCases.flatMap { k in
        WorkCapacity.allCases.flatMap { c in [30, 31, 40].map { Case(kind: k, capacity: c, hours: $0) } }
    }

    @Test(arguments: cases)
    func whenCapacityMeetsKindAndHours(_ c: Case) {
        var s = Fx.seeker(); s.capacity = c.capacity
        var o = Fx.opening(kind: c.kind); o.hoursPerWeek = c.hours
        #expect(Eligibility.e5(seeker: s, opening: o, context: Fx.context()) == c.expected)
    }

    @Test func spotChecks() {
        var partial = Fx.seeker(); partial.capacity = .partial
        var o30 = Fx.opening(); o30.hoursPerWeek = 30
        var o31 = Fx.opening(); o31.hoursPerWeek = 31
        #expect(Eligibility.e5(seeker: partial, opening: o30, context: Fx.context()).isEmpty)
        #expect(Eligibility.e5(seeker: partial, opening: o31, context: Fx.context()) == [.tooManyHours(hours: 31, max: 30)])
        var assistedOpening40 = Fx.opening(kind: .assisted); assistedOpening40.hoursPerWeek = 40
        #expect(Eligibility.e5(seeker: partial, opening: assistedOpening40, context: Fx.context()).isEmpty)
    }
}

@Suite("E6 — required certificates and skills")
struct RulesE6Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var listedSkills: [String] = []; var certificates: [String] = []
        var training: (skill: String, end: String?, completed: Bool)? = nil
        var requiredSkills: [String] = []; var requiredCertificates: [String] = []
        var expected: [ExclusionReason]
        var testDescription: String { name }
    }
    static let cases: [Case] = [
        Case(name: "nothing required", expected: []),
        Case(name: "listed skill", listedSkills: ["typing"], requiredSkills: ["typing"], expected: []),
        Case(name: "missing skill", listedSkills: ["sewing"], requiredSkills: ["typing", "excel"],
             expected: [.missingSkills(["excel", "typing"])]),
        Case(name: "completed training ended on d adds the skill", training: ("typing", "2026-03-01", true),
             requiredSkills: ["typing"], expected: []),
        Case(name: "completed training without end date adds the skill", training: ("typing", nil, true),
             requiredSkills: ["typing"], expected: []),
        Case(name: "training ending after d does not count", training: ("typing", "2026-03-02", true),
             requiredSkills: ["typing"], expected: [.missingSkills(["typing"])]),
        Case(name: "incomplete training does not count", training: ("typing", "2026-01-01", false),
             requiredSkills: ["typing"], expected: [.missingSkills(["typing"])]),
        Case(name: "certificate held", certificates: ["massage"], requiredCertificates: ["massage"], expected: []),
        Case(name: "certificate missing", certificates: ["driving"], requiredCertificates: ["massage"],
             expected: [.missingCertificates(["massage"])]),
        Case(name: "both missing", requiredSkills: ["typing"], requiredCertificates: ["massage"],
             expected: [.missingCertificates(["massage"]), .missingSkills(["typing"])]),
    ]

    @Test(arguments: cases)
    func whenRequirementsAndSkills(_ c: Case) {
        var s = Fx.seeker()
        s.skills = c.listedSkills; s.certificates = c.certificates
        var o = Fx.opening()
        o.requiredSkills = c.requiredSkills; o.requiredCertificates = c.requiredCertificates
        let trainings = c.training.map {
            [Training(certificateKey: s.certificate.key, course: "课程", skill: $0.skill, startDate: Fx.day("2025-09-01"),
                      endDate: $0.end.map(Fx.day), completed: $0.completed)]
        } ?? []
        let ctx = Fx.context(seekers: [s], openings: [o], trainings: trainings)
        #expect(Eligibility.e6(seeker: s, opening: o, context: ctx) == c.expected)
    }
}

@Suite("E7 — intentions")
struct RulesE7Tests {
    @Test(arguments: zip([[], ["office", "other"], ["office"]] as [[String]],
                         [[], [], [ExclusionReason.notInIntentions(category: "other")]] as [[ExclusionReason]]))
    func whenIntentions(_ intentions: [String], _ expected: [ExclusionReason]) {
        var s = Fx.seeker(); s.intentions = intentions
        #expect(Eligibility.e7(seeker: s, opening: Fx.opening(category: "other")) == expected)
    }
}

@Suite("E8 — open and slots left")
struct RulesE8Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String; var from: String? = nil; var until: String? = nil; var slots = 1
        var placements: [(String, String?)] = []
        var expected: [ExclusionReason]
        var testDescription: String { name }
    }
    static let cases: [Case] = [
        Case(name: "always open", expected: []),
        Case(name: "opens on d", from: "2026-03-01", expected: []),
        Case(name: "opens tomorrow", from: "2026-03-02", expected: [.notOpenYet(from: Fx.day("2026-03-02"))]),
        Case(name: "closes on d", until: "2026-03-01", expected: []),
        Case(name: "closed yesterday", until: "2026-02-28", expected: [.closed(until: Fx.day("2026-02-28"))]),
        Case(name: "two slots, one active placement", slots: 2, placements: [("2025-01-01", nil)], expected: []),
        Case(name: "two slots, two active placements", slots: 2, placements: [("2025-01-01", nil), ("2026-03-01", "2026-12-31")],
             expected: [.noSlotsLeft(slots: 2)]),
        Case(name: "ended placement frees its slot", slots: 1, placements: [("2025-01-01", "2026-02-28")], expected: []),
        Case(name: "placement starting tomorrow does not use a slot yet", slots: 1, placements: [("2026-03-02", nil)], expected: []),
    ]

    @Test(arguments: cases)
    func whenDatesAndPlacements(_ c: Case) {
        var o = Fx.opening(slots: c.slots)
        o.openFrom = c.from.map(Fx.day); o.openUntil = c.until.map(Fx.day)
        let placements = c.placements.enumerated().map { i, p in
            Placement(certificateKey: Fx.cert(born: "1980-01-01", serial: 100 + i).key, opening: o.id,
                      startDate: Fx.day(p.0), endDate: p.1.map(Fx.day))
        }
        let ctx = Fx.context(openings: [o], placements: placements)
        #expect(Eligibility.e8(opening: o, context: ctx) == c.expected)
    }
}

@Suite("Exclusion reasons")
struct RulesExclusionReasonTests {
    @Test func codesAndChineseAreStable() {
        let r = ExclusionReason.tooOld(age: 60, max: 59)
        #expect(r.code == "e2_age")
        #expect(r.detailCode == "too_old")
        #expect(r.chinese == "年龄60岁，超过上限59岁")
        #expect(ExclusionReason.demandFailed(.walking).code == "e4_demand")
        #expect(ExclusionReason.demandFailed(.walking).chinese.contains("行走"))
        #expect(EligibilityRule.allCases.map(\.code) == ["e1_status", "e2_age", "e3_reach", "e4_demand", "e5_capacity",
                                                          "e6_requirements", "e7_intention", "e8_opening"])
    }

    @Test func whenEveryRuleFailsCheckListsThemInRuleOrder() {
        var s = Fx.seeker(Fx.cert(born: "1950-01-01", category: .multiple, grade: 1), town: "T5")
        s.status = .inactive; s.capacity = .assisted; s.intentions = ["office"]
        var o = Fx.opening(town: "T1", reach: .town)
        o.demands = [.vision]; o.requiredSkills = ["x"]; o.openUntil = Fx.day("2020-01-01")
        let rules = Eligibility.check(seeker: s, opening: o, context: Fx.context()).map(\.rule)
        #expect(rules == [.e1, .e2, .e3, .e4, .e5, .e6, .e7, .e8])
    }
}
