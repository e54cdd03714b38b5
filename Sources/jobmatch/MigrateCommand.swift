import ArgumentParser
import Render
import Store

/// `jobmatch migrate`: apply the migrations not yet applied; safe to run twice.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply sql/ migrations not yet applied and seed the policy packs.")
    @OptionGroup var db: DatabaseOptions

    func run() throws {
        let connection = try db.connect()
        defer { connection.close() }
        let outcome = try Migrator.migrate(connection, actor: db.resolvedActor)
        if outcome.applied.isEmpty {
            print(CommandMessages.schemaCurrent(outcome.version))
        } else {
            print(CommandMessages.migrated(outcome.applied, version: outcome.version))
        }
        if outcome.policyRowsSeeded > 0 { print(CommandMessages.policySeeded(outcome.policyRowsSeeded)) }
    }
}
