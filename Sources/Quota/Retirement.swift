import Domain

/// Statutory retirement dates under the 2025 reform (《全国人民代表大会常务委员会
/// 关于实施渐进式延迟法定退休年龄的决定》, 2024-09-13, and its annex
/// 《国务院关于渐进式延迟法定退休年龄的办法》, in force from 2025-01-01).
///
/// From an original retirement age of 60 (men), 55 or 50 (women), the age
/// rises by one month for every 4 months (every 2 months for the 50 group)
/// of original retirement dates, counted from January 2025, up to 63, 58 and 55.
/// Whoever's original retirement month is December 2024 or earlier retires at
/// the original age.
///
/// Worked example: a man born 1966-05-15 had an original retirement month of
/// 2026-05, 16 months after 2025-01 → 16 ÷ 4 + 1 = 5 months' delay → 60 years
/// 5 months → 2026-10-15.
public struct RetirementRule: Hashable, Sendable {
    /// One original-age group's schedule.
    public struct Group: Hashable, Sendable {
        /// Original retirement age in years (60, 55, 50).
        public let originalAge: Int
        /// Months of original retirement dates per added month (4, or 2 for the 50 group).
        public let stepMonths: Int
        /// Highest retirement age in years (63, 58, 55).
        public let maxAge: Int
        /// A group: original age, months per added month, maximum age.
        public init(originalAge: Int, stepMonths: Int, maxAge: Int) {
            self.originalAge = originalAge; self.stepMonths = stepMonths; self.maxAge = maxAge
        }
    }

    /// The first original retirement month that is delayed (year, month).
    public let firstMonth: (year: Int, month: Int)
    /// Schedules by original age.
    public let groups: [Int: Group]

    /// The statute's values: from 2025-01; 60 → 4 → 63, 55 → 4 → 58, 50 → 2 → 55.
    public static let statutory = RetirementRule(firstMonth: (2025, 1), groups: [
        Group(originalAge: 60, stepMonths: 4, maxAge: 63), Group(originalAge: 55, stepMonths: 4, maxAge: 58),
        Group(originalAge: 50, stepMonths: 2, maxAge: 55),
    ])

    /// A rule from its first delayed month and its groups.
    public init(firstMonth: (year: Int, month: Int), groups: [Group]) {
        self.firstMonth = firstMonth
        self.groups = Dictionary(uniqueKeysWithValues: groups.map { ($0.originalAge, $0) })
    }

    /// Reads `retirement.reform.first_month` (`2025-01`) and
    /// `retirement.reform.schedule` (`60:4:63;55:4:58;50:2:55`, original age :
    /// step months : maximum age) as in force on `date`.
    public init(book: PolicyBook, jurisdiction j: String, on date: CivilDate) throws(PolicyError) {
        let (first, fu) = try book.text("retirement.reform.first_month", j, date)
        let ym = first.split(separator: "-").compactMap { Int($0) }
        guard ym.count == 2 else { throw .malformed(key: fu.key, value: first, expected: "YYYY-MM") }
        let (items, su) = try book.list("retirement.reform.schedule", j, date)
        var groups: [Group] = []
        for item in items {
            let n = item.split(separator: ":").compactMap { Int($0) }
            guard n.count == 3, n[1] > 0 else { throw .malformed(key: su.key, value: su.value, expected: "age:step:max;…") }
            groups.append(Group(originalAge: n[0], stepMonths: n[1], maxAge: n[2]))
        }
        self.init(firstMonth: (ym[0], ym[1]), groups: groups)
    }

    /// The retirement age in months, or nil when `originalAge` has no schedule
    /// or does not fit `sex` (men 60; women 55 or 50).
    public func ageInMonths(birth: CivilDate, sex: Sex, originalAge: Int) -> Int? {
        guard let g = groups[originalAge], (sex == .male) == (originalAge == 60) else { return nil }
        let original = (birth.year + originalAge) * 12 + (birth.month - 1)
        let first = firstMonth.year * 12 + (firstMonth.month - 1)
        var delay = 0
        if original >= first { delay = Swift.min((original - first) / g.stepMonths + 1, (g.maxAge - g.originalAge) * 12) }
        return originalAge * 12 + delay
    }

    /// The retirement date: the birth date plus the retirement age in months
    /// (a day past the month's end falls on its last day).
    public func date(birth: CivilDate, sex: Sex, originalAge: Int) -> CivilDate? {
        ageInMonths(birth: birth, sex: sex, originalAge: originalAge).map { birth.adding(months: $0) }
    }
}

/// Retirement dates by the statutory 2025 rule (`RetirementRule.statutory`).
public enum RetirementAge {
    /// The statutory retirement date; nil when `originalAge` does not fit
    /// `sex` (men 60; women 55 or 50). Man born 1965-01-15 → 2025-02-15.
    public static func date(birth: CivilDate, sex: Sex, originalAge: Int) -> CivilDate? {
        RetirementRule.statutory.date(birth: birth, sex: sex, originalAge: originalAge)
    }
}

extension RetirementRule {
    /// Equal when the first month and every group match.
    public static func == (a: RetirementRule, b: RetirementRule) -> Bool {
        a.firstMonth == b.firstMonth && a.groups == b.groups
    }
    /// Hashes what `==` compares.
    public func hash(into h: inout Hasher) { h.combine(firstMonth.year); h.combine(firstMonth.month); h.combine(groups) }
}
