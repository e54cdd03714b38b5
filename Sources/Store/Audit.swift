import Foundation
import Postgres

/// The audit trail: who did what, when (issue 7; PIPL Art. 55). Append-only in
/// the database. Details carry identifiers of records and counts — never names,
/// phone numbers or disability details.
public enum Audit {
    /// Appends one record inside the caller's transaction, so the record exists
    /// exactly when the change it describes does.
    public static func record(_ connection: Connection, actor: String, action: String, subject: String = "",
                              detail: [String: String] = [:]) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
        try connection.query("""
            INSERT INTO audit_log (actor, action, subject, detail) VALUES (\(actor), \(action), \(subject), \(json)::jsonb)
            """)
    }
}
