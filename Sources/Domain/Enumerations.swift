/// An enumeration that data files spell by English code or Chinese label
/// (CONTRACT.md §2: "every enumerated value is accepted as its English code or
/// its Chinese label").
public protocol CodedValue: CaseIterable, Hashable, Sendable {
    /// The English code, as written in files and JSON.
    var code: String { get }
    /// The Chinese label staff use.
    var label: String { get }
}

extension CodedValue {
    /// The value whose code (any case) or label is `text`, or nil.
    /// Inlinable, and trying the exact spelling before lower-casing: files nearly always
    /// carry the code as written, and this runs for every enumerated cell of an import.
    @inlinable
    public init?(codeOrLabel text: some StringProtocol) {
        let exact = String(text)
        for v in Self.allCases where v.code == exact || v.label == exact {
            self = v
            return
        }
        let lower = exact.lowercased()
        guard lower != exact, let v = Self.allCases.first(where: { $0.code == lower }) else { return nil }
        self = v
    }
    /// Every accepted spelling, for error messages: `seeking/求职, employed/已就业`.
    public static var spellings: String {
        allCases.map { "\($0.code)/\($0.label)" }.joined(separator: ", ")
    }
}

/// 文化程度.
public enum Education: String, CodedValue {
    case none, primary, junior, senior, vocational, college, bachelor, postgraduate
    public var code: String { rawValue }
    public var label: String {
        switch self {
        case .none: "未上学"; case .primary: "小学"; case .junior: "初中"; case .senior: "高中"
        case .vocational: "中专"; case .college: "大专"; case .bachelor: "本科"; case .postgraduate: "研究生"
        }
    }
    /// Whether a recent graduate of this level is a priority seeker (CONTRACT.md §4, P).
    public var isHigherEducation: Bool { self == .college || self == .bachelor || self == .postgraduate }
    /// Rank for comparisons (none 0 … postgraduate 7).
    public var rank: Int { Education.allCases.firstIndex(of: self)! }
}

/// 劳动能力.
public enum WorkCapacity: String, CodedValue {
    case full, partial, assisted
    public var code: String { rawValue }
    public var label: String { switch self { case .full: "完全"; case .partial: "部分"; case .assisted: "辅助性" } }
}

/// 求职状态.
public enum SeekerStatus: String, CodedValue {
    case seeking, employed, inactive
    public var code: String { rawValue }
    public var label: String { switch self { case .seeking: "求职"; case .employed: "已就业"; case .inactive: "暂停" } }
}

/// 帮扶标记, on a household or a seeker.
public enum SupportFlag: String, CodedValue {
    case dibao, povertyAlleviated = "poverty_alleviated", monitored
    public var code: String { rawValue }
    public var label: String { switch self { case .dibao: "低保"; case .povertyAlleviated: "脱贫户"; case .monitored: "监测户" } }
}

/// 单位性质.
public enum EmployerType: String, CodedValue {
    case enterprise, agency, institution, socialOrg = "social_org", individual
    public var code: String { rawValue }
    public var label: String {
        switch self {
        case .enterprise: "企业"; case .agency: "机关"; case .institution: "事业单位"
        case .socialOrg: "社会组织"; case .individual: "个体工商户"
        }
    }
}

/// 岗位类型.
public enum OpeningKind: String, CodedValue {
    case publicWelfare = "public_welfare", quota, assisted, general
    public var code: String { rawValue }
    public var label: String {
        switch self { case .publicWelfare: "公益性岗位"; case .quota: "按比例就业"; case .assisted: "辅助性就业"; case .general: "其他" }
    }
}

/// 招聘范围 (CONTRACT.md §3, E3).
public enum Reach: String, CodedValue {
    case town, neighbours, district
    public var code: String { rawValue }
    public var label: String { switch self { case .town: "本镇街"; case .neighbours: "本镇街及相邻"; case .district: "全区" } }
    /// Default: `town` for public-welfare posts, else `district`.
    public static func defaultFor(_ kind: OpeningKind) -> Reach { kind == .publicWelfare ? .town : .district }
}

/// 岗位要求: what a job demands of the body or mind (CONTRACT.md §3, E4).
public enum Demand: String, CodedValue {
    case vision, hearing, speech, walking, lifting, fineMotor = "fine_motor", cognition
    public var code: String { rawValue }
    public var label: String {
        switch self {
        case .vision: "视力"; case .hearing: "听力"; case .speech: "言语"; case .walking: "行走"
        case .lifting: "搬举"; case .fineMotor: "精细动作"; case .cognition: "认知"
        }
    }
}

/// A job category (岗位类别). The list is data (CONTRACT.md §2.1): a center may
/// add codes, so this is a validated string, not a closed enum.
public struct JobCategory: Hashable, Comparable, Sendable {
    /// The code, e.g. `cleaner_rural`.
    public let code: String
    /// The Chinese name, e.g. 乡村保洁员.
    public let name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
    public static func < (a: JobCategory, b: JobCategory) -> Bool { a.code < b.code }

    /// The categories the policy book seeds (CONTRACT.md §2.1).
    public static let seeded: [JobCategory] = [
        ("cleaner_rural", "乡村保洁员"), ("water_manager", "水管员"), ("road_keeper", "护路员"),
        ("forest_ranger", "生态护林员"), ("relief_assistant", "社会救助协理员"), ("library_keeper", "农家书屋管理员"),
        ("community_service", "社区服务人员"), ("office", "文员"), ("agriculture", "种植养殖"),
        ("massage_medical", "盲人医疗按摩"), ("massage_health", "盲人保健按摩"), ("online_service", "网络客服"),
        ("livestream", "直播带货"), ("courier", "物流快递"), ("handicraft", "手工制作"),
        ("assembly", "生产装配"), ("retail", "小店经营"), ("other", "其他"),
    ].map { JobCategory(code: $0.0, name: $0.1) }
}

/// Why a placement ended (`placement end --reason`); Render words each case.
public enum PlacementEndReason: String, CaseIterable, Sendable {
    case left, dismissed, contractEnded = "contract_ended", retired, died, other
}

/// What a command waits for when another session holds an advisory lock
/// (Store's `AdvisoryLock`); Render words it.
public enum LockedWork: Sendable, Hashable {
    /// Another `jobmatch migrate`.
    case migration
    /// Another matching run of the region.
    case matchingRun(region: String)
    /// Another review of the year.
    case review(year: Int)
    /// Another import.
    case importing
}


/// Why an account command (`user`, `token`) was refused; Render words it.
public enum AccountProblem: Error, Equatable, CustomStringConvertible {
    case unknownUser(String)
    case userExists(String)
    case unknownToken(String)
    case tokenExists(String)
    case unknownRegion(String)
    case badName(String)

    /// For logs and tests; people read Render's words.
    public var description: String {
        switch self {
        case .unknownUser(let n): "user \"\(n)\" does not exist"
        case .userExists(let n): "user \"\(n)\" already exists"
        case .unknownToken(let n): "token \"\(n)\" does not exist"
        case .tokenExists(let n): "token \"\(n)\" already exists"
        case .unknownRegion(let c): "region \"\(c)\" does not exist"
        case .badName(let n): "name \"\(n)\" is not allowed: use 1 to 64 letters, digits, '_', '.' or '-'"
        }
    }
}

/// What a command named that does not exist (Store's `StoreError.notFound`); Render words it.
/// Identities are masked before they go in.
public enum Missing: Sendable, Hashable, CustomStringConvertible {
    case employer(String), region(String), run(Int64), seeker(String), opening(String)
    /// No placement of the seeker in the opening is active on the day.
    case activePlacement(seeker: String, opening: String, on: CivilDate)
    case possibleDuplicate(String, String)
    /// No matching run was ever made.
    case anyRun
    /// An export that needs `--year` was given none.
    case year(export: String)

    /// For logs and tests; people read Render's words.
    public var description: String {
        switch self {
        case .employer(let e): "employer \(e)"
        case .region(let r): "region \(r)"
        case .run(let r): "run \(r)"
        case .seeker(let s): "seeker \(s)"
        case .opening(let o): "opening \(o)"
        case .activePlacement(let s, let o, let d): "placement of \(s) in \(o) active on \(d)"
        case .possibleDuplicate(let a, let b): "possible duplicate \(a) and \(b)"
        case .anyRun: "any matching run: run `jobmatch match` first"
        case .year(let what): "--year: `export \(what)` needs the year"
        }
    }
}
