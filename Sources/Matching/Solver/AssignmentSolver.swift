/// Solves CONTRACT §4 exactly: of all assignments of eligible pairs (each
/// seeker at most one opening, each opening at most its slots), the one
/// maximising H, then P, then N, then S, with a certificate that proves it.
public enum AssignmentSolver {
  /// The optimal assignment of `problem`, a deterministic function of the
  /// problem (ties are broken by the order of seekers, openings and edges,
  /// which callers fix by sorting on keys).
  public static func solve(_ problem: AssignmentProblem) -> AssignmentSolution {
    let solution = CostScalingSolver(problem).solve()
    assert(verify(problem, solution), "solver produced a solution its certificate does not prove")
    return solution
  }
}
