// A database session that reopens itself; one per serial queue of the daemon.

import Foundation
import Postgres
import Store

/// A database session that reopens itself after a failure.
///
/// Thread safety: `@unchecked Sendable`; the connection reference is behind
/// `lock`, and each session is used for statements from one queue only, so
/// `get` never races with itself. `cancelCurrentQuery` may come from anywhere.
final class DatabaseSession: @unchecked Sendable {
    let config: ConnectionConfig
    let onReconnect: @Sendable () -> Void
    let prepare: (Connection) throws -> Void
    private let lock = NSLock()
    private var connection: Connection?
    private var connectedBefore = false

    init(config: ConnectionConfig, onReconnect: @escaping @Sendable () -> Void,
         prepare: @escaping (Connection) throws -> Void = { _ in }) {
        // Fail fast when the server is away, and notice a dead server on an idle session.
        self.config = config.with("connect_timeout", "5").with("keepalives", "1").with("keepalives_idle", "10")
            .with("keepalives_interval", "5").with("keepalives_count", "3")
        self.onReconnect = onReconnect
        self.prepare = prepare
    }

    /// The open connection, connecting first if there is none or it broke.
    func get() throws -> Connection {
        if let c = lock.withLock({ connection }), c.isConnected { return c }
        dropIfBroken()
        let c = try Connection.connect(config)
        do { try prepare(c) } catch { c.close(); throw error }
        let reconnected = lock.withLock { () -> Bool in
            connection = c
            defer { connectedBefore = true }
            return connectedBefore
        }
        if reconnected { onReconnect() }
        return c
    }

    /// Closes the connection if libpq says it is broken.
    func dropIfBroken() {
        let broken: Connection? = lock.withLock {
            guard let c = connection, !c.isConnected else { return nil }
            connection = nil
            return c
        }
        broken?.close()
    }

    func cancelCurrentQuery() {
        lock.withLock { connection }?.cancelCurrentQuery()
    }
}
