import Domain

/// Everything a matching run reads: one consistent snapshot of the store on
/// the run's date. The order of the arrays does not matter: every result is
/// sorted by keys (certificate key, opening id, household id, region code).
public struct MatchSnapshot: Sendable {
    /// The run's date d (CONTRACT.md §3).
    public var date: CivilDate
    /// Districts and towns, with parents and (symmetric) neighbours.
    public var regions: [Region]
    /// Households.
    public var households: [Household]
    /// Every seeker in scope, whatever their status (E1 decides who is a candidate).
    public var seekers: [Seeker]
    /// Training records; completed ones add a skill (E6).
    public var trainings: [Training]
    /// Every opening in scope, open or not (E8 decides).
    public var openings: [Opening]
    /// Every placement; the rules keep those active on `date`.
    public var placements: [Placement]
    /// Job categories (code and name) for explanations.
    public var categories: [JobCategory]

    /// Every field given.
    public init(date: CivilDate, regions: [Region], households: [Household], seekers: [Seeker],
                trainings: [Training] = [], openings: [Opening], placements: [Placement] = [],
                categories: [JobCategory] = JobCategory.seeded) {
        self.date = date; self.regions = regions; self.households = households; self.seekers = seekers
        self.trainings = trainings; self.openings = openings; self.placements = placements; self.categories = categories
    }
}

/// A run's input: the snapshot and the policy in force on its date.
public struct MatchInput: Sendable {
    /// The data.
    public var snapshot: MatchSnapshot
    /// The parameters.
    public var policy: MatchingPolicy
    /// Both given.
    public init(snapshot: MatchSnapshot, policy: MatchingPolicy) { self.snapshot = snapshot; self.policy = policy }
}
