import CLibPQ
import Dispatch
import Foundation

// LISTEN/NOTIFY. A notification is a wake-up hint, never the truth (STYLE.md §5): it is lost
// when the listening connection drops, and one sent inside a transaction arrives only on
// commit. Listeners must also poll. While a statement runs on the listening connection,
// libpq queues incoming notifications; they are seen by the next `pendingNotifications()`
// or watch event, so a listening connection is best dedicated to listening.

extension Connection {
    /// `LISTEN "channel"` (identifier quoted). Wraps `PQsendQuery` + `PQgetResult`.
    public func listen(_ channel: String, file: String = #fileID, line: Int = #line) throws(PostgresError) {
        try execute(unsafeSQL: "LISTEN \(Query.quoteIdentifier(channel))", file: file, line: line)
    }

    /// `UNLISTEN "channel"`. Wraps `PQsendQuery` + `PQgetResult`.
    public func unlisten(_ channel: String, file: String = #fileID, line: Int = #line) throws(PostgresError) {
        try execute(unsafeSQL: "UNLISTEN \(Query.quoteIdentifier(channel))", file: file, line: line)
    }

    /// `SELECT pg_notify($1, $2)`: channel and payload are binds. Wraps `PQsendQueryParams`.
    public func notify(_ channel: String, payload: String, file: String = #fileID, line: Int = #line) throws(PostgresError) {
        do {
            try query("SELECT pg_notify(\(channel), \(payload))", file: file, line: line)
        } catch {
            throw error.kind == .query ? error.with(kind: .notify) : error
        }
    }

    /// Reads what the server has sent and returns the queued notifications, oldest first.
    /// Wraps `PQconsumeInput` and `PQnotifies` (until NULL). Does not block.
    public func pendingNotifications(file: String = #fileID, line: Int = #line) throws(PostgresError) -> [Notification] {
        try locked { conn throws(PostgresError) in try Self.consumeNotifications(conn, file: file, line: line) }
    }

    static func consumeNotifications(_ conn: OpaquePointer, file: String, line: Int) throws(PostgresError) -> [Notification] {
        // Two reads: one can take the server's last message (a terminated backend's
        // FATAL) and stop before the end of the stream behind it, and the read source
        // may not wake again for that end — the watch would wait forever (seen about
        // once in four runs on a loaded machine). The second read finds the end, or
        // nothing: the socket is non-blocking.
        if PQconsumeInput(conn) == 0 || PQconsumeInput(conn) == 0 || PQstatus(conn) == CONNECTION_BAD {
            throw .capture(.notify, operation: "PQconsumeInput", connection: conn, result: nil, sent: true, file: file, line: line)
        }
        var out: [Notification] = []
        while let n = PQnotifies(conn) {
            out.append(Notification(channel: String(cString: n.pointee.relname), payload: String(cString: n.pointee.extra), pid: n.pointee.be_pid))
            PQfreemem(n)
        }
        return out
    }

    /// Calls `handler` on `queue` with new notifications as soon as the socket is readable:
    /// a read `DispatchSource` on `PQsocket`, then `PQconsumeInput` + `PQnotifies`. No polling.
    ///
    /// One live watch per connection (a cancelled one is replaced). If reading fails (the connection is lost) the watch cancels
    /// itself and calls `onError` on `queue`; reconnecting is the caller's job. `close()` cancels
    /// and `reset()` cancel the watch and wait for Dispatch to let go of the socket (so never call
    /// them on `queue` while a watch is live). The descriptor belongs to libpq, so the
    /// source is always cancelled (and its cancel handler has run) before `PQfinish`.
    public func watchNotifications(
        on queue: DispatchQueue,
        onError: @escaping @Sendable (PostgresError) -> Void = { _ in },
        _ handler: @escaping @Sendable ([Notification]) -> Void,
        file: String = #fileID, line: Int = #line
    ) -> NotificationWatch {
        if let previous = currentWatch {
            precondition(previous.isCancelled, "one live NotificationWatch per connection")
            previous.cancelAndWait()  // outside the lock, see reset()
        }
        // withWatchSlot only throws what its body throws; this body does not.
        let result: Result<NotificationWatch, PostgresError> = Result { () throws(PostgresError) in
            try withWatchSlot { slot, conn throws(PostgresError) in
                precondition(slot?.isCancelled ?? true, "one live NotificationWatch per connection")
                let fd = PQsocket(conn)
                precondition(fd >= 0, "watchNotifications on a connection without a socket")
                let watch = NotificationWatch(fd: fd, queue: queue)
                slot = watch
                watch.source.setEventHandler { [weak self, weak watch] in
                    guard let self, let watch, !watch.isCancelled else { return }
                    let outcome: Result<[Notification], PostgresError> = Result { () throws(PostgresError) in
                        try self.locked { conn throws(PostgresError) in
                            try Connection.consumeNotifications(conn, file: file, line: line)
                        }
                    }
                    switch outcome {
                    case .success(let notifications):
                        if !notifications.isEmpty { handler(notifications) }
                    case .failure(let error):
                        // A dead socket stays readable: stop watching instead of spinning.
                        watch.source.cancel()
                        self.clearWatch(watch)
                        onError(error)
                    }
                }
                watch.source.activate()
                return watch
            }
        }
        return try! result.get()
    }
}

/// A live `watchNotifications` registration.
///
/// `@unchecked Sendable`: its only state is the `DispatchSource` (thread safe) and a
/// `DispatchGroup` that is left exactly once, by the source's cancel handler.
public final class NotificationWatch: @unchecked Sendable {
    let source: any DispatchSourceRead
    private let cancelled = DispatchGroup()
    private let queue: DispatchQueue

    init(fd: Int32, queue: DispatchQueue) {
        self.queue = queue
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        cancelled.enter()
        source.setCancelHandler { [cancelled] in cancelled.leave() }
    }

    /// Stops watching; the handler is not called after this returns (unless it is running now).
    /// Dispatch lets go of the socket shortly after; `close()` and `reset()` wait for that.
    public func cancel() {
        source.cancel()
    }

    /// Whether `cancel()` was called (or the watch stopped itself on an error).
    public var isCancelled: Bool { source.isCancelled }

    /// Cancels and waits until Dispatch has let go of the descriptor. Traps on the watch's queue.
    func cancelAndWait() {
        dispatchPrecondition(condition: .notOnQueue(queue))
        source.cancel()
        cancelled.wait()
    }
}
