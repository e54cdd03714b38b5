import App
import ArgumentParser
import Domain
import Foundation
import Render
import Store

/// `jobmatch export WHAT` (CONTRACT.md §1, §5): CSV for people (UTF-8 BOM,
/// CRLF, Chinese headers unless `--headers en`), JSON for systems.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export proposals, candidates, unmatched, reviews, placements or indicators as CSV, .xlsx or JSON.",
        discussion: """
            proposals, candidates, unmatched: one run (--run, default the latest). reviews, indicators: --year (latest \
            review version per employer). placements: all, or those starting in --year.
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, xlsx }

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "proposals, candidates, unmatched, reviews, placements or indicators.") var what: String
    @Option(name: .customLong("run"), help: "The run (proposals, candidates, unmatched); default the latest.") var runID: Int64?
    @Option(help: "The year (reviews, indicators; a filter for placements).") var year: Int?
    @Option(help: "csv or xlsx (for people) or json (for systems).") var format: Format = .csv
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @Option(help: "CSV header language: zh or en.") var headers: String = "zh"
    @Flag(help: "Print identity numbers and names whole (audited).") var unmasked = false

    func validate() throws {
        guard ExportStore.What(rawValue: what) != nil else {
            throw ValidationError("export \(what): expected one of \(ExportStore.What.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ExportTable.Headers(rawValue: headers) != nil else { throw ValidationError("--headers \(headers): expected zh or en") }
        if let year, !(2000...2100).contains(year) { throw ValidationError("--year \(year): expected a year such as 2024") }
        if ["reviews", "indicators"].contains(what) && year == nil { throw ValidationError("export \(what) needs --year") }
    }

    func run() throws {
        let kind = ExportStore.What(rawValue: what)!
        // Reads; an unmasked output writes its audit record, so that goes to a writable primary (issue 18).
        let table = try WritableRetry.run(db, writes: unmasked) { c in
            let (table, runRead): (ExportTable, Int64?)
            do {
                (table, runRead) = try Export.table(c, kind, run: runID, year: year)
            } catch StoreError.notFound(let what) {
                throw InputRejected(lines: [Messages.notFound(command: "export", what)])
            }
            if unmasked {
                try Audit.record(c, actor: db.resolvedActor, action: "unmasked_output", subject: "export",
                                 detail: ["what": what, "run_id": runRead.map(String.init) ?? "", "year": year.map(String.init) ?? ""])
            }
            return table
        }
        let bytes: [UInt8]
        switch format {
        case .csv: bytes = table.csv(headers: ExportTable.Headers(rawValue: headers)!, unmasked: unmasked)
        case .json: bytes = Array(table.json(unmasked: unmasked).utf8)
        case .xlsx: bytes = table.xlsx(sheetName: what, headers: ExportTable.Headers(rawValue: headers)!, unmasked: unmasked)
        }
        try OutputFile.write(bytes, to: output)
        if let output { Console.error("jobmatch export: \(table.rows.count) rows of \(what) written to \(output)") }
    }
}

/// Standard output or a file written whole (a temporary file renamed into place).
enum OutputFile {
    static func write(_ bytes: [UInt8], to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        try PrivateFile.write(bytes, to: path)  // 0600: exports hold personal data
    }
}
