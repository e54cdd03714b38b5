// Domain — the pure vocabulary of jobmatch.
//
// What it owns: identities (resident ID per GB 11643, 残疾人证号, unified social
// credit code per GB 32100), calendar dates without time zones, money as integer
// fen, exact rationals for counts and ratios, the enumerations of CONTRACT.md §2
// with their English codes and Chinese labels, the validated records that intake
// produces and the store, matching and quota modules consume, masking of
// personal identifiers (CONTRACT.md §5), and the policy book (dated parameters).
//
// What is authoritative: CONTRACT.md for formats and codes, POLICY.md for rules.
// Nothing here performs I/O, reads a clock or the environment, or logs.
