// Period lookups on the policy book, added for the quota review (POLICY.md §2:
// "the lowest monthly minimum wage in force during Y").

extension PolicyBook {
    /// Every row of `key` that is in force for `jurisdiction` on at least one day
    /// from `start` through `end`, in the order they take effect.
    ///
    /// Computed exactly as `parameter(_:jurisdiction:on:)` would answer on each
    /// day of the period, but evaluated only on the days where an answer can
    /// change (the period's start and each row's `valid_from` and day after
    /// `valid_to` inside it), so lineage and "latest `valid_from` wins" hold.
    /// Example: `minimum_wage.monthly.tier1` for CN-41 during 2022 gives the
    /// 2,000-yuan row only; during 2021–2022, the 1,900 and 2,000 rows.
    public func parameters(_ key: String, jurisdiction: String, from start: CivilDate, through end: CivilDate) -> [PolicyParameter] {
        guard start <= end, let candidates = rows[key] else { return [] }
        var days: Set<CivilDate> = [start]
        for p in candidates {
            if p.validFrom > start && p.validFrom <= end { days.insert(p.validFrom) }
            if let to = p.validTo {
                let after = to.adding(days: 1)
                if after > start && after <= end { days.insert(after) }
            }
        }
        var seen: Set<PolicyParameter> = []
        var result: [PolicyParameter] = []
        for day in days.sorted() {
            if let p = optionalParameter(key, jurisdiction: jurisdiction, on: day), seen.insert(p).inserted {
                result.append(p)
            }
        }
        return result
    }
}
