import Domain
import Postgres

/// The match request queue (DESIGN.md step 1). Inserting a row wakes every
/// daemon through the NOTIFY trigger; one of them claims it.
public enum RequestQueue {
    /// Queues a run of `region` (on `runDate`, or the day it runs) and returns the request's id.
    public static func enqueue(_ c: Connection, region: String, runDate: CivilDate?, requestedBy: String, priority: Int = 0) throws -> Int64 {
        guard try c.query("SELECT 1 FROM region WHERE code = \(region)").count == 1 else { throw StoreError.notFound("region \(region)") }
        return try c.query("""
            INSERT INTO match_request (region_code, run_date, requested_by, priority)
            VALUES (\(region), \(runDate?.description)::date, \(requestedBy), \(priority))
            RETURNING request_id
            """)[0].int64("request_id")
    }
}
