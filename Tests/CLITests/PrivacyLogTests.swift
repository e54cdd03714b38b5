// Logs never carry identity numbers, names or phone numbers (CONTRACT.md §5,
// issue 7). A demo-like flow on the BUILT binary — its own embedded cluster
// under a temporary $JOBMATCH_HOME, the example district imported from files,
// match, review, subsidies, prune, a bad file, then `serve` with a requested
// run and SIGTERM — collects every byte written to stderr (and serve's stdout),
// plus PostgreSQL's own server log, and looks for every seeker's and roster
// person's certificate number, resident ID, name and phone, and for anything
// shaped like an ID (17 digits + [0-9X]) or a mobile number (11 digits from 1).
// stdout of --unmasked commands may hold full numbers: that is output asked
// for (and audited), not a log; it is checked for the audit rows instead.

import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct PrivacyLogTests {
    /// One personal value and where it came from (for the failure message — never printed whole).
    struct Needle {
        let value: String
        let what: String
    }

    /// Certificate numbers, resident IDs, names and phones from the example files.
    static func needles(seekers: String, rosters: String) -> [Needle] {
        var out: [Needle] = []
        func rows(_ csv: String) -> (header: [String], rows: [[String]]) {
            let lines = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return (lines.first ?? [], Array(lines.dropFirst()))
        }
        let s = rows(seekers)
        for r in s.rows {
            func col(_ name: String) -> String? { s.header.firstIndex(of: name).flatMap { $0 < r.count ? r[$0] : nil } }
            if let cert = col("certificate_no"), cert.count >= 18 {
                out.append(Needle(value: String(cert.prefix(20)), what: "seeker certificate"))
                out.append(Needle(value: String(cert.prefix(18)), what: "seeker resident ID"))
            }
            if let name = col("name"), !name.isEmpty { out.append(Needle(value: name, what: "seeker name")) }
            if let phone = col("phone"), !phone.isEmpty { out.append(Needle(value: phone, what: "seeker phone")) }
        }
        let ro = rows(rosters)
        for r in ro.rows {
            for name in ["certificate_no", "resident_id", "veteran_certificate_no"] {
                if let i = ro.header.firstIndex(of: name), i < r.count, r[i].count >= 18 {
                    out.append(Needle(value: String(r[i].prefix(18)), what: "roster \(name)"))
                }
            }
        }
        return out
    }

    /// Maximal runs of ASCII digits (an X or x may end one) shaped like a resident ID
    /// (17 digits + [0-9X]) or a mainland mobile number (11 digits, 1[3-9]…). Swift's
    /// Regex has no lookbehind, hence by hand.
    static func identityShapes(in text: String) -> (ids: [String], mobiles: [String]) {
        var ids: [String] = [], mobiles: [String] = []
        var run: [UInt8] = []
        func close() {
            if run.count == 18, run[..<17].allSatisfy({ (48...57).contains($0) }) { ids.append(String(decoding: run, as: UTF8.self)) }
            if run.count == 11, run[0] == UInt8(ascii: "1"), (51...57).contains(run[1]), run.allSatisfy({ (48...57).contains($0) }) {
                mobiles.append(String(decoding: run, as: UTF8.self))
            }
            run.removeAll()
        }
        for b in text.utf8 {
            if (48...57).contains(b) {
                if let last = run.last, last == UInt8(ascii: "X") || last == UInt8(ascii: "x") { close() }
                run.append(b)
            } else if (b == UInt8(ascii: "X") || b == UInt8(ascii: "x")) && run.count == 17 {
                run.append(b)
            } else {
                close()
            }
        }
        close()
        return (ids, mobiles)
    }

    @Test func whenTheFullFlowRunsNoLogCarriesAnIdentityNumberNameOrPhone() async throws {
        var template = Array((NSTemporaryDirectory() + "jobmatch-privacy-XXXXXX").utf8CString)
        let home = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
        chmod(home, 0o711)  // the server runs as postgres when we are root: let it traverse
        let input = home + "/input"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        let files = try ExampleFiles.write(to: input)
        let binary = CLIRunner.binary.path
        let env = Spawn.cleanEnvironment([
            "JOBMATCH_HOME": home, "USER": "privacy-os-user",
            "JOBMATCH_METRICS_LISTEN": "127.0.0.1:0", "JOBMATCH_POLL_INTERVAL_SECONDS": "1",
        ])
        var logs: [(command: String, text: String)] = []
        @discardableResult
        func jobmatch(_ args: [String], expect status: Int32 = 0) throws -> Spawn.Result {
            let r = try Spawn.run([binary] + args, environment: env)
            logs.append((args.joined(separator: " "), r.stderr))
            #expect(r.status == status, "jobmatch \(args.joined(separator: " ")) exited \(r.status)")
            return r
        }
        defer {
            _ = try? Spawn.run([binary, "db", "stop"], environment: env)
            if let root = try? String(contentsOfFile: home + "/cluster-location", encoding: .utf8) {
                try? FileManager.default.removeItem(atPath: root.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            try? FileManager.default.removeItem(atPath: home)
        }

        try jobmatch(["migrate"])
        for f in files { try jobmatch(["import", f.kind, f.path, "--actor", "privacy-test"]) }
        // Re-import: nothing changes, and nothing is said about anyone.
        try jobmatch(["import", "seekers", input + "/seekers.csv", "--actor", "privacy-test"])
        // A bad file: its errors name values, masked.
        let seekers = try String(contentsOfFile: input + "/seekers.csv", encoding: .utf8)
        let lines = seekers.split(whereSeparator: \.isNewline).map(String.init)
        let broken = lines[1].replacingOccurrences(of: ",full,", with: ",sometimes,")
            .replacingOccurrences(of: String(lines[1].prefix(17)),
                                  with: String(lines[1].prefix(16)) + (Array(lines[1])[16] == "0" ? "1" : "0"))
        try (lines[0] + "\n" + broken + "\n" + lines[2] + "\n").write(toFile: input + "/bad-seekers.csv", atomically: true, encoding: .utf8)
        try jobmatch(["import", "seekers", input + "/bad-seekers.csv", "--actor", "privacy-test"], expect: 3)

        try jobmatch(["match", "--date", "2025-09-01", "--actor", "privacy-test"])
        let unmasked = try jobmatch(["match", "--date", "2025-09-01", "--json", "--unmasked", "--actor", "privacy-test"])
        #expect(!Self.identityShapes(in: unmasked.stdout).ids.isEmpty, "--unmasked prints identity numbers whole")
        try jobmatch(["review", "--year", "2024", "--actor", "privacy-test"])
        try jobmatch(["subsidies", "--year", "2025", "--unmasked", "--actor", "privacy-test"])
        let help = try jobmatch(["--help"])
        if help.stdout.contains("export") {
            try jobmatch(["export", "proposals", "--actor", "privacy-test"])
        }
        try jobmatch(["prune", "--older-than", "0", "--actor", "privacy-test"])
        try jobmatch(["prune", "--older-than", "0", "--audit-older-than", "30"], expect: 2)
        try jobmatch(["status"])

        // The daemon, at its most talkative, with one requested run.
        let serve = try BackgroundProcess([binary, "serve", "--no-schedule", "--log-level", "trace", "--worker-id", "privacy",
                                           "--metrics-listen", "127.0.0.1:0"],
                                          environment: env)
        #expect(await serve.waitForOutput("daemon ready"), "serve became ready")
        try jobmatch(["match", "--enqueue", "--date", "2025-09-01", "--actor", "privacy-test"])
        #expect(await serve.waitForOutput("run succeeded"), "the requested run succeeded")
        serve.send(SIGTERM)
        #expect(await serve.wait(timeout: .seconds(20)) == 0)
        logs.append(("serve (stderr)", serve.stderr))
        logs.append(("serve (stdout)", serve.stdout))

        // The audit trail saw it all, with the actor.
        let url = try Spawn.run([binary, "db", "url"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let c = try Connection.connect(ConnectionConfig(url: url))
        defer { c.close() }
        let actions = try c.query("SELECT actor, action, subject FROM audit_log ORDER BY audit_id").map {
            (try $0.string("actor"), try $0.string("action"), try $0.string("subject"))
        }
        #expect(actions.contains { $0 == ("privacy-os-user", "migrate", "schema") })
        for (action, subject) in [("import", "seekers"), ("match_run", nil), ("review", nil), ("unmasked_output", "match"),
                                  ("unmasked_output", "subsidies"), ("prune", "retention")] as [(String, String?)] {
            #expect(actions.contains { $0.0 == "privacy-test" && $0.1 == action && (subject == nil || $0.2 == subject) },
                    "audit: \(action) \(subject ?? "")")
        }
        #expect(try c.query("SELECT count(*) AS n FROM audit_log WHERE action = 'match_run' AND actor = 'privacy-test'")[0].int("n") == 2)
        // The daemon's run names the request, and the request's audit record names who asked.
        #expect(try c.query("""
            SELECT count(*) AS n FROM audit_log run JOIN audit_log req
              ON req.action = 'match_request' AND req.actor = 'privacy-test' AND run.detail->>'request_id' = req.detail->>'request_id'
            WHERE run.action = 'match_run' AND run.actor = 'daemon:privacy'
            """)[0].int("n") == 1)

        // PostgreSQL's own log.
        let serverLog = (try? String(contentsOfFile: home + "/postgres.log", encoding: .utf8)) ?? ""
        #expect(!serverLog.isEmpty, "the server log was found")
        logs.append(("postgres.log", serverLog))

        let needles = Self.needles(seekers: seekers, rosters: try String(contentsOfFile: input + "/rosters.csv", encoding: .utf8))
        #expect(needles.count > 600)
        // The detector itself sees what --unmasked printed on purpose.
        #expect(needles.contains { unmasked.stdout.contains($0.value) })
        #expect(logs.count > files.count + 10)
        for (source, text) in logs {
            for n in needles where text.contains(n.value) {
                Issue.record("\(source): a \(n.what) appears in the log (masked here: \(n.value.prefix(3))…)")
            }
            let shapes = Self.identityShapes(in: text)
            for id in shapes.ids { Issue.record("\(source): something shaped like a resident ID: \(id.prefix(6))…") }
            for m in shapes.mobiles { Issue.record("\(source): something shaped like a mobile number: \(m.prefix(3))…") }
        }
    }
}
