import CLibPQ

/// A failed libpq call, with everything libpq and the server said about it.
///
/// Built in one place only (`PostgresError.capture`, the chokepoint at the C boundary),
/// which reads the connection status and every `PG_DIAG_*` field at once.
///
/// `description` is short and safe to log: kind, operation, SQLSTATE, constraint, table and
/// the caller's `#fileID:#line`. It never holds bound values, and it leaves out the server's
/// MESSAGE, DETAIL and CONTEXT, which can quote row values (`Key (id_number)=(…) already exists`,
/// `invalid input syntax for type integer: "…"`). Client-side libpq messages (no SQLSTATE, e.g.
/// "connection refused") carry no row data and are included. `debugDescription` has everything.
public struct PostgresError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// What the failing call was doing.
    public enum Kind: Sendable, Equatable {
        case connect
        case query
        case copy
        case notify
        /// libpq or the server did something this wrapper did not expect (e.g. COPY through `query`).
        case protocolViolation
        /// The connection broke. `maybeExecuted` is false only when libpq failed before the
        /// statement was handed to the server, so it certainly did not run; when true the
        /// statement may or may not have run (and committed, for an autocommit statement).
        case connectionLost(maybeExecuted: Bool)
        /// The transaction protocol failed without a server error (e.g. COMMIT answered ROLLBACK).
        case transaction
    }

    public let kind: Kind
    /// The libpq function that failed, e.g. `"PQsendQueryParams"`.
    public let operation: String
    public let sqlState: SQLState?
    /// Localised severity (`ERROR`, `FATAL`, …).
    public let severity: String?
    /// The primary message: the server's, or libpq's own when `sqlState` is nil. May quote values.
    public let message: String?
    /// May quote row values: never log it.
    public let detail: String?
    public let hint: String?
    public let constraint: String?
    public let table: String?
    public let column: String?
    public let schema: String?
    public let dataType: String?
    /// 1-based character position in the statement text (PG_DIAG_STATEMENT_POSITION).
    public let position: Int?
    /// PG_DIAG_CONTEXT: the call stack inside the server. May quote values (COPY line contents).
    public let context: String?
    public let internalQuery: String?
    public let internalPosition: Int?
    /// Where in the server's source the error was raised (PG_DIAG_SOURCE_*).
    public let sourceFile: String?
    public let sourceLine: Int?
    public let sourceFunction: String?
    /// `#fileID` and `#line` of the caller of the wrapper.
    public let file: String
    public let line: Int

    /// Creates an error that did not come from libpq diagnostics (e.g. a rejected bind).
    public init(
        kind: Kind, operation: String, message: String, sqlState: SQLState? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.init(
            kind: kind, operation: operation, sqlState: sqlState, severity: nil, message: message,
            detail: nil, hint: nil, constraint: nil, table: nil, column: nil, schema: nil, dataType: nil,
            position: nil, context: nil, internalQuery: nil, internalPosition: nil, sourceFile: nil,
            sourceLine: nil, sourceFunction: nil, file: file, line: line)
    }

    init(
        kind: Kind, operation: String, sqlState: SQLState?, severity: String?, message: String?,
        detail: String?, hint: String?, constraint: String?, table: String?, column: String?,
        schema: String?, dataType: String?, position: Int?, context: String?, internalQuery: String?,
        internalPosition: Int?, sourceFile: String?, sourceLine: Int?, sourceFunction: String?,
        file: String, line: Int
    ) {
        self.kind = kind
        self.operation = operation
        self.sqlState = sqlState
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
        self.schema = schema
        self.dataType = dataType
        self.position = position
        self.context = context
        self.internalQuery = internalQuery
        self.internalPosition = internalPosition
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
        self.sourceFunction = sourceFunction
        self.file = file
        self.line = line
    }

    /// True when the connection must be re-established (lost, or SQLSTATE class 08).
    public var isConnectionFailure: Bool {
        if case .connectionLost = kind { return true }
        return sqlState?.isConnectionException ?? false
    }

    public var description: String {
        var parts = ["PostgresError.\(kind) in \(operation)"]
        if let sqlState { parts.append("SQLSTATE \(sqlState)") }
        if let schema, let table { parts.append("table \(schema).\(table)") } else if let table { parts.append("table \(table)") }
        if let constraint { parts.append("constraint \(constraint)") }
        if sqlState == nil, let message { parts.append(message) }
        parts.append("at \(file):\(line)")
        return parts.joined(separator: ", ")
    }

    public var debugDescription: String {
        let fields: [(String, String?)] = [
            ("severity", severity), ("message", message), ("detail", detail), ("hint", hint),
            ("position", position.map(String.init)), ("context", context), ("schema", schema),
            ("table", table), ("column", column), ("dataType", dataType), ("constraint", constraint),
            ("internalQuery", internalQuery), ("internalPosition", internalPosition.map(String.init)),
            ("source", sourceFile.map { "\($0):\(sourceLine ?? 0) \(sourceFunction ?? "")" }),
        ]
        return ([description] + fields.compactMap { name, value in value.map { "\(name): \($0)" } })
            .joined(separator: "\n  ")
    }

    func with(kind: Kind) -> PostgresError {
        PostgresError(
            kind: kind, operation: operation, sqlState: sqlState, severity: severity, message: message,
            detail: detail, hint: hint, constraint: constraint, table: table, column: column,
            schema: schema, dataType: dataType, position: position, context: context,
            internalQuery: internalQuery, internalPosition: internalPosition, sourceFile: sourceFile,
            sourceLine: sourceLine, sourceFunction: sourceFunction, file: file, line: line)
    }

    /// The chokepoint: every failing libpq call becomes a `PostgresError` here, and only here.
    ///
    /// Reads, at once, the connection status and either every diagnostic field of `result`
    /// or, without a result, `PQerrorMessage`. A connection in `CONNECTION_BAD` turns `kind`
    /// into `.connectionLost(maybeExecuted: sent)` unless this is a connect failure.
    static func capture(
        _ kind: Kind, operation: String, connection: OpaquePointer?, result: OpaquePointer?,
        sent: Bool, file: String, line: Int
    ) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let result, let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        var message: String?
        if let result, let p = PQresultErrorMessage(result), p.pointee != 0 {
            message = field(DiagnosticField.messagePrimary) ?? String(cString: p)
        } else if let connection, let p = PQerrorMessage(connection), p.pointee != 0 {
            message = String(cString: p)
        }
        message = message?.trimmingTrailingNewlines()
        var effectiveKind = kind
        if kind != .connect, let connection, PQstatus(connection) == CONNECTION_BAD {
            effectiveKind = .connectionLost(maybeExecuted: sent)
        }
        return PostgresError(
            kind: effectiveKind, operation: operation,
            sqlState: field(DiagnosticField.sqlState).map(SQLState.init),
            severity: field(DiagnosticField.severity), message: message,
            detail: field(DiagnosticField.messageDetail), hint: field(DiagnosticField.messageHint),
            constraint: field(DiagnosticField.constraintName), table: field(DiagnosticField.tableName),
            column: field(DiagnosticField.columnName), schema: field(DiagnosticField.schemaName),
            dataType: field(DiagnosticField.dataTypeName),
            position: field(DiagnosticField.statementPosition).flatMap { Int($0) },
            context: field(DiagnosticField.context), internalQuery: field(DiagnosticField.internalQuery),
            internalPosition: field(DiagnosticField.internalPosition).flatMap { Int($0) },
            sourceFile: field(DiagnosticField.sourceFile), sourceLine: field(DiagnosticField.sourceLine).flatMap { Int($0) },
            sourceFunction: field(DiagnosticField.sourceFunction), file: file, line: line)
    }
}

/// A transaction failed. Every failure is kept: the body's error is never hidden by a
/// failed ROLLBACK, and a failed COMMIT is reported as such.
public struct TransactionError: Error, CustomStringConvertible, CustomDebugStringConvertible {
    /// BEGIN failed; the body did not run.
    public let begin: PostgresError?
    /// The body threw (the transaction was then rolled back).
    public let body: (any Error)?
    /// ROLLBACK after a body error failed too (typically: the connection is gone).
    public let rollback: PostgresError?
    /// COMMIT failed, or answered ROLLBACK because the transaction had already failed.
    public let commit: PostgresError?

    public init(begin: PostgresError? = nil, body: (any Error)? = nil, rollback: PostgresError? = nil, commit: PostgresError? = nil) {
        self.begin = begin
        self.body = body
        self.rollback = rollback
        self.commit = commit
    }

    /// The SQLSTATE of the first database failure (begin, body, commit), if any.
    public var sqlState: SQLState? {
        begin?.sqlState ?? (body as? PostgresError)?.sqlState ?? commit?.sqlState
    }

    /// True when running the whole transaction again may succeed (40001, 40P01).
    public var isRetryable: Bool { sqlState?.isRetryableTransactionFailure ?? false }

    public var description: String {
        var parts: [String] = []
        if let begin { parts.append("begin: \(begin)") }
        if let body { parts.append("body: \(String(describing: body))") }
        if let rollback { parts.append("rollback: \(rollback)") }
        if let commit { parts.append("commit: \(commit)") }
        return "TransactionError(\(parts.joined(separator: "; ")))"
    }

    public var debugDescription: String {
        var parts: [String] = []
        if let begin { parts.append("begin: \(begin.debugDescription)") }
        if let body { parts.append("body: \(String(reflecting: body))") }
        if let rollback { parts.append("rollback: \(rollback.debugDescription)") }
        if let commit { parts.append("commit: \(commit.debugDescription)") }
        return "TransactionError\n" + parts.joined(separator: "\n")
    }
}

/// A row value could not be read as the requested type. Names the column and the
/// expected type, never the value.
public struct RowDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case noSuchColumn
        case unexpectedNull
        case invalidText(expected: String)
    }
    public let column: String
    public let reason: Reason

    public init(column: String, reason: Reason) {
        self.column = column
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .noSuchColumn: "RowDecodingError: no column \(column)"
        case .unexpectedNull: "RowDecodingError: column \(column) is NULL"
        case .invalidText(let expected): "RowDecodingError: column \(column) is not a valid \(expected)"
        }
    }
}

/// The `PG_DIAG_*` field codes of postgres_ext.h. They are C character-literal macros,
/// which Swift does not import, so they are spelled here once, by name.
enum DiagnosticField {
    static let severity = Int32(UInt8(ascii: "S"))  // PG_DIAG_SEVERITY
    static let sqlState = Int32(UInt8(ascii: "C"))  // PG_DIAG_SQLSTATE
    static let messagePrimary = Int32(UInt8(ascii: "M"))  // PG_DIAG_MESSAGE_PRIMARY
    static let messageDetail = Int32(UInt8(ascii: "D"))  // PG_DIAG_MESSAGE_DETAIL
    static let messageHint = Int32(UInt8(ascii: "H"))  // PG_DIAG_MESSAGE_HINT
    static let statementPosition = Int32(UInt8(ascii: "P"))  // PG_DIAG_STATEMENT_POSITION
    static let internalPosition = Int32(UInt8(ascii: "p"))  // PG_DIAG_INTERNAL_POSITION
    static let internalQuery = Int32(UInt8(ascii: "q"))  // PG_DIAG_INTERNAL_QUERY
    static let context = Int32(UInt8(ascii: "W"))  // PG_DIAG_CONTEXT
    static let schemaName = Int32(UInt8(ascii: "s"))  // PG_DIAG_SCHEMA_NAME
    static let tableName = Int32(UInt8(ascii: "t"))  // PG_DIAG_TABLE_NAME
    static let columnName = Int32(UInt8(ascii: "c"))  // PG_DIAG_COLUMN_NAME
    static let dataTypeName = Int32(UInt8(ascii: "d"))  // PG_DIAG_DATATYPE_NAME
    static let constraintName = Int32(UInt8(ascii: "n"))  // PG_DIAG_CONSTRAINT_NAME
    static let sourceFile = Int32(UInt8(ascii: "F"))  // PG_DIAG_SOURCE_FILE
    static let sourceLine = Int32(UInt8(ascii: "L"))  // PG_DIAG_SOURCE_LINE
    static let sourceFunction = Int32(UInt8(ascii: "R"))  // PG_DIAG_SOURCE_FUNCTION
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }
}

/// True when `error` says the server itself is gone or cannot take writes now (the
/// connection lost or refused, a read-only server — 25006 —, a server shutting down —
/// class 57), so a new session is what helps; false for a statement the server refused,
/// or one it cancelled (57014: a timeout or a cancel would only happen again). The one
/// notion of "the database went away" for the daemon, the CLI's retries and the web.
public func isDatabaseAway(_ error: any Error) -> Bool {
    if let t = error as? TransactionError {
        return [t.begin, t.commit, t.rollback].contains { $0.map(isDatabaseAway) ?? false }
            || (t.body.map(isDatabaseAway) ?? false)
    }
    guard let e = error as? PostgresError else { return false }
    if e.isConnectionFailure { return true }
    if case .connect = e.kind { return true }
    guard let state = e.sqlState else { return false }
    if state == .queryCanceled { return false }
    return state.code == "25006" || ["08", "57"].contains(state.classCode)
}
