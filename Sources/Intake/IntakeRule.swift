import Domain

/// The rule a cell or row breaks, as a typed value with its facts. Render words it
/// (`ImportMessages.rule(_:_:)`, Chinese by default, English with `--lang en`);
/// `text` is the fallback for callers without Render (logs, `RowError.description`).
public enum IntakeRule: Sendable, Hashable {
    // MARK: cells
    /// A required cell is empty.
    case required
    /// `employees` is empty and so is `monthly_headcounts`.
    case requiredOrMonthlyHeadcounts
    /// `contract_start` is empty on a row that is not an establishment (编制).
    case requiredUnlessEstablishment
    /// A cell that must hold something holds only blanks.
    case empty
    case yesOrNo
    case dateShape
    case notARealDate
    case afterToday(CivilDate)
    case moneyShape
    case negative
    case moneyTooLarge
    case numberShape
    case tooManyDigits
    /// More than 9 digits before the decimal point or 4 after.
    case tooManyDecimalDigits
    case wholeNumber
    case atLeast(Int)
    case between(Int, Int)
    /// A name, text or code longer than `limit` characters.
    case tooLong(TextKind, limit: Int, found: Int)
    /// A roster's certificate or resident ID number longer than `limit`.
    case numberTooLong(limit: Int, found: Int)
    case phoneTooLong(limit: Int)
    case listTooLong(limit: Int, found: Int)
    case listItemTooLong(limit: Int)
    /// Not one of an enumeration's spellings (codes and labels, as `CodedValue.spellings` lists them).
    case notOneOf(String)
    case itemNotOneOf(item: String, spellings: String)
    case notACategory
    case itemNotACategory(String)
    /// An identity number refused by its standard (`GB 11643`, `GB 32100`).
    case identity(IdentityError, standard: String)
    /// A tab, line break, escape or NUL in a cell.
    case controlCharacter

    // MARK: spreadsheet damage (issue 15)
    case mangled(Mangled)

    // MARK: rows
    /// A code of `what` that no loaded row has.
    case notLoaded(Reference)
    /// A parent region neither loaded nor in this file.
    case parentNotLoaded
    /// Neighbour regions neither loaded nor in this file.
    case neighboursNotLoaded([String])
    case seekerNotLoaded
    case employerNotLoaded
    case ownParent
    case ownNeighbour
    case endBeforeStart
    case openUntilBeforeOpenFrom
    case contractEndsBeforeStart
    case quotaOpeningNeedsCreditCode
    case maxAgeBelowMinAge(Int)
    case monthlyHeadcounts(expected: Int, found: Int)
    /// `employees` differs from the mean of `monthly_headcounts` (the mean as a decimal string).
    case differsFromMean(String)
    case certificateRequired
    case veteranNeedsResidentID
    /// A value past the header's last named column.
    case strayValue(column: Int)
    case duplicateKey(columns: [String], firstRow: Int)
    /// One person, one record (issue 7).
    case samePerson(firstRow: Int)

    public enum TextKind: String, Sendable, Hashable { case names, texts, codes }
    public enum Reference: String, Sendable, Hashable { case region, household, opening }

    /// What a spreadsheet did to a number (issue 15); each is refused with the way to fix it.
    public enum Mangled: Sendable, Hashable {
        /// Shown as scientific notation (`4.1030…E+019`, already cut to what masking shows).
        case scientific(String)
        case decimalPoint
        case certificateShort(digits: Int)
        case certificateZeroed
        case certificateLong(digits: Int)
        case residentIDLength(digits: Int)
        case residentIDZeroed
        case creditCodeLength(digits: Int)
        case phoneLostZero
        /// The column is numeric in the workbook: long numbers in it were changed.
        case numericCell
    }

    /// The rule in the words Intake has always used (English; the spreadsheet-damage rules in Chinese).
    public var text: String {
        switch self {
        case .required: return "a value is required"
        case .requiredOrMonthlyHeadcounts: return "a value is required (or monthly_headcounts)"
        case .requiredUnlessEstablishment: return "a value is required unless establishment is yes"
        case .empty: return "must not be empty"
        case .yesOrNo: return "must be yes or no (1/0, true/false, yes/no, y/n, 是/否)"
        case .dateShape: return "must be a date such as 2025-03-01, 2025/3/1 or 2025年3月1日"
        case .notARealDate: return "is not a real calendar date"
        case .afterToday(let d): return "must not be after today (\(d))"
        case .moneyShape: return "must be an amount in yuan with at most two decimals, such as 2100 or 2,100.50"
        case .negative: return "must not be negative"
        case .moneyTooLarge: return "is too large for an amount of money"
        case .numberShape: return "must be a number such as 36 or 36.5"
        case .tooManyDigits: return "has too many digits"
        case .tooManyDecimalDigits: return "has too many digits: at most 9 before the decimal point and 4 after"
        case .wholeNumber: return "must be a whole number"
        case .atLeast(let n): return "must be at least \(n)"
        case .between(let a, let b): return "must be between \(a) and \(b)"
        case .tooLong(let k, let limit, let found): return "\(k.rawValue) are at most \(limit) characters, found \(found)"
        case .numberTooLong(let limit, let found): return "numbers are at most \(limit) characters, found \(found)"
        case .phoneTooLong(let limit): return "phone numbers are at most \(limit) characters"
        case .listTooLong(let limit, let found): return "lists have at most \(limit) items, found \(found)"
        case .listItemTooLong(let limit): return "list items are at most \(limit) characters"
        case .notOneOf(let s): return "must be one of \(s)"
        case .itemNotOneOf(let item, let s): return "\(item) is not one of \(s)"
        case .notACategory: return "is not a job category in the category table"
        case .itemNotACategory(let item): return "\(item) is not a job category in the category table"
        case .identity(let e, let standard):
            if e == .badCheckCharacter { return "check character does not match (\(standard))" }
            return e.rule
        case .controlCharacter: return "holds a control character (tab, line break, escape or NUL); type the value again without it"
        case .mangled(let m): return m.text
        case .notLoaded(let what): return "no \(what.rawValue) with this code is loaded (load \(what.rawValue)s first)"
        case .parentNotLoaded: return "no region with this code is loaded or in this file"
        case .neighboursNotLoaded(let codes): return "no region with code \(codes.joined(separator: ", ")) is loaded or in this file"
        case .seekerNotLoaded: return "no seeker with this certificate number is loaded (load seekers first)"
        case .employerNotLoaded: return "no employer with this credit code is loaded (load employers first)"
        case .ownParent: return "a region cannot be its own parent"
        case .ownNeighbour: return "a region cannot be its own neighbour"
        case .endBeforeStart: return "the end date is before the start date"
        case .openUntilBeforeOpenFrom: return "open_until is before open_from"
        case .contractEndsBeforeStart: return "the contract ends before it starts"
        case .quotaOpeningNeedsCreditCode: return "a quota opening needs the employer's credit code"
        case .maxAgeBelowMinAge(let n): return "max_age is below min_age (\(n))"
        case .monthlyHeadcounts(let e, let f): return "must list \(e) monthly headcounts, found \(f)"
        case .differsFromMean(let m): return "differs from the mean of monthly_headcounts (\(m))"
        case .certificateRequired: return "a certificate number (or a veteran certificate number with resident_id) is required"
        case .veteranNeedsResidentID: return "a veteran row needs the resident ID"
        case .strayValue: return "a value under no column header would be lost"
        case .duplicateKey(let columns, let first): return "duplicate key \(columns.joined(separator: ", ")): already on row \(first)"
        case .samePerson(let first): return "the same person (resident ID) as row \(first): one person, one record"
        }
    }
}

extension IntakeRule.Mangled {
    /// Chinese, as issue 15 wrote them (Render has them in both languages).
    public var text: String {
        let fix = Mangling.fix
        switch self {
        case .scientific(let shown): return "被电子表格改成了科学计数法（\(shown)），只剩 15 位有效数字，号码已无法还原；\(fix)"
        case .decimalPoint: return "被电子表格当成了数字（末尾多了小数点 .0）；\(fix)"
        case .certificateShort(let n):
            return "只有 \(n) 位数字，残疾人证号应为 20 位（18 位身份证号加类别、等级）：可能被电子表格当成数字截断或去掉了开头的 0；\(fix)"
        case .certificateZeroed: return "末尾 5 位都是 0：电子表格把号码当成数字，只保留了前 15 位，后面的位被改成了 0；\(fix)"
        case .certificateLong(let n): return "有 \(n) 位数字，残疾人证号应为 20 位（补发证号的后缀是 B1、B2…）；\(fix)"
        case .residentIDLength(let n): return "有 \(n) 位数字，身份证号应为 18 位：可能被电子表格当成数字截断或去掉了开头的 0；\(fix)"
        case .residentIDZeroed: return "末尾 3 位都是 0：电子表格把号码当成数字，只保留了前 15 位，后面的位被改成了 0；\(fix)"
        case .creditCodeLength(let n): return "有 \(n) 位数字，统一社会信用代码应为 18 位：可能被电子表格当成数字截断或去掉了开头的 0；\(fix)"
        case .phoneLostZero: return "开头缺了 0：电子表格把电话号码当成数字，去掉了区号开头的 0（固定电话应写作 0379… 这样的形式）；\(fix)"
        case .numericCell: return Mangling.numericCellRule
        }
    }
}
