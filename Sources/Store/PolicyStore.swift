import Domain
import Postgres
import Quota

/// The policy book in PostgreSQL: seeded from the packs the binary carries
/// (policy/*.csv), extended by centers with new dated rows, never edited.
public enum PolicyStore {
    /// Inserts every pack row not yet present; returns how many were new.
    /// A row already present is left alone, even when the pack's text changed:
    /// history is never rewritten — a correction is a new dated row. A row
    /// staff added for the same key, jurisdiction and first day (`policy set`)
    /// counts as present: a later binary's pack never overrides staff's figure.
    static func seedPacks(_ connection: Connection) throws -> Int {
        var inserted = 0
        for pack in Embedded.policyPacks {
            let rows = try PolicyPacks.parse(csv: pack.csv)
            try connection.transaction { tx in
                for p in rows {
                    let r = try tx.query("""
                        INSERT INTO policy_parameter (key, jurisdiction, valid_from, valid_to, value, source, status)
                        SELECT \(p.key), \(p.jurisdiction), \(p.validFrom.description)::date, \(p.validTo?.description)::date,
                               \(p.value), \(p.source), \(p.status.code)
                        WHERE NOT EXISTS (SELECT 1 FROM policy_parameter
                                          WHERE key = \(p.key) AND jurisdiction = \(p.jurisdiction)
                                            AND valid_from = \(p.validFrom.description)::date)
                        """)
                    inserted += r.affectedRows
                }
            }
        }
        return inserted
    }

    /// Every parameter row, with its database id (reviews record which rows they used).
    public static func load(_ connection: Connection) throws -> (book: PolicyBook, ids: [ParameterKey: Int64]) {
        let rows = try connection.query("""
            SELECT parameter_id, key, jurisdiction, valid_from::text AS valid_from, valid_to::text AS valid_to,
                   value, source, status
            FROM policy_parameter ORDER BY key, jurisdiction, valid_from, parameter_id
            """)
        var params: [PolicyParameter] = []
        var ids: [ParameterKey: Int64] = [:]
        for row in rows {
            guard let from = CivilDate(iso: try row.string("valid_from")),
                  let status = ParameterStatus(rawValue: try row.string("status")) else {
                throw StoreError.conflict("policy_parameter \(try row.int64("parameter_id")) is malformed")
            }
            let p = PolicyParameter(
                key: try row.string("key"), jurisdiction: try row.string("jurisdiction"), validFrom: from,
                validTo: try row.optionalString("valid_to").flatMap { CivilDate(iso: $0) },
                value: try row.string("value"), source: try row.string("source"), status: status)
            params.append(p)
            ids[ParameterKey(p)] = try row.int64("parameter_id")
        }
        return (PolicyBook(params), ids)
    }

    /// One row of the book as stored: the parameter, its id and the row it replaced.
    public struct StoredRow: Sendable {
        public let id: Int64
        public let parameter: PolicyParameter
        public let replacesID: Int64?
        public let createdBy: String
    }

    /// Every row with its id, in the order the book reads them.
    public static func rows(_ connection: Connection) throws -> [StoredRow] {
        try connection.query("""
            SELECT parameter_id, key, jurisdiction, valid_from::text AS valid_from, valid_to::text AS valid_to,
                   value, source, status, replaces_id, created_by
            FROM policy_parameter ORDER BY key, jurisdiction, valid_from, parameter_id
            """).map { row in
            guard let from = CivilDate(iso: try row.string("valid_from")),
                  let status = ParameterStatus(rawValue: try row.string("status")) else {
                throw StoreError.conflict("policy_parameter \(try row.int64("parameter_id")) is malformed")
            }
            return StoredRow(
                id: try row.int64("parameter_id"),
                parameter: PolicyParameter(
                    key: try row.string("key"), jurisdiction: try row.string("jurisdiction"), validFrom: from,
                    validTo: try row.optionalString("valid_to").flatMap { CivilDate(iso: $0) },
                    value: try row.string("value"), source: try row.string("source"), status: status),
                replacesID: try row.optionalInt64("replaces_id"), createdBy: try row.string("created_by"))
        }
    }

    /// What `add` stored: the new row's id and the row it replaced, if any.
    public struct Added: Sendable, Equatable {
        public let id: Int64
        public let replacesID: Int64?
        /// The same row was already in force (a repeat, e.g. after a failover): nothing was added.
        public var alreadyThere = false
    }

    /// Adds dated rows (a policy change or a correction), never editing a row in
    /// place: a row for the same key, jurisdiction and period stays in the book,
    /// and the new row names it as the one it replaced. All rows or none; each
    /// is in the audit trail.
    @discardableResult
    public static func add(_ connection: Connection, _ parameters: [PolicyParameter], actor: String) throws -> [Added] {
        try connection.transaction { tx in
            var added: [Added] = []
            for p in parameters {
                // The row of this key and jurisdiction in force on the new row's first day.
                let row = try tx.query("""
                    SELECT parameter_id, replaces_id,
                           valid_from = \(p.validFrom.description)::date AND valid_to IS NOT DISTINCT FROM \(p.validTo?.description)::date
                             AND value = \(p.value) AND source = \(p.source) AND status = \(p.status.code) AS same
                    FROM policy_parameter
                    WHERE key = \(p.key) AND jurisdiction = \(p.jurisdiction)
                      AND valid_from <= \(p.validFrom.description)::date
                      AND (valid_to IS NULL OR valid_to >= \(p.validFrom.description)::date)
                    ORDER BY valid_from DESC, parameter_id DESC LIMIT 1
                    """).first
                let previous = try row.map { try $0.int64("parameter_id") }
                if let row, let previous, try row.bool("same") {
                    // The very row is in force already (the same command again, e.g. a retry
                    // through a failover whose first COMMIT went unanswered): add no second one.
                    added.append(Added(id: previous, replacesID: try row.optionalInt64("replaces_id"), alreadyThere: true))
                    continue
                }
                let r = try tx.query("""
                    INSERT INTO policy_parameter (key, jurisdiction, valid_from, valid_to, value, source, status, replaces_id, created_by)
                    VALUES (\(p.key), \(p.jurisdiction), \(p.validFrom.description)::date, \(p.validTo?.description)::date,
                            \(p.value), \(p.source), \(p.status.code), \(previous), \(actor))
                    RETURNING parameter_id
                    """)
                let id = try r[0].int64("parameter_id")
                added.append(Added(id: id, replacesID: previous))
                try Audit.record(tx, actor: actor, action: "policy_change", subject: p.key, detail: [
                    "parameter_id": String(id), "jurisdiction": p.jurisdiction, "valid_from": p.validFrom.description,
                    "valid_to": p.validTo?.description ?? "", "value": p.value, "status": p.status.code,
                    "replaces_id": previous.map(String.init) ?? "",
                ])
            }
            return added
        }
    }
}

/// The natural key of a parameter row.
public struct ParameterKey: Hashable, Sendable {
    public let key: String
    public let jurisdiction: String
    public let validFrom: CivilDate
    public init(_ p: PolicyParameter) { key = p.key; jurisdiction = p.jurisdiction; validFrom = p.validFrom }
    public init(key: String, jurisdiction: String, validFrom: CivilDate) { self.key = key; self.jurisdiction = jurisdiction; self.validFrom = validFrom }
}
