import Domain
import Foundation
import Postgres

/// Staff accounts, their web sessions and API tokens (issue 14, migration 0013).
/// This file holds the SQL only: hashing (bcrypt for passwords, SHA-256 for
/// session ids and tokens) is the caller's, so no secret reaches the database.
/// Every change is audited in the same transaction.
public enum AccountStore {
    public enum Role: String, Sendable, CaseIterable, Codable {
        case admin, staff, viewer
    }

    /// Who is asking: a signed-in user or an API token.
    public struct Principal: Sendable, Equatable {
        public enum Kind: String, Sendable { case user, token }
        public var kind: Kind
        public var name: String
        public var role: Role
        /// The regions granted; empty means every region.
        public var regions: [String]
        /// `regions` with every sub-region, for the queries and `jobmatch.regions`.
        public var scope: [String]
        /// The session's CSRF token (users signed in by cookie only).
        public var csrfToken: String?

        /// The actor's name in the audit trail.
        public var actor: String { kind == .user ? "web:\(name)" : "token:\(name)" }
        /// Every region?
        public var allRegions: Bool { regions.isEmpty }
        /// The value of the `jobmatch.regions` setting that row-level security reads.
        public var regionSetting: String { allRegions ? "*" : scope.joined(separator: ",") }
        /// May this principal see region `code`?
        public func covers(_ code: String) -> Bool { allRegions || scope.contains(code) }
    }

    public struct User: Sendable, Equatable {
        public var username: String
        public var role: Role
        public var regions: [String]
        public var disabled: Bool
        public var failedLogins: Int
        public var lockedUntil: String?
    }

    /// Why an account command was refused; Render words it.
    public typealias AccountError = AccountProblem

    static func checkName(_ name: String) throws {
        guard (1...64).contains(name.count),
              name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || "_.-".unicodeScalars.contains($0) })
        else { throw AccountError.badName(name) }
    }

    static func checkRegions(_ c: Connection, _ regions: [String]) throws {
        for code in regions where try c.query("SELECT 1 FROM region WHERE code = \(code)").count == 0 {
            throw AccountError.unknownRegion(code)
        }
    }

    // MARK: - Users

    /// Whether the stored secret is the one given (`query` answers one row with `same`).
    private static func sameSecret(_ tx: Connection, _ query: Query) throws -> Bool {
        try tx.query(query).first?.bool("same") ?? false
    }

    public static func addUser(_ c: Connection, username: String, role: Role, passwordHash: String,
                               regions: [String], actor: String) throws {
        try checkName(username)
        try c.transaction { tx in
            try checkRegions(tx, regions)
            let rows = try tx.query("""
                INSERT INTO app_user (username, role, password_hash) VALUES (\(username), \(role.rawValue), \(passwordHash))
                ON CONFLICT (username) DO NOTHING
                """)
            if rows.affectedRows == 0 {
                // The same salted hash: this very call committed before (a retry through a failover, issue 18).
                if try sameSecret(tx, "SELECT password_hash = \(passwordHash) AS same FROM app_user WHERE username = \(username)") { return }
                throw AccountError.userExists(username)
            }
            for code in regions {
                try tx.query("INSERT INTO app_user_region (username, region_code) VALUES (\(username), \(code))")
            }
            try Audit.record(tx, actor: actor, action: "user.add", subject: username,
                             detail: ["role": role.rawValue, "regions": regions.joined(separator: ",")])
        }
    }

    /// A new password: clears the failure count and the lock, and ends every session.
    public static func setPassword(_ c: Connection, username: String, passwordHash: String, actor: String) throws {
        try c.transaction { tx in
            let rows = try tx.query("""
                UPDATE app_user SET password_hash = \(passwordHash), failed_logins = 0, locked_until = NULL, updated_at = now()
                WHERE username = \(username)
                """)
            if rows.affectedRows == 0 { throw AccountError.unknownUser(username) }
            try tx.query("DELETE FROM web_session WHERE username = \(username)")
            try Audit.record(tx, actor: actor, action: "user.passwd", subject: username)
        }
    }

    /// Disables an account and ends its sessions.
    public static func disable(_ c: Connection, username: String, actor: String) throws {
        try c.transaction { tx in
            let rows = try tx.query("UPDATE app_user SET disabled = true, updated_at = now() WHERE username = \(username)")
            if rows.affectedRows == 0 { throw AccountError.unknownUser(username) }
            try tx.query("DELETE FROM web_session WHERE username = \(username)")
            try Audit.record(tx, actor: actor, action: "user.disable", subject: username)
        }
    }

    public static func listUsers(_ c: Connection) throws -> [User] {
        try c.query("""
            SELECT u.username, u.role, u.disabled, u.failed_logins, u.locked_until::text AS locked_until,
                   coalesce(array_agg(r.region_code ORDER BY r.region_code) FILTER (WHERE r.region_code IS NOT NULL), '{}') AS regions
            FROM app_user u LEFT JOIN app_user_region r USING (username)
            GROUP BY u.username ORDER BY u.username
            """).map { row in
            User(username: try row.string("username"), role: Role(rawValue: try row.string("role")) ?? .viewer,
                 regions: try row.stringArray("regions"), disabled: try row.bool("disabled"),
                 failedLogins: try row.int("failed_logins"), lockedUntil: try row.optionalString("locked_until"))
        }
    }

    // MARK: - Tokens

    public static func addToken(_ c: Connection, name: String, role: Role, tokenHash: String,
                                regions: [String], actor: String) throws {
        try checkName(name)
        try c.transaction { tx in
            try checkRegions(tx, regions)
            let rows = try tx.query("""
                INSERT INTO api_token (name, token_hash, role) VALUES (\(name), \(tokenHash), \(role.rawValue))
                ON CONFLICT (name) DO NOTHING
                """)
            if rows.affectedRows == 0 {
                // The same random token's hash: this very call committed before (a retry through a failover, issue 18).
                if try sameSecret(tx, "SELECT token_hash = \(tokenHash) AS same FROM api_token WHERE name = \(name)") { return }
                throw AccountError.tokenExists(name)
            }
            for code in regions {
                try tx.query("INSERT INTO api_token_region (name, region_code) VALUES (\(name), \(code))")
            }
            try Audit.record(tx, actor: actor, action: "token.add", subject: name,
                             detail: ["role": role.rawValue, "regions": regions.joined(separator: ",")])
        }
    }

    public static func revokeToken(_ c: Connection, name: String, actor: String) throws {
        try c.transaction { tx in
            let rows = try tx.query("UPDATE api_token SET revoked_at = now() WHERE name = \(name) AND revoked_at IS NULL")
            if rows.affectedRows == 0 { throw AccountError.unknownToken(name) }
            try Audit.record(tx, actor: actor, action: "token.revoke", subject: name)
        }
    }

    /// The principal of a live (not revoked) token, by the token's hash: one statement
    /// (prepared once per session: planning it took longer than running it), which writes only when `last_used_at` is older than `touchSeconds` (so concurrent
    /// requests with one token do not queue on its row, and a read commits without a WAL flush).
    public static func principal(_ c: Connection, tokenHash: String, touchSeconds: Double = 60) throws -> Principal? {
        guard let row = try c.queryPrepared("""
            WITH RECURSIVE found AS (
                SELECT name, role, last_used_at IS NULL OR last_used_at < now() - make_interval(secs => \(touchSeconds)) AS stale
                FROM api_token WHERE token_hash = \(tokenHash) AND revoked_at IS NULL
            ), touched AS (
                UPDATE api_token t SET last_used_at = now() FROM found f WHERE t.name = f.name AND f.stale
            ), granted AS (
                SELECT r.region_code FROM api_token_region r JOIN found f USING (name)
            ), \(unsafe: scopeCTE)
            SELECT f.name, f.role, \(unsafe: regionsColumns) FROM found f
            """).first else { return nil }
        return Principal(kind: .token, name: try row.string("name"), role: Role(rawValue: try row.string("role")) ?? .viewer,
                         regions: try row.stringArray("regions"), scope: try row.stringArray("scope"), csrfToken: nil)
    }

    /// The recursive CTE `scope(code)`: the regions of the CTE `granted(region_code)` and every region below them.
    private static let scopeCTE = """
        scope(code) AS (
            SELECT code FROM region WHERE code IN (SELECT region_code FROM granted)
            UNION SELECT g.code FROM region g JOIN scope ON g.parent_code = scope.code
        )
        """
    private static let regionsColumns = """
        ARRAY(SELECT region_code FROM granted ORDER BY 1) AS regions, ARRAY(SELECT code FROM scope ORDER BY 1) AS scope
        """

    // MARK: - Sign-in and sessions

    /// What a sign-in checks before it compares the password.
    public struct LoginRecord: Sendable {
        public var passwordHash: String
        public var disabled: Bool
        /// Seconds the account stays locked, 0 if it is not.
        public var lockedSeconds: Int
        public var failedLogins: Int
        public var role: Role
    }

    public static func loginRecord(_ c: Connection, username: String) throws -> LoginRecord? {
        guard let row = try c.query("""
            SELECT password_hash, disabled, failed_logins, role,
                   greatest(0, ceil(extract(epoch FROM locked_until - now())))::int AS locked_seconds
            FROM app_user WHERE username = \(username)
            """).first else { return nil }
        return LoginRecord(passwordHash: try row.string("password_hash"), disabled: try row.bool("disabled"),
                           lockedSeconds: try row.optionalInt("locked_seconds") ?? 0, failedLogins: try row.int("failed_logins"),
                           role: Role(rawValue: try row.string("role")) ?? .viewer)
    }

    /// Counts a failed sign-in (audited); the `maxFailures`-th in a row locks the account for `lockSeconds`.
    /// Returns the count of failures in a row.
    @discardableResult
    public static func recordFailedLogin(_ c: Connection, username: String, reason: String,
                                         maxFailures: Int, lockSeconds: Int) throws -> Int {
        try c.transaction { tx in
            var failures = 0
            if let row = try tx.query("""
                UPDATE app_user SET failed_logins = failed_logins + 1,
                    locked_until = CASE WHEN failed_logins + 1 >= \(maxFailures)
                                        THEN now() + make_interval(secs => \(lockSeconds)) ELSE locked_until END
                WHERE username = \(username) RETURNING failed_logins
                """).first {
                failures = try row.int("failed_logins")
            }
            try Audit.record(tx, actor: "web:\(username)", action: "login.failed", subject: username,
                             detail: ["reason": reason, "failures": String(failures)])
            return failures
        }
    }

    /// A successful sign-in: resets the failures, stores the session (by its hash), audits.
    public static func recordLogin(_ c: Connection, username: String, sessionHash: String, csrfToken: String) throws {
        try c.transaction { tx in
            try tx.query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE username = \(username)")
            try tx.query("""
                INSERT INTO web_session (session_hash, username, csrf_token) VALUES (\(sessionHash), \(username), \(csrfToken))
                """)
            try Audit.record(tx, actor: "web:\(username)", action: "login", subject: username)
        }
    }

    /// The principal of a live session, by the cookie's hash, in one statement (prepared
    /// once per session). A session
    /// idle longer than `idleSeconds`, or of a disabled user, is deleted and gives nil.
    /// `last_seen_at` is touched only when older than `touchSeconds` (at most `idleSeconds`/10):
    /// a session in use does not write on every request (concurrent requests with one cookie
    /// would queue on its row), and an idle one ends at most `touchSeconds` early, never late.
    public static func principal(_ c: Connection, sessionHash: String, idleSeconds: Int, touchSeconds: Double = 60) throws -> Principal? {
        let touch = min(touchSeconds, Double(idleSeconds) / 10)
        guard let row = try c.queryPrepared("""
            WITH RECURSIVE found AS (
                SELECT s.session_hash, u.username, u.role, s.csrf_token,
                       u.disabled OR s.last_seen_at < now() - make_interval(secs => \(idleSeconds)) AS dead,
                       s.last_seen_at < now() - make_interval(secs => \(touch)) AS stale
                FROM web_session s JOIN app_user u USING (username) WHERE s.session_hash = \(sessionHash)
            ), gone AS (
                DELETE FROM web_session w USING found f WHERE w.session_hash = f.session_hash AND f.dead
            ), touched AS (
                UPDATE web_session w SET last_seen_at = now() FROM found f
                WHERE w.session_hash = f.session_hash AND f.stale AND NOT f.dead
            ), granted AS (
                SELECT r.region_code FROM app_user_region r JOIN found f USING (username) WHERE NOT f.dead
            ), \(unsafe: scopeCTE)
            SELECT f.username, f.role, f.csrf_token, \(unsafe: regionsColumns) FROM found f WHERE NOT f.dead
            """).first else { return nil }
        return Principal(kind: .user, name: try row.string("username"), role: Role(rawValue: try row.string("role")) ?? .viewer,
                         regions: try row.stringArray("regions"), scope: try row.stringArray("scope"),
                         csrfToken: try row.string("csrf_token"))
    }

    public static func endSession(_ c: Connection, sessionHash: String, username: String) throws {
        try c.transaction { tx in
            try tx.query("DELETE FROM web_session WHERE session_hash = \(sessionHash)")
            try Audit.record(tx, actor: "web:\(username)", action: "logout", subject: username)
        }
    }

    /// `codes` and every region below them.
    public static func expand(_ c: Connection, _ codes: [String]) throws -> [String] {
        if codes.isEmpty { return [] }
        return try c.query("""
            WITH RECURSIVE granted(region_code) AS (SELECT unnest(\(codes)::text[])), \(unsafe: scopeCTE)
            SELECT code FROM scope ORDER BY code
            """).map { try $0.string("code") }
    }
}
