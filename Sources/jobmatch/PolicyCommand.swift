import App
import ArgumentParser
import Domain
import Foundation
import Quota
import Render
import Store

/// `jobmatch policy show`: the parameters in force.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "The policy book.", subcommands: [Show.self, Set.self, Import.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the policy parameters in force on a date for a jurisdiction.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Date (YYYY-MM-DD); default today.") var date: String?
        @Option(help: "Jurisdiction, e.g. CN-41-4103-410307 (Yanshi), CN-41 (Henan), JP, DE.") var jurisdiction: String = Jurisdiction.configured
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let date, CivilDate(iso: date) == nil { throw ValidationError(CommandMessages.badDate("--date", date)) }
        }

        func run() throws {
            let c = try db.connectMigrated()
            defer { c.close() }
            let day = date.flatMap { CivilDate(iso: $0) } ?? Clock.today()
            let inForce = try Policy.inForce(c, jurisdiction: jurisdiction, on: day)
            let rows = inForce.map(\.parameter)
            func inForceID(_ p: PolicyParameter) -> Int64? { inForce.first { $0.parameter == p }?.id }
            func replaced(_ p: PolicyParameter) -> [PolicyStore.StoredRow] { inForce.first { $0.parameter == p }?.replaced ?? [] }
            if json {
                print(JSONValue.array(rows.map {
                    .object(omittingNil: [
                        "parameter_id": inForceID($0).map(JSONValue.integer), "key": .string($0.key), "jurisdiction": .string($0.jurisdiction),
                        "valid_from": .string($0.validFrom.description), "valid_to": $0.validTo.map { .string($0.description) },
                        "value": .string($0.value), "source": .string($0.source), "status": .string($0.status.code),
                        "in_force": .bool(true), "replaces": .array(replaced($0).map { .integer($0.id) }),
                    ])
                }).pretty)
                return
            }
            print(PolicyMessages.inForce(on: day, jurisdiction: jurisdiction, count: rows.count))
            for p in rows {
                print(PolicyMessages.parameter(id: inForceID(p), p))
                print(PolicyMessages.source(p.source))
                for r in replaced(p) { print(PolicyMessages.replaces(id: r.id, r.parameter)) }
            }
        }
    }

    /// `jobmatch policy set KEY VALUE --from D --source S --status ST`: one new dated row.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a dated parameter to the policy book (never edits a row: a correction is a new row).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The parameter's key, e.g. social_average_wage.") var key: String
        @Argument(help: "Its value, e.g. 80000 or 0.016.") var value: String
        @Option(help: "First day in force (YYYY-MM-DD).") var from: String
        @Option(help: "Last day in force (YYYY-MM-DD); default: until replaced.") var until: String?
        @Option(help: "Where the value comes from: the publishing body, document number, or URL.") var source: String
        @Option(help: "verified, secondary or placeholder.") var status: String
        @Option(help: "Jurisdiction, e.g. CN-41 (Henan); default the deployment's.") var jurisdiction: String = Jurisdiction.configured

        func run() throws {
            let p = try PolicyInput.parameter(key: key, value: value, from: from, until: until, source: source,
                                              status: status, jurisdiction: jurisdiction, where: "policy set")
            // One transaction; a repeat finds the same row in force and adds none (issue 18).
            let added = try WritableRetry.run(db) { c in try Policy.add(c, [p], actor: db.resolvedActor) }
            if added[0].alreadyThere {
                print(FailoverMessage.policyAlreadyThere(id: added[0].id, key: p.key).text())
                return
            }
            print(PolicyMessages.added(id: added[0].id, p, replaces: added[0].replacesID))
        }
    }

    /// `jobmatch policy import FILE`: many rows from a CSV in the packs' format.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add dated parameters from a CSV in the policy packs' format (key,jurisdiction,valid_from,valid_to,value,source,status).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The CSV file (UTF-8).") var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputRejected(lines: [PolicyMessages.cannotOpen(file)])
            }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let rows: [PolicyParameter]
            do { rows = try PolicyPacks.parse(csv: text) } catch {
                throw InputRejected(lines: [PolicyMessages.badFile(file, error)])  // typed throws: a PolicyPackError
            }
            for (i, p) in rows.enumerated() {
                // Same rules as `policy set`, line by line (the header is line 1).
                _ = try PolicyInput.parameter(key: p.key, value: p.value, from: p.validFrom.description, until: p.validTo?.description,
                                              source: p.source, status: p.status.code, jurisdiction: p.jurisdiction,
                                              where: PolicyMessages.line(file, i + 2))
            }
            // One transaction; a repeat finds each row in force and adds none (issue 18).
            let added = try WritableRetry.run(db) { c in try Policy.add(c, rows, actor: db.resolvedActor) }.filter { !$0.alreadyThere }
            print(PolicyMessages.imported(file, added: added.count, replacing: added.filter { $0.replacesID != nil }.count))
        }
    }
}

/// Checks a parameter staff give before anything is stored (exit 3 when wrong).
enum PolicyInput {
    static func parameter(key: String, value: String, from: String, until: String?, source: String, status: String,
                          jurisdiction: String, where place: String) throws -> PolicyParameter {
        do {
            return try PolicyParameter.validated(key: key, value: value, from: from, until: until, source: source, status: status,
                                                 jurisdiction: jurisdiction)
        } catch {
            throw InputRejected(lines: error.problems.map { PolicyMessages.refused(place, $0) })
        }
    }
}

/// The deployment's jurisdiction: `JOBMATCH_JURISDICTION`, default Yanshi.
enum Jurisdiction {
    static let yanshi = "CN-41-4103-410307"
    static var configured: String { ProcessInfo.processInfo.environment["JOBMATCH_JURISDICTION"] ?? yanshi }
}

/// Today's date in the center's time zone (Asia/Shanghai unless TZ says otherwise).
enum Clock {
    static func today() -> CivilDate {
        CivilDate(Date(), in: CenterTimeZone.configured)
    }
}
