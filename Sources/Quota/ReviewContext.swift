import Domain

/// The parameters of one review year, read once for every employer.
///
/// Dates (POLICY.md §3): employment-year parameters (ratio, working age,
/// contract days, count mode) as in force on 31 December of Y, the minimum
/// wage as the lowest in force during Y, `social_average_wage` as the row in
/// force on 31 December of Y (one dated row per year); levy parameters (wage
/// cap multiple, reductions, exemption and its unit types) and the reward
/// rule as in force on 31 December of Y + 1, the levy year.
struct ReviewContext {
    /// A new graduate (应届高校毕业生) with more than this many months paid counts as a whole year (POLICY.md §2).
    static let newGraduateMonthsDefault = 6

    let year: Int
    let jurisdiction: String
    let yearStart: CivilDate
    let yearEnd: CivilDate
    let levyDate: CivilDate
    let book: PolicyBook

    let ratio: Rational, ratioUse: ParameterUse
    let minAge: Int, minAgeUse: ParameterUse
    let maxMale: Int, maxMaleUse: ParameterUse
    let maxFemale: Int, maxFemaleUse: ParameterUse
    let minContractDays: Int, minContractUse: ParameterUse
    let wholePerson: Bool, countModeUse: ParameterUse
    let newGraduateMonths = ReviewContext.newGraduateMonthsDefault
    let capMultiple: Rational, capUse: ParameterUse
    let socialAverageWage: Rational, socialAverageWageUse: ParameterUse
    let exemptMaxEmployees: (Int, ParameterUse)?
    let exemptTypes: [EmployerType: ParameterUse]
    let reduction: Reduction?
    let reward: RewardRule?
    private var minimumWageByTown: [RegionCode: (Rational, [ParameterUse])] = [:]

    /// The 2020–2027 tiers (财政部公告2019年第98号, 2023年第8号).
    struct Reduction {
        let lower: Rational, reduced: Rational, low: Rational
        let uses: [ParameterUse]
    }

    init(book: PolicyBook, jurisdiction j: String, year: Int) throws(PolicyError) {
        self.book = book; self.jurisdiction = j; self.year = year
        yearStart = .startOf(year: year); yearEnd = .endOf(year: year); levyDate = .endOf(year: year + 1)
        let d = yearEnd, l = levyDate
        (ratio, ratioUse) = try book.rational("quota.ratio", j, d)
        (minAge, minAgeUse) = try book.integer("working_age.min", j, d)
        (maxMale, maxMaleUse) = try book.integer("working_age.max.male", j, d)
        (maxFemale, maxFemaleUse) = try book.integer("working_age.max.female", j, d)
        (minContractDays, minContractUse) = try book.integer("count.min_contract_days", j, d)
        let (mode, modeUse) = try book.text("count.mode", j, d)
        switch mode {
        case "month_prorated": wholePerson = false
        case "whole_person": wholePerson = true
        default: throw .malformed(key: "count.mode", value: mode, expected: "month_prorated or whole_person")
        }
        countModeUse = modeUse
        (capMultiple, capUse) = try book.rational("levy.wage_cap_multiple", j, l)
        (socialAverageWage, socialAverageWageUse) = try book.rational("social_average_wage", j, d)
        exemptMaxEmployees = try book.ifPresent("levy.exempt.max_employees", j, l) { (k, j, d) throws(PolicyError) in try book.integer(k, j, d) }
        var types: [EmployerType: ParameterUse] = [:]
        if exemptMaxEmployees != nil {
            for key in ["levy.exempt_types", "levy.exempt_types.extra"] {
                guard let (codes, use) = try book.ifPresent(key, j, l, { (k, j, d) throws(PolicyError) in try book.list(k, j, d) }) else { continue }
                for code in codes {
                    guard let t = EmployerType(codeOrLabel: code) else { throw .malformed(key: key, value: use.value, expected: "employer type codes") }
                    types[t] = use
                }
            }
        }
        exemptTypes = types
        if let (lower, u1) = try book.ifPresent("levy.reduction.lower_ratio", j, l, { (k, j, d) throws(PolicyError) in try book.rational(k, j, d) }) {
            let (reduced, u2) = try book.rational("levy.reduction.factor.reduced", j, l)
            let (low, u3) = try book.rational("levy.reduction.factor.low", j, l)
            reduction = Reduction(lower: lower, reduced: reduced, low: low, uses: [u1, u2, u3])
        } else {
            reduction = nil
        }
        reward = try RewardRule(book: book, jurisdiction: j, on: l)
    }

    /// The lowest monthly minimum wage during Y for `town`'s tier, cached per town.
    mutating func minimumWage(town: RegionCode) throws(PolicyError) -> (Rational, [ParameterUse]) {
        if let hit = minimumWageByTown[town] { return hit }
        let v = try book.lowestMinimumWage(ReviewContext.townJurisdiction(jurisdiction, town), from: yearStart, through: yearEnd)
        minimumWageByTown[town] = v
        return v
    }

    /// `CN-41-4103-410307` + town `410307004` → `CN-41-4103-410307-410307004`, so
    /// a town-level row overrides the district's and lineage falls back to it.
    static func townJurisdiction(_ j: String, _ town: RegionCode) -> String {
        town.value.isEmpty ? j : "\(j)-\(town.value)"
    }
}
