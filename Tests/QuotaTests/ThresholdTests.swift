import Domain
import Testing
@testable import Quota

/// The thresholds of POLICY.md §2–3, each on both sides.
struct ThresholdTests {
    func one(_ type: EmployerType = .enterprise, employees: Int, wages: Int64, rows: [RosterRow], year: Int = 2024,
             book: PolicyBook = Fixture.henan, concentrated: Bool = false) throws -> EmployerReview {
        try #require(try Fixture.review([Fixture.employer(1, type: type, concentrated: concentrated)],
                                        [Fixture.employerYear(1, year: year, employees: employees, wages: wages)], rows,
                                        year: year, book: book).first)
    }

    @Test("when ρ is exactly 1 % the 50 % tier applies: 2.4 × 62,000 × 0.5 = 74,400.00")
    func ratioExactlyOnePercent() throws {
        let r = try one(employees: 400, wages: 400 * 62_000, rows: Fixture.rows(1, count: 4, grade: 3, firstSerial: 1))
        #expect(r.ratio == Rational(1, 100))
        #expect(r.levy == Fen(74_400_00))
    }

    @Test("when ρ is just under 1 % the 90 % tier applies")
    func ratioJustUnderOnePercent() throws {
        // N = 401, D = 4: R = 6.416, S = 2.416, W = 62,000 → 2.416 × 62,000 × 0.9 = 134,812.80
        let r = try one(employees: 401, wages: 401 * 62_000, rows: Fixture.rows(1, count: 4, grade: 3, firstSerial: 1))
        #expect(r.levy == Fen(134_812_80))
    }

    @Test("when ρ is exactly r there is neither levy nor reward")
    func ratioExactlyQuota() throws {
        let r = try one(employees: 500, wages: 500 * 62_000, rows: Fixture.rows(1, count: 8, grade: 3, firstSerial: 1))
        #expect(r.ratio == Rational(16, 1000))
        #expect(r.shortfall == .zero && r.excess == .zero)
        #expect(r.levy == .zero && r.reward == .zero)
    }

    @Test("an enterprise of 31 is not exempt: 0.496 × 50,000 × 0.9 = 22,320.00")
    func enterpriseOf31() throws {
        let r = try one(employees: 31, wages: 31 * 50_000, rows: [])
        #expect(r.exempt == false)
        #expect(r.levy == Fen(22_320_00))
    }

    @Test("an institution, agency or social organisation of 30 is never exempt", arguments: [EmployerType.institution, .agency, .socialOrg])
    func nonEnterpriseOf30(_ type: EmployerType) throws {
        let r = try one(type, employees: 30, wages: 30 * 50_000, rows: [])
        #expect(r.exempt == false)
        #expect(r.levy == Fen(21_600_00))
    }

    @Test("an individual business of 30 is exempt, resting on a placeholder")
    func individualOf30() throws {
        let r = try one(.individual, employees: 30, wages: 30 * 50_000, rows: [])
        #expect(r.exempt == true && r.levy == .zero)
        #expect(r.restsOnPlaceholder(.levy) && r.restsOnPlaceholder(.exempt))
    }

    @Test("a small enterprise above quota is rewarded although exempt: 0.52 × 6 × 2,000 = 6,240.00")
    func smallEnterpriseRewarded() throws {
        let r = try one(employees: 30, wages: 30 * 50_000, rows: Fixture.rows(1, count: 1, grade: 3, firstSerial: 1))
        #expect(r.exempt == true)
        #expect(r.levy == .zero)
        #expect(r.reward == Fen(6_240_00))
    }

    @Test("a concentrated employer above quota gets no reward")
    func concentratedNoReward() throws {
        let r = try one(employees: 430, wages: 26_660_000, rows: Fixture.rows(1, count: 10, grade: 3, firstSerial: 1), concentrated: true)
        #expect(r.excess == Rational(312, 100))
        #expect(r.reward == .zero)
    }

    @Test("a contract of 364 days is too short, 365 days (2024-01-01 to 2024-12-30) qualifies",
          arguments: zip(["2024-12-29", "2024-12-30", "2024-12-31"], [false, true, true]))
    func contractDays(_ end: String, _ qualifies: Bool) throws {
        let row = Fixture.roster(1, certificate: Fixture.certificate(grade: 3), start: "2024-01-01", end: end)
        let r = try one(employees: 100, wages: 100 * 60_000, rows: [row])
        #expect(r.rows[0].qualifies == qualifies)
        #expect(r.rows[0].reasons == (qualifies ? [] : [.contractTooShort]))
    }

    @Test("在编 needs no contract; an open-ended contract qualifies; no contract start is too short")
    func establishmentAndOpenEnded() throws {
        let rows = [
            Fixture.roster(1, certificate: Fixture.certificate(serial: 1, grade: 3), start: nil, establishment: true),
            Fixture.roster(1, certificate: Fixture.certificate(serial: 3, grade: 3), start: "2024-06-01", end: nil),
            Fixture.roster(1, certificate: Fixture.certificate(serial: 5, grade: 3), start: nil),
        ]
        let r = try one(employees: 100, wages: 100 * 60_000, rows: rows)
        #expect(r.rows.map(\.qualifies) == [true, true, false])
        #expect(r.rows[2].reasons == [.contractTooShort])
    }

    struct Graduate: Sendable { let months: Int; let newGraduate: Bool; let share: String }

    @Test("a new graduate counts a whole year at 7 months, not at 6", arguments: [
        Graduate(months: 6, newGraduate: true, share: "0.5"), Graduate(months: 7, newGraduate: true, share: "1"),
        Graduate(months: 7, newGraduate: false, share: "0.583333"),
    ])
    func newGraduate(_ g: Graduate) throws {
        let row = Fixture.roster(1, certificate: Fixture.certificate(grade: 3), months: g.months, newGraduate: g.newGraduate)
        let r = try one(employees: 100, wages: 100 * 60_000, rows: [row])
        #expect(r.rows[0].share.decimalString() == g.share)
        #expect(r.counted?.decimalString() == g.share)
    }

    @Test("whole_person mode counts every qualifying row as a whole person")
    func wholePersonMode() throws {
        let book = Fixture.henan(plus: [Fixture.row("count.mode", Fixture.yanshi, "2024-01-01", "whole_person")])
        let row = Fixture.roster(1, certificate: Fixture.certificate(grade: 2), months: 3)
        let r = try one(employees: 100, wages: 100 * 60_000, rows: [row], book: book)
        #expect(r.counted == Rational(2))
    }

    @Test("born 29 February: a man of 1960-02-29 is within 16–59 on some day of 2020, on none of 2021",
          arguments: zip([2020, 2021], [true, false]))
    func bornLeapDayOld(_ year: Int, _ inAge: Bool) throws {
        let cert = Fixture.residentID(born: "1960-02-29", serial: 11) + "43"
        let r = try one(employees: 100, wages: 100 * 60_000, rows: [Fixture.roster(1, year: year, certificate: cert)], year: year)
        #expect(r.rows[0].reasons == (inAge ? [] : [.outsideWorkingAge]))
    }

    @Test("born 29 February: a girl of 2008-02-29 is 15 all of 2023 and turns 16 in 2024",
          arguments: zip([2023, 2024], [false, true]))
    func bornLeapDayYoung(_ year: Int, _ inAge: Bool) throws {
        let cert = Fixture.residentID(born: "2008-02-29", serial: 12) + "43"
        let r = try one(employees: 100, wages: 100 * 60_000, rows: [Fixture.roster(1, year: year, certificate: cert)], year: year)
        #expect(r.rows[0].reasons == (inAge ? [] : [.outsideWorkingAge]))
    }

    @Test("a woman is outside working age the year after her 55th birthday year starts past 54")
    func womanMaxAge() throws {
        // Born 1969-03-10: on 2024-01-01 she is 54 (in); on 2025-01-01 she is 55 → 2024 still counts.
        let cert = Fixture.residentID(born: "1969-03-10", serial: 12) + "43"
        let r = try one(employees: 100, wages: 100 * 60_000, rows: [Fixture.roster(1, certificate: cert)])
        #expect(r.rows[0].qualifies)
        // Born 1969-01-01 → 55 on 2024-01-01: outside all of 2024.
        let cert2 = Fixture.residentID(born: "1969-01-01", serial: 12) + "43"
        let r2 = try one(employees: 100, wages: 100 * 60_000, rows: [Fixture.roster(1, certificate: cert2)])
        #expect(r2.rows[0].reasons == [.outsideWorkingAge])
    }

    @Test("the minimum wage is the lowest in force during Y: 1,950 passes in 2021 (1,900), fails in 2022 (2,000)",
          arguments: zip([2021, 2022], [true, false]))
    func minimumWageByYear(_ year: Int, _ passes: Bool) throws {
        let row = Fixture.roster(1, year: year, certificate: Fixture.certificate(grade: 3), wage: 1950)
        let r = try one(employees: 100, wages: 100 * 60_000, rows: [row], year: year)
        #expect(r.rows[0].reasons == (passes ? [] : [.belowMinimumWage]))
    }

    @Test("outside levy years 2020–2027 there is no tier and no exemption: 2018 enterprise of 30 pays 0.48 × 50,000 = 24,000.00")
    func levyOutsideReductionYears() throws {
        let book = Fixture.henan(plus: [Fixture.row("social_average_wage", "CN-41", "2018-01-01", "55000", to: "2018-12-31")])
        let r = try one(employees: 30, wages: 30 * 50_000, rows: [], year: 2018, book: book)
        #expect(r.exempt == false)
        #expect(r.levy == Fen(24_000_00))
        // Reviewed year 2019 is levy year 2020: tiers and exemption apply.
        let book2 = Fixture.henan(plus: [Fixture.row("social_average_wage", "CN-41", "2019-01-01", "59000", to: "2019-12-31")])
        let r2 = try one(employees: 30, wages: 30 * 50_000, rows: [], year: 2019, book: book2)
        #expect(r2.exempt == true && r2.levy == .zero)
    }

    @Test("the wage cap is 3 × the social average wage for levy year 2017 and 2 × from 2018-04-01")
    func wageCapByDate() throws {
        let extra = [
            Fixture.row("social_average_wage", "CN-41", "2016-01-01", "50000", to: "2016-12-31"),
            Fixture.row("social_average_wage", "CN-41", "2017-01-01", "50000", to: "2017-12-31"),
            Fixture.row("minimum_wage.tier", Fixture.yanshi, "2010-01-01", "1", to: "2018-09-30"),
            Fixture.row("minimum_wage.monthly.tier1", "CN-41", "2015-01-01", "1600", to: "2018-09-30"),
        ]
        // N = 100, D = 0, own average 200,000: S = 1.6; cap 150,000 (2016 → levy 2017) vs 100,000 (2017 → levy 2018); no tiers.
        let r2016 = try one(employees: 100, wages: 100 * 200_000, rows: [], year: 2016, book: Fixture.henan(plus: extra))
        #expect(r2016.levy == Fen(240_000_00))
        let r2017 = try one(employees: 100, wages: 100 * 200_000, rows: [], year: 2017, book: Fixture.henan(plus: extra))
        #expect(r2017.levy == Fen(160_000_00))
    }
}
