import Domain
import Intake
import Postgres

/// The SQL of one import (the use case is App's `ImportService`): a staging
/// table that COPY fills, the duplicate checks over it, and the merge into the
/// real table — all inside the import's transaction.
public struct ImportStage: Sendable {
    let kind: ImportKind
    let table: ImportTable
    /// `--partial`: each staged row keeps its raw cells (a duplicate goes to the rejects file as spelled).
    let keepingRawRows: Bool

    /// Tunes the transaction for a whole file's sorts and creates the staging table.
    public static func create(_ tx: Connection, kind: ImportKind, keepingRawRows: Bool) throws -> ImportStage {
        // Sorts and hashes over a whole file's keys (duplicates, the merge, index
        // builds) stay in memory instead of spilling to disk.
        try tx.execute(unsafeSQL: "SET LOCAL work_mem = '64MB'; SET LOCAL maintenance_work_mem = '256MB'")
        let stage = ImportStage(kind: kind, table: ImportTable.forKind(kind), keepingRawRows: keepingRawRows)
        try createStage(tx, table: stage.table, keepingRawRows: keepingRawRows)
        return stage
    }

    /// A validated row as staged: its values, row number, key, accepted, and (partial) its raw cells.
    public func acceptedRow(_ record: ValidatedRecord, raw: CSVRecord) -> [String?] {
        var row = record.stagingValues
        row.append(String(raw.row))
        row.append(record.key)
        row.append("t")
        if keepingRawRows { row.append(raw.fields.postgresText) }
        return row
    }

    /// A rejected row still claims its key: a later row with it is a duplicate.
    public func rejectedRow(raw: CSVRecord, key: String) -> [String?] {
        var row = [String?](repeating: nil, count: table.columns.count)
        row += [String(raw.row), key, "f"]
        if keepingRawRows { row.append(nil) }
        return row
    }

    /// COPY into the staging table; `body` appends the rows.
    public func copy(_ tx: Connection, _ body: (inout CopyInWriter) throws -> Void) throws {
        let copySQL = Query(unsafeSQL: "COPY import_stage (\(table.stageColumns(keepingRawRows: keepingRawRows).joined(separator: ", "))) FROM STDIN")
        try tx.copyIn(copySQL, body)
    }

    /// See `removeDuplicates(_:kind:table:…)` below.
    public func removeDuplicates(_ tx: Connection, header: IntakeHeader, fileName: String, rejectedRows: Int,
                                 report: (RowError, CSVRecord?) throws -> Void) throws -> Set<Int> {
        try Self.removeDuplicates(tx, kind: kind, table: table, header: header, fileName: fileName, rejectedRows: rejectedRows,
                                  stagedRawRows: keepingRawRows, report: report)
    }

    /// What the merge did.
    public struct Merged: Sendable {
        public var bulk: Bool
        public var inserted: Int
        public var updated: Int
        /// Per column the file has, how many existing rows changed in it (columns with none left out).
        public var columnChanges: [(column: String, rows: Int)]
        public var identityWarnings: [ImportWarning]
        public var certificatesChanged: Int
        public var staleRowsSkipped: Int
        public var possibleDuplicates: Int
    }

    /// Merges the staged rows into the real table (seekers: one person, one record
    /// first); a bulk load when worth it (`BulkLoad`).
    public func merge(_ tx: Connection, header: IntakeHeader?, acceptedRows: Int, actor: String, fileName: String,
                      bulkLoadMinimumRows: Int) throws -> Merged {
        var identity = SeekerIdentity.Outcome()
        if kind == .seekers { try SeekerIdentity.reconcile(tx, actor: actor, fileName: fileName, into: &identity) }
        let bulk = try BulkLoad.isWorthIt(tx, table: self.table, stagedRows: acceptedRows, minimumNewRows: bulkLoadMinimumRows)
        // A column the file does not have leaves the stored field alone (CONTRACT.md §2).
        let table = header.map { h in self.table.keeping(unmentionedBy: Set(h.columns.compactMap { $0 })) } ?? self.table
        var columnChanges: [(column: String, rows: Int)] = []
        if let sql = table.columnChangesSQL() {
            let row = try tx.query(Query(unsafeSQL: sql))[0]
            for c in table.updatable ?? [] where try row.int(c) > 0 { columnChanges.append((c, try row.int(c))) }
        }
        let merged = try bulk
            ? BulkLoad.suspending(tx, table: table) { try tx.query(Query(unsafeSQL: table.mergeSQL(bulk: true)))[0] }
            : tx.query(Query(unsafeSQL: table.mergeSQL(bulk: false)))[0]
        let inserted = try merged.int("inserted"), updated = try merged.int("updated")
        if kind == .seekers { try SeekerIdentity.flagPossibleDuplicates(tx, bulk: bulk, into: &identity) }
        return Merged(bulk: bulk, inserted: inserted, updated: updated, columnChanges: columnChanges,
                      identityWarnings: identity.warnings, certificatesChanged: identity.certificatesChanged,
                      staleRowsSkipped: identity.staleRowsSkipped, possibleDuplicates: identity.possibleDuplicates)
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
    public static func loadReferences(_ c: Connection, for kind: ImportKind) throws -> KnownReferences {
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
    public static func mergeNeighbours(_ c: Connection, pairs: [(String, String)]) throws -> Int {
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
