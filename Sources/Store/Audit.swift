import Domain
import Postgres

/// The audit trail: who did what, when (issue 7; PIPL Art. 55). Append-only in
/// the database. Details carry identifiers of records and counts — never names,
/// phone numbers or disability details.
public enum Audit {
    /// Appends one record inside the caller's transaction, so the record exists
    /// exactly when the change it describes does.
    public static func record(_ connection: Connection, actor: String, action: String, subject: String = "",
                              detail: [String: String] = [:]) throws {
        // The project's one JSON text writer (Domain/JSONText.swift); jsonb keeps no key order or spacing.
        var object = JSONObjectText()
        for (key, value) in detail.sorted(by: { $0.key < $1.key }) { object.string(key, value) }
        let json = object.text
        try connection.query("""
            INSERT INTO audit_log (actor, action, subject, detail) VALUES (\(actor), \(action), \(subject), \(json)::jsonb)
            """)
    }
}
