import Domain

/// The tiers of CONTRACT.md §4 that a seeker can count for, besides N and S.
public enum PriorityTier: String, CaseIterable, Sendable, Comparable {
    /// H: a member of a zero-employment household.
    case household
    /// P: a priority seeker.
    case priority
    /// Stable code: `household`, `priority`.
    public var code: String { rawValue }
    /// 零就业家庭, 重点帮扶对象.
    public var chinese: String { self == .household ? "零就业家庭" : "重点帮扶对象" }
    public static func < (a: PriorityTier, b: PriorityTier) -> Bool { a == .household && b == .priority }
}

/// Why a seeker is a priority seeker (P).
public enum PriorityReason: Hashable, Sendable {
    /// A support flag on the seeker.
    case seekerFlag(SupportFlag)
    /// A support flag on the seeker's household.
    case householdFlag(SupportFlag)
    /// A college, bachelor or postgraduate who graduated in `year`, within the window.
    case recentGraduate(Education, year: Int)

    /// Stable code: `seeker_dibao`, `household_monitored`, `recent_graduate`, ….
    public var code: String {
        switch self {
        case .seekerFlag(let f): "seeker_" + f.code
        case .householdFlag(let f): "household_" + f.code
        case .recentGraduate: "recent_graduate"
        }
    }
    /// Plain Chinese: 本人低保, 家庭脱贫户, 2025年大专毕业.
    public var chinese: String {
        switch self {
        case .seekerFlag(let f): "本人" + f.label
        case .householdFlag(let f): "家庭" + f.label
        case .recentGraduate(let e, let y): "\(y)年\(e.label)毕业"
        }
    }
}

extension MatchContext {
    /// Zero-employment households (CONTRACT.md §4 H): `employed_members` = 0
    /// and none of its seekers is `employed` or has a placement active on d.
    /// Households no seeker names are included (they simply get no member).
    static func zeroEmploymentHouseholds(households: [Household], seekers: [Seeker],
                                         placedOnDate: [String: OpeningID]) -> Set<HouseholdID> {
        var working = Set<HouseholdID>()
        for s in seekers {
            guard let h = s.household else { continue }
            if s.status == .employed || placedOnDate[s.certificate.key] != nil { working.insert(h) }
        }
        return Set(households.filter { $0.employedMembers == 0 && !working.contains($0.id) }.map(\.id))
    }

    /// Whether `household` is a zero-employment household on d.
    public func isZeroEmployment(_ household: HouseholdID) -> Bool { zeroEmployment.contains(household) }

    /// Why `seeker` is a priority seeker (empty when not): a `dibao`,
    /// `poverty_alleviated` or `monitored` flag on the seeker or the
    /// household, or a `college`, `bachelor` or `postgraduate` graduated in the
    /// run's year or the `priorityGraduateYears − 1` before. Example: on a
    /// 2026 run with the default window, 2024–2026 graduates count, 2023 not.
    public func priorityReasons(of seeker: Seeker) -> [PriorityReason] {
        var out = SupportFlag.allCases.filter { seeker.flags.contains($0) }.map(PriorityReason.seekerFlag)
        if let h = seeker.household.flatMap(household) {
            out += SupportFlag.allCases.filter { h.flags.contains($0) }.map(PriorityReason.householdFlag)
        }
        if let e = seeker.education, e.isHigherEducation, let y = seeker.graduationYear,
           y <= date.year, y > date.year - policy.priorityGraduateYears {
            out.append(.recentGraduate(e, year: y))
        }
        return out
    }

    /// Whether `seeker` is a priority seeker (P).
    public func isPriority(_ seeker: Seeker) -> Bool { !priorityReasons(of: seeker).isEmpty }

    /// The tiers `seeker` counts for when assigned: H if in a zero-employment household, P if priority.
    public func tiers(of seeker: Seeker) -> [PriorityTier] {
        var t: [PriorityTier] = []
        if let h = seeker.household, isZeroEmployment(h) { t.append(.household) }
        if isPriority(seeker) { t.append(.priority) }
        return t
    }
}
