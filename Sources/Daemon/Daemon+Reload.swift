// SIGHUP: re-read the configuration; what needs a restart is kept and named.

import Foundation
import Logging

extension Daemon {
    /// On the control queue.
    func reload() {
        do {
            var new = try DaemonConfig.load(file: setup.configFile, environment: setup.environment, flags: setup.flags,
                                            defaultWorkerID: config.workerID)
            var restartOnly: [String] = []
            if new.workerID != config.workerID { restartOnly.append("worker_id"); new.workerID = config.workerID }
            if new.databaseURL != config.databaseURL { restartOnly.append("database_url"); new.databaseURL = config.databaseURL }
            if new.metricsListen != config.metricsListen { restartOnly.append("metrics.listen"); new.metricsListen = config.metricsListen }
            if new.webListen != config.webListen || new.webSecureCookies != config.webSecureCookies || new.webDatabaseUser != config.webDatabaseUser {
                restartOnly.append("web")
                (new.webListen, new.webSecureCookies, new.webDatabaseUser) = (config.webListen, config.webSecureCookies, config.webDatabaseUser)
            }
            if new.logFormat != config.logFormat { restartOnly.append("log_format"); new.logFormat = config.logFormat }
            setup.config = new
            setup.logLevel.value = new.logLevel
            backoff = Backoff(cap: new.reconnectMax)
            if new.scheduleEnabled {
                let jobs = Self.jobs(new)
                if scheduler != nil { scheduler?.replaceJobs(jobs, now: setup.clock.now()) }
            } else {
                scheduler = nil
            }
            armScheduleTimer()
            logger.info("configuration reloaded", metadata: .keyed([
                .configPath: "\(setup.configFile ?? "-")", .count: "\(restartOnly.count)",
                .error: restartOnly.isEmpty ? "" : "changes to \(restartOnly.joined(separator: ", ")) take effect at restart",
            ]))
        } catch {
            logger.warning("configuration reload failed; keeping the previous configuration", metadata: .keyed([
                .configPath: "\(setup.configFile ?? "-")", .error: "\(error)",
            ]))
        }
    }

    static func jobs(_ config: DaemonConfig) -> [ScheduledJob] {
        var jobs: [ScheduledJob] = []
        if let cron = config.nightlyMatch {
            jobs.append(ScheduledJob(name: ScheduledJob.nightlyMatchName, cron: cron, kind: .match(regions: config.regions)))
        }
        if let cron = config.reviewReminder {
            jobs.append(ScheduledJob(name: ScheduledJob.reviewReminderName, cron: cron, kind: .reviewReminder))
        }
        return jobs
    }
}
