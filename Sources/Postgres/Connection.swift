// Postgres — a small, safe wrapper over libpq, and the only module that imports CLibPQ.
//
// Owns: one libpq connection (`Connection`), statements as SQL plus text binds (`Query`),
// results copied into Swift values (`Rows`, `Row`), transactions, COPY in/out, LISTEN/NOTIFY,
// and the error types (`PostgresError`, `SQLState`, `TransactionError`). It knows nothing of
// jobs, seekers or quotas, and it does not log.
//
// Rules kept here (STYLE.md §3, §4):
// - Every failing libpq call goes through one chokepoint, `PostgresError.capture`, which
//   reads the status and all PG_DIAG_* fields at once. Bound values never enter an error.
// - Statements are sent with the asynchronous calls (PQsendQueryParams, …) and collected with
//   PQgetResult until NULL, always, even when throwing. Sending separately from collecting is
//   what tells a lost connection apart: send failed → `.connectionLost(maybeExecuted: false)`;
//   sent, then lost → `maybeExecuted: true`.
// - Each PGresult is owned by a `ResultHandle` and cleared exactly once, in its deinit.
//   PQfinish runs exactly once: in `close()` or `deinit`, and also after a failed connect.
// - Misuse is a bug and traps (`precondition`): using a closed connection, nesting
//   `transaction`, resetting or closing on the notification queue while a watch is live.
//
// Connection states:
//
//     connect ──ok──▶ open ──(server gone)──▶ broken ──reset()──▶ open
//        │             │                        │
//        └─fail─▶ (PQfinish, throw)  close() ───┴──────▶ closed (PQfinish done; use traps)

import CLibPQ
import Dispatch
import Foundation

/// Isolation level for `Connection.transaction`.
public enum IsolationLevel: Sendable {
    case readCommitted, repeatableRead, serializable

    var sql: String {
        switch self {
        case .readCommitted: "READ COMMITTED"
        case .repeatableRead: "REPEATABLE READ"
        case .serializable: "SERIALIZABLE"
        }
    }
}

/// One asynchronous notification (`NOTIFY channel, 'payload'`).
public struct Notification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// Backend PID of the notifying session.
    public let pid: Int32
}

/// `Notification` under a name that does not clash with `Foundation.Notification` (files that
/// import both can also write `Postgres.Notification`).
public typealias PostgresNotification = Notification

/// Owns one PGresult and clears it exactly once.
final class ResultHandle {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    var status: ExecStatusType { PQresultStatus(pointer) }
    deinit { PQclear(pointer) }
}

/// One libpq connection.
///
/// Thread safety: `@unchecked Sendable` because every use of the `PGconn` (`pgconn`) and of
/// `watch` happens while holding `lock`, an `NSRecursiveLock`. It is recursive so that
/// `transaction` and `copyIn`/`copyOut` hold it across the caller's body, which calls back
/// into this connection: no other thread can slip a statement into our transaction or COPY.
/// Other threads block until the holder finishes. `cancelHandle` (a `PGcancel`, safe to use
/// from any thread) is guarded by its own `cancelLock`, so `cancelCurrentQuery()` works while
/// `lock` is held by the running statement. Do not wait inside a transaction body for another
/// thread that uses the same connection: it would deadlock.
public final class Connection: @unchecked Sendable {
    let lock = NSRecursiveLock()  // every exchange; recursive: `transaction` holds it throughout
    private var pgconn: OpaquePointer?  // guarded by lock; nil once closed
    private var watch: NotificationWatch?  // guarded by lock
    /// The statements `queryPrepared` prepared on this session: SQL text → name. Guarded by
    /// lock; emptied by `reset` (a new server session has none).
    private var prepared: [String: String] = [:]
    /// The values `setSessionSetting` set on this session: name → value. Guarded by lock;
    /// emptied by `reset` (a new server session starts from the defaults).
    private var sessionSettings: [String: String] = [:]
    private let cancelLock = NSLock()
    private var cancelHandle: OpaquePointer?  // guarded by cancelLock

    private init(_ pgconn: OpaquePointer) {
        self.pgconn = pgconn
        self.cancelHandle = PQgetCancel(pgconn)
        // libpq prints NOTICEs to stderr by default; this module does not log.
        PQsetNoticeProcessor(pgconn, { _, _ in }, nil)
    }

    deinit {
        if let watch { watch.cancelAndWait() }
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        if let pgconn { PQfinish(pgconn) }
    }

    /// Opens a connection. Wraps `PQconnectdbParams` (keyword/value arrays, `expand_dbname=1`).
    ///
    /// `client_encoding=UTF8` comes first, so the URL or `parameters` may override it.
    public static func connect(_ config: ConnectionConfig, file: String = #fileID, line: Int = #line) throws(PostgresError) -> Connection {
        var pairs: [(String, String)] = [("client_encoding", "UTF8")]
        if let url = config.url { pairs.append(("dbname", url)) }
        pairs += config.parameters
        let conn: OpaquePointer? = withCStringArray(pairs.map(\.0)) { keywords in
            withCStringArray(pairs.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let conn else {
            throw PostgresError(kind: .connect, operation: "PQconnectdbParams", message: "out of memory", file: file, line: line)
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let error = PostgresError.capture(.connect, operation: "PQconnectdbParams", connection: conn, result: nil, sent: false, file: file, line: line)
            PQfinish(conn)
            throw error
        }
        return Connection(conn)
    }

    /// `PQstatus(conn) == CONNECTION_OK`; false once closed.
    public var isConnected: Bool {
        lock.withLock { pgconn.map { PQstatus($0) == CONNECTION_OK } ?? false }
    }

    /// The server process serving this session. Wraps `PQbackendPID`.
    public var backendPID: Int32 {
        lock.withLock { PQbackendPID(open()) }
    }

    /// Reconnects with the same parameters. Wraps `PQreset`. A `NotificationWatch` is cancelled
    /// first (the socket changes): LISTEN again and start a new watch afterwards.
    public func reset(file: String = #fileID, line: Int = #line) throws(PostgresError) {
        let liveWatch = lock.withLock { watch }
        liveWatch?.cancelAndWait()  // outside the lock: a pending event handler may be waiting for it
        lock.lock()
        defer { lock.unlock() }
        let conn = open()
        if let liveWatch, watch === liveWatch { watch = nil }
        prepared = [:]
        sessionSettings = [:]
        PQreset(conn)
        cancelLock.withLock {
            if let cancelHandle { PQfreeCancel(cancelHandle) }
            cancelHandle = PQgetCancel(conn)
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            throw PostgresError.capture(.connect, operation: "PQreset", connection: conn, result: nil, sent: false, file: file, line: line)
        }
    }

    /// Asks the server to cancel the statement running on this connection; callable from any
    /// thread. Wraps `PQcancel` on a `PGcancel` from `PQgetCancel`. Returns whether the request
    /// was delivered (the statement may still have finished first).
    @discardableResult
    public func cancelCurrentQuery() -> Bool {
        cancelLock.withLock {
            guard let cancelHandle else { return false }
            var buffer = [CChar](repeating: 0, count: 256)
            return PQcancel(cancelHandle, &buffer, Int32(buffer.count)) == 1
        }
    }

    /// Closes the connection. Wraps `PQfinish`, called exactly once (later calls do nothing).
    /// Cancels and waits for a live `NotificationWatch` first; do not call it on the watch's queue.
    public func close() {
        let liveWatch = lock.withLock { watch }
        liveWatch?.cancelAndWait()
        lock.withLock {
            watch = nil
            cancelLock.withLock {
                if let cancelHandle { PQfreeCancel(cancelHandle) }
                cancelHandle = nil
            }
            if let pgconn { PQfinish(pgconn) }
            pgconn = nil
        }
    }

    // MARK: - Statements

    /// Runs one statement with text-format binds and text results.
    /// Wraps `PQsendQueryParams` + `PQgetResult` (the asynchronous form of `PQexecParams`).
    @discardableResult
    public func query(_ q: Query, file: String = #fileID, line: Int = #line) throws(PostgresError) -> Rows {
        try locked { conn throws(PostgresError) in
            try send("PQsendQueryParams", q.binds, file: file, line: line) { values in
                PQsendQueryParams(conn, q.sql, Int32(q.binds.count), nil, values, nil, nil, 0)
            }
            return try collect("PQsendQueryParams", file: file, line: line)
        }
    }

    /// Runs one statement as `query` does, but prepared once per session (on its first use
    /// here) and then only executed: for a statement run on every request whose plan does
    /// not depend on its binds (a lookup by key), it saves planning it each time.
    @discardableResult
    public func queryPrepared(_ q: Query, file: String = #fileID, line: Int = #line) throws(PostgresError) -> Rows {
        try locked { conn throws(PostgresError) in
            let name: String
            if let known = prepared[q.sql] {
                name = known
            } else {
                name = "jobmatch_prepared_\(prepared.count + 1)"
                try send("PQsendPrepare", [], file: file, line: line) { _ in PQsendPrepare(conn, name, q.sql, 0, nil) }
                _ = try collect("PQsendPrepare", file: file, line: line)
                prepared[q.sql] = name
            }
            try send("PQsendQueryPrepared", q.binds, file: file, line: line) { values in
                PQsendQueryPrepared(conn, name, Int32(q.binds.count), values, nil, nil, 0)
            }
            return try collect("PQsendQueryPrepared", file: file, line: line)
        }
    }

    /// Runs one or more `;`-separated statements with the simple query protocol (no binds), e.g. a
    /// migration file. Wraps `PQsendQuery` + `PQgetResult` (the asynchronous form of `PQexec`).
    /// Stops at the first failing statement; without an explicit BEGIN/COMMIT the whole string
    /// runs in one implicit transaction.
    public func execute(unsafeSQL sql: String, file: String = #fileID, line: Int = #line) throws(PostgresError) {
        try locked { conn throws(PostgresError) in
            try send("PQsendQuery", [], file: file, line: line) { _ in PQsendQuery(conn, sql) }
            _ = try collect("PQsendQuery", file: file, line: line)
        }
    }

    /// Creates a named prepared statement for this session. Wraps `PQsendPrepare` + `PQgetResult`
    /// (the asynchronous form of `PQprepare`). Parameter types are inferred by the server.
    public func prepare(name: String, sql: String, file: String = #fileID, line: Int = #line) throws(PostgresError) {
        try locked { conn throws(PostgresError) in
            try send("PQsendPrepare", [], file: file, line: line) { _ in PQsendPrepare(conn, name, sql, 0, nil) }
            _ = try collect("PQsendPrepare", file: file, line: line)
        }
    }

    /// Runs a statement made by `prepare`. Wraps `PQsendQueryPrepared` + `PQgetResult`
    /// (the asynchronous form of `PQexecPrepared`).
    @discardableResult
    public func executePrepared(name: String, binds: [String?], file: String = #fileID, line: Int = #line) throws(PostgresError) -> Rows {
        try locked { conn throws(PostgresError) in
            try send("PQsendQueryPrepared", binds, file: file, line: line) { values in
                PQsendQueryPrepared(conn, name, Int32(binds.count), values, nil, nil, 0)
            }
            return try collect("PQsendQueryPrepared", file: file, line: line)
        }
    }

    /// Sets a setting for the rest of the session (`set_config(name, value, false)`), or
    /// nothing when this connection set it to `value` before and nothing has been sent since
    /// that could undo it unseen. Only for settings that nothing else on this connection
    /// changes (no `SET name`, `RESET ALL` or `DISCARD` through `query`). Inside a
    /// transaction block the call always goes to the server and is not remembered (a
    /// ROLLBACK would undo it); a failed call forgets the setting.
    public func setSessionSetting(_ name: String, _ value: String, file: String = #fileID, line: Int = #line) throws(PostgresError) {
        lock.lock()
        defer { lock.unlock() }
        let idle = PQtransactionStatus(open()) == PQTRANS_IDLE
        if idle, sessionSettings[name] == value { return }
        sessionSettings[name] = nil
        try query("SELECT pg_catalog.set_config(\(name), \(value), false)", file: file, line: line)
        if idle { sessionSettings[name] = value }
    }

    // MARK: - Internals shared by the wrappers

    /// The open PGconn; using a closed connection is a bug. Call with `lock` held.
    func open() -> OpaquePointer {
        guard let pgconn else { preconditionFailure("Connection used after close()") }
        return pgconn
    }

    func locked<T>(_ body: (OpaquePointer) throws(PostgresError) -> T) throws(PostgresError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(open())
    }

    /// `locked` for bodies that throw other errors too (COPY callbacks).
    func lockedThrowing<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(open())
    }

    /// Calls a `PQsend*` function with the binds as C strings that live only inside the call.
    /// On failure (returns 0) the statement was not handed to the server.
    func send(_ operation: String, _ binds: [String?], file: String, line: Int,
              _ call: (UnsafePointer<UnsafePointer<CChar>?>?) -> Int32) throws(PostgresError) {
        let conn = open()
        if let bad = binds.firstIndex(where: { $0?.utf8.contains(0) ?? false }) {
            // Text-format parameters are C strings: a NUL would silently truncate the value.
            throw PostgresError(kind: .query, operation: operation,
                                message: "bind $\(bad + 1) contains a NUL character, which PostgreSQL text cannot hold",
                                sqlState: SQLState("22021"), file: file, line: line)
        }
        let ok = withOptionalCStringArray(binds) { values in call(values) }
        if ok == 0 {
            let error = PostgresError.capture(.query, operation: operation, connection: conn, result: nil, sent: false, file: file, line: line)
            drain(conn)
            throw error
        }
    }

    /// Reads results until NULL. Returns the last successful one as `Rows` (empty if none),
    /// or throws the first error after draining everything. With `expect` set to a COPY state,
    /// stops at that result and returns it undrained, leaving the connection in COPY mode.
    @discardableResult
    func collect(_ operation: String, kind: PostgresError.Kind = .query, file: String, line: Int) throws(PostgresError) -> Rows {
        let (last, _) = try collectResults(operation, kind: kind, expect: nil, file: file, line: line)
        return last.map { Rows(copying: $0.pointer) } ?? .empty
    }

    func collectResults(_ operation: String, kind: PostgresError.Kind, expect copyState: ExecStatusType?,
                        file: String, line: Int) throws(PostgresError) -> (ResultHandle?, reachedCopy: Bool) {
        let conn = open()
        var firstError: PostgresError?
        var last: ResultHandle?
        while let raw = PQgetResult(conn) {
            let result = ResultHandle(raw)
            let status = result.status
            if status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE {
                if firstError == nil {
                    firstError = .capture(kind, operation: operation, connection: conn, result: raw, sent: true, file: file, line: line)
                }
            } else if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                if firstError == nil, let copyState, status == copyState {
                    return (result, true)
                }
                if firstError == nil {
                    firstError = PostgresError(kind: .protocolViolation, operation: operation,
                                               message: "unexpected COPY; use copyIn or copyOut", file: file, line: line)
                }
                leaveCopyState(conn, status)
            } else {
                last = result
            }
        }
        if PQstatus(conn) == CONNECTION_BAD {
            // The error result (e.g. 57P01 on pg_terminate_backend) may arrive before libpq sees EOF.
            let lost = firstError?.with(kind: .connectionLost(maybeExecuted: true))
                ?? .capture(kind, operation: operation, connection: conn, result: nil, sent: true, file: file, line: line)
            throw lost
        }
        if let firstError { throw firstError }
        return (last, false)
    }

    /// Reads and discards everything pending, including a COPY in progress, so the
    /// connection is ready for the next command. Errors here are already reported.
    func drain(_ conn: OpaquePointer) {
        while let raw = PQgetResult(conn) {
            let result = ResultHandle(raw)
            leaveCopyState(conn, result.status)
        }
    }

    private func leaveCopyState(_ conn: OpaquePointer, _ status: ExecStatusType) {
        if status == PGRES_COPY_IN || status == PGRES_COPY_BOTH {
            _ = PQputCopyEnd(conn, "COPY aborted by the client")
        }
        if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(conn, &buffer, 0) > 0 {
                PQfreemem(buffer)
                buffer = nil
            }
        }
    }

    // MARK: - LISTEN / NOTIFY (see Notifications.swift)

    /// The watch registered on this connection, if any.
    var currentWatch: NotificationWatch? { lock.withLock { watch } }

    func withWatchSlot<T>(_ body: (inout NotificationWatch?, OpaquePointer) throws(PostgresError) -> T) throws(PostgresError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&watch, open())
    }

    func clearWatch(_ w: NotificationWatch) {
        lock.withLock { if watch === w { watch = nil } }
    }
}

/// `strdup`s each string into a NULL-terminated array valid only inside `body`.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    withOptionalCStringArray(strings.map { Optional($0) }, body)
}

/// Like `withCStringArray`, nil entries staying NULL (SQL NULL binds); a NULL entry also ends the array.
func withOptionalCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}
