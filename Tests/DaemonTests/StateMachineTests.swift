// Pure decisions with plain dates and durations: cron, the scheduler, the
// lifecycle and backoff. No clock, no sleeps, no database.

import Daemon
import Foundation
import Testing

let shanghai = TimeZone(identifier: "Asia/Shanghai")!

/// `2025-03-01T02:00:00+08:00`-style literals.
func at(_ iso: String) -> Date { try! Date(iso, strategy: .iso8601) }

@Suite struct CronTests {
    @Test(arguments: zip(
        ["0 2 * * *", "*/15 * * * *", "0 9 1 3 *", "30 8 * * mon-fri", "0 0 1,15 * *", "5 4 * * 7", "0 22 * jan,feb sun"],
        [
            ("2025-03-01T01:59:58+08:00", "2025-03-01T02:00:00+08:00"),
            ("2025-03-01T10:07:00+08:00", "2025-03-01T10:15:00+08:00"),
            ("2025-03-01T09:00:00+08:00", "2026-03-01T09:00:00+08:00"),
            ("2025-03-01T12:00:00+08:00", "2025-03-03T08:30:00+08:00"),  // 1 March 2025 is a Saturday
            ("2025-03-01T00:00:00+08:00", "2025-03-15T00:00:00+08:00"),
            ("2025-03-01T00:00:00+08:00", "2025-03-02T04:05:00+08:00"),
            ("2025-03-01T00:00:00+08:00", "2026-01-04T22:00:00+08:00"),
        ]))
    func nextFiringInShanghai(expression: String, times: (String, String)) throws {
        let cron = try CronExpression(expression)
        #expect(cron.next(after: at(times.0), in: shanghai) == at(times.1))
    }

    @Test func theSameExpressionFiresAtTheZonesWallClockTime() throws {
        let cron = try CronExpression("0 2 * * *")
        let utc = TimeZone(identifier: "UTC")!
        #expect(cron.next(after: at("2025-03-01T00:00:00Z"), in: utc) == at("2025-03-01T02:00:00Z"))
        #expect(cron.next(after: at("2025-03-01T00:00:00Z"), in: shanghai) == at("2025-03-01T18:00:00Z"))
        // Europe/Berlin skips 02:00 on 30 March 2025 (DST): that day has no firing.
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(cron.next(after: at("2025-03-29T03:00:00+01:00"), in: berlin) == at("2025-03-31T02:00:00+02:00"))
    }

    @Test func whenBothDayFieldsAreRestrictedEitherMatches() throws {
        // The 13th, or any Friday.
        let cron = try CronExpression("0 0 13 * 5")
        #expect(cron.next(after: at("2025-03-01T00:00:00+08:00"), in: shanghai) == at("2025-03-07T00:00:00+08:00"))
        #expect(cron.next(after: at("2025-03-08T00:00:00+08:00"), in: shanghai) == at("2025-03-13T00:00:00+08:00"))
    }

    @Test func latestFindsOnlyTheMostRecentMissedFiring() throws {
        let cron = try CronExpression("0 2 * * *")
        #expect(cron.latest(atOrBefore: at("2025-03-01T10:00:00+08:00"), after: at("2025-02-26T02:00:00+08:00"), in: shanghai)
                == at("2025-03-01T02:00:00+08:00"))
        #expect(cron.latest(atOrBefore: at("2025-03-01T01:00:00+08:00"), after: at("2025-02-28T02:00:00+08:00"), in: shanghai) == nil)
    }

    @Test(arguments: [
        ("0 2 * *", "has 4 fields"),
        ("60 2 * * *", "minute 60 is outside"),
        ("0 24 * * *", "hour 24 is outside"),
        ("0 2 0 * *", "day-of-month 0 is outside"),
        ("0 2 * 13 *", "month 13 is outside"),
        ("0 2 * * 8", "day-of-week 8 is outside"),
        ("*/0 * * * *", "step must be a positive integer"),
        ("5-1 * * * *", "runs backwards"),
        ("x * * * *", "is not a number"),
        ("1,,2 * * * *", "empty list item"),
    ])
    func invalidExpressionsSayWhy(expression: String, reason: String) {
        #expect {
            _ = try CronExpression(expression)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}

@Suite struct SchedulerTests {
    let nightly = ScheduledJob(name: "nightly_match", cron: try! CronExpression("0 2 * * *"), kind: .match(regions: ["R1"]))

    @Test func whenTheDaemonWasDownOverSeveralNightsTheMissedRunIsDueOnce() {
        var s = Scheduler(jobs: [nightly], timeZone: shanghai, lastFired: ["nightly_match": at("2025-02-26T02:00:00+08:00")],
                          startedAt: at("2025-03-01T10:00:00+08:00"))
        let due = s.due(now: at("2025-03-01T10:00:00+08:00"))
        #expect(due.count == 1)
        #expect(due.first?.scheduledFor == at("2025-03-01T02:00:00+08:00"))
        #expect(due.first?.catchUp == true)
        s.fired(due[0])
        #expect(s.due(now: at("2025-03-01T10:00:01+08:00")).isEmpty)
        #expect(s.nextFiring() == at("2025-03-02T02:00:00+08:00"))
    }

    @Test func whenAJobHasNoRecordItStartsFromTheStartWithoutInventingAMissedRun() {
        let s = Scheduler(jobs: [nightly], timeZone: shanghai, lastFired: [:], startedAt: at("2025-03-01T10:00:00+08:00"))
        #expect(Scheduler.baselines(jobs: [nightly], stored: [:]) == ["nightly_match"])
        #expect(s.due(now: at("2025-03-01T10:00:00+08:00")).isEmpty)
        #expect(s.nextFiring() == at("2025-03-02T02:00:00+08:00"))
    }

    @Test func whenAFiringIsNotRecordedItIsDueAgain() {
        let s = Scheduler(jobs: [nightly], timeZone: shanghai, lastFired: [:], startedAt: at("2025-03-01T01:59:58+08:00"))
        #expect(s.due(now: at("2025-03-01T01:59:59+08:00")).isEmpty)
        let first = s.due(now: at("2025-03-01T02:00:00+08:00"))
        #expect(first.map(\.scheduledFor) == [at("2025-03-01T02:00:00+08:00")])
        #expect(first.first?.catchUp == false)
        // The shell failed to persist it (database away): still due a little later.
        #expect(s.due(now: at("2025-03-01T02:00:05+08:00")) == first.map {
            Scheduler.Firing(job: $0.job, scheduledFor: $0.scheduledFor, catchUp: false)
        })
    }

    @Test func whenJobsAreReplacedFiringsAlreadyRecordedAreKept() {
        var s = Scheduler(jobs: [nightly], timeZone: shanghai, lastFired: ["nightly_match": at("2025-03-01T02:00:00+08:00")],
                          startedAt: at("2025-03-01T03:00:00+08:00"))
        let reminder = ScheduledJob(name: "review_reminder", cron: try! CronExpression("0 9 1 3 *"), kind: .reviewReminder)
        s.replaceJobs([nightly, reminder], now: at("2025-03-01T03:00:00+08:00"))
        #expect(s.due(now: at("2025-03-01T08:59:00+08:00")).isEmpty)
        #expect(s.due(now: at("2025-03-01T09:00:00+08:00")).map(\.job.name) == ["review_reminder"])
    }
}

@Suite struct LifecycleTests {
    @Test func whenSIGTERMArrivesWithoutARunTheDaemonExitsZeroAtOnce() {
        var l = Lifecycle()
        #expect(l.signal(SIGTERM, now: .seconds(5), drain: .seconds(20)) == [.stopClaiming, .exit(0)])
    }

    @Test func whenSIGTERMArrivesDuringARunItDrainsThenExitsZeroWhenTheRunEnds() {
        var l = Lifecycle()
        l.runStarted()
        #expect(l.signal(SIGTERM, now: .seconds(5), drain: .seconds(20)) == [.stopClaiming, .armDeadline(.seconds(25))])
        #expect(l.tick(now: .seconds(24)) == [])
        #expect(l.runFinished() == [.exit(0)])
    }

    @Test func whenTheDrainDeadlinePassesTheRunIsAbandonedAndTheDaemonExitsZero() {
        var l = Lifecycle()
        l.runStarted()
        _ = l.signal(SIGINT, now: .seconds(1), drain: .seconds(2))
        #expect(l.tick(now: .seconds(3)) == [.abandonRun, .exit(0)])
    }

    @Test func whenASecondSignalArrivesWhileDrainingTheDaemonExitsAtOnceNonZero() {
        var l = Lifecycle()
        l.runStarted()
        _ = l.signal(SIGTERM, now: .zero, drain: .seconds(20))
        #expect(l.signal(SIGTERM, now: .seconds(1), drain: .seconds(20)) == [.exit(128 + SIGTERM)])
        #expect(l.signal(SIGTERM, now: .seconds(1), drain: .seconds(20)) == [])
    }
}

@Suite struct BackoffTests {
    @Test func delaysDoubleWithinJitterBoundsUpToTheCapAndResetAfterSuccess() {
        var b = Backoff(base: .milliseconds(100), cap: .seconds(2))
        let expectedFull: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                                        .milliseconds(1600), .seconds(2), .seconds(2)]
        for full in expectedFull {
            #expect(b.nextDelay(unit: 0) == full / 2)
        }
        b.reset()
        #expect(b.nextDelay(unit: 0.999_999) <= .milliseconds(100))
        #expect(b.nextDelay(unit: 0.5) == .milliseconds(150))
    }
}
