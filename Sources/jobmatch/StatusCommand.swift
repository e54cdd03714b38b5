import App
import ArgumentParser
import Foundation
import Render
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
        print(StatusMessages.rowsHeader())
        for (kind, _) in StatusReport.tables { print(StatusMessages.rowCount(kind: kind, report.counts[kind] ?? 0)) }
        print(StatusMessages.requestsHeader())
        if report.requests.isEmpty { print(StatusMessages.none()) }
        for r in report.requests {
            print(StatusMessages.request(id: r.id, state: r.state, region: r.regionCode, requestedAt: r.requestedAt, runID: r.runID,
                                         attempts: r.attempts, lastError: r.lastError))
        }
        print(StatusMessages.runsHeader())
        if report.runs.isEmpty { print(StatusMessages.none()) }
        for r in report.runs {
            print(StatusMessages.run(id: r.runID, region: r.regionCode, date: r.runDate, placed: r.placed, seekers: r.seekers, finishedAt: r.finishedAt))
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
