import App
import ArgumentParser
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
            print(try JSONOutput.encode(report))
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

/// JSON for systems: English keys, sorted, money in `_fen` integers, decimals as strings.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}
