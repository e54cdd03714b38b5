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
    /// How trace steps name the parameter rows they read.
    public enum ParameterStyle: Sendable { case full, reference }

    /// One review as a JSON object.
    public static func object(_ r: EmployerReview, unmasked: Bool = false, parameters: ParameterStyle = .full) -> String {
        var o = JSONObjectText()
        o.string("credit_code", r.creditCode.value)
        o.raw("year", String(r.year))
        o.string("status", r.status.rawValue)
        o.decimal("employees", r.employees)
        o.decimal("required", r.required)
        o.decimal("counted", r.counted)
        o.decimal("shortfall", r.shortfall)
        o.decimal("excess", r.excess)
        o.decimal("ratio", r.ratio)
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
            x.string("title", step.title)
            x.string("formula", step.formula)
            x.raw("inputs", "[" + step.inputs.map { i in
                var y = JSONObjectText()
                y.string("name", i.name)
                y.string("value", i.value)
                return y.text
            }.joined(separator: ",") + "]")
            x.string("result", step.result)
            x.raw("parameters", "[" + step.parameters.map { p in
                var y = JSONObjectText()
                y.string("key", p.key)
                y.string("jurisdiction", p.jurisdiction)
                if parameters == .full { y.string("value", p.value) }
                y.string("valid_from", p.validFrom.description)
                if parameters == .full {
                    y.raw("valid_to", p.validTo.map { JSONObjectText.quoted($0.description) } ?? "null")
                    y.string("source", p.source)
                    y.string("status", p.status.rawValue)
                }
                return y.text
            }.joined(separator: ",") + "]")
            x.raw("rests_on_placeholder", step.restsOnPlaceholder ? "true" : "false")
            return x.text
        }.joined(separator: ",") + "]")
        o.raw("placeholder_figures", "[" + ReviewFigure.allCases.filter(r.placeholderFigures.contains).map { JSONObjectText.quoted($0.rawValue) }.joined(separator: ",") + "]")
        return o.text
    }
}

/// A JSON object built as text, keys in insertion order.
struct JSONObjectText {
    private var parts: [String] = []
    var text: String { "{" + parts.joined(separator: ",") + "}" }

    mutating func raw(_ key: String, _ json: String) { parts.append(JSONObjectText.quoted(key) + ":" + json) }
    mutating func string(_ key: String, _ value: String) { raw(key, JSONObjectText.quoted(value)) }
    mutating func decimal(_ key: String, _ value: Rational?) { raw(key, value.map { JSONObjectText.quoted($0.text(places: 6)) } ?? "null") }

    /// A JSON string literal (RFC 8259 escaping).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
