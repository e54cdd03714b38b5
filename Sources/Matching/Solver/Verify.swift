extension AssignmentSolver {
  /// Checks that `solution` is feasible and lexicographically optimal for
  /// `problem`, from its certificate alone, in one pass over the arcs.
  ///
  /// The assignment fixes the flow on every arc (a household's bonus arc
  /// carries its first assigned member). For each arc the tiers are tried in
  /// order: if the reduced cost `c_t + π_t(tail) − π_t(head)` is positive the
  /// arc must be empty, if negative it must be full, and the check stops
  /// there (that arc was fixed by tier t); if zero the next tier decides.
  /// Tier t's prices so prove the flow optimal for tier t among the flows
  /// that are optimal for the tiers before it (LP complementary slackness on
  /// a network matrix, so integral). Also checks eligibility, capacities and
  /// the reported objective.
  public static func verify(_ problem: AssignmentProblem, _ solution: AssignmentSolution) -> Bool {
    let net = SolverNetwork(problem)
    let n = problem.seekerCount
    guard solution.openingOf.count == n else { return false }
    let prices = solution.certificate.tierPrices
    guard prices.count == SolverNetwork.tierCount, prices.allSatisfy({ $0.count == net.nodeCount }) else { return false }

    var load = [Int32](repeating: 0, count: problem.openingCount)
    var assignedIn = [Int32](repeating: 0, count: problem.householdCount)
    for s in 0..<n {
      let o = solution.openingOf[s]
      if o < 0 { continue }
      guard Int(o) < problem.openingCount, problem.edges.edgeIndex(seeker: s, opening: o) != nil else { return false }
      load[Int(o)] += 1
      if problem.household[s] >= 0 { assignedIn[Int(problem.household[s])] += 1 }
    }
    for o in 0..<problem.openingCount where load[o] > problem.capacities[o] { return false }
    guard Objective(of: solution.openingOf, in: problem) == solution.objective else { return false }

    var ok = true
    problem.forEachArc { tail, head, cap, tag, seeker, edge in
      if !ok { return }
      let flow: Int32
      if tail == SolverNetwork.root && head >= 1 && head <= problem.householdCount {
        // root → household: bonus first, then rest.
        let h = head - 1
        if tag == ArcTag.bonus {
          flow = min(1, assignedIn[h])
        } else {
          flow = max(0, assignedIn[h] - 1)
        }
      } else if edge >= 0 {
        flow = solution.openingOf[seeker] == problem.edges.opening[edge] ? 1 : 0
      } else if seeker >= 0 {
        flow = solution.openingOf[seeker] >= 0 ? 1 : 0
      } else {
        flow = load[tail - net.openingNode(0)]
      }
      if flow < 0 || flow > cap { ok = false; return }
      for t in 0..<SolverNetwork.tierCount {
        let (a, o1) = ArcTag.cost(tag, tier: t).addingReportingOverflow(prices[t][tail])
        let (rc, o2) = a.subtractingReportingOverflow(prices[t][head])
        if o1 || o2 { ok = false; return }
        if rc > 0 {
          if flow != 0 { ok = false }
          return
        }
        if rc < 0 {
          if flow != cap { ok = false }
          return
        }
      }
    }
    return ok
  }
}
