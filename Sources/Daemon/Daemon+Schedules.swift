// Scheduled firings: the nightly match enqueues, the review reminder logs.

import Dispatch
import Domain
import Foundation
import Logging
import Postgres
import Store

extension Daemon {
    /// Reads the schedule state and creates the scheduler (once; retried on the next ready).
    func startScheduler(_ c: Connection) {
        guard config.scheduleEnabled && scheduler == nil else { return }
        do {
            let stored = try RequestQueue.lastFirings(c)
            let now = setup.clock.now()
            let jobs = Self.jobs(config)
            for name in Scheduler.baselines(jobs: jobs, stored: stored) {
                _ = try RequestQueue.recordFiring(c, job: name, at: now)
            }
            scheduler = Scheduler(jobs: jobs, timeZone: config.timeZone, lastFired: stored, startedAt: now)
            if let unknown = try? RequestQueue.unknownRegions(c, config.regions), !unknown.isEmpty {
                logger.error("schedule.regions names regions that are not loaded; their scheduled matches will be refused",
                             metadata: .keyed([.region: "\(unknown.joined(separator: ","))"]))
            }
        } catch {
            logger.warning("schedule state could not be read; will retry", metadata: .keyed([.error: "\(error)"]))
        }
    }

    func fireDueSchedules(_ c: Connection) throws {
        guard config.scheduleEnabled, var s = scheduler else { return }
        defer { scheduler = s; armScheduleTimer() }
        for firing in s.due(now: setup.clock.now()) {
            let meta: Logger.Metadata = .keyed([
                .job: "\(firing.job.name)", .scheduledFor: "\(firing.scheduledFor.formatted(.iso8601))", .catchUp: "\(firing.catchUp)",
            ])
            switch firing.job.kind {
            case .match(let regions):
                // An unknown region fails its own firing, recorded and logged; the others run (issue 17).
                let unknown = try RequestQueue.unknownRegions(c, regions)
                for region in unknown {
                    logger.error("scheduled match refused: no region with this code is loaded; fix schedule.regions",
                                 metadata: meta.merging(.keyed([.region: "\(region)"])) { $1 })
                    try Audit.record(c, actor: "schedule:\(config.workerID)", action: "scheduled_match_refused", subject: region,
                                     detail: ["job": firing.job.name, "reason": "unknown_region",
                                              "scheduled_for": firing.scheduledFor.formatted(.iso8601)])
                }
                let ids = try RequestQueue.enqueueScheduled(
                    c, job: firing.job.name, regions: regions, scheduledFor: firing.scheduledFor,
                    runDate: localDate(firing.scheduledFor), requestedBy: "schedule:\(config.workerID)")
                logger.info(firing.catchUp ? "missed scheduled match enqueued" : "scheduled match enqueued",
                            metadata: meta.merging(.keyed([.count: "\(ids.count)"])) { $1 })
            case .reviewReminder:
                if try RequestQueue.recordFiring(c, job: firing.job.name, at: firing.scheduledFor) {
                    logger.notice("the annual quota review is due: run jobmatch review --year for last year", metadata: meta)
                }
            }
            s.fired(firing)
            metrics.recordFiring(job: firing.job.name, at: setup.clock.now())
        }
    }

    func armScheduleTimer() {
        scheduleTimer?.cancel()
        scheduleTimer = nil
        guard lifecycle.isRunning, let next = scheduler?.nextFiring() else { return }
        let delay = max(0, next.timeIntervalSince(setup.clock.now())) + 0.05
        let timer = DispatchSource.makeTimerSource(queue: control)
        timer.setEventHandler { [weak self] in self?.poll() }
        timer.schedule(deadline: .now() + min(delay, 3600))
        timer.activate()
        scheduleTimer = timer
    }

    func localDate(_ date: Date) -> String {
        CivilDate(date, in: config.timeZone).description
    }
}
