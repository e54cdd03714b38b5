// Issue 17: the hostile-input corpus (Tests/Fixtures/hostile, plus inputs too
// large to keep, made here). Each case: the exit code, a short message in
// words (never an internal type's name or an SQLSTATE), the rule it names, and
// not one row of the database changed.

import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.serialized) struct HostileCorpusTests {
    struct Case: Sendable, CustomStringConvertible {
        let kind: String
        let file: String
        let message: String
        var status: Int32 = 3
        var extra: [String] = []
        var description: String { (file as NSString).lastPathComponent }
    }

    static let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/hostile").path

    static let cases: [Case] = [
        Case(kind: "seekers", file: "seekers-nul-in-name.csv", message: "第 2 行，列 name：值 梁*"),
        Case(kind: "seekers", file: "seekers-esc-in-name.csv", message: "含有控制字符"),
        Case(kind: "seekers", file: "seekers-tab-in-name.csv", message: "含有控制字符"),
        Case(kind: "seekers", file: "seekers-line-break-in-name.csv", message: "含有控制字符"),
        Case(kind: "seekers", file: "seekers-nul-in-skills.csv", message: "第 2 行，列 skills"),
        Case(kind: "openings", file: "openings-nul-in-title.csv", message: "第 2 行，列 title"),
        Case(kind: "openings", file: "openings-slots-2147483648.csv", message: "第 2 行，列 slots：值 2147483648 — 应在 "),
        Case(kind: "openings", file: "openings-slots-20-digits.csv", message: "第 2 行，列 slots"),
        Case(kind: "rosters", file: "rosters-veteran-grade-11-digits.csv", message: "第 2 行，列 veteran_grade"),
        Case(kind: "placements", file: "placements-contract-months-11-digits.csv", message: "第 2 行，列 contract_months"),
        Case(kind: "employer-years", file: "employer-years-employees-30-digits.csv", message: "第 2 行，列 employees"),
        Case(kind: "employer-years", file: "employer-years-employees-29-digits.csv", message: "位数过多"),
        Case(kind: "employer-years", file: "employer-years-headcounts-huge.csv", message: "第 2 行，列 monthly_headcounts"),
        Case(kind: "seekers", file: "seekers-utf8-stray-byte.csv", message: "第 2 行：文件第 172 个字节处不是有效的 UTF-8"),
        Case(kind: "seekers", file: "seekers-unterminated-quote.csv", message: "没有结束引号"),
        Case(kind: "seekers", file: "seekers-empty.csv", message: "文件是空的"),
        Case(kind: "seekers", file: "seekers-bom-only.csv", message: "文件是空的"),
        Case(kind: "seekers", file: "seekers-forbidden-column.csv", message: "平等就业不允许"),
        Case(kind: "seekers", file: "/dev/zero", message: "/dev/zero：是设备，不是文件"),
        Case(kind: "seekers", file: "/tmp", message: "/tmp：是文件夹，不是文件"),
        Case(kind: "seekers", file: "/nonexistent/seekers.csv", message: "无法打开读取（No such file or directory）"),
    ]

    /// Every table's row count and a hash of its rows: equal before and after means nothing changed.
    static func fingerprint(_ config: ConnectionConfig) throws -> [String: String] {
        let c = try Connection.connect(config)
        defer { c.close() }
        var out: [String: String] = [:]
        for t in try c.query("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").map({ try $0.string("t") }) {
            let q = Query.quoteIdentifier(t)
            out[t] = try c.query(Query(unsafeSQL: "SELECT count(*)::text || ':' || coalesce(sum(hashtext(x::text)::bigint), 0)::text AS f FROM \(q) x"))[0].string("f")
        }
        return out
    }

    /// Runs `args` and checks: the status, a message with `needle` on its first line, no internal text, nothing changed.
    static func refused(_ args: [String], status: Int32, needle: String, config: ConnectionConfig, url: String,
                        maxLines: Int = 2) throws -> Spawn.Result {
        let before = try fingerprint(config)
        let r = try jobmatch(args + ["--database-url", url])
        let out = lines(r.stderr)
        #expect(r.status == status, "\(args): \(r.stderr)")
        #expect(out.first?.contains(needle) == true, "\(args): \(out)")
        #expect(out.count <= maxLines && !out.isEmpty, "\(args): \(out.count) lines")
        for bad in ["Error(", "SQLSTATE", "PostgresError", "TransactionError", "FileError", "Fatal error", "\u{1B}", "\u{0}"] {
            #expect(!r.stderr.contains(bad), "\(args): \(bad) in \(r.stderr)")
        }
        #expect(try fingerprint(config) == before, "\(args) changed the database")
        return r
    }

    @Test("each file of the hostile corpus is refused with its message and nothing changes", arguments: cases)
    func corpus(_ c: Case) throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let path = c.file.hasPrefix("/") ? c.file : "\(Self.fixtures)/\(c.file)"
        let started = Date()
        _ = try Self.refused(["import", c.kind, path] + c.extra, status: c.status, needle: c.message, config: config, url: url)
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test("inputs too large to keep: no line break, a quote never closed, a huge row — refused in seconds")
    func largeInputs() throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let dir = try temporaryDirectory("hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = "certificate_no,name,town_code,household_id,education,graduation_year,skills,certificates,intentions,work_capacity,flags,status,registered_on,phone\n"
        let big = Data(repeating: UInt8(ascii: "a"), count: 8 << 20)
        let cases: [(String, Data, String)] = [
            ("no-line-break.csv", big, "第 1 行：有一个值超过 64 KiB"),
            ("zeros.csv", Data(count: 8 << 20), "第 1 行：有一个值超过 64 KiB"),
            ("open-quote.csv", Data((header + "4103,\"").utf8) + big, "第 2 行：有一个值超过 64 KiB"),
            ("wide-row.csv", Data(header.utf8) + Data(String(repeating: "x,", count: 600_000).utf8), "第 2 行：该行超过 1024 KiB"),
        ]
        for (name, bytes, needle) in cases {
            let path = dir.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            let started = Date()
            _ = try Self.refused(["import", "seekers", path], status: 3, needle: needle, config: config, url: url)
            #expect(Date().timeIntervalSince(started) < 20, "\(name)")
        }
    }

    @Test("--rejects naming the input is refused and the input is left as it was")
    func rejectsIsTheInput() throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let dir = try temporaryDirectory("hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("seekers.csv")
        try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/seekers-nul-in-name.csv")).write(to: input)
        let original = try Data(contentsOf: input)
        // The same file by another spelling, and through a symbolic link.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.csv").path, withDestinationPath: input.path)
        for rejects in [input.path, dir.path + "/./seekers.csv", dir.appendingPathComponent("link.csv").path] {
            _ = try Self.refused(["import", "seekers", input.path, "--partial", "--rejects", rejects], status: 2,
                                 needle: "就是输入文件本身", config: config, url: url)
            #expect(try Data(contentsOf: input) == original)
        }
    }

    @Test("--partial loads the good rows when one holds a NUL; the rejects file is 0600 whatever the umask")
    func partialWithANul() throws {
        let config = try ExampleDistrictLoader.config()
        let url = CLIRunner.databaseURL(for: config)
        let dir = try temporaryDirectory("hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("openings.csv")
        let header = "opening_id,kind,employer_credit_code,category,title,town_code,slots,reach,demands,min_age,max_age,required_certificates,required_skills,preferred_skills,monthly_wage,hours_per_week,open_from,open_until\n"
        let row = "HOLES-{id},public_welfare,,community_service,{title},410307004,1,town,,18,59,,,,2000,40,2025-02-22,\n"
        let text = header + row.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{title}", with: "社区服务")
            + row.replacingOccurrences(of: "{id}", with: "2").replacingOccurrences(of: "{title}", with: "社区\u{0}服务")
        try Data(text.utf8).write(to: input)
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let openings = try count(config, "opening")
        let r = try Spawn.run(["/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\"", CLIRunner.binary.path,
                               "import", "openings", input.path, "--partial", "--rejects", rejects, "--database-url", url],
                              environment: cleanEnvironment())
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try count(config, "opening") == openings + 1)
        var st = stat()
        #expect(stat(rejects, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        let written = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(written.contains("HOLES-2") && written.contains("含有控制字符"))
    }
}
