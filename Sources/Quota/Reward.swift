import Domain

/// The 超比例 reward formula of a jurisdiction (POLICY.md §3), one of three kinds:
///
/// - `per_excess_person`: E′ × k × monthly minimum wage, E′ = E or ⌊E⌋
///   (`reward.whole_persons`), k = `reward.months`. Henan placeholder: E′ = E,
///   k = 6, so E = 3.12 at 2,000 yuan gives 3.12 × 6 × 2,000 = 37,440.00.
/// - `per_excess_person_fixed`: E′ × `reward.fixed_amount`.
/// - `per_new_placement`: for each qualifying row whose contract starts in Y
///   (a person newly hired in Y), an amount by disability category and grade
///   from `reward.per_new_placement.amounts`, the sum capped at
///   `reward.per_new_placement.cap` (Luoyang 2013: 4,000 / 3,000 / 2,000, cap 30,000).
///   A veteran row gets the `*:*` amount.
///
/// The rule is read from `reward.kind` as in force on 31 December of Y + 1;
/// no `reward.kind` row means no reward.
public enum RewardKind: String, Sendable, CaseIterable {
    case perExcessPerson = "per_excess_person"
    case perExcessPersonFixed = "per_excess_person_fixed"
    case perNewPlacement = "per_new_placement"
}

struct RewardRule {
    let kind: RewardKind
    let kindUse: ParameterUse
    var wholePersons: (Bool, ParameterUse)? = nil
    var months: (Rational, ParameterUse)? = nil
    var fixedAmount: (Rational, ParameterUse)? = nil
    var table: ([String: Rational], ParameterUse)? = nil
    var cap: (Rational, ParameterUse)? = nil

    init?(book: PolicyBook, jurisdiction j: String, on d: CivilDate) throws(PolicyError) {
        guard let (k, use) = try book.ifPresent("reward.kind", j, d, { (k, j, d) throws(PolicyError) in try book.text(k, j, d) }) else { return nil }
        guard let kind = RewardKind(rawValue: k) else {
            throw .malformed(key: "reward.kind", value: k, expected: RewardKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.kind = kind; kindUse = use
        switch kind {
        case .perExcessPerson:
            wholePersons = try book.boolean("reward.whole_persons", j, d)
            months = try book.rational("reward.months", j, d)
        case .perExcessPersonFixed:
            wholePersons = try book.boolean("reward.whole_persons", j, d)
            fixedAmount = try book.rational("reward.fixed_amount", j, d)
        case .perNewPlacement:
            table = try RewardRule.amountTable(book, j, d)
            cap = try book.rational("reward.per_new_placement.cap", j, d)
        }
    }

    /// `vision:1=4000;intellectual:*=3000;*:*=2000` → keys `vision:1`, `intellectual:*`, `*:*`.
    static func amountTable(_ book: PolicyBook, _ j: String, _ d: CivilDate) throws(PolicyError) -> ([String: Rational], ParameterUse) {
        let key = "reward.per_new_placement.amounts"
        let (items, use) = try book.list(key, j, d)
        var table: [String: Rational] = [:]
        for item in items {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let v = Rational(decimal: parts[1]) else {
                throw .malformed(key: key, value: use.value, expected: "category:grade=amount;…")
            }
            table[String(parts[0])] = v
        }
        guard table["*:*"] != nil else { throw .malformed(key: key, value: use.value, expected: "a *:* default amount") }
        return (table, use)
    }

    /// The exact reward in yuan, the formula text, its inputs and the rows read.
    func amount(excess e: Rational, minimumWage: Rational, minimumWageUses: [ParameterUse],
                rows: [(ParsedRow, RowVerdict)], year: Int) -> (Rational, String, [TraceInput], [ParameterUse]) {
        switch kind {
        case .perExcessPerson:
            let (whole, wu) = wholePersons!, (k, ku) = months!
            let ePrime = whole ? Rational(e.floor()) : e
            return (ePrime * k * minimumWage, whole ? "⌊E⌋ × 月数 × 月最低工资" : "E × 月数 × 月最低工资",
                    [TraceInput("E′", ePrime.text()), TraceInput("月数", k.text()),
                     TraceInput("月最低工资", minimumWage.text())],
                    [kindUse, wu, ku] + minimumWageUses)
        case .perExcessPersonFixed:
            let (whole, wu) = wholePersons!, (a, au) = fixedAmount!
            let ePrime = whole ? Rational(e.floor()) : e
            return (ePrime * a, whole ? "⌊E⌋ × 定额" : "E × 定额",
                    [TraceInput("E′", ePrime.text()), TraceInput("定额", a.text())], [kindUse, wu, au])
        case .perNewPlacement:
            let (t, tu) = table!, (capAmount, cu) = cap!
            var sum = Rational.zero
            var hired = 0
            for (p, v) in rows where v.qualifies {
                guard let start = p.row.contractStart, start.year == year else { continue }
                hired += 1
                var amount = t["*:*"]!
                if !p.isVeteran, let cert = try? CertificateNumber(p.number) {
                    amount = t["\(cert.category.code):\(cert.grade)"] ?? t["\(cert.category.code):*"] ?? amount
                }
                sum = sum + amount
            }
            return (Rational.min(sum, capAmount), "Σ 当年新安排人员按类别等级定额，单位封顶",
                    [TraceInput("当年新安排人数", String(hired)), TraceInput("合计", sum.text()),
                     TraceInput("封顶", capAmount.text())], [kindUse, tu, cu])
        }
    }
}
