import Domain

/// A seeker of the problem (E1-admitted), by position.
public struct SeekerRef: Hashable, Sendable {
    /// The 20-character certificate key.
    public var certificateKey: String
    /// The seeker's household, if any.
    public var household: HouseholdID?
    /// Both given.
    public init(certificateKey: String, household: HouseholdID? = nil) { self.certificateKey = certificateKey; self.household = household }
}

/// An opening of the problem (open on d with slots left), by position.
public struct OpeningRef: Hashable, Sendable {
    /// The opening's id.
    public var id: OpeningID
    /// Slots left after placements active on d (≥ 1).
    public var slotsLeft: Int
    /// Both given.
    public init(id: OpeningID, slotsLeft: Int) { self.id = id; self.slotsLeft = slotsLeft }
}

/// The optimisation problem's inputs, independent of any solver
/// (CONTRACT.md §4): maximise H, then P, then N, then S over assignments of
/// `pairs` with each seeker at most once and each opening at most `slotsLeft`.
///
/// - `seekers`: E1-admitted seekers sorted by certificate key; a seeker that
///   E1 admits and the solver leaves unassigned is "unmatched".
/// - `openings`: openings passing E8 on d, sorted by id.
/// - pairs in CSR form: seeker `i`'s pairs are `k ∈ seekerStart[i] ..<
///   seekerStart[i+1]`, to opening `opening[k]` with score `score[k]`
///   (0…1000), openings ascending within a row.
/// - `zeroEmploymentHousehold[i]`: index into `households` (0 ..<
///   `householdCount`, zero-employment households sorted by id that have at
///   least one seeker here), or -1.
/// - `priority[i]`: the seeker counts for P.
public struct MatchProblemData: Hashable, Sendable {
    /// The run's date.
    public let date: CivilDate
    /// E1-admitted seekers, sorted by certificate key.
    public let seekers: [SeekerRef]
    /// Openings open on d with slots left, sorted by id.
    public let openings: [OpeningRef]
    /// CSR row starts (`seekers.count + 1` entries).
    public let seekerStart: [Int32]
    /// Opening position of each pair.
    public let opening: [Int32]
    /// Score of each pair, 0…1000.
    public let score: [Int16]
    /// Zero-employment household index of each seeker, or -1.
    public let zeroEmploymentHousehold: [Int32]
    /// Number of zero-employment households indexed.
    public let householdCount: Int
    /// The indexed zero-employment households, sorted by id.
    public let households: [HouseholdID]
    /// Whether each seeker counts for P.
    public let priority: [Bool]

    /// Slots left per opening position.
    public var slotsLeft: [Int32] { openings.map { Int32($0.slotsLeft) } }
    /// Number of eligible pairs.
    public var pairCount: Int { opening.count }

    /// Every field given (for solver tests and benchmarks that build problems
    /// directly). Shapes are checked; a mismatch is a bug and traps.
    public init(date: CivilDate, seekers: [SeekerRef], openings: [OpeningRef], seekerStart: [Int32], opening: [Int32],
                score: [Int16], zeroEmploymentHousehold: [Int32], households: [HouseholdID], priority: [Bool]) {
        precondition(seekerStart.count == seekers.count + 1 && seekerStart.first == 0
                     && Int(seekerStart.last!) == opening.count && score.count == opening.count
                     && zeroEmploymentHousehold.count == seekers.count && priority.count == seekers.count,
                     "MatchProblemData: inconsistent shapes")
        precondition(opening.allSatisfy { $0 >= 0 && Int($0) < openings.count }, "MatchProblemData: opening out of range")
        precondition(zeroEmploymentHousehold.allSatisfy { $0 >= -1 && Int($0) < households.count }, "MatchProblemData: household out of range")
        self.date = date; self.seekers = seekers; self.openings = openings; self.seekerStart = seekerStart
        self.opening = opening; self.score = score; self.zeroEmploymentHousehold = zeroEmploymentHousehold
        self.households = households; self.householdCount = households.count; self.priority = priority
    }

    /// Generates candidates, scores them and marks tiers.
    public init(context: MatchContext) {
        self.init(context: context, candidates: Candidates.generate(context: context))
    }

    /// Builds from candidates already generated for `context`.
    public init(context: MatchContext, candidates cand: CandidatePairs) {
        let c = context.compiled
        date = context.date
        precondition(cand.count < Int(Int32.max), "too many pairs for 32-bit indices")
        seekers = cand.seekers.map { SeekerRef(certificateKey: c.seekers[Int($0)].certificate.key, household: c.seekers[Int($0)].household) }
        openings = cand.openings.map { OpeningRef(id: c.openings[Int($0)].id, slotsLeft: Int(c.openingSlotsLeft[Int($0)])) }
        seekerStart = cand.seekerStart
        opening = cand.opening
        var score = [Int16](repeating: 0, count: cand.count)
        for i in 0..<cand.seekerCount {
            let s = Int(cand.seekers[i])
            for k in Int(cand.seekerStart[i])..<Int(cand.seekerStart[i + 1]) {
                score[k] = Int16(Scoring.total(c, seeker: s, opening: Int(cand.openings[Int(cand.opening[k])])))
            }
        }
        self.score = score
        let ze = Set(seekers.compactMap { $0.household.flatMap { context.isZeroEmployment($0) ? $0 : nil } }).sorted()
        var zeIndex: [HouseholdID: Int32] = [:]
        for (i, h) in ze.enumerated() { zeIndex[h] = Int32(i) }
        households = ze
        householdCount = ze.count
        zeroEmploymentHousehold = seekers.map { $0.household.flatMap { zeIndex[$0] } ?? -1 }
        priority = cand.seekers.map { context.isPriority(c.seekers[Int($0)]) }
    }
}
