import Domain
import Testing
@testable import Quota

/// SplitMix64 (Steele, Lea, Flood 2014), as in swift-argument-parser's
/// `Examples/roll`: a seeded generator so every failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Properties of the review over random employers (STYLE.md §7). Each failure
/// message carries the seed: rerun with `PropertyTests.baseSeed` set to it.
struct PropertyTests {
    static let baseSeed: UInt64 = 0x5EED_2024
    static let iterations = 60

    struct World { var employers: [Employer]; var years: [EmployerYear]; var rosters: [RosterRow] }

    /// A random world of a few employers, with people shared between them now and then.
    static func world(_ g: inout SplitMix64) -> World {
        let count = Int.random(in: 1...6, using: &g)
        var w = World(employers: [], years: [], rosters: [])
        var serial = 1
        for e in 0..<count {
            let type = EmployerType.allCases.randomElement(using: &g)!
            w.employers.append(Fixture.employer(e, type: type, concentrated: Int.random(in: 0..<10, using: &g) == 0))
            let n = Int.random(in: 1...800, using: &g)
            let perHead = Int64.random(in: 30_000...250_000, using: &g)
            if Int.random(in: 0..<20, using: &g) != 0 {
                w.years.append(Fixture.employerYear(e, employees: n, wages: Int64(n) * perHead))
            }
            for _ in 0..<Int.random(in: 0...25, using: &g) {
                serial += 2
                if Int.random(in: 0..<30, using: &g) == 0, serial > 4 { serial -= 4 } // a person declared twice
                w.rosters.append(randomRow(e, serial: serial, &g))
            }
        }
        return w
    }

    static func randomRow(_ e: Int, serial: Int, _ g: inout SplitMix64) -> RosterRow {
        let born = "19\(Int.random(in: 55...99, using: &g))-0\(Int.random(in: 1...9, using: &g))-1\(Int.random(in: 0...9, using: &g))"
        let cert = Fixture.certificate(born: born, serial: serial, category: Int.random(in: 1...7, using: &g), grade: Int.random(in: 1...4, using: &g))
        let start = ["2019-05-01", "2024-01-01", "2024-03-15", nil].randomElement(using: &g)!
        let end = [nil, "2024-12-29", "2024-12-30", "2026-01-01"].randomElement(using: &g)!
        return Fixture.roster(e, certificate: cert, months: Int.random(in: 0...12, using: &g), wage: Int64.random(in: 1800...4000, using: &g),
                              start: start, end: end, establishment: Int.random(in: 0..<8, using: &g) == 0,
                              newGraduate: Int.random(in: 0..<6, using: &g) == 0)
    }

    static func review(_ w: World) throws -> [EmployerReview] { try Fixture.review(w.employers, w.years, w.rosters) }

    static func describe(_ r: EmployerReview) -> String {
        "\(r.creditCode.value) \(r.employerType.code) N=\(r.employees?.description ?? "-") D=\(r.counted?.description ?? "-") levy=\(r.levy?.description ?? "-") reward=\(r.reward?.description ?? "-")"
    }

    @Test("the levy and the reward are never negative and never both due")
    func neverNegativeNeverBoth() throws {
        for i in 0..<Self.iterations {
            let seed = Self.baseSeed &+ UInt64(i)
            var g = SplitMix64(seed: seed)
            for r in try Self.review(Self.world(&g)) where r.status == .reviewed {
                #expect(r.levy! >= .zero && r.reward! >= .zero, "seed \(seed): \(Self.describe(r))")
                #expect(r.levy == .zero || r.reward == .zero, "seed \(seed): \(Self.describe(r))")
            }
        }
    }

    @Test("the levy never rises when D rises (one more qualifying row)")
    func levyNeverRisesWithD() throws {
        for i in 0..<Self.iterations {
            let seed = Self.baseSeed &+ 10_000 &+ UInt64(i)
            var g = SplitMix64(seed: seed)
            var w = Self.world(&g)
            let before = try Self.review(w)
            let e = Int.random(in: 0..<w.employers.count, using: &g)
            w.rosters.append(Fixture.roster(e, certificate: Fixture.certificate(serial: 901, grade: Int.random(in: 1...4, using: &g))))
            let after = try Self.review(w)
            for (a, b) in zip(before, after) where a.status == .reviewed {
                #expect(b.counted! >= a.counted!, "seed \(seed): \(Self.describe(a)) → \(Self.describe(b))")
                #expect(b.levy! <= a.levy!, "seed \(seed): \(Self.describe(a)) → \(Self.describe(b))")
            }
        }
    }

    @Test("the levy never falls as the shortfall grows (more staff at the same average wage)")
    func levyNeverFallsWithShortfall() throws {
        for i in 0..<Self.iterations {
            let seed = Self.baseSeed &+ 20_000 &+ UInt64(i)
            var g = SplitMix64(seed: seed)
            var w = Self.world(&g)
            guard !w.years.isEmpty else { continue }
            let before = try Self.review(w)
            let k = Int.random(in: 0..<w.years.count, using: &g)
            let extra = Int.random(in: 1...50, using: &g)
            let ey = w.years[k]
            let average = ey.totalWages.yuan / ey.employees
            w.years[k].employees = ey.employees + Rational(extra)
            w.years[k].totalWages = Fen(roundingYuan: average * w.years[k].employees)
            let after = try Self.review(w)
            for (a, b) in zip(before, after) where a.creditCode == ey.creditCode && a.status == .reviewed {
                // W stays the same only when the new total is exact: compare by shortfall first.
                #expect(b.shortfall! >= a.shortfall!, "seed \(seed): \(Self.describe(a)) → \(Self.describe(b))")
                if average.isInteger || (average * Rational(100)).isInteger {
                    #expect(b.levy! >= a.levy!, "seed \(seed): \(Self.describe(a)) → \(Self.describe(b))")
                }
            }
        }
    }

    @Test("the result does not depend on the order of employers, employer-years or roster rows")
    func orderIndependent() throws {
        for i in 0..<Self.iterations {
            let seed = Self.baseSeed &+ 30_000 &+ UInt64(i)
            var g = SplitMix64(seed: seed)
            let w = Self.world(&g)
            let shuffled = World(employers: w.employers.shuffled(using: &g), years: w.years.shuffled(using: &g),
                                 rosters: w.rosters.shuffled(using: &g))
            #expect(try Self.review(w) == Self.review(shuffled), "seed \(seed)")
        }
    }

    @Test("per-employer amounts sum to the totals, and reviewing one employer alone gives its amounts")
    func sumsAndSingleReview() throws {
        for i in 0..<Self.iterations {
            let seed = Self.baseSeed &+ 40_000 &+ UInt64(i)
            var g = SplitMix64(seed: seed)
            let w = Self.world(&g)
            let all = try Self.review(w)
            let totals = ReviewTotals(all)
            var levy = Fen.zero, reward = Fen.zero
            for r in all {
                let others = Set(w.rosters.filter { $0.creditCode != r.creditCode }.compactMap { ParsedRow($0).residentID?.value })
                let alone = try QuotaReview.review(employer: w.employers.first { $0.creditCode == r.creditCode }!, year: 2024,
                                                   employerYear: w.years.first { $0.creditCode == r.creditCode }, roster: w.rosters,
                                                   claimedElsewhere: others, book: Fixture.henan, jurisdiction: Fixture.yanshi)
                #expect(alone == r, "seed \(seed): \(Self.describe(r))")
                levy = levy + (alone.levy ?? .zero); reward = reward + (alone.reward ?? .zero)
            }
            #expect(totals.levy == levy && totals.reward == reward, "seed \(seed)")
        }
    }
}

struct DecimalTextTests {
    @Test("the fast trace formatter gives exactly Domain's decimal strings")
    func sameAsDomain() {
        var g = SplitMix64(seed: 0xDEC1)
        for _ in 0..<20_000 {
            let n = Int128(Int64.random(in: -9_000_000_000_000...9_000_000_000_000, using: &g) / Int64([1, 1000, 1_000_000].randomElement(using: &g)!))
            let d = Int128([1, 2, 3, 7, 12, 100, 125, 430, 997, 1_000_000, 99_999_989].randomElement(using: &g)!)
            let r = Rational(n, d)
            let places = Int.random(in: 0...6, using: &g)
            #expect(r.text(places: places) == r.decimalString(places: places), "\(n)/\(d) places \(places)")
            #expect(r.fixedText(places) == r.fixed(places), "\(n)/\(d) fixed \(places)")
            if n.magnitude < 90_000_000_000 { #expect(r.percentText() == r.percent(), "\(n)/\(d) percent") }
        }
        let huge = Rational(Int128(Int64.max) * 1000, 7)
        #expect(huge.text() == huge.decimalString())
    }
}
