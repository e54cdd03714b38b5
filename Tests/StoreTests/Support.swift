import App
import Domain
import Foundation
import Intake
import Postgres
import Store
import TestSupport

/// The example district's date: validation's "today" for every import here.
let exampleToday = CivilDate(iso: ExampleDistrict.runDate)!

/// A connection to a fresh migrated database of its own, closed when `body` returns.
@discardableResult
func withMigratedDatabase<T>(_ body: (Connection) throws -> T) throws -> T {
    let c = try MigratedDatabase.connect()
    defer { c.close() }
    return try body(c)
}

/// A connection to a fresh, empty (unmigrated) database, closed when `body` returns.
@discardableResult
func withEmptyDatabase<T>(_ body: (Connection) throws -> T) throws -> T {
    let c = try TestPostgres.freshConnection()
    defer { c.close() }
    return try body(c)
}

/// The example district's bytes for one kind (embedded in the binary; same as examples/yanshi).
func exampleFile(_ kind: ImportKind) -> [UInt8] {
    ExampleDistrict.files.first { $0.kind == kind }!.bytes
}

/// The example's files in load order, up to but not including `kind` (all of them when nil).
func loadExample(_ c: Connection, before kind: ImportKind? = nil) throws {
    for f in ExampleDistrict.files {
        if f.kind == kind { return }
        try importBytes(c, f.kind, f.bytes, name: f.name)
    }
}

/// Imports `bytes` through `ImportService.run`, fed in `chunkSize` pieces (small, so
/// records and multi-byte characters straddle chunk boundaries).
@discardableResult
func importBytes(_ c: Connection, _ kind: ImportKind, _ bytes: [UInt8], name: String? = nil, partial: Bool = false,
                 chunkSize: Int = 1000, rejects: ImportService.RejectSink? = nil,
                 bulkLoadMinimumRows: Int = ImportService.bulkLoadMinimumRowsDefault) throws -> ImportOutcome {
    var offset = 0
    return try ImportService.run(
        c, kind: kind, fileName: name ?? "\(kind.rawValue).csv", partial: partial, today: exampleToday, actor: "test",
        chunks: {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + chunkSize)
            defer { offset = end }
            return Array(bytes[offset..<end])
        },
        rejects: rejects, bulkLoadMinimumRows: bulkLoadMinimumRows)
}

/// The table each import kind lands in.
func table(_ kind: ImportKind) -> String {
    switch kind {
    case .regions: "region"
    case .households: "household"
    case .seekers: "seeker"
    case .trainings: "training"
    case .employers: "employer"
    case .openings: "opening"
    case .employerYears: "employer_year"
    case .rosters: "roster"
    case .placements: "placement"
    }
}

/// Every table imports write, plus the audit log.
let importedTables = ImportKind.allCases.map(table) + ["region_neighbour", "audit_log"]

func count(_ c: Connection, _ table: String) throws -> Int {
    try c.query(Query(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].int("n")
}

/// Row counts of every imported table (and the audit log).
func counts(_ c: Connection) throws -> [String: Int] {
    var out: [String: Int] = [:]
    for t in importedTables { out[t] = try count(c, t) }
    return out
}

/// A canonical text dump of a table: each row as JSON without its timestamps, sorted.
func dump(_ c: Connection, _ table: String) throws -> [String] {
    // seeker_id is random (migration 0013): two loads of one file differ in it alone.
    try c.query(Query(unsafeSQL: "SELECT (to_jsonb(t) - 'created_at' - 'updated_at' - 'seeker_id')::text AS j FROM \(table) t ORDER BY 1"))
        .map { try $0.string("j") }
}

/// Each row's key → its `updated_at` and `xmin` (a rewritten row gets a new xmin even
/// when its values are equal).
func stamps(_ c: Connection, _ table: String, key: String) throws -> [String: String] {
    var out: [String: String] = [:]
    for row in try c.query(Query(unsafeSQL: "SELECT \(key)::text AS k, updated_at::text || ' ' || xmin::text AS s FROM \(table)")) {
        out[try row.string("k")] = try row.string("s")
    }
    return out
}

/// One CSV record, quoted by RFC 4180 (written here, independently of the code under test).
func csvLine(_ fields: [String], crlf: Bool = false) -> String {
    fields.map { f in
        f.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
    }.joined(separator: ",") + (crlf ? "\r\n" : "\n")
}

/// A CSV file from a header and records.
func csvFile(_ header: [String], _ records: [[String]]) -> [UInt8] {
    Array((csvLine(header) + records.map { csvLine($0) }.joined()).utf8)
}

/// The example's records of one kind (header first), split by the RFC 4180 reader.
func exampleRecords(_ kind: ImportKind) throws -> (header: [String], records: [[String]]) {
    let all = try CSVReader.records(in: exampleFile(kind), file: "\(kind.rawValue).csv").map(\.fields)
    return (all[0], Array(all.dropFirst()))
}

/// A valid 20-character certificate number from a sequence number 0–999 (district 410307,
/// born 1990-01-01, category 4, grade 3).
func certificateNumber(_ n: Int) -> String {
    let head = "41030719900101" + String(format: "%03d", n % 1000)
    return head + String(ResidentID.checkCharacter(for: Array(head.utf8))) + "43"
}

/// SHA-256 of `bytes` in hex, by `sha256sum` (independent of the implementation under test).
func sha256Hex(_ bytes: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "jm-sha-\(UUID().uuidString)"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try runCommand("/usr/bin/sha256sum", [path])
    return String(r.output.prefix(64))
}

/// Runs a command to completion; returns its status and combined output.
func runCommand(_ path: String, _ args: [String], cwd: URL? = nil) throws -> (status: Int32, output: String) {
    let r = try Spawn.run([path] + args, currentDirectory: cwd?.path)
    return (r.status, r.stdout + r.stderr)
}

/// A fresh temporary directory; the caller removes it.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("jm-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

