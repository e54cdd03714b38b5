import App
import ArgumentParser
import Domain
import Foundation
import Store

/// `jobmatch status`: recent runs, the request queue and row counts per kind.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Recent runs, the request queue and row counts per kind.")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Print JSON for systems.") var json = false
    @Option(help: "Requests and runs listed per page.") var limit = 20
    @Option(help: "Requests older than this id (the previous page's requests_next_before).") var before: Int64?

    func run() throws {
        let c = try db.connectMigrated()
        defer { c.close() }
        let report = try Status.report(c, limit: max(1, min(limit, 1000)), before: before)
        if json {
            print(StatusJSON.value(report).pretty)
            return
        }
        print("rows:")
        for (kind, _) in StatusReport.tables { print("  \(kind.padding(toLength: 15, withPad: " ", startingAt: 0)) \(report.counts[kind] ?? 0)") }
        print("requests (newest first):")
        if report.requests.isEmpty { print("  none") }
        for r in report.requests {
            print("  #\(r.id) \(r.state) region \(r.regionCode) requested \(r.requestedAt)\(r.runID.map { " run \($0)" } ?? "")"
                  + (r.attempts > 1 ? " attempts \(r.attempts)" : "") + (r.lastError.map { " last error: \($0)" } ?? ""))
        }
        print("runs (newest first):")
        if report.runs.isEmpty { print("  none") }
        for r in report.runs {
            print("  run \(r.runID) region \(r.regionCode) date \(r.runDate): \(r.placed) proposals for \(r.seekers) seekers, finished \(r.finishedAt)")
        }
    }
}

/// `status --json` (CONTRACT.md §1): `counts` by import KIND, `requests`, `runs`
/// and `requests_next_before`; a nil field is left out.
enum StatusJSON {
    static func value(_ r: StatusReport) -> JSONValue {
        .object(omittingNil: [
            "counts": .object(r.counts.map { JSONValue.Member($0.key, .integer($0.value)) }),
            "requests": .array(r.requests.map { q in
                .object(omittingNil: [
                    "id": .integer(q.id), "state": .string(q.state), "region_code": .string(q.regionCode),
                    "run_id": q.runID.map(JSONValue.integer), "requested_at": .string(q.requestedAt),
                    "attempts": .integer(q.attempts), "last_error": q.lastError.map(JSONValue.string),
                    "claimed_by": q.claimedBy.map(JSONValue.string), "claimed_at": q.claimedAt.map(JSONValue.string),
                    "due_at": q.dueAt.map(JSONValue.string), "lease_until": q.leaseUntil.map(JSONValue.string),
                    "finished_at": q.finishedAt.map(JSONValue.string),
                ])
            }),
            "runs": .array(r.runs.map { run in
                .object(["run_id": .integer(run.runID), "region_code": .string(run.regionCode), "date": .string(run.runDate),
                         "finished_at": .string(run.finishedAt), "seekers": .integer(run.seekers), "placed": .integer(run.placed)])
            }),
            "requests_next_before": r.requestsNextBefore.map(JSONValue.integer),
        ])
    }
}
