import Domain

/// A policy parameter row as a figure used it: enough to show, and to store
/// beside a review, exactly which value, dates, source and status the figure
/// rests on (POLICY.md: "the book must show, in every calculation trace, which
/// parameter values and which statuses a figure rests on").
public struct ParameterUse: Hashable, Sendable, Encodable {
    /// Parameter key, e.g. `quota.ratio`.
    public let key: String
    /// The jurisdiction of the row used (after lineage lookup).
    public let jurisdiction: String
    /// The value as the book holds it.
    public let value: String
    /// First day in force.
    public let validFrom: CivilDate
    /// Last day in force, or nil.
    public let validTo: CivilDate?
    /// The statute or publication.
    public let source: String
    /// `verified`, `secondary` or `placeholder`.
    public let status: ParameterStatus

    /// The use of one row of the book.
    public init(_ p: PolicyParameter) {
        key = p.key; jurisdiction = p.jurisdiction; value = p.value
        validFrom = p.validFrom; validTo = p.validTo; source = p.source; status = p.status
    }

    /// Whether this row is a stand-in value (status `placeholder`).
    public var isPlaceholder: Bool { status == .placeholder }

    enum CodingKeys: String, CodingKey {
        case key, jurisdiction, value, validFrom = "valid_from", validTo = "valid_to", source, status
    }
    /// Encodes with snake_case keys and ISO dates.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(jurisdiction, forKey: .jurisdiction)
        try c.encode(value, forKey: .value)
        try c.encode(validFrom.description, forKey: .validFrom)
        try c.encode(validTo?.description, forKey: .validTo)
        try c.encode(source, forKey: .source)
        try c.encode(status.rawValue, forKey: .status)
    }
}

/// One named input of a trace step, shown as text (`N` = `430`).
public struct TraceInput: Hashable, Sendable, Encodable {
    /// The input's name as the formula writes it.
    public let name: String
    /// Its value as text.
    public let value: String
    /// An input.
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// One step of a calculation: what was computed, by which formula, from which
/// inputs and parameter rows, and whether the result rests on a placeholder
/// (directly, or through a step it uses).
///
/// CONTRACT.md §5: the trace carries "each step with the parameter values,
/// their `valid_from`, source and status".
public struct TraceStep: Hashable, Sendable, Encodable {
    /// Short stable code: `rows`, `D`, `N`, `R`, `S`, `E`, `rho`, `W`, `gross`,
    /// `exempt`, `factor`, `levy`, `reward`.
    public let code: String
    /// The step's name in Chinese, for worksheets.
    public let title: String
    /// The formula as people read it, e.g. `R = N × r`.
    public let formula: String
    /// The inputs, in the order the formula names them.
    public let inputs: [TraceInput]
    /// The result as text (decimal string, or fen amount as yuan).
    public let result: String
    /// The parameter rows this step reads directly.
    public let parameters: [ParameterUse]
    /// True when this step or any step it uses reads a `placeholder` row.
    public let restsOnPlaceholder: Bool

    /// A step; `restsOnPlaceholder` is computed by the caller from `parameters` and dependencies.
    public init(code: String, title: String, formula: String, inputs: [TraceInput], result: String,
                parameters: [ParameterUse], restsOnPlaceholder: Bool) {
        self.code = code; self.title = title; self.formula = formula; self.inputs = inputs
        self.result = result; self.parameters = parameters; self.restsOnPlaceholder = restsOnPlaceholder
    }

    enum CodingKeys: String, CodingKey {
        case code, title, formula, inputs, result, parameters, restsOnPlaceholder = "rests_on_placeholder"
    }
}

/// Builds a trace, propagating "rests on a placeholder" from the steps a step uses.
struct TraceBuilder {
    private(set) var steps: [TraceStep] = []
    private var placeholder: [String: Bool] = [:]

    mutating func add(_ code: String, _ title: String, _ formula: String, inputs: [TraceInput], result: String,
                      parameters: [ParameterUse] = [], uses: [String] = []) {
        let rests = parameters.contains(where: \.isPlaceholder) || uses.contains { placeholder[$0] ?? false }
        placeholder[code] = rests
        steps.append(TraceStep(code: code, title: title, formula: formula, inputs: inputs, result: result,
                               parameters: parameters, restsOnPlaceholder: rests))
    }

    func restsOnPlaceholder(_ code: String) -> Bool { placeholder[code] ?? false }
}
