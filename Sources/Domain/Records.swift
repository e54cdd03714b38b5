/// A region code (区划代码): a district, town or sub-district, e.g. `410307004`.
public struct RegionCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
    public static func < (a: RegionCode, b: RegionCode) -> Bool { a.value < b.value }
}

/// A household number (家庭编号) as the center assigns it.
public struct HouseholdID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
    public static func < (a: HouseholdID, b: HouseholdID) -> Bool { a.value < b.value }
}

/// An opening number (岗位编号).
public struct OpeningID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
    public static func < (a: OpeningID, b: OpeningID) -> Bool { a.value < b.value }
}

/// A region: the district or one of its towns and sub-districts.
public struct Region: Hashable, Sendable {
    public var code: RegionCode
    public var name: String
    public var parent: RegionCode?
    /// Neighbouring regions; the relation is symmetric (CONTRACT.md §2).
    public var neighbours: [RegionCode]
    public init(code: RegionCode, name: String, parent: RegionCode?, neighbours: [RegionCode]) {
        self.code = code; self.name = name; self.parent = parent; self.neighbours = neighbours
    }
}

/// A household (家庭) and how many of its members are in work.
public struct Household: Hashable, Sendable {
    public var id: HouseholdID
    public var town: RegionCode
    /// Members in work (≥ 0), as staff recorded them.
    public var employedMembers: Int
    public var flags: Set<SupportFlag>
    public init(id: HouseholdID, town: RegionCode, employedMembers: Int, flags: Set<SupportFlag>) {
        self.id = id; self.town = town; self.employedMembers = employedMembers; self.flags = flags
    }
}

/// A registered disabled job seeker (持证残疾人).
public struct Seeker: Hashable, Sendable {
    public var certificate: CertificateNumber
    public var name: String
    public var town: RegionCode
    public var household: HouseholdID?
    public var education: Education?
    public var graduationYear: Int?
    /// Skill codes as listed (trainings add more at run time, CONTRACT.md §3 E6).
    public var skills: [String]
    public var certificates: [String]
    /// Job category codes; empty means any (E7).
    public var intentions: [String]
    public var capacity: WorkCapacity
    public var flags: Set<SupportFlag>
    public var status: SeekerStatus
    public var registeredOn: CivilDate?
    public var phone: String?
    public init(certificate: CertificateNumber, name: String, town: RegionCode, household: HouseholdID? = nil,
                education: Education? = nil, graduationYear: Int? = nil, skills: [String] = [],
                certificates: [String] = [], intentions: [String] = [], capacity: WorkCapacity = .full,
                flags: Set<SupportFlag> = [], status: SeekerStatus = .seeking, registeredOn: CivilDate? = nil,
                phone: String? = nil) {
        self.certificate = certificate; self.name = name; self.town = town; self.household = household
        self.education = education; self.graduationYear = graduationYear; self.skills = skills
        self.certificates = certificates; self.intentions = intentions; self.capacity = capacity
        self.flags = flags; self.status = status; self.registeredOn = registeredOn; self.phone = phone
    }
}

/// A training course a seeker took; a completed one adds its skill (E6).
public struct Training: Hashable, Sendable {
    /// The seeker's certificate key (20 characters).
    public var certificateKey: String
    public var course: String
    public var skill: String?
    public var startDate: CivilDate
    public var endDate: CivilDate?
    public var completed: Bool
    public init(certificateKey: String, course: String, skill: String?, startDate: CivilDate, endDate: CivilDate?, completed: Bool) {
        self.certificateKey = certificateKey; self.course = course; self.skill = skill
        self.startDate = startDate; self.endDate = endDate; self.completed = completed
    }
}

/// An employer (用人单位).
public struct Employer: Hashable, Sendable {
    public var creditCode: CreditCode
    public var name: String
    public var town: RegionCode
    public var type: EmployerType
    /// 集中就业单位: employs disabled people as a concentrated-employment unit (no 超比例 reward).
    public var concentrated: Bool
    public init(creditCode: CreditCode, name: String, town: RegionCode, type: EmployerType, concentrated: Bool = false) {
        self.creditCode = creditCode; self.name = name; self.town = town; self.type = type; self.concentrated = concentrated
    }
}

/// An opening (岗位) with a number of slots.
public struct Opening: Hashable, Sendable {
    public var id: OpeningID
    public var kind: OpeningKind
    public var employer: CreditCode?
    /// Job category code (CONTRACT.md §2.1).
    public var category: String
    public var title: String?
    public var town: RegionCode
    public var slots: Int
    public var reach: Reach
    public var demands: Set<Demand>
    public var minAge: Int?
    public var maxAge: Int?
    public var requiredCertificates: [String]
    public var requiredSkills: [String]
    public var preferredSkills: [String]
    public var monthlyWage: Fen?
    public var hoursPerWeek: Int
    public var openFrom: CivilDate?
    public var openUntil: CivilDate?
    public init(id: OpeningID, kind: OpeningKind, employer: CreditCode? = nil, category: String, title: String? = nil,
                town: RegionCode, slots: Int, reach: Reach? = nil, demands: Set<Demand> = [], minAge: Int? = nil,
                maxAge: Int? = nil, requiredCertificates: [String] = [], requiredSkills: [String] = [],
                preferredSkills: [String] = [], monthlyWage: Fen? = nil, hoursPerWeek: Int = 40,
                openFrom: CivilDate? = nil, openUntil: CivilDate? = nil) {
        self.id = id; self.kind = kind; self.employer = employer; self.category = category; self.title = title
        self.town = town; self.slots = slots; self.reach = reach ?? Reach.defaultFor(kind); self.demands = demands
        self.minAge = minAge; self.maxAge = maxAge; self.requiredCertificates = requiredCertificates
        self.requiredSkills = requiredSkills; self.preferredSkills = preferredSkills; self.monthlyWage = monthlyWage
        self.hoursPerWeek = hoursPerWeek; self.openFrom = openFrom; self.openUntil = openUntil
    }
}

/// A placement: a person in an opening from a start date, open-ended or to an end date.
/// A confirmed proposal becomes one (CONTRACT.md §3, E8).
public struct Placement: Hashable, Sendable {
    public var certificateKey: String
    public var opening: OpeningID
    public var startDate: CivilDate
    public var endDate: CivilDate?
    public var monthlyWage: Fen?
    public var contractMonths: Int?
    /// Ended by staff (`placement end`) before its contract ran out: `endDate` then
    /// says when work stopped, not how long the contract was (an open-ended
    /// contract stays open-ended for the rules that ask about the contract).
    public var endedEarly = false
    public init(certificateKey: String, opening: OpeningID, startDate: CivilDate, endDate: CivilDate? = nil,
                monthlyWage: Fen? = nil, contractMonths: Int? = nil) {
        self.certificateKey = certificateKey; self.opening = opening; self.startDate = startDate
        self.endDate = endDate; self.monthlyWage = monthlyWage; self.contractMonths = contractMonths
    }
    /// Active on `date`: from `startDate` through `endDate`, or open-ended.
    public func isActive(on date: CivilDate) -> Bool {
        startDate <= date && (endDate.map { date <= $0 } ?? true)
    }
}

/// An employer's figures for one reviewed year (POLICY.md §1).
public struct EmployerYear: Hashable, Sendable {
    public var creditCode: CreditCode
    /// The year whose employment is reviewed; the levy is payable the year after.
    public var year: Int
    /// 在职职工年平均人数 (exact; the mean of `monthlyHeadcounts` when those were given).
    public var employees: Rational
    /// The twelve monthly headcounts, when given instead of `employees`.
    public var monthlyHeadcounts: [Rational]?
    /// 职工工资总额 for the year.
    public var totalWages: Fen
    public init(creditCode: CreditCode, year: Int, employees: Rational, monthlyHeadcounts: [Rational]? = nil, totalWages: Fen) {
        self.creditCode = creditCode; self.year = year; self.employees = employees
        self.monthlyHeadcounts = monthlyHeadcounts; self.totalWages = totalWages
    }
    /// 在职职工年平均人数 from monthly headcounts: their sum over twelve, exact.
    public static func mean(ofMonths headcounts: [Rational]) -> Rational {
        headcounts.reduce(Rational.zero, +) / Rational(12)
    }
}

/// One disabled person declared by an employer for a year (POLICY.md §1).
/// The certificate is kept as text: the review judges it, so that the
/// worksheet can tell the employer what was wrong.
public struct RosterRow: Hashable, Sendable {
    public var creditCode: CreditCode
    public var year: Int
    /// 残疾人证号 as given, or nil for a veteran row.
    public var certificateNo: String?
    /// 残疾军人证号 as given.
    public var veteranCertificateNo: String?
    /// Veteran disability grade 1–8 as given (validated by the review).
    public var veteranGrade: Int?
    /// 身份证号 as given (required for a veteran).
    public var residentID: String?
    public var contractStart: CivilDate?
    public var contractEnd: CivilDate?
    /// 在编: on the establishment, no fixed-term contract needed.
    public var establishment: Bool
    /// Months of the year with wage and social insurance paid in full (0–12).
    public var monthsPaid: Int
    public var lowestMonthlyWage: Fen
    /// 应届高校毕业生.
    public var newGraduate: Bool
    public init(creditCode: CreditCode, year: Int, certificateNo: String? = nil, veteranCertificateNo: String? = nil,
                veteranGrade: Int? = nil, residentID: String? = nil, contractStart: CivilDate? = nil,
                contractEnd: CivilDate? = nil, establishment: Bool = false, monthsPaid: Int, lowestMonthlyWage: Fen,
                newGraduate: Bool = false) {
        self.creditCode = creditCode; self.year = year; self.certificateNo = certificateNo
        self.veteranCertificateNo = veteranCertificateNo; self.veteranGrade = veteranGrade; self.residentID = residentID
        self.contractStart = contractStart; self.contractEnd = contractEnd; self.establishment = establishment
        self.monthsPaid = monthsPaid; self.lowestMonthlyWage = lowestMonthlyWage; self.newGraduate = newGraduate
    }
}
