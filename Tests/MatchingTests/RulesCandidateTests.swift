import Domain
import Testing
@testable import Matching

@Suite("Candidate generation and scores")
struct RulesCandidateTests {
    static let seeds: [UInt64] = Array(1...40)

    @Test(arguments: seeds)
    func whenComparedWithAllPairsEligibilityTheyAgree(seed: UInt64) {
        var r = RandomInstance(seed: seed)
        let snap = r.snapshot(seekers: r.int(0...150), openings: r.int(0...50))
        let ctx = MatchContext(MatchInput(snapshot: snap, policy: .contractDefaults))
        var brute: [CandidatePair] = []
        for s in snap.seekers {
            for o in snap.openings where Eligibility.check(seeker: s, opening: o, context: ctx).isEmpty {
                brute.append(CandidatePair(certificateKey: s.certificate.key, openingID: o.id))
            }
        }
        brute.sort()
        let fast = Candidates.generate(context: ctx).keyed
        #expect(fast == brute, "seed \(seed): \(fast.count) generated vs \(brute.count) by brute force")
        #expect(fast == fast.sorted(), "seed \(seed): not sorted")
    }

    @Test(arguments: seeds)
    func whenInputOrderChangesCandidatesAndScoresDoNot(seed: UInt64) {
        var r = RandomInstance(seed: seed)
        let snap = r.snapshot(seekers: 50, openings: 25)
        let shuffled = r.shuffled(snap)
        let a = MatchProblemData(context: MatchContext(MatchInput(snapshot: snap, policy: .contractDefaults)))
        let b = MatchProblemData(context: MatchContext(MatchInput(snapshot: shuffled, policy: .contractDefaults)))
        #expect(a == b, "seed \(seed)")
    }

    @Test(arguments: seeds)
    func whenScoredEveryPairIsWithinRangeAndPartsSumAndTheFastTotalAgrees(seed: UInt64) {
        var r = RandomInstance(seed: seed)
        let snap = r.snapshot(seekers: 50, openings: 25)
        var policy = MatchingPolicy.contractDefaults
        policy.minimumMonthlyWage = r.chance(0.8) ? Fen(yuan: 2000) : nil
        let ctx = MatchContext(MatchInput(snapshot: snap, policy: policy))
        let c = ctx.compiled
        for s in snap.seekers {
            for o in snap.openings {
                let sc = Scoring.score(seeker: s, opening: o, context: ctx)
                #expect((0...1000).contains(sc.total), "seed \(seed)")
                #expect(sc.parts.reduce(0) { $0 + $1.points } == sc.total, "seed \(seed)")
                #expect(sc.parts.allSatisfy { (0...$0.maximum).contains($0.points) }, "seed \(seed)")
                guard Eligibility.check(seeker: s, opening: o, context: ctx).isEmpty else { continue }
                let fast = Scoring.total(c, seeker: Int(c.seekerIndex[s.certificate.key]!), opening: Int(c.openingIndex[o.id]!))
                #expect(fast == sc.total, "seed \(seed): \(s.certificate.masked) \(o.id)")
            }
        }
    }

    @Test func workedExampleOfTheScoringHeader() {
        var s = Fx.seeker()
        s.skills = ["a", "c"]; s.intentions = ["office"]; s.education = .junior
        s.registeredOn = Fx.runDate.adding(days: -365)
        var o = Fx.opening(category: "office")
        o.preferredSkills = ["a", "b", "c"]; o.monthlyWage = Fen(yuan: 2400)
        var p = MatchingPolicy.contractDefaults
        p.minimumMonthlyWage = Fen(yuan: 2000)
        let sc = Scoring.score(seeker: s, opening: o, context: Fx.context(seekers: [s], openings: [o], policy: p))
        #expect(sc.parts.map(\.points) == [166, 250, 150, 50, 150, 36])
        #expect(sc.total == 802)
        #expect(sc.parts.map(\.code) == ["preferred_skills", "distance", "intention", "education", "wage", "registered"])
    }

    @Test(arguments: zip([Fen?.none, Fen(yuan: 1999), Fen(yuan: 2000), Fen(yuan: 2399), Fen(yuan: 2400)], [50, 0, 75, 75, 150]))
    func wagePoints(_ wage: Fen?, _ points: Int) {
        #expect(Scoring.wagePoints(wage: wage, minimum: Fen(yuan: 2000)) == points)
    }

    @Test func distanceAndRegistrationPoints() {
        let ctx = Fx.context()
        #expect(Scoring.distancePoints(ctx.proximity(seekerTown: RegionCode("T1"), openingTown: RegionCode("T1"))) == 250)
        #expect(Scoring.distancePoints(ctx.proximity(seekerTown: RegionCode("T2"), openingTown: RegionCode("T1"))) == 150)
        #expect(Scoring.distancePoints(ctx.proximity(seekerTown: RegionCode("T3"), openingTown: RegionCode("T1"))) == 50)
        #expect(Scoring.registeredPoints(registeredOn: Fx.runDate.adding(days: -9), date: Fx.runDate) == 0)
        #expect(Scoring.registeredPoints(registeredOn: Fx.runDate.adding(days: -10), date: Fx.runDate) == 1)
        #expect(Scoring.registeredPoints(registeredOn: Fx.runDate.adding(days: -5000), date: Fx.runDate) == 100)
        #expect(Scoring.registeredPoints(registeredOn: Fx.runDate.adding(days: 1), date: Fx.runDate) == 0)
    }
}
