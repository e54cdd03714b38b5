/// A matching run's pure pipeline, in the three steps the shell times
/// separately: build the problem (eligibility E1–E8 and scores), solve it
/// (the lexicographic optimum of CONTRACT.md §4), explain it (the plan).
///
///     let context = MatchContext(input)
///     let problem = MatchEngine.buildProblem(context)
///     let solution = MatchEngine.solve(problem)
///     let plan = try MatchEngine.explain(context, problem, solution)
public enum MatchEngine {
    /// Candidate pairs with scores, tiers and capacities.
    public static func buildProblem(_ context: MatchContext) -> MatchProblemData {
        MatchProblemData(context: context)
    }

    /// The solver's view of a problem.
    public static func assignmentProblem(_ p: MatchProblemData) -> AssignmentProblem {
        AssignmentProblem(
            seekerCount: p.seekers.count, capacities: p.slotsLeft,
            edges: EdgeList(seekerStart: p.seekerStart, opening: p.opening, score: p.score),
            household: p.zeroEmploymentHousehold, householdCount: p.householdCount, priority: p.priority)
    }

    /// The optimal assignment; in debug builds its optimality certificate is checked.
    public static func solve(_ p: MatchProblemData) -> AssignmentSolution {
        let problem = assignmentProblem(p)
        let solution = AssignmentSolver.solve(problem)
        assert(AssignmentSolver.verify(problem, solution), "solver returned a solution its certificate does not prove optimal")
        return solution
    }

    /// Proposals, unmatched seekers and reasons.
    public static func explain(_ context: MatchContext, _ p: MatchProblemData, _ s: AssignmentSolution) throws(PlanError) -> MatchPlan {
        try MatchPlan(context: context, problem: p, openingOf: s.openingOf)
    }
}
