import Domain

extension CodingUserInfoKey {
    /// Set to `true` in an encoder's `userInfo` to print certificate numbers
    /// whole (`--unmasked`, CONTRACT.md §5); anything else masks them.
    public static let unmaskedIdentifiers = CodingUserInfoKey(rawValue: "jobmatch.unmaskedIdentifiers")!
}

/// CONTRACT.md §5 `review --json`: one object per employer with `credit_code`,
/// `year`, `status`, `employees`, `required`, `counted`, `shortfall`, `excess`,
/// `ratio` (decimal strings, ≤ 6 places, half up), `exempt`, `levy_fen`,
/// `reward_fen` (integer fen), `rows` and `trace`; figures are null for
/// `missing_employer_year` and `no_staff`. Also `placeholder_figures`, the
/// figures that rest on a placeholder (an addition the contract allows).
/// Certificate numbers are masked unless `userInfo[.unmaskedIdentifiers]` is true.
extension EmployerReview: Encodable {
    enum CodingKeys: String, CodingKey {
        case creditCode = "credit_code", year, status, employees, required, counted, shortfall, excess, ratio, exempt
        case levyFen = "levy_fen", rewardFen = "reward_fen", rows, trace, placeholderFigures = "placeholder_figures"
    }

    /// Decimal strings as CONTRACT.md §5 says: at most 6 places, rounded half up.
    static func decimal(_ r: Rational?) -> String? { r?.text(places: 6) }

    /// Encodes with the CONTRACT.md §5 keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(creditCode.value, forKey: .creditCode)
        try c.encode(year, forKey: .year)
        try c.encode(status, forKey: .status)
        try c.encode(Self.decimal(employees), forKey: .employees)
        try c.encode(Self.decimal(required), forKey: .required)
        try c.encode(Self.decimal(counted), forKey: .counted)
        try c.encode(Self.decimal(shortfall), forKey: .shortfall)
        try c.encode(Self.decimal(excess), forKey: .excess)
        try c.encode(Self.decimal(ratio), forKey: .ratio)
        try c.encode(exempt, forKey: .exempt)
        try c.encode(levy?.value, forKey: .levyFen)
        try c.encode(reward?.value, forKey: .rewardFen)
        try c.encode(rows, forKey: .rows)
        try c.encode(trace, forKey: .trace)
        try c.encode(ReviewFigure.allCases.filter(placeholderFigures.contains), forKey: .placeholderFigures)
    }
}

extension RowVerdict: Encodable {
    enum CodingKeys: String, CodingKey {
        case certificateNo = "certificate_no", qualifies, weight, share, reasons
    }
    /// Encodes with the CONTRACT.md §5 keys.
    public func encode(to encoder: any Encoder) throws {
        let unmasked = encoder.userInfo[.unmaskedIdentifiers] as? Bool == true
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unmasked ? certificateNo : maskedCertificateNo, forKey: .certificateNo)
        try c.encode(qualifies, forKey: .qualifies)
        try c.encode(weight, forKey: .weight)
        try c.encode(share.text(places: 6), forKey: .share)
        try c.encode(reasons, forKey: .reasons)
    }
}
