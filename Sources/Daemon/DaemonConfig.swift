// The daemon's configuration: a TOML file (deploy/jobmatch.toml.example), then
// environment variables, then command-line flags, later layers winning; all
// of it validated before anything starts. SIGHUP re-reads the same layers.
//
// Each key has one environment variable: JOBMATCH_ + section + key, upper
// case (`[schedule] regions` → JOBMATCH_SCHEDULE_REGIONS; arrays as comma
// lists). Every problem names where the value came from: the file and line,
// the variable, or the flag.

import Foundation
import Logging

/// A validated configuration.
public struct DaemonConfig: Sendable, Equatable {
    public enum LogFormat: String, Sendable, Equatable { case text, json }

    /// A TCP address to listen on; port 0 lets the system choose.
    public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
        public let host: String
        public let port: UInt16
        public var description: String { "\(host):\(port)" }
    }

    public var databaseURL: String?
    public var workerID: String
    public var timeZone: TimeZone
    /// Nightly matching, one request per region in `regions`.
    public var nightlyMatch: CronExpression?
    public var regions: [String]
    /// The yearly review reminder (logged; the review itself is run by staff).
    public var reviewReminder: CronExpression?
    public var scheduleEnabled: Bool
    public var pollInterval: Duration
    public var lease: Duration
    public var drain: Duration
    public var maxAttempts: Int
    public var reconnectMax: Duration
    /// nil: no metrics server.
    public var metricsListen: ListenAddress?
    public var logFormat: LogFormat
    public var logLevel: Logger.Level
    /// nil: no staff web application and API (CONTRACT.md §7; `[web] listen`).
    public var webListen: ListenAddress? = nil
    /// `Secure` on the session cookie; off only behind no TLS on loopback (tests, a demo).
    public var webSecureCookies: Bool = true
    /// The database user the web's sessions log in as (row-level security applies to it:
    /// `jobmatch_web` in deploy/roles.sql); nil: the daemon's own.
    public var webDatabaseUser: String? = nil
    /// Deprecations met while loading (a deprecated variable's name), for `serve` to log.
    public var warnings: [String] = []

    public static let timeZoneDefault = "Asia/Shanghai"
    public static let pollIntervalSecondsDefault = 5
    public static let leaseSecondsDefault = 60
    public static let drainSecondsDefault = 20
    public static let reconnectMaxSecondsDefault = 2
    public static let metricsListenDefault = "127.0.0.1:9464"

    /// The keys a file may hold, with their types; anything else is an error.
    enum Kind { case string, integer, boolean, strings }
    static let keys: [(path: String, kind: Kind)] = [
        ("database_url", .string), ("worker_id", .string), ("time_zone", .string),
        ("poll_interval_seconds", .integer), ("lease_seconds", .integer), ("drain_seconds", .integer),
        ("max_attempts", .integer), ("reconnect_max_seconds", .integer),
        ("log_format", .string), ("log_level", .string),
        ("schedule.enabled", .boolean), ("schedule.nightly_match", .string), ("schedule.regions", .strings),
        ("schedule.review_reminder", .string),
        ("metrics.listen", .string),
        ("web.listen", .string), ("web.secure_cookies", .boolean), ("web.database_user", .string),
    ]

    /// The environment variable for a key path.
    public static func environmentVariable(for path: String) -> String {
        "JOBMATCH_" + path.replacingOccurrences(of: ".", with: "_").uppercased()
    }

    /// Reads `file` (if any), applies `environment` and `flags` (key path → text),
    /// and validates. `defaultWorkerID` is hostname-pid in production.
    public static func load(file: String?, environment: [String: String], flags: [String: String],
                            defaultWorkerID: String) throws(ConfigError) -> DaemonConfig {
        let (environment, warnings) = TimeZoneSetting.withAlias(environment)
        var layers = Layers()
        if let file {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ConfigError(problems: ["\(file): cannot read: \(error.localizedDescription)"])
            }
            let doc: TOMLDocument
            do { doc = try TOMLDocument.parse(text) } catch { throw ConfigError(problems: ["\(file) \(error)"]) }
            var problems: [String] = []
            for (path, entry) in doc.entries.sorted(by: { $0.value.line < $1.value.line }) {
                guard keys.contains(where: { $0.path == path }) else {
                    problems.append("\(file) line \(entry.line): unknown key \(path)")
                    continue
                }
                layers.values[path] = (entry.value, "\(file) line \(entry.line)")
            }
            if !problems.isEmpty { throw ConfigError(problems: problems) }
        }
        var problems: [String] = []
        for (path, kind) in keys {
            let variable = environmentVariable(for: path)
            if let text = environment[variable] {
                do { layers.values[path] = (try value(text, kind), variable) } catch { problems.append("\(variable): \(error.message)") }
            }
        }
        for (path, text) in flags {
            guard let kind = keys.first(where: { $0.path == path })?.kind else { continue }
            let flag = "--" + path.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
            do { layers.values[path] = (try value(text, kind), flag) } catch { problems.append("\(flag): \(error.message)") }
        }
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        var config = try layers.validate(defaultWorkerID: defaultWorkerID)
        config.warnings = warnings
        return config
    }

    private struct Message: Error { let message: String }

    private static func value(_ text: String, _ kind: Kind) throws(Message) -> TOMLValue {
        switch kind {
        case .string: return .string(text)
        case .integer:
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else { throw Message(message: "\"\(text)\" is not an integer") }
            return .integer(n)
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes": return .boolean(true)
            case "false", "0", "no": return .boolean(false)
            default: throw Message(message: "\"\(text)\" is not a boolean (true/false)")
            }
        case .strings:
            return .strings(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    /// Values by key path with where each came from.
    private struct Layers {
        var values: [String: (TOMLValue, String)] = [:]

        func validate(defaultWorkerID: String) throws(ConfigError) -> DaemonConfig {
            var problems: [String] = []

            func get<T>(_ path: String, _ kind: String, _ extract: (TOMLValue) -> T?) -> (T, String)? {
                guard let (value, origin) = values[path] else { return nil }
                guard let t = extract(value) else {
                    problems.append("\(origin): \(path) must be \(kind), not \(value.typeName)")
                    return nil
                }
                return (t, origin)
            }
            func string(_ path: String) -> (String, String)? { get(path, "a string") { if case .string(let s) = $0 { s } else { nil } } }
            func integer(_ path: String, _ range: ClosedRange<Int>, default d: Int) -> Int {
                guard let (n, origin) = get(path, "an integer", { if case .integer(let n) = $0 { n } else { nil } }) else { return d }
                guard range.contains(n) else {
                    problems.append("\(origin): \(path) = \(n) is outside \(range.lowerBound)…\(range.upperBound)")
                    return d
                }
                return n
            }
            func cron(_ path: String) -> CronExpression? {
                guard let (text, origin) = string(path), !text.isEmpty else { return nil }
                do { return try CronExpression(text) } catch {
                    problems.append("\(origin): \(path): \(error.message)")
                    return nil
                }
            }

            let workerID = string("worker_id")?.0 ?? defaultWorkerID
            if workerID.isEmpty || workerID.count > 100 { problems.append("worker_id must be 1…100 characters") }

            var zone = TimeZone(identifier: DaemonConfig.timeZoneDefault)!
            if let (name, origin) = string("time_zone") {
                if let z = TimeZone(identifier: name) { zone = z } else { problems.append("\(origin): time_zone \"\(name)\" is not a known time zone (e.g. Asia/Shanghai)") }
            }
            let nightly = cron("schedule.nightly_match")
            let regions = get("schedule.regions", "an array of strings") { if case .strings(let a) = $0 { a } else { nil } }
            if nightly != nil, (regions?.0 ?? []).isEmpty {
                problems.append("\(values["schedule.nightly_match"]!.1): schedule.nightly_match needs schedule.regions (the region codes to match nightly)")
            }
            // The region-code grammar (sql/0001 region_code_format); whether each exists is checked at start and at each firing.
            for code in regions?.0 ?? [] where !DaemonConfig.isRegionCode(code) {
                problems.append("\(regions!.1): schedule.regions: \"\(code.prefix(40))\" is not a region code (1–30 letters, digits, _ or -, e.g. 410307)")
            }
            let reminder = cron("schedule.review_reminder")
            let enabled = get("schedule.enabled", "a boolean") { if case .boolean(let b) = $0 { b } else { nil } }?.0 ?? true

            let poll = integer("poll_interval_seconds", 1...3600, default: DaemonConfig.pollIntervalSecondsDefault)
            let lease = integer("lease_seconds", 2...86_400, default: DaemonConfig.leaseSecondsDefault)
            let drain = integer("drain_seconds", 0...3600, default: DaemonConfig.drainSecondsDefault)
            let attempts = integer("max_attempts", 1...100, default: 3)
            let reconnect = integer("reconnect_max_seconds", 1...3600, default: DaemonConfig.reconnectMaxSecondsDefault)

            var listen: ListenAddress?
            let listenText = string("metrics.listen") ?? (DaemonConfig.metricsListenDefault, "default")
            if !listenText.0.isEmpty && listenText.0 != "off" {
                if let address = ListenAddress(parsing: listenText.0) { listen = address } else {
                    problems.append("\(listenText.1): metrics.listen \"\(listenText.0)\" must be IPv4-address:port, e.g. 127.0.0.1:9464, or \"off\"")
                }
            }
            var format = LogFormat.text
            if let (text, origin) = string("log_format") {
                if let f = LogFormat(rawValue: text) { format = f } else { problems.append("\(origin): log_format must be \"text\" or \"json\", not \"\(text)\"") }
            }
            var level = Logger.Level.info
            if let (text, origin) = string("log_level") {
                if let l = Logger.Level(rawValue: text) { level = l } else {
                    problems.append("\(origin): log_level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
                }
            }
            var web: ListenAddress?
            if let (text, origin) = string("web.listen"), !text.isEmpty, text != "off" {
                if let address = ListenAddress(parsing: text) { web = address } else {
                    problems.append("\(origin): web.listen \"\(text)\" must be IPv4-address:port, e.g. 127.0.0.1:8080, or \"off\"")
                }
            }
            if !problems.isEmpty { throw ConfigError(problems: problems) }
            var config = DaemonConfig(
                databaseURL: string("database_url")?.0, workerID: workerID, timeZone: zone,
                nightlyMatch: nightly, regions: regions?.0 ?? [], reviewReminder: reminder, scheduleEnabled: enabled,
                pollInterval: .seconds(poll), lease: .seconds(lease), drain: .seconds(drain), maxAttempts: attempts,
                reconnectMax: .seconds(reconnect), metricsListen: listen, logFormat: format, logLevel: level)
            config.webListen = web
            config.webSecureCookies = get("web.secure_cookies", "a boolean") { if case .boolean(let b) = $0 { b } else { nil } }?.0 ?? true
            config.webDatabaseUser = string("web.database_user")?.0
            return config
        }
    }
}

extension DaemonConfig.ListenAddress {
    /// `a.b.c.d:port` (or `localhost:port`).
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host == "localhost" { host = "127.0.0.1" }
        var addr = in_addr()
        guard inet_pton(AF_INET, host, &addr) == 1 else { return nil }
        self.host = host
        self.port = port
    }
}

/// The configuration was refused; every problem is listed, each naming its source.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public let problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String { "invalid configuration: " + problems.joined(separator: "; ") }
}

extension DaemonConfig {
    /// A region code as the schema accepts it: `^[0-9A-Za-z_-]{1,30}$` (sql/0001, region_code_format).
    public static func isRegionCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        return (1...30).contains(bytes.count) && bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
    }
}
