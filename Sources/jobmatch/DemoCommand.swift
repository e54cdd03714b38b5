import App
import ArgumentParser
import Daemon
import Domain
import Foundation
import Intake
import Matching
import Postgres
import Quota
import Render
import Store

/// `jobmatch demo`: a short tour on the embedded cluster and the example district.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Start the embedded database, load the example district, run matching and the quota review, and show what happened.")
    @OptionGroup var db: DatabaseOptions

    func run() throws {
        print("jobmatch demo — the synthetic Yanshi district (偃师区), no real person's data\n")
        let c = try db.connect()
        defer { c.close() }
        let outcome = try Migrator.migrate(c, actor: db.resolvedActor)
        print("1. database: schema at version \(outcome.version)\(outcome.applied.isEmpty ? "" : " (applied \(outcome.applied.count) migrations)")")

        print("2. loading the example district in the order references need:")
        for file in ExampleDistrict.files {
            var chunks = [file.bytes][...]
            let r = try ImportService.run(c, kind: file.kind, fileName: file.name, partial: false,
                                          today: CivilDate(iso: ExampleDistrict.runDate)!, actor: db.resolvedActor,
                                          chunks: { chunks.popFirst() })
            print("   \(file.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(r.accepted) rows (\(r.inserted) new, \(r.updated) changed, \(r.unchanged) unchanged)")
        }

        let region = try MatchRunner.defaultRegion(c)
        let date = CivilDate(iso: ExampleDistrict.runDate)!
        let (run, runID) = try MatchRunner.runAndWrite(c, .init(region: region, date: date, jurisdiction: Jurisdiction.configured, actor: db.resolvedActor))
        let o = run.plan.objective
        print("\n3. matching run \(runID) for \(region) on \(date): \(run.problem.seekers.count) seekers, \(run.problem.openings.count) openings, \(run.problem.pairCount) eligible pairs")
        print("   objective, in priority order: zero-employment households reached \(o.households); priority seekers placed \(o.priority); proposals \(o.placed); total score \(o.score)")
        print("   solved in \(String(format: "%.3f", run.timings["solve"] ?? 0)) s; the optimum is proven by the solver's dual prices")
        print("   a few proposals (identities masked):")
        for p in run.plan.proposals.prefix(4) {
            print("   - \(Masking.identifier(p.certificateKey)) → \(p.openingID), score \(p.score.total): \(p.reasons.prefix(3).map(\.chinese).joined(separator: "；"))")
        }
        if let u = run.plan.unmatched.first(where: { $0.reason.code == "no_eligible_opening" }) ?? run.plan.unmatched.first {
            print("\n4. one seeker left unmatched, explained (`jobmatch explain --seeker CERT`):")
            for line in run.plan.explainChinese(seeker: u.certificateKey).split(separator: "\n") { print("   \(line)") }
        }

        let year = ExampleDistrict.reviewYear
        let reviews = try Review.review(c, year: year, jurisdiction: Jurisdiction.configured, actor: db.resolvedActor).map(\.review)
        print("\n5. quota review \(year) (levy payable \(year + 1)), three employers of \(reviews.count):")
        let levy = reviews.filter { ($0.levy?.value ?? 0) > 0 }.max { ($0.levy?.value ?? 0) < ($1.levy?.value ?? 0) }
        let exempt = reviews.first { $0.exempt == true }
        let reward = reviews.first { ($0.reward?.value ?? 0) > 0 }
        for (label, r) in [("levy", levy), ("exemption", exempt), ("reward", reward)] {
            guard let r else { continue }
            print("   \(label): \(r.creditCode.value) \(r.employerName) — N \(r.employees?.decimalString(places: 2) ?? "-"), required \(r.required?.decimalString(places: 2) ?? "-"), counted \(r.counted?.decimalString(places: 2) ?? "-"), levy \(r.levy?.grouped ?? "-"), reward \(r.reward?.grouped ?? "-")\(r.placeholderFigures.isEmpty ? "" : " ⚠ rests on a placeholder")")
        }
        let out = try DemoOutput.write(c, runID: runID, reviewYear: year, reportYear: date.year)
        print("\n6. exports and the report (identities masked), in \(out.folder):")
        for f in out.files { print("   \(f)") }
        print("   open \(out.folder)/report/index.html in a browser; `jobmatch export WHAT` and `jobmatch report` make more")
        print("\nNext: `jobmatch review --year \(year) --employer \(levy?.creditCode.value ?? "CODE")` prints a worksheet; `jobmatch status` shows runs and counts.")
    }
}

/// Where `demo` writes its exports and report: `$JOBMATCH_HOME/demo-output`
/// with the embedded cluster, else `./jobmatch-demo`.
enum DemoOutput {
    static func write(_ c: Connection, runID: Int64, reviewYear: Int, reportYear: Int) throws -> (folder: String, files: [String]) {
        let embedded = DatabaseLocator(option: nil).url == nil && ProcessInfo.processInfo.environment["PGHOST"] == nil
        let folder = embedded ? (DatabaseLocator.home() as NSString).appendingPathComponent("demo-output") : "jobmatch-demo"
        try FileManager.default.createDirectory(atPath: folder + "/report", withIntermediateDirectories: true)
        var files: [String] = []
        func save(_ name: String, _ bytes: [UInt8]) throws {
            try OutputFile.write(bytes, to: (folder as NSString).appendingPathComponent(name))
            files.append(name)
        }
        let proposals = try Export.table(c, .proposals, run: runID, year: nil).table
        try save("proposals-run\(runID).csv", proposals.csv(headers: .zh, unmasked: false))
        let reviews = try Export.table(c, .reviews, run: nil, year: reviewYear).table
        try save("reviews-\(reviewYear).csv", reviews.csv(headers: .zh, unmasked: false))
        let indicators = try Export.table(c, .indicators, run: nil, year: reportYear).table
        try save("indicators-\(reportYear).csv", indicators.csv(headers: .zh, unmasked: false))
        try save("indicators-\(reportYear).json", Array(indicators.json(unmasked: false).utf8))
        try save("report/index.html", Array(try ReportHTML.render(Report.data(c, year: reportYear, jurisdiction: Jurisdiction.configured)).utf8))
        return (folder, files)
    }
}
