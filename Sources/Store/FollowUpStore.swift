import Domain
import Foundation
import Postgres
import Quota

/// The SQL of following up placed people (跟踪回访, issue 16; the use case is
/// App's `FollowUp`): the placements as the schedule sees them, the follow-ups
/// recorded, and a new record.
public enum FollowUpStore {
    /// A placement as the schedule sees it.
    public struct Placed: Sendable {
        public var id: Int64, cert: String, town: String, opening: String, kind: String, start: CivilDate, end: CivilDate?
    }

    /// Every placement (or the one of `id`), by town then id.
    public static func placements(_ c: Connection, id: Int64? = nil) throws -> [Placed] {
        try c.query("""
            SELECT p.placement_id, p.certificate_no, s.town_code, p.opening_id, o.kind,
                   p.start_date::text AS start_date, p.end_date::text AS end_date
            FROM placement p JOIN seeker s ON s.certificate_no = p.certificate_no JOIN opening o ON o.opening_id = p.opening_id
            WHERE \(id)::bigint IS NULL OR p.placement_id = \(id)
            ORDER BY s.town_code, p.placement_id
            """).map { row in
            Placed(id: try row.int64("placement_id"), cert: try row.string("certificate_no"), town: try row.string("town_code"),
                   opening: try row.string("opening_id"), kind: try row.string("kind"),
                   start: CivilDate(iso: try row.string("start_date"))!,
                   end: try row.optionalString("end_date").flatMap { CivilDate(iso: $0) })
        }
    }

    /// The (placement, offset) pairs already recorded.
    public static func recordedOffsets(_ c: Connection) throws -> Set<[Int64]> {
        Set(try c.query("SELECT placement_id, offset_months FROM followup WHERE offset_months IS NOT NULL").map {
            [try $0.int64("placement_id"), Int64(try $0.int("offset_months"))]
        })
    }

    /// Locks the placement's row for a new record.
    public static func lockPlacement(_ tx: Connection, id: Int64) throws {
        _ = try tx.query("SELECT 1 FROM placement WHERE placement_id = \(id) FOR UPDATE")
    }

    /// The offsets already recorded for one placement.
    public static func recordedOffsets(_ c: Connection, placementID: Int64) throws -> Set<Int> {
        Set(try c.query("""
            SELECT offset_months FROM followup WHERE placement_id = \(placementID) AND offset_months IS NOT NULL
            """).map { try $0.int("offset_months") })
    }

    /// The offsets of the records of one placement made on `date` with `outcome` (nil for a
    /// visit outside the schedule); nil when there is none. The same visit recorded again
    /// (a retry through a failover, issue 18) finds them.
    public static func recordedOn(_ c: Connection, placementID: Int64, date: CivilDate, outcome: FollowUpOutcome) throws -> [Int?]? {
        let rows = try c.query("""
            SELECT offset_months FROM followup
            WHERE placement_id = \(placementID) AND done_on = \(date.description)::date AND outcome = \(outcome.rawValue)
            ORDER BY offset_months
            """)
        return rows.count == 0 ? nil : try rows.map { try $0.optionalInt("offset_months") }
    }

    /// One follow-up record (`offset` and `dueOn` nil: a visit outside the schedule).
    public static func insert(_ tx: Connection, placementID: Int64, offset: Int?, dueOn: CivilDate?, doneOn date: CivilDate,
                              outcome: FollowUpOutcome, reason: String?, note: String?, actor: String) throws {
        try tx.query("""
            INSERT INTO followup (placement_id, offset_months, due_on, done_on, outcome, reason, note, recorded_by)
            VALUES (\(placementID), \(offset), \(dueOn?.description)::date, \(date.description)::date, \(outcome.rawValue),
                    \(reason), \(note), \(actor))
            """)
    }
}
