import App
import ArgumentParser
import Daemon
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Web

/// `jobmatch serve`: the daemon (CONTRACT.md §1; docs/operations.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: scheduled and requested matching runs, metrics and health on localhost.")

    @Option(help: "PostgreSQL URL; else JOBMATCH_DATABASE_URL, DATABASE_URL, the config file, PG* variables, the local cluster.")
    var databaseURL: String?
    @Option(help: "Configuration file (TOML); see deploy/jobmatch.toml.example.")
    var config: String?
    @Flag(help: "Run requests only; fire no schedules.")
    var noSchedule = false
    @Option(help: "This replica's id, unique among running daemons (default hostname-pid).")
    var workerID: String?
    @Option(help: "text or json.")
    var logFormat: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?
    @Option(help: "Metrics and health address, e.g. 127.0.0.1:9464, or off.")
    var metricsListen: String?
    @Option(help: "Staff web application and API address, e.g. 127.0.0.1:8080, or off (CONTRACT.md §7).")
    var webListen: String?
    @Flag(help: "Validate the configuration, print it, and exit.")
    var checkConfig = false

    var flagOverrides: [String: String] {
        var flags: [String: String] = [:]
        if let workerID { flags["worker_id"] = workerID }
        if let logFormat { flags["log_format"] = logFormat }
        if let logLevel { flags["log_level"] = logLevel }
        if let metricsListen { flags["metrics.listen"] = metricsListen }
        if let webListen { flags["web.listen"] = webListen }
        if noSchedule { flags["schedule.enabled"] = "false" }
        return flags
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "jobmatch"
        let loaded: DaemonConfig
        do {
            loaded = try DaemonConfig.load(file: config, environment: environment, flags: flagOverrides,
                                           defaultWorkerID: "\(host)-\(getpid())")
        } catch {
            throw ValidationError(error.description)
        }
        let clock: any WallClock
        #if JOBMATCH_TEST_HOOKS
        do {
            clock = try ShiftedWallClock.fromEnvironment(environment) ?? SystemWallClock()
        } catch {
            throw ValidationError(String(describing: error))
        }
        #else
        clock = SystemWallClock()
        #endif
        for warning in loaded.warnings { Console.error("jobmatch serve: warning: \(warning)") }
        if checkConfig {
            print("configuration is valid: worker \(loaded.workerID), time zone \(loaded.timeZone.identifier), "
                  + "nightly match \(loaded.nightlyMatch?.description ?? "none") for \(loaded.regions.count) regions, "
                  + "review reminder \(loaded.reviewReminder?.description ?? "none"), "
                  + "metrics \(loaded.metricsListen?.description ?? "off"), web \(loaded.webListen?.description ?? "off")")
            return
        }

        // The URL: flag, JOBMATCH_DATABASE_URL, DATABASE_URL, the file, then PG* / embedded.
        let option = databaseURL ?? environment["JOBMATCH_DATABASE_URL"]
            ?? (environment["DATABASE_URL"]?.isEmpty == false ? nil : loaded.databaseURL)
        // May start the embedded cluster: before signals are blocked (its children would inherit the mask).
        let connection: ConnectionConfig
        do {
            connection = try DatabaseLocator(option: option).connectionConfig(notice: Console.error)
        } catch let e as DatabaseURLError {
            Console.error("jobmatch serve: \(e)")  // exit 2, not a connection retried forever (issue 17)
            throw ExitCode(ExitStatus.usage)
        }
        Daemon.blockTerminationSignals()
        // A peer that goes away (an HTTP client that resets, a closed log pipe) is an
        // EPIPE on that write, never the end of the daemon.
        signal(SIGPIPE, SIG_IGN)

        let level = LineLogHandler.LevelBox(loaded.logLevel)
        let logger = Logger(label: "jobmatch.serve") { label in
            LineLogHandler(label: label, format: loaded.logFormat, level: level)
        }
        // The matching executor plugs in here; the test executor only when asked for by
        // name, and only in debug builds (JOBMATCH_TEST_HOOKS): a release binary never reads it.
        #if JOBMATCH_TEST_HOOKS
        let testExecutor: (any RunExecutor)? = TestExecutor(environment: environment)
        #else
        let testExecutor: (any RunExecutor)? = nil
        #endif
        let executor: any RunExecutor = testExecutor
            ?? MatchRunExecutor(jurisdiction: Jurisdiction.configured, clock: clock, timeZone: loaded.timeZone)
        let daemon = Daemon(
            setup: .init(config: loaded, configFile: config, environment: environment, flags: flagOverrides,
                         connection: connection, executor: executor, clock: clock, logLevel: level),
            logger: logger)
        // The front desk (CONTRACT.md §7): one more service in serve's group, its database
        // work on a bounded pool of libpq sessions (never on the async threads).
        var frontDoors: [any Service] = []
        if let listen = loaded.webListen {
            let webConnection = loaded.webDatabaseUser.map { connection.with("user", $0) } ?? connection
            let pool = SessionPool(webConnection, options: .init(size: 8, maxWaiters: 256, acquireTimeout: .seconds(10)))
            MatchRunner.solverNiceness.store(10, ordering: .relaxed)  // staff's requests before a run's solving
            daemon.reopenOnDatabaseLoss { pool.reopenAll() }  // one notion of "the database went away" (issue 18)
            let configuration = WebConfiguration(host: listen.host, port: Int(listen.port), secureCookies: loaded.webSecureCookies,
                                                 jurisdiction: Jurisdiction.configured)
            frontDoors.append(makeWebApplication(pool: pool, configuration: configuration, logger: logger))
            logger.info("web listening", metadata: ["web.address": "\(listen)"])
        }
        daemon.serve(frontDoors: frontDoors)
    }
}
