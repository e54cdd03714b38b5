import Domain

/// Why a roster row does not count (POLICY.md §2). A row gets every reason
/// that can be determined.
public enum ReasonCode: String, CaseIterable, Sendable, Hashable, Comparable, Encodable {
    /// The number fails CONTRACT.md §2, a veteran grade is outside 1–8, or a
    /// veteran row lacks a valid resident ID.
    case invalidCertificate = "invalid_certificate"
    /// Younger than `working_age.min` or older than `working_age.max.<sex>` on every day of Y.
    case outsideWorkingAge = "outside_working_age"
    /// Not 在编 and the contract runs fewer than `count.min_contract_days` days, both ends counted.
    case contractTooShort = "contract_too_short"
    /// `lowest_monthly_wage` below the lowest monthly minimum wage in force during Y.
    case belowMinimumWage = "below_minimum_wage"
    /// `months_paid` = 0.
    case noPaidMonths = "no_paid_months"
    /// The same resident ID is declared by another employer for Y.
    case claimedTwice = "claimed_twice"

    /// The reason in Chinese, for worksheets.
    public var label: String {
        switch self {
        case .invalidCertificate: "证号无效"
        case .outsideWorkingAge: "全年不在劳动年龄内"
        case .contractTooShort: "劳动合同不足1年"
        case .belowMinimumWage: "工资低于最低工资标准"
        case .noPaidMonths: "无足额缴费月份"
        case .claimedTwice: "被其他单位重复申报"
        }
    }

    /// The order of POLICY.md §2's table.
    public static func < (a: ReasonCode, b: ReasonCode) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The review's verdict on one roster row (CONTRACT.md §5, `rows`).
public struct RowVerdict: Hashable, Sendable {
    /// The number as declared: the 残疾人证号, or the 残疾军人证号 for a veteran row.
    public let certificateNo: String
    /// Whether the row is a veteran's (残疾军人证).
    public let isVeteran: Bool
    /// Whether the row counts toward D.
    public let qualifies: Bool
    /// w: 2 for a 残疾人证 of grade 1–2 or a 残疾军人证 of grade 1–3, else 1
    /// (财税〔2015〕72号 第八条). 1 when the grade cannot be read.
    public let weight: Int
    /// f: months_paid/12 (1 for a new graduate with more than 6 months; 1 in
    /// `whole_person` mode); 0 for a row that does not qualify, so Σ w × f = D.
    public let share: Rational
    /// Every reason the row does not count, in the order of POLICY.md §2.
    public let reasons: [ReasonCode]
    /// Months paid as declared (for the worksheet).
    public let monthsPaid: Int

    /// The number masked as CONTRACT.md §5 says (first 6 and last 4 of the resident ID; category and grade hidden).
    public var maskedCertificateNo: String { Masking.identifier(certificateNo) }
    /// The row's contribution w × f to D.
    public var counted: Rational { Rational(weight) * share }
}

/// The outcome class of an employer's review (CONTRACT.md §5, `status`).
public enum ReviewStatus: String, Sendable, Hashable, Encodable {
    /// Figures computed.
    case reviewed
    /// No employer-year for Y: no figures (POLICY.md §3).
    case missingEmployerYear = "missing_employer_year"
    /// N = 0: no ratio can be formed, no figures.
    case noStaff = "no_staff"

    /// 已审核 / 缺少年度数据 / 无在职职工.
    public var label: String {
        switch self { case .reviewed: "已审核"; case .missingEmployerYear: "缺少年度申报数据"; case .noStaff: "在职职工为0" }
    }
}

/// A figure of the review, for "does it rest on a placeholder?".
public enum ReviewFigure: String, CaseIterable, Sendable, Hashable, Encodable {
    /// N, R, D, S, E, ρ.
    case employees, required, counted, shortfall, excess, ratio
    /// The exemption decision, the levy and the reward.
    case exempt, levy, reward
}

/// One employer's annual quota review (按比例就业年审) for year Y: who counts,
/// the figures N, R, D, S, E, ρ, the levy payable in Y + 1 and the 超比例
/// reward, with a trace of every step (POLICY.md §2–3, CONTRACT.md §5).
///
/// Figures are exact (`Rational`); money is rounded once, half up, to the fen.
/// For `missing_employer_year` and `no_staff` the figures are nil (JSON null);
/// the rows are still judged so that staff can see them.
public struct EmployerReview: Hashable, Sendable {
    /// 统一社会信用代码.
    public let creditCode: CreditCode
    /// 单位名称 (for worksheets; not in the JSON of CONTRACT.md §5).
    public let employerName: String
    /// 单位性质 (decides the exemption).
    public let employerType: EmployerType
    /// The reviewed year Y; the levy is payable in Y + 1.
    public let year: Int
    /// `reviewed`, `missing_employer_year` or `no_staff`.
    public let status: ReviewStatus
    /// N, 在职职工年平均人数.
    public let employees: Rational?
    /// 职工工资总额 for Y as declared.
    public let totalWages: Fen?
    /// R = N × r.
    public let required: Rational?
    /// D = Σ w × f over qualifying rows.
    public let counted: Rational?
    /// S = max(0, R − D).
    public let shortfall: Rational?
    /// E = max(0, D − R).
    public let excess: Rational?
    /// ρ = D / N.
    public let ratio: Rational?
    /// Whether the small-enterprise exemption applies (levy years 2020–2027).
    public let exempt: Bool?
    /// 残疾人就业保障金 payable in Y + 1.
    public let levy: Fen?
    /// 超比例 reward.
    public let reward: Fen?
    /// Roster rows, ordered by certificate number (independent of input order).
    public let rows: [RowVerdict]
    /// Every step of the calculation with the parameter rows it read.
    public let trace: [TraceStep]
    /// The figures that rest, directly or through another figure, on a placeholder parameter.
    public let placeholderFigures: Set<ReviewFigure>

    /// Whether `figure` rests on a placeholder parameter (POLICY.md: "a figure
    /// that rests on a placeholder says so").
    public func restsOnPlaceholder(_ figure: ReviewFigure) -> Bool { placeholderFigures.contains(figure) }

    /// Every parameter row the review read, once each, ordered by key — what a
    /// stored review keeps so a later change of the book never changes it silently.
    public var parametersUsed: [ParameterUse] {
        Array(Set(trace.flatMap(\.parameters))).sorted { ($0.key, $0.jurisdiction, $0.validFrom) < ($1.key, $1.jurisdiction, $1.validFrom) }
    }
}

/// The totals of a year's reviews (the levy and reward totals of `export
/// indicators`): each the sum of the per-employer amounts, which are already
/// rounded, so the totals always equal the sum of what employers are told.
public struct ReviewTotals: Hashable, Sendable {
    /// Employers with status `reviewed`.
    public let reviewed: Int
    /// Σ levy over reviewed employers.
    public let levy: Fen
    /// Σ reward over reviewed employers.
    public let reward: Fen
    /// Σ D over reviewed employers.
    public let counted: Rational

    /// Sums the reviews with status `reviewed`.
    public init(_ reviews: [EmployerReview]) {
        var levy = Fen.zero, reward = Fen.zero, counted = Rational.zero, n = 0
        for r in reviews where r.status == .reviewed {
            n += 1
            levy = levy + (r.levy ?? .zero); reward = reward + (r.reward ?? .zero); counted = counted + (r.counted ?? .zero)
        }
        self.reviewed = n; self.levy = levy; self.reward = reward; self.counted = counted
    }
}
