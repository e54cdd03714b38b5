// Quota — the annual quota review (按比例就业年审), the levy (残疾人就业保障金),
// the 超比例 reward and the subsidies, computed from the policy book.
//
// What it owns
//   • PolicyPacks   — parses the CSV packs in `policy/` (henan, japan, germany)
//                     into PolicyParameter rows; the store seeds its table from them.
//   • QuotaReview   — POLICY.md §2–3 for every employer of a year: each roster row
//                     qualified or not with all its reason codes (claimed_twice across
//                     employers), w and f, N, R, D, S, E, ρ, W, the levy tiers and the
//                     small-enterprise exemption by levy year, the reward (three kinds).
//                     ReviewJSONText writes CONTRACT.md §5 JSON; Render's QuotaWorksheet
//                     renders it for people in Chinese, with ⚠占位 on placeholder figures.
//   • SubsidyCalculator, RetirementRule — POLICY.md §4 and the 2025 retirement reform.
//
// What is authoritative: POLICY.md for rules and worked examples (each is a test in
// QuotaTests), CONTRACT.md §5 for output shape, the policy book for every number.
// Nothing here does I/O, reads a clock or logs; the same inputs give the same output,
// whatever their order.
//
// Arithmetic: counts, ratios and products are exact `Rational`s; money is rounded
// once, half up, to the fen (`Fen(roundingYuan:)`) — per employer for levy and
// reward, per placement-programme-month for subsidies. Totals are sums of those.
//
// Dates of parameters (POLICY.md §3): employment-year parameters as in force on
// 31 December of Y (minimum wage: the lowest in force during Y); levy parameters
// and the reward rule on 31 December of Y + 1. A rule whose rows are absent on that
// date lapses: no reduction tiers → full levy; no exemption rows → no exemption;
// no reward.kind → no reward. Any other missing or malformed row throws PolicyError.
//
// Keys read (jurisdiction lineage applies; town = district + "-" + town code):
//   quota.ratio · working_age.min · working_age.max.male/.female · count.min_contract_days
//   count.mode (month_prorated | whole_person) · minimum_wage.tier (per district/town)
//   minimum_wage.monthly.tier<n> · social_average_wage (one row per year: valid_from
//   YYYY-01-01, valid_to YYYY-12-31) · levy.wage_cap_multiple · levy.reduction.lower_ratio
//   levy.reduction.factor.reduced/.low · levy.exempt.max_employees · levy.exempt_types
//   levy.exempt_types.extra (types whose exemption is a placeholder) · reward.kind
//   reward.whole_persons · reward.months · reward.fixed_amount
//   reward.per_new_placement.amounts (`category:grade=amount;…`, `*` wildcards) / .cap
//   subsidy.programmes · subsidy.<programme>.* (see SubsidyCalculator)
//   retirement.reform.first_month · retirement.reform.schedule · retirement.original_age.<sex>
// Read by other modules, kept here as data: demand.<demand> (`category:lo-hi;…`, the
// grades for which a demand fails, CONTRACT.md §3 E4).
//
// Japan and Germany: their packs load and `policy show` can list them, but their
// formulas (monthly floor of the required count, per-person-month levies, German
// quota bands) are not the Chinese formula: QuotaReview refuses a JP or DE book with
// PolicyError.missing rather than compute a wrong figure (PolicyPackTests).
//
// Review flow for one employer:
//
//   roster rows ──judge──▶ RowVerdict (reasons, w, f) ──Σ w×f──▶ D
//   employer-year ──▶ N ──× r──▶ R ──▶ S, E, ρ
//   S × W ──exempt?──tier factor──round once──▶ levy      E ──rule──round once──▶ reward
