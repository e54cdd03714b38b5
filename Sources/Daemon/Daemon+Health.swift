// Health: readiness, outages and reconnects, and the LISTEN session.

import Dispatch
import Foundation
import Logging
import Postgres
import Store

extension Daemon {
    /// Our worker id's previous process is gone (ids are unique per live daemon):
    /// its running requests can go back now instead of waiting for their leases.
    func reapOwnLeftovers(_ c: Connection) {
        if let mine = try? RequestQueue.reap(c, now: setup.clock.now(), maxAttempts: config.maxAttempts, ownedBy: config.workerID),
           !(mine.requeued.isEmpty && mine.failed.isEmpty) {
            logger.warning("requests left running by this worker's previous process were returned", metadata: .keyed([
                .count: "\(mine.requeued.count + mine.failed.count)",
            ]))
        }
    }

    /// On every reconnect: the requests this worker still holds (a run that died with its
    /// connection, a hand-back that could not be written) go back to the queue, their
    /// attempt not counted. Only while no run is in flight (`ClaimLoop`).
    func requeueHeld(_ c: Connection) throws {
        let ids = try RequestQueue.requeueHeld(c, workerID: config.workerID, dueAt: setup.clock.now())
        guard !ids.isEmpty else { return }
        metrics.recordOrphansRequeued(ids.count)
        logger.warning("requests this worker held when the database went away were returned to the queue", metadata: .keyed([
            .count: "\(ids.count)", .requestID: "\(ids.map(String.init).joined(separator: ","))",
        ]))
    }

    /// "The database went away": every session reopens on its next use (the run, lease
    /// and control sessions, LISTEN, and the web's pool).
    func databaseWentAway() {
        epoch.bump()
        controlDB.discard()
        reopenOthers()
    }

    /// The server answers, but is it the primary? A standby, or a primary set read-only,
    /// is an outage: the sessions reopen until a writable one is found.
    func requireWritable(_ c: Connection) throws {
        let row = try c.query("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS ro")[0]
        if try row.bool("ro") { throw ReadOnlyServer() }
    }

    func announceReady(first: Bool) {
        if first {
            let version = (try? controlDB.get()).flatMap { try? Migrator.currentVersion($0) } ?? 0
            logger.info("daemon ready", metadata: .keyed([.schemaVersion: "\(version)", .workerID: "\(config.workerID)"]))
            notifier.ready(status: "serving")
        } else {
            logger.info("database connection restored")
            notifier.status("serving")
        }
    }

    /// A database step failed: classify it for the claim loop.
    func databaseTrouble(_ error: any Error) {
        controlDB.dropIfBroken()
        lastDatabaseError = error
        // A statement the database refused (a constraint, a bad value) is not an
        // outage: the daemon stays ready and tries again later (issue 17).
        let failure: ClaimLoop.Failure = error is StoreError || error is MigrationError ? .schema
            : Self.isOutage(error) ? .outage : .statement
        if failure == .outage { databaseWentAway() }
        perform(loop.databaseFailed(failure))
    }

    func reportOutage(schema: Bool, wasHealthy: Bool) {
        let error = lastDatabaseError.map { "\($0)" } ?? ""
        if wasHealthy || backoff.attempt == 1 {
            if schema {
                logger.error("database schema is not the one this jobmatch needs; run jobmatch migrate", metadata: .keyed([
                    .error: "\(error)", .delaySeconds: "\(lastBackoffDelay.secondsDouble)",
                ]))
            } else {
                logger.warning("database unavailable; retrying", metadata: .keyed([
                    .error: "\(error)", .delaySeconds: "\(lastBackoffDelay.secondsDouble)",
                ]))
            }
        }
        if wasHealthy { notifier.status("database unavailable; retrying") }
    }

    func dropListen() {
        if let watch = listenWatch, let connection = listenConnection {
            watch.cancel()
            listenWatch = nil
            listenConnection = nil
            // close() waits for the watch's cancel handler, which runs on this (control)
            // queue: close from elsewhere, or it would wait on itself.
            DispatchQueue.global().async { connection.close() }
        }
    }

    func ensureListening() {
        guard listenWatch == nil else { return }
        do {
            let c = try Connection.connect(setup.connection.with("application_name", "jobmatch serve listen")
                .with("target_session_attrs", "read-write"))
            try c.listen(Self.channel)
            listenConnection = c
            listenWatch = c.watchNotifications(on: control, onError: { [weak self] _ in
                // Already on the control queue; the watch has cancelled itself.
                guard let self else { return }
                self.listenWatch = nil
                self.listenConnection?.close()
                self.listenConnection = nil
                // The notification connection dropping is the database going away (issue 18):
                // every session reopens and readiness is checked again, now.
                self.logger.info("notification connection lost; reconnecting every session")
                self.databaseTrouble(NotificationConnectionLost())
            }) { [weak self] _ in
                self?.wake()
            }
        } catch {
            // Polling still finds every request; the next poll tries again.
            logger.debug("LISTEN failed; polling only", metadata: .keyed([.error: "\(error)"]))
        }
    }
    /// True when `error` says the connection itself is gone or unusable (lost, refused,
    /// a read-only or shutting-down server): what a run that fails this way is handed
    /// back for, without spending an attempt. Stricter than `isOutage`: an error that is
    /// not PostgreSQL's (the executor's own) is never a connection loss.
    public static func isConnectionLoss(_ error: any Error) -> Bool {
        error is ReadOnlyServer || Postgres.isDatabaseAway(error)
    }

    /// True when `error` means the database is out of reach (connection lost or
    /// refused, server shutting down), false for a statement it refused.
    public static func isOutage(_ error: any Error) -> Bool {
        if error is ReadOnlyServer || error is NotificationConnectionLost { return true }
        if let t = error as? TransactionError {
            return [t.begin, t.commit, t.rollback].contains { $0.map(isOutage) ?? false } || (t.body.map(isOutage) ?? false)
        }
        guard let e = error as? PostgresError else { return true }
        if e.isConnectionFailure { return true }
        if case .connect = e.kind { return true }
        guard let state = e.sqlState else { return true }
        // 25006: the server is read-only (a standby, or a primary being demoted).
        if state.code == "25006" { return true }
        return ["08", "57", "53", "58", "XX"].contains(state.classCode)
    }
}

/// The server reached is a standby or read-only (issue 18): not ready until a writable one is.
struct ReadOnlyServer: Error, CustomStringConvertible {
    var description: String { "the database server is read-only (a standby?); looking for the primary" }
}

/// The LISTEN connection dropped.
struct NotificationConnectionLost: Error, CustomStringConvertible {
    var description: String { "the notification connection was lost" }
}
