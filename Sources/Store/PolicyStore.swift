import Domain
import Postgres
import Quota

/// The policy book in PostgreSQL: seeded from the packs the binary carries
/// (policy/*.csv), extended by centers with new dated rows, never edited.
public enum PolicyStore {
    /// Inserts every pack row not yet present; returns how many were new.
    /// A row already present is left alone, even when the pack's text changed:
    /// history is never rewritten — a correction is a new dated row.
    static func seedPacks(_ connection: Connection) throws -> Int {
        var inserted = 0
        for pack in Embedded.policyPacks {
            let rows = try PolicyPacks.parse(csv: pack.csv)
            try connection.transaction { tx in
                for p in rows {
                    let r = try tx.query("""
                        INSERT INTO policy_parameter (key, jurisdiction, valid_from, valid_to, value, source, status)
                        VALUES (\(p.key), \(p.jurisdiction), \(p.validFrom.description)::date, \(p.validTo?.description)::date,
                                \(p.value), \(p.source), \(p.status.code))
                        ON CONFLICT ON CONSTRAINT policy_parameter_unique DO NOTHING
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
            FROM policy_parameter ORDER BY key, jurisdiction, valid_from
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

    /// Adds one dated row (a policy change); refuses to overwrite an existing row.
    public static func add(_ connection: Connection, _ p: PolicyParameter, actor: String) throws {
        try connection.transaction { tx in
            let r = try tx.query("""
                INSERT INTO policy_parameter (key, jurisdiction, valid_from, valid_to, value, source, status)
                VALUES (\(p.key), \(p.jurisdiction), \(p.validFrom.description)::date, \(p.validTo?.description)::date,
                        \(p.value), \(p.source), \(p.status.code))
                ON CONFLICT ON CONSTRAINT policy_parameter_unique DO NOTHING
                """)
            guard r.affectedRows == 1 else {
                throw StoreError.conflict("policy parameter \(p.key) for \(p.jurisdiction) from \(p.validFrom) exists; add a row with a later valid_from instead")
            }
            try Audit.record(tx, actor: actor, action: "policy_change", subject: p.key,
                             detail: ["jurisdiction": p.jurisdiction, "valid_from": p.validFrom.description, "value": p.value])
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
