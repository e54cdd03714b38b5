import Domain

/// Who may be proposed for what (CONTRACT.md §3, rules E1–E8), one function
/// per rule. These are the reference rules on domain records; candidate
/// generation (`Candidates`) applies the same rules on dense arrays and is
/// tested to admit exactly the pairs `check` admits.
public enum Eligibility {
    /// Every reason why `seeker` may not be proposed for `opening` on the
    /// context's date, in rule order E1…E8; empty means eligible.
    public static func check(seeker: Seeker, opening: Opening, context: MatchContext) -> [ExclusionReason] {
        e1(seeker: seeker, context: context)
            + e2(seeker: seeker, opening: opening, context: context)
            + e3(seeker: seeker, opening: opening, context: context)
            + e4(seeker: seeker, opening: opening, context: context)
            + e5(seeker: seeker, opening: opening, context: context)
            + e6(seeker: seeker, opening: opening, context: context)
            + e7(seeker: seeker, opening: opening)
            + e8(opening: opening, context: context)
    }

    /// The first rule that excludes the pair, or nil when eligible.
    public static func firstReason(seeker: Seeker, opening: Opening, context: MatchContext) -> ExclusionReason? {
        check(seeker: seeker, opening: opening, context: context).first
    }

    /// E1: the seeker is `seeking` and has no placement active on d.
    public static func e1(seeker: Seeker, context: MatchContext) -> [ExclusionReason] {
        e1(status: seeker.status, activePlacement: context.activePlacement(of: seeker.certificate.key))
    }

    /// E1 from its two facts: the seeker's status and the opening of a placement
    /// active on d, if any (`explain` judges a seeker absent from a run by this).
    public static func e1(status: SeekerStatus, activePlacement: OpeningID?) -> [ExclusionReason] {
        if status != .seeking { return [.notSeeking(status: status)] }
        if let o = activePlacement { return [.alreadyPlaced(opening: o)] }
        return []
    }

    /// E2's bounds for a pair: [max(working_age.min, min_age), min(max_age, working_age.max by sex)].
    public static func ageBounds(seeker: Seeker, opening: Opening, policy: MatchingPolicy) -> (min: Int, max: Int) {
        let lo = max(policy.workingAgeMin, opening.minAge ?? policy.workingAgeMin)
        let top = policy.workingAgeMax(for: seeker.certificate.residentID.sex)
        return (lo, min(opening.maxAge ?? top, top))
    }

    /// E2: completed age on d within the bounds; a person born on 29 February
    /// completes a year on 1 March in common years (`CivilDate.completedYears`).
    /// Example: a man born 1966-03-01 is 59 on 2026-02-28 (eligible) and 60 on
    /// 2026-03-01 (`.tooOld(age: 60, max: 59)`).
    public static func e2(seeker: Seeker, opening: Opening, context: MatchContext) -> [ExclusionReason] {
        let age = seeker.certificate.residentID.birthDate.completedYears(on: context.date)
        let b = ageBounds(seeker: seeker, opening: opening, policy: context.policy)
        if age < b.min { return [.tooYoung(age: age, min: b.min)] }
        if age > b.max { return [.tooOld(age: age, max: b.max)] }
        return []
    }

    /// E3: `town` — same town; `neighbours` — same town or a neighbour of the
    /// opening's town (symmetric); `district` — same town, or both towns under
    /// the same parent. (A town without a known parent reaches only itself.)
    public static func e3(seeker: Seeker, opening: Opening, context: MatchContext) -> [ExclusionReason] {
        inReach(seekerTown: seeker.town, opening: opening, context: context) ? [] : [.outOfReach(reach: opening.reach)]
    }

    /// Whether a seeker living in `seekerTown` is within `opening`'s reach (E3).
    public static func inReach(seekerTown s: RegionCode, opening: Opening, context: MatchContext) -> Bool {
        if s == opening.town { return true }
        switch opening.reach {
        case .town: return false
        case .neighbours: return context.areNeighbours(s, opening.town)
        case .district:
            guard let p = context.parent(of: s) else { return false }
            return p == context.parent(of: opening.town)
        }
    }

    /// E4: every demand of the opening passes for the seeker's category and
    /// grade under the policy's demand table; one reason per failing demand.
    public static func e4(seeker: Seeker, opening: Opening, context: MatchContext) -> [ExclusionReason] {
        let c = seeker.certificate
        return Demand.allCases.filter {
            opening.demands.contains($0) && context.policy.demandTable.fails($0, category: c.category, grade: c.grade)
        }.map { .demandFailed($0) }
    }

    /// E5: assisted openings take only assisted or partial capacity; assisted
    /// capacity takes only assisted openings; partial capacity takes other
    /// openings only at ≤ `capacity.partial.max_hours` (30) hours a week.
    public static func e5(seeker: Seeker, opening: Opening, context: MatchContext) -> [ExclusionReason] {
        switch (opening.kind == .assisted, seeker.capacity) {
        case (true, .full): return [.openingNeedsAssistedCapacity(capacity: .full)]
        case (true, _): return []
        case (false, .assisted): return [.capacityNeedsAssistedOpening(kind: opening.kind)]
        case (false, .partial):
            let max = context.policy.partialCapacityMaxHours
            return opening.hoursPerWeek > max ? [.tooManyHours(hours: opening.hoursPerWeek, max: max)] : []
        case (false, .full): return []
        }
    }

    /// E6: required certificates and required skills are all among the
    /// seeker's (skills: listed plus completed trainings ended by d).
    public static func e6(seeker: Seeker, opening: Opening, context: MatchContext) -> [ExclusionReason] {
        var out: [ExclusionReason] = []
        let certs = Set(seeker.certificates)
        let missingCerts = Set(opening.requiredCertificates).subtracting(certs).sorted()
        if !missingCerts.isEmpty { out.append(.missingCertificates(missingCerts)) }
        if !opening.requiredSkills.isEmpty {
            let missing = Set(opening.requiredSkills).subtracting(context.effectiveSkills(of: seeker)).sorted()
            if !missing.isEmpty { out.append(.missingSkills(missing)) }
        }
        return out
    }

    /// E7: the seeker's intentions are empty or contain the opening's category.
    public static func e7(seeker: Seeker, opening: Opening) -> [ExclusionReason] {
        seeker.intentions.isEmpty || seeker.intentions.contains(opening.category)
            ? [] : [.notInIntentions(category: opening.category)]
    }

    /// E8: open on d (`open_from` ≤ d ≤ `open_until`, each where given) with
    /// slots left after placements active on d.
    public static func e8(opening: Opening, context: MatchContext) -> [ExclusionReason] {
        let d = context.date
        if let from = opening.openFrom, d < from { return [.notOpenYet(from: from)] }
        if let until = opening.openUntil, until < d { return [.closed(until: until)] }
        if context.slotsLeft(opening) <= 0 { return [.noSlotsLeft(slots: opening.slots)] }
        return []
    }
}
