import Domain

/// Typed readers over the policy book for the quota module. Each returns the
/// value with the row it came from, so every figure can name what it rests on.
extension PolicyBook {
    func integer(_ key: String, _ j: String, _ d: CivilDate) throws(PolicyError) -> (Int, ParameterUse) {
        let p = try parameter(key, jurisdiction: j, on: d)
        guard let v = Int(p.value.trimmingSpaces) else { throw .malformed(key: key, value: p.value, expected: "an integer") }
        return (v, ParameterUse(p))
    }

    func rational(_ key: String, _ j: String, _ d: CivilDate) throws(PolicyError) -> (Rational, ParameterUse) {
        let (v, p) = try decimal(key, jurisdiction: j, on: d)
        return (v, ParameterUse(p))
    }

    func text(_ key: String, _ j: String, _ d: CivilDate) throws(PolicyError) -> (String, ParameterUse) {
        let p = try parameter(key, jurisdiction: j, on: d)
        return (p.value.trimmingSpaces, ParameterUse(p))
    }

    func boolean(_ key: String, _ j: String, _ d: CivilDate) throws(PolicyError) -> (Bool, ParameterUse) {
        let p = try parameter(key, jurisdiction: j, on: d)
        switch p.value.trimmingSpaces.lowercased() {
        case "true", "1", "yes": return (true, ParameterUse(p))
        case "false", "0", "no": return (false, ParameterUse(p))
        default: throw .malformed(key: key, value: p.value, expected: "true or false")
        }
    }

    /// A `;`-separated list.
    func list(_ key: String, _ j: String, _ d: CivilDate) throws(PolicyError) -> ([String], ParameterUse) {
        let (t, u) = try text(key, j, d)
        return (t.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }, u)
    }

    /// The value only when a row is in force, else nil (for rules that lapse,
    /// such as the 2020–2027 levy reductions).
    func ifPresent<T>(_ key: String, _ j: String, _ d: CivilDate,
                      _ read: (String, String, CivilDate) throws(PolicyError) -> (T, ParameterUse)) throws(PolicyError) -> (T, ParameterUse)? {
        guard optionalParameter(key, jurisdiction: j, on: d) != nil else { return nil }
        return try read(key, j, d)
    }

    /// The lowest monthly minimum wage in force on any day from `start` through
    /// `end` for the tier of `jurisdiction` (POLICY.md §2, `below_minimum_wage`).
    /// The tier comes from `minimum_wage.tier` (looked up through the
    /// jurisdiction's lineage, so a town can override its district), the amount
    /// from `minimum_wage.monthly.tier<n>`. If the tier changes during the
    /// period, every tier in force is considered and the lowest amount wins.
    public func lowestMinimumWage(_ j: String, from start: CivilDate, through end: CivilDate) throws(PolicyError) -> (Rational, [ParameterUse]) {
        let tiers = parameters("minimum_wage.tier", jurisdiction: j, from: start, through: end)
        guard !tiers.isEmpty else { throw .missing(key: "minimum_wage.tier", jurisdiction: j, date: start) }
        var lowest: (Rational, ParameterUse)? = nil
        var uses = tiers.map(ParameterUse.init)
        for t in tiers {
            guard let tier = Int(t.value.trimmingSpaces) else { throw .malformed(key: t.key, value: t.value, expected: "a tier number") }
            let key = "minimum_wage.monthly.tier\(tier)"
            let rows = parameters(key, jurisdiction: j, from: Swift.max(start, t.validFrom), through: Swift.min(end, t.validTo ?? end))
            guard !rows.isEmpty else { throw .missing(key: key, jurisdiction: j, date: start) }
            for r in rows {
                guard let v = Rational(decimal: r.value.trimmingSpaces) else { throw .malformed(key: key, value: r.value, expected: "a decimal") }
                if lowest == nil || v < lowest!.0 { lowest = (v, ParameterUse(r)) }
            }
        }
        // Keep the row that set the minimum first, then the tier rows: the worksheet shows the amount first.
        uses.insert(lowest!.1, at: 0)
        return (lowest!.0, uses)
    }
}
