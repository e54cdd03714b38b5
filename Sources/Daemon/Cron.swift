// Cron expressions: five fields, minute hour day-of-month month day-of-week,
// each `*`, a number, a range `a-b`, a step `*/s` or `a-b/s` or `a/s`, or a
// comma list of those. Day-of-week is 0–7 (0 and 7 are Sunday); months and
// days may also be written jan…dec and sun…sat. As in Vixie cron, when both
// day-of-month and day-of-week are restricted a day matches if either does.
//
// Times are wall-clock times in a time zone (Asia/Shanghai has no DST). In a
// zone with DST, a wall time that does not exist that day is skipped, and one
// that occurs twice fires at its first occurrence.

import Foundation

/// A parsed cron expression.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday.
    public let daysOfWeek: Set<Int>
    let domRestricted: Bool
    let dowRestricted: Bool
    public let description: String

    /// Why an expression was refused.
    public struct ParseError: Error, Equatable, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(_ text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "cron expression \"\(text)\" has \(fields.count) fields; expected 5 (minute hour day-of-month month day-of-week)")
        }
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [])
        daysOfMonth = try Self.field(fields[2], name: "day-of-month", range: 1...31, names: [])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, namesStart: 1)
        let dow = try Self.field(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames)
        daysOfWeek = Set(dow.map { $0 == 7 ? 0 : $0 })
        domRestricted = !fields[2].hasPrefix("*")
        dowRestricted = !fields[4].hasPrefix("*")
        description = fields.joined(separator: " ")
    }

    private static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String],
                              namesStart: Int = 0) throws(ParseError) -> Set<Int> {
        func number(_ s: Substring) throws(ParseError) -> Int {
            if let n = Int(s) {
                guard range.contains(n) else {
                    throw ParseError(message: "\(name) \(n) is outside \(range.lowerBound)–\(range.upperBound)")
                }
                return n
            }
            if let i = names.firstIndex(of: s.lowercased()) { return i + namesStart }
            throw ParseError(message: "\(name) field \"\(text)\": \"\(s)\" is not a number")
        }
        var out: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw ParseError(message: "\(name) field \"\(text)\" has an empty list item") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(message: "\(name) field \"\(text)\": more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else {
                    throw ParseError(message: "\(name) field \"\(text)\": step must be a positive integer")
                }
                step = s
            }
            let base = pieces[0]
            let lo: Int, hi: Int
            if base == "*" {
                lo = range.lowerBound; hi = range.upperBound
            } else if let dash = base.firstIndex(of: "-") {
                lo = try number(base[..<dash]); hi = try number(base[base.index(after: dash)...])
                guard lo <= hi else { throw ParseError(message: "\(name) range \(base) runs backwards") }
            } else {
                lo = try number(base)
                hi = pieces.count == 2 ? range.upperBound : lo  // `a/s` means a, a+s, … to the end
            }
            out.formUnion(stride(from: lo, through: hi, by: step))
        }
        return out
    }

    /// Whether a calendar day matches the day fields.
    func matchesDay(dayOfMonth: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dom = daysOfMonth.contains(dayOfMonth), dow = daysOfWeek.contains(weekday)
        if domRestricted && dowRestricted { return dom || dow }
        return dom && dow
    }

    /// The first firing strictly after `date`, in `timeZone`; nil if none within
    /// about eight years (e.g. `0 0 30 2 *`).
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let sortedHours = hours.sorted(), sortedMinutes = minutes.sorted()
        var day = cal.startOfDay(for: date)
        for _ in 0..<Self.searchDaysDefault {
            if let candidate = firings(on: day, calendar: cal, hours: sortedHours, minutes: sortedMinutes).first(where: { $0 > date }) {
                return candidate
            }
            guard let nextDay = cal.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = cal.startOfDay(for: nextDay)
        }
        return nil
    }

    /// The latest firing at or before `date` and strictly after `floor`, if any
    /// (walks back day by day, at most about eight years).
    public func latest(atOrBefore date: Date, after floor: Date, in timeZone: TimeZone) -> Date? {
        guard floor < date else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let descHours = hours.sorted(by: >), descMinutes = minutes.sorted(by: >)
        var day = cal.startOfDay(for: date)
        let lastDay = cal.startOfDay(for: floor)
        for _ in 0..<Self.searchDaysDefault {
            for candidate in firings(on: day, calendar: cal, hours: descHours, minutes: descMinutes) {
                if candidate <= floor { return nil }
                if candidate <= date { return candidate }
            }
            if day <= lastDay { return nil }
            guard let previous = cal.date(byAdding: .day, value: -1, to: day) else { return nil }
            day = cal.startOfDay(for: previous)
        }
        return nil
    }

    /// How far `next` and `latest` search: about eight years of days, enough for
    /// any expression that fires at all (29 February in a weekday-restricted rule).
    static let searchDaysDefault = 366 * 8 + 2

    /// The firings on the day starting at `day`, in the order of `hours` then
    /// `minutes`; none when the day does not match. A wall time that does not
    /// exist (a DST gap) comes back moved from `Calendar` and is skipped.
    private func firings(on day: Date, calendar cal: Calendar, hours: [Int], minutes: [Int]) -> [Date] {
        let c = cal.dateComponents([.year, .month, .day, .weekday], from: day)
        guard matchesDay(dayOfMonth: c.day!, month: c.month!, weekday: c.weekday! - 1) else { return [] }
        var out: [Date] = []
        for h in hours {
            for m in minutes {
                var wanted = DateComponents()
                wanted.year = c.year; wanted.month = c.month; wanted.day = c.day
                wanted.hour = h; wanted.minute = m; wanted.second = 0
                guard let candidate = cal.date(from: wanted) else { continue }
                let back = cal.dateComponents([.day, .hour, .minute], from: candidate)
                guard back.day == c.day, back.hour == h, back.minute == m else { continue }
                out.append(candidate)
            }
        }
        return out
    }
}
