import App
import ArgumentParser
import Domain
import Foundation
import Quota
import Store

/// `jobmatch followup …`: follow-up of placed people at the policy's offsets
/// (1, 3 and 6 months by default; CONTRACT.md §1, issue 16).
struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup", abstract: "Follow-up of placed people: what is due, what staff found, retention.",
        subcommands: [FollowUpDueCommand.self, FollowUpRecordCommand.self, FollowUpRetentionCommand.self])
}

struct FollowUpDueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "due", abstract: "Follow-ups due or overdue, by town.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "As of this day, YYYY-MM-DD (default: today).") var date: String?
    @Option(help: "Also list those due within this many days after --date.") var within = 0
    @Flag(help: "Print JSON for systems.") var json = false
    @Flag(help: "Print identity numbers whole (audited).") var unmasked = false

    func validate() throws {
        if let date, CivilDate(iso: date) == nil { throw ValidationError(YearText.badDate("--date", date)) }
        if within < 0 { throw ValidationError("--within \(within): expected 0 or more days") }
    }

    func run() throws {
        let day = date.flatMap { CivilDate(iso: $0) } ?? Clock.today()
        // Reads; an unmasked output writes its audit record, so that goes to a writable primary (issue 18).
        let due = try WritableRetry.run(db, writes: unmasked) { c in
            let due = try FollowUp.due(c, date: day, within: within, jurisdiction: Jurisdiction.configured)
            if unmasked {
                try Audit.record(c, actor: db.resolvedActor, action: "unmasked_output", subject: "followup_due", detail: ["date": day.description])
            }
            return due
        }
        func cert(_ s: String) -> String { unmasked ? s : Masking.identifier(s) }
        if json {
            print(JSONValue.array(due.map { d in
                .object(["placement_id": .integer(d.placementID), "certificate_no": .string(cert(d.certificateNo)), "town_code": .string(d.townCode),
                         "opening_id": .string(d.openingID), "opening_kind": .string(d.openingKind), "start_date": .string(d.startDate.description),
                         "due_on": .string(d.dueOn.description), "offset_months": .integer(d.offsetMonths), "overdue": .bool(d.overdue)])
            }).pretty)
            return
        }
        print(YearText.dueHeader(day, count: due.count, overdue: due.filter(\.overdue).count))
        var town = ""
        for d in due {
            if d.townCode != town { town = d.townCode; print("镇街 \(town)：") }
            print("  安置 \(d.placementID) \(cert(d.certificateNo)) \(d.openingID)（\(YearText.kindLabel(d.openingKind))）"
                  + " 第 \(d.offsetMonths) 个月回访 \(d.dueOn)\(d.overdue ? " 逾期" : "")")
        }
    }
}

struct FollowUpRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "Record a follow-up; --outcome left ends the placement.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The placement (placement_id, as `followup due` lists it).") var placement: Int64
    @Option(help: "The day of the follow-up, YYYY-MM-DD.") var date: String
    @Option(help: "in_work, left or unreachable (在岗、已离岗、无法联系).") var outcome: String
    @Option(help: "Why (e.g. why the person left).") var reason: String?
    @Option(help: "A note.") var note: String?

    func validate() throws {
        if CivilDate(iso: date) == nil { throw ValidationError(YearText.badDate("--date", date)) }
    }

    func run() throws {
        guard let result = FollowUpOutcome(codeOrLabel: outcome) else {
            throw InputRejected(lines: ["jobmatch followup: " + YearText.badOutcome(outcome)])
        }
        // One transaction; a repeat finds the same visit recorded and records nothing more (issue 18).
        let r = try WritableRetry.run(db) { c in
            do {
                return try FollowUp.record(c, placementID: placement, date: CivilDate(iso: date)!, outcome: result, reason: reason,
                                           note: note, jurisdiction: Jurisdiction.configured, actor: db.resolvedActor)
            } catch let r as FollowUp.Refused {
                throw InputRejected(lines: ["jobmatch followup: " + YearText.refusal(r)])
            }
        }
        print(YearText.recorded(r, placement: placement, outcome: result))
    }
}

struct FollowUpRetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Retention at 3 and 6 months by kind of opening.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "As of this day, YYYY-MM-DD (default: today).") var date: String?
    @Flag(help: "Print JSON for systems.") var json = false

    func run() throws {
        let c = try db.connectMigrated()
        defer { c.close() }
        let day = date.flatMap { CivilDate(iso: $0) } ?? Clock.today()
        let rows = try FollowUp.retention(c, date: day)
        if json {
            print(JSONValue.array(rows.map {
                .object(["opening_kind": .string($0.kind), "months": .integer($0.months), "eligible": .integer($0.eligible), "retained": .integer($0.retained)])
            }).pretty)
            return
        }
        for r in rows {
            print("\(YearText.kindLabel(r.kind)) \(r.months) 个月在岗：\(r.retained)/\(r.eligible)")
        }
    }
}
