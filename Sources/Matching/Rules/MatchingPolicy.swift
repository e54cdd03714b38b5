import Domain

/// The policy parameters the matching rules read (CONTRACT.md §3–4), taken
/// from the policy book so that a center changes them as data, not code.
///
/// | field | policy key | contract default |
/// | --- | --- | --- |
/// | `workingAgeMin` | `working_age.min` | 16 |
/// | `workingAgeMaxMale` | `working_age.max.male` | 59 |
/// | `workingAgeMaxFemale` | `working_age.max.female` | 54 |
/// | `demandTable` | `demand.vision` … `demand.cognition` (see `DemandTable`) | CONTRACT §3 E4 |
/// | `partialCapacityMaxHours` | `capacity.partial.max_hours` | 30 |
/// | `priorityGraduateYears` | `priority.graduate_years` (optional) | 3: the run's year and the two before |
/// | `educationWanted` | `scoring.education_wanted` (optional, `office:senior;online_service:senior`) | `educationWantedDefault` |
/// | `minimumMonthlyWage` | given by the caller (the town tier's minimum wage) | nil: unknown |
public struct MatchingPolicy: Sendable, Hashable {
    /// Youngest working age (E2 lower bound before the opening's `min_age`).
    public var workingAgeMin: Int
    /// Oldest working age for men (E2).
    public var workingAgeMaxMale: Int
    /// Oldest working age for women (E2).
    public var workingAgeMaxFemale: Int
    /// Which disability category and grades fail each demand (E4).
    public var demandTable: DemandTable
    /// Hours a week above which a seeker of partial capacity is not proposed
    /// for a non-assisted opening (E5).
    public var partialCapacityMaxHours: Int
    /// How many calendar years count as "recent" for a graduate's priority
    /// (P): 3 means the run's year and the two before.
    public var priorityGraduateYears: Int
    /// The education level a job category wants, for the education score part;
    /// categories not listed want nothing in particular.
    public var educationWanted: [String: Education]
    /// The monthly minimum wage the wage score part compares against, or nil
    /// when unknown (then every wage earns the "unknown" points).
    public var minimumMonthlyWage: Fen?

    /// Graduate window default (run year and two before).
    public static let priorityGraduateYearsDefault = 3
    /// Education wanted by category, default: desk and online work want senior school.
    public static let educationWantedDefault: [String: Education] = [
        "office": .senior, "online_service": .senior, "livestream": .junior,
        "relief_assistant": .junior, "library_keeper": .junior, "massage_medical": .vocational,
    ]

    /// Every field given.
    public init(workingAgeMin: Int, workingAgeMaxMale: Int, workingAgeMaxFemale: Int, demandTable: DemandTable,
                partialCapacityMaxHours: Int, priorityGraduateYears: Int = MatchingPolicy.priorityGraduateYearsDefault,
                educationWanted: [String: Education] = MatchingPolicy.educationWantedDefault,
                minimumMonthlyWage: Fen? = nil) {
        self.workingAgeMin = workingAgeMin; self.workingAgeMaxMale = workingAgeMaxMale
        self.workingAgeMaxFemale = workingAgeMaxFemale; self.demandTable = demandTable
        self.partialCapacityMaxHours = partialCapacityMaxHours; self.priorityGraduateYears = priorityGraduateYears
        self.educationWanted = educationWanted; self.minimumMonthlyWage = minimumMonthlyWage
    }

    /// The contract's defaults (CONTRACT.md §3), for tests and examples; a run
    /// reads the policy book instead.
    public static let contractDefaults = MatchingPolicy(
        workingAgeMin: 16, workingAgeMaxMale: 59, workingAgeMaxFemale: 54, demandTable: .contractDefaults,
        partialCapacityMaxHours: 30)

    /// Reads the parameters in force for `jurisdiction` on `date`. A missing
    /// required key or a malformed value throws; `minimumMonthlyWage` is the
    /// caller's (it depends on the employer's town tier, which the caller knows).
    public init(book: PolicyBook, jurisdiction: String, date: CivilDate,
                minimumMonthlyWage: Fen? = nil) throws(PolicyError) {
        func integer(_ key: String) throws(PolicyError) -> Int {
            let p = try book.parameter(key, jurisdiction: jurisdiction, on: date)
            return try MatchingPolicy.parseInteger(p.value, key: key)
        }
        workingAgeMin = try integer("working_age.min")
        workingAgeMaxMale = try integer("working_age.max.male")
        workingAgeMaxFemale = try integer("working_age.max.female")
        partialCapacityMaxHours = try integer("capacity.partial.max_hours")
        if let p = book.optionalParameter("priority.graduate_years", jurisdiction: jurisdiction, on: date) {
            priorityGraduateYears = try MatchingPolicy.parseInteger(p.value, key: p.key)
        } else {
            priorityGraduateYears = MatchingPolicy.priorityGraduateYearsDefault
        }
        if let p = book.optionalParameter("scoring.education_wanted", jurisdiction: jurisdiction, on: date) {
            educationWanted = try MatchingPolicy.parseEducationWanted(p.value, key: p.key)
        } else {
            educationWanted = MatchingPolicy.educationWantedDefault
        }
        var failing: [Demand: [DisabilityCategory: Set<Int>]] = [:]
        for demand in Demand.allCases {
            let key = DemandTable.key(for: demand)
            let p = try book.parameter(key, jurisdiction: jurisdiction, on: date)
            failing[demand] = try DemandTable.parseRow(p.value, key: key)
        }
        demandTable = DemandTable(failing: failing)
        self.minimumMonthlyWage = minimumMonthlyWage
    }

    /// The oldest working age for `sex` (E2).
    public func workingAgeMax(for sex: Sex) -> Int { sex == .male ? workingAgeMaxMale : workingAgeMaxFemale }

    static func parseInteger(_ text: String, key: String) throws(PolicyError) -> Int {
        guard let r = Rational(decimal: text.trimmingSpaces), r.isInteger, let v = Int(exactly: r.numerator) else {
            throw .malformed(key: key, value: text, expected: "a whole number")
        }
        return v
    }

    static func parseEducationWanted(_ text: String, key: String) throws(PolicyError) -> [String: Education] {
        var out: [String: Education] = [:]
        for item in text.split(separator: ";") where !item.trimmingSpaces.isEmpty {
            let kv = item.split(separator: ":", omittingEmptySubsequences: false)
            guard kv.count == 2, let level = Education(codeOrLabel: kv[1].trimmingSpaces) else {
                throw .malformed(key: key, value: text, expected: "category:education;… e.g. office:senior")
            }
            out[kv[0].trimmingSpaces] = level
        }
        return out
    }
}

/// The demand table of CONTRACT.md §3 E4: for each demand, the disability
/// categories and grades (1 most severe … 4) for which it fails.
///
/// Encoding of a policy value (key `demand.<demand code>`, e.g.
/// `demand.fine_motor`): entries separated by `;`, each
/// `<category code>:<grades>`, where the category code is
/// `DisabilityCategory.code` (`vision, hearing, speech, physical,
/// intellectual, mental, multiple`) and grades are a comma-separated list of
/// single grades or ranges `a-b`, or `all` (= `1-4`). Spaces are ignored. An
/// empty value or `none` means the demand fails for nobody. Example — the
/// default of `demand.speech`: `speech:1-2;hearing:1;multiple:1-4`.
public struct DemandTable: Sendable, Hashable {
    /// Failing grades by demand and category.
    public var failing: [Demand: [DisabilityCategory: Set<Int>]]

    /// Wraps a table.
    public init(failing: [Demand: [DisabilityCategory: Set<Int>]]) { self.failing = failing }

    /// The policy key of a demand's row: `demand.vision`, `demand.fine_motor`, ….
    public static func key(for demand: Demand) -> String { "demand." + demand.code }

    /// Whether `demand` fails for a person of `category` and `grade`.
    public func fails(_ demand: Demand, category: DisabilityCategory, grade: Int) -> Bool {
        failing[demand]?[category]?.contains(grade) ?? false
    }

    /// The demands that fail for `category` and `grade`, as a bit mask over
    /// `Demand.allCases` order (bit 0 = vision).
    public func failMask(category: DisabilityCategory, grade: Int) -> UInt8 {
        var m: UInt8 = 0
        for (i, d) in Demand.allCases.enumerated() where fails(d, category: category, grade: grade) { m |= 1 << UInt8(i) }
        return m
    }

    /// Parses one row's value (see the type's documentation for the encoding).
    public static func parseRow(_ text: String, key: String) throws(PolicyError) -> [DisabilityCategory: Set<Int>] {
        let expected = "category:grades;… e.g. vision:1-3;multiple:1-4"
        let t = text.trimmingSpaces
        if t.isEmpty || t == "none" { return [:] }
        var out: [DisabilityCategory: Set<Int>] = [:]
        for entry in t.split(separator: ";") where !entry.trimmingSpaces.isEmpty {
            let kv = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard kv.count == 2, let category = DisabilityCategory(codeOrLabel: kv[0].trimmingSpaces) else {
                throw .malformed(key: key, value: text, expected: expected)
            }
            var grades = Set<Int>()
            for part in kv[1].split(separator: ",", omittingEmptySubsequences: false) {
                let p = part.trimmingSpaces
                if p == "all" { grades.formUnion(1...4); continue }
                let ends = p.split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(ends.count), let lo = Int(ends[0]), let hi = Int(ends[ends.count - 1]),
                      1 <= lo, lo <= hi, hi <= 4 else { throw .malformed(key: key, value: text, expected: expected) }
                grades.formUnion(lo...hi)
            }
            out[category, default: []].formUnion(grades)
        }
        return out
    }

    /// The canonical encoding of one demand's row (categories in code order 1–7,
    /// grades as merged ranges): `vision:1-3;multiple:1-4`.
    public func encodedRow(_ demand: Demand) -> String {
        let row = failing[demand] ?? [:]
        var entries: [String] = []
        for c in DisabilityCategory.allCases {
            guard let g = row[c], !g.isEmpty else { continue }
            var ranges: [String] = []
            var sorted = g.sorted()[...]
            while let lo = sorted.popFirst() {
                var hi = lo
                while sorted.first == hi + 1 { hi = sorted.removeFirst() }
                ranges.append(lo == hi ? "\(lo)" : "\(lo)-\(hi)")
            }
            entries.append("\(c.code):\(ranges.joined(separator: ","))")
        }
        return entries.isEmpty ? "none" : entries.joined(separator: ";")
    }

    /// The contract's default table (CONTRACT.md §3 E4), in the policy encoding.
    public static let contractDefaultRows: [Demand: String] = [
        .vision: "vision:1-3;multiple:1-4",
        .hearing: "hearing:1-2;multiple:1-4",
        .speech: "speech:1-2;hearing:1;multiple:1-4",
        .walking: "physical:1-2;multiple:1-4",
        .lifting: "physical:1-3;multiple:1-4",
        .fineMotor: "physical:1-2;vision:1-2;multiple:1-4",
        .cognition: "intellectual:1-3;mental:1-2;multiple:1-4",
    ]

    /// The contract's default table, parsed.
    public static let contractDefaults: DemandTable = {
        var f: [Demand: [DisabilityCategory: Set<Int>]] = [:]
        for (d, text) in contractDefaultRows { f[d] = try! parseRow(text, key: key(for: d)) }
        return DemandTable(failing: f)
    }()
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
