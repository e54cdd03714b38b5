import Domain
import Testing
@testable import Matching

@Suite("Plan and explanations")
struct RulesPlanTests {
    /// Seeker A in a zero-employment household, far away (T3); seeker B in the
    /// opening's town with a better score; seeker C refused by E1.
    static func world() -> (MatchContext, a: Seeker, b: Seeker, c: Seeker) {
        let ze = Household(id: HouseholdID("H1"), town: RegionCode("T3"), employedMembers: 0, flags: [])
        let a = Fx.seeker(Fx.cert(born: "1985-05-05", serial: 1), town: "T3", household: "H1", name: "张三丰")
        let b = Fx.seeker(Fx.cert(born: "1985-05-05", serial: 2), town: "T1", name: "李四")
        var c = Fx.seeker(Fx.cert(born: "1985-05-05", serial: 3), town: "T1", name: "王五"); c.status = .inactive
        let ctx = Fx.context(seekers: [b, c, a], openings: [Fx.opening("O1")], households: [ze])
        return (ctx, a, b, c)
    }

    @Test func whenAZeroEmploymentHouseholdTakesTheSlotTheRivalIsOutcompetedByHousehold() throws {
        let (ctx, a, b, c) = Self.world()
        let problem = MatchProblemData(context: ctx)
        #expect(problem.seekers.map(\.certificateKey) == [a, b].map(\.certificate.key).sorted())
        let ia = problem.seekers.firstIndex { $0.certificateKey == a.certificate.key }!
        var openingOf: [Int32] = [-1, -1]; openingOf[ia] = 0
        let plan = try MatchPlan(context: ctx, problem: problem, openingOf: openingOf)
        let scoreA = Scoring.score(seeker: a, opening: Fx.opening("O1"), context: ctx).total
        #expect(plan.objective == MatchObjective(households: 1, priority: 0, placed: 1, score: scoreA))
        #expect(plan.proposals.count == 1)
        #expect(plan.proposals[0].tiers == [.household])
        #expect(plan.proposals[0].reasons.first?.code == "tier_household")
        #expect(plan.unmatched.map(\.certificateKey) == [b.certificate.key])
        #expect(plan.unmatched[0].reason == .outcompeted([
            Competition(openingID: OpeningID("O1"), holders: [Holder(certificateKey: a.certificate.key, decidedBy: .household)])]))
        #expect(plan.notCandidates == [NotCandidate(certificateKey: c.certificate.key, reason: .notSeeking(status: .inactive))])

        let text = plan.explainChinese(seeker: b.certificate.key)
        #expect(text.contains("李**"))
        #expect(text.contains("零就业家庭优先"))
        #expect(text.contains(Masking.identifier(a.certificate.key)))
        for secret in [a.certificate.key, b.certificate.key, "李四", "张三丰"] { #expect(!text.contains(secret)) }
        #expect(plan.explainChinese(seeker: a.certificate.key).contains("推荐岗位 O1（其他，甲镇）"))
        #expect(plan.explainChinese(seeker: c.certificate.key).contains("不参加本次匹配"))
    }

    @Test func whenNobodyHasATierTheScoreDecides() throws {
        let (ctx0, a, b, _) = Self.world()
        var snap = ctx0.input.snapshot
        snap.households = []
        let ctx = MatchContext(MatchInput(snapshot: snap, policy: .contractDefaults))
        let problem = MatchProblemData(context: ctx)
        let ib = problem.seekers.firstIndex { $0.certificateKey == b.certificate.key }!
        var openingOf: [Int32] = [-1, -1]; openingOf[ib] = 0
        let plan = try MatchPlan(context: ctx, problem: problem, openingOf: openingOf)
        guard case .outcompeted(let list) = plan.unmatched.first(where: { $0.certificateKey == a.certificate.key })?.reason else {
            Issue.record("A should be outcompeted"); return
        }
        #expect(list[0].holders[0].decidedBy == .score)
        // The other way round is not optimal, and the plan says so.
        openingOf = [-1, -1]; openingOf[1 - ib] = 0
        let worse = try MatchPlan(context: ctx, problem: problem, openingOf: openingOf)
        guard case .outcompeted(let l2) = worse.unmatched[0].reason else { Issue.record("outcompeted expected"); return }
        #expect(l2[0].holders[0].decidedBy == .notOptimal)
    }

    @Test func whenNoOpeningAdmitsTheSeekerTheThreeNearestAreNamedWithTheirFirstRule() throws {
        let old = Fx.seeker(Fx.cert(born: "1960-01-01", serial: 9), town: "T1")  // 66: too old everywhere
        let openings = [Fx.opening("O9", town: "T3"), Fx.opening("O5", town: "T2"), Fx.opening("O7", town: "T1"),
                        Fx.opening("O2", town: "T1"), Fx.opening("O1", town: "T5"), Fx.opening("O3", town: "T6")]
        let ctx = Fx.context(seekers: [old], openings: openings)
        let problem = MatchProblemData(context: ctx)
        #expect(problem.seekerStart == [0, 0])
        let plan = try MatchPlan(context: ctx, problem: problem, openingOf: [-1])
        let tooOld = ExclusionReason.tooOld(age: 66, max: 59)
        #expect(plan.unmatched[0].reason == .noEligibleOpening(nearest: [
            NearestOpening(openingID: OpeningID("O2"), proximity: .sameTown, reason: tooOld),
            NearestOpening(openingID: OpeningID("O7"), proximity: .sameTown, reason: tooOld),
            NearestOpening(openingID: OpeningID("O1"), proximity: .neighbour, reason: tooOld),  // T5 neighbours T1
        ]))
        #expect(plan.unmatched[0].reason.code == "no_eligible_opening")
        #expect(plan.explainChinese(seeker: old.certificate.key).contains("E2 年龄——年龄66岁，超过上限59岁"))
        #expect(plan.objective == MatchObjective(households: 0, priority: 0, placed: 0, score: 0))
    }

    @Test func whenTheAssignmentBreaksTheProblemThePlanRefusesIt() {
        let (ctx, _, _, _) = Self.world()
        let problem = MatchProblemData(context: ctx)
        #expect(throws: PlanError.wrongLength(expected: 2, actual: 1)) { try MatchPlan(context: ctx, problem: problem, openingOf: [0]) }
        #expect(throws: PlanError.overCapacity(opening: 0)) { try MatchPlan(context: ctx, problem: problem, openingOf: [0, 0]) }
        #expect(throws: PlanError.notEligible(seeker: 0, opening: 3)) { try MatchPlan(context: ctx, problem: problem, openingOf: [3, -1]) }
    }

    /// Greedy in problem order: enough to give a valid assignment.
    static func greedy(_ p: MatchProblemData) -> [Int32] {
        var left = p.openings.map(\.slotsLeft)
        return (0..<p.seekers.count).map { i in
            for k in Int(p.seekerStart[i])..<Int(p.seekerStart[i + 1]) where left[Int(p.opening[k])] > 0 {
                left[Int(p.opening[k])] -= 1; return p.opening[k]
            }
            return -1
        }
    }

    @Test(arguments: Array(UInt64(100)...120))
    func whenInputOrderChangesThePlanAndItsTextDoNot(seed: UInt64) throws {
        var r = RandomInstance(seed: seed)
        let snap = r.snapshot(seekers: 60, openings: 20)
        let shuffled = r.shuffled(snap)
        let ca = MatchContext(MatchInput(snapshot: snap, policy: .contractDefaults))
        let cb = MatchContext(MatchInput(snapshot: shuffled, policy: .contractDefaults))
        let pa = MatchProblemData(context: ca), pb = MatchProblemData(context: cb)
        let a = try MatchPlan(context: ca, problem: pa, openingOf: Self.greedy(pa))
        let b = try MatchPlan(context: cb, problem: pb, openingOf: Self.greedy(pb))
        #expect(a == b, "seed \(seed)")
        #expect(a.proposals.count + a.unmatched.count == pa.seekers.count, "seed \(seed)")
        for s in snap.seekers {
            let t = a.explainChinese(seeker: s.certificate.key)
            #expect(t == b.explainChinese(seeker: s.certificate.key), "seed \(seed)")
            #expect(!t.contains(s.certificate.key) && !t.contains(s.name), "seed \(seed): unmasked identity")
        }
    }
}
