import Domain
import Intake
import Postgres

/// What an import did (CONTRACT.md §2).
public struct ImportOutcome: Sendable, Equatable {
    public var kind: ImportKind
    /// Rows that passed validation (loaded, whether new, changed or unchanged).
    public var accepted: Int
    /// Rows refused (only with `partial`; otherwise nothing is written).
    public var rejected: Int
    /// New keys.
    public var inserted: Int
    /// Existing keys whose values changed.
    public var updated: Int
    /// Existing keys, nothing changed (their timestamps untouched).
    public var unchanged: Int { accepted - inserted - updated }
    /// Neighbour pairs added or removed (regions only).
    public var neighbourChanges: Int
    public var warnings: [String]
    /// SHA-256 of the file's bytes, as recorded in the audit trail.
    public var contentHash: String
}

/// The file was refused row by row (all-or-nothing mode): nothing was written.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    /// Every error of every bad row, in file order.
    public let errors: [RowError]
    public let rejectedRows: Int
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// One import: validate while streaming rows through COPY into a staging table,
/// then merge into the real table — all in one transaction, so a failed import
/// leaves the database exactly as it was.
public enum ImportService {
    /// Receives each bad row (for `--rejects`): the header, the raw record, its errors.
    public typealias RejectSink = (IntakeHeader, CSVRecord, [RowError]) throws -> Void

    /// Imports one file.
    /// - Parameters:
    ///   - chunks: the file's bytes, chunk by chunk, nil at the end.
    ///   - partial: load the good rows and hand the bad ones to `rejects`; otherwise any bad
    ///     row refuses the whole file (`ImportRejected`).
    ///   - progress: called with the number of rows read so far, now and then.
    public static func run(
        _ connection: Connection, kind: ImportKind, fileName: String, encoding: TextEncoding = .auto,
        partial: Bool, today: CivilDate, actor: String,
        chunks: () throws -> [UInt8]?, rejects: RejectSink? = nil, progress: ((Int) -> Void)? = nil
    ) throws -> ImportOutcome {
        let table = ImportTable.forKind(kind)
        do {
            return try connection.transaction { tx in
                let references = try loadReferences(tx, for: kind)
                try tx.execute(unsafeSQL: """
                    CREATE TEMP TABLE import_stage ON COMMIT DROP AS
                        SELECT \(table.columns.joined(separator: ", ")) FROM \(table.table) WITH NO DATA
                    """)
                var validator = IntakeValidator(kind: kind, file: fileName, encoding: encoding, today: today, references: references)
                var header: IntakeHeader?
                var errors: [RowError] = []
                var rejectedRows = 0
                var neighbourPairs: [(String, String)] = []
                var hash = SHA256()
                var rowsRead = 0
                var summary: IntakeSummary?
                let copySQL = Query(unsafeSQL: "COPY import_stage (\(table.columns.joined(separator: ", "))) FROM STDIN")
                try tx.copyIn(copySQL) { writer in
                    // Rows validated from one chunk wait here, then go to COPY: the
                    // validator's callback cannot hold the non-copyable writer.
                    var pending: [[String?]] = []
                    let emit: (IntakeEvent) throws -> Void = { event in
                        switch event {
                        case .header(let h):
                            header = h
                        case .accepted(let record, _):
                            rowsRead += 1
                            pending.append(record.stagingValues)
                            if case .region(let r) = record {
                                for n in r.neighbours { neighbourPairs.append((r.code.value, n.value)) }
                            }
                        case .rejected(let rowErrors, let raw):
                            rowsRead += 1
                            rejectedRows += 1
                            if partial, let header { try rejects?(header, raw, rowErrors) } else { errors += rowErrors }
                        }
                        if rowsRead % 16_384 == 0 { progress?(rowsRead) }
                    }
                    func flush(_ writer: inout CopyInWriter) throws {
                        for row in pending { try writer.append(row: row) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    while let chunk = try chunks() {
                        hash.update(chunk)
                        try validator.feed(chunk, emit)
                        try flush(&writer)
                    }
                    summary = try validator.finish(emit)
                    try flush(&writer)
                }
                if !errors.isEmpty {
                    throw ImportRejected(errors: errors, rejectedRows: rejectedRows)
                }
                let merged = try tx.query(Query(unsafeSQL: table.mergeSQL))[0]
                let inserted = try merged.int("inserted"), updated = try merged.int("updated")
                let neighbourChanges = kind == .regions ? try mergeNeighbours(tx, pairs: neighbourPairs) : 0
                let accepted = summary?.accepted ?? 0
                let contentHash = hash.finalizeHex()
                try Audit.record(tx, actor: actor, action: "import", subject: kind.rawValue, detail: [
                    "file": fileName, "sha256": contentHash, "accepted": String(accepted), "rejected": String(rejectedRows),
                    "inserted": String(inserted), "updated": String(updated),
                ])
                return ImportOutcome(kind: kind, accepted: accepted, rejected: rejectedRows, inserted: inserted, updated: updated,
                                     neighbourChanges: neighbourChanges, warnings: (summary?.warnings ?? []).map(\.description), contentHash: contentHash)
            }
        } catch let e as TransactionError {
            // Surface the validation outcome itself, not its transaction wrapper.
            if let rejected = e.body as? ImportRejected { throw rejected }
            if let fileError = e.body as? FileError { throw fileError }
            throw e
        }
    }

    /// What rows of `kind` may refer to (CONTRACT.md §2, the load order).
    static func loadReferences(_ c: Connection, for kind: ImportKind) throws -> KnownReferences {
        func set(_ sql: String) throws -> Set<String> {
            Set(try c.query(Query(unsafeSQL: sql)).map { try $0.string("k") })
        }
        var refs = KnownReferences(categories: try c.query("SELECT code, name FROM job_category ORDER BY code").map {
            JobCategory(code: try $0.string("code"), name: try $0.string("name"))
        })
        refs.towns = try set("SELECT code AS k FROM region")
        switch kind {
        case .seekers: refs.households = try set("SELECT household_id AS k FROM household")
        case .trainings: refs.seekers = try set("SELECT certificate_no AS k FROM seeker")
        case .openings, .employerYears, .rosters: refs.employers = try set("SELECT credit_code AS k FROM employer")
        case .placements:
            refs.seekers = try set("SELECT certificate_no AS k FROM seeker")
            refs.openings = try set("SELECT opening_id AS k FROM opening")
        case .regions, .households, .employers: break
        }
        return refs
    }

    /// Makes the file's neighbour lists the truth for its regions, symmetrically:
    /// (a, b) listed → both directions stored; a pair touching a region of the
    /// file that the file no longer lists → removed. Returns rows changed.
    static func mergeNeighbours(_ c: Connection, pairs: [(String, String)]) throws -> Int {
        try c.execute(unsafeSQL: "CREATE TEMP TABLE import_neighbour (a text, b text) ON COMMIT DROP")
        try c.copyIn("COPY import_neighbour (a, b) FROM STDIN") { w in
            for (a, b) in pairs where a != b {
                try w.append(row: [a, b])
                try w.append(row: [b, a])
            }
        }
        let removed = try c.query("""
            DELETE FROM region_neighbour n
            WHERE (n.region_code IN (SELECT code FROM import_stage) OR n.neighbour_code IN (SELECT code FROM import_stage))
              AND NOT EXISTS (SELECT 1 FROM import_neighbour i WHERE i.a = n.region_code AND i.b = n.neighbour_code)
            """).affectedRows
        let added = try c.query("""
            INSERT INTO region_neighbour (region_code, neighbour_code)
            SELECT DISTINCT a, b FROM import_neighbour
            ON CONFLICT ON CONSTRAINT region_neighbour_pk DO NOTHING
            """).affectedRows
        return removed + added
    }
}
