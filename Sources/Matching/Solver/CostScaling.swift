// The fast solver: Goldberg's cost-scaling push-relabel (Goldberg 1997, "An
// efficient implementation of a scaling minimum-cost flow algorithm"), one
// run per tier on the arcs the earlier tiers leave free. See Overview.swift.

/// Cost-scaling min-cost circulation on the network of `SolverNetwork`,
/// solved tier by tier. Arcs live in one CSR array of residual slots (each
/// arc a forward and a reverse slot, `sister` linking them), 14 bytes a slot;
/// a node's slots `first[v] ..< activeEnd[v]` are the free ones, the slots
/// behind are arcs an earlier tier fixed.
final class CostScalingSolver {
  /// The problem being solved.
  let problem: AssignmentProblem
  /// Its node numbering.
  let net: SolverNetwork
  /// Nodes in the network.
  let nodeCount: Int
  /// Residual slots: two per arc.
  let slotCount: Int
  /// Ratio between successive ε in tier S. Measured at 20k: 8 beat 16, 40,
  /// 100 and 1000 (3.5, 4.4, 5.5, 5.2, 7.8 s on a loaded machine).
  let alpha: Int64

  /// Per node, its first slot (and `first[nodeCount]` the slot count).
  let first: UnsafeMutablePointer<Int32>
  /// Per node, the end of its free slots; fixed slots follow.
  let activeEnd: UnsafeMutablePointer<Int32>
  /// Per node, the current arc of push-relabel.
  let current: UnsafeMutablePointer<Int32>
  /// Per slot, the node it leads to.
  let head: UnsafeMutablePointer<Int32>
  /// Per slot, the slot of the opposite direction.
  let sister: UnsafeMutablePointer<Int32>
  /// Per slot, its residual capacity.
  let rescap: UnsafeMutablePointer<Int32>
  /// Per slot, its `ArcTag` (cost in every tier).
  let tag: UnsafeMutablePointer<Int16>
  /// Per node, inflow minus outflow.
  let excess: UnsafeMutablePointer<Int32>
  /// Per node, its price in scaled units of the current tier.
  let price: UnsafeMutablePointer<Int64>
  /// FIFO of active nodes (each node at most once).
  let queue: UnsafeMutablePointer<Int32>
  /// Mutable scalars live behind a pointer: a class's `var` properties pay a
  /// dynamic exclusivity check on every access, measured at 4× the whole
  /// solve time in the hot loops.
  struct Scalars {
    /// Index of the queue's first node.
    var queueHead = 0
    /// Nodes in the queue.
    var queueCount = 0
    /// Relabels so far (all tiers).
    var relabels = 0
    /// Pushes so far (all tiers).
    var pushes = 0
    /// Global price updates so far (all tiers).
    var updates = 0
  }
  /// The mutable scalars.
  let st: UnsafeMutablePointer<Scalars>
  // Global price update: Dial buckets as doubly linked lists.
  /// Per node, its distance in ε units during a global update.
  let rank: UnsafeMutablePointer<Int32>
  /// Bucket list links.
  let bucketNext: UnsafeMutablePointer<Int32>
  /// Bucket list links (-2 marks a scanned node).
  let bucketPrev: UnsafeMutablePointer<Int32>
  /// Per distance, the first node of its bucket.
  let bucketFirst: UnsafeMutablePointer<Int32>
  /// Largest distance tracked; farther nodes get the stopping distance.
  let bucketLimit: Int


  /// Lays out the network of `problem` (the zero flow).
  init(_ problem: AssignmentProblem, alpha: Int64 = 8) {
    self.problem = problem
    self.alpha = alpha
    net = SolverNetwork(problem)
    nodeCount = net.nodeCount
    let n = problem.seekerCount, m = problem.openingCount, hh = problem.householdCount
    slotCount = 2 * (2 * hh + n + problem.edges.count + m)
    precondition(slotCount < Int(Int32.max), "network too large for 32-bit slot indices")
    first = .allocate(capacity: nodeCount + 1)
    activeEnd = .allocate(capacity: nodeCount)
    current = .allocate(capacity: nodeCount)
    head = .allocate(capacity: slotCount)
    sister = .allocate(capacity: slotCount)
    rescap = .allocate(capacity: slotCount)
    tag = .allocate(capacity: slotCount)
    excess = .allocate(capacity: nodeCount)
    excess.initialize(repeating: 0, count: nodeCount)
    price = .allocate(capacity: nodeCount)
    price.initialize(repeating: 0, count: nodeCount)
    queue = .allocate(capacity: nodeCount)
    rank = .allocate(capacity: nodeCount)
    bucketNext = .allocate(capacity: nodeCount)
    bucketPrev = .allocate(capacity: nodeCount)
    bucketLimit = nodeCount
    bucketFirst = .allocate(capacity: bucketLimit + 1)
    bucketFirst.initialize(repeating: -1, count: bucketLimit + 1)
    st = .allocate(capacity: 1)
    st.initialize(to: Scalars())
    build()
  }

  deinit {
    for p in [first, activeEnd, current, head, sister, rescap, excess, queue, rank, bucketNext, bucketPrev, bucketFirst]
    { p.deallocate() }
    tag.deallocate()
    price.deallocate()
    st.deallocate()
  }

  private func build() {
    let p = problem
    let n = p.seekerCount, m = p.openingCount, hh = p.householdCount
    let members = p.householdMembers()
    // Degrees.
    let deg = UnsafeMutablePointer<Int32>.allocate(capacity: nodeCount)
    defer { deg.deallocate() }
    deg.initialize(repeating: 0, count: nodeCount)
    deg[0] += Int32(2 * hh + m)
    for h in 0..<hh { deg[net.householdNode(h)] += 2 }
    p.edges.seekerStart.withUnsafeBufferPointer { start in
      p.edges.opening.withUnsafeBufferPointer { op in
        for s in 0..<n {
          let parent = p.household[s] >= 0 ? net.householdNode(Int(p.household[s])) : 0
          deg[parent] += 1
          let sn = net.seekerNode(s)
          deg[sn] += 1 + start[s + 1] - start[s]
          for e in Int(start[s])..<Int(start[s + 1]) { deg[net.openingNode(Int(op[e]))] += 1 }
        }
      }
    }
    for o in 0..<m { deg[net.openingNode(o)] += 1 }
    first[0] = 0
    for v in 0..<nodeCount { first[v + 1] = first[v] + deg[v] }
    for v in 0..<nodeCount { current[v] = first[v] }  // fill cursor for now
    @inline(__always) func add(_ u: Int, _ v: Int, _ cap: Int32, _ g: Int16) {
      let a = Int(current[u]), b = Int(current[v])
      current[u] += 1
      current[v] += 1
      head[a] = Int32(v)
      head[b] = Int32(u)
      sister[a] = Int32(b)
      sister[b] = Int32(a)
      rescap[a] = cap
      rescap[b] = 0
      tag[a] = g
      tag[b] = ArcTag.reverse(g)
    }
    for h in 0..<hh {
      add(0, net.householdNode(h), 1, ArcTag.bonus)
      add(0, net.householdNode(h), max(0, members[h] - 1), ArcTag.plain)
    }
    p.edges.seekerStart.withUnsafeBufferPointer { start in
      p.edges.opening.withUnsafeBufferPointer { op in
        p.edges.score.withUnsafeBufferPointer { sc in
          for s in 0..<n {
            let parent = p.household[s] >= 0 ? net.householdNode(Int(p.household[s])) : 0
            let sn = net.seekerNode(s)
            add(parent, sn, 1, p.priority[s] ? ArcTag.feedPriority : ArcTag.feedPlain)
            for e in Int(start[s])..<Int(start[s + 1]) { add(sn, net.openingNode(Int(op[e])), 1, sc[e]) }
          }
        }
      }
    }
    for o in 0..<m { add(net.openingNode(o), 0, p.capacities[o], ArcTag.plain) }
    for v in 0..<nodeCount {
      activeEnd[v] = first[v + 1]
      current[v] = first[v]
    }
  }

  // MARK: Solving

  /// Runs the four tiers and reads the assignment off the edge slots.
  func solve() -> AssignmentSolution {
    let scale = Int64(nodeCount + 1)
    var tierPrices: [[Int64]] = []
    for tier in 0..<SolverNetwork.tierCount {
      let table = ArcTag.table(tier: tier, scale: scale)
      let maxCost = table.map { abs($0) }.max() ?? 0
      startPrices(tier: tier, scale: scale, maxCost: maxCost)
      table.withUnsafeBufferPointer { ct in
        let costOf = ct.baseAddress! + ArcTag.offset
        // Tiers H, P and N have unit costs: one refine straight at ε = 1
        // (scaled), the global price updates doing the work of a shortest-
        // path search, beat scaling by 10 or 1000 per step 20-fold at 20k
        // (0.09 s against 1.2 s for tier H). Tier S needs the scaling; from
        // the start prices below its first refine is at C / 64, not C / 8
        // (callgrind, whole bench at 20k: 2.87 G instructions against
        // 3.09 G; starting at C / 512 gave 3.23 G, α = 16 2.98 G).
        var eps = tier == 3 ? maxCost / 8 : min(maxCost, 2)
        while eps > 1 {
          eps = max(1, eps / (tier == 3 ? alpha : eps))
          refine(eps, costOf)
        }
      }
      let duals = integerDuals(tier: tier, scale: scale)
      // No tier follows S, so nothing reads its pinning.
      if tier + 1 < SolverNetwork.tierCount { fixArcs(duals, tier: tier) }
      tierPrices.append(duals)
    }
    var openingOf = [Int32](repeating: -1, count: problem.seekerCount)
    let openingBase = Int32(net.openingNode(0))
    for s in 0..<problem.seekerCount {
      let v = net.seekerNode(s)
      for a in Int(first[v])..<Int(first[v + 1]) where tag[a] >= 0 && tag[a] <= 1000 && rescap[a] == 0 {
        openingOf[s] = head[a] - openingBase
      }
    }
    return AssignmentSolution(
      openingOf: openingOf, objective: Objective(of: openingOf, in: problem),
      certificate: OptimalityCertificate(tierPrices: tierPrices))
  }

  /// Prices a tier starts from. Any prices are correct (the refine makes
  /// the flow ε-optimal for them); these make the flow the earlier tiers
  /// left cheap to repair.
  ///
  /// - H, P: zero.
  /// - N: seekers and openings one unit (scaled) below the root and the
  ///   households, the duals of "everyone is placed": every feed, edge and
  ///   reverse arc then has reduced cost ≥ 0 and only the drains of openings
  ///   with slots left are violated, so the refine is a search for augmenting
  ///   paths from those. Measured: tier N pushes 1.51M → 0.57M, relabels
  ///   176k → 22k at 100k. Zero prices saturated every free feed instead.
  /// - S: openings at −C (C the largest scaled cost), seekers, households
  ///   and root at zero: every edge has reduced cost ≥ 0 and every assigned
  ///   edge's reverse a negative one, so the first refine lets the seekers
  ///   bid for openings from an empty assignment, as an auction would. Zero
  ///   prices saturated all of the 1.1M edges at 20k (5.8M at 100k) and
  ///   pushed them back one by one: the first refine fell from 0.40 s to
  ///   0.16 s at 20k; with the first refine at C / 64 the whole bench's
  ///   instructions fell from 3.63 G to 2.87 G (callgrind, 20k, the same
  ///   ≈ 0.6 G of instance generation in both).
  private func startPrices(tier: Int, scale: Int64, maxCost: Int64) {
    for v in 0..<nodeCount { price[v] = 0 }
    switch tier {
    case 2:
      for v in net.seekerNode(0)..<nodeCount { price[v] = -scale }
    case 3:
      for o in 0..<problem.openingCount { price[net.openingNode(o)] = -maxCost }
    default:
      break
    }
  }

  @inline(__always) private func enqueue(_ v: Int32) {
    var at = st.pointee.queueHead + st.pointee.queueCount
    if at >= nodeCount { at -= nodeCount }
    queue[at] = v
    st.pointee.queueCount += 1
  }

  /// One ε phase: saturate every arc of negative reduced cost, then
  /// discharge active nodes in FIFO order, with global price updates.
  private func refine(_ eps: Int64, _ cost: UnsafePointer<Int64>) {
    for u in 0..<nodeCount {
      let pu = price[u]
      var a = Int(first[u])
      let end = Int(activeEnd[u])
      while a < end {
        let r = rescap[a]
        if r > 0 {
          let v = Int(head[a])
          if cost[Int(tag[a])] + pu - price[v] < 0 {
            rescap[a] = 0
            rescap[Int(sister[a])] += r
            excess[u] -= r
            excess[v] += r
          }
        }
        a += 1
      }
    }
    st.pointee.queueHead = 0
    st.pointee.queueCount = 0
    for v in 0..<nodeCount {
      current[v] = first[v]
      if excess[v] > 0 { enqueue(Int32(v)) }
    }
    if st.pointee.queueCount == 0 { return }
    globalUpdate(eps, cost)
    var sinceUpdate = 0
    let updateEvery = nodeCount  // relabels between updates; 4× as many was slower
    while st.pointee.queueCount > 0 {
      let v = Int(queue[st.pointee.queueHead])
      st.pointee.queueHead += 1
      if st.pointee.queueHead == nodeCount { st.pointee.queueHead = 0 }
      st.pointee.queueCount -= 1
      sinceUpdate += discharge(v, eps, cost)
      if sinceUpdate > updateEvery {
        globalUpdate(eps, cost)
        sinceUpdate = 0
      }
    }
  }

  /// Pushes `v`'s excess along admissible arcs, relabelling when none is
  /// left; returns the number of relabels.
  @inline(__always) private func discharge(_ v: Int, _ eps: Int64, _ cost: UnsafePointer<Int64>) -> Int {
    var relabelled = 0
    var ex = excess[v]
    var pv = price[v]
    let start = Int(first[v]), end = Int(activeEnd[v])
    var a = Int(current[v])
    while true {
      while a < end {
        let r = rescap[a]
        if r > 0 {
          let w = Int(head[a])
          if cost[Int(tag[a])] + pv - price[w] < 0 {
            let delta = min(ex, r)
            rescap[a] = r - delta
            rescap[Int(sister[a])] += delta
            ex -= delta
            let before = excess[w]
            excess[w] = before + delta
            if before <= 0 && before + delta > 0 { enqueue(Int32(w)) }
            st.pointee.pushes += 1
            if ex == 0 { break }
          }
        }
        a += 1
      }
      if ex == 0 { break }
      // Relabel: lower the price just enough that the cheapest residual arc
      // becomes admissible (reduced cost −ε).
      var best = Int64.max
      var bestArc = -1
      for b in start..<end where rescap[b] > 0 {
        let rc = cost[Int(tag[b])] + pv - price[Int(head[b])]
        if rc < best {
          best = rc
          bestArc = b
        }
      }
      precondition(bestArc >= 0, "active node without residual arcs")
      pv -= best + eps
      a = bestArc
      relabelled += 1
    }
    excess[v] = 0
    price[v] = pv
    current[v] = Int32(a)
    st.pointee.relabels += relabelled
    return relabelled
  }

  /// Lowers every price by ε times its distance (Dial's buckets, arc length
  /// ⌊reduced cost / ε⌋ + 1) to the nearest deficit, stopping once every
  /// active node is reached; keeps ε-optimality and makes pushes go the
  /// right way (Goldberg 1997 §4).
  private func globalUpdate(_ eps: Int64, _ cost: UnsafePointer<Int64>) {
    st.pointee.updates += 1
    var activeLeft = 0
    let inf = Int32.max
    for v in 0..<nodeCount {
      rank[v] = inf
      if excess[v] > 0 { activeLeft += 1 }
    }
    @inline(__always) func insert(_ v: Int, _ k: Int) {
      let f = bucketFirst[k]
      bucketNext[v] = f
      bucketPrev[v] = -1
      if f >= 0 { bucketPrev[Int(f)] = Int32(v) }
      bucketFirst[k] = Int32(v)
    }
    @inline(__always) func remove(_ v: Int, _ k: Int) {
      let nx = bucketNext[v], pr = bucketPrev[v]
      if pr >= 0 { bucketNext[Int(pr)] = nx } else { bucketFirst[k] = nx }
      if nx >= 0 { bucketPrev[Int(nx)] = pr }
    }
    var maxBucket = 0
    for v in 0..<nodeCount where excess[v] < 0 {
      rank[v] = 0
      insert(v, 0)
    }
    // Scanned nodes get rank -1 - finalRank... keep a separate marker: we
    // store the final rank and mark scanned by bucketPrev = -2.
    var k = 0
    var stopAt = -1
    outer: while k <= maxBucket {
      while bucketFirst[k] >= 0 {
        let v = Int(bucketFirst[k])
        remove(v, k)
        bucketPrev[v] = -2  // scanned
        if excess[v] > 0 {
          activeLeft -= 1
          if activeLeft == 0 {
            stopAt = k
            break outer
          }
        }
        let pv = price[v]
        for a in Int(first[v])..<Int(activeEnd[v]) {
          // Is head → v residual? Edge arcs have capacity 1, so the sister's
          // residual capacity is 1 − ours: no random access to the sister.
          let g = tag[a]
          let reverseResidual = (g >= -1001 && g <= 1000) ? 1 - rescap[a] : rescap[Int(sister[a])]
          if reverseResidual <= 0 { continue }
          let w = Int(head[a])
          let rw = rank[w]
          if rw <= Int32(k) { continue }
          let rc = price[w] - cost[Int(g)] - pv
          let nr: Int64
          if rc < 0 {
            nr = Int64(k)
          } else {
            if rw <= Int32(k) + 1 { continue }
            nr = Int64(k) + rc / eps + 1
          }
          if nr < Int64(rw) && nr <= Int64(bucketLimit) {
            if rw != inf { remove(w, Int(rw)) }
            rank[w] = Int32(nr)
            insert(w, Int(nr))
            if Int(nr) > maxBucket { maxBucket = Int(nr) }
          }
        }
      }
      k += 1
    }
    if stopAt < 0 { stopAt = min(k, bucketLimit) }
    // Empty the buckets that still hold nodes.
    for b in 0...min(maxBucket, bucketLimit) { bucketFirst[b] = -1 }
    let d = Int64(stopAt)
    for v in 0..<nodeCount {
      let r = (bucketPrev[v] == -2 && rank[v] != inf) ? min(Int64(rank[v]), d) : d
      price[v] -= eps * r
      bucketPrev[v] = -1
    }
  }

  /// Integer prices for `tier` in unscaled costs: round the scaled prices
  /// to the nearest multiple of `scale`, then raise tails until every
  /// residual arc has reduced cost ≥ 0 (a label-correcting pass; it ends
  /// because the flow is optimal, so the residual graph has no negative
  /// cycle, and the rounding leaves at most −1 on an arc).
  ///
  /// Nearest, not down: a global update leaves prices at a multiple of
  /// `scale` minus a few ε-steps (hops at ε = 1), and flooring turned those
  /// into a whole unit on one side of many zero-cost arcs; the correction
  /// then rippled through the graph (0.44 s of 0.68 s for tier H at 100k,
  /// 0.005 s now at 20k against 0.06 s).
  private func integerDuals(tier: Int, scale: Int64) -> [Int64] {
    var pi = [Int64](repeating: 0, count: nodeCount)
    let half = scale / 2
    for v in 0..<nodeCount {
      let p = price[v] + half
      pi[v] = p >= 0 ? p / scale : -((-p + scale - 1) / scale)
    }
    let table = ArcTag.table(tier: tier, scale: 1)
    let inQueue = UnsafeMutablePointer<Bool>.allocate(capacity: nodeCount)
    defer { inQueue.deallocate() }
    inQueue.initialize(repeating: false, count: nodeCount)
    var work: [Int32] = []
    table.withUnsafeBufferPointer { ct in
      let cost = ct.baseAddress! + ArcTag.offset
      pi.withUnsafeMutableBufferPointer { pi in
        for u in 0..<nodeCount {
          for a in Int(first[u])..<Int(activeEnd[u]) where rescap[a] > 0 {
            let need = pi[Int(head[a])] - cost[Int(tag[a])]
            if pi[u] < need {
              pi[u] = need
              if !inQueue[u] {
                inQueue[u] = true
                work.append(Int32(u))
              }
            }
          }
        }
        while let u32 = work.popLast() {
          let u = Int(u32)
          inQueue[u] = false
          let pu = pi[u]
          // Raising π(u) can break arcs w → u.
          for a in Int(first[u])..<Int(activeEnd[u]) {
            let b = Int(sister[a])
            if rescap[b] <= 0 { continue }
            let w = Int(head[a])
            let need = pu - cost[Int(tag[b])]
            if pi[w] < need {
              pi[w] = need
              if !inQueue[w] {
                inQueue[w] = true
                work.append(Int32(w))
              }
            }
          }
        }
      }
    }
    return pi
  }

  /// Moves every free slot whose reduced cost under `duals` is not zero
  /// behind its node's `activeEnd`: complementary slackness pins those arcs
  /// for every later tier.
  private func fixArcs(_ duals: [Int64], tier: Int) {
    let table = ArcTag.table(tier: tier, scale: 1)
    table.withUnsafeBufferPointer { ct in
      let cost = ct.baseAddress! + ArcTag.offset
      duals.withUnsafeBufferPointer { pi in
        for u in 0..<nodeCount {
          var i = Int(first[u])
          var j = Int(activeEnd[u]) - 1
          let pu = pi[u]
          @inline(__always) func keep(_ a: Int) -> Bool {
            cost[Int(tag[a])] + pu - pi[Int(head[a])] == 0
          }
          while true {
            while i <= j && keep(i) { i += 1 }
            while i <= j && !keep(j) { j -= 1 }
            if i >= j { break }
            swapSlots(i, j)
            i += 1
            j -= 1
          }
          activeEnd[u] = Int32(i)
        }
      }
    }
  }

  @inline(__always) private func swapSlots(_ i: Int, _ j: Int) {
    let hi = head[i], si = sister[i], ri = rescap[i], ti = tag[i]
    head[i] = head[j]; sister[i] = sister[j]; rescap[i] = rescap[j]; tag[i] = tag[j]
    head[j] = hi; sister[j] = si; rescap[j] = ri; tag[j] = ti
    sister[Int(sister[i])] = Int32(i)
    sister[Int(sister[j])] = Int32(j)
  }
}
