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
            let c = try Connection.connect(setup.connection.with("application_name", "jobmatch serve listen"))
            try c.listen(Self.channel)
            listenConnection = c
            listenWatch = c.watchNotifications(on: control, onError: { [weak self] _ in
                // Already on the control queue; the watch has cancelled itself.
                guard let self else { return }
                self.listenWatch = nil
                self.listenConnection?.close()
                self.listenConnection = nil
                self.logger.debug("notification connection lost; polling until it is back")
            }) { [weak self] _ in
                self?.wake()
            }
        } catch {
            // Polling still finds every request; the next poll tries again.
            logger.debug("LISTEN failed; polling only", metadata: .keyed([.error: "\(error)"]))
        }
    }
    /// True when `error` means the database is out of reach (connection lost or
    /// refused, server shutting down), false for a statement it refused.
    public static func isOutage(_ error: any Error) -> Bool {
        if let t = error as? TransactionError {
            return [t.begin, t.commit, t.rollback].contains { $0.map(isOutage) ?? false } || (t.body.map(isOutage) ?? false)
        }
        guard let e = error as? PostgresError else { return true }
        if e.isConnectionFailure { return true }
        if case .connect = e.kind { return true }
        guard let state = e.sqlState else { return true }
        return ["57", "53", "58", "XX"].contains(state.classCode)
    }
}
