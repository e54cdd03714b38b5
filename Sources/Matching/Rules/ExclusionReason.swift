import Domain

/// The eight eligibility rules of CONTRACT.md §3, in the order they are checked.
public enum EligibilityRule: Int, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    case e1 = 1, e2, e3, e4, e5, e6, e7, e8

    /// Stable code for files and JSON: `e1_status`, `e2_age`, `e3_reach`,
    /// `e4_demand`, `e5_capacity`, `e6_requirements`, `e7_intention`, `e8_opening`.
    public var code: String {
        switch self {
        case .e1: "e1_status"; case .e2: "e2_age"; case .e3: "e3_reach"; case .e4: "e4_demand"
        case .e5: "e5_capacity"; case .e6: "e6_requirements"; case .e7: "e7_intention"; case .e8: "e8_opening"
        }
    }
    /// `E1` … `E8`.
    public var description: String { "E\(rawValue)" }
    /// The rule's short Chinese name.
    public var chinese: String {
        switch self {
        case .e1: "求职状态"; case .e2: "年龄"; case .e3: "招聘范围"; case .e4: "岗位要求与残疾类别等级"
        case .e5: "劳动能力"; case .e6: "证书与技能"; case .e7: "求职意向"; case .e8: "岗位开放与名额"
        }
    }
    public static func < (a: EligibilityRule, b: EligibilityRule) -> Bool { a.rawValue < b.rawValue }
}

/// Why a seeker may not be proposed for an opening: one broken rule with its
/// detail. Closed: every case belongs to exactly one rule.
///
/// Example: a man aged 60 against the working-age limit 59 is
/// `.tooOld(age: 60, max: 59)`, code `e2_age`, "年龄60岁，超过上限59岁".
public enum ExclusionReason: Hashable, Sendable, CustomStringConvertible {
    /// E1: the seeker's status is not `seeking`.
    case notSeeking(status: SeekerStatus)
    /// E1: the seeker has a placement active on the run's date.
    case alreadyPlaced(opening: OpeningID)
    /// E2: younger than max(16, the opening's `min_age`).
    case tooYoung(age: Int, min: Int)
    /// E2: older than min(the opening's `max_age`, working age for the seeker's sex).
    case tooOld(age: Int, max: Int)
    /// E3: the seeker's town is outside the opening's reach.
    case outOfReach(reach: Reach)
    /// E4: a demand of the opening fails for the seeker's category and grade.
    case demandFailed(Demand)
    /// E5: an assisted opening takes only assisted or partial capacity.
    case openingNeedsAssistedCapacity(capacity: WorkCapacity)
    /// E5: assisted capacity takes only assisted openings.
    case capacityNeedsAssistedOpening(kind: OpeningKind)
    /// E5: partial capacity takes a non-assisted opening only up to `max` hours a week.
    case tooManyHours(hours: Int, max: Int)
    /// E6: required certificates the seeker lacks (sorted).
    case missingCertificates([String])
    /// E6: required skills the seeker lacks (sorted).
    case missingSkills([String])
    /// E7: the seeker's intentions do not include the opening's category.
    case notInIntentions(category: String)
    /// E8: the opening opens after the run's date.
    case notOpenYet(from: CivilDate)
    /// E8: the opening closed before the run's date.
    case closed(until: CivilDate)
    /// E8: every slot is taken by placements active on the run's date.
    case noSlotsLeft(slots: Int)

    /// The rule this reason breaks.
    public var rule: EligibilityRule {
        switch self {
        case .notSeeking, .alreadyPlaced: .e1
        case .tooYoung, .tooOld: .e2
        case .outOfReach: .e3
        case .demandFailed: .e4
        case .openingNeedsAssistedCapacity, .capacityNeedsAssistedOpening, .tooManyHours: .e5
        case .missingCertificates, .missingSkills: .e6
        case .notInIntentions: .e7
        case .notOpenYet, .closed, .noSlotsLeft: .e8
        }
    }

    /// The stable code of the broken rule (`e2_age`, …).
    public var code: String { rule.code }

    /// A stable code of the detail, e.g. `too_old`, `demand_failed`.
    public var detailCode: String {
        switch self {
        case .notSeeking: "not_seeking"; case .alreadyPlaced: "already_placed"
        case .tooYoung: "too_young"; case .tooOld: "too_old"
        case .outOfReach: "out_of_reach"; case .demandFailed: "demand_failed"
        case .openingNeedsAssistedCapacity: "opening_needs_assisted_capacity"
        case .capacityNeedsAssistedOpening: "capacity_needs_assisted_opening"
        case .tooManyHours: "too_many_hours"
        case .missingCertificates: "missing_certificates"; case .missingSkills: "missing_skills"
        case .notInIntentions: "not_in_intentions"
        case .notOpenYet: "not_open_yet"; case .closed: "closed"; case .noSlotsLeft: "no_slots_left"
        }
    }

    /// One plain Chinese sentence for staff and for `explain`.
    public var chinese: String {
        switch self {
        case .notSeeking(let s): return "求职状态为“\(s.label)”，不在求职中"
        case .alreadyPlaced(let o): return "运行日已在岗位\(o)就业"
        case .tooYoung(let age, let min): return "年龄\(age)岁，低于下限\(min)岁"
        case .tooOld(let age, let max): return "年龄\(age)岁，超过上限\(max)岁"
        case .outOfReach(let r): return "岗位招聘范围为“\(r.label)”，求职者所在镇街不在范围内"
        case .demandFailed(let d): return "岗位要求“\(d.label)”，求职者的残疾类别和等级不满足"
        case .openingNeedsAssistedCapacity(let c):
            return "辅助性就业岗位只接收辅助性或部分劳动能力者，求职者劳动能力为“\(c.label)”"
        case .capacityNeedsAssistedOpening(let k):
            return "辅助性劳动能力者只安排辅助性就业岗位，该岗位为“\(k.label)”"
        case .tooManyHours(let h, let max): return "部分劳动能力者每周工时不超过\(max)小时，岗位为每周\(h)小时"
        case .missingCertificates(let c): return "缺少岗位要求的证书：\(c.joined(separator: "、"))"
        case .missingSkills(let s): return "缺少岗位要求的技能：\(s.joined(separator: "、"))"
        case .notInIntentions(let c):
            let name = JobCategory.seeded.first(where: { $0.code == c })?.name ?? c
            return "岗位类别“\(name)”不在求职意向内"
        case .notOpenYet(let d): return "岗位\(d)起才开放"
        case .closed(let d): return "岗位已于\(d)截止"
        case .noSlotsLeft(let n): return "岗位\(n)个名额已满"
        }
    }

    /// `e2_age: too_old` — for developers and test output (no personal data).
    public var description: String { "\(code): \(detailCode)" }
}
