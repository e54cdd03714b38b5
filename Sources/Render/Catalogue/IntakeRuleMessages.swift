import Domain
import Intake

extension ImportMessages {
    /// The rule a cell or row breaks (the text after `—` in a row's line and in the rejects file).
    public static func rule(_ r: IntakeRule, _ lang: Language = .current) -> String {
        switch r {
        case .required: return lang.pick("必须填写", "a value is required")
        case .requiredOrMonthlyHeadcounts: return lang.pick("必须填写（或填写各月人数 monthly_headcounts）", "a value is required (or monthly_headcounts)")
        case .requiredUnlessEstablishment: return lang.pick("除非是编制人员（establishment 为是），必须填写", "a value is required unless establishment is yes")
        case .empty: return lang.pick("不能为空", "must not be empty")
        case .yesOrNo: return lang.pick("应为是或否（1/0、true/false、yes/no、y/n、是/否）", "must be yes or no (1/0, true/false, yes/no, y/n, 是/否)")
        case .dateShape: return lang.pick("应为日期，如 2025-03-01、2025/3/1 或 2025年3月1日", "must be a date such as 2025-03-01, 2025/3/1 or 2025年3月1日")
        case .notARealDate: return lang.pick("不是日历上真实存在的日期", "is not a real calendar date")
        case .afterToday(let d): return lang.pick("不能晚于今天（\(d)）", "must not be after today (\(d))")
        case .moneyShape: return lang.pick("应为以元为单位、最多两位小数的金额，如 2100 或 2,100.50", "must be an amount in yuan with at most two decimals, such as 2100 or 2,100.50")
        case .negative: return lang.pick("不能为负数", "must not be negative")
        case .moneyTooLarge: return lang.pick("金额过大", "is too large for an amount of money")
        case .numberShape: return lang.pick("应为数字，如 36 或 36.5", "must be a number such as 36 or 36.5")
        case .tooManyDigits: return lang.pick("位数过多", "has too many digits")
        case .tooManyDecimalDigits: return lang.pick("位数过多：整数部分最多 9 位，小数部分最多 4 位", "has too many digits: at most 9 before the decimal point and 4 after")
        case .wholeNumber: return lang.pick("应为整数", "must be a whole number")
        case .atLeast(let n): return lang.pick("不能小于 \(n)", "must be at least \(n)")
        case .between(let a, let b): return lang.pick("应在 \(a) 到 \(b) 之间", "must be between \(a) and \(b)")
        case .tooLong(let kind, let limit, let found):
            let zh = ["names": "名称", "texts": "文字", "codes": "代码"][kind.rawValue] ?? kind.rawValue
            return lang.pick("\(zh)最多 \(limit) 个字符，实际 \(found) 个", "\(kind.rawValue) are at most \(limit) characters, found \(found)")
        case .numberTooLong(let limit, let found): return lang.pick("号码最多 \(limit) 个字符，实际 \(found) 个", "numbers are at most \(limit) characters, found \(found)")
        case .phoneTooLong(let limit): return lang.pick("电话号码最多 \(limit) 个字符", "phone numbers are at most \(limit) characters")
        case .listTooLong(let limit, let found): return lang.pick("列表最多 \(limit) 项，实际 \(found) 项", "lists have at most \(limit) items, found \(found)")
        case .listItemTooLong(let limit): return lang.pick("列表中每项最多 \(limit) 个字符", "list items are at most \(limit) characters")
        case .notOneOf(let s): return lang.pick("应为以下之一：\(s)", "must be one of \(s)")
        case .itemNotOneOf(let item, let s): return lang.pick("\(item) 不是以下之一：\(s)", "\(item) is not one of \(s)")
        case .notACategory: return lang.pick("不是职业类别表中的类别", "is not a job category in the category table")
        case .itemNotACategory(let item): return lang.pick("\(item) 不是职业类别表中的类别", "\(item) is not a job category in the category table")
        case .identity(let e, let standard): return identity(e, standard: standard, lang)
        case .controlCharacter:
            return lang.pick("含有控制字符（制表符、换行、转义符或 NUL）；请去掉后重新输入该值",
                             "holds a control character (tab, line break, escape or NUL); type the value again without it")
        case .mangled(let m): return mangled(m, lang)
        case .notLoaded(let what):
            let zh = ["region": "地区", "household": "户", "opening": "岗位"][what.rawValue] ?? what.rawValue
            return lang.pick("没有已导入的此代码的\(zh)（请先导入\(zh)）", "no \(what.rawValue) with this code is loaded (load \(what.rawValue)s first)")
        case .parentNotLoaded: return lang.pick("没有此代码的地区（既未导入，也不在本文件中）", "no region with this code is loaded or in this file")
        case .neighboursNotLoaded(let codes):
            return lang.pick("没有代码为 \(codes.joined(separator: "、")) 的地区（既未导入，也不在本文件中）",
                             "no region with code \(codes.joined(separator: ", ")) is loaded or in this file")
        case .seekerNotLoaded: return lang.pick("没有已导入的此残疾人证号的求职者（请先导入求职者）", "no seeker with this certificate number is loaded (load seekers first)")
        case .employerNotLoaded: return lang.pick("没有已导入的此信用代码的用人单位（请先导入用人单位）", "no employer with this credit code is loaded (load employers first)")
        case .ownParent: return lang.pick("地区不能是自己的上级", "a region cannot be its own parent")
        case .ownNeighbour: return lang.pick("地区不能与自己相邻", "a region cannot be its own neighbour")
        case .endBeforeStart: return lang.pick("结束日期早于开始日期", "the end date is before the start date")
        case .openUntilBeforeOpenFrom: return lang.pick("截止日期（open_until）早于开放日期（open_from）", "open_until is before open_from")
        case .contractEndsBeforeStart: return lang.pick("合同结束早于开始", "the contract ends before it starts")
        case .quotaOpeningNeedsCreditCode: return lang.pick("按比例安排的岗位须填写用人单位的统一社会信用代码", "a quota opening needs the employer's credit code")
        case .maxAgeBelowMinAge(let n): return lang.pick("最大年龄小于最小年龄（\(n)）", "max_age is below min_age (\(n))")
        case .monthlyHeadcounts(let e, let f): return lang.pick("应列出 \(e) 个月的人数，实际 \(f) 个", "must list \(e) monthly headcounts, found \(f)")
        case .differsFromMean(let m): return lang.pick("与各月人数的平均值（\(m)）不符", "differs from the mean of monthly_headcounts (\(m))")
        case .certificateRequired:
            return lang.pick("须填写残疾人证号（或退役军人残疾证号加身份证号）",
                             "a certificate number (or a veteran certificate number with resident_id) is required")
        case .veteranNeedsResidentID: return lang.pick("退役军人一行须填写身份证号", "a veteran row needs the resident ID")
        case .strayValue: return lang.pick("该值所在的列没有列名，会被丢失", "a value under no column header would be lost")
        case .duplicateKey(let columns, let first):
            return lang.pick("键 \(columns.joined(separator: "、")) 重复：第 \(first) 行已有",
                             "duplicate key \(columns.joined(separator: ", ")): already on row \(first)")
        case .samePerson(let first):
            return lang.pick("与第 \(first) 行是同一人（身份证号相同）：一人只能有一条记录",
                             "the same person (resident ID) as row \(first): one person, one record")
        }
    }

    /// An identity number its standard refuses.
    static func identity(_ e: IdentityError, standard: String, _ lang: Language) -> String {
        switch e {
        case .wrongLength(let x, let a): return lang.pick("应为 \(x) 位，实际 \(a) 位", "must be \(x) characters, found \(a)")
        case .badCharacter(let p): return lang.pick("第 \(p) 位的字符不允许出现在这里", "character \(p) is not allowed here")
        case .badCheckCharacter: return lang.pick("校验码不符（\(standard)）", "check character does not match (\(standard))")
        case .badBirthDate: return lang.pick("出生日期不是真实的日期", "birth date is not a real date")
        case .birthDateInFuture: return lang.pick("出生日期在将来", "birth date is in the future")
        case .badDisabilityCategory: return lang.pick("残疾类别应为 1–7", "disability category must be 1–7")
        case .badDisabilityGrade: return lang.pick("残疾等级应为 1–4", "disability grade must be 1–4")
        case .badReissueSuffix: return lang.pick("补发后缀应为 B 加数字", "reissue suffix must be B followed by a number")
        }
    }

    /// What a spreadsheet did to a number, and how to fix it (issue 15).
    static func mangled(_ m: IntakeRule.Mangled, _ lang: Language) -> String {
        guard lang == .en else { return m.text }
        let fix = "in the spreadsheet, set the column's format to \u{201C}Text\u{201D} and paste the original numbers again, or import the .xlsx file itself"
        switch m {
        case .scientific(let shown):
            return "the spreadsheet turned it into scientific notation (\(shown)); only 15 significant digits are left and the number cannot be recovered; \(fix)"
        case .decimalPoint: return "the spreadsheet treated it as a number (a trailing decimal point .0); \(fix)"
        case .certificateShort(let n):
            return "only \(n) digits; a disability certificate number has 20 (the 18-digit resident ID plus category and grade): the spreadsheet may have cut it as a number or dropped leading zeros; \(fix)"
        case .certificateZeroed:
            return "the last 5 digits are all 0: the spreadsheet kept the number as a number, kept only the first 15 digits and set the rest to 0; \(fix)"
        case .certificateLong(let n):
            return "\(n) digits; a disability certificate number has 20 (a reissued one ends in B1, B2…); \(fix)"
        case .residentIDLength(let n):
            return "\(n) digits; a resident ID has 18: the spreadsheet may have cut it as a number or dropped leading zeros; \(fix)"
        case .residentIDZeroed:
            return "the last 3 digits are all 0: the spreadsheet kept the number as a number, kept only the first 15 digits and set the rest to 0; \(fix)"
        case .creditCodeLength(let n):
            return "\(n) digits; a unified social credit code has 18: the spreadsheet may have cut it as a number or dropped leading zeros; \(fix)"
        case .phoneLostZero:
            return "the leading 0 is missing: the spreadsheet treated the phone number as a number and dropped the area code's leading 0 (write a landline as 0379…); \(fix)"
        case .numericCell:
            return "this column is formatted as numbers in the workbook, so resident IDs, certificate numbers and credit codes past 15 digits were changed: set the column's format to \u{201C}Text\u{201D} and type the original numbers again"
        }
    }
}
