import App
import ArgumentParser
import Domain
import Foundation
import Render
import Store

/// `jobmatch confirm`: proposals become placements after eligibility and slots
/// are checked again (CONTRACT.md §1, §3).
///
/// All-or-nothing by default, like `import`: if any proposal is refused,
/// every refusal is printed (one line each, naming the proposal), nothing is
/// written and the exit status is 3. `--partial` confirms those that pass,
/// prints each refusal to stderr and exits 0. With `--all`, proposals of the
/// run confirmed earlier are skipped, not refused.
struct ConfirmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Turn proposals into placements, after checking eligibility and slots again.",
        discussion: """
            All-or-nothing by default: one refused proposal (already confirmed, from a superseded run, seeker no \
            longer eligible, no slot left) refuses the command, writes nothing and exits 3. --partial confirms \
            what passes and lists the refusals on stderr (exit 0).
            """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Proposal ids (see `match` or `export proposals`).") var proposals: [Int64] = []
    @Option(name: .customLong("run"), help: "The run whose proposals --all confirms.") var runID: Int64?
    @Flag(help: "Confirm every unconfirmed proposal of --run.") var all = false
    @Option(name: .customLong("start-date"), help: "The placements' start date (YYYY-MM-DD); default: the run's date.") var startDate: String?
    @Flag(help: "Confirm what passes; report refusals instead of refusing the command.") var partial = false

    func validate() throws {
        if all && runID == nil { throw ValidationError("--all needs --run ID") }
        if all && !proposals.isEmpty { throw ValidationError("give proposal ids or --run ID --all, not both") }
        if !all && runID != nil { throw ValidationError("--run goes with --all") }
        if !all && proposals.isEmpty { throw ValidationError("give proposal ids, or --run ID --all") }
        if let startDate, CivilDate(iso: startDate) == nil { throw ValidationError("--start-date \(startDate): expected YYYY-MM-DD") }
    }

    func run() throws {
        let selection: Confirm.Selection = all ? .allOfRun(runID!) : .proposals(proposals)
        // One transaction (issue 18). A repeat after an unanswered COMMIT finds the proposals
        // confirmed: with --all they count as confirmed before; named ones are refused as
        // already confirmed, with a note that the earlier try may have done it.
        let outcome = try WritableRetry.run(db) { c in
            do {
                return try Confirm.confirm(c, selection, startDate: startDate.flatMap { CivilDate(iso: $0) }, partial: partial,
                                           jurisdiction: Jurisdiction.configured, actor: db.resolvedActor)
            } catch let refused as Confirm.Refused {
                throw InputRejected(lines: refused.refusals.map { "jobmatch confirm: \($0)" }
                                    + ["jobmatch confirm: nothing confirmed (all-or-nothing; --partial confirms what passes)"])
            } catch StoreError.notFound(let what) {
                throw InputRejected(lines: [Messages.notFound(command: "confirm", what)])
            }
        }
        for p in outcome.confirmed {
            print(SummaryMessages.confirmed(proposal: p.proposalID, run: p.runID, seeker: Masking.identifier(p.certificateKey), opening: "\(p.openingID)", from: "\(p.startDate)"))
        }
        for r in outcome.refused { Console.error("jobmatch confirm: \(r)") }
        if outcome.alreadyConfirmed > 0 { print(SummaryMessages.confirmedBefore(outcome.alreadyConfirmed)) }
        if outcome.confirmed.isEmpty && outcome.refused.isEmpty { print(SummaryMessages.nothingToConfirm()) }
        if partial { Console.error(SummaryMessages.confirmPartial(confirmed: outcome.confirmed.count, refused: outcome.refused.count)) }
    }
}
