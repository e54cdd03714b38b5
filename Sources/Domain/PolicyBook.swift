/// How far a parameter's value can be trusted (POLICY.md: every trace shows it).
public enum ParameterStatus: String, CodedValue {
    /// Checked against the official text.
    case verified
    /// From a secondary source (statistics yearbook, a news report of the rule).
    case secondary
    /// No source was found; a stand-in until the center supplies the real value.
    case placeholder
    public var code: String { rawValue }
    public var label: String { switch self { case .verified: "已核实"; case .secondary: "二手来源"; case .placeholder: "占位值" } }
}

/// One dated value of a policy parameter for a jurisdiction.
///
/// A change of policy is a new row with a later `validFrom`, never an edit of
/// history, so that a stored review can always show what it rested on.
public struct PolicyParameter: Hashable, Sendable {
    /// Dotted key, e.g. `quota.ratio`, `minimum_wage.monthly.tier1`.
    public var key: String
    /// Jurisdiction code, most general first: `CN`, `CN-41` (Henan), `CN-41-4103`
    /// (Luoyang), `CN-41-4103-410307` (Yanshi); `JP`, `DE`.
    public var jurisdiction: String
    public var validFrom: CivilDate
    /// Last day in force, or nil while in force.
    public var validTo: CivilDate?
    /// The value as text: a decimal (`0.016`), a code, or a small table the
    /// parameter's reader documents.
    public var value: String
    public var source: String
    public var status: ParameterStatus
    public init(key: String, jurisdiction: String, validFrom: CivilDate, validTo: CivilDate? = nil,
                value: String, source: String, status: ParameterStatus) {
        self.key = key; self.jurisdiction = jurisdiction; self.validFrom = validFrom; self.validTo = validTo
        self.value = value; self.source = source; self.status = status
    }
    /// Whether the value is in force on `date`.
    public func isInForce(on date: CivilDate) -> Bool {
        validFrom <= date && (validTo.map { date <= $0 } ?? true)
    }
}

/// Why a parameter could not be read.
public enum PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(key: String, jurisdiction: String, date: CivilDate)
    case malformed(key: String, value: String, expected: String)
    public var description: String {
        switch self {
        case .missing(let k, let j, let d): "policy parameter \(k) is not in force for \(j) on \(d)"
        case .malformed(let k, let v, let e): "policy parameter \(k) has value \(v); expected \(e)"
        }
    }
}

/// The policy book: every parameter row, looked up by key, jurisdiction and date.
///
/// Lookup walks from the given jurisdiction to its parents (`CN-41-4103-410307`
/// → `CN-41-4103` → `CN-41` → `CN`), so a district inherits its province's
/// rules and overrides only what differs.
public struct PolicyBook: Sendable {
    /// Rows by key.
    let rows: [String: [PolicyParameter]]

    public init(_ parameters: [PolicyParameter]) {
        rows = Dictionary(grouping: parameters, by: \.key)
    }

    /// Every row, for listing.
    public var allParameters: [PolicyParameter] {
        rows.values.flatMap { $0 }.sorted { ($0.key, $0.jurisdiction, $0.validFrom) < ($1.key, $1.jurisdiction, $1.validFrom) }
    }

    /// `CN-41-4103` → [`CN-41-4103`, `CN-41`, `CN`].
    public static func lineage(of jurisdiction: String) -> [String] {
        var chain = [jurisdiction]
        var j = Substring(jurisdiction)
        while let dash = j.lastIndex(of: "-") { j = j[..<dash]; chain.append(String(j)) }
        return chain
    }

    /// The row in force for `key` on `date`, from the most specific jurisdiction that has one.
    public func parameter(_ key: String, jurisdiction: String, on date: CivilDate) throws(PolicyError) -> PolicyParameter {
        if let candidates = rows[key] {
            for j in PolicyBook.lineage(of: jurisdiction) {
                // Latest valid_from wins when rows overlap: a correction supersedes. Rows
                // come in the order they were added, so on a tie the later row (a
                // correction for the same period) wins.
                if let p = candidates.filter({ $0.jurisdiction == j && $0.isInForce(on: date) })
                    .reduce(nil, { (best: PolicyParameter?, e: PolicyParameter) in best.map { e.validFrom >= $0.validFrom ? e : $0 } ?? e }) {
                    return p
                }
            }
        }
        throw .missing(key: key, jurisdiction: jurisdiction, date: date)
    }

    /// The row, or nil when none is in force.
    public func optionalParameter(_ key: String, jurisdiction: String, on date: CivilDate) -> PolicyParameter? {
        try? parameter(key, jurisdiction: jurisdiction, on: date)
    }

    /// A decimal parameter with its row (for traces).
    public func decimal(_ key: String, jurisdiction: String, on date: CivilDate) throws(PolicyError) -> (Rational, PolicyParameter) {
        let p = try parameter(key, jurisdiction: jurisdiction, on: date)
        guard let v = Rational(decimal: p.value) else { throw .malformed(key: key, value: p.value, expected: "a decimal") }
        return (v, p)
    }

    /// Every row in force on `date` for `jurisdiction` (inherited ones included), one per key.
    public func inForce(jurisdiction: String, on date: CivilDate) -> [PolicyParameter] {
        rows.keys.sorted().compactMap { optionalParameter($0, jurisdiction: jurisdiction, on: date) }
    }
}
