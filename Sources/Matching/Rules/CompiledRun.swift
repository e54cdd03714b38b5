import Domain

/// The snapshot as dense arrays: seekers sorted by certificate key, openings
/// by id, towns, skills, certificates and categories interned to small
/// integers. Candidate generation and the fast score read only this, so that
/// 300k × 75k runs touch integers, not strings.
struct CompiledRun: Sendable {
    // Seekers, sorted by certificate key.
    let seekers: [Seeker]
    let seekerIndex: [String: Int32]
    let seekerTown: [Int32]
    let seekerE1: [Bool]
    let seekerAge: [Int32]
    /// working_age.max for the seeker's sex.
    let seekerAgeMax: [Int32]
    /// Demands failing for the seeker's category and grade (bit i = Demand.allCases[i]).
    let seekerFailMask: [UInt8]
    let seekerCapacity: [WorkCapacity]
    let seekerSkills: [[Int32]]
    let seekerCerts: [[Int32]]
    /// Sorted category ids; empty means any.
    let seekerIntentions: [[Int32]]
    let seekerEducationRank: [Int8]
    /// The "time registered" score part, which depends on the seeker only.
    let seekerRegisteredPoints: [Int16]

    // Openings, sorted by id.
    let openings: [Opening]
    let openingIndex: [OpeningID: Int32]
    let openingTown: [Int32]
    let openingE8: [Bool]
    let openingSlotsLeft: [Int32]
    let openingDemandMask: [UInt8]
    let openingAgeMin: [Int32]
    /// The opening's max_age, or Int32.max.
    let openingAgeMax: [Int32]
    let openingReqSkills: [[Int32]]
    let openingReqCerts: [[Int32]]
    let openingPrefSkills: [[Int32]]
    let openingCategory: [Int32]
    /// Education rank the category wants, or -1.
    let openingEducationWanted: [Int8]
    /// The wage score part, which depends on the opening only.
    let openingWagePoints: [Int16]

    // Towns (every region code seen anywhere), by index.
    let towns: [RegionCode]
    let townIndex: [RegionCode: Int32]
    let townParent: [Int32]
    /// Sorted neighbour indices (symmetric, no self).
    let townNeighbours: [[Int32]]

    let partialMaxHours: Int32

    init(snapshot s: MatchSnapshot, policy: MatchingPolicy, parentOf: [RegionCode: RegionCode],
         neighboursOf: [RegionCode: Set<RegionCode>], trainingSkills: [String: Set<String>],
         activePlacementOf: [String: OpeningID], activeCount: [OpeningID: Int]) {
        let d = s.date
        let seekers = s.seekers.sorted { $0.certificate.key < $1.certificate.key }
        let openings = s.openings.sorted { $0.id < $1.id }
        var seekerIndex: [String: Int32] = [:]
        seekerIndex.reserveCapacity(seekers.count)
        for (i, x) in seekers.enumerated() {
            precondition(seekerIndex.updateValue(Int32(i), forKey: x.certificate.key) == nil, "duplicate seeker")
        }
        var openingIndex: [OpeningID: Int32] = [:]
        openingIndex.reserveCapacity(openings.count)
        for (i, o) in openings.enumerated() {
            precondition(openingIndex.updateValue(Int32(i), forKey: o.id) == nil, "duplicate opening \(o.id)")
        }

        // Towns: sorted codes so that indices do not depend on input order.
        var codes = Set<RegionCode>()
        for r in s.regions { codes.insert(r.code); if let p = r.parent { codes.insert(p) }; codes.formUnion(r.neighbours) }
        for x in seekers { codes.insert(x.town) }
        for o in openings { codes.insert(o.town) }
        let towns = codes.sorted()
        var townIndex: [RegionCode: Int32] = [:]
        for (i, t) in towns.enumerated() { townIndex[t] = Int32(i) }
        let townParent = towns.map { t in parentOf[t].map { townIndex[$0]! } ?? -1 }
        let townNeighbours = towns.map { t in (neighboursOf[t] ?? []).map { townIndex[$0]! }.sorted() }

        // Interning of skills, certificates and categories.
        var skillIDs: [String: Int32] = [:], certIDs: [String: Int32] = [:], categoryIDs: [String: Int32] = [:]
        func intern(_ v: String, _ table: inout [String: Int32]) -> Int32 {
            if let i = table[v] { return i }
            let i = Int32(table.count); table[v] = i; return i
        }
        func internAll(_ vs: some Sequence<String>, _ table: inout [String: Int32]) -> [Int32] {
            Array(Set(vs.map { intern($0, &table) })).sorted()
        }

        let table = policy.demandTable
        var failMasks: [UInt8] = Array(repeating: 0, count: 8 * 5)
        for c in DisabilityCategory.allCases { for g in 1...4 { failMasks[c.rawValue * 5 + g] = table.failMask(category: c, grade: g) } }

        self.seekers = seekers
        self.seekerIndex = seekerIndex
        seekerTown = seekers.map { townIndex[$0.town]! }
        seekerE1 = seekers.map { $0.status == .seeking && activePlacementOf[$0.certificate.key] == nil }
        seekerAge = seekers.map { Int32($0.certificate.residentID.birthDate.completedYears(on: d)) }
        seekerAgeMax = seekers.map { Int32(policy.workingAgeMax(for: $0.certificate.residentID.sex)) }
        seekerFailMask = seekers.map { failMasks[$0.certificate.category.rawValue * 5 + $0.certificate.grade] }
        seekerCapacity = seekers.map(\.capacity)
        seekerSkills = seekers.map { internAll(Set($0.skills).union(trainingSkills[$0.certificate.key] ?? []), &skillIDs) }
        seekerCerts = seekers.map { internAll($0.certificates, &certIDs) }
        seekerIntentions = seekers.map { internAll($0.intentions, &categoryIDs) }
        seekerEducationRank = seekers.map { Int8($0.education?.rank ?? -1) }
        seekerRegisteredPoints = seekers.map { Int16(Scoring.registeredPoints(registeredOn: $0.registeredOn, date: d)) }

        self.openings = openings
        self.openingIndex = openingIndex
        openingTown = openings.map { townIndex[$0.town]! }
        openingSlotsLeft = openings.map { Int32(max(0, $0.slots - (activeCount[$0.id] ?? 0))) }
        openingE8 = zip(openings, openingSlotsLeft).map { o, left in
            (o.openFrom.map { $0 <= d } ?? true) && (o.openUntil.map { d <= $0 } ?? true) && left > 0
        }
        openingDemandMask = openings.map { o in
            var m: UInt8 = 0
            for (i, dm) in Demand.allCases.enumerated() where o.demands.contains(dm) { m |= 1 << UInt8(i) }
            return m
        }
        openingAgeMin = openings.map { Int32(max(policy.workingAgeMin, $0.minAge ?? policy.workingAgeMin)) }
        openingAgeMax = openings.map { $0.maxAge.map { Int32(clamping: $0) } ?? Int32.max }
        openingReqSkills = openings.map { internAll($0.requiredSkills, &skillIDs) }
        openingReqCerts = openings.map { internAll($0.requiredCertificates, &certIDs) }
        openingPrefSkills = openings.map { internAll($0.preferredSkills, &skillIDs) }
        openingCategory = openings.map { intern($0.category, &categoryIDs) }
        openingEducationWanted = openings.map { Int8(policy.educationWanted[$0.category]?.rank ?? -1) }
        openingWagePoints = openings.map { Int16(Scoring.wagePoints(wage: $0.monthlyWage, minimum: policy.minimumMonthlyWage)) }

        self.towns = towns
        self.townIndex = townIndex
        self.townParent = townParent
        self.townNeighbours = townNeighbours
        partialMaxHours = Int32(clamping: policy.partialCapacityMaxHours)
    }

    /// Whether sorted `required` ⊆ sorted `have`.
    @inline(__always)
    static func isSubset(_ required: [Int32], of have: [Int32]) -> Bool {
        if required.isEmpty { return true }
        if required.count > have.count { return false }
        var j = 0
        for r in required {
            while j < have.count && have[j] < r { j += 1 }
            if j == have.count || have[j] != r { return false }
            j += 1
        }
        return true
    }

    /// |a ∩ b| of two sorted arrays.
    @inline(__always)
    static func intersectionCount(_ a: [Int32], _ b: [Int32]) -> Int {
        var i = 0, j = 0, n = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else { n += 1; i += 1; j += 1 }
        }
        return n
    }

    /// Whether towns `a` and `b` are neighbours.
    @inline(__always)
    func areNeighbours(_ a: Int32, _ b: Int32) -> Bool {
        let ns = townNeighbours[Int(a)]
        var lo = 0, hi = ns.count
        while lo < hi { let m = (lo + hi) / 2; if ns[m] < b { lo = m + 1 } else { hi = m } }
        return lo < ns.count && ns[lo] == b
    }

    /// E2, E4, E5, E6 on the dense arrays (E1, E3, E7, E8 are settled by the
    /// candidate index before this is called).
    @inline(__always)
    func passesPairRules(seeker s: Int, opening o: Int) -> Bool {
        // E5
        let assistedOpening = openings[o].kind == .assisted
        switch seekerCapacity[s] {
        case .full: if assistedOpening { return false }
        case .assisted: if !assistedOpening { return false }
        case .partial: if !assistedOpening && openings[o].hoursPerWeek > Int(partialMaxHours) { return false }
        }
        // E4
        if openingDemandMask[o] & seekerFailMask[s] != 0 { return false }
        // E2
        let age = seekerAge[s]
        if age < openingAgeMin[o] || age > min(openingAgeMax[o], seekerAgeMax[s]) { return false }
        // E6
        return CompiledRun.isSubset(openingReqCerts[o], of: seekerCerts[s])
            && CompiledRun.isSubset(openingReqSkills[o], of: seekerSkills[s])
    }
}
