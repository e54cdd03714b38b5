import Domain

/// Who receives a subsidy (POLICY.md §4).
public enum SubsidyBeneficiaryKind: String, Sendable, Hashable, Comparable, Encodable, CaseIterable {
    /// The placed person.
    case person
    /// The provider of a public-welfare post (the opening's employer).
    case postProvider = "post_provider"
    /// The employer (the opening's employer).
    case employer

    /// 个人 / 岗位开发单位 / 用人单位.
    public var label: String { switch self { case .person: "个人"; case .postProvider: "岗位开发单位"; case .employer: "用人单位" } }
    /// By code, for a stable order of totals.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// One placement to assess: the placement, its opening and the person placed.
public struct SubsidyCase: Hashable, Sendable {
    /// The placement (start, end, wage, contract months).
    public var placement: Placement
    /// Its opening (kind, town, employer, wage).
    public var opening: Opening
    /// The person placed (birth date and sex for retirement).
    public var person: CertificateNumber
    /// A case from its three parts.
    public init(placement: Placement, opening: Opening, person: CertificateNumber) {
        self.placement = placement; self.opening = opening; self.person = person
    }
}

/// What one programme owes for one placement in one month of Y, rounded once,
/// half up, to the fen (each monthly payment is a payment).
public struct SubsidyLine: Hashable, Sendable {
    /// Programme code, e.g. `welfare_post_wage`.
    public let programme: String
    /// The person placed.
    public let person: CertificateNumber
    /// The opening of the placement.
    public let opening: OpeningID
    /// The placement's start date (part of its key).
    public let placementStart: CivilDate
    /// Who receives it.
    public let beneficiaryKind: SubsidyBeneficiaryKind
    /// The beneficiary: an employer's credit code, for a post provider the employer or else the opening's town code, or the certificate key for a person.
    public let beneficiary: String
    /// Month of Y, 1–12.
    public let month: Int
    /// Month since the placement began, the start month being 1 (the 36-month limit counts these).
    public let monthIndex: Int
    /// The amount, rounded once, half up, to the fen.
    public let amount: Fen
    /// The monthly basis as people read it, e.g. `月最低工资 2000 × 1`.
    public let formula: String
    /// The parameter rows read.
    public let parameters: [ParameterUse]
    /// True when a row read is a placeholder.
    public let restsOnPlaceholder: Bool
}

/// A beneficiary's total for Y.
public struct SubsidyTotal: Hashable, Sendable {
    /// Who receives it.
    public let beneficiaryKind: SubsidyBeneficiaryKind
    /// Credit code, a post provider's town code, or certificate key.
    public let beneficiary: String
    /// The amount, rounded once, half up, to the fen.
    public let amount: Fen
    /// Number of monthly lines summed.
    public let lines: Int
    /// True when a row read is a placeholder.
    public let restsOnPlaceholder: Bool
}

/// The subsidies placements earn in Y (`jobmatch subsidies --year Y`).
public struct SubsidyStatement: Hashable, Sendable {
    /// The year Y.
    public let year: Int
    /// Per placement, programme and month, ordered by person, opening, start, programme, month.
    public let lines: [SubsidyLine]
    /// Per beneficiary, ordered by kind and beneficiary; they sum to the sum of the lines.
    public let totals: [SubsidyTotal]
    /// Placements a programme covers but cannot pay, because its beneficiary does
    /// not exist: staff must look at them. In the order of the lines.
    public var needsAttention: [SubsidyAttention] = []
}

/// A placement and programme that would be due but has nobody to pay (issue 12):
/// an employer's programme on an opening without an employer. Not paid; listed.
public struct SubsidyAttention: Hashable, Sendable {
    /// Why: `no_employer` — the opening has no employer to receive an employer's subsidy.
    public enum Reason: String, Sendable, Hashable, Encodable {
        case noEmployer = "no_employer"
        /// In words for staff.
        public var label: String {
            switch self { case .noEmployer: "岗位未登记用人单位，用人单位补贴无人可领；请补录岗位的用人单位（统一社会信用代码）后重算" }
        }
    }
    public let programme: String
    public let person: CertificateNumber
    public let opening: OpeningID
    public let placementStart: CivilDate
    public let reason: Reason
    /// The months of Y it would cover.
    public var months: [Int]
}

/// Subsidy programmes as data (POLICY.md §4). A programme `p` listed in
/// `subsidy.programmes` is described by rows `subsidy.<p>.…`:
///
/// | key | meaning |
/// | --- | --- |
/// | `beneficiary` | `person`, `post_provider` or `employer` |
/// | `opening_kinds` | opening kinds covered (`public_welfare;quota`) |
/// | `min_contract_months` | optional: contract of at least this many months (open-ended passes) |
/// | `min_wage_multiple` | optional: monthly wage ≥ multiple × monthly minimum wage |
/// | `basis` | `minimum_wage` (× `multiple`, default 1), `fixed` (`amount` yuan), `contribution` (`base_share` × `social_average_wage`(year + `base_year_offset`) ÷ 12 × Σ `rates`) |
/// | `max_months` | months from the placement's start month |
/// | `to_retirement_years` | if > 0 and the person's retirement date (2025 reform) is less than this many years after the start, the programme runs to retirement instead |
///
/// A month is due when the placement is active on at least one day of it
/// (before retirement, where that applies), in full: a placeholder reading
/// until the center supplies its pro-rating rule. Definitions and the minimum
/// wage are read as in force on the first active day of the month; the
/// minimum wage for the opening's town tier.
public enum SubsidyCalculator {
    /// Every line due in `year`, and totals per beneficiary.
    public static func due(year: Int, placements: [SubsidyCase], book: PolicyBook, jurisdiction: String) throws(PolicyError) -> SubsidyStatement {
        var lines: [SubsidyLine] = []
        var cache = ProgrammeCache(book: book, jurisdiction: jurisdiction)
        let ordered = placements.sorted {
            ($0.person.key, $0.opening.id.value, $0.placement.startDate.dayNumber) < ($1.person.key, $1.opening.id.value, $1.placement.startDate.dayNumber)
        }
        var attention: [SubsidyAttention] = []
        for c in ordered {
            var unpaid: [SubsidyLine] = []
            lines += try linesFor(c, year: year, book: book, jurisdiction: jurisdiction, cache: &cache, unpaid: &unpaid)
            for l in unpaid {
                if let i = attention.indices.last, attention[i].programme == l.programme, attention[i].opening == l.opening,
                   attention[i].person == l.person, attention[i].placementStart == l.placementStart {
                    attention[i].months.append(l.month)
                } else {
                    attention.append(SubsidyAttention(programme: l.programme, person: l.person, opening: l.opening,
                                                      placementStart: l.placementStart, reason: .noEmployer, months: [l.month]))
                }
            }
        }
        var sums: [String: (SubsidyBeneficiaryKind, String, Fen, Int, Bool)] = [:]
        for l in lines {
            let k = "\(l.beneficiaryKind.rawValue)|\(l.beneficiary)"
            let old = sums[k] ?? (l.beneficiaryKind, l.beneficiary, .zero, 0, false)
            sums[k] = (old.0, old.1, old.2 + l.amount, old.3 + 1, old.4 || l.restsOnPlaceholder)
        }
        let totals = sums.values.map { SubsidyTotal(beneficiaryKind: $0.0, beneficiary: $0.1, amount: $0.2, lines: $0.3, restsOnPlaceholder: $0.4) }
            .sorted { ($0.beneficiaryKind, $0.beneficiary) < ($1.beneficiaryKind, $1.beneficiary) }
        return SubsidyStatement(year: year, lines: lines, totals: totals, needsAttention: attention)
    }

    /// The same from `(placement, opening, person)` triples.
    public static func due(year: Int, placements: [(Placement, Opening, person: CertificateNumber)], book: PolicyBook,
                           jurisdiction: String) throws(PolicyError) -> SubsidyStatement {
        try due(year: year, placements: placements.map { SubsidyCase(placement: $0.0, opening: $0.1, person: $0.person) },
                book: book, jurisdiction: jurisdiction)
    }

    static func linesFor(_ c: SubsidyCase, year: Int, book: PolicyBook, jurisdiction j: String,
                         cache: inout ProgrammeCache) throws(PolicyError) -> [SubsidyLine] {
        var unpaid: [SubsidyLine] = []
        return try linesFor(c, year: year, book: book, jurisdiction: j, cache: &cache, unpaid: &unpaid)
    }

    /// The lines due, and in `unpaid` those with nobody to pay (no employer for an employer's programme).
    static func linesFor(_ c: SubsidyCase, year: Int, book: PolicyBook, jurisdiction j: String,
                         cache: inout ProgrammeCache, unpaid: inout [SubsidyLine]) throws(PolicyError) -> [SubsidyLine] {
        let p = c.placement
        let townJ = ReviewContext.townJurisdiction(j, c.opening.town)
        let retirement = try retirementDate(c.person, start: p.startDate, book: book, jurisdiction: j)
        var out: [SubsidyLine] = []
        for month in 1...12 {
            let monthStart = CivilDate(year: year, month: month, day: 1)!
            let monthEnd = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!
            let lo = Swift.max(p.startDate, monthStart)
            let hi = Swift.min(p.endDate ?? monthEnd, monthEnd)
            guard lo <= hi, let names = try cache.programmes(on: lo) else { continue }
            let monthIndex = (year * 12 + month) - (p.startDate.year * 12 + p.startDate.month) + 1
            for name in names {
                let def = try cache.programme(name, on: lo)
                guard def.kinds.contains(c.opening.kind.code) else { continue }
                var uses = def.uses
                // Duration: 36 months, or to retirement when it is near at the start.
                if def.toRetirementYears > 0, let (ret, retUses) = retirement,
                   ret < p.startDate.adding(months: def.toRetirementYears * 12) {
                    guard lo < ret else { continue }
                    uses += retUses
                } else {
                    guard monthIndex <= def.maxMonths else { continue }
                }
                if let minMonths = def.minContractMonths {
                    let ok = p.contractMonths.map { $0 >= minMonths }
                        ?? (p.endedEarly ? nil : p.endDate).map { p.startDate.adding(months: minMonths) <= $0.adding(days: 1) } ?? true
                    guard ok else { continue }
                }
                var minWage: (Rational, [ParameterUse])? = nil
                func minimumWage() throws(PolicyError) -> (Rational, [ParameterUse]) {
                    if let m = minWage { return m }
                    let m = try book.lowestMinimumWage(townJ, from: lo, through: lo)
                    minWage = m
                    return m
                }
                if let multiple = def.minWageMultiple {
                    guard let wage = p.monthlyWage ?? c.opening.monthlyWage else { continue }
                    let (mw, mu) = try minimumWage()
                    guard wage.yuan >= multiple * mw else { continue }
                    uses += mu
                }
                let amount: Rational
                let formula: String
                switch def.basis {
                case .minimumWage(let multiple):
                    let (mw, mu) = try minimumWage()
                    amount = multiple * mw; formula = "月最低工资 \(mw.text()) × \(multiple.text())"
                    uses += mu
                case .fixed(let a):
                    amount = a; formula = "定额 \(a.text())"
                case .contribution(let share, let offset, let rates):
                    let (saw, su) = try book.rational("social_average_wage", townJ, CivilDate.endOf(year: lo.year + offset))
                    let rate = rates.reduce(Rational.zero, +)
                    amount = saw * share / Rational(12) * rate
                    formula = "社会平均工资(\(lo.year + offset)) \(saw.text()) × \(share.text()) ÷ 12 × \(rate.text())"
                    uses.append(su)
                }
                // The beneficiary must exist: the person, the opening's employer, or — for a
                // post provider — the employer, else the town (镇街) where the post was
                // developed (public-welfare posts are the towns' own). An employer's
                // programme on an opening without an employer pays nobody: listed for staff.
                let beneficiary: String
                var payable = true
                switch def.beneficiary {
                case .person: beneficiary = c.person.key
                case .postProvider: beneficiary = c.opening.employer?.value ?? c.opening.town.value
                case .employer:
                    beneficiary = c.opening.employer?.value ?? ""
                    payable = c.opening.employer != nil
                }
                let line = (SubsidyLine(programme: name, person: c.person, opening: c.opening.id, placementStart: p.startDate,
                                       beneficiaryKind: def.beneficiary, beneficiary: beneficiary, month: month, monthIndex: monthIndex,
                                       amount: Fen(roundingYuan: amount), formula: formula, parameters: uses,
                                       restsOnPlaceholder: uses.contains(where: \.isPlaceholder)))
                if payable { out.append(line) } else { unpaid.append(line) }
            }
        }
        // One placement's lines grouped by programme (in the book's order), then by month.
        var rank: [String: Int] = [:]
        for l in out where rank[l.programme] == nil { rank[l.programme] = rank.count }
        return out.sorted { (rank[$0.programme]!, $0.month) < (rank[$1.programme]!, $1.month) }
    }

    /// The person's retirement date under the rule in force on their original
    /// retirement date (the 2025 reform only delays original dates from 2025-01),
    /// with the original age by sex from `retirement.original_age.<sex>` on the start date.
    static func retirementDate(_ person: CertificateNumber, start: CivilDate, book: PolicyBook,
                               jurisdiction j: String) throws(PolicyError) -> (CivilDate, [ParameterUse])? {
        let id = person.residentID
        guard let (age, au) = try book.ifPresent("retirement.original_age.\(id.sex.rawValue)", j, start, {
            (k, j, d) throws(PolicyError) in try book.integer(k, j, d)
        }) else { return nil }
        let original = id.birthDate.adding(months: age * 12)
        guard book.optionalParameter("retirement.reform.schedule", jurisdiction: j, on: original) != nil else { return (original, [au]) }
        let rule = try RetirementRule(book: book, jurisdiction: j, on: original)
        guard let date = rule.date(birth: id.birthDate, sex: id.sex, originalAge: age) else {
            throw .malformed(key: au.key, value: au.value, expected: "an original retirement age with a reform schedule")
        }
        let uses = [au] + [book.optionalParameter("retirement.reform.schedule", jurisdiction: j, on: original),
                           book.optionalParameter("retirement.reform.first_month", jurisdiction: j, on: original)].compactMap { $0.map(ParameterUse.init) }
        return (date, uses)
    }
}

/// A programme's definition as in force on a date.
struct ProgrammeDefinition {
    enum Basis {
        case minimumWage(Rational)
        case fixed(Rational)
        case contribution(share: Rational, yearOffset: Int, rates: [Rational])
    }
    let beneficiary: SubsidyBeneficiaryKind
    let kinds: Set<String>
    let minContractMonths: Int?
    let minWageMultiple: Rational?
    let basis: Basis
    let maxMonths: Int
    let toRetirementYears: Int
    let uses: [ParameterUse]

    init(_ name: String, book: PolicyBook, jurisdiction j: String, on d: CivilDate) throws(PolicyError) {
        let k = "subsidy.\(name)."
        var uses: [ParameterUse] = []
        func note<T>(_ r: (T, ParameterUse)) -> T { uses.append(r.1); return r.0 }
        func optional<T>(_ r: (T, ParameterUse)?) -> T? { r.map { uses.append($0.1); return $0.0 } }
        let b = note(try book.text(k + "beneficiary", j, d))
        guard let kind = SubsidyBeneficiaryKind(rawValue: b) else {
            throw .malformed(key: k + "beneficiary", value: b, expected: "person, post_provider or employer")
        }
        beneficiary = kind
        kinds = Set(note(try book.list(k + "opening_kinds", j, d)))
        minContractMonths = optional(try book.ifPresent(k + "min_contract_months", j, d) { (a, b, c) throws(PolicyError) in try book.integer(a, b, c) })
        minWageMultiple = optional(try book.ifPresent(k + "min_wage_multiple", j, d) { (a, b, c) throws(PolicyError) in try book.rational(a, b, c) })
        let basisCode = note(try book.text(k + "basis", j, d))
        switch basisCode {
        case "minimum_wage":
            basis = .minimumWage(optional(try book.ifPresent(k + "multiple", j, d) { (a, b, c) throws(PolicyError) in try book.rational(a, b, c) }) ?? .one)
        case "fixed":
            basis = .fixed(note(try book.rational(k + "amount", j, d)))
        case "contribution":
            let share = note(try book.rational(k + "base_share", j, d))
            let offset = note(try book.integer(k + "base_year_offset", j, d))
            let (items, ru) = try book.list(k + "rates", j, d)
            uses.append(ru)
            var rates: [Rational] = []
            for item in items {
                guard let v = item.split(separator: ":").last.flatMap({ Rational(decimal: $0) }) else {
                    throw .malformed(key: k + "rates", value: ru.value, expected: "name:rate;…")
                }
                rates.append(v)
            }
            basis = .contribution(share: share, yearOffset: offset, rates: rates)
        default:
            throw .malformed(key: k + "basis", value: basisCode, expected: "minimum_wage, fixed or contribution")
        }
        maxMonths = note(try book.integer(k + "max_months", j, d))
        toRetirementYears = optional(try book.ifPresent(k + "to_retirement_years", j, d) { (a, b, c) throws(PolicyError) in try book.integer(a, b, c) }) ?? 0
        self.uses = uses
    }
}

/// Programme definitions read once per programme and month.
struct ProgrammeCache {
    let book: PolicyBook
    let jurisdiction: String
    private var lists: [CivilDate: [String]?] = [:]
    private var definitions: [String: ProgrammeDefinition] = [:]

    init(book: PolicyBook, jurisdiction: String) { self.book = book; self.jurisdiction = jurisdiction }

    /// The programmes listed on `date` (nil when none is).
    mutating func programmes(on date: CivilDate) throws(PolicyError) -> [String]? {
        if let hit = lists[date] { return hit }
        let v = try book.ifPresent("subsidy.programmes", jurisdiction, date) { (a, b, c) throws(PolicyError) in try book.list(a, b, c) }?.0
        lists[date] = .some(v)
        return v
    }

    mutating func programme(_ name: String, on date: CivilDate) throws(PolicyError) -> ProgrammeDefinition {
        let key = "\(name)|\(date)"
        if let hit = definitions[key] { return hit }
        let d = try ProgrammeDefinition(name, book: book, jurisdiction: jurisdiction, on: date)
        definitions[key] = d
        return d
    }
}
