// A database session that reopens itself; one per serial queue of the daemon.

import Foundation
import Postgres
import Store

/// The daemon's one notion of "the database went away" (issue 18): bumped when
/// any session is lost, a statement meets a read-only or shutting-down server,
/// or the notification connection drops. Every session opened under an older
/// epoch is closed and reopened on its next use, on its own queue.
final class DatabaseEpoch: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var current: Int { lock.withLock { value } }
    func bump() { lock.withLock { value += 1 } }
}

/// A database session that reopens itself after a failure.
///
/// Thread safety: `@unchecked Sendable`; the connection reference is behind
/// `lock`, and each session is used for statements from one queue only, so
/// `get` never races with itself. `cancelCurrentQuery` may come from anywhere.
final class DatabaseSession: @unchecked Sendable {
    let config: ConnectionConfig
    let onReconnect: @Sendable () -> Void
    let prepare: (Connection) throws -> Void
    let epoch: DatabaseEpoch
    private let lock = NSLock()
    private var connection: Connection?
    private var openedIn = 0
    private var connectedBefore = false

    init(config: ConnectionConfig, epoch: DatabaseEpoch, onReconnect: @escaping @Sendable () -> Void,
         prepare: @escaping (Connection) throws -> Void = { _ in }) {
        // Fail fast when the server is away, and notice a dead server on an idle session.
        // Only a writable server will do: a standby met first in a multi-host URL is skipped.
        self.epoch = epoch
        self.config = config.with("target_session_attrs", "read-write").with("connect_timeout", "5").with("keepalives", "1").with("keepalives_idle", "10")
            .with("keepalives_interval", "5").with("keepalives_count", "3")
        self.onReconnect = onReconnect
        self.prepare = prepare
    }

    /// The open connection, connecting first if there is none or it broke.
    func get() throws -> Connection {
        let now = epoch.current
        if let c = lock.withLock({ openedIn == now ? connection : nil }), c.isConnected { return c }
        discard()
        let c = try Connection.connect(config)
        do { try prepare(c) } catch { c.close(); throw error }
        let reconnected = lock.withLock { () -> Bool in
            connection = c
            openedIn = now
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

    /// Closes the connection whatever its state (on the session's own queue).
    func discard() {
        let old: Connection? = lock.withLock {
            defer { connection = nil }
            return connection
        }
        old?.close()
    }

    func cancelCurrentQuery() {
        lock.withLock { connection }?.cancelCurrentQuery()
    }
}
