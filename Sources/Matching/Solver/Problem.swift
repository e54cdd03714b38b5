// The solver's public value types: the problem it is given, the answer it
// returns and the certificate that proves the answer optimal. See
// Overview.swift for the network these describe.

/// The pairs a run may propose, in compressed sparse row form: the edges of
/// seeker `s` are `seekerStart[s] ..< seekerStart[s + 1]`, sorted by opening,
/// each opening at most once per seeker.
///
/// Six bytes an edge (an `Int32` opening and an `Int16` score) keep a
/// province-sized graph (300k seekers × 55 pairs ≈ 16.5M edges) near 100 MB.
public struct EdgeList: Sendable {
  /// Offsets into `opening` and `score`, one per seeker plus one; starts at 0.
  public let seekerStart: [Int32]
  /// The opening of each edge, ascending within a seeker's range.
  public let opening: [Int32]
  /// The pair score of each edge, 0...1000 (CONTRACT §4, tier S).
  public let score: [Int16]

  /// Wraps arrays that are already in CSR order.
  ///
  /// - Precondition: `seekerStart` is non-decreasing, starts at 0 and ends at
  ///   `opening.count`; `opening.count == score.count`; within a seeker the
  ///   openings are strictly ascending; every score is in 0...1000.
  public init(seekerStart: [Int32], opening: [Int32], score: [Int16]) {
    precondition(!seekerStart.isEmpty && seekerStart[0] == 0, "seekerStart must start at 0")
    precondition(Int(seekerStart[seekerStart.count - 1]) == opening.count, "seekerStart must end at the edge count")
    precondition(opening.count == score.count, "one score per edge")
    for s in 0..<(seekerStart.count - 1) {
      let lo = Int(seekerStart[s]), hi = Int(seekerStart[s + 1])
      precondition(lo <= hi, "seekerStart must be non-decreasing")
      if lo < hi {
        for e in lo..<hi {
          precondition(score[e] >= 0 && score[e] <= 1000, "score out of 0...1000")
          precondition(e == lo || opening[e - 1] < opening[e], "openings must ascend within a seeker, each once")
        }
      }
    }
    self.seekerStart = seekerStart
    self.opening = opening
    self.score = score
  }

  /// Builds the CSR form from unsorted `(seeker, opening, score)` triples
  /// given as three parallel arrays: a counting sort by seeker, then a sort
  /// of each seeker's few edges by opening, so the result does not depend on
  /// the order of the triples.
  ///
  /// - Precondition: every seeker is in `0..<seekerCount`, no pair appears
  ///   twice, every score is in 0...1000.
  public init(seekerCount: Int, seekers: [Int32], openings: [Int32], scores: [Int16]) {
    precondition(seekers.count == openings.count && openings.count == scores.count, "parallel arrays differ in length")
    var start = [Int32](repeating: 0, count: seekerCount + 1)
    for s in seekers {
      precondition(s >= 0 && Int(s) < seekerCount, "seeker out of range")
      start[Int(s) + 1] += 1
    }
    for s in 0..<seekerCount { start[s + 1] += start[s] }
    var fill = start
    var op = [Int32](repeating: 0, count: seekers.count)
    var sc = [Int16](repeating: 0, count: seekers.count)
    for i in 0..<seekers.count {
      let s = Int(seekers[i])
      let at = Int(fill[s])
      fill[s] += 1
      op[at] = openings[i]
      sc[at] = scores[i]
    }
    var pairs: [(Int32, Int16)] = []
    for s in 0..<seekerCount {
      let lo = Int(start[s]), hi = Int(start[s + 1])
      if hi - lo < 2 { continue }
      pairs.removeAll(keepingCapacity: true)
      for e in lo..<hi { pairs.append((op[e], sc[e])) }
      pairs.sort { $0.0 < $1.0 }
      for (k, p) in pairs.enumerated() {
        op[lo + k] = p.0
        sc[lo + k] = p.1
      }
    }
    self.init(seekerStart: start, opening: op, score: sc)
  }

  /// The number of edges.
  public var count: Int { opening.count }

  /// The edge index of the pair `(seeker, opening)`, or nil when it is not
  /// eligible (binary search in the seeker's sorted range).
  public func edgeIndex(seeker: Int, opening o: Int32) -> Int? {
    var lo = Int(seekerStart[seeker]), hi = Int(seekerStart[seeker + 1])
    while lo < hi {
      let mid = (lo + hi) >> 1
      let v = opening[mid]
      if v == o { return mid }
      if v < o { lo = mid + 1 } else { hi = mid }
    }
    return nil
  }
}

/// One matching problem: seekers `0..<seekerCount`, openings
/// `0..<capacities.count`, the eligible pairs with scores, the zero-employment
/// households and the priority flags (CONTRACT §4).
///
/// Callers sort seekers and openings by their keys before building a problem;
/// the solver is a deterministic function of the problem, so the proposals
/// then do not depend on the order of the input rows.
public struct AssignmentProblem: Sendable {
  /// The number of seekers.
  public let seekerCount: Int
  /// Slots left per opening (≥ 0); `capacities.count` is the opening count.
  public let capacities: [Int32]
  /// The eligible pairs and their scores.
  public let edges: EdgeList
  /// Per seeker, the index of its zero-employment household, or -1.
  public let household: [Int32]
  /// The number of zero-employment households.
  public let householdCount: Int
  /// Per seeker, whether it counts in tier P.
  public let priority: [Bool]

  /// The number of openings.
  public var openingCount: Int { capacities.count }

  /// - Precondition: array lengths agree with `seekerCount`, capacities are
  ///   non-negative, every household index is -1 or in `0..<householdCount`,
  ///   every edge's opening is in range.
  public init(
    seekerCount: Int, capacities: [Int32], edges: EdgeList, household: [Int32], householdCount: Int,
    priority: [Bool]
  ) {
    precondition(edges.seekerStart.count == seekerCount + 1, "edges must cover every seeker")
    precondition(household.count == seekerCount && priority.count == seekerCount, "one household and one flag per seeker")
    precondition(capacities.allSatisfy { $0 >= 0 }, "capacities must be non-negative")
    precondition(household.allSatisfy { $0 >= -1 && Int($0) < householdCount }, "household index out of range")
    let m = Int32(capacities.count)
    precondition(edges.opening.allSatisfy { $0 >= 0 && $0 < m }, "edge opening out of range")
    self.seekerCount = seekerCount
    self.capacities = capacities
    self.edges = edges
    self.household = household
    self.householdCount = householdCount
    self.priority = priority
  }
}

/// The four tiers of CONTRACT §4, compared lexicographically: more zero-
/// employment households reached beats anything below it, and so on.
public struct Objective: Equatable, Comparable, Sendable, CustomStringConvertible {
  /// H: zero-employment households with at least one member assigned.
  public var households: Int
  /// P: assigned priority seekers.
  public var priority: Int
  /// N: assignments.
  public var placed: Int
  /// S: the sum of the assigned pairs' scores.
  public var score: Int64

  /// Creates an objective value from its four tiers.
  public init(households: Int, priority: Int, placed: Int, score: Int64) {
    self.households = households
    self.priority = priority
    self.placed = placed
    self.score = score
  }

  /// Lexicographic order: H, then P, then N, then S.
  public static func < (a: Objective, b: Objective) -> Bool {
    if a.households != b.households { return a.households < b.households }
    if a.priority != b.priority { return a.priority < b.priority }
    if a.placed != b.placed { return a.placed < b.placed }
    return a.score < b.score
  }

  /// `H=… P=… N=… S=…`.
  public var description: String { "H=\(households) P=\(priority) N=\(placed) S=\(score)" }

  /// The objective of an assignment, counted directly from its definition.
  ///
  /// - Precondition: every assigned pair is an edge of `problem`.
  public init(of openingOf: [Int32], in problem: AssignmentProblem) {
    var hit = [Bool](repeating: false, count: problem.householdCount)
    var h = 0, p = 0, n = 0
    var s: Int64 = 0
    for seeker in 0..<problem.seekerCount where openingOf[seeker] >= 0 {
      guard let e = problem.edges.edgeIndex(seeker: seeker, opening: openingOf[seeker]) else {
        preconditionFailure("seeker \(seeker) assigned to an ineligible opening")
      }
      n += 1
      s += Int64(problem.edges.score[e])
      if problem.priority[seeker] { p += 1 }
      let hh = Int(problem.household[seeker])
      if hh >= 0 && !hit[hh] {
        hit[hh] = true
        h += 1
      }
    }
    self.init(households: h, priority: p, placed: n, score: s)
  }
}

/// Integer dual prices, one vector per tier (H, P, N, S), indexed by the
/// node numbering of `SolverNetwork` (root 0, then households, seekers,
/// openings). Each tier's prices satisfy complementary slackness with the
/// assignment on the arcs that the earlier tiers leave free; that proves the
/// assignment lexicographically optimal (see `AssignmentSolver.verify`).
public struct OptimalityCertificate: Sendable, Equatable {
  /// `tierPrices[t][node]` for t = 0 (H), 1 (P), 2 (N), 3 (S).
  public let tierPrices: [[Int64]]

  /// Wraps the four price vectors.
  public init(tierPrices: [[Int64]]) {
    self.tierPrices = tierPrices
  }
}

/// A solver's answer.
public struct AssignmentSolution: Sendable, Equatable {
  /// Per seeker, the assigned opening, or -1.
  public let openingOf: [Int32]
  /// The assignment's H, P, N, S.
  public let objective: Objective
  /// The dual prices that prove `objective` optimal.
  public let certificate: OptimalityCertificate

  /// Bundles an assignment with its objective and certificate.
  public init(openingOf: [Int32], objective: Objective, certificate: OptimalityCertificate) {
    self.openingOf = openingOf
    self.objective = objective
    self.certificate = certificate
  }
}
