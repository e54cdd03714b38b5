import ArgumentParser
import Store

/// `jobmatch migrate`: apply the migrations not yet applied; safe to run twice.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply sql/ migrations not yet applied and seed the policy packs.")
    @OptionGroup var db: DatabaseOptions

    func run() throws {
        // Each migration is applied with its record in one transaction: a repeat applies only
        // what is not yet applied (issue 18).
        let outcome = try WritableRetry.run(db, migrated: false) { c in try Migrator.migrate(c, actor: db.resolvedActor) }
        if outcome.applied.isEmpty {
            print("schema is current at version \(outcome.version); nothing to do")
        } else {
            print("applied migrations \(outcome.applied.map(String.init).joined(separator: ", ")); schema at version \(outcome.version)")
        }
        if outcome.policyRowsSeeded > 0 { print("seeded \(outcome.policyRowsSeeded) policy parameter rows") }
    }
}
