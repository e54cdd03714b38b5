import Domain

/// The kinds of file `jobmatch import KIND FILE` loads, in the order their references need.
public enum ImportKind: String, CaseIterable, Sendable, Hashable {
    case regions, households, seekers, trainings, employers, openings
    case employerYears = "employer-years"
    case rosters, placements

    /// The columns of this kind (CONTRACT.md §2, POLICY.md §1), in the order exports list them.
    public var columns: [ColumnSpec] {
        schema.map { c in
            ColumnSpec(name: c.column.rawValue, alias: alias(of: c.column), aliases: c.column.aliases,
                       required: c.required, key: keyColumns.contains(c.column.rawValue))
        }
    }

    /// The columns that make the upsert key, in key order. For rosters the third part is
    /// the person's resident ID: `resident_id`, or the first 18 characters of `certificate_no`.
    public var keyColumns: [String] {
        switch self {
        case .regions: ["code"]
        case .households: ["household_id"]
        case .seekers: ["certificate_no"]
        case .trainings: ["certificate_no", "course", "start_date"]
        case .employers: ["credit_code"]
        case .openings: ["opening_id"]
        case .employerYears: ["credit_code", "year"]
        case .rosters: ["credit_code", "year", "resident_id"]
        case .placements: ["certificate_no", "opening_id", "start_date"]
        }
    }

    var schema: [(column: Column, required: Bool)] {
        switch self {
        case .regions:
            [(.code, true), (.name, true), (.parentCode, false), (.neighbours, false)]
        case .households:
            [(.householdID, true), (.townCode, true), (.employedMembers, true), (.flags, false)]
        case .seekers:
            [(.certificateNo, true), (.name, true), (.townCode, true), (.householdID, false), (.education, false),
             (.graduationYear, false), (.skills, false), (.certificates, false), (.intentions, false),
             (.workCapacity, false), (.flags, false), (.status, false), (.registeredOn, false), (.phone, false)]
        case .trainings:
            [(.certificateNo, true), (.course, true), (.skill, false), (.startDate, true), (.endDate, false),
             (.completed, false)]
        case .employers:
            [(.creditCode, true), (.name, true), (.townCode, true), (.type, true), (.concentrated, false)]
        case .openings:
            [(.openingID, true), (.kind, true), (.employerCreditCode, false), (.category, true), (.title, false),
             (.townCode, true), (.slots, true), (.reach, false), (.demands, false), (.minAge, false),
             (.maxAge, false), (.requiredCertificates, false), (.requiredSkills, false), (.preferredSkills, false),
             (.monthlyWage, false), (.hoursPerWeek, false), (.openFrom, false), (.openUntil, false)]
        case .employerYears:
            // `employees` or `monthly_headcounts`: checked as alternatives (`alternatives`).
            [(.creditCode, true), (.year, true), (.employees, false), (.monthlyHeadcounts, false), (.totalWages, true)]
        case .rosters:
            // A certificate number or a veteran number; contract_start unless establishment.
            [(.creditCode, true), (.year, true), (.certificateNo, false), (.veteranCertificateNo, false),
             (.veteranGrade, false), (.residentID, false), (.contractStart, false), (.contractEnd, false),
             (.establishment, false), (.monthsPaid, true), (.lowestMonthlyWage, true), (.newGraduate, false)]
        case .placements:
            [(.certificateNo, true), (.openingID, true), (.startDate, true), (.endDate, false),
             (.monthlyWage, false), (.contractMonths, false)]
        }
    }

    /// Groups of columns of which at least one must be present (beyond the required ones).
    var alternatives: [[Column]] {
        switch self {
        case .employerYears: [[.employees, .monthlyHeadcounts]]
        case .rosters: [[.certificateNo, .veteranCertificateNo], [.contractStart, .establishment]]
        default: []
        }
    }
}

/// One column of an import kind, as a schema listing shows it.
public struct ColumnSpec: Sendable, Hashable {
    /// The English name, e.g. `certificate_no`.
    public var name: String
    /// The Chinese alias this kind's exports use, e.g. `残疾人证号`.
    public var alias: String
    /// Every Chinese spelling accepted for it (the same in every file).
    public var aliases: [String]
    /// Whether the file must have this column.
    public var required: Bool
    /// Whether it is part of the upsert key.
    public var key: Bool
}

/// Every column any file can carry. One alias table for all files (CONTRACT.md §2):
/// `残疾人证号` is `certificate_no` wherever it appears.
enum Column: String, CaseIterable, Sendable {
    case code, name
    case parentCode = "parent_code", neighbours
    case householdID = "household_id", townCode = "town_code", employedMembers = "employed_members", flags
    case certificateNo = "certificate_no", education, graduationYear = "graduation_year", skills, certificates
    case intentions, workCapacity = "work_capacity", status, registeredOn = "registered_on", phone
    case course, skill, startDate = "start_date", endDate = "end_date", completed
    case creditCode = "credit_code", type, concentrated
    case openingID = "opening_id", kind, employerCreditCode = "employer_credit_code", category, title, slots, reach
    case demands, minAge = "min_age", maxAge = "max_age", requiredCertificates = "required_certificates"
    case requiredSkills = "required_skills", preferredSkills = "preferred_skills", monthlyWage = "monthly_wage"
    case hoursPerWeek = "hours_per_week", openFrom = "open_from", openUntil = "open_until"
    case year, employees, monthlyHeadcounts = "monthly_headcounts", totalWages = "total_wages"
    case veteranCertificateNo = "veteran_certificate_no", veteranGrade = "veteran_grade", residentID = "resident_id"
    case contractStart = "contract_start", contractEnd = "contract_end", establishment, monthsPaid = "months_paid"
    case lowestMonthlyWage = "lowest_monthly_wage", newGraduate = "new_graduate"
    case contractMonths = "contract_months"

    /// Chinese spellings; the first is the one exports use. `name` has one per kind
    /// of thing named (名称, 姓名, 单位名称); every one is accepted in every file.
    var aliases: [String] {
        switch self {
        case .code: ["区划代码"]
        case .name: ["名称", "姓名", "单位名称"]
        case .parentCode: ["上级代码"]
        case .neighbours: ["相邻", "相邻镇街"]
        case .householdID: ["家庭编号"]
        case .townCode: ["镇街代码", "工作地点"]
        case .employedMembers: ["就业人数"]
        case .flags: ["帮扶标记"]
        case .certificateNo: ["残疾人证号"]
        case .education: ["文化程度"]
        case .graduationYear: ["毕业年份"]
        case .skills: ["技能"]
        case .certificates: ["证书"]
        case .intentions: ["求职意向"]
        case .workCapacity: ["劳动能力"]
        case .status: ["求职状态"]
        case .registeredOn: ["登记日期"]
        case .phone: ["联系电话"]
        case .course: ["培训项目"]
        case .skill: ["技能"]
        case .startDate: ["开始日期"]
        case .endDate: ["结束日期"]
        case .completed: ["是否结业"]
        case .creditCode: ["统一社会信用代码"]
        case .type: ["单位性质"]
        case .concentrated: ["集中就业单位"]
        case .openingID: ["岗位编号"]
        case .kind: ["岗位类型"]
        case .employerCreditCode: ["统一社会信用代码"]
        case .category: ["岗位类别"]
        case .title: ["岗位名称"]
        case .slots: ["招聘人数"]
        case .reach: ["招聘范围"]
        case .demands: ["岗位要求"]
        case .minAge: ["最低年龄"]
        case .maxAge: ["最高年龄"]
        case .requiredCertificates: ["所需证书"]
        case .requiredSkills: ["所需技能"]
        case .preferredSkills: ["优先技能"]
        case .monthlyWage: ["月工资"]
        case .hoursPerWeek: ["周工时"]
        case .openFrom: ["开始招聘日期"]
        case .openUntil: ["截止日期"]
        case .year: ["年度"]
        case .employees: ["在职职工年平均人数"]
        case .monthlyHeadcounts: ["月度人数"]
        case .totalWages: ["职工工资总额"]
        case .veteranCertificateNo: ["残疾军人证号"]
        case .veteranGrade: ["残疾军人等级"]
        case .residentID: ["身份证号"]
        case .contractStart: ["合同开始日期"]
        case .contractEnd: ["合同结束日期"]
        case .establishment: ["在编"]
        case .monthsPaid: ["缴费月数"]
        case .lowestMonthlyWage: ["最低月工资"]
        case .newGraduate: ["应届高校毕业生"]
        case .contractMonths: ["合同月数"]
        }
    }

    /// How a value of this column is shown in an error message (CONTRACT.md §2, §5).
    func masked(_ value: String, kind: ImportKind) -> String {
        switch self {
        case .certificateNo, .veteranCertificateNo, .residentID:
            return Masking.identifier(String(FieldParser.trimmed(value)))
        case .phone:
            return Masking.phone(String(FieldParser.trimmed(value)))
        case .name where kind == .seekers:
            return Masking.name(value)
        default:
            return value
        }
    }
}

extension ImportKind {
    /// The preferred Chinese alias of `column` in this kind's files.
    func alias(of column: Column) -> String {
        switch (self, column) {
        case (.regions, .name): "名称"
        case (.seekers, .name): "姓名"
        case (.employers, .name): "单位名称"
        case (.openings, .townCode): "工作地点"
        default: column.aliases[0]
        }
    }
}

extension ImportKind {
    /// Headers that equal employment forbids in any file (CONTRACT.md §2).
    public static let forbiddenHeaders: Set<String> = [
        "gender", "sex", "性别", "ethnicity", "民族", "hukou", "household_registration", "户籍", "户口",
    ]
}
