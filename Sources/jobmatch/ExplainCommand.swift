import App
import ArgumentParser
import Domain
import Foundation
import Render
import Store

/// `jobmatch explain --seeker CERT`: why a seeker got what they got, in plain
/// Chinese, from the stored run (CONTRACT.md §1). Masked unless `--unmasked`.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Why a seeker got what they got in the latest (or --run) run, in plain Chinese.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The seeker's certificate number (残疾人证号).") var seeker: String
    @Option(name: .customLong("run"), help: "The run (default: the latest run that holds the seeker).") var runID: Int64?
    @Flag(help: "Print the name and certificate number whole (audited).") var unmasked = false

    func run() throws {
        // Reads; an unmasked output writes its audit record, so that goes to a writable primary (issue 18).
        let explanation = try WritableRetry.run(db, writes: unmasked) { c in
            let explanation: SeekerExplanation
            do {
                explanation = try Explain.seeker(c, certificate: seeker, runID: runID)
            } catch StoreError.notFound(let what) {
                throw InputRejected(lines: [Messages.notFound(command: "explain", what)])
            }
            if unmasked {
                try Audit.record(c, actor: db.resolvedActor, action: "unmasked_output", subject: "explain",
                                 detail: ["run_id": explanation.run.map { String($0.runID) } ?? "none"])
            }
            return explanation
        }
        print(explanation.chinese(unmasked: unmasked), terminator: "")
    }
}
