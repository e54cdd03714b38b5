import ArgumentParser
import Daemon
import EmbeddedPostgres

/// `jobmatch db start|stop|status|url`: the embedded local cluster.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the embedded local PostgreSQL cluster under $JOBMATCH_HOME.",
        subcommands: [Start.self, Stop.self, Status.self, URL.self])

    static var cluster: LocalCluster { LocalCluster(home: DatabaseLocator.home()) }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Initialise (first time) and start the local cluster.")
        func run() throws {
            try DbCommand.cluster.start(log: Console.error)
            print(DbCommand.cluster.url)
        }
    }
    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the local cluster.")
        func run() throws { try DbCommand.cluster.stop() }
    }
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the local cluster runs (exit 0 when it does, 1 when not).")
        func run() throws {
            switch DbCommand.cluster.status() {
            case .running(let pid): print("running (pid \(pid)) \(DbCommand.cluster.url)")
            case .stopped: print("stopped"); throw ExitCode(1)
            case .notInitialised: print("not initialised"); throw ExitCode(1)
            }
        }
    }
    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the local cluster's connection URL.")
        func run() throws { print(DbCommand.cluster.url) }
    }
}
