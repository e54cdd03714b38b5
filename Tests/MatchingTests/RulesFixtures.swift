import Domain
@testable import Matching

/// Test fixtures for the matching rules: a small district, valid certificate
/// numbers, and builders with defaults that pass every rule.
enum Fx {
    /// A date from `YYYY-MM-DD`.
    static func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    /// The default run date.
    static let runDate = day("2026-03-01")

    /// A valid certificate number: area code from `serial`, birth date, sex, category, grade.
    static func cert(born: String, sex: Sex = .male, category: DisabilityCategory = .physical, grade: Int = 4,
                     serial: Int = 1) -> CertificateNumber {
        let b = day(born)
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: w - s.count) + s }
        // 6-digit area from serial, 2-digit order, sex digit.
        let area = "41" + pad(serial % 10_000, 4)
        let order = pad((serial / 10_000) % 100, 2)
        let sexDigit = sex == .male ? "1" : "2"
        let head = area + pad(b.year, 4) + pad(b.month, 2) + pad(b.day, 2) + order + sexDigit
        let check = ResidentID.checkCharacter(for: Array(head.utf8))
        return try! CertificateNumber(head + String(check) + String(category.rawValue) + String(grade))
    }

    /// District D1: T1, T2, T3, T4; district D2: T5, T6.
    /// Neighbours: T1–T2 (listed on T1 only), T5–T1 (listed on T5 only, crossing districts), T3–T4.
    static let regions: [Region] = [
        Region(code: RegionCode("D1"), name: "一区", parent: nil, neighbours: []),
        Region(code: RegionCode("D2"), name: "二区", parent: nil, neighbours: []),
        Region(code: RegionCode("T1"), name: "甲镇", parent: RegionCode("D1"), neighbours: [RegionCode("T2")]),
        Region(code: RegionCode("T2"), name: "乙镇", parent: RegionCode("D1"), neighbours: []),
        Region(code: RegionCode("T3"), name: "丙镇", parent: RegionCode("D1"), neighbours: [RegionCode("T4")]),
        Region(code: RegionCode("T4"), name: "丁镇", parent: RegionCode("D1"), neighbours: []),
        Region(code: RegionCode("T5"), name: "戊镇", parent: RegionCode("D2"), neighbours: [RegionCode("T1")]),
        Region(code: RegionCode("T6"), name: "己镇", parent: RegionCode("D2"), neighbours: []),
    ]

    /// A seeker that passes every rule against `opening()` on `runDate` (man aged 36, 肢体 4级).
    static func seeker(_ c: CertificateNumber = cert(born: "1990-01-01"), town: String = "T1",
                       household: String? = nil, name: String = "张三") -> Seeker {
        Seeker(certificate: c, name: name, town: RegionCode(town), household: household.map(HouseholdID.init))
    }

    /// A general, district-reach opening in T1 with one slot.
    static func opening(_ id: String = "O1", kind: OpeningKind = .general, category: String = "other",
                        town: String = "T1", slots: Int = 1, reach: Reach? = .district) -> Opening {
        Opening(id: OpeningID(id), kind: kind, category: category, town: RegionCode(town), slots: slots, reach: reach)
    }

    /// A context for the given records.
    static func context(date: CivilDate = runDate, seekers: [Seeker] = [], openings: [Opening] = [],
                        households: [Household] = [], trainings: [Training] = [], placements: [Placement] = [],
                        policy: MatchingPolicy = .contractDefaults) -> MatchContext {
        MatchContext(MatchInput(snapshot: MatchSnapshot(date: date, regions: regions, households: households,
                                                        seekers: seekers, trainings: trainings, openings: openings,
                                                        placements: placements),
                                policy: policy))
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
