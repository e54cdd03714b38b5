import App
import ArgumentParser
import Store

/// `jobmatch prune --older-than DAYS`: retention of operational data (issue 7).
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete old operational data: superseded matching runs and finished requests (audited).",
        discussion: """
            Runs superseded by a later run of their region and finished longer ago than --older-than \
            go, with their proposals, candidates and unmatched rows — unless one of their proposals was \
            confirmed. Seekers, placements, reviews and the policy book are kept. Audit records are pruned \
            only with --audit-older-than, never younger than \(Retention.auditMinimumDays) days (6 months).
            """)

    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("older-than"), help: "Age in days of the operational data to delete.") var olderThan: Int
    @Option(name: .customLong("audit-older-than"), help: "Also delete audit records older than this many days (at least \(Retention.auditMinimumDays)).")
    var auditOlderThan: Int?

    func validate() throws {
        if olderThan < 0 { throw ValidationError(Retention.RefusedError.negativeAge(days: olderThan).description) }
        if let auditOlderThan, auditOlderThan < Retention.auditMinimumDays {
            throw ValidationError(Retention.RefusedError.auditTooYoung(days: auditOlderThan).description)
        }
    }

    func run() throws {
        // One transaction; a repeat finds nothing more to delete and says so (issue 18).
        let o = try WritableRetry.run(db) { c in
            try Prune.run(c, olderThanDays: olderThan, auditOlderThanDays: auditOlderThan, actor: db.resolvedActor)
        }
        print("pruned \(o.runs) superseded runs (\(o.proposals) proposals, \(o.candidates) candidates, \(o.unmatched) unmatched), "
              + "\(o.requests) finished requests" + (auditOlderThan.map { ", \(o.auditRecords) audit records older than \($0) days" } ?? ""))
    }
}
