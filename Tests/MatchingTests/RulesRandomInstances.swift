import Domain
@testable import Matching

/// Seeded random instances shaped like small districts, for property tests.
/// Small pools of towns, skills and categories make every rule bite often.
struct RandomInstance {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
    mutating func subset<T>(_ xs: [T], _ p: Double) -> [T] { xs.filter { _ in chance(p) } }
    mutating func date(_ from: String, _ to: String) -> CivilDate {
        CivilDate(dayNumber: int(Fx.day(from).dayNumber...Fx.day(to).dayNumber))
    }

    static let towns = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9"]  // T9 is not in the region table
    static let skills = ["typing", "sewing", "excel", "driving", "massage", "cooking"]
    static let certs = ["c1", "c2", "c3"]
    static let categories = ["office", "cleaner_rural", "online_service", "handicraft", "assembly"]

    mutating func snapshot(seekers nS: Int, openings nO: Int) -> MatchSnapshot {
        let date = self.date("2024-02-20", "2027-03-05")
        var regions = [Region(code: RegionCode("D1"), name: "一区", parent: nil, neighbours: []),
                       Region(code: RegionCode("D2"), name: "二区", parent: nil, neighbours: [])]
        for t in Self.towns where t != "T9" {
            let n = Self.towns.filter { $0 != t && chance(0.2) }.map(RegionCode.init)
            let parent: RegionCode? = t == "T7" ? nil : RegionCode(["T1", "T2", "T3", "T4"].contains(t) ? "D1" : "D2")
            regions.append(Region(code: RegionCode(t), name: t, parent: parent, neighbours: n))
        }
        var households: [Household] = []
        for h in 0..<max(1, nS / 3) {
            households.append(Household(id: HouseholdID("H\(h)"), town: RegionCode(pick(Self.towns)),
                                        employedMembers: chance(0.6) ? 0 : int(1...2),
                                        flags: Set(subset(SupportFlag.allCases, 0.15))))
        }
        var seekers: [Seeker] = []
        for i in 0..<nS {
            let born = self.date(date.adding(days: -365 * 62).description, date.adding(days: -365 * 15).description)
            let c = Fx.cert(born: born.description, sex: chance(0.5) ? .male : .female,
                            category: pick(DisabilityCategory.allCases), grade: int(1...4), serial: i + 1)
            var s = Seeker(certificate: c, name: "张\(i)", town: RegionCode(pick(Self.towns)))
            s.household = chance(0.8) ? HouseholdID("H\(int(0...(households.count - 1)))") : nil
            s.education = chance(0.8) ? pick(Education.allCases) : nil
            s.graduationYear = chance(0.5) ? date.year - int(0...5) : nil
            s.skills = subset(Self.skills, 0.3)
            s.certificates = subset(Self.certs, 0.3)
            s.intentions = chance(0.5) ? [] : subset(Self.categories, 0.4)
            s.capacity = pick([WorkCapacity.full, .full, .partial, .assisted])
            s.flags = Set(subset(SupportFlag.allCases, 0.1))
            s.status = pick([SeekerStatus.seeking, .seeking, .seeking, .seeking, .employed, .inactive])
            s.registeredOn = chance(0.9) ? self.date("2020-01-01", "2027-01-01") : nil
            seekers.append(s)
        }
        var openings: [Opening] = []
        for j in 0..<nO {
            var o = Opening(id: OpeningID("O\(j)"), kind: pick(OpeningKind.allCases), category: pick(Self.categories),
                            town: RegionCode(pick(Self.towns)), slots: int(1...3),
                            reach: chance(0.2) ? nil : pick(Reach.allCases))
            o.demands = Set(subset(Demand.allCases, 0.12))
            o.minAge = chance(0.2) ? int(14...40) : nil
            o.maxAge = chance(0.2) ? int(30...65) : nil
            o.requiredCertificates = chance(0.2) ? subset(Self.certs, 0.4) : []
            o.requiredSkills = chance(0.3) ? subset(Self.skills, 0.25) : []
            o.preferredSkills = subset(Self.skills, 0.3)
            o.monthlyWage = chance(0.7) ? Fen(yuan: Int64(int(1500...3500))) : nil
            o.hoursPerWeek = pick([20, 29, 30, 31, 40, 44])
            o.openFrom = chance(0.2) ? self.date(date.adding(days: -30).description, date.adding(days: 5).description) : nil
            o.openUntil = chance(0.2) ? self.date(date.adding(days: -5).description, date.adding(days: 60).description) : nil
            openings.append(o)
        }
        var trainings: [Training] = []
        for s in seekers where chance(0.3) {
            trainings.append(Training(certificateKey: s.certificate.key, course: "课\(int(1...9))", skill: pick(Self.skills),
                                      startDate: Fx.day("2023-01-01"),
                                      endDate: chance(0.7) ? self.date(date.adding(days: -60).description, date.adding(days: 30).description) : nil,
                                      completed: chance(0.7)))
        }
        var placements: [Placement] = []
        if !openings.isEmpty {
            for s in seekers where chance(0.15) {
                let start = self.date(date.adding(days: -400).description, date.adding(days: 10).description)
                placements.append(Placement(certificateKey: s.certificate.key, opening: pick(openings).id, startDate: start,
                                            endDate: chance(0.5) ? start.adding(days: int(0...500)) : nil))
            }
        }
        return MatchSnapshot(date: date, regions: regions, households: households, seekers: seekers,
                             trainings: trainings, openings: openings, placements: placements)
    }

    /// The same data with every array shuffled (and neighbour lists too).
    mutating func shuffled(_ s: MatchSnapshot) -> MatchSnapshot {
        var t = s
        t.regions = s.regions.map { var r = $0; r.neighbours.shuffle(using: &rng); return r }.shuffled(using: &rng)
        t.households.shuffle(using: &rng); t.seekers.shuffle(using: &rng); t.trainings.shuffle(using: &rng)
        t.openings.shuffle(using: &rng); t.placements.shuffle(using: &rng); t.categories.shuffle(using: &rng)
        return t
    }
}
