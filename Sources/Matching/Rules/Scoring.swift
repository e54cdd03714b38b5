// Scoring — the pair score S of CONTRACT.md §4: an integer 0…1000 per
// eligible pair, the sum of six named parts. Integer arithmetic only.
//
//   part          code            points   rule
//   ------------  --------------  -------  ------------------------------------------------
//   偏好技能       preferred_skills  0–250    250 × matched ÷ listed (floor); 125 when the
//                                          opening lists no preferred skill
//   距离           distance         0–250    same town 250, neighbouring town 150,
//                                          elsewhere within reach 50 (0 outside reach)
//   求职意向       intention        0–150    category named in the intentions 150,
//                                          no intentions (open to any) 75, else 0
//   文化程度       education        0–100    category wants no level 100; seeker's level
//                                          ≥ wanted 100, one below 50, lower 0; unknown 50
//   工资           wage             0–150    wage ≥ 1.2 × minimum wage 150 (10·w ≥ 12·m),
//                                          ≥ minimum 75, below 0; wage or minimum unknown 50
//   登记时长       registered       0–100    1 point per 10 full days registered by d,
//                                          capped at 100; unknown or future 0
//
// Maximum 250 + 250 + 150 + 100 + 150 + 100 = 1000. Required certificates
// and skills are not scored: E6 already demands them of every pair.
//
// Worked example (mirrored in RulesScoringTests): preferred skills {a, b, c}
// of which the seeker has a and c → 250·2/3 = 166; same town 250; intentions
// name the category 150; office wants senior, seeker is junior → 50; wage
// 2400 yuan against minimum 2000 (24000 ≥ 24000) → 150; registered 365 days
// → 36. Total 166 + 250 + 150 + 50 + 150 + 36 = 802.
import Domain

/// One named part of a pair score.
public struct ScorePart: Hashable, Sendable {
    /// Stable code: `preferred_skills`, `distance`, `intention`, `education`, `wage`, `registered`.
    public var code: String
    /// Chinese label: 偏好技能, 距离, 求职意向, 文化程度, 工资, 登记时长.
    public var label: String
    /// Points earned.
    public var points: Int
    /// Most points the part can give.
    public var maximum: Int
    /// Why these points, in plain Chinese (e.g. 具备偏好技能2/3项); no personal identifiers.
    public var detail: String
    /// Every field given.
    public init(code: String, label: String, points: Int, maximum: Int, detail: String = "") {
        self.code = code; self.label = label; self.points = points; self.maximum = maximum; self.detail = detail
    }
}

/// A pair's score: `total` (0…1000) is the sum of `parts`' points.
public struct PairScore: Hashable, Sendable {
    /// The score S of the pair.
    public var total: Int
    /// The named parts, in the fixed order of the formula.
    public var parts: [ScorePart]
    /// Builds a score from its parts; `total` is their sum.
    public init(parts: [ScorePart]) { self.parts = parts; self.total = parts.reduce(0) { $0 + $1.points } }
}

/// The pair score formula (see this file's header).
public enum Scoring {
    /// Most points of the preferred-skills part.
    public static let preferredSkillsMaximum = 250
    /// Distance points: same town, neighbour, elsewhere within reach.
    public static let distancePoints = (sameTown: 250, neighbour: 150, sameDistrict: 50)
    /// Intention points: category named, open to any.
    public static let intentionPoints = (named: 150, open: 75)
    /// Most points of the education part (and the "unknown" points).
    public static let educationPoints = (full: 100, oneBelow: 50, unknown: 50)
    /// Wage points: ≥ 1.2 × minimum, ≥ minimum, unknown.
    public static let wagePointsTable = (high: 150, atMinimum: 75, unknown: 50)
    /// Registration: days per point and the cap.
    public static let registeredDaysPerPoint = 10, registeredMaximum = 100

    /// The score of an (eligible) pair, with its parts.
    public static func score(seeker: Seeker, opening: Opening, context: MatchContext) -> PairScore {
        let skills = context.effectiveSkills(of: seeker)
        let preferred = Set(opening.preferredSkills)
        let matched = preferred.intersection(skills).count
        let p = preferredPoints(matched: matched, listed: preferred.count)
        let proximity = context.proximity(seekerTown: seeker.town, openingTown: opening.town)
        let dist = distancePoints(proximity)
        let named = seeker.intentions.contains(opening.category)
        let intent = seeker.intentions.isEmpty ? intentionPoints.open : named ? intentionPoints.named : 0
        let wanted = context.policy.educationWanted[opening.category]
        let edu = educationScore(seekerRank: seeker.education?.rank, wantedRank: wanted?.rank)
        let minimum = context.policy.minimumMonthlyWage
        let wage = wagePoints(wage: opening.monthlyWage, minimum: minimum)
        let reg = registeredPoints(registeredOn: seeker.registeredOn, date: context.date)

        let prefDetail = preferred.isEmpty ? "岗位未列偏好技能" : "具备偏好技能\(matched)/\(preferred.count)项"
        let intentDetail = seeker.intentions.isEmpty ? "未限定求职意向" : named ? "求职意向含该岗位类别" : "求职意向不含该岗位类别"
        let eduDetail: String
        switch (seeker.education, wanted) {
        case (_, nil): eduDetail = "该岗位类别对文化程度无特别要求"
        case (nil, let w?): eduDetail = "文化程度未登记，岗位期望\(w.label)及以上"
        case (let e?, let w?): eduDetail = "文化程度\(e.label)，岗位期望\(w.label)及以上"
        }
        let wageDetail: String
        switch (opening.monthlyWage, minimum) {
        case (nil, _): wageDetail = "岗位月工资未登记"
        case (_?, nil): wageDetail = "最低工资标准未提供"
        case (let w?, let m?): wageDetail = "月工资\(w)元，最低工资标准\(m)元"
        }
        let regDetail: String
        if let r = seeker.registeredOn, r <= context.date {
            regDetail = "已登记\(context.date.dayNumber - r.dayNumber)天"
        } else {
            regDetail = "登记日期未知"
        }
        return PairScore(parts: [
            ScorePart(code: "preferred_skills", label: "偏好技能", points: p, maximum: preferredSkillsMaximum, detail: prefDetail),
            ScorePart(code: "distance", label: "距离", points: dist, maximum: distancePoints.sameTown, detail: proximity.chinese),
            ScorePart(code: "intention", label: "求职意向", points: intent, maximum: intentionPoints.named, detail: intentDetail),
            ScorePart(code: "education", label: "文化程度", points: edu, maximum: educationPoints.full, detail: eduDetail),
            ScorePart(code: "wage", label: "工资", points: wage, maximum: wagePointsTable.high, detail: wageDetail),
            ScorePart(code: "registered", label: "登记时长", points: reg, maximum: registeredMaximum, detail: regDetail),
        ])
    }

    /// 250 × matched ÷ listed, floor; 125 when nothing is listed.
    public static func preferredPoints(matched: Int, listed: Int) -> Int {
        listed == 0 ? preferredSkillsMaximum / 2 : preferredSkillsMaximum * matched / listed
    }

    /// Points by proximity.
    public static func distancePoints(_ p: Proximity) -> Int {
        switch p {
        case .sameTown: distancePoints.sameTown; case .neighbour: distancePoints.neighbour
        case .sameDistrict: distancePoints.sameDistrict; case .elsewhere: 0
        }
    }

    /// Education points from ranks (`Education.rank`; nil = unknown / nothing wanted).
    public static func educationScore(seekerRank: Int?, wantedRank: Int?) -> Int {
        guard let wanted = wantedRank else { return educationPoints.full }
        guard let rank = seekerRank else { return educationPoints.unknown }
        if rank >= wanted { return educationPoints.full }
        return rank == wanted - 1 ? educationPoints.oneBelow : 0
    }

    /// Wage points: 10·wage ≥ 12·minimum → 150; wage ≥ minimum → 75; below → 0; unknown → 50.
    public static func wagePoints(wage: Fen?, minimum: Fen?) -> Int {
        guard let w = wage?.value, let m = minimum?.value else { return wagePointsTable.unknown }
        if w * 10 >= m * 12 { return wagePointsTable.high }
        return w >= m ? wagePointsTable.atMinimum : 0
    }

    /// One point per 10 full days from `registeredOn` to `date`, at most 100.
    public static func registeredPoints(registeredOn: CivilDate?, date: CivilDate) -> Int {
        guard let r = registeredOn, r <= date else { return 0 }
        return min(registeredMaximum, (date.dayNumber - r.dayNumber) / registeredDaysPerPoint)
    }

    /// The total only, on the dense arrays (same formula; tested equal to `score`).
    static func total(_ c: CompiledRun, seeker s: Int, opening o: Int) -> Int {
        let pref = c.openingPrefSkills[o]
        var t = preferredPoints(matched: CompiledRun.intersectionCount(pref, c.seekerSkills[s]), listed: pref.count)
        let st = c.seekerTown[s], ot = c.openingTown[o]
        if st == ot { t += distancePoints.sameTown }
        else if c.areNeighbours(st, ot) { t += distancePoints.neighbour }
        else if c.townParent[Int(st)] >= 0 && c.townParent[Int(st)] == c.townParent[Int(ot)] { t += distancePoints.sameDistrict }
        let intents = c.seekerIntentions[s]
        if intents.isEmpty { t += intentionPoints.open }
        else if intents.contains(c.openingCategory[o]) { t += intentionPoints.named }
        let wanted = c.openingEducationWanted[o], rank = c.seekerEducationRank[s]
        t += educationScore(seekerRank: rank < 0 ? nil : Int(rank), wantedRank: wanted < 0 ? nil : Int(wanted))
        t += Int(c.openingWagePoints[o]) + Int(c.seekerRegisteredPoints[s])
        return t
    }
}
