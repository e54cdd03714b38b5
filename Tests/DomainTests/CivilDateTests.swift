import Domain
import Testing

@Suite("Calendar dates")
struct CivilDateTests {
    @Test("impossible dates are refused", arguments: [(2023, 2, 29), (2024, 2, 30), (2024, 4, 31), (2024, 13, 1), (2024, 0, 1), (1900, 2, 29)])
    func impossible(y: Int, m: Int, d: Int) {
        #expect(CivilDate(year: y, month: m, day: d) == nil)
    }

    @Test("day numbers round-trip over four centuries")
    func dayNumbersRoundTrip() {
        var date = CivilDate(year: 1900, month: 1, day: 1)!
        let start = date.dayNumber
        for offset in stride(from: 0, to: 146_097, by: 37) {
            date = CivilDate(dayNumber: start + offset)
            #expect(date.dayNumber == start + offset)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1)!.dayNumber == 11_017)
    }

    @Test("a contract from 1 January to 30 December of a leap year runs 365 days counting both ends")
    func inclusiveDays() {
        let a = CivilDate(year: 2024, month: 1, day: 1)!, b = CivilDate(year: 2024, month: 12, day: 30)!
        #expect(a.daysInclusive(through: b) == 365)
        #expect(a.daysInclusive(through: a) == 1)
    }

    @Test("completed age turns on the birthday, and on 1 March for someone born on 29 February in a common year")
    func completedAge() {
        let born = CivilDate(year: 2000, month: 2, day: 29)!
        #expect(born.completedYears(on: CivilDate(year: 2016, month: 2, day: 28)!) == 15)
        #expect(born.completedYears(on: CivilDate(year: 2016, month: 2, day: 29)!) == 16)
        #expect(born.completedYears(on: CivilDate(year: 2017, month: 2, day: 28)!) == 16)
        #expect(born.completedYears(on: CivilDate(year: 2018, month: 2, day: 28)!) == 17)
        #expect(born.completedYears(on: CivilDate(year: 2018, month: 3, day: 1)!) == 18)
        let plain = CivilDate(year: 1965, month: 6, day: 15)!
        #expect(plain.completedYears(on: CivilDate(year: 2025, month: 6, day: 14)!) == 59)
        #expect(plain.completedYears(on: CivilDate(year: 2025, month: 6, day: 15)!) == 60)
    }

    @Test("adding months clamps to the month's last day")
    func addingMonths() {
        #expect(CivilDate(year: 2024, month: 1, day: 31)!.adding(months: 1) == CivilDate(year: 2024, month: 2, day: 29)!)
        #expect(CivilDate(year: 2024, month: 11, day: 15)!.adding(months: 3) == CivilDate(year: 2025, month: 2, day: 15)!)
        #expect(CivilDate(year: 2024, month: 3, day: 15)!.adding(months: -3) == CivilDate(year: 2023, month: 12, day: 15)!)
    }

    @Test("ISO form parses and prints")
    func iso() {
        #expect(CivilDate(iso: "2025-03-01")?.description == "2025-03-01")
        #expect(CivilDate(iso: "2025-3-1") == nil)
        #expect(CivilDate(iso: "x2025-03-01".dropFirst())?.description == "2025-03-01")
        #expect(CivilDate(iso: "2025-03-0a") == nil)
        #expect(CivilDate(iso: "2025/03/01") == nil)
        #expect(CivilDate(iso: "2025-02-30") == nil)
    }
}
