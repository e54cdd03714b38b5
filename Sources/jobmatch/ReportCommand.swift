import App
import ArgumentParser
import Foundation
import Render
import Store

/// `jobmatch report --year Y --output DIR`: a static HTML report with charts
/// (CONTRACT.md §1): `DIR/index.html`, self-contained (inline CSS and SVG, no
/// network resource), with no personal data, so no masking is needed.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Write a static HTML report with charts for a year.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The year.") var year: Int
    @Option(help: "The folder to write index.html into (created if missing).") var output: String

    func validate() throws {
        if !(2000...2100).contains(year) { throw ValidationError("--year \(year): expected a year such as 2024") }
    }

    func run() throws {
        let c = try db.connectMigrated()
        defer { c.close() }
        let html = try ReportHTML.render(Report.data(c, year: year, jurisdiction: Jurisdiction.configured))
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let path = (output as NSString).appendingPathComponent("index.html")
        try OutputFile.write(Array(html.utf8), to: path)
        print(path)
    }
}
