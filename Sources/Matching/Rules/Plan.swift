import Domain

/// The four tiers of a run's objective (CONTRACT.md §4), maximised in order.
public struct MatchObjective: Hashable, Sendable {
    /// H: zero-employment households with at least one member assigned.
    public var households: Int
    /// P: priority seekers assigned.
    public var priority: Int
    /// N: assignments.
    public var placed: Int
    /// S: sum of the assigned pairs' scores.
    public var score: Int
    /// Every field given.
    public init(households: Int, priority: Int, placed: Int, score: Int) {
        self.households = households; self.priority = priority; self.placed = placed; self.score = score
    }
}

/// One reason in an explanation: a stable code and a Chinese sentence.
public struct PlanReason: Hashable, Sendable {
    /// Stable code, e.g. `tier_household`, `score_distance`, `e2_age`.
    public var code: String
    /// Plain Chinese, with no personal identifiers.
    public var chinese: String
    /// Both given.
    public init(code: String, chinese: String) { self.code = code; self.chinese = chinese }
}

/// A proposed placement.
public struct Proposal: Hashable, Sendable {
    /// The seeker's certificate key.
    public var certificateKey: String
    /// The opening proposed.
    public var openingID: OpeningID
    /// The pair's score with its parts.
    public var score: PairScore
    /// Why: tiers, priority reasons, requirements met, score parts.
    public var reasons: [PlanReason]
    /// The tiers (H, P) the seeker counts for.
    public var tiers: [PriorityTier]
}

/// Which tier kept a seat for the seeker who holds it rather than an
/// unmatched rival. It is read from the swap "rival in, holder out" on that
/// opening: the first of H, P, S the swap would lower. (N never changes in
/// such a swap, so it cannot decide one.)
public enum DecidingTier: String, Hashable, Sendable, CaseIterable {
    /// The swap would leave a zero-employment household without work.
    case household
    /// The swap would place one priority seeker fewer.
    case priority
    /// The swap would lower the score sum.
    case score
    /// The swap changes no tier: the run's fixed tie-break (by key) decided.
    case tie
    /// The swap would raise a tier: the assignment given was not optimal.
    case notOptimal = "not_optimal"

    /// Stable code.
    public var code: String { rawValue }
    /// Chinese.
    public var chinese: String {
        switch self {
        case .household: "零就业家庭优先"; case .priority: "重点帮扶对象优先"; case .score: "匹配分更高"
        case .tie: "各层级相同，按固定顺序确定"; case .notOptimal: "未能由任何层级解释（分配并非最优）"
        }
    }
}

/// A seeker holding a slot an unmatched seeker was eligible for.
public struct Holder: Hashable, Sendable {
    /// The holder's certificate key.
    public var certificateKey: String
    /// Which tier decided between the holder and the unmatched seeker.
    public var decidedBy: DecidingTier
}

/// An eligible opening of an unmatched seeker, with who holds its slots.
public struct Competition: Hashable, Sendable {
    /// The opening.
    public var openingID: OpeningID
    /// The seekers assigned to it, by certificate key.
    public var holders: [Holder]
}

/// A nearby opening and the first rule that excluded the seeker from it.
public struct NearestOpening: Hashable, Sendable {
    /// The opening.
    public var openingID: OpeningID
    /// How near its town is.
    public var proximity: Proximity
    /// The first rule broken (in order E1…E8).
    public var reason: ExclusionReason
}

/// Why an E1-admitted seeker got nothing.
public enum UnmatchedReason: Hashable, Sendable {
    /// No opening admits the seeker; up to 3 nearest openings (same town,
    /// neighbours, district; then by id) with the first rule that excluded each.
    case noEligibleOpening(nearest: [NearestOpening])
    /// Every eligible opening is taken; for each, who holds it and why.
    case outcompeted([Competition])
    /// `no_eligible_opening` or `outcompeted` (CONTRACT.md §4).
    public var code: String {
        switch self { case .noEligibleOpening: "no_eligible_opening"; case .outcompeted: "outcompeted" }
    }
}

/// An E1-admitted seeker the run did not assign.
public struct Unmatched: Hashable, Sendable {
    /// The seeker's certificate key.
    public var certificateKey: String
    /// Why.
    public var reason: UnmatchedReason
    /// The reason in plain Chinese (certificate numbers masked).
    public var detail: String
}

/// A seeker E1 refused: not a candidate of the run, and not "unmatched".
public struct NotCandidate: Hashable, Sendable {
    /// The seeker's certificate key.
    public var certificateKey: String
    /// The E1 reason.
    public var reason: ExclusionReason
}

/// Why an assignment could not be turned into a plan (a solver bug).
public enum PlanError: Error, Hashable, Sendable {
    /// `openingOf` must have one entry per problem seeker.
    case wrongLength(expected: Int, actual: Int)
    /// The seeker at `seeker` was given an opening it is not eligible for.
    case notEligible(seeker: Int, opening: Int32)
    /// More seekers than slots left were given `opening`.
    case overCapacity(opening: Int)
}

/// A run's result: proposals and unmatched seekers with explanations, and
/// the objective reached. Every list is sorted by certificate key; the same
/// data and assignment give the same plan whatever the input order.
public struct MatchPlan: Hashable, Sendable {
    /// The run's date.
    public let date: CivilDate
    /// Proposals, by certificate key.
    public let proposals: [Proposal]
    /// E1-admitted seekers not assigned, by certificate key.
    public let unmatched: [Unmatched]
    /// Seekers E1 refused, by certificate key.
    public let notCandidates: [NotCandidate]
    /// H, P, N, S.
    public let objective: MatchObjective
    /// Masked names by certificate key (never the full name).
    let maskedNames: [String: String]
    /// Short opening descriptions (`O1（乡村保洁员，甲镇）`) for explanations.
    let openingLabels: [OpeningID: String]

    /// Builds the plan of `problem` (made from `context`) under `openingOf`:
    /// per problem seeker, the position of its opening or -1.
    public init(context: MatchContext, problem: MatchProblemData, openingOf: [Int32]) throws(PlanError) {
        let n = problem.seekers.count
        guard openingOf.count == n else { throw .wrongLength(expected: n, actual: openingOf.count) }
        var holders = [[Int]](repeating: [], count: problem.openings.count)
        var pairOf = [Int](repeating: -1, count: n)
        for i in 0..<n where openingOf[i] >= 0 {
            let j = openingOf[i]
            let row = Int(problem.seekerStart[i])..<Int(problem.seekerStart[i + 1])
            guard let k = row.first(where: { problem.opening[$0] == j }) else { throw .notEligible(seeker: i, opening: j) }
            pairOf[i] = k
            holders[Int(j)].append(i)
        }
        for (j, h) in holders.enumerated() where h.count > problem.openings[j].slotsLeft { throw .overCapacity(opening: j) }

        // Objective.
        var assignedInHousehold = [Int](repeating: 0, count: problem.householdCount)
        var objective = MatchObjective(households: 0, priority: 0, placed: 0, score: 0)
        for i in 0..<n where pairOf[i] >= 0 {
            objective.placed += 1
            objective.score += Int(problem.score[pairOf[i]])
            if problem.priority[i] { objective.priority += 1 }
            let h = Int(problem.zeroEmploymentHousehold[i])
            if h >= 0 { assignedInHousehold[h] += 1 }
        }
        objective.households = assignedInHousehold.filter { $0 > 0 }.count
        self.objective = objective
        date = context.date

        let c = context.compiled
        func seeker(_ i: Int) -> Seeker { c.seekers[Int(c.seekerIndex[problem.seekers[i].certificateKey]!)] }
        func openingRecord(_ j: Int) -> Opening { c.openings[Int(c.openingIndex[problem.openings[j].id]!)] }
        let regionNames = Dictionary(context.input.snapshot.regions.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var labels: [OpeningID: String] = [:]
        func label(_ o: Opening) {
            if labels[o.id] == nil {
                labels[o.id] = "\(o.id)（\(context.categoryName(o.category))，\(regionNames[o.town] ?? o.town.value)）"
            }
        }
        var names: [String: String] = [:]

        // Proposals.
        var proposals: [Proposal] = []
        for i in 0..<n where pairOf[i] >= 0 {
            let s = seeker(i), o = openingRecord(Int(openingOf[i]))
            let score = Scoring.score(seeker: s, opening: o, context: context)
            assert(score.total == Int(problem.score[pairOf[i]]), "fast and reference scores differ")
            let tiers = context.tiers(of: s)
            var reasons: [PlanReason] = []
            if tiers.contains(.household) {
                reasons.append(PlanReason(code: "tier_household", chinese: "零就业家庭成员，安置后家庭实现就业"))
            }
            let why = context.priorityReasons(of: s)
            if !why.isEmpty {
                reasons.append(PlanReason(code: "tier_priority",
                                          chinese: "重点帮扶对象：" + why.map(\.chinese).joined(separator: "、")))
            }
            reasons.append(PlanReason(code: "eligible", chinese: "满足全部资格条件（E1–E8）"))
            if !o.requiredCertificates.isEmpty || !o.requiredSkills.isEmpty {
                let all = Set(o.requiredCertificates).sorted() + Set(o.requiredSkills).sorted()
                reasons.append(PlanReason(code: "requirements_met", chinese: "具备岗位要求的证书和技能：" + all.joined(separator: "、")))
            }
            for p in score.parts {
                reasons.append(PlanReason(code: "score_" + p.code, chinese: "\(p.label)\(p.points)/\(p.maximum)分：\(p.detail)"))
            }
            proposals.append(Proposal(certificateKey: s.certificate.key, openingID: o.id, score: score, reasons: reasons, tiers: tiers))
            names[s.certificate.key] = Masking.name(s.name)
            label(o)
        }

        // Unmatched.
        let nearest = NearestIndex(c)
        var unmatched: [Unmatched] = []
        for i in 0..<n where pairOf[i] < 0 {
            let s = seeker(i)
            names[s.certificate.key] = Masking.name(s.name)
            let row = Int(problem.seekerStart[i])..<Int(problem.seekerStart[i + 1])
            if row.isEmpty {
                // The seeker has no pair, so every opening names a first reason.
                let near = nearest.openings(near: s.town, count: 3).compactMap { o in
                    Eligibility.firstReason(seeker: s, opening: o, context: context).map {
                        NearestOpening(openingID: o.id, proximity: context.proximity(seekerTown: s.town, openingTown: o.town),
                                       reason: $0)
                    }
                }
                near.forEach { label(c.openings[Int(c.openingIndex[$0.openingID]!)]) }
                let text = near.isEmpty ? "没有符合条件的岗位，区内也没有其他岗位"
                    : "没有符合条件的岗位。最近的岗位：" + near.map {
                        "\(labels[$0.openingID]!)（\($0.proximity.chinese)）\($0.reason.rule)\($0.reason.rule.chinese)不符：\($0.reason.chinese)"
                    }.joined(separator: "；")
                unmatched.append(Unmatched(certificateKey: s.certificate.key, reason: .noEligibleOpening(nearest: near), detail: text))
                continue
            }
            var competitions: [Competition] = []
            var lines: [String] = []
            for k in row {
                let j = Int(problem.opening[k])
                let list = holders[j].map { t -> Holder in
                    // The swap "s in, t out" on opening j.
                    var dH = 0
                    let hs = Int(problem.zeroEmploymentHousehold[i]), ht = Int(problem.zeroEmploymentHousehold[t])
                    if hs != ht {
                        if ht >= 0 && assignedInHousehold[ht] == 1 { dH -= 1 }
                        if hs >= 0 && assignedInHousehold[hs] == 0 { dH += 1 }
                    }
                    let dP = (problem.priority[i] ? 1 : 0) - (problem.priority[t] ? 1 : 0)
                    let dS = Int(problem.score[k]) - Int(problem.score[pairOf[t]])
                    let tier: DecidingTier
                    if dH != 0 { tier = dH < 0 ? .household : .notOptimal }
                    else if dP != 0 { tier = dP < 0 ? .priority : .notOptimal }
                    else if dS != 0 { tier = dS < 0 ? .score : .notOptimal }
                    else { tier = .tie }
                    return Holder(certificateKey: problem.seekers[t].certificateKey, decidedBy: tier)
                }
                let o = openingRecord(j)
                label(o)
                competitions.append(Competition(openingID: o.id, holders: list))
                let who = list.map { h in
                    "\(Masking.identifier(h.certificateKey))（\(h.decidedBy.chinese)）"
                }.joined(separator: "、")
                lines.append("\(labels[o.id]!)由\(who.isEmpty ? "无人" : who)取得")
            }
            unmatched.append(Unmatched(certificateKey: s.certificate.key, reason: .outcompeted(competitions),
                                       detail: "符合条件的岗位已由他人取得：" + lines.joined(separator: "；")))
        }

        var refused: [NotCandidate] = []
        for s in c.seekers {
            if let r = Eligibility.e1(seeker: s, context: context).first {
                refused.append(NotCandidate(certificateKey: s.certificate.key, reason: r))
                names[s.certificate.key] = Masking.name(s.name)
            }
        }
        self.proposals = proposals
        self.unmatched = unmatched
        self.notCandidates = refused
        maskedNames = names
        openingLabels = labels
    }

    /// Why `certificateKey` got what they got, in plain Chinese, for
    /// `explain --seeker`: name and certificate masked (CONTRACT.md §5).
    public func explainChinese(seeker certificateKey: String) -> String {
        let key = String(certificateKey.prefix(20))
        let who = "求职者：\(maskedNames[key] ?? "（未知）")（\(Masking.identifier(key))）"
        var lines = [who, "运行日期：\(date)"]
        if let p = proposals.first(where: { $0.certificateKey == key }) {
            lines.append("结果：推荐岗位 \(openingLabels[p.openingID] ?? p.openingID.value)，匹配分 \(p.score.total)/1000。")
            lines.append("理由：")
            lines += p.reasons.map { "  - " + $0.chinese }
        } else if let u = unmatched.first(where: { $0.certificateKey == key }) {
            switch u.reason {
            case .noEligibleOpening(let near):
                lines.append("结果：未安排岗位（原因：没有符合条件的岗位）。")
                if near.isEmpty { lines.append("区内没有其他岗位。") } else {
                    lines.append("离得最近的岗位及不符合的条件：")
                    lines += near.map {
                        "  - \(openingLabels[$0.openingID] ?? $0.openingID.value)，\($0.proximity.chinese)：\($0.reason.rule) \($0.reason.rule.chinese)——\($0.reason.chinese)"
                    }
                }
            case .outcompeted(let list):
                lines.append("结果：未安排岗位（原因：符合条件的岗位已由他人取得）。")
                for c in list {
                    let who = c.holders.map {
                        "\(maskedNames[$0.certificateKey].map { $0 + "，" } ?? "")\(Masking.identifier($0.certificateKey))——\($0.decidedBy.chinese)"
                    }
                    lines.append("  - \(openingLabels[c.openingID] ?? c.openingID.value)：" + (who.isEmpty ? "名额未用" : who.joined(separator: "；")))
                }
            }
        } else if let x = notCandidates.first(where: { $0.certificateKey == key }) {
            lines.append("结果：不参加本次匹配（\(x.reason.rule) \(x.reason.rule.chinese)）——\(x.reason.chinese)。")
        } else {
            lines = ["本次运行中没有证号为 \(Masking.identifier(key)) 的求职者。"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Openings by town for "nearest openings": same town, then neighbours, then
/// the rest of the district, each ring by id.
struct NearestIndex {
    let c: CompiledRun
    let byTown: [[Int32]]
    let childrenOf: [[Int32]]
    init(_ c: CompiledRun) {
        self.c = c
        var byTown = [[Int32]](repeating: [], count: c.towns.count)
        for (o, t) in c.openingTown.enumerated() { byTown[Int(t)].append(Int32(o)) }
        var children = [[Int32]](repeating: [], count: c.towns.count)
        for (t, p) in c.townParent.enumerated() where p >= 0 { children[Int(p)].append(Int32(t)) }
        self.byTown = byTown
        childrenOf = children
    }
    func openings(near town: RegionCode, count: Int) -> [Opening] {
        guard let t = c.townIndex[town] else { return [] }
        var out: [Int32] = Array(byTown[Int(t)].prefix(count))
        if out.count < count {
            let ring = c.townNeighbours[Int(t)].flatMap { byTown[Int($0)] }.sorted()
            out += ring.prefix(count - out.count)
        }
        if out.count < count, c.townParent[Int(t)] >= 0 {
            let skip = Set(c.townNeighbours[Int(t)] + [t])
            let ring = childrenOf[Int(c.townParent[Int(t)])].filter { !skip.contains($0) }.flatMap { byTown[Int($0)] }.sorted()
            out += ring.prefix(count - out.count)
        }
        return out.map { c.openings[Int($0)] }
    }
}
