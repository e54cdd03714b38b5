// The flow network both solvers and `verify` agree on: node numbering, arc
// kinds and the cost of each arc kind in each tier. One place, so that a
// certificate from either solver means the same thing to `verify`.

/// Node numbering and per-tier arc costs of the assignment network.
///
/// Nodes: the root (source and sink merged, see Overview.swift) is 0;
/// household `h` is `1 + h`; seeker `s` is `1 + householdCount + s`; opening
/// `o` is `1 + householdCount + seekerCount + o`.
///
/// Arcs and their costs (a cost is minus the gain; tiers 0 H, 1 P, 2 N, 3 S):
///
/// | arc | capacity | H | P | N | S |
/// | --- | --- | --- | --- | --- | --- |
/// | bonus: root → household | 1 | -1 | 0 | 0 | 0 |
/// | rest: root → household | members − 1 | 0 | 0 | 0 | 0 |
/// | feed: root or household → seeker | 1 | 0 | -1 if priority | -1 | 0 |
/// | edge: seeker → opening | 1 | 0 | 0 | 0 | -score |
/// | drain: opening → root | slots | 0 | 0 | 0 | 0 |
public struct SolverNetwork: Sendable {
  /// The number of tiers (H, P, N, S).
  public static let tierCount = 4
  /// The root node (source and sink merged).
  public static let root = 0

  /// The number of zero-employment households.
  public let householdCount: Int
  /// The number of seekers.
  public let seekerCount: Int
  /// The number of openings.
  public let openingCount: Int

  /// The numbering for `problem`.
  public init(_ problem: AssignmentProblem) {
    householdCount = problem.householdCount
    seekerCount = problem.seekerCount
    openingCount = problem.openingCount
  }

  /// The number of nodes.
  public var nodeCount: Int { 1 + householdCount + seekerCount + openingCount }
  /// The node of household `h`.
  @inline(__always) public func householdNode(_ h: Int) -> Int { 1 + h }
  /// The node of seeker `s`.
  @inline(__always) public func seekerNode(_ s: Int) -> Int { 1 + householdCount + s }
  /// The node of opening `o`.
  @inline(__always) public func openingNode(_ o: Int) -> Int { 1 + householdCount + seekerCount + o }
}

/// Arc tags: one `Int16` per residual arc slot that determines its cost in
/// every tier. Forward edge arcs carry their score (0...1000), the other
/// forward kinds a code above 1000, and a reverse slot `-1 - forward`.
enum ArcTag {
  /// A household's bonus arc.
  static let bonus: Int16 = 1001
  /// The feed of a priority seeker.
  static let feedPriority: Int16 = 1002
  /// The feed of another seeker.
  static let feedPlain: Int16 = 1003
  /// Rest and drain arcs: cost 0 in every tier.
  static let plain: Int16 = 1004
  /// The largest forward tag.
  static let maxForward: Int16 = 1004

  /// The tag of the reverse slot.
  @inline(__always) static func reverse(_ tag: Int16) -> Int16 { -1 - tag }

  /// The unscaled cost of a slot with `tag` in `tier`.
  @inline(__always) static func cost(_ tag: Int16, tier: Int) -> Int64 {
    if tag < 0 { return -forwardCost(-1 - tag, tier: tier) }
    return forwardCost(tag, tier: tier)
  }

  /// The unscaled cost of a forward tag in `tier`.
  @inline(__always) static func forwardCost(_ tag: Int16, tier: Int) -> Int64 {
    switch tag {
    case 0...1000: return tier == 3 ? -Int64(tag) : 0
    case bonus: return tier == 0 ? -1 : 0
    case feedPriority: return tier == 1 || tier == 2 ? -1 : 0
    case feedPlain: return tier == 2 ? -1 : 0
    default: return 0
    }
  }

  /// Index offset of `table`: `table[Int(tag) + offset]`.
  static let offset = 1024
  /// A lookup table of the costs of every tag in `tier`, each multiplied by
  /// `scale`, for the hot loops.
  static func table(tier: Int, scale: Int64) -> [Int64] {
    var t = [Int64](repeating: 0, count: 2 * offset)
    for tag in -Int(maxForward) - 1...Int(maxForward) {
      t[tag + offset] = cost(Int16(tag), tier: tier) * scale
    }
    return t
  }
}

extension AssignmentProblem {
  /// Members per zero-employment household.
  func householdMembers() -> [Int32] {
    var members = [Int32](repeating: 0, count: householdCount)
    for h in household where h >= 0 { members[Int(h)] += 1 }
    return members
  }

  /// Calls `body(tail, head, capacity, forwardTag, seeker, edge)` for every
  /// arc of the network in a fixed order: households' bonus and rest arcs,
  /// then per seeker its feed arc and its edges, then openings' drains.
  /// `seeker` and `edge` are -1 where they do not apply.
  func forEachArc(_ body: (Int, Int, Int32, Int16, Int, Int) -> Void) {
    let net = SolverNetwork(self)
    let members = householdMembers()
    for h in 0..<householdCount {
      body(SolverNetwork.root, net.householdNode(h), 1, ArcTag.bonus, -1, -1)
      body(SolverNetwork.root, net.householdNode(h), max(0, members[h] - 1), ArcTag.plain, -1, -1)
    }
    for s in 0..<seekerCount {
      let parent = household[s] >= 0 ? net.householdNode(Int(household[s])) : SolverNetwork.root
      body(parent, net.seekerNode(s), 1, priority[s] ? ArcTag.feedPriority : ArcTag.feedPlain, s, -1)
      for e in Int(edges.seekerStart[s])..<Int(edges.seekerStart[s + 1]) {
        body(net.seekerNode(s), net.openingNode(Int(edges.opening[e])), 1, edges.score[e], s, e)
      }
    }
    for o in 0..<openingCount {
      body(net.openingNode(o), SolverNetwork.root, capacities[o], ArcTag.plain, -1, -1)
    }
  }
}
