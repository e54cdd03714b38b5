import Postgres

/// Retention (issue 7; PIPL Art. 19: kept no longer than needed; Art. 55 and
/// CONTRACT.md §5: the audit trail kept at least 6 months).
///
/// `prune` deletes old operational data: match runs that a later run of their
/// region superseded (with their proposals, candidates and unmatched rows),
/// unless a proposal of the run was confirmed; and finished requests. It never
/// touches seekers, placements, reviews or the policy book. Audit records go
/// only when asked for, and never younger than `auditMinimumDays` — the
/// database refuses that too (`prune_audit_log`, the 0004 trigger).
public enum Retention {
    /// The audit trail is kept at least this long: 6 months, rounded up (183 days).
    public static let auditMinimumDays = 183

    /// Refusals, in words an operator acts on.
    public enum RefusedError: Error, CustomStringConvertible, Sendable, Equatable {
        case auditTooYoung(days: Int)
        case negativeAge(days: Int)

        public var description: String {
            switch self {
            case .auditTooYoung(let d):
                "audit records are kept at least \(Retention.auditMinimumDays) days (6 months); \(d) is too few"
            case .negativeAge(let d): "--older-than \(d): expected a number of days ≥ 0"
            }
        }
    }

    /// What a prune removed.
    public struct Outcome: Sendable, Equatable {
        public var runs = 0
        public var proposals = 0
        public var candidates = 0
        public var unmatched = 0
        public var requests = 0
        public var auditRecords = 0
    }

    /// Prunes operational data older than `days` days, and audit records older than
    /// `auditDays` when given (≥ `auditMinimumDays`), in one transaction with its own
    /// audit record. `now` is the database's unless given (tests).
    public static func prune(_ connection: Connection, olderThanDays days: Int, auditOlderThanDays auditDays: Int? = nil,
                             actor: String) throws -> Outcome {
        guard days >= 0 else { throw RefusedError.negativeAge(days: days) }
        if let auditDays, auditDays < auditMinimumDays { throw RefusedError.auditTooYoung(days: auditDays) }
        do {
            return try connection.transaction { tx in
                var out = Outcome()
                try tx.query("""
                    CREATE TEMP TABLE prune_run ON COMMIT DROP AS
                    SELECT r.run_id FROM match_run r
                    WHERE r.finished_at < now() - make_interval(days => \(days))
                      AND EXISTS (SELECT 1 FROM match_run later WHERE later.region_code = r.region_code AND later.run_id > r.run_id)
                      AND NOT EXISTS (SELECT 1 FROM proposal p WHERE p.run_id = r.run_id
                                      AND (p.confirmed_at IS NOT NULL
                                           OR EXISTS (SELECT 1 FROM placement pl WHERE pl.proposal_id = p.proposal_id)))
                    """)
                func count(_ table: String) throws -> Int {
                    try tx.query(Query(unsafeSQL: "SELECT count(*) AS n FROM \(table) WHERE run_id IN (SELECT run_id FROM prune_run)"))[0].int("n")
                }
                out.proposals = try count("proposal")
                out.candidates = try count("candidate")
                out.unmatched = try count("unmatched")
                try tx.execute(unsafeSQL: "UPDATE match_request SET run_id = NULL WHERE run_id IN (SELECT run_id FROM prune_run)")
                out.runs = try tx.query("DELETE FROM match_run WHERE run_id IN (SELECT run_id FROM prune_run)").affectedRows
                out.requests = try tx.query("""
                    DELETE FROM match_request q
                    WHERE q.state IN ('done', 'failed') AND q.finished_at < now() - make_interval(days => \(days))
                      AND NOT EXISTS (SELECT 1 FROM match_run r WHERE r.request_id = q.request_id)
                    """).affectedRows
                if let auditDays {
                    out.auditRecords = try tx.query("SELECT prune_audit_log(\(auditDays)::integer) AS n")[0].int("n")
                }
                var detail = [
                    "older_than_days": String(days), "runs": String(out.runs), "proposals": String(out.proposals),
                    "candidates": String(out.candidates), "unmatched": String(out.unmatched), "requests": String(out.requests),
                ]
                if let auditDays {
                    detail["audit_older_than_days"] = String(auditDays)
                    detail["audit_records"] = String(out.auditRecords)
                }
                try Audit.record(tx, actor: actor, action: "prune", subject: "retention", detail: detail)
                return out
            }
        } catch {
            // `transaction` throws TransactionError; surface a refusal itself.
            if let refused = error.body as? RefusedError { throw refused }
            throw error
        }
    }
}
