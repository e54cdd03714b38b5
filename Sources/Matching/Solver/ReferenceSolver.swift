/// The obviously-correct solver the fast one is tested against: the same
/// network and tiers, each tier solved by cancelling negative cycles found
/// with Bellman–Ford, its integer prices being the final shortest-path
/// distances. Polynomial only in the flow value and slow (O(V·E) per cycle):
/// for tests on small instances.
enum ReferenceSolver {
  /// The optimal assignment with its certificate.
  static func solve(_ problem: AssignmentProblem) -> AssignmentSolution {
    let net = SolverNetwork(problem)
    let nodes = net.nodeCount
    var tail: [Int] = [], head: [Int] = [], cap: [Int32] = [], tag: [Int16] = [], edgeOf: [Int] = []
    problem.forEachArc { t, h, c, g, _, e in
      tail.append(t); head.append(h); cap.append(c); tag.append(g); edgeOf.append(e)
    }
    let arcs = tail.count
    var flow = [Int32](repeating: 0, count: arcs)
    var fixed = [Bool](repeating: false, count: arcs)
    var tierPrices: [[Int64]] = []

    for tier in 0..<SolverNetwork.tierCount {
      // Residual arc r: arc r/2, forward when r is even.
      func residual(_ r: Int) -> (from: Int, to: Int, cost: Int64)? {
        let a = r >> 1
        if fixed[a] { return nil }
        let c = ArcTag.cost(tag[a], tier: tier)
        if r & 1 == 0 { return flow[a] < cap[a] ? (tail[a], head[a], c) : nil }
        return flow[a] > 0 ? (head[a], tail[a], -c) : nil
      }
      var dist = [Int64](repeating: 0, count: nodes)
      while true {
        // Bellman–Ford from a virtual node joined to every node at cost 0.
        for v in 0..<nodes { dist[v] = 0 }
        var pred = [Int](repeating: -1, count: nodes)
        var lastRelaxed = -1
        for _ in 0..<nodes {
          lastRelaxed = -1
          for r in 0..<(2 * arcs) {
            guard let (u, v, c) = residual(r) else { continue }
            if dist[u] + c < dist[v] {
              dist[v] = dist[u] + c
              pred[v] = r
              lastRelaxed = v
            }
          }
          if lastRelaxed < 0 { break }
        }
        if lastRelaxed < 0 { break }
        // A relaxation in round |V|: walk back |V| steps to land on the cycle.
        var v = lastRelaxed
        for _ in 0..<nodes { v = residual(pred[v])!.from }
        var cycle: [Int] = []
        var u = v
        repeat {
          cycle.append(pred[u])
          u = residual(pred[u])!.from
        } while u != v
        var delta = Int32.max
        for r in cycle {
          let a = r >> 1
          delta = min(delta, r & 1 == 0 ? cap[a] - flow[a] : flow[a])
        }
        for r in cycle {
          if r & 1 == 0 { flow[r >> 1] += delta } else { flow[r >> 1] -= delta }
        }
      }
      tierPrices.append(dist)
      for a in 0..<arcs where !fixed[a] {
        if ArcTag.cost(tag[a], tier: tier) + dist[tail[a]] - dist[head[a]] != 0 { fixed[a] = true }
      }
    }

    var openingOf = [Int32](repeating: -1, count: problem.seekerCount)
    for a in 0..<arcs where edgeOf[a] >= 0 && flow[a] == 1 {
      openingOf[tail[a] - net.seekerNode(0)] = problem.edges.opening[edgeOf[a]]
    }
    return AssignmentSolution(
      openingOf: openingOf, objective: Objective(of: openingOf, in: problem),
      certificate: OptimalityCertificate(tierPrices: tierPrices))
  }
}
