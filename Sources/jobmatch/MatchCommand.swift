import App
import ArgumentParser
import Daemon
import Domain
import Foundation
import Matching
import Postgres
import Render
import Store

/// `jobmatch match`: one matching run now (CONTRACT.md §1, §4).
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "match", abstract: "Run matching now and print the proposals (or --enqueue a request for the daemon).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Region (district) code; default: the only top-level region loaded.") var region: String?
    @Option(help: "The run's date (YYYY-MM-DD); default today.") var date: String?
    @Flag(name: .customLong("dry-run"), help: "Compute and print, write nothing.") var dryRun = false
    @Flag(help: "Print JSON for systems.") var json = false
    @Flag(help: "Print identity numbers whole (audited).") var unmasked = false
    @Flag(help: "Ask the daemon for a run instead, and print the request's id.") var enqueue = false
    @Option(name: .customLong("idempotency-key"), help: "With --enqueue: the same key never makes a second request (default: a new one per call).")
    var idempotencyKey: String?

    func validate() throws {
        if let date, CivilDate(iso: date) == nil { throw ValidationError("--date \(date): expected YYYY-MM-DD") }
        if enqueue && dryRun { throw ValidationError("--enqueue and --dry-run do not go together") }
    }

    func run() throws {
        if enqueue {
            // Through a failover (issue 18): retried until a primary is writable, under one key.
            let key = idempotencyKey ?? UUID().uuidString
            let id = try WritableRetry.run(db) { c in
                let region = try self.region ?? MatchRunner.defaultRegion(c)
                return try MatchRunner.enqueue(c, region: region, date: date, actor: db.resolvedActor, idempotencyKey: key)
            }
            print(id)
            return
        }
        // A run writes in one transaction; a repeat after an unanswered COMMIT makes a second,
        // identical run that supersedes the first (issue 18).
        let (run, runID, proposalIDs, region, day) = try WritableRetry.run(db, writes: !dryRun || unmasked) { c in
            let region = try self.region ?? MatchRunner.defaultRegion(c)
            let day = date.flatMap { CivilDate(iso: $0) } ?? Clock.today()
            let request = MatchRunner.Request(region: region, date: day, jurisdiction: Jurisdiction.configured, actor: db.resolvedActor)
            let run: ComputedRun
            var runID: Int64?
            var proposalIDs: [String: Int64] = [:]
            if dryRun {
                run = try MatchRunner.compute(c, request)
            } else {
                let (written, id) = try MatchRunner.runAndWrite(c, request)
                run = written
                runID = id
                proposalIDs = try MatchRunner.proposalIDs(c, runID: id)
            }
            if unmasked {
                try Audit.record(c, actor: db.resolvedActor, action: "unmasked_output", subject: "match",
                                 detail: ["run_id": runID.map(String.init) ?? "dry-run", "region": region])
            }
            return (run, runID, proposalIDs, region, day)
        }
        let show: (String) -> String = unmasked ? { $0 } : { Masking.identifier($0) }
        if json {
            print(MatchJSON.value(run: run, runID: runID, proposalIDs: proposalIDs, show: show).pretty)
            return
        }
        let o = run.plan.objective
        print(SummaryMessages.matchRun(runID, region: region, day: "\(day)"))
        print(SummaryMessages.matchObjective(households: o.households, priority: o.priority, placed: o.placed, score: o.score))
        print(SummaryMessages.matchSize(seekers: run.problem.seekers.count, openings: run.problem.openings.count, pairs: run.problem.pairCount))
        let phases = ["snapshot", "build", "solve", "explain", "write"].compactMap { k in run.timings[k].map { String(format: "%@ %.2f s", k, $0) } }
        let pairs = run.timings["pairs"].map { String(format: " (pairs copied alongside solve and explain: %.2f s)", $0) } ?? ""
        let total = run.timings["total"].map { String(format: "; total %.2f s", $0) } ?? ""
        print("  time: " + phases.joined(separator: ", ") + pairs + total)
        for p in run.plan.proposals {
            let reasons = p.reasons.map(\.chinese).joined(separator: "；")
            print("  \(proposalIDs[p.certificateKey].map { "#\($0) " } ?? "")\(show(p.certificateKey)) → \(p.openingID)  score \(p.score.total)  \(reasons)")
        }
        let noOpening = run.plan.unmatched.filter { $0.reason.code == "no_eligible_opening" }.count
        print(SummaryMessages.matchUnmatched(run.plan.unmatched.count, noOpening: noOpening))
    }
}

/// `match --json` (CONTRACT.md §4).
enum MatchJSON {
    static func value(run: ComputedRun, runID: Int64?, proposalIDs: [String: Int64], show: (String) -> String) -> JSONValue {
        let o = run.plan.objective
        return .object(omittingNil: [
            "run_id": runID.map(JSONValue.integer),
            "date": .string(run.date.description),
            "region": .string(run.regionCode),
            "objective": .object(["households": .integer(o.households), "priority": .integer(o.priority),
                                  "placed": .integer(o.placed), "score": .integer(o.score)]),
            "proposals": .array(run.plan.proposals.map { p in
                .object(omittingNil: [
                    "proposal_id": proposalIDs[p.certificateKey].map(JSONValue.integer),
                    "certificate_no": .string(show(p.certificateKey)),
                    "opening_id": .string(p.openingID.value),
                    "score": .integer(p.score.total),
                    "score_parts": .array(p.score.parts.map {
                        .object(["code": .string($0.code), "label": .string($0.label), "points": .integer($0.points),
                                 "maximum": .integer($0.maximum), "detail": .string($0.detail)])
                    }),
                    "reasons": .array(p.reasons.map { .object(["code": .string($0.code), "text": .string($0.chinese)]) }),
                    "tiers": .strings(p.tiers.map(\.code)),
                ])
            }),
            "unmatched": .array(run.plan.unmatched.map {
                .object(["certificate_no": .string(show($0.certificateKey)), "reason": .string($0.reason.code), "detail": .string($0.detail)])
            }),
        ])
    }
}
