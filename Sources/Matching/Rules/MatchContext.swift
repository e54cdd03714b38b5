import Domain

/// A run's input prepared once: lookups by key for the reference rules
/// (`Eligibility`), and dense integer arrays for candidate generation and
/// scoring at province scale (`compiled`).
///
/// Building it is linear in the snapshot plus sorting by keys; everything
/// derived from it is independent of the order of the snapshot's arrays.
/// Keys must be unique (certificate keys, opening ids, region codes,
/// household ids): the store guarantees it, so a duplicate traps.
public struct MatchContext: Sendable {
    /// The run's input.
    public let input: MatchInput
    /// The run's date d.
    public var date: CivilDate { input.snapshot.date }
    /// The run's policy.
    public var policy: MatchingPolicy { input.policy }

    let parentOf: [RegionCode: RegionCode]
    /// Symmetric closure of the neighbour lists, without self-loops.
    let neighboursOf: [RegionCode: Set<RegionCode>]
    /// Skills that completed trainings give each seeker by d (E6).
    let trainingSkills: [String: Set<String>]
    /// The opening of a placement active on d, by certificate key (E1); the
    /// smallest opening id when several are active.
    let activePlacementOf: [String: OpeningID]
    /// Placements active on d, by opening (E8).
    let activeCount: [OpeningID: Int]
    let householdByID: [HouseholdID: Household]
    let categoryNames: [String: String]
    /// Zero-employment households on d (CONTRACT.md §4 H).
    let zeroEmployment: Set<HouseholdID>
    /// Dense arrays, sorted by key.
    let compiled: CompiledRun

    /// Prepares `input`.
    public init(_ input: MatchInput) {
        self.input = input
        let s = input.snapshot
        let d = s.date
        var parent: [RegionCode: RegionCode] = [:]
        var neighbours: [RegionCode: Set<RegionCode>] = [:]
        for r in s.regions {
            precondition(parent[r.code] == nil || parent[r.code] == r.parent, "duplicate region \(r.code)")
            if let p = r.parent { parent[r.code] = p }
            for n in r.neighbours where n != r.code {
                neighbours[r.code, default: []].insert(n)
                neighbours[n, default: []].insert(r.code)
            }
        }
        parentOf = parent
        neighboursOf = neighbours
        var skills: [String: Set<String>] = [:]
        for t in s.trainings where MatchContext.trainingCounts(t, on: d) {
            skills[t.certificateKey, default: []].insert(t.skill!)
        }
        trainingSkills = skills
        var placedIn: [String: OpeningID] = [:]
        var count: [OpeningID: Int] = [:]
        for p in s.placements where p.isActive(on: d) {
            if let o = placedIn[p.certificateKey] { placedIn[p.certificateKey] = min(o, p.opening) } else { placedIn[p.certificateKey] = p.opening }
            count[p.opening, default: 0] += 1
        }
        activePlacementOf = placedIn
        activeCount = count
        householdByID = Dictionary(s.households.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in
            preconditionFailure("duplicate household \(a.id)")
        })
        zeroEmployment = MatchContext.zeroEmploymentHouseholds(households: s.households, seekers: s.seekers,
                                                               placedOnDate: placedIn)
        categoryNames = Dictionary(s.categories.map { ($0.code, $0.name) }, uniquingKeysWith: { a, b in min(a, b) })
        compiled = CompiledRun(snapshot: s, policy: input.policy, parentOf: parent, neighboursOf: neighbours,
                               trainingSkills: skills, activePlacementOf: placedIn, activeCount: count)
    }

    /// Whether a training adds its skill on `date`: completed, with a skill,
    /// and ended on or before `date` when an end date is given (CONTRACT.md §3 E6).
    public static func trainingCounts(_ t: Training, on date: CivilDate) -> Bool {
        guard t.completed, let skill = t.skill, !skill.isEmpty else { return false }
        return t.endDate.map { $0 <= date } ?? true
    }

    /// The seeker's skills on d: listed ones plus completed trainings' (E6).
    public func effectiveSkills(of seeker: Seeker) -> Set<String> {
        Set(seeker.skills).union(trainingSkills[seeker.certificate.key] ?? [])
    }

    /// The opening of a placement of the seeker active on d, if any (E1).
    public func activePlacement(of certificateKey: String) -> OpeningID? { activePlacementOf[certificateKey] }

    /// Slots left in `opening` after placements active on d (E8); never negative.
    public func slotsLeft(_ opening: Opening) -> Int { max(0, opening.slots - (activeCount[opening.id] ?? 0)) }

    /// The parent region (district) of a town, if known.
    public func parent(of town: RegionCode) -> RegionCode? { parentOf[town] }

    /// Whether two towns are neighbours (the relation is symmetric; a town is not its own neighbour).
    public func areNeighbours(_ a: RegionCode, _ b: RegionCode) -> Bool { neighboursOf[a]?.contains(b) ?? false }

    /// How near a seeker's town is to an opening's town, nearest first.
    public func proximity(seekerTown s: RegionCode, openingTown o: RegionCode) -> Proximity {
        if s == o { return .sameTown }
        if areNeighbours(s, o) { return .neighbour }
        if let p = parentOf[s], p == parentOf[o] { return .sameDistrict }
        return .elsewhere
    }

    /// A household by id.
    public func household(_ id: HouseholdID) -> Household? { householdByID[id] }

    /// The Chinese name of a job category, or its code when unknown.
    public func categoryName(_ code: String) -> String { categoryNames[code] ?? code }
}

/// How near two towns are (for E3, scores and "nearest openings").
public enum Proximity: Int, Sendable, Comparable, CaseIterable {
    case sameTown, neighbour, sameDistrict, elsewhere
    public static func < (a: Proximity, b: Proximity) -> Bool { a.rawValue < b.rawValue }
    /// 同镇街, 相邻镇街, 同区其他镇街, 区外.
    public var chinese: String {
        switch self { case .sameTown: "同镇街"; case .neighbour: "相邻镇街"; case .sameDistrict: "同区其他镇街"; case .elsewhere: "区外" }
    }
}
