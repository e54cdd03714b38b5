@testable import Matching

// `SplitMix64`, the seeded generator these tests replay from, is shared with
// the rules tests (RulesFixtures.swift): the same SplitMix64 sequence.

/// A small instance from literal pairs `(seeker, opening, score)`.
func makeProblem(
  seekers: Int, capacities: [Int32], pairs: [(Int, Int, Int)], household: [Int32]? = nil,
  householdCount: Int = 0, priority: [Bool]? = nil
) -> AssignmentProblem {
  let edges = EdgeList(
    seekerCount: seekers, seekers: pairs.map { Int32($0.0) }, openings: pairs.map { Int32($0.1) },
    scores: pairs.map { Int16($0.2) })
  return AssignmentProblem(
    seekerCount: seekers, capacities: capacities, edges: edges,
    household: household ?? [Int32](repeating: -1, count: seekers), householdCount: householdCount,
    priority: priority ?? [Bool](repeating: false, count: seekers))
}

/// A random instance: `density` chance per pair, scores from a few values so
/// ties are common, capacities 0...maxCap, households of 1–3 members.
func randomProblem(seekers n: Int, openings m: Int, maxCap: Int32, density: Double, rng: inout SplitMix64)
  -> AssignmentProblem
{
  var pairs: [(Int, Int, Int)] = []
  let scorePalette = [0, 1, 2, 5, 10, 500, 999, 1000]
  for s in 0..<n {
    for o in 0..<m where Double.random(in: 0..<1, using: &rng) < density {
      let score = Bool.random(using: &rng) ? scorePalette.randomElement(using: &rng)! : Int.random(in: 0...1000, using: &rng)
      pairs.append((s, o, score))
    }
  }
  pairs.shuffle(using: &rng)
  let capacities = (0..<m).map { _ in Int32.random(in: 0...maxCap, using: &rng) }
  var household = [Int32](repeating: -1, count: n)
  var hh: Int32 = 0
  var s = 0
  while s < n {
    let size = Int.random(in: 1...3, using: &rng)
    if Double.random(in: 0..<1, using: &rng) < 0.4 {
      for k in s..<min(n, s + size) { household[k] = hh }
      hh += 1
    }
    s += size
  }
  let priority = (0..<n).map { _ in Double.random(in: 0..<1, using: &rng) < 0.3 }
  return makeProblem(
    seekers: n, capacities: capacities, pairs: pairs, household: household, householdCount: Int(hh), priority: priority)
}

/// The best objective over every assignment, by exhaustive enumeration.
func bruteForceBest(_ p: AssignmentProblem) -> Objective {
  var load = [Int32](repeating: 0, count: p.openingCount)
  var openingOf = [Int32](repeating: -1, count: p.seekerCount)
  var best = Objective(households: 0, priority: 0, placed: 0, score: 0)
  func go(_ s: Int) {
    if s == p.seekerCount {
      let value = Objective(of: openingOf, in: p)
      if value > best { best = value }
      return
    }
    openingOf[s] = -1
    go(s + 1)
    for e in Int(p.edges.seekerStart[s])..<Int(p.edges.seekerStart[s + 1]) {
      let o = Int(p.edges.opening[e])
      if load[o] < p.capacities[o] {
        load[o] += 1
        openingOf[s] = Int32(o)
        go(s + 1)
        load[o] -= 1
      }
    }
    openingOf[s] = -1
  }
  go(0)
  return best
}

/// `p` with seekers renumbered by `perm` (new seeker i is old seeker perm[i]);
/// households and openings keep their numbers.
func permuteSeekers(_ p: AssignmentProblem, _ perm: [Int]) -> AssignmentProblem {
  var pairs: [(Int, Int, Int)] = []
  for (newS, oldS) in perm.enumerated() {
    for e in Int(p.edges.seekerStart[oldS])..<Int(p.edges.seekerStart[oldS + 1]) {
      pairs.append((newS, Int(p.edges.opening[e]), Int(p.edges.score[e])))
    }
  }
  return makeProblem(
    seekers: p.seekerCount, capacities: p.capacities, pairs: pairs, household: perm.map { p.household[$0] },
    householdCount: p.householdCount, priority: perm.map { p.priority[$0] })
}
