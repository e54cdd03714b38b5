/// A PostgreSQL SQLSTATE: the five-character code the server attaches to every error.
///
/// A small struct rather than an enum, so that codes we do not name keep their value.
/// Constants exist only for codes some part of jobmatch acts on; decide by code or by
/// class (`classCode`), never by message text.
public struct SQLState: Hashable, Sendable, CustomStringConvertible {
    /// The five-character code, e.g. `"23505"`.
    public let code: String

    /// Creates a state from its five-character code.
    public init(_ code: String) {
        self.code = code
    }

    /// The two-character class, e.g. `"23"` (integrity constraint violation).
    public var classCode: Substring { code.prefix(2) }

    /// The code followed by its condition name when we know it, e.g. `23505 unique_violation`.
    public var description: String {
        if let name = Self.names[self] { return "\(code) \(name)" }
        return code
    }

    // Class 23 — integrity constraint violations: Store maps these plus the constraint name to domain errors.
    public static let notNullViolation = SQLState("23502")
    public static let foreignKeyViolation = SQLState("23503")
    public static let uniqueViolation = SQLState("23505")
    public static let checkViolation = SQLState("23514")
    public static let exclusionViolation = SQLState("23P01")
    // Class 40 — the transaction should be retried.
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    // Class 42 — bugs or missing migrations.
    public static let syntaxError = SQLState("42601")
    public static let insufficientPrivilege = SQLState("42501")
    public static let undefinedTable = SQLState("42P01")
    public static let duplicateDatabase = SQLState("42P04")
    // Class 55 / 57 — locks, cancellation and server shutdown.
    public static let lockNotAvailable = SQLState("55P03")
    public static let queryCanceled = SQLState("57014")
    public static let adminShutdown = SQLState("57P01")
    public static let crashShutdown = SQLState("57P02")
    public static let cannotConnectNow = SQLState("57P03")

    /// Class 08: the connection is unusable; reconnect.
    public var isConnectionException: Bool { classCode == "08" }

    /// 40001 or 40P01: run the whole transaction again.
    public var isRetryableTransactionFailure: Bool {
        self == .serializationFailure || self == .deadlockDetected
    }

    /// Class 23: an integrity constraint rejected the statement; see `PostgresError.constraint`.
    public var isIntegrityConstraintViolation: Bool { classCode == "23" }

    private static let names: [SQLState: String] = [
        .notNullViolation: "not_null_violation", .foreignKeyViolation: "foreign_key_violation",
        .uniqueViolation: "unique_violation", .checkViolation: "check_violation",
        .exclusionViolation: "exclusion_violation", .serializationFailure: "serialization_failure",
        .deadlockDetected: "deadlock_detected", .syntaxError: "syntax_error",
        .insufficientPrivilege: "insufficient_privilege", .undefinedTable: "undefined_table",
        .duplicateDatabase: "duplicate_database", .lockNotAvailable: "lock_not_available",
        .queryCanceled: "query_canceled", .adminShutdown: "admin_shutdown",
        .crashShutdown: "crash_shutdown", .cannotConnectNow: "cannot_connect_now",
    ]
}
