import Domain

/// A row that passed every rule, as the Domain record of its kind.
public enum ValidatedRecord: Sendable, Hashable {
    case region(Region)
    case household(Household)
    case seeker(Seeker)
    case training(Training)
    case employer(Employer)
    case opening(Opening)
    case placement(Placement)
    case employerYear(EmployerYear)
    case roster(RosterRow)

    /// The kind of file such a record comes from.
    public var kind: ImportKind {
        switch self {
        case .region: .regions
        case .household: .households
        case .seeker: .seekers
        case .training: .trainings
        case .employer: .employers
        case .opening: .openings
        case .placement: .placements
        case .employerYear: .employerYears
        case .roster: .rosters
        }
    }

    /// The upsert key as one string, parts joined by `|` (CONTRACT.md §2): trainings
    /// `certificate|course|start_date`, placements `certificate|opening_id|start_date`,
    /// employer-years `credit_code|year`, rosters `credit_code|year|resident ID`;
    /// certificates by their 20-character key (without reissue suffix).
    public var key: String {
        switch self {
        case .region(let r): r.code.value
        case .household(let h): h.id.value
        case .seeker(let s): s.certificate.key
        case .training(let t): "\(t.certificateKey)|\(t.course)|\(t.startDate)"
        case .employer(let e): e.creditCode.value
        case .opening(let o): o.id.value
        case .placement(let p): "\(p.certificateKey)|\(p.opening.value)|\(p.startDate)"
        case .employerYear(let y): "\(y.creditCode.value)|\(y.year)"
        case .roster(let r): "\(r.creditCode.value)|\(r.year)|\(RosterRow.personID(certificateNo: r.certificateNo, residentID: r.residentID))"
        }
    }
}

extension RosterRow {
    /// The person's resident ID for the roster key: the first 18 characters of the
    /// 残疾人证号, else the veteran's `resident_id`; `x` read as `X`.
    public static func personID(certificateNo: String?, residentID: String?) -> String {
        if let c = certificateNo, !c.isEmpty { return String(c.prefix(18)).uppercased() }
        return (residentID ?? "").uppercased()
    }
}

/// What the caller has already loaded, that rows may refer to (CONTRACT.md §2:
/// "a reference to something not loaded is a row error").
public struct KnownReferences: Sendable {
    /// Region codes (any `town_code`, a region's parent or neighbours).
    public var towns: Set<String>
    /// Household numbers.
    public var households: Set<String>
    /// Seekers by 20-character certificate key.
    public var seekers: Set<String>
    /// Employers by credit code (upper case).
    public var employers: Set<String>
    /// Opening numbers.
    public var openings: Set<String>
    /// The job category table in force.
    public var categories: [JobCategory]

    public init(towns: Set<String> = [], households: Set<String> = [], seekers: Set<String> = [],
                employers: Set<String> = [], openings: Set<String> = [], categories: [JobCategory] = JobCategory.seeded) {
        self.towns = towns; self.households = households; self.seekers = seekers
        self.employers = employers; self.openings = openings; self.categories = categories
    }
}
