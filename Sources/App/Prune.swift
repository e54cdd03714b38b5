import Postgres
import Store

/// `jobmatch prune`: deletes old runs, requests and (when asked) audit records
/// (the retention rules and their SQL are Store's `Retention`).
public enum Prune {
    /// Prunes what is older than `days` (audit records: older than `auditDays`, when given).
    public static func run(_ c: Connection, olderThanDays days: Int, auditOlderThanDays auditDays: Int?, actor: String) throws -> Retention.Outcome {
        try Retention.prune(c, olderThanDays: days, auditOlderThanDays: auditDays, actor: actor)
    }
}
