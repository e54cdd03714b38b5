import Foundation
import Postgres
import TestSupport

/// This process's environment without anything that would point `jobmatch` at a database
/// on its own (DATABASE_URL, PG*), and with `JOBMATCH_HOME` set to a throwaway place, so a
/// test that forgets `--database-url` fails instead of starting a cluster in the repository.
func cleanEnvironment(home: String? = nil) -> [String: String] {
    var env = ProcessInfo.processInfo.environment.filter { key, _ in key != "DATABASE_URL" && key != "JOBMATCH_LANG" && !key.hasPrefix("PG") }
    env["JOBMATCH_HOME"] = home ?? (NSTemporaryDirectory() + "jm-cli-nohome-\(UUID().uuidString)")
    return env
}

/// Runs the built `jobmatch` with `args` in a clean environment (plus `environment`).
func jobmatch(_ args: [String], environment: [String: String] = [:], home: String? = nil) throws -> Spawn.Result {
    var env = cleanEnvironment(home: home)
    for (k, v) in environment { env[k] = v }
    return try Spawn.run([CLIRunner.binary.path] + args, environment: env)
}

/// A fresh migrated database as a `--database-url` value, with a connection to it.
func freshMigratedDatabase() throws -> (url: String, config: ConnectionConfig) {
    let config = try MigratedDatabase.config()
    return (config.libpqString, config)
}

func count(_ config: ConnectionConfig, _ table: String) throws -> Int {
    let c = try Connection.connect(config)
    defer { c.close() }
    return try c.query(Query(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].int("n")
}

/// The example district's file of one kind (examples/yanshi).
func exampleURL(_ kind: String) -> URL {
    CLIRunner.packageRoot.appendingPathComponent("examples/yanshi/\(kind).csv")
}

/// A fresh temporary directory; the caller removes it.
func temporaryDirectory(_ label: String = "cli") throws -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("jm-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Lines of a text file split on CRLF or LF, without the final empty one.
func lines(_ text: String) -> [String] {
    var out = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if out.last == "" { out.removeLast() }
    return out
}

/// RFC 4180 records from text (a small reader of our own, to check the CSV we write).
func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let ch = chars.popFirst() {
        if quoted {
            if ch == "\"" {
                if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
            } else {
                field.unicodeScalars.append(ch)
            }
        } else if ch == "\"" {
            quoted = true
        } else if ch == "," {
            record.append(field); field = ""
        } else if ch == "\r" && chars.first == "\n" {
            continue
        } else if ch == "\n" {
            record.append(field); field = ""
            records.append(record); record = []
        } else {
            field.unicodeScalars.append(ch)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}

/// GB18030 (Foundation's CFStringEncoding 0x80000632; GBK files decode as it).
let gb18030 = String.Encoding(rawValue: 0x8000_0632)

/// Runs `python3 scripts/generate_district.py` with `args`; throws on failure.
func generateDistrict(_ args: [String]) throws {
    let r = try Spawn.run(["python3", CLIRunner.packageRoot.appendingPathComponent("scripts/generate_district.py").path] + args)
    guard r.status == 0 else { throw SetupFailed(message: "generate_district.py failed: \(r.stderr)") }
}

struct SetupFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
