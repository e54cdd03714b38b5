// Configuration: the TOML subset with line-numbered errors, environment and
// flag overrides, validation; and the log line formats.

import Daemon
import Foundation
import Logging
import Testing

@Suite struct ConfigTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "jobmatch-config-\(UUID().uuidString).toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theExampleConfigParsesToItsDocumentedValues() throws {
        let example = CLIRunnerPaths.packageRoot + "/deploy/jobmatch.toml.example"
        let config = try DaemonConfig.load(file: example, environment: [:], flags: [:], defaultWorkerID: "host-1")
        #expect(config.timeZone.identifier == "Asia/Shanghai")
        #expect(config.nightlyMatch?.description == "0 2 * * *")
        #expect(config.reviewReminder?.description == "0 9 1 3 *")
        #expect(config.metricsListen?.description == "127.0.0.1:9464")
        #expect(config.workerID == "host-1")
    }

    @Test func aCRLFCopyOfTheExampleConfiguresServeLikeTheLFFile() throws {
        let example = try String(contentsOfFile: CLIRunnerPaths.packageRoot + "/deploy/jobmatch.toml.example", encoding: .utf8)
        let changed = example.replacingOccurrences(of: "listen = \"127.0.0.1:9464\"", with: "listen = \"127.0.0.1:9555\"")
        #expect(changed != example)
        let lf = try write(changed)
        let crlf = try write(changed.replacingOccurrences(of: "\n", with: "\r\n"))
        let a = try DaemonConfig.load(file: lf, environment: [:], flags: [:], defaultWorkerID: "host-1")
        let b = try DaemonConfig.load(file: crlf, environment: [:], flags: [:], defaultWorkerID: "host-1")
        #expect(b.metricsListen?.description == "127.0.0.1:9555")
        #expect(a == b)
    }

    @Test func valuesOfEveryTypeParse() throws {
        let doc = try TOMLDocument.parse("""
            # comment
            name = "a \\"quoted\\" \\u4e2d" # trailing comment
            count = 1_000
            negative = -3
            flag = true
            [section]
            list = ["a", "b" , ]
            empty = []
            """)
        #expect(doc.entries["name"]?.value == .string("a \"quoted\" 中"))
        #expect(doc.entries["count"]?.value == .integer(1000))
        #expect(doc.entries["negative"]?.value == .integer(-3))
        #expect(doc.entries["flag"]?.value == .boolean(true))
        #expect(doc.entries["section.list"]?.value == .strings(["a", "b"]))
        #expect(doc.entries["section.list"]?.line == 7)
        #expect(doc.entries["section.empty"]?.value == .strings([]))
    }

    @Test(arguments: [
        ("a = 1\nb = \"open\n", 2, "unterminated string"),
        ("a = 1\n\n[x\n", 3, "expected ']'"),
        ("a = 1\na = 2\n", 2, "already set on line 1"),
        ("a = 1.5\n", 1, "floats are not supported"),
        ("a = yes\n", 1, "expected a string"),
        ("a = [1, 2]\n", 1, "arrays hold strings only"),
        ("a 1\n", 1, "expected '='"),
        ("[s]\nk = \"v\"\n[s]\n", 3, "appears twice"),
        ("a = \"x\" b\n", 1, "unexpected text"),
    ])
    func syntaxErrorsNameTheirLine(text: String, line: Int, message: String) {
        #expect {
            _ = try TOMLDocument.parse(text)
        } throws: { error in
            guard let e = error as? TOMLError else { return false }
            return e.line == line && e.message.contains(message)
        }
    }

    @Test func unknownKeysAndBadValuesAreAllReportedWithTheirLines() throws {
        let path = try write("""
            lease_seconds = 1
            log_format = "xml"
            [schedule]
            nightly_match = "0 2 * *"
            """)
        defer { unlink(path) }
        #expect {
            _ = try DaemonConfig.load(file: path, environment: [:], flags: [:], defaultWorkerID: "w")
        } throws: { error in
            let text = "\(error)"
            return text.contains("\(path) line 1: lease_seconds = 1 is outside 2…86400")
                && text.contains("\(path) line 2: log_format") && text.contains("\(path) line 4: schedule.nightly_match")
        }
        let typo = try write("leese_seconds = 10\n")
        defer { unlink(typo) }
        #expect(throws: ConfigError(problems: ["\(typo) line 1: unknown key leese_seconds"])) {
            _ = try DaemonConfig.load(file: typo, environment: [:], flags: [:], defaultWorkerID: "w")
        }
    }

    @Test func environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws {
        let path = try write("""
            lease_seconds = 60
            worker_id = "from-file"
            [schedule]
            nightly_match = "0 2 * * *"
            regions = ["A"]
            """)
        defer { unlink(path) }
        let config = try DaemonConfig.load(
            file: path,
            environment: ["JOBMATCH_LEASE_SECONDS": "90", "JOBMATCH_WORKER_ID": "from-env", "JOBMATCH_SCHEDULE_REGIONS": "A, B"],
            flags: ["worker_id": "from-flag"], defaultWorkerID: "default")
        #expect(config.lease == .seconds(90))
        #expect(config.workerID == "from-flag")
        #expect(config.regions == ["A", "B"])
        #expect {
            _ = try DaemonConfig.load(file: path, environment: ["JOBMATCH_LEASE_SECONDS": "soon"], flags: [:], defaultWorkerID: "w")
        } throws: { "\($0)".contains("JOBMATCH_LEASE_SECONDS: \"soon\" is not an integer") }
    }

    @Test func defaultsAndCrossFieldRules() throws {
        let config = try DaemonConfig.load(file: nil, environment: [:], flags: [:], defaultWorkerID: "h-1")
        #expect(config.timeZone.identifier == "Asia/Shanghai")
        #expect(config.pollInterval == .seconds(5))
        #expect(config.drain == .seconds(20))
        #expect(config.nightlyMatch == nil)
        #expect(config.scheduleEnabled)
        #expect {
            _ = try DaemonConfig.load(file: nil, environment: ["JOBMATCH_SCHEDULE_NIGHTLY_MATCH": "0 2 * * *"], flags: [:], defaultWorkerID: "w")
        } throws: { "\($0)".contains("needs schedule.regions") }
        #expect {
            _ = try DaemonConfig.load(file: nil, environment: ["JOBMATCH_TIME_ZONE": "Mars/Olympus"], flags: [:], defaultWorkerID: "w")
        } throws: { "\($0)".contains("not a known time zone") }
        let off = try DaemonConfig.load(file: nil, environment: [:], flags: ["metrics.listen": "off", "schedule.enabled": "false"],
                                        defaultWorkerID: "w")
        #expect(off.metricsListen == nil)
        #expect(!off.scheduleEnabled)
    }

    @Test func logLinesCarryOnlyTheirMetadataAsTextOrJSON() {
        let now = Date(timeIntervalSince1970: 1_740_765_600)
        let metadata: Logger.Metadata = .keyed([.requestID: "7", .region: "410307", .error: "a \"quoted\" thing"])
        #expect(LineLogHandler.format(.text, level: .info, message: "run started", metadata: metadata, now: now)
                == #"2025-02-28T18:00:00.000Z info run started error="a \"quoted\" thing" region.code=410307 request.id=7"#)
        #expect(LineLogHandler.format(.json, level: .info, message: "run started", metadata: metadata, now: now)
                == #"{"time":"2025-02-28T18:00:00.000Z","level":"info","message":"run started","error":"a \"quoted\" thing","region.code":"410307","request.id":"7"}"#)
    }
}

enum CLIRunnerPaths {
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}
