import Domain

/// Every eligible pair of a run, without testing all seekers × openings.
///
/// Openings that pass E8 are indexed by where they reach (E3), split by job
/// category (E7):
///
///     seeker in town s  →  non-district openings in s
///                        ∪  `neighbours` openings in each neighbour of s
///                        ∪  `district` openings under s's parent
///                           (or in s itself when s has no parent)
///
/// The three parts are disjoint, so no pair is produced twice. A seeker with
/// intentions reads only the lists of those categories. The remaining rules
/// (E5, E4, E2, E6) are integer tests on `CompiledRun`. Seekers failing E1
/// get no pairs. Tested against all-pairs `Eligibility.check`.
public enum Candidates {
    /// The eligible pairs, in problem numbering: seekers admitted by E1 sorted
    /// by certificate key, openings passing E8 sorted by id.
    public static func generate(context: MatchContext) -> CandidatePairs {
        let c = context.compiled
        let openingNumbers = c.openings.indices.filter { c.openingE8[$0] }.map(Int32.init)
        let seekerNumbers = c.seekers.indices.filter { c.seekerE1[$0] }.map(Int32.init)
        var problemOpening = [Int32](repeating: -1, count: c.openings.count)
        for (k, o) in openingNumbers.enumerated() { problemOpening[Int(o)] = Int32(k) }

        // Index: lists of compiled opening numbers, ascending.
        var townAll = [Bucket](repeating: Bucket(), count: c.towns.count)
        var neighbourReach = [Bucket](repeating: Bucket(), count: c.towns.count)
        // District reach by parent town index; a town without a parent reaches only itself.
        var districtByParent = [Bucket](repeating: Bucket(), count: c.towns.count)
        var districtOrphan = [Bucket](repeating: Bucket(), count: c.towns.count)
        for o32 in openingNumbers {
            let o = Int(o32), t = Int(c.openingTown[o]), cat = c.openingCategory[o]
            switch c.openings[o].reach {
            case .town: townAll[t].add(o32, category: cat)
            case .neighbours: townAll[t].add(o32, category: cat); neighbourReach[t].add(o32, category: cat)
            case .district:
                let p = c.townParent[t]
                if p >= 0 { districtByParent[Int(p)].add(o32, category: cat) } else { districtOrphan[t].add(o32, category: cat) }
            }
        }

        var seekerStart: [Int32] = [0]
        seekerStart.reserveCapacity(seekerNumbers.count + 1)
        var opening: [Int32] = []
        opening.reserveCapacity(seekerNumbers.count * 16)
        var buffer: [Int32] = []
        for s32 in seekerNumbers {
            let s = Int(s32), t = Int(c.seekerTown[s])
            let intents = c.seekerIntentions[s]
            buffer.removeAll(keepingCapacity: true)
            townAll[t].collect(intents, into: &buffer)
            for n in c.townNeighbours[t] { neighbourReach[Int(n)].collect(intents, into: &buffer) }
            let p = c.townParent[t]
            if p >= 0 { districtByParent[Int(p)].collect(intents, into: &buffer) } else { districtOrphan[t].collect(intents, into: &buffer) }
            buffer.sort()
            for o32 in buffer where c.passesPairRules(seeker: s, opening: Int(o32)) {
                opening.append(problemOpening[Int(o32)])
            }
            seekerStart.append(Int32(opening.count))
        }
        return CandidatePairs(context: context, seekers: seekerNumbers, openings: openingNumbers,
                              seekerStart: seekerStart, opening: opening)
    }

    /// A list of openings with a per-category split for seekers with intentions.
    struct Bucket {
        var all: [Int32] = []
        var byCategory: [Int32: [Int32]] = [:]
        mutating func add(_ o: Int32, category: Int32) { all.append(o); byCategory[category, default: []].append(o) }
        func collect(_ intents: [Int32], into out: inout [Int32]) {
            if all.isEmpty { return }
            if intents.isEmpty { out.append(contentsOf: all); return }
            for c in intents { if let l = byCategory[c] { out.append(contentsOf: l) } }
        }
    }
}

/// The eligible pairs of a run in CSR form: the pairs of seeker `i` are
/// `opening[seekerStart[i] ..< seekerStart[i + 1]]`, ascending. Seeker
/// numbers are positions among E1-admitted seekers sorted by certificate key;
/// opening numbers are positions among openings passing E8 sorted by id.
public struct CandidatePairs: Sendable {
    let context: MatchContext
    /// Compiled seeker index of each problem seeker.
    let seekers: [Int32]
    /// Compiled opening index of each problem opening.
    let openings: [Int32]
    /// Row starts, `seekerCount + 1` entries.
    public let seekerStart: [Int32]
    /// Opening number of each pair.
    public let opening: [Int32]

    /// Number of seekers (E1-admitted).
    public var seekerCount: Int { seekers.count }
    /// Number of openings (open on d with slots left).
    public var openingCount: Int { openings.count }
    /// Number of pairs.
    public var count: Int { opening.count }

    /// The certificate key of seeker number `i`.
    public func certificateKey(_ i: Int) -> String { context.compiled.seekers[Int(seekers[i])].certificate.key }
    /// The id of opening number `j`.
    public func openingID(_ j: Int) -> OpeningID { context.compiled.openings[Int(openings[j])].id }

    /// Every pair by key, sorted by (certificate key, opening id) — for
    /// exports and tests; large runs should walk the CSR arrays instead.
    public var keyed: [CandidatePair] {
        var out: [CandidatePair] = []
        out.reserveCapacity(count)
        for i in 0..<seekerCount {
            let key = certificateKey(i)
            for k in Int(seekerStart[i])..<Int(seekerStart[i + 1]) {
                out.append(CandidatePair(certificateKey: key, openingID: openingID(Int(opening[k]))))
            }
        }
        return out
    }
}

/// One eligible pair by key.
public struct CandidatePair: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The seeker's 20-character certificate key.
    public var certificateKey: String
    /// The opening.
    public var openingID: OpeningID
    /// Both given.
    public init(certificateKey: String, openingID: OpeningID) { self.certificateKey = certificateKey; self.openingID = openingID }
    public static func < (a: CandidatePair, b: CandidatePair) -> Bool {
        (a.certificateKey, a.openingID.value) < (b.certificateKey, b.openingID.value)
    }
    /// Masked key and opening id.
    public var description: String { "\(Masking.identifier(certificateKey))→\(openingID)" }
}
