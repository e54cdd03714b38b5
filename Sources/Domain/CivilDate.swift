/// A calendar date with no time zone (a date as staff write it on a form).
///
/// Ordering, day arithmetic and completed-age computations are exact integer
/// arithmetic on a proleptic Gregorian day number, so results never depend on
/// the machine's time zone.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Four-digit year.
    public let year: Int
    /// Month 1–12.
    public let month: Int
    /// Day 1–31, valid for the month.
    public let day: Int

    /// Builds a date, or nil when the day does not exist (e.g. 2023-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before), by H. Hinnant's `days_from_civil`.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01 (H. Hinnant's `civil_from_days`).
    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// The same day `months` later; a day past the month's end falls on its last day.
    public func adding(months: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))!
    }

    /// Days from `self` to `other`, counting both ends (2024-01-01…2024-12-30 is 365).
    public func daysInclusive(through other: CivilDate) -> Int { other.dayNumber - dayNumber + 1 }

    /// The date on which a person born on `self` completes `years` years of age.
    ///
    /// A person born on 29 February completes a year on 1 March in common years
    /// (CONTRACT.md §3, E2).
    public func anniversary(_ years: Int) -> CivilDate {
        let y = year + years
        if month == 2 && day == 29 && !CivilDate.isLeap(y) { return CivilDate(year: y, month: 3, day: 1)! }
        return CivilDate(year: y, month: month, day: day)!
    }

    /// Completed years of age on `date` of a person born on `self`.
    public func completedYears(on date: CivilDate) -> Int {
        var age = date.year - year
        if age > 0 && anniversary(age) > date { age -= 1 }
        return max(age, date < self ? -1 : 0)
    }

    /// First day of `year`.
    public static func startOf(year: Int) -> CivilDate { CivilDate(year: year, month: 1, day: 1)! }
    /// Last day of `year`.
    public static func endOf(year: Int) -> CivilDate { CivilDate(year: year, month: 12, day: 31)! }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// ISO 8601 `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses exactly `YYYY-MM-DD` (the database's and JSON's form). Staff forms are
    /// parsed by Intake, which accepts more spellings.
    public init?(iso text: some StringProtocol) {
        // Fast path for ten bytes `DDDD-DD-DD`, the form every stored date has: a
        // run's snapshot parses ~20,000 of them, and splitting was 4 % of a run's CPU.
        // Anything else takes the general path below (same answers).
        let fast: (Int, Int, Int)? = text.utf8.withContiguousStorageIfAvailable { b -> (Int, Int, Int)? in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var n = 0
                for i in range {
                    guard b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9") else { return nil }
                    n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
                }
                return n
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return (y, m, d)
        } ?? nil
        if let (y, m, d) = fast {
            self.init(year: y, month: m, day: d)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }
}
