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
// Tier S scales ε down by 8 per refine, from C / 64 (C the largest scaled
// cost). Each tier starts from prices that make the flow the earlier tiers
// left cheap to repair (`startPrices`): tier N from the duals of "everyone
// is placed", so its refine only searches augmenting paths from openings
// with slots left; tier S with every opening at −C, so the seekers bid for
// openings from an empty assignment as in an auction, instead of saturating
// every edge and pushing it back. Integer prices come from rounding the
// scaled prices to the nearest unit and a label-correcting pass that removes
// the at most −1 of rounding (flooring turned the few ε-steps a global
// update leaves into whole units and made that pass ripple through the
// graph: 1.3 s of tiers H/P/N at 100k). Arcs live in one CSR slot array
// (head, sister, residual capacity as Int32, a 2-byte tag giving every
// tier's cost): 14 bytes a slot, two slots an arc; fixed arcs are swapped
// behind a per-node `activeEnd`, so later tiers never scan them. The
// reference solver (ReferenceSolver.swift: Bellman–Ford cycle cancelling,
// same tiers) is kept for the tests.
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
// on this 2-core machine shared with other builds, load average 1–5; CPU
// time is the process's own, wall ≈ CPU at this load; run to run the CPU
// time still varies by ±15 %)
//
//   seekers×openings  edges   solve wall / CPU   end-to-end CPU   peak RSS   verify   CPU / OR-Tools
//   20k × 5k          1.10M     1.01 s / 1.01 s      1.09 s         56 MiB   0.02 s    0.39
//   100k × 25k        5.50M     7.72 s / 7.72 s      8.21 s        212 MiB   0.15 s    0.39
//   300k × 75k       16.50M    33.09 s / 33.06 s    34.82 s        601 MiB   0.40 s    0.35
//
// OR-Tools 9.15 anchors (solve only, same tiers in phases): 2.6 s, 19.6 s,
// 93.7 s, 2.2 GiB at 300k: the goal of at most half its time and under
// 1 GiB is met at every size. Before the start prices and the rounding fix
// the same sizes took 1.7–1.9 s, 15.5–16.9 s and (under heavier load)
// 69 s. Tier S is still most of the time; in a 20k callgrind profile of
// the bench (2.90 G instructions, ≈ 0.7 G of them generating the instance
// and building the EdgeList) the refines' pushes and relabels take 1.04 G
// and the global updates 0.78 G.
//
// Tried and dropped (measured at 20k): prices from a greedy assignment by
// score as tier S's start (the refine after the first got dearer; no net
// gain); tier S on a core of each seeker's 10 best edges (and each
// opening's 20 best), readmitting excluded edges whose reduced cost the
// core's integer duals make negative (exact, but each readmission round
// re-runs scaling: 4,300 edges after the first round at 20k, five rounds,
// slower overall; readmitting between refines made later refines 5–50×
// dearer, since a readmitted arc violates by far more than ε); discharging
// an opening right after the seeker push that activated it (no gain); more
// or fewer global updates (both slower), and none at the start of a refine
// (fewer instructions at 20k, slower at 100k); each opening's slots with
// residual capacity (≤ slots + 1) kept in front of its empty ones by
// swapping slots as pushes fill and empty them (district of 10k seekers,
// 403k pairs, callgrind of the solve: 1.86 G instructions against 1.82 G —
// refine 1 % fewer, global updates 7 % more); on that instance α = 4, 16
// and tier S's first refine at C / 32 or C / 512 (1.88 G, 2.23 G, 1.97 G
// with α = 16, 2.50 G) against 1.82 G now, and global updates every ½ or 2
// node counts of relabels (2.12 G, 1.85 G) — tier S is 85 % of it (tiers H,
// P, N: 0.08, 0.11, 0.07 G). Next candidate: a CSA-style seeker relabel
// that keeps the second-best arc.
