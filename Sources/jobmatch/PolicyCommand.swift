import ArgumentParser
import Domain
import Foundation
import Store

/// `jobmatch policy show`: the parameters in force.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "The policy book.", subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the policy parameters in force on a date for a jurisdiction.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Date (YYYY-MM-DD); default today.") var date: String?
        @Option(help: "Jurisdiction, e.g. CN-41-4103-410307 (Yanshi), CN-41 (Henan), JP, DE.") var jurisdiction: String = Jurisdiction.configured
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let date, CivilDate(iso: date) == nil { throw ValidationError("--date \(date): expected YYYY-MM-DD") }
        }

        func run() throws {
            let c = try db.connectMigrated()
            defer { c.close() }
            let day = date.flatMap { CivilDate(iso: $0) } ?? Clock.today()
            let (book, _) = try PolicyStore.load(c)
            let rows = book.inForce(jurisdiction: jurisdiction, on: day)
            if json {
                struct Item: Encodable { let key, jurisdiction, valid_from: String; let valid_to: String?; let value, source, status: String }
                print(try JSONOutput.encode(rows.map {
                    Item(key: $0.key, jurisdiction: $0.jurisdiction, valid_from: $0.validFrom.description,
                         valid_to: $0.validTo?.description, value: $0.value, source: $0.source, status: $0.status.code)
                }))
                return
            }
            print("policy in force on \(day) for \(jurisdiction): \(rows.count) parameters")
            for p in rows {
                let mark = p.status == .placeholder ? "  ⚠ placeholder" : ""
                print("\(p.key) = \(p.value)   [\(p.jurisdiction), from \(p.validFrom)\(p.validTo.map { " to \($0)" } ?? ""), \(p.status.code)]\(mark)")
                print("    source: \(p.source)")
            }
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
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = CenterTimeZone.configured
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
