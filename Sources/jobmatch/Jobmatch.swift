// The one executable: parses arguments, calls one function of the modules
// below, prints, and exits with the contract's status (CONTRACT.md §1):
// 0 done; 1 failure at run time; 2 usage error; 3 input rejected.

import ArgumentParser
import Domain
import Foundation
import Postgres
import Render
import Store

@main
struct Jobmatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobmatch",
        abstract: "Placement matching and quota review for a disabled persons' employment service center.",
        discussion: "Global options, before or after the command: --database-url URL (else DATABASE_URL, PG*, or the local cluster), --lang zh|en.",
        subcommands: [
            DbCommand.self, MigrateCommand.self, ImportCommand.self, MatchCommand.self, ExplainCommand.self,
            ConfirmCommand.self, ReviewCommand.self, SubsidiesCommand.self, ExportCommand.self, ReportCommand.self,
            PolicyCommand.self, StatusCommand.self, ServeCommand.self, PruneCommand.self, DemoCommand.self,
            CategoryCommand.self, PlacementCommand.self, DuplicatesCommand.self,
            CertifyCommand.self, FollowUpCommand.self, UserCommand.self, TokenCommand.self,
        ]
    )

    /// Runs the command and maps every failure to the contract's exit status.
    static func main() {
        let code: Int32
        do {
            let arguments = try GlobalOptions.extract(Array(CommandLine.arguments.dropFirst()))
            Language.choose(Language(setting: ProcessInfo.processInfo.environment["JOBMATCH_LANG"]))
            AdvisoryLock.notice = { Console.error(LockMessages.waiting($0.waitingFor, seconds: $0.seconds)) }
            var command = try parseAsRoot(arguments)
            try command.run()
            code = ExitStatus.done
        } catch let rejected as InputRejected {
            Console.error(rejected.description)
            code = ExitStatus.inputRejected
        } catch let usage as GlobalOptions.UsageError {
            Console.error(usage.description)
            code = ExitStatus.usage
        } catch let rejected where InputRejected(refusing: rejected) != nil {
            Console.error(InputRejected(refusing: rejected)!.description)
            code = ExitStatus.inputRejected
        } catch let e as ExitCode {
            code = e.rawValue
        } catch {
            let argumentCode = exitCode(for: error)
            if argumentCode == .success {
                print(fullMessage(for: error))  // --help, --version
                code = ExitStatus.done
            } else if argumentCode == .validationFailure || error is ValidationError || argumentCode.rawValue == 64 {
                Console.error(fullMessage(for: error))
                code = ExitStatus.usage
            } else {
                Console.error("jobmatch: \(describe(error))")
                code = ExitStatus.runtimeFailure
            }
        }
        Foundation.exit(code)
    }

    /// A one-line, safe description of a run-time failure.
    static func describe(_ error: any Error) -> String {
        RuntimeMessages.describe(error)
    }
}

/// The contract's exit statuses (CONTRACT.md §1).
enum ExitStatus {
    static let done: Int32 = 0
    static let runtimeFailure: Int32 = 1
    static let usage: Int32 = 2
    static let inputRejected: Int32 = 3
}

/// Input refused by validation: exit 3, each line already names file, row,
/// column, value and rule.
struct InputRejected: Error, CustomStringConvertible {
    var lines: [String]
    var description: String { lines.joined(separator: "\n") }
}

/// Writes to standard error (the global `stderr` is shared mutable state in Swift 6).
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension InputRejected {
    /// The failures that are the user's input, not the run time (exit 3): an
    /// identifier that does not exist, a policy parameter the book lacks —
    /// also when a transaction carries them.
    init?(refusing error: any Error) {
        let cause = (error as? TransactionError)?.body ?? error
        switch cause {
        case let rejected as InputRejected: self = rejected
        case StoreError.notFound(let what): self.init(lines: [Messages.notFound(what)])
        case PolicyError.missing(let key, let jurisdiction, let date):
            self.init(lines: [Messages.missingParameter(key: key, jurisdiction: jurisdiction, date: date)])
        case PolicyError.malformed(let key, let value, let expected):
            self.init(lines: [Messages.malformedParameter(key: key, value: value, expected: expected)])
        default: return nil
        }
    }
}

/// The global options (CONTRACT.md §1), accepted before or after the command:
/// taken out of the arguments wherever they are and handed on through the
/// environment the rest of jobmatch already reads (`DATABASE_URL`, `JOBMATCH_LANG`).
enum GlobalOptions {
    struct UsageError: Error, CustomStringConvertible { let description: String }
    static let languages = ["zh", "en"]

    static func extract(_ arguments: [String]) throws -> [String] {
        var rest: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { rest += arguments[i...]; break }
            var name = a, value: String?
            if let eq = a.firstIndex(of: "="), a.hasPrefix("--") { name = String(a[..<eq]); value = String(a[a.index(after: eq)...]) }
            guard name == "--database-url" || name == "--lang" else { rest.append(a); i += 1; continue }
            if value == nil {
                guard i + 1 < arguments.count else { throw UsageError(description: "Error: Missing value for '\(name) <\(name.dropFirst(2))>'") }
                value = arguments[i + 1]; i += 1
            }
            i += 1
            if name == "--lang" {
                guard languages.contains(value!) else { throw UsageError(description: "Error: --lang \(value!): expected zh or en") }
                setenv("JOBMATCH_LANG", value!, 1)
            } else {
                setenv("DATABASE_URL", value!, 1)
                setenv("JOBMATCH_DATABASE_URL", value!, 1)  // `serve` reads it before its config file
            }
        }
        return rest
    }
}
