import Checksum
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
    /// Per column the file has, how many existing rows changed in it (columns with none left out).
    public var columnChanges: [ColumnChange] = []

    public struct ColumnChange: Sendable, Equatable {
        public let column: String
        public let rows: Int
        public init(column: String, rows: Int) { self.column = column; self.rows = rows }
    }
    /// Seekers whose certificate number the file replaced (a reassessment; seekers only).
    public var renamed: Int = 0
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
    /// A file that adds at least this many rows, and at least half as many as the
    /// table holds, is loaded as a bulk load (`BulkLoad`: migration 0008).
    public static let bulkLoadMinimumRowsDefault = 10_000

    /// Receives each bad row (for `--rejects`): the header, the raw record, its errors.
    public typealias RejectSink = (IntakeHeader, CSVRecord, [RowError]) throws -> Void

    /// Imports one file.
    /// - Parameters:
    ///   - chunks: the file's bytes, chunk by chunk, nil at the end.
    ///   - records: for a file another reader reads (a workbook, `Sheets`): calls its argument with
    ///     each row, the header first; `chunks` then only gives the bytes for the audit hash.
    ///   - partial: load the good rows and hand the bad ones to `rejects`; otherwise any bad
    ///     row refuses the whole file (`ImportRejected`).
    ///   - progress: called with the number of rows read so far, now and then.
    ///   - bulkLoadMinimumRows: the fewest new rows that make a bulk load (`BulkLoad`); tests lower it.
    public static func run(
        _ connection: Connection, kind: ImportKind, fileName: String, encoding: TextEncoding = .auto,
        partial: Bool, today: CivilDate, actor: String,
        chunks: () throws -> [UInt8]?, records: ((_ each: (CSVRecord) throws -> Void) throws -> Void)? = nil,
        rejects: RejectSink? = nil, progress: ((Int) -> Void)? = nil,
        bulkLoadMinimumRows: Int = bulkLoadMinimumRowsDefault
    ) throws -> ImportOutcome {
        let table = ImportTable.forKind(kind)
        do {
            return try connection.transaction { tx in
                // Sorts and hashes over a whole file's keys (duplicates, the merge, index
                // builds) stay in memory instead of spilling to disk.
                try tx.execute(unsafeSQL: "SET LOCAL work_mem = '64MB'; SET LOCAL maintenance_work_mem = '256MB'")
                // One import at a time: waits (bounded, and says so) for another (issue 17).
                try AdvisoryLock.transactionLock(tx, .imports, waitingFor: "another import")
                let references = try loadReferences(tx, for: kind)
                try createStage(tx, table: table, keepingRawRows: partial)
                // Duplicate keys are found in the staging table, not in memory, so that
                // the import's memory does not grow with the file (issue 3).
                var validator = IntakeValidator(kind: kind, file: fileName, encoding: encoding, today: today,
                                                references: references, duplicateKeys: .byCaller)
                var header: IntakeHeader?
                var errors: [RowError] = []
                var rejectedRows = 0
                var neighbourPairs: [(row: Int, region: String, neighbour: String)] = []
                var hash = SHA256()
                var rowsRead = 0
                var summary: IntakeSummary?
                let copySQL = Query(unsafeSQL: "COPY import_stage (\(table.stageColumns(keepingRawRows: partial).joined(separator: ", "))) FROM STDIN")
                try tx.copyIn(copySQL) { writer in
                    // Rows validated from one chunk wait here, then go to COPY: the
                    // validator's callback cannot hold the non-copyable writer.
                    var pending: [[String?]] = []
                    let emit: (IntakeEvent) throws -> Void = { event in
                        switch event {
                        case .header(let h):
                            header = h
                        case .accepted(let record, let raw):
                            rowsRead += 1
                            var row = record.stagingValues
                            row.append(String(raw.row))
                            row.append(record.key)
                            row.append("t")
                            if partial { row.append(raw.fields.postgresText) }
                            pending.append(row)
                            if case .region(let r) = record {
                                for n in r.neighbours { neighbourPairs.append((raw.row, r.code.value, n.value)) }
                            }
                        case .rejected(let rowErrors, let raw, let key):
                            rowsRead += 1
                            rejectedRows += 1
                            if partial, let header { try rejects?(header, raw, rowErrors) } else { errors += rowErrors }
                            // A rejected row still claims its key: a later row with it is a duplicate.
                            if let key {
                                var row = [String?](repeating: nil, count: table.columns.count)
                                row += [String(raw.row), key, "f"]
                                if partial { row.append(nil) }
                                pending.append(row)
                            }
                        }
                        if rowsRead % 16_384 == 0 { progress?(rowsRead) }
                    }
                    func flush(_ writer: inout CopyInWriter) throws {
                        for row in pending { try writer.append(row: row) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    while let chunk = try chunks() {
                        hash.update(chunk)
                        if records != nil { continue }
                        try validator.feed(chunk, emit)
                        try flush(&writer)
                    }
                    // A workbook (issue 15): `chunks` gave its bytes for the hash, `records` gives its rows.
                    try records? { record in
                        try validator.feed(record: record, emit)
                        try flush(&writer)
                    }
                    summary = try validator.finish(emit)
                    try flush(&writer)
                }
                var duplicates: Set<Int> = []
                if let header {
                    duplicates = try removeDuplicates(tx, kind: kind, table: table, header: header, fileName: fileName,
                                                      rejectedRows: rejectedRows, stagedRawRows: partial) { error, raw in
                        if partial, let raw { try rejects?(header, raw, [error]) } else { errors.append(error) }
                    }
                }
                rejectedRows += duplicates.count
                if !errors.isEmpty {
                    // File order, as the validator reports them; a row's own errors keep their order.
                    errors = errors.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
                    throw ImportRejected(errors: errors, rejectedRows: rejectedRows)
                }
                var identity = SeekerIdentity.Outcome()
                if kind == .seekers { try SeekerIdentity.reconcile(tx, actor: actor, fileName: fileName, into: &identity) }
                let accepted = (summary?.accepted ?? 0) - duplicates.count
                let bulk = try BulkLoad.isWorthIt(tx, table: table, stagedRows: accepted, minimumNewRows: bulkLoadMinimumRows)
                // A column the file does not have leaves the stored field alone (CONTRACT.md §2).
                let table = header.map { h in table.keeping(unmentionedBy: Set(h.columns.compactMap { $0 })) } ?? table
                var columnChanges: [ImportOutcome.ColumnChange] = []
                if let sql = table.columnChangesSQL() {
                    let row = try tx.query(Query(unsafeSQL: sql))[0]
                    for c in table.updatable ?? [] where try row.int(c) > 0 { columnChanges.append(.init(column: c, rows: try row.int(c))) }
                }
                let merged = try bulk
                    ? BulkLoad.suspending(tx, table: table) { try tx.query(Query(unsafeSQL: table.mergeSQL(bulk: true)))[0] }
                    : tx.query(Query(unsafeSQL: table.mergeSQL(bulk: false)))[0]
                let inserted = try merged.int("inserted"), updated = try merged.int("updated")
                if kind == .seekers { try SeekerIdentity.flagPossibleDuplicates(tx, bulk: bulk, into: &identity) }
                let neighbourChanges = kind == .regions && header?.columns.contains("neighbours") != false
                    ? try mergeNeighbours(tx, pairs: neighbourPairs.filter { !duplicates.contains($0.row) }.map { ($0.region, $0.neighbour) })
                    : 0
                let contentHash = hash.finalizeHex()
                try Audit.record(tx, actor: actor, action: "import", subject: kind.rawValue, detail: [
                    "file": fileName, "sha256": contentHash, "accepted": String(accepted), "rejected": String(rejectedRows),
                    "inserted": String(inserted), "updated": String(updated), "bulk_load": bulk ? "yes" : "no",
                ].merging(kind == .seekers ? [
                    "certificates_changed": String(identity.certificatesChanged), "stale_rows_skipped": String(identity.staleRowsSkipped),
                    "possible_duplicates": String(identity.possibleDuplicates),
                ] : [:]) { a, _ in a })
                return ImportOutcome(kind: kind, accepted: accepted, rejected: rejectedRows, inserted: inserted, updated: updated,
                                     neighbourChanges: neighbourChanges, warnings: (summary?.warnings ?? []).map(\.description) + identity.warnings, contentHash: contentHash,
                                     columnChanges: columnChanges, renamed: identity.certificatesChanged)
            }
        } catch let e as TransactionError {
            // Surface the validation outcome itself, not its transaction wrapper.
            if let rejected = e.body as? ImportRejected { throw rejected }
            if let fileError = e.body as? FileError { throw fileError }
            throw e
        }
    }

    /// The staging table: the real table's columns (no constraints: a rejected row
    /// stages only its key), then the file's row number, the row's key, whether the
    /// row passed validation and, for `--partial`, the raw cells (a duplicate found
    /// here goes to the rejects file as the input spelled it).
    static func createStage(_ c: Connection, table: ImportTable, keepingRawRows: Bool) throws {
        try c.execute(unsafeSQL: """
            CREATE TEMP TABLE import_stage ON COMMIT DROP AS
                SELECT \(table.columns.joined(separator: ", ")) FROM \(table.table) WITH NO DATA;
            ALTER TABLE import_stage ADD COLUMN row_no integer NOT NULL, ADD COLUMN row_key text NOT NULL,
                ADD COLUMN accepted boolean NOT NULL\(keepingRawRows ? ", ADD COLUMN raw text[]" : "")
            """)
    }

    /// Finds the rows whose key an earlier row of the file has (the key rule of
    /// CONTRACT.md §2), and for seekers the rows whose person (resident ID) an
    /// earlier accepted row has (one person, one record: issue 7); hands each to
    /// `report` with its raw cells when they were staged; leaves only the rows
    /// to merge in the staging table. Returns the rows it refused.
    static func removeDuplicates(
        _ c: Connection, kind: ImportKind, table: ImportTable, header: IntakeHeader, fileName: String, rejectedRows: Int,
        stagedRawRows: Bool, report: (RowError, CSVRecord?) throws -> Void
    ) throws -> Set<Int> {
        let valueColumn = kind.duplicateKeyColumnName
        let rawColumn = stagedRawRows ? "raw" : "NULL::text[] AS raw"
        func raw(_ row: Row, _ number: Int) throws -> CSVRecord? {
            try row.optionalString("raw") == nil ? nil : CSVRecord(fields: try row.stringArray("raw"), row: number)
        }
        var refused: [Int] = []
        let sameKey = try c.query(Query(unsafeSQL: """
            SELECT row_no, accepted, row_key, \(valueColumn) AS value, \(rawColumn) FROM import_stage
            WHERE row_key IN (SELECT row_key FROM import_stage GROUP BY row_key HAVING count(*) > 1)
            ORDER BY row_key, row_no
            """))
        var group = "", first = 0
        for row in sameKey {
            let number = try row.int("row_no"), key = try row.string("row_key")
            if key != group { group = key; first = number; continue }
            // A row already rejected for its own errors is reported once, with those.
            guard try row.bool("accepted") else { continue }
            refused.append(number)
            try report(header.duplicateKeyError(kind: kind, file: fileName, row: number, value: try row.string("value"), firstRow: first),
                       try raw(row, number))
        }
        if rejectedRows > 0 || !refused.isEmpty {
            _ = try c.query("DELETE FROM import_stage WHERE NOT accepted OR row_no = ANY(\(refused))")
        }
        guard kind == .seekers else { return Set(refused) }
        var samePerson: [Int] = []
        let people = try c.query(Query(unsafeSQL: """
            SELECT row_no, resident_id, certificate_no, \(rawColumn) FROM import_stage
            WHERE resident_id IN (SELECT resident_id FROM import_stage GROUP BY resident_id HAVING count(*) > 1)
            ORDER BY resident_id, row_no
            """))
        group = ""
        for row in people {
            let number = try row.int("row_no"), person = try row.string("resident_id")
            if person != group { group = person; first = number; continue }
            samePerson.append(number)
            try report(header.samePersonError(file: fileName, row: number, certificate: try row.string("certificate_no"), firstRow: first),
                       try raw(row, number))
        }
        if !samePerson.isEmpty {
            _ = try c.query("DELETE FROM import_stage WHERE row_no = ANY(\(samePerson))")
        }
        return Set(refused + samePerson)
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
