// MatchBench: the solver on seeded, province-shaped instances.
//
//   swift build -c release --product MatchBench
//   .build/release/MatchBench [--sizes 20k,100k,300k | 20000x5000,...] [--seed N]
//                             [--verify] [--write-pairs FILE]
//
// A size `Nk` means N×1000 seekers and a quarter as many openings. For each
// size it prints the edge count, the solve time (wall and CPU), the end-to-end time
// (building the EdgeList and AssignmentProblem from unsorted triples, plus
// solve; generating the triples is excluded), the peak resident memory of
// that size (VmHWM, reset between sizes through /proc/self/clear_refs) and
// the objective. `--verify` also checks the certificate (timed apart).
//
// `--write-pairs FILE` writes each size's instance (FILE gets a `.SIZE`
// suffix when several sizes run) for an external solver, as text:
//
//   p SEEKERS OPENINGS HOUSEHOLDS EDGES
//   o SLOTS                       one line per opening, in index order
//   s HOUSEHOLD PRIORITY          one line per seeker: household index or -1, 0/1
//   e SEEKER OPENING SCORE        one line per eligible pair
//
// and the objective to reach is H, P, N, S of CONTRACT §4.
import Foundation
import Matching

struct Generator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }
}

/// Triples and the rest of an instance, before the problem is built.
struct Instance {
  var seekers: Int
  var capacities: [Int32]
  var pairSeeker: [Int32] = []
  var pairOpening: [Int32] = []
  var pairScore: [Int16] = []
  var household: [Int32]
  var householdCount: Int
  var priority: [Bool]
}

/// Towns of ~1000 seekers in districts of 13–20 towns on a ring (each town
/// neighbours the two next to it and one across); openings spread over towns
/// like seekers; a seeker's 30–80 pairs go about half to its own town, a third
/// to neighbours and the rest elsewhere in the district. A score rewards the
/// same town (400) or a neighbour (250), a matching job category (300, one of
/// 18) and a seeker's and an opening's quality (0–150 each), plus noise.
func generate(seekers n: Int, openings m: Int, seed: UInt64) -> Instance {
  var g = Generator(state: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(n))
  let townCount = max(13, n / 1000)
  var district = [Int](repeating: 0, count: townCount)
  var districtTowns: [[Int]] = []
  var t = 0
  while t < townCount {
    var size = 13 + g.below(8)
    if townCount - t - size < 13 { size = townCount - t }
    districtTowns.append(Array(t..<(t + size)))
    for k in t..<(t + size) { district[k] = districtTowns.count - 1 }
    t += size
  }
  func neighbours(_ town: Int) -> [Int] {
    let d = districtTowns[district[town]]
    let i = town - d[0], c = d.count
    return [d[(i + 1) % c], d[(i + c - 1) % c], d[(i + c / 2) % c]]
  }
  var openingsOf = [[Int32]](repeating: [], count: townCount)
  var capacities = [Int32](repeating: 0, count: m)
  var openingCategory = [Int](repeating: 0, count: m)
  var openingQuality = [Int](repeating: 0, count: m)
  for o in 0..<m {
    openingsOf[g.below(townCount)].append(Int32(o))
    capacities[o] = Int32(1 + g.below(5))
    openingCategory[o] = g.below(18)
    openingQuality[o] = g.below(151)
  }
  var inst = Instance(
    seekers: n, capacities: capacities, household: [Int32](repeating: -1, count: n), householdCount: 0,
    priority: [Bool](repeating: false, count: n))
  inst.pairSeeker.reserveCapacity(n * 55)
  inst.pairOpening.reserveCapacity(n * 55)
  inst.pairScore.reserveCapacity(n * 55)
  var picked = Set<Int32>()
  var s = 0
  var households = 0
  while s < n {
    let town = g.below(townCount)
    // A household of 1–3 seekers in one town; about 30 % of seekers are in
    // zero-employment households.
    let size = min(n - s, 1 + g.below(3))
    let zeroEmployment = g.chance(0.3)
    for k in s..<(s + size) {
      if zeroEmployment { inst.household[k] = Int32(households) }
      inst.priority[k] = g.chance(0.15)
      let category = g.below(18), quality = g.below(151)
      let want = 30 + g.below(51)
      picked.removeAll(keepingCapacity: true)
      let near = neighbours(town), far = districtTowns[district[town]]
      var tries = 0
      while picked.count < want && tries < want * 4 {
        tries += 1
        let r = g.below(100)
        let (from, base) = r < 50 ? (town, 400) : r < 85 ? (near[g.below(near.count)], 250) : (far[g.below(far.count)], 0)
        let list = openingsOf[from]
        if list.isEmpty { continue }
        let o = list[g.below(list.count)]
        if !picked.insert(o).inserted { continue }
        let sameTown = from == town ? 400 : base
        var score = sameTown + quality + openingQuality[Int(o)] + g.below(120)
        if openingCategory[Int(o)] == category { score += 300 }
        inst.pairSeeker.append(Int32(k))
        inst.pairOpening.append(o)
        inst.pairScore.append(Int16(min(1000, score)))
      }
    }
    if zeroEmployment { households += 1 }
    s += size
  }
  inst.householdCount = households
  // Triples arrive in no particular order, as rows from a database would.
  let count = inst.pairSeeker.count
  for i in stride(from: count - 1, to: 0, by: -1) {
    let j = g.below(i + 1)
    inst.pairSeeker.swapAt(i, j)
    inst.pairOpening.swapAt(i, j)
    inst.pairScore.swapAt(i, j)
  }
  return inst
}

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// CPU time of the process: the machine is shared, so wall time alone
/// overstates the solver's cost when other builds run.
func cpu() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func statusKiB(_ key: String) -> Int {
  guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
  for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
    return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
  }
  return -1
}

func resetPeak() {
  // Writing 5 resets VmHWM to the current RSS (Linux ≥ 4.0).
  if let f = fopen("/proc/self/clear_refs", "w") {
    fputs("5", f)
    fclose(f)
  }
}

func writePairs(_ inst: Instance, to path: String) {
  guard let f = fopen(path, "w") else {
    FileHandle.standardError.write("cannot write \(path)\n".data(using: .utf8)!)
    exit(1)
  }
  fputs("p \(inst.seekers) \(inst.capacities.count) \(inst.householdCount) \(inst.pairSeeker.count)\n", f)
  for c in inst.capacities { fputs("o \(c)\n", f) }
  for s in 0..<inst.seekers { fputs("s \(inst.household[s]) \(inst.priority[s] ? 1 : 0)\n", f) }
  for i in 0..<inst.pairSeeker.count {
    fputs("e \(inst.pairSeeker[i]) \(inst.pairOpening[i]) \(inst.pairScore[i])\n", f)
  }
  fclose(f)
}

func usage() -> Never {
  FileHandle.standardError.write(
    "usage: MatchBench [--sizes 20k,100k,300k|NxM,...] [--seed N] [--verify] [--write-pairs FILE]\n".data(using: .utf8)!)
  exit(2)
}

var sizes: [(Int, Int)] = [(20_000, 5_000), (100_000, 25_000), (300_000, 75_000)]
var seed: UInt64 = 1
var verify = false
var pairsPath: String?
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
  switch arg {
  case "--sizes":
    guard let list = args.popFirst() else { usage() }
    sizes = list.split(separator: ",").map { item -> (Int, Int) in
      let parts = item.lowercased().split(separator: "x")
      if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) { return (a, b) }
      if parts.count == 1, item.lowercased().hasSuffix("k"), let k = Int(item.dropLast()) { return (k * 1000, k * 250) }
      if parts.count == 1, let a = Int(item) { return (a, a / 4) }
      usage()
    }
  case "--seed":
    guard let v = args.popFirst().flatMap({ UInt64($0) }) else { usage() }
    seed = v
  case "--verify": verify = true
  case "--write-pairs":
    guard let v = args.popFirst() else { usage() }
    pairsPath = v
  default: usage()
  }
}

print("seekers openings edges build_s solve_s solve_cpu_s end_to_end_s end_to_end_cpu_s peak_MiB objective")
for (n, m) in sizes {
  var inst = generate(seekers: n, openings: m, seed: seed)
  if let path = pairsPath { writePairs(inst, to: sizes.count > 1 ? "\(path).\(n)" : path) }
  resetPeak()
  let t0 = now(), c0 = cpu()
  let edges = EdgeList(seekerCount: n, seekers: inst.pairSeeker, openings: inst.pairOpening, scores: inst.pairScore)
  inst.pairSeeker = []
  inst.pairOpening = []
  inst.pairScore = []
  let problem = AssignmentProblem(
    seekerCount: n, capacities: inst.capacities, edges: edges, household: inst.household,
    householdCount: inst.householdCount, priority: inst.priority)
  let t1 = now(), c1 = cpu()
  let solution = AssignmentSolver.solve(problem)
  let t2 = now(), c2 = cpu()
  let peak = statusKiB("VmHWM")
  print(
    "\(n) \(m) \(edges.count) \(String(format: "%.2f", t1 - t0)) \(String(format: "%.2f", t2 - t1)) "
      + "\(String(format: "%.2f", c2 - c1)) \(String(format: "%.2f", t2 - t0)) \(String(format: "%.2f", c2 - c0)) "
      + "\(peak / 1024) \(solution.objective)")
  if verify {
    let t3 = now()
    let ok = AssignmentSolver.verify(problem, solution)
    print("  verify \(ok ? "ok" : "FAILED") in \(String(format: "%.2f", now() - t3)) s")
    if !ok { exit(1) }
  }
}
