import Domain

/// The review JSON of CONTRACT.md §5, written directly as text.
///
/// Same keys and values as `EmployerReview`'s `Encodable` form, about ten
/// times faster than Foundation's JSONEncoder on Linux, which matters when a
/// review of 10,000 employers is stored (measured: JSONEncoder took 5.8 s of
/// CPU for 10,000 reviews). `parameters: .reference` names each parameter row
/// by its key, jurisdiction and valid_from only — the stored form, whose
/// rows are kept once in `policy_parameter` and referenced by id.
public enum ReviewJSONText {
    /// How trace steps name the parameter rows they read. `reference` is the
    /// stored form: parameter rows by key, jurisdiction and valid_from (their
    /// bodies are kept once in `policy_parameter`), and each step without its
    /// title and formula text, which follow from its `code` — the facts (inputs,
    /// result, parameters) stay; 10,000 stored reviews are then half the size.
    public enum ParameterStyle {
        case full, reference
        /// Parameter rows by their database ids (what `lookup` returns), steps without texts.
        case ids(_ lookup: (ParameterUse) -> Int64?)
        var isFull: Bool { if case .full = self { true } else { false } }
    }

    /// One review as a JSON object.
    public static func object(_ r: EmployerReview, unmasked: Bool = false, parameters: ParameterStyle = .full) -> String {
        var o = JSONObjectText()
        o.string("credit_code", r.creditCode.value)
        o.raw("year", String(r.year))
        o.string("status", r.status.rawValue)
        o.exact("employees", r.employees)
        o.exact("required", r.required)
        o.exact("counted", r.counted)
        o.exact("shortfall", r.shortfall)
        o.exact("excess", r.excess)
        o.exact("ratio", r.ratio)
        o.raw("exempt", r.exempt.map { $0 ? "true" : "false" } ?? "null")
        o.raw("levy_fen", r.levy.map { String($0.value) } ?? "null")
        o.raw("reward_fen", r.reward.map { String($0.value) } ?? "null")
        o.raw("rows", "[" + r.rows.map { row in
            var x = JSONObjectText()
            x.string("certificate_no", unmasked ? row.certificateNo : row.maskedCertificateNo)
            x.raw("qualifies", row.qualifies ? "true" : "false")
            x.raw("weight", String(row.weight))
            x.string("share", row.share.text(places: 6))
            x.raw("reasons", "[" + row.reasons.map { JSONObjectText.quoted($0.rawValue) }.joined(separator: ",") + "]")
            return x.text
        }.joined(separator: ",") + "]")
        o.raw("trace", "[" + r.trace.map { step in
            var x = JSONObjectText()
            x.string("code", step.code)
            if parameters.isFull {
                x.string("title", step.title)
                x.string("formula", step.formula)
            }
            x.raw("inputs", "[" + step.inputs.map { i in
                var y = JSONObjectText()
                y.string("name", i.name)
                y.string("value", i.value)
                return y.text
            }.joined(separator: ",") + "]")
            x.string("result", step.result)
            if case .ids(let lookup) = parameters {
                x.raw("parameters", "[" + step.parameters.compactMap { lookup($0).map(String.init) }.joined(separator: ",") + "]")
            } else {
                x.raw("parameters", "[" + step.parameters.map { p in
                    var y = JSONObjectText()
                    y.string("key", p.key)
                    y.string("jurisdiction", p.jurisdiction)
                    if parameters.isFull { y.string("value", p.value) }
                    y.string("valid_from", p.validFrom.description)
                    if parameters.isFull {
                        y.raw("valid_to", p.validTo.map { JSONObjectText.quoted($0.description) } ?? "null")
                        y.string("source", p.source)
                        y.string("status", p.status.rawValue)
                    }
                    return y.text
                }.joined(separator: ",") + "]")
            }
            x.raw("rests_on_placeholder", step.restsOnPlaceholder ? "true" : "false")
            return x.text
        }.joined(separator: ",") + "]")
        o.raw("placeholder_figures", "[" + ReviewFigure.allCases.filter(r.placeholderFigures.contains).map { JSONObjectText.quoted($0.rawValue) }.joined(separator: ",") + "]")
        return o.text
    }
}

extension JSONObjectText {
    /// A decimal string through Quota's 64-bit fast path (same text as `decimal`).
    mutating func exact(_ key: String, _ value: Rational?) {
        raw(key, value.map { JSONObjectText.quoted($0.text(places: 6)) } ?? "null")
    }
}
