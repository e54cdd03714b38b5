import Domain
import Testing
@testable import Matching

@Suite("Assignment solver")
struct SolverTests {
  @Test("when small random instances are enumerated, the solvers agree with brute force on all four tiers")
  func bruteForce() {
    for seed in UInt64(1)...300 {
      var rng = SplitMix64(seed: seed)
      let n = Int.random(in: 0...8, using: &rng)
      let m = Int.random(in: 1...4, using: &rng)
      let p = randomProblem(
        seekers: n, openings: m, maxCap: Int32.random(in: 0...3, using: &rng),
        density: Double.random(in: 0.2...0.8, using: &rng), rng: &rng)
      let best = bruteForceBest(p)
      let reference = ReferenceSolver.solve(p)
      #expect(reference.objective == best, "reference, seed \(seed)")
      #expect(AssignmentSolver.verify(p, reference), "reference certificate, seed \(seed)")
      let fast = AssignmentSolver.solve(p)
      #expect(fast.objective == best, "solve, seed \(seed)")
      #expect(AssignmentSolver.verify(p, fast), "solve certificate, seed \(seed)")
    }
  }

  @Test("when an assignment is worse than optimal, verify rejects it with the optimal certificate")
  func verifyRejectsSuboptimal() {
    var rejected = 0
    for seed in UInt64(1)...200 {
      var rng = SplitMix64(seed: seed)
      let p = randomProblem(seekers: 6, openings: 3, maxCap: 2, density: 0.6, rng: &rng)
      let s = AssignmentSolver.solve(p)
      // Drop one assignment: still feasible, strictly worse in N.
      guard let dropped = s.openingOf.firstIndex(where: { $0 >= 0 }) else { continue }
      var worse = s.openingOf
      worse[dropped] = -1
      let tampered = AssignmentSolution(
        openingOf: worse, objective: Objective(of: worse, in: p), certificate: s.certificate)
      #expect(!AssignmentSolver.verify(p, tampered), "seed \(seed)")
      rejected += 1
    }
    #expect(rejected > 100)
  }

  @Test("when a household member and a priority seeker want the one slot, the household wins")
  func householdBeatsPriority() {
    let p = makeProblem(
      seekers: 2, capacities: [1], pairs: [(0, 0, 0), (1, 0, 1000)], household: [0, -1], householdCount: 1,
      priority: [false, true])
    let s = AssignmentSolver.solve(p)
    #expect(s.openingOf == [0, -1])
    #expect(s.objective == Objective(households: 1, priority: 0, placed: 1, score: 0))
  }

  @Test("when a priority seeker and a better-scored seeker want the one slot, priority wins")
  func priorityBeatsScore() {
    let p = makeProblem(
      seekers: 2, capacities: [1], pairs: [(0, 0, 1000), (1, 0, 0)], priority: [false, true])
    let s = AssignmentSolver.solve(p)
    #expect(s.openingOf == [-1, 0])
    #expect(s.objective == Objective(households: 0, priority: 1, placed: 1, score: 0))
  }

  // Assignable seeker sets form a transversal matroid, so a set with the most
  // priority seekers always extends to one with the most assignments: P never
  // costs N. What can happen is that P decides *which* seekers make up N.
  @Test("when priority decides who is placed, the count stays maximal")
  func priorityThenCount() {
    // Seeker 0 (priority) can take either opening; 1 and 2 one each.
    let p = makeProblem(
      seekers: 3, capacities: [1, 1], pairs: [(0, 0, 0), (0, 1, 0), (1, 0, 1000), (2, 1, 1000)],
      priority: [true, false, false])
    let s = AssignmentSolver.solve(p)
    #expect(s.objective == Objective(households: 0, priority: 1, placed: 2, score: 1000))
  }

  @Test("when placing more seekers lowers the score sum, the count wins")
  func countBeatsScore() {
    let p = makeProblem(seekers: 2, capacities: [1, 1], pairs: [(0, 0, 1000), (0, 1, 0), (1, 0, 1)])
    let s = AssignmentSolver.solve(p)
    #expect(s.openingOf == [1, 0])
    #expect(s.objective == Objective(households: 0, priority: 0, placed: 2, score: 1))
  }

  @Test("when three members of one household are placed, the household counts once")
  func householdCountsOnce() {
    let p = makeProblem(
      seekers: 4, capacities: [2, 1], pairs: [(0, 0, 10), (1, 0, 10), (2, 1, 10), (3, 0, 900)],
      household: [0, 0, 0, 1], householdCount: 2)
    let s = AssignmentSolver.solve(p)
    // Household 1 (seeker 3) must get a slot at opening 0: H = 2.
    #expect(s.objective.households == 2)
    #expect(s.objective.placed == 3)
    #expect(s.openingOf[3] == 0)
  }

  @Test("when an opening has no slots left or a seeker no pairs, nobody is placed there")
  func zeroCapacityAndNoEdges() {
    let p = makeProblem(seekers: 3, capacities: [0, 1], pairs: [(0, 0, 1000), (2, 1, 5)])
    let s = AssignmentSolver.solve(p)
    #expect(s.openingOf == [-1, -1, 1])
    #expect(AssignmentSolver.verify(p, s))
  }

  @Test("when the problem is empty, the answer is empty")
  func empty() {
    let p = makeProblem(seekers: 0, capacities: [], pairs: [])
    let s = AssignmentSolver.solve(p)
    #expect(s.openingOf.isEmpty)
    #expect(AssignmentSolver.verify(p, s))
  }

  @Test("when the same problem is solved twice, the answers are identical")
  func deterministic() {
    var rng = SplitMix64(seed: 7)
    let p = randomProblem(seekers: 40, openings: 10, maxCap: 3, density: 0.3, rng: &rng)
    #expect(AssignmentSolver.solve(p) == AssignmentSolver.solve(p))
  }

  @Test("when seekers are permuted or pairs shuffled, the objective is the same")
  func permutationInvariant() {
    for seed in UInt64(1)...30 {
      var rng = SplitMix64(seed: seed)
      let p = randomProblem(seekers: 30, openings: 8, maxCap: 3, density: 0.3, rng: &rng)
      let perm = Array(0..<p.seekerCount).shuffled(using: &rng)
      let a = AssignmentSolver.solve(p), b = AssignmentSolver.solve(permuteSeekers(p, perm))
      #expect(a.objective == b.objective, "seed \(seed)")
    }
  }

  @Test("when triples arrive in any order, the edge list is the same")
  func edgeListSorts() {
    let a = EdgeList(seekerCount: 3, seekers: [2, 0, 0, 1], openings: [1, 3, 0, 2], scores: [5, 6, 7, 8])
    #expect(a.seekerStart == [0, 2, 3, 4])
    #expect(a.opening == [0, 3, 2, 1])
    #expect(a.score == [7, 6, 8, 5])
  }
}

@Suite("Assignment solver against the reference")
struct SolverCrossCheckTests {
  @Test(
    "when medium random instances are solved by both solvers, objectives agree and both certificates verify",
    arguments: [(60, 15, Int32(3), 0.2), (120, 20, Int32(5), 0.1), (80, 40, Int32(1), 0.08)])
  func crossCheck(seekers: Int, openings: Int, maxCap: Int32, density: Double) {
    for seed in UInt64(1)...5 {
      var rng = SplitMix64(seed: seed &* 1_000_003 &+ UInt64(seekers))
      let p = randomProblem(seekers: seekers, openings: openings, maxCap: maxCap, density: density, rng: &rng)
      let fast = AssignmentSolver.solve(p)
      let reference = ReferenceSolver.solve(p)
      #expect(fast.objective == reference.objective, "seed \(seed), \(seekers)x\(openings)")
      #expect(AssignmentSolver.verify(p, fast), "seed \(seed)")
      #expect(AssignmentSolver.verify(p, reference), "seed \(seed)")
    }
  }

  @Test("when one score changes, a certificate for the old scores no longer verifies")
  func certificateIsTiedToScores() {
    var rng = SplitMix64(seed: 99)
    let p = randomProblem(seekers: 30, openings: 8, maxCap: 2, density: 0.4, rng: &rng)
    let s = AssignmentSolver.solve(p)
    // Raise the score of an unused pair far above the rest.
    guard let s0 = s.openingOf.firstIndex(where: { $0 >= 0 }) else { return }
    var scores = p.edges.score
    for e in Int(p.edges.seekerStart[s0])..<Int(p.edges.seekerStart[s0 + 1]) where p.edges.opening[e] != s.openingOf[s0] {
      scores[e] = 1000
    }
    var others = p.edges.score
    for e in 0..<others.count { others[e] = min(others[e], 1) }
    for e in Int(p.edges.seekerStart[s0])..<Int(p.edges.seekerStart[s0 + 1]) { others[e] = scores[e] }
    let q = AssignmentProblem(
      seekerCount: p.seekerCount, capacities: p.capacities,
      edges: EdgeList(seekerStart: p.edges.seekerStart, opening: p.edges.opening, score: others),
      household: p.household, householdCount: p.householdCount, priority: p.priority)
    let stale = AssignmentSolution(
      openingOf: s.openingOf, objective: Objective(of: s.openingOf, in: q), certificate: s.certificate)
    // Either the old assignment happens to stay optimal with a fresh
    // certificate, or the stale certificate is rejected; it must never pass
    // while a better assignment exists.
    if AssignmentSolver.solve(q).objective > stale.objective {
      #expect(!AssignmentSolver.verify(q, stale))
    }
  }
}
