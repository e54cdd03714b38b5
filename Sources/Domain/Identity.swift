/// Sex, as the 17th digit of a resident ID encodes it (odd: male).
public enum Sex: String, Sendable, Hashable, CaseIterable {
    case male, female
    /// 男 / 女.
    public var label: String { self == .male ? "男" : "女" }
}

/// Why an identity number was refused; each case names one rule.
public enum IdentityError: Error, Hashable, Sendable {
    case wrongLength(expected: Int, actual: Int)
    case badCharacter(position: Int)
    case badCheckCharacter
    case badBirthDate
    case birthDateInFuture
    case badDisabilityCategory
    case badDisabilityGrade
    case badReissueSuffix

    /// The rule broken, in words staff read (English, short).
    public var rule: String {
        switch self {
        case .wrongLength(let e, let a): return "must be \(e) characters, found \(a)"
        case .badCharacter(let p): return "character \(p) is not allowed here"
        case .badCheckCharacter: return "check character does not match (GB 11643 / GB 32100)"
        case .badBirthDate: return "birth date is not a real date"
        case .birthDateInFuture: return "birth date is in the future"
        case .badDisabilityCategory: return "disability category must be 1–7"
        case .badDisabilityGrade: return "disability grade must be 1–4"
        case .badReissueSuffix: return "reissue suffix must be B followed by a number"
        }
    }
}

/// A resident identity number (公民身份号码), GB 11643-1999: 17 digits and a
/// check character (0–9 or X) computed with ISO 7064 MOD 11-2.
///
/// Example: `11010519491231002X` — born 1949-12-31, female (17th digit 2).
public struct ResidentID: Hashable, Comparable, Sendable {
    /// The 18 characters, check character upper-cased.
    public let value: String
    /// Birth date, from characters 7–14.
    public let birthDate: CivilDate
    /// Sex, from the parity of character 17.
    public let sex: Sex

    /// The weights of ISO 7064 MOD 11-2 for positions 1–17.
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check characters by (Σ weight × digit) mod 11.
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character for 17 leading digits.
    public static func checkCharacter(for digits: some Collection<UInt8>) -> Character {
        var sum = 0
        for (w, d) in zip(weights, digits) { sum += w * Int(d - 48) }
        return checkCharacters[sum % 11]
    }

    /// Validates `text` (a trailing `x` is read as `X`). `today`, when given,
    /// refuses birth dates after it.
    public init(_ text: some StringProtocol, today: CivilDate? = nil) throws(IdentityError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 18 else {
            // Counted in characters, as the message says: 18 full-width digits are 54 bytes.
            let chars = Array(text)
            if chars.count == 18, let i = chars.firstIndex(where: { !$0.isASCII }) { throw .badCharacter(position: i + 1) }
            throw .wrongLength(expected: 18, actual: chars.count)
        }
        for i in 0..<17 where !(48...57).contains(bytes[i]) { throw .badCharacter(position: i + 1) }
        var last = bytes[17]
        if last == UInt8(ascii: "x") { last = UInt8(ascii: "X") }
        guard (48...57).contains(last) || last == UInt8(ascii: "X") else { throw .badCharacter(position: 18) }
        guard Character(UnicodeScalar(last)) == ResidentID.checkCharacter(for: bytes[0..<17]) else { throw .badCheckCharacter }
        func number(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        guard let birth = CivilDate(year: number(6..<10), month: number(10..<12), day: number(12..<14)),
              birth.year >= 1900 else { throw .badBirthDate }
        if let today, birth > today { throw .birthDateInFuture }
        self.birthDate = birth
        self.sex = number(16..<17) % 2 == 1 ? .male : .female
        self.value = String(decoding: bytes[0..<17] + [last], as: UTF8.self)
    }

    /// Masked as CONTRACT.md §5 says (`Masking.identifier`).
    public var masked: String { Masking.identifier(value) }

    public static func < (a: ResidentID, b: ResidentID) -> Bool { a.value < b.value }
}

/// Disability category on a 残疾人证 (GB/T 26341), the 19th character.
public enum DisabilityCategory: Int, Sendable, CaseIterable, Hashable {
    case vision = 1, hearing, speech, physical, intellectual, mental, multiple
    /// 视力, 听力, 言语, 肢体, 智力, 精神, 多重.
    public var label: String {
        ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"][rawValue - 1]
    }
    /// English code used in data files (the policy book's demand table).
    public var code: String {
        ["vision", "hearing", "speech", "physical", "intellectual", "mental", "multiple"][rawValue - 1]
    }
}

/// A 残疾人证号: an 18-character resident ID, the disability category (1–7) and
/// grade (1 most severe … 4), optionally followed by a reissue suffix `B1`, `B2`, …
/// which is kept apart and is not part of the key.
///
/// Example: `41030719800101002X42` — the ID, category 4 (肢体), grade 2.
public struct CertificateNumber: Hashable, Comparable, Sendable {
    /// The holder's resident ID.
    public let residentID: ResidentID
    /// Disability category.
    public let category: DisabilityCategory
    /// Disability grade, 1 (most severe) to 4.
    public let grade: Int
    /// The reissue number of a suffix `Bn`, or nil.
    public let reissue: Int?

    /// The 20-character key (without reissue suffix). Stored: imports and runs read it often.
    public let key: String

    /// Validates `text`; `today`, when given, refuses birth dates after it.
    public init(_ text: some StringProtocol, today: CivilDate? = nil) throws(IdentityError) {
        let bytes = Array(text.utf8)
        // Nearly every number is ASCII: read it byte by byte. Anything else takes the
        // character path, which counts characters the way the messages do.
        guard bytes.allSatisfy({ $0 < 0x80 }) else { try self.init(characters: String(text), today: today); return }
        guard bytes.count >= 20 else { throw .wrongLength(expected: 20, actual: bytes.count) }
        let id = try ResidentID(String(decoding: bytes[0..<18], as: UTF8.self), today: today)
        guard (49...55).contains(bytes[18]), let category = DisabilityCategory(rawValue: Int(bytes[18] - 48)) else {
            throw .badDisabilityCategory
        }
        guard (49...52).contains(bytes[19]) else { throw .badDisabilityGrade }
        var reissue: Int? = nil
        if bytes.count > 20 {
            let rest = bytes[20...]
            guard rest.first == UInt8(ascii: "B") || rest.first == UInt8(ascii: "b"), rest.count >= 2, rest.count <= 4,
                  let n = Int(String(decoding: rest.dropFirst(), as: UTF8.self)), n >= 1 else { throw .badReissueSuffix }
            reissue = n
        }
        self.init(residentID: id, category: category, grade: Int(bytes[19] - 48), reissue: reissue)
    }

    /// The general path: any text, measured in characters.
    private init(characters s: String, today: CivilDate?) throws(IdentityError) {
        guard s.utf8.count >= 20 else { throw .wrongLength(expected: 20, actual: s.count) }
        let chars = Array(s)
        guard chars.count >= 20 else { throw .wrongLength(expected: 20, actual: chars.count) }
        let id = try ResidentID(String(chars[0..<18]), today: today)
        guard let c = chars[18].wholeNumberValue, chars[18].isASCII, let category = DisabilityCategory(rawValue: c) else {
            throw .badDisabilityCategory
        }
        guard let g = chars[19].wholeNumberValue, chars[19].isASCII, (1...4).contains(g) else { throw .badDisabilityGrade }
        var reissue: Int? = nil
        if chars.count > 20 {
            let rest = chars[20...]
            guard rest.first == "B" || rest.first == "b", rest.count >= 2, rest.count <= 4,
                  let n = Int(String(rest.dropFirst())), n >= 1, rest.dropFirst().allSatisfy({ $0.isASCII }) else { throw .badReissueSuffix }
            reissue = n
        }
        self.init(residentID: id, category: category, grade: g, reissue: reissue)
    }

    private init(residentID: ResidentID, category: DisabilityCategory, grade: Int, reissue: Int?) {
        self.residentID = residentID; self.category = category; self.grade = grade; self.reissue = reissue
        self.key = residentID.value + String(category.rawValue) + String(grade)
    }

    /// The number as printed, with its reissue suffix when there is one.
    public var printed: String { reissue.map { key + "B\($0)" } ?? key }

    /// Masked as CONTRACT.md §5 says (`Masking.identifier`): category and grade hidden.
    public var masked: String { Masking.identifier(key) }

    public static func < (a: CertificateNumber, b: CertificateNumber) -> Bool { a.key < b.key }
}

/// A unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters
/// from `0-9A-Z` without I, O, Z, S, V; the last is a check character mod 31.
///
/// Example: `91410300MA44XXXXXX` shapes; the test suite holds real-form examples.
public struct CreditCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 18 characters, upper case.
    public let value: String

    /// The 31 characters of the code's alphabet, in value order.
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The check character for 17 leading characters (each from `alphabet`).
    public static func checkCharacter(for head: some Collection<Character>) -> Character? {
        var sum = 0
        for (w, c) in zip(weights, head) {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            sum += w * v
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Validates `text` (lower case is accepted and upper-cased).
    public init(_ text: some StringProtocol) throws(IdentityError) {
        let chars = Array(text.uppercased())
        guard chars.count == 18 else { throw .wrongLength(expected: 18, actual: chars.count) }
        for (i, c) in chars.enumerated() where !CreditCode.alphabet.contains(c) { throw .badCharacter(position: i + 1) }
        guard CreditCode.checkCharacter(for: chars[0..<17]) == chars[17] else { throw .badCheckCharacter }
        value = String(chars)
    }

    public var description: String { value }
    public static func < (a: CreditCode, b: CreditCode) -> Bool { a.value < b.value }
}

/// Masking of personal identifiers in every output (CONTRACT.md §5).
public enum Masking {
    /// Masks an identity number (CONTRACT.md §5): a resident ID keeps its first 6
    /// and last 4 characters (`410307********123X`); a certificate number (the
    /// resident ID, then disability category and grade) masks the same way and
    /// also hides the category and grade — health data — while a reissue suffix
    /// stays (`410307********123X**`, `410307********123X**B1`). Anything else
    /// (a veteran's number, a malformed value) keeps at most its first 6 and last 4.
    public static func identifier(_ s: String) -> String {
        // Printable ASCII (every certificate and identity number): one byte a
        // character, no grapheme breaking. A run's explanations mask ~25,000
        // numbers; `Array(s)` of Characters made that a quarter of `explain`.
        let bytes = Array(s.utf8)
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return String(decoding: masked(bytes, star: UInt8(ascii: "*")), as: UTF8.self)
        }
        return masked(Array(s), star: "*").map(String.init).joined()
    }

    /// Positions 0–5 and 14–17 of a resident ID show; a certificate's 18–19 (category,
    /// grade) never do; a reissue suffix after them does.
    static func masked<T>(_ c: [T], star: T) -> [T] {
        switch c.count {
        case 18:
            return Array(c[0..<6]) + Array(repeating: star, count: 8) + Array(c[14..<18])
        case 20...24:
            return Array(c[0..<6]) + Array(repeating: star, count: 8) + Array(c[14..<18]) + [star, star] + Array(c[20...])
        case 11...:
            return Array(c[0..<6]) + Array(repeating: star, count: c.count - 10) + Array(c[(c.count - 4)...])
        default:
            return Array(repeating: star, count: c.count)
        }
    }
    /// A phone number keeps its first 3 and last 4 characters: `138****5678`.
    public static func phone(_ s: String) -> String {
        let c = Array(s)
        guard c.count > 7 else { return String(repeating: "*", count: c.count) }
        return String(c[0..<3]) + String(repeating: "*", count: c.count - 7) + String(c[(c.count - 4)...])
    }
    /// A name keeps its first character: `张**` (at least two stars, so length leaks less).
    public static func name(_ s: String) -> String {
        guard let first = s.first else { return s }
        return String(first) + String(repeating: "*", count: max(2, s.count - 1))
    }
}
