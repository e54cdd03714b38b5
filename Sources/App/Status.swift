import Postgres
import Store

/// `jobmatch status`: what the database holds and the latest runs.
public enum Status {
    /// The counts of each table and the latest `limit` runs.
    public static func report(_ c: Connection, limit: Int = 20, before: Int64? = nil) throws -> StatusReport {
        try StatusReport.load(c, limit: limit, before: before)
    }
}
