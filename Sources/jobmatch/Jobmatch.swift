// The one executable: parses arguments, calls one function of the modules
// below, prints, and exits with the contract's status (CONTRACT.md §1):
// 0 done; 1 failure at run time; 2 usage error; 3 input rejected.

import ArgumentParser
import Foundation

@main
struct Jobmatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobmatch",
        abstract: "Placement matching and quota review for a disabled persons' employment service center.",
        subcommands: [
            DbCommand.self, MigrateCommand.self, ImportCommand.self, MatchCommand.self, ExplainCommand.self,
            ConfirmCommand.self, ReviewCommand.self, SubsidiesCommand.self, ExportCommand.self, ReportCommand.self,
            PolicyCommand.self, StatusCommand.self, ServeCommand.self, PruneCommand.self, DemoCommand.self,
            CertifyCommand.self, FollowUpCommand.self,
        ]
    )

    /// Runs the command and maps every failure to the contract's exit status.
    static func main() {
        let code: Int32
        do {
            var command = try parseAsRoot()
            try command.run()
            code = ExitStatus.done
        } catch let rejected as InputRejected {
            Console.error(rejected.description)
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
        String(describing: error).split(separator: "\n").joined(separator: " ")
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
