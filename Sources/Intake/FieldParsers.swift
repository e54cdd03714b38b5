import Domain

/// A field value that breaks a rule; the validator adds file, row, column and the (masked) value.
public struct FieldError: Error, Sendable, Hashable {
    /// The rule broken (Render words it).
    public var rule: IntakeRule
    public init(_ rule: IntakeRule) { self.rule = rule }
}

/// One parser per field rule of CONTRACT.md §2. Each takes the cell's text and
/// returns a typed value or throws the rule it breaks. Surrounding whitespace
/// (including the ideographic space U+3000) is ignored by every parser except
/// `text` and `name`, which keep the value exactly as given.
public enum FieldParser {
    /// Names are at most 50 characters (CONTRACT.md §2).
    public static let nameLimitDefault = 50
    /// Other text is at most 200 characters.
    public static let textLimitDefault = 200
    /// Lists hold at most 50 items.
    public static let listLimitDefault = 50
    /// Money above this many yuan is refused as a typo (10^13 yuan fits Int64 fen a thousandfold).
    public static let moneyDigitsDefault = 13

    // MARK: whitespace

    /// The text without surrounding whitespace.
    public static func trimmed(_ s: some StringProtocol) -> Substring {
        let sub = Substring(s)
        guard let f = sub.utf8.first, let l = sub.utf8.last else { return sub }
        if f > 0x20 && f < 0x80 && l > 0x20 && l < 0x80 { return sub }
        var a = sub.startIndex, b = sub.endIndex
        while a < b, sub[a].isWhitespace { a = sub.index(after: a) }
        while b > a, sub[sub.index(before: b)].isWhitespace { b = sub.index(before: b) }
        return sub[a..<b]
    }

    /// Whether the cell holds nothing but whitespace.
    public static func isBlank(_ s: some StringProtocol) -> Bool { trimmed(s).isEmpty }

    // MARK: booleans

    /// `1/0, true/false, yes/no, y/n, 是/否`, any case.
    public static func boolean(_ s: some StringProtocol) throws(FieldError) -> Bool {
        switch trimmed(s).lowercased() {
        case "1", "true", "yes", "y", "是": return true
        case "0", "false", "no", "n", "否": return false
        default: throw FieldError(.yesOrNo)
        }
    }

    // MARK: dates

    /// `2025-03-01`, `2025/3/1`, `2025/03/01` or `2025年3月1日`, a real calendar date.
    public static func date(_ s: some StringProtocol) throws(FieldError) -> CivilDate {
        let t = trimmed(s)
        let shape = FieldError(.dateShape)
        // The three numbers and the separators after the first two (and after the last, for 年月日).
        var numbers: [Int] = [], marks: [Character] = [], widths: [Int] = []
        var current = 0, digits = 0
        for ch in t {
            if let v = ch.asciiDigit {
                guard digits < 4 else { throw shape }
                current = current * 10 + v
                digits += 1
            } else {
                guard digits > 0 else { throw shape }
                numbers.append(current); widths.append(digits); marks.append(ch)
                current = 0; digits = 0
            }
        }
        if digits > 0 { numbers.append(current); widths.append(digits) }
        let ok: Bool
        switch marks {
        case ["-", "-"], ["/", "/"]: ok = digits > 0
        case ["年", "月", "日"]: ok = digits == 0
        default: ok = false
        }
        guard ok, numbers.count == 3, widths[0] == 4, widths[1] <= 2, widths[2] <= 2 else { throw shape }
        guard let d = CivilDate(year: numbers[0], month: numbers[1], day: numbers[2]) else {
            throw FieldError(.notARealDate)
        }
        return d
    }

    // MARK: numbers

    /// Yuan with up to two decimals and optional thousands commas (`2100`, `2,100.50`) → exact fen.
    public static func money(_ s: some StringProtocol) throws(FieldError) -> Fen {
        let shape = FieldError(.moneyShape)
        let (whole, frac, negative) = try decimalParts(trimmed(s), shape: shape)
        if negative { throw FieldError(.negative) }
        guard frac.count <= 2 else { throw shape }
        guard whole.count <= moneyDigitsDefault else { throw FieldError(.moneyTooLarge) }
        var fen: Int64 = 0
        for d in whole { fen = fen * 10 + Int64(d) }
        fen *= 100
        if frac.count >= 1 { fen += Int64(frac[0]) * 10 }
        if frac.count == 2 { fen += Int64(frac[1]) }
        return Fen(fen)
    }

    /// A non-negative decimal (`36.5`, `1,204.25`) → an exact rational.
    public static func decimal(_ s: some StringProtocol) throws(FieldError) -> Rational {
        let shape = FieldError(.numberShape)
        let (whole, frac, negative) = try decimalParts(trimmed(s), shape: shape)
        if negative { throw FieldError(.negative) }
        guard whole.count + frac.count <= 30 else { throw FieldError(.tooManyDigits) }
        // Bounded before any arithmetic: a mean or a ratio of such numbers stays within Int128 (issue 17).
        guard whole.count <= 9, frac.count <= 4 else { throw FieldError(.tooManyDecimalDigits) }
        var n: Int128 = 0
        for d in whole + frac { n = n * 10 + Int128(d) }
        var scale: Int128 = 1
        for _ in frac { scale *= 10 }
        return Rational(n, scale)
    }

    /// Splits `[-]digits[.digits]` where the whole part may be grouped by thousands commas.
    private static func decimalParts(_ t: Substring, shape: FieldError) throws(FieldError) -> (whole: [Int], frac: [Int], negative: Bool) {
        var u = Array(t.utf8)
        var negative = false
        if u.first == UInt8(ascii: "-") { negative = true; u.removeFirst() } else if u.first == UInt8(ascii: "+") { u.removeFirst() }
        var whole: [Int] = [], frac: [Int] = []
        var inFrac = false
        var groups: [Int] = [0]  // digits per comma-separated group of the whole part
        for b in u {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inFrac { frac.append(Int(b - 48)) } else { whole.append(Int(b - 48)); groups[groups.count - 1] += 1 }
            case UInt8(ascii: "."):
                guard !inFrac else { throw shape }
                inFrac = true
            case UInt8(ascii: ","):
                guard !inFrac else { throw shape }
                groups.append(0)
            default:
                throw shape
            }
        }
        guard !whole.isEmpty, !(inFrac && frac.isEmpty) else { throw shape }
        if groups.count > 1 {
            guard (1...3).contains(groups[0]), groups.dropFirst().allSatisfy({ $0 == 3 }) else { throw shape }
        }
        return (whole, frac, negative)
    }

    /// A whole number within `range`.
    public static func integer(_ s: some StringProtocol, in range: ClosedRange<Int>) throws(FieldError) -> Int {
        let t = trimmed(s)
        guard let v = Int(t), t.utf8.count <= 18 else { throw FieldError(.wholeNumber) }
        guard range.contains(v) else {
            if range.upperBound == Int.max { throw FieldError(.atLeast(range.lowerBound)) }
            throw FieldError(.between(range.lowerBound, range.upperBound))
        }
        // Every integer column is int4 (sql/): a larger number would fail in PostgreSQL (issue 17).
        guard v >= Int(Int32.min), v <= Int(Int32.max) else { throw FieldError(.between(Int(Int32.min), Int(Int32.max))) }
        return v
    }

    // MARK: text

    /// A name: as given, not blank, at most 50 characters.
    public static func name(_ s: String) throws(FieldError) -> String {
        try limited(s, nameLimitDefault, what: .names)
    }

    /// Other text: as given, not blank, at most 200 characters.
    public static func text(_ s: String) throws(FieldError) -> String {
        try limited(s, textLimitDefault, what: .texts)
    }

    /// A code or number that identifies something (region, household, opening, skill):
    /// trimmed, at most 50 characters.
    public static func code(_ s: some StringProtocol) throws(FieldError) -> String {
        let t = trimmed(s)
        guard !t.isEmpty else { throw FieldError(.empty) }
        return try limited(String(t), nameLimitDefault, what: .codes)
    }

    private static func limited(_ s: String, _ limit: Int, what: IntakeRule.TextKind) throws(FieldError) -> String {
        if isBlank(s) { throw FieldError(.empty) }
        // Counting characters is slow; a string of ≤ limit UTF-8 bytes cannot exceed it.
        if s.utf8.count > limit {
            let n = s.count
            if n > limit { throw FieldError(.tooLong(what, limit: limit, found: n)) }
        }
        return s
    }

    /// `ch == ";" || ch == "；" || ch == "、"`, without Character's canonical-equivalence
    /// comparison (slow for non-ASCII): a Character equals one of them exactly when it is the
    /// single scalar U+003B, U+FF1B or U+3001, or U+037E (Greek question mark, whose
    /// canonical decomposition is U+003B).
    @inline(__always)
    static func isListSeparator(_ ch: Character) -> Bool {
        let scalars = ch.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return false }
        switch first.value {
        case 0x3B, 0x37E, 0xFF1B, 0x3001: return true
        default: return false
        }
    }

    /// A list split on `;`, `；` or `、`, items trimmed, empty items dropped, at most 50 items.
    public static func list(_ s: some StringProtocol) throws(FieldError) -> [String] {
        let items: [String]
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (most lists: codes): `;` is the only separator that can occur, and
            // splitting bytes skips grapheme breaking.
            items = s.utf8.split(separator: UInt8(ascii: ";"))
                .map { String(trimmed(String(decoding: $0, as: UTF8.self))) }
                .filter { !$0.isEmpty }
        } else {
            items = s.split(whereSeparator: isListSeparator)
                .map { String(trimmed($0)) }
                .filter { !$0.isEmpty }
        }
        guard items.count <= listLimitDefault else {
            throw FieldError(.listTooLong(limit: listLimitDefault, found: items.count))
        }
        return items
    }

    /// A list of codes (each at most 50 characters).
    public static func codeList(_ s: some StringProtocol) throws(FieldError) -> [String] {
        let items = try list(s)
        for item in items where item.count > nameLimitDefault {
            throw FieldError(.listItemTooLong(limit: nameLimitDefault))
        }
        return items
    }

    // MARK: enumerations and categories

    /// An enumerated value by English code (any case) or Chinese label.
    public static func enumeration<T: CodedValue>(_ s: some StringProtocol, as: T.Type = T.self) throws(FieldError) -> T {
        guard let v = T(codeOrLabel: trimmed(s)) else { throw FieldError(.notOneOf(T.spellings)) }
        return v
    }

    /// A list of enumerated values.
    public static func enumerationList<T: CodedValue>(_ s: some StringProtocol, as: T.Type = T.self) throws(FieldError) -> [T] {
        var out: [T] = []
        for item in try list(s) {
            guard let v = T(codeOrLabel: item) else { throw FieldError(.itemNotOneOf(item: item, spellings: T.spellings)) }
            if !out.contains(v) { out.append(v) }
        }
        return out
    }

    /// A job category by code (any case) or name, against the table in force → its code.
    public static func category(_ s: some StringProtocol, in table: CategoryTable) throws(FieldError) -> String {
        let t = trimmed(s)
        guard let c = table.lookup(t) else { throw FieldError(.notACategory) }
        return c.code
    }

    // MARK: identities

    /// A resident ID (GB 11643): check character (`x` read as `X`), a real birth date not after `today`.
    public static func residentID(_ s: some StringProtocol, today: CivilDate) throws(FieldError) -> ResidentID {
        let t = Mangling.foldWidth(trimmed(s))
        try Mangling.check(t, .residentID)
        do { return try ResidentID(t, today: today) } catch { throw FieldError(.identity(error, standard: "GB 11643")) }
    }

    /// A 残疾人证号: resident ID, category 1–7, grade 1–4, optional reissue suffix `B1`, `B2`, ….
    public static func certificate(_ s: some StringProtocol, today: CivilDate) throws(FieldError) -> CertificateNumber {
        let t = Mangling.foldWidth(trimmed(s))
        try Mangling.check(t, .certificate)
        do { return try CertificateNumber(t, today: today) } catch { throw FieldError(.identity(error, standard: "GB 11643")) }
    }

    /// A unified social credit code (GB 32100): 18 characters with its check character.
    public static func creditCode(_ s: some StringProtocol) throws(FieldError) -> CreditCode {
        let t = Mangling.foldWidth(trimmed(s))
        try Mangling.check(t, .creditCode)
        do { return try CreditCode(t) } catch { throw FieldError(.identity(error, standard: "GB 32100")) }
    }

    static func rule(_ e: IdentityError, standard: String) -> String {
        switch e {
        case .badCheckCharacter: return "check character does not match (\(standard))"
        default: return e.rule
        }
    }
}

/// The job categories in force (CONTRACT.md §2.1), looked up by code (any case) or name.
public struct CategoryTable: Sendable {
    public let categories: [JobCategory]
    private let byKey: [String: JobCategory]

    public init(_ categories: [JobCategory]) {
        self.categories = categories
        var m: [String: JobCategory] = [:]
        for c in categories {
            m[c.code.lowercased()] = c
            if m[c.name] == nil { m[c.name] = c }
        }
        byKey = m
    }

    /// The category whose code (any case) or name is `text`.
    public func lookup(_ text: some StringProtocol) -> JobCategory? {
        byKey[String(text)] ?? byKey[text.lowercased()]
    }
}

extension Character {
    /// 0–9 for an ASCII digit, else nil (not Chinese or full-width numerals).
    var asciiDigit: Int? {
        guard let a = asciiValue, a >= 48, a <= 57 else { return nil }
        return Int(a - 48)
    }
}
