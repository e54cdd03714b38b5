// ReviewBench — times the pure annual review (POLICY.md §2–3) over a seeded
// synthetic district: 10,000 employers, 50,000 roster rows.
//
//   swift run -c release ReviewBench [--employers N] [--rows M] [--seed S] [--pack policy/henan.csv] [--only-review]
//
// The generator lives here, not in Quota: production modules carry no test data.
// The database end-to-end timing is the store's bench.
import Domain
import Foundation
import Quota
import Render
import EmbeddedPostgres
import Postgres
import Store
import App


func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

let employerCount = Int(option("--employers", "10000"))!
let rowCount = Int(option("--rows", "50000"))!
let seed = UInt64(option("--seed", "20240101"))!
let packPath = option("--pack", "policy/henan.csv")
let year = 2024
let jurisdiction = "CN-41-4103-410307"
let towns = (1...14).map { RegionCode("410307" + String(format: "%03d", $0)) }

func creditCode(_ n: Int) -> CreditCode {
    var body = "", v = n
    for _ in 0..<8 { body.append(CreditCode.alphabet[v % 31]); v /= 31 }
    let head = Array("914103070" + body)
    return try! CreditCode(String(head) + String(CreditCode.checkCharacter(for: head)!))
}

func certificate(serial: Int, _ g: inout SplitMix64) -> String {
    let y = Int.random(in: 1960...2006, using: &g), m = Int.random(in: 1...12, using: &g), d = Int.random(in: 1...28, using: &g)
    let head = "410307" + String(format: "%04d%02d%02d%03d", y, m, d, serial % 1000)
    return head + String(ResidentID.checkCharacter(for: Array(head.utf8))) + "\(Int.random(in: 1...7, using: &g))\(Int.random(in: 1...4, using: &g))"
}

guard let text = try? String(contentsOfFile: packPath, encoding: .utf8) else {
    FileHandle.standardError.write(Data("cannot read \(packPath); run from the repository root or pass --pack\n".utf8))
    exit(1)
}
let book = PolicyBook(try PolicyPacks.parse(csv: text))

var g = SplitMix64(seed: seed)
let types: [EmployerType] = [.enterprise, .enterprise, .enterprise, .enterprise, .institution, .agency, .socialOrg, .individual]
var employers: [Employer] = [], years: [EmployerYear] = [], rosters: [RosterRow] = []
for e in 0..<employerCount {
    let code = creditCode(e)
    employers.append(Employer(creditCode: code, name: "单位\(e)", town: towns[e % towns.count], type: types.randomElement(using: &g)!,
                              concentrated: Int.random(in: 0..<100, using: &g) == 0))
    guard Int.random(in: 0..<50, using: &g) != 0 else { continue } // 2 % missing_employer_year
    let n = Int.random(in: 0...2000, using: &g)
    let monthly = Int.random(in: 0..<10, using: &g) == 0 ? (0..<12).map { _ in Rational(max(0, n + Int.random(in: -5...5, using: &g))) } : nil
    let employees = monthly.map(EmployerYear.mean(ofMonths:)) ?? Rational(n)
    years.append(EmployerYear(creditCode: code, year: year, employees: employees, monthlyHeadcounts: monthly,
                              totalWages: Fen(yuan: Int64(n) * Int64.random(in: 40_000...220_000, using: &g))))
}
var people: [String] = []
for i in 0..<rowCount {
    let e = Int.random(in: 0..<employerCount, using: &g)
    var cert = certificate(serial: i, &g)
    if Int.random(in: 0..<200, using: &g) == 0, let someone = people.randomElement(using: &g) { cert = someone } // claimed twice
    if Int.random(in: 0..<100, using: &g) == 0 { cert = String(cert.dropLast()) + "9" }                          // bad grade
    people.append(cert)
    let start = CivilDate(year: Int.random(in: 2015...2024, using: &g), month: Int.random(in: 1...12, using: &g), day: 1)!
    rosters.append(RosterRow(creditCode: creditCode(e), year: year, certificateNo: cert, contractStart: start,
                             contractEnd: Int.random(in: 0..<3, using: &g) == 0 ? start.adding(days: Int.random(in: 300...1500, using: &g)) : nil,
                             establishment: Int.random(in: 0..<10, using: &g) == 0, monthsPaid: Int.random(in: 0...12, using: &g),
                             lowestMonthlyWage: Fen(yuan: Int64.random(in: 1900...5000, using: &g)),
                             newGraduate: Int.random(in: 0..<30, using: &g) == 0))
}

/// Process CPU time in seconds: the machine is shared, so wall time alone overstates the cost.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let clock = ContinuousClock()
var reviews: [EmployerReview] = []
let cpu0 = cpuSeconds()
let elapsed = try clock.measure {
    reviews = try QuotaReview.reviewAll(employers: employers, employerYears: years, rosters: rosters, year: year, book: book, jurisdiction: jurisdiction)
}
let cpuReview = cpuSeconds() - cpu0
let onlyReview = CommandLine.arguments.contains("--only-review")
var jsonBytes = 0
let cpu1 = cpuSeconds()
let encodeElapsed = try clock.measure { if !onlyReview { jsonBytes = try JSONEncoder().encode(reviews).count } }
let cpuEncode = cpuSeconds() - cpu1
let cpu2 = cpuSeconds()
let worksheetElapsed = clock.measure { if !onlyReview { for r in reviews.prefix(1000) { _ = QuotaWorksheet.render(r) } } }
let cpuWorksheet = cpuSeconds() - cpu2
let totals = ReviewTotals(reviews)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
func ms(_ d: Duration) -> String { String(format: "%.0f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15) }
let statusCounts = Dictionary(grouping: reviews, by: \.status).mapValues(\.count)
print("ReviewBench seed \(seed): \(employers.count) employers, \(rosters.count) roster rows, year \(year)")
print("review (pure): wall \(ms(elapsed)), CPU \(String(format: "%.0f", cpuReview * 1000)) ms; \(Int(Double(rosters.count) / seconds)) rows/s wall, \(Int(Double(rosters.count) / cpuReview)) rows/s CPU")
print("JSON encode (\(jsonBytes / 1_000_000) MB): wall \(ms(encodeElapsed)), CPU \(String(format: "%.0f", cpuEncode * 1000)) ms; 1,000 worksheets: wall \(ms(worksheetElapsed)), CPU \(String(format: "%.0f", cpuWorksheet * 1000)) ms")
print("statuses: " + statusCounts.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", "))
print("levy total \(totals.levy.grouped) yuan, reward total \(totals.reward.grouped) yuan, D total \(totals.counted.decimalString(places: 2))")

// MARK: - End to end through PostgreSQL (`--database`): load the same district
// into a throwaway cluster (or `--database-url`), then time what `jobmatch review`
// does: read the year's inputs and the book, review, store every review.
if CommandLine.arguments.contains("--database") {
    try endToEnd()
}

@MainActor func endToEnd() throws {
    let config: ConnectionConfig
    var cluster: LocalCluster?
    if let url = CommandLine.arguments.firstIndex(of: "--database-url").map({ CommandLine.arguments[$0 + 1] }) {
        config = ConnectionConfig(url: url)
    } else {
        let dir = NSTemporaryDirectory() + "jobmatch-reviewbench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o711)
        let c = LocalCluster(home: dir, forTests: true)
        config = try c.start()
        cluster = c
    }
    defer { try? cluster?.stop(mode: "immediate") }
    let c = try Connection.connect(config)
    defer { c.close() }
    _ = try Migrator.migrate(c, actor: "bench")
    try c.execute(unsafeSQL: "TRUNCATE review, roster, employer_year, employer, region CASCADE")
    try c.copyIn("COPY region (code, name, parent_code) FROM STDIN") { w in
        try w.append(row: ["410307", "偃师区", nil])
        for t in towns { try w.append(row: [t.value, "镇\(t.value)", "410307"]) }
    }
    try c.copyIn("COPY employer (credit_code, name, town_code, type, concentrated) FROM STDIN") { w in
        for e in employers { try w.append(row: [e.creditCode.value, e.name, e.town.value, e.type.code, e.concentrated ? "t" : "f"]) }
    }
    try c.copyIn("COPY employer_year (credit_code, year, employees, monthly_headcounts, total_wages_fen) FROM STDIN") { w in
        for y in years {
            try w.append(row: [y.creditCode.value, String(y.year), y.employees.decimalString(places: 10),
                               y.monthlyHeadcounts.map { "{" + $0.map { $0.decimalString(places: 10) }.joined(separator: ",") + "}" },
                               String(y.totalWages.value)])
        }
    }
    var keys = Set<String>()
    try c.copyIn("COPY roster (credit_code, year, person_key, certificate_no, contract_start, contract_end, establishment, months_paid, lowest_monthly_wage_fen, new_graduate) FROM STDIN") { w in
        for r in rosters {
            let key = String(r.certificateNo!.prefix(18))
            guard keys.insert(r.creditCode.value + key).inserted else { continue }
            try w.append(row: [r.creditCode.value, String(r.year), key, r.certificateNo, r.contractStart?.description, r.contractEnd?.description,
                               r.establishment ? "t" : "f", String(r.monthsPaid), String(r.lowestMonthlyWage.value), r.newGraduate ? "t" : "f"])
        }
    }
    let rowsLoaded = try c.query("SELECT count(*) AS n FROM roster")[0].int("n")
    // Where the time goes: reading inputs, then reading and reviewing (no store).
    let readCPU0 = cpuSeconds()
    let readElapsed = try clock.measure { _ = try ReviewStore.loadInputs(c, year: year) }
    let readCPU = cpuSeconds() - readCPU0
    let computeCPU0 = cpuSeconds()
    let computeElapsed = try clock.measure { _ = try Review.compute(c, year: year, jurisdiction: jurisdiction) }
    let computeCPU = cpuSeconds() - computeCPU0
    print("phases: read inputs wall \(ms(readElapsed)), CPU \(String(format: "%.0f", readCPU * 1000)) ms; read + review wall \(ms(computeElapsed)), CPU \(String(format: "%.0f", computeCPU * 1000)) ms")
    let cpu0 = cpuSeconds()
    var stored = 0
    let elapsed = try clock.measure {
        stored = try Review.review(c, year: year, jurisdiction: jurisdiction, actor: "bench").count
    }
    let cpu = cpuSeconds() - cpu0
    print("end to end (read inputs and book, review, store \(stored) reviews with their traces; \(rowsLoaded) roster rows): wall \(ms(elapsed)), CPU \(String(format: "%.0f", cpu * 1000)) ms — target < 5 s")
}
