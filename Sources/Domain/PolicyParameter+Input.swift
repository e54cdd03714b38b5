extension PolicyParameter {
    /// Why a dated row a person typed (the `policy add` command, the /policy
    /// form) cannot be added. Render words each.
    public enum InputProblem: Sendable, Hashable {
        case badKey(String)
        case badValue(key: String)
        case notANumber(key: String, value: String)
        case badFrom(String)
        case badUntil(String)
        case untilBeforeFrom(until: String, from: String)
        case noSource
        case badStatus(String)
        case badJurisdiction(String)
    }

    /// The rows were refused; nothing was added.
    public struct InputRejected: Error, Sendable {
        public let problems: [InputProblem]
    }

    /// Keys whose value is a number (Quota's Overview lists what it reads): a
    /// review must not find a word there later.
    public static let numericKeys = [
        "social_average_wage", "quota.ratio", "working_age.min", "working_age.max", "count.min_contract_days",
        "levy.wage_cap_multiple", "levy.reduction", "levy.exempt.max_employees", "minimum_wage.monthly", "reward.months",
    ]

    /// A parameter from typed text, trimmed; every problem at once.
    public static func validated(key: String, value: String, from: String, until: String?, source: String, status: String,
                                 jurisdiction: String) throws(InputRejected) -> PolicyParameter {
        var problems: [InputProblem] = []
        func trimmed(_ s: String) -> String {
            String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }
        let k = trimmed(key), v = trimmed(value)
        if k.isEmpty || k.count > 100 || k.contains(where: { $0.isWhitespace }) { problems.append(.badKey(key)) }
        if v.isEmpty || v.count > 200 { problems.append(.badValue(key: k)) }
        let start = CivilDate(iso: from)
        if start == nil { problems.append(.badFrom(from)) }
        var end: CivilDate?
        if let until {
            end = CivilDate(iso: until)
            if end == nil { problems.append(.badUntil(until)) }
            else if let start, let end, end < start { problems.append(.untilBeforeFrom(until: until, from: from)) }
        }
        let src = trimmed(source)
        if src.isEmpty || src.count > 500 { problems.append(.noSource) }
        let st = ParameterStatus(rawValue: status)
        if st == nil { problems.append(.badStatus(status)) }
        if jurisdiction.isEmpty || jurisdiction.contains(where: { $0.isWhitespace }) { problems.append(.badJurisdiction(jurisdiction)) }
        if Rational(decimal: v) == nil, numericKeys.contains(where: { k == $0 || k.hasPrefix($0 + ".") }) {
            problems.append(.notANumber(key: k, value: v))
        }
        guard problems.isEmpty, let start, let st else { throw InputRejected(problems: problems) }
        return PolicyParameter(key: k, jurisdiction: jurisdiction, validFrom: start, validTo: end, value: v, source: src, status: st)
    }
}
