import Domain
import Postgres

/// Reference data staff keep without SQL (issue 12): job categories, ended
/// placements, decisions on possible duplicates. Every change is audited in the
/// same transaction; an identifier that does not exist is `StoreError.notFound`,
/// a clash with an existing row `StoreError.conflict`.
public enum ReferenceStore {
    // MARK: job categories

    /// Adds a job category (CONTRACT.md §2.1: the list is data; a center may add codes).
    public static func addCategory(_ c: Connection, code: String, name: String, demands: [Demand], kindDefault: OpeningKind?,
                                   actor: String) throws {
        try c.transaction { tx in
            let clash = try tx.query("SELECT code, name FROM job_category WHERE code = \(code) OR name = \(name)")
            if let row = clash.first {
                throw StoreError.conflict(try row.string("code") == code ? "job category \(code) exists" : "job category name \(name) exists")
            }
            try tx.query("""
                INSERT INTO job_category (code, name, default_demands, default_kind)
                VALUES (\(code), \(name), \(demands.map(\.code)), \(kindDefault?.code))
                """)
            try Audit.record(tx, actor: actor, action: "category_add", subject: code,
                             detail: ["name": name, "demands": demands.map(\.code).joined(separator: ";"), "kind_default": kindDefault?.code ?? ""])
        }
    }

    // MARK: placements

    /// Why a placement ended (`placement end --reason`).
    public typealias EndReason = PlacementEndReason

    /// What `endPlacement` did.
    public struct Ended: Sendable, Equatable {
        public let startDate: CivilDate
        /// The seeker's status before and after.
        public let statusBefore: String, statusAfter: String
        /// The seeker's household, and whether it is now without anyone in work.
        public let household: String?
        public let householdZeroEmployment: Bool
    }

    /// Ends the placement of `certificateKey` in `opening` that is active on `date`:
    /// kept, with its end date and reason. The seeker's status follows: `employed`
    /// becomes `seeking` (or `inactive` after retirement or death) unless another
    /// placement stays active after `date`. Subsidies stop with the end month
    /// (they count the months a placement is active).
    public static func endPlacement(_ c: Connection, certificateKey: String, opening: String, date: CivilDate, reason: EndReason,
                                    actor: String) throws -> Ended {
        try c.transaction { tx in
            try endPlacement(inTransaction: tx, certificateKey: certificateKey, opening: opening, date: date, reason: reason, actor: actor)
        }
    }

    /// `endPlacement` inside the caller's transaction (a follow-up that finds
    /// the person gone records it and ends the placement in one transaction).
    public static func endPlacement(inTransaction tx: Connection, certificateKey: String, opening: String, date: CivilDate,
                                    reason: EndReason, actor: String) throws -> Ended {
        do {
            let masked = Masking.identifier(certificateKey)
            guard try tx.query("SELECT 1 FROM seeker WHERE certificate_no = \(certificateKey)").count == 1 else {
                throw StoreError.notFound(.seeker(masked))
            }
            guard try tx.query("SELECT 1 FROM opening WHERE opening_id = \(opening)").count == 1 else {
                throw StoreError.notFound(.opening(opening))
            }
            let day = date.description
            let active = try tx.query("""
                SELECT start_date::text AS start_date FROM placement
                WHERE certificate_no = \(certificateKey) AND opening_id = \(opening)
                  AND start_date <= \(day)::date AND (end_date IS NULL OR end_date >= \(day)::date)
                ORDER BY start_date DESC LIMIT 1 FOR UPDATE
                """)
            guard let start = try active.first.flatMap({ CivilDate(iso: try $0.string("start_date")) }) else {
                throw StoreError.notFound(.activePlacement(seeker: masked, opening: opening, on: date))
            }
            // A fixed-term contract keeps its length: the planned end becomes contract_months
            // before the end date says when work stopped.
            try tx.query("""
                UPDATE placement SET contract_months = COALESCE(contract_months, CASE WHEN end_date IS NOT NULL THEN
                           (extract(year FROM age(end_date + 1, start_date)) * 12 + extract(month FROM age(end_date + 1, start_date)))::integer END),
                       end_date = \(day)::date, end_reason = \(reason.rawValue), updated_at = now()
                WHERE certificate_no = \(certificateKey) AND opening_id = \(opening) AND start_date = \(start.description)::date
                """)
            let seeker = try tx.query("SELECT status, household_id FROM seeker WHERE certificate_no = \(certificateKey) FOR UPDATE")[0]
            let before = try seeker.string("status"), household = try seeker.optionalString("household_id")
            let stillPlaced = try tx.query("""
                SELECT 1 FROM placement WHERE certificate_no = \(certificateKey) AND (end_date IS NULL OR end_date > \(day)::date)
                """).count > 0
            var after = before
            if reason == .died || reason == .retired {
                after = "inactive"
            } else if before == "employed" && !stillPlaced {
                after = "seeking"
            }
            if after != before {
                try tx.query("UPDATE seeker SET status = \(after), updated_at = now() WHERE certificate_no = \(certificateKey)")
            }
            var zero = false
            if let household {
                // CONTRACT.md §4: employed_members = 0 and nobody employed or placed the day after.
                zero = try tx.query("""
                    SELECT h.employed_members = 0
                       AND NOT EXISTS (SELECT 1 FROM seeker s WHERE s.household_id = h.household_id AND s.status = 'employed')
                       AND NOT EXISTS (SELECT 1 FROM seeker s JOIN placement p ON p.certificate_no = s.certificate_no
                                       WHERE s.household_id = h.household_id AND p.start_date <= \(day)::date + 1
                                         AND (p.end_date IS NULL OR p.end_date > \(day)::date)) AS zero
                    FROM household h WHERE h.household_id = \(household)
                    """).first?.bool("zero") ?? false
            }
            try Audit.record(tx, actor: actor, action: "placement_end", subject: opening, detail: [
                "certificate_no": masked, "start_date": start.description, "end_date": day, "reason": reason.rawValue,
                "status_before": before, "status_after": after,
            ])
            return Ended(startDate: start, statusBefore: before, statusAfter: after, household: household, householdZeroEmployment: zero)
        }
    }

    // MARK: possible duplicates

    /// A pair of records that may be one person (same name and birth date).
    public struct DuplicatePair: Sendable, Equatable {
        public let a: String, b: String
        public let nameA: String, nameB: String
        public let reason: String
        public let decision: String?
        public let resolvedBy: String?
    }

    /// Pairs to look at (unresolved), or every pair with `all`.
    public static func duplicates(_ c: Connection, all: Bool) throws -> [DuplicatePair] {
        try c.query("""
            SELECT d.certificate_no_a AS a, d.certificate_no_b AS b, sa.name AS name_a, sb.name AS name_b, d.reason, d.decision, d.resolved_by
            FROM possible_duplicate d
            JOIN seeker sa ON sa.certificate_no = d.certificate_no_a
            JOIN seeker sb ON sb.certificate_no = d.certificate_no_b
            WHERE \(all) OR d.resolved_at IS NULL
            ORDER BY d.certificate_no_a, d.certificate_no_b
            """).map {
            DuplicatePair(a: try $0.string("a"), b: try $0.string("b"), nameA: try $0.string("name_a"), nameB: try $0.string("name_b"),
                          reason: try $0.string("reason"), decision: try $0.optionalString("decision"), resolvedBy: try $0.optionalString("resolved_by"))
        }
    }

    /// Records staff's decision on a pair: the same person, or two people.
    public static func resolveDuplicate(_ c: Connection, _ x: String, _ y: String, same: Bool, actor: String) throws {
        let (a, b) = x < y ? (x, y) : (y, x)
        try c.transaction { tx in
            let r = try tx.query("""
                UPDATE possible_duplicate SET decision = \(same ? "same" : "different"), resolved_at = now(), resolved_by = \(actor)
                WHERE certificate_no_a = \(a) AND certificate_no_b = \(b)
                """)
            guard r.affectedRows == 1 else {
                throw StoreError.notFound(.possibleDuplicate(Masking.identifier(a), Masking.identifier(b)))
            }
            try Audit.record(tx, actor: actor, action: "duplicate_resolve", subject: "possible_duplicate", detail: [
                "certificate_no_a": Masking.identifier(a), "certificate_no_b": Masking.identifier(b), "decision": same ? "same" : "different",
            ])
        }
    }
}
