// # The assignment solver
//
// Owns one thing: given the eligible pairs of a run (built elsewhere in
// Matching from CONTRACT §3) it returns the assignment that CONTRACT §4 asks
// for — maximise H, then P, then N, then S — exactly, with integer dual
// prices that prove it (`AssignmentSolver.verify`). Authoritative: the
// objective definition in `Objective(of:in:)` and the network below; both
// solvers and `verify` read the network from `SolverNetwork` / `ArcTag`.
//
// ## The network
//
//                 bonus (cap 1, H: −1)
//            ┌──────────────────────────┐
//            │  rest (cap members − 1)  ▼
//          root ───────────────────▶ household ──feed──▶ seeker ──edge──▶ opening
//            │  ▲                       (cap 1, P: −1 if priority, N: −1)  (cap 1,  │
//            │  │                                                          S: −score)│
//            │  └──────────────── drain (cap slots) ◀─────────────────────────────────┘
//            └──feed──▶ seeker (not in a zero-employment household) ──edge──▶ …
//
// Source and sink are one node, the root: a min-cost *circulation*. The
// issue's source→sink bypass is then the root itself (flow that does not go
// round simply stays), so no seeker has a bypass of its own — a household
// can only earn its bonus through a member who really is assigned. A flow
// on this network is an assignment and back: each seeker gets ≤ 1 unit
// (its feed has capacity 1), each opening passes ≤ its slots. The bonus arc
// has capacity 1, so a household of three placed members counts once.
//
// ## Why tiers are solved in phases
//
// One weighted cost needs W_N > max S (1000·n), W_P > n·W_N, W_H > n·W_P:
// about 1000·n³ ≈ 2.7·10¹⁹ at n = 300k, past Int64 before cost scaling
// multiplies it by the node count again (OR-Tools stops with BAD_COST_RANGE
// there). Int128 would fit but scaling then needs ~log(n⁴·1000) ε phases
// instead of a few, and 16-byte prices. Phases keep every cost within
// ±1000·(node count + 1) in Int32 tags and Int64 prices:
//
//   for tier t in H, P, N, S:
//     minimise tier t's cost on the free arcs, starting from the current flow
//     compute integer prices π_t with c_t + π_t(u) − π_t(v) ≥ 0 on residual arcs
//     fix every free arc whose reduced cost is ≠ 0 (at 0 if > 0, full if < 0)
//
// The flows optimal for tiers ≤ t are exactly the flows agreeing with the
// fixed arcs (complementary slackness holds with *every* optimal primal), so
// tier t + 1 optimises among them. The four price vectors are the
// certificate; `verify` replays the fixing arc by arc in one pass.
//
// ## The fast solver (CostScaling.swift)
//
// Goldberg's cost-scaling push-relabel (FIFO, current arcs, global price
// updates by Dial's buckets stopping once every active node is reached),
// costs multiplied by (node count + 1) so that ε = 1 means optimal. Tiers
// H, P, N have unit costs and run one refine at ε = 1: the global updates
// act as shortest-path searches, and this beat scaling 20-fold on tier H.
// Tier S scales ε down by 8 per refine. Integer prices come from flooring
// the scaled prices and a label-correcting pass that removes the at most −1
// of rounding. Arcs live in one CSR slot array (head, sister, residual
// capacity as Int32, a 2-byte tag giving every tier's cost): 14 bytes a
// slot, two slots an arc; fixed arcs are swapped behind a per-node
// `activeEnd`, so later tiers never scan them. The reference solver
// (ReferenceSolver.swift: Bellman–Ford cycle cancelling, same tiers) is kept
// for the tests.
//
// ## Determinism
//
// Both solvers are deterministic functions of the problem: every loop runs
// in node / slot order, slots are laid out in seeker, then opening order,
// and no hashing or threads are involved. Callers sort seekers and openings
// by their keys before building the problem, so the proposals do not depend
// on the order of the input rows (tested: permuted seekers give the same
// objective; re-solving gives the identical solution).
//
// ## Measured (MatchBench --sizes 20k,100k,300k --verify, release, seed 1,
// on this 2-core machine while other builds and benches ran: load average
// 8–13, so wall time is 2.5–3× the CPU time; CPU time is the solver's own)
//
//   seekers×openings  edges   solve wall / CPU   end-to-end CPU   peak RSS   verify
//   20k × 5k          1.10M     6.3 s / 2.2 s        2.3 s          55 MiB   0.08 s
//   100k × 25k        5.50M    50.9 s / 17.7 s      18.3 s         212 MiB   0.75 s
//   300k × 75k       16.50M   203.1 s / 69.1 s      72.0 s         600 MiB   4.3 s
//
// OR-Tools 9.15 anchors (solve only, same tiers in phases): 2.6 s, 19.6 s,
// 93.7 s, 2.2 GiB at 300k. So: below OR-Tools at every size in CPU time and
// at a quarter of its memory, but not yet the goal of half its time. Most of
// the time is tier S (≈ 75 %); its pushes and relabels pay a cache miss on
// the sister slot and on the head's price. Next steps, in expected order of
// gain: price refinement and arc fixing by reduced-cost bound in tier S
// (Goldberg 1997 §5), a score-aware warm start for tier S, and a
// seeker-side double push (Goldberg–Kennedy CSA) that avoids opening-side
// relabels.
