// ImportBench: `jobmatch import seekers` (full validation, staging, merge) against
// `psql -c "\copy …"` of the same file into an unvalidated table of the same columns
// (all text), in one run, at N and 4N seekers (issue 3, Performance).
//
//   swift build -c release --product jobmatch --product ImportBench
//   .build/release/ImportBench [--n 200000] [--seed 410307] [--database-url URL]
//                              [--jobmatch PATH] [--psql PATH] [--keep DIR] [--xlsx]
//
// Without --database-url it starts a throwaway LocalCluster (fsync off, as the tests
// do) in a temporary directory and stops it at the end; a --database-url database must
// hold no regions, households or seekers (the bench truncates its seeker table). The seekers are generated here,
// seeded: valid certificate numbers (GB 11643 check characters, real birth dates),
// Chinese names, towns of the example district (偃师区 and its 13 towns) and households
// loaded beforehand, every optional column filled in a realistic share of rows — about
// 120 bytes a row, like scripts/generate_district.py's. Regions and households are
// loaded first with `jobmatch import` (not timed).
//
// For each size it times, on an empty seeker table, (a) the release `jobmatch import
// seekers FILE --database-url URL` as a child process, wall clock, and its peak resident
// memory (`ru_maxrss` from wait4), then (b) `psql URL -c "\copy seeker_raw FROM FILE
// CSV HEADER"` into a plain table of the CSV's 14 columns, all text. It prints both
// rates in rows/s, their ratio (target ≥ 0.5) and jobmatch's peak memory at N and 4N
// (target: flat). A third figure is the floor for any loader of the real table: psql
// `\copy` of the same rows, already in the seeker table's own column format (exported
// from it after jobmatch's import), straight into the seeker table with its indexes and
// foreign keys; jobmatch's CPU time (user + system) shows how much is the client's.

import Domain
import EmbeddedPostgres
import Foundation
import Postgres
import Store

// MARK: - arguments

struct Options {
    var n = 200_000
    var seed: UInt64 = 410_307
    var databaseURL: String?
    var jobmatch: String?
    var psql = "psql"
    var keep: String?
    var repeats = 1
    /// Also import each file as an .xlsx workbook that LibreOffice made from it (issue 15).
    var xlsx = false
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    func value(_ name: String) -> String {
        guard let v = args.popFirst() else { fail("\(name) needs a value") }
        return v
    }
    func number<T: LosslessStringConvertible>(_ name: String) -> T {
        guard let v = T(value(name)) else { fail("\(name) needs a number") }
        return v
    }
    while let a = args.popFirst() {
        switch a {
        case "--n": o.n = number(a)
        case "--seed": o.seed = number(a)
        case "--database-url": o.databaseURL = value(a)
        case "--jobmatch": o.jobmatch = value(a)
        case "--psql": o.psql = value(a)
        case "--keep": o.keep = value(a)
        case "--repeat": o.repeats = max(1, number(a) as Int)
        case "--xlsx": o.xlsx = true
        case "-h", "--help":
            print("usage: ImportBench [--n 200000] [--seed N] [--database-url URL] [--jobmatch PATH] [--psql PATH] [--keep DIR] [--repeat K]")
            exit(0)
        default: fail("unknown argument \(a)")
        }
    }
    return o
}

/// The throwaway cluster, stopped by `fail` too.
nonisolated(unsafe) var throwawayCluster: LocalCluster?

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ImportBench: \(message)\n".utf8))
    try? throwawayCluster?.stop(mode: "immediate")
    exit(1)
}

// MARK: - generating the files


let towns = ["410307004", "410307005", "410307006", "410307007", "410307103", "410307104", "410307105",
             "410307106", "410307107", "410307108", "410307109", "410307110", "410307111"]
let birthRegions = ["410307", "410381", "410322", "410323", "410327", "410305"]
let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
let given = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕春雷晓东文")
let educations = ["none", "primary", "junior", "junior", "senior", "senior", "vocational", "college", "bachelor", "postgraduate"]
let skillCodes = ["computer", "massage", "handicraft", "sewing", "driving", "cooking", "typing", "livestream", "agriculture", "repair"]
let certificateCodes = ["health_cert", "massage_cert", "driver_c1", "electrician"]
let categories = ["cleaner_rural", "water_manager", "road_keeper", "community_service", "massage_health", "online_service",
                  "livestream", "courier", "handicraft", "assembly", "office", "retail", "agriculture"]
let flagCodes = ["dibao", "poverty_alleviated", "monitored"]
let header = "certificate_no,name,town_code,household_id,education,graduation_year,skills,certificates,intentions,work_capacity,flags,status,registered_on,phone"

/// Households `BH-0000001`…: one per four seekers of the largest size.
func householdsCSV(count: Int, rng: inout SplitMix64) -> String {
    var out = "household_id,town_code,employed_members,flags\n"
    out.reserveCapacity(count * 40)
    for i in 1...count {
        let flags = Int.random(in: 0..<10, using: &rng) == 0 ? flagCodes.randomElement(using: &rng)! : ""
        out += "BH-\(String(format: "%07d", i)),\(towns.randomElement(using: &rng)!),\(Int.random(in: 0...2, using: &rng)),\(flags)\n"
    }
    return out
}

/// `n` valid seekers. Certificate numbers are unique by construction: the birth date and
/// sequence number are a bijection of the row index (row i is born on day i mod 40 years,
/// with sequence number i div 40 years), so that, as in a real district, few people share
/// a birth date and a name (each such pair is flagged as a possible duplicate).
func writeSeekers(n: Int, households: Int, to path: String, rng: inout SplitMix64) throws {
    let born = CivilDate(year: 1966, month: 1, day: 1)!
    let registeredBase = CivilDate(year: 2018, month: 1, day: 1)!
    let span = 14_600
    precondition(n / 1000 < span, "at most \(span * 1000) seekers")
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    guard let handle = FileHandle(forWritingAtPath: path) else { fail("cannot write \(path)") }
    defer { try? handle.close() }
    var buffer = header + "\n"
    func list(_ from: [String], max: Int, rng: inout SplitMix64) -> String {
        let k = Int.random(in: 0...max, using: &rng)
        return k == 0 ? "" : from.shuffled(using: &rng).prefix(k).joined(separator: ";")
    }
    for i in 0..<n {
        let birth = born.adding(days: i % span)
        let ymd = birth.description.replacingOccurrences(of: "-", with: "")
        let head = birthRegions.randomElement(using: &rng)! + ymd + String(format: "%03d", i / span)
        let id = head + String(ResidentID.checkCharacter(for: Array(head.utf8)))
        let cert = id + "\(Int.random(in: 1...7, using: &rng))\(Int.random(in: 1...4, using: &rng))"
        var name = String(surnames.randomElement(using: &rng)!)
        for _ in 0..<Int.random(in: 1...2, using: &rng) { name.append(given.randomElement(using: &rng)!) }
        let household = Int.random(in: 0..<10, using: &rng) < 7 ? "BH-\(String(format: "%07d", Int.random(in: 1...households, using: &rng)))" : ""
        let education = educations.randomElement(using: &rng)!
        let graduation = Int.random(in: 0..<4, using: &rng) == 0 ? String(Int.random(in: 1990...2025, using: &rng)) : ""
        let capacity = ["full", "full", "full", "partial", "assisted"].randomElement(using: &rng)!
        let flags = Int.random(in: 0..<5, using: &rng) == 0 ? flagCodes.randomElement(using: &rng)! : ""
        let status = ["seeking", "seeking", "seeking", "employed", "inactive"].randomElement(using: &rng)!
        let registered = registeredBase.adding(days: Int.random(in: 0..<2700, using: &rng)).description
        let phone = Int.random(in: 0..<10, using: &rng) < 8 ? "1\(Int.random(in: 3...9, using: &rng))\(String(format: "%09d", Int.random(in: 0..<1_000_000_000, using: &rng)))" : ""
        buffer += "\(cert),\(name),\(towns.randomElement(using: &rng)!),\(household),\(education),\(graduation),"
        buffer += "\(list(skillCodes, max: 3, rng: &rng)),\(list(certificateCodes, max: 1, rng: &rng)),\(list(categories, max: 2, rng: &rng)),"
        buffer += "\(capacity),\(flags),\(status),\(registered),\(phone)\n"
        if buffer.utf8.count > 1 << 20 {
            handle.write(Data(buffer.utf8))
            buffer = ""
        }
    }
    handle.write(Data(buffer.utf8))
}

// MARK: - running children

struct ChildResult {
    var status: Int32
    var seconds: Double
    var cpuSeconds: Double
    var maxRSSKiB: Int
    var output: String
}

/// The child's wall time, CPU time and its own peak RSS (`ChildProcess`, wait4).
func runChild(_ argv: [String]) -> ChildResult {
    let outPath = NSTemporaryDirectory() + "importbench-\(getpid())-\(UUID().uuidString).out"
    defer { unlink(outPath) }
    let start = ContinuousClock.now
    let exit: ChildProcess.Exit
    do { exit = try ChildProcess(argv, stdout: outPath).wait() } catch { fail("cannot start \(argv[0]): \(error)") }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return ChildResult(status: exit.status, seconds: seconds, cpuSeconds: exit.cpuSeconds, maxRSSKiB: exit.maxRSSKiB,
                       output: String(decoding: ChildProcess.readFile(outPath), as: UTF8.self))
}

func mustSucceed(_ what: String, _ r: ChildResult) {
    guard r.status == 0 else { fail("\(what) exited \(r.status):\n\(r.output)") }
}

/// The release `jobmatch` beside this executable, else on PATH.
func defaultJobmatch() -> String {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("jobmatch").path
    return FileManager.default.isExecutableFile(atPath: beside) ? beside : "jobmatch"
}

// MARK: - main

let options = parseOptions()
let jobmatch = options.jobmatch ?? defaultJobmatch()
let workDir: String = {
    if let keep = options.keep {
        try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
        return keep
    }
    var template = Array((NSTemporaryDirectory() + "importbench-XXXXXX").utf8CString)
    guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { fail("mkdtemp failed") }
    return String(cString: p)
}()
chmod(workDir, 0o711)  // as root, the server runs as postgres and must reach its cluster below
let sizes = [options.n, 4 * options.n]
print("ImportBench: seed \(options.seed), sizes \(sizes.map(String.init).joined(separator: ", ")), work dir \(workDir)")
print("  jobmatch: \(jobmatch)")

var rng = SplitMix64(seed: options.seed)
let householdCount = max(1_000, sizes.last! / 4)
let householdsPath = workDir + "/households.csv"
try householdsCSV(count: householdCount, rng: &rng).write(toFile: householdsPath, atomically: true, encoding: .utf8)
let regionsPath = workDir + "/regions.csv"
try Data(ExampleDistrict.files.first { $0.kind == .regions }!.bytes).write(to: URL(fileURLWithPath: regionsPath))
var seekerFiles: [Int: String] = [:]
for n in sizes {
    let path = workDir + "/seekers-\(n).csv"
    let t = ContinuousClock.now
    try writeSeekers(n: n, households: householdCount, to: path, rng: &rng)
    let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print("  generated \(n) seekers, \(bytes / 1_048_576) MiB (\(bytes / max(n, 1)) bytes a row) in \(ContinuousClock.now - t)")
    seekerFiles[n] = path
    if options.xlsx {
        // LibreOffice Calc saves the CSV as .xlsx: certificate numbers and phones as text (文本).
        let t = ContinuousClock.now
        let profile = workDir + "/lo-profile"
        mustSucceed("soffice --convert-to xlsx", runChild([
            "soffice", "-env:UserInstallation=file://\(profile)", "--headless", "--norestore",
            "--infilter=CSV:44,34,76,1,1/2/14/2", "--convert-to", "xlsx", "--outdir", workDir, path]))
        let x = workDir + "/seekers-\(n).xlsx"
        let bytes = (try FileManager.default.attributesOfItem(atPath: x)[.size] as? Int) ?? 0
        print("  LibreOffice saved it as .xlsx, \(bytes / 1_048_576) MiB, in \(ContinuousClock.now - t)")
    }
}

// The database: given, or a throwaway cluster.
let url: String
if let given = options.databaseURL {
    url = given
} else {
    let c = LocalCluster(home: workDir + "/cluster", forTests: true)
    throwawayCluster = c
    do { try c.start() } catch { fail("could not start PostgreSQL: \(error)") }
    url = c.url
}

do {
    let c = try Connection.connect(ConnectionConfig(url: url))
    defer { c.close() }
    _ = try Migrator.migrate(c, actor: "importbench")
    try c.execute(unsafeSQL: "DROP TABLE IF EXISTS seeker_raw")
    let columns = header.split(separator: ",").map { "\($0) text" }.joined(separator: ", ")
    try c.execute(unsafeSQL: "CREATE TABLE seeker_raw (\(columns))")
    for t in ["region", "household", "seeker"] {
        let n = try c.query(Query(unsafeSQL: "SELECT count(*) AS n FROM \(t)"))[0].int("n")
        if n > 0 { fail("the database already holds \(n) rows in \(t); give the bench an empty database") }
    }
} catch {
    fail("preparing the database: \(error)")
}
mustSucceed("import regions", runChild([jobmatch, "--lang", "zh", "import", "regions", regionsPath, "--database-url", url]))
mustSucceed("import households", runChild([jobmatch, "--lang", "zh", "import", "households", householdsPath, "--database-url", url]))

func sql(_ text: String) {
    // Its own connection each time: nothing of the bench's stays open across the timed runs.
    do {
        let c = try Connection.connect(ConnectionConfig(url: url))
        defer { c.close() }
        try c.execute(unsafeSQL: text)
    } catch {
        fail("\(text): \(error)")
    }
}

struct Figures { var n: Int; var jobmatch: Double; var cpu: Double; var psql: Double; var floor: Double; var rssKiB: Int
    var xlsx: Double = .infinity; var xlsxRSSKiB = 0 }
let seekerColumns = "certificate_no, reissue, resident_id, name, town_code, household_id, education, graduation_year, skills, certificates, intentions, work_capacity, flags, status, registered_on, phone"
func psql(_ command: String) -> ChildResult {
    let r = runChild([options.psql, url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command])
    mustSucceed("psql \(command)", r)
    return r
}
var figures: [Figures] = []
for n in sizes {
    let file = seekerFiles[n]!
    let staged = workDir + "/seeker-rows-\(n).txt"
    var best = Figures(n: n, jobmatch: .infinity, cpu: .infinity, psql: .infinity, floor: .infinity, rssKiB: 0)
    for _ in 0..<options.repeats {
        sql("TRUNCATE seeker CASCADE")
        sql("VACUUM ANALYZE seeker")
        let j = runChild([jobmatch, "--lang", "zh", "import", "seekers", file, "--database-url", url])
        mustSucceed("jobmatch import seekers", j)
        guard j.output.contains("导入 \(n) 行（新增 \(n)") else { fail("unexpected import summary: \(j.output)") }
        // The floor: the same rows in the table's own format, psql straight into the real table.
        _ = psql("\\copy (SELECT \(seekerColumns) FROM seeker) TO '\(staged)'")
        sql("TRUNCATE seeker CASCADE")
        sql("VACUUM ANALYZE seeker")
        let f = psql("\\copy seeker (\(seekerColumns)) FROM '\(staged)'")
        sql("TRUNCATE seeker_raw")
        let p = psql("\\copy seeker_raw FROM '\(file)' CSV HEADER")
        best.jobmatch = min(best.jobmatch, j.seconds)
        best.cpu = min(best.cpu, j.cpuSeconds)
        best.psql = min(best.psql, p.seconds)
        best.floor = min(best.floor, f.seconds)
        best.rssKiB = max(best.rssKiB, j.maxRSSKiB)
        if options.xlsx {
            sql("TRUNCATE seeker CASCADE")
            sql("VACUUM ANALYZE seeker")
            let x = runChild([jobmatch, "--lang", "zh", "import", "seekers", workDir + "/seekers-\(n).xlsx", "--database-url", url])
            mustSucceed("jobmatch import seekers (.xlsx)", x)
            guard x.output.contains("导入 \(n) 行（新增 \(n)") else { fail("unexpected import summary: \(x.output)") }
            best.xlsx = min(best.xlsx, x.seconds)
            best.xlsxRSSKiB = max(best.xlsxRSSKiB, x.maxRSSKiB)
            print(String(format: "  n=%d: jobmatch import .xlsx %.2f s (CPU %.2f s, peak RSS %.1f MiB)",
                         n, x.seconds, x.cpuSeconds, Double(x.maxRSSKiB) / 1024))
        }
        print(String(format: "  n=%d: jobmatch import %.2f s (CPU %.2f s, peak RSS %.1f MiB); psql \\copy → seeker_raw %.2f s; psql \\copy → seeker %.2f s",
                     n, j.seconds, j.cpuSeconds, Double(j.maxRSSKiB) / 1024, p.seconds, f.seconds))
    }
    figures.append(best)
}

print("")
print("     seekers   jobmatch rows/s   psql→raw rows/s   ratio   psql→seeker rows/s   jobmatch/that   jobmatch CPU   peak RSS")
for f in figures {
    let jr = Double(f.n) / f.jobmatch, pr = Double(f.n) / f.psql, fr = Double(f.n) / f.floor
    print(String(format: "%12d %17.0f %17.0f %7.2f %20.0f %15.2f %12.2f s %6.1f MiB", f.n, jr, pr, jr / pr, fr, jr / fr, f.cpu,
                 Double(f.rssKiB) / 1024))
}
if figures.count == 2 {
    print(String(format: "peak memory at 4N / at N: %.2f (flat is ≈ 1)", Double(figures[1].rssKiB) / Double(max(figures[0].rssKiB, 1))))
}
if options.xlsx {
    for f in figures {
        print(String(format: "%d seekers from .xlsx: %.2f s against %.2f s from CSV (ratio %.2f, target ≤ 2), peak RSS %.1f MiB",
                     f.n, f.xlsx, f.jobmatch, f.xlsx / f.jobmatch, Double(f.xlsxRSSKiB) / 1024))
    }
    if figures.count == 2 {
        print(String(format: ".xlsx peak memory at 4N / at N: %.2f (target ≤ 1.1)", Double(figures[1].xlsxRSSKiB) / Double(max(figures[0].xlsxRSSKiB, 1))))
    }
}
try? throwawayCluster?.stop(mode: "immediate")
if options.keep == nil { try? FileManager.default.removeItem(atPath: workDir) }
