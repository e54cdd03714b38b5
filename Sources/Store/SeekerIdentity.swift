import Domain
import Intake
import Postgres

/// One person, one record (issue 7; migration 0007): what a seekers import
/// does, inside its transaction, about people it already knows.
///
/// - The same resident ID under a new certificate number (a reassessed
///   category or grade) is the same person: the newer certificate — the one in
///   the file — wins. The seeker's key is renamed, training and placement
///   follow through ON UPDATE CASCADE, the run tables are updated here, and the
///   old number goes to `seeker_certificate_history`.
/// - A row carrying a number that was already replaced is stale: it is not
///   loaded (it would bring the old category and grade back).
/// - Two records with one name and one birth date but different resident IDs
///   may be one person: they go to `possible_duplicate`, never merged.
///
/// Every message is masked (CONTRACT.md §5): staff read them on stderr.
enum SeekerIdentity {
    struct Outcome {
        var warnings: [ImportWarning] = []
        var certificatesChanged = 0
        var staleRowsSkipped = 0
        var possibleDuplicates = 0

        /// Messages of one kind past this many are counted in one line, not listed:
        /// a first load can flag thousands of pairs, and staff read the rest in the table.
        static let listedPerKindDefault = 20

        /// Lists the first `listedPerKindDefault` of `items` one per line, then counts the rest.
        mutating func warn<S: Sequence>(_ items: S, more: ImportWarning.Listed, _ line: (S.Element) throws -> ImportWarning) rethrows {
            var count = 0
            for item in items {
                if count < Self.listedPerKindDefault { warnings.append(try line(item)) }
                count += 1
            }
            if count > Self.listedPerKindDefault { warnings.append(.more(count - Self.listedPerKindDefault, more)) }
        }
    }

    /// Before the merge: drops stale rows from `import_stage` and renames reassessed seekers.
    static func reconcile(_ tx: Connection, actor: String, fileName: String, into outcome: inout Outcome) throws {
        let stale = try tx.query("""
            DELETE FROM import_stage s
            WHERE NOT EXISTS (SELECT 1 FROM seeker t WHERE t.certificate_no = s.certificate_no)
              AND EXISTS (SELECT 1 FROM seeker_certificate_history h WHERE h.old_certificate_no = s.certificate_no)
              AND EXISTS (SELECT 1 FROM seeker t WHERE t.resident_id = s.resident_id)
            RETURNING s.certificate_no AS old_no,
                      (SELECT t.certificate_no FROM seeker t WHERE t.resident_id = s.resident_id) AS current_no
            """)
        try outcome.warn(stale, more: .replacedCertificates) { row in
            // Category and grade are health data: never in a message (CONTRACT.md §5).
            .certificateReplaced(old: Masking.identifier(try row.string("old_no")), current: Masking.identifier(try row.string("current_no")))
        }
        outcome.staleRowsSkipped = stale.count

        try tx.execute(unsafeSQL: """
            CREATE TEMP TABLE import_renamed ON COMMIT DROP AS
            SELECT t.certificate_no AS old_no, s.certificate_no AS new_no, s.resident_id
            FROM import_stage s JOIN seeker t ON t.resident_id = s.resident_id AND t.certificate_no <> s.certificate_no
            """)
        let renamed = try tx.query("SELECT old_no, new_no, resident_id FROM import_renamed ORDER BY resident_id")
        guard renamed.count > 0 else { return }
        // A run of a region these seekers live in must not commit their old numbers after
        // the rename: take the regions' run locks (the town and every region above it, in
        // code order) before renaming. A run in flight finishes first, and the UPDATEs
        // below re-map its rows; a run that starts later waits for this commit (issue 17).
        let regions = try tx.query("""
            WITH RECURSIVE up(code) AS (
                SELECT DISTINCT t.town_code FROM seeker t JOIN import_renamed r ON t.certificate_no = r.old_no
                UNION
                SELECT g.parent_code FROM region g JOIN up ON g.code = up.code WHERE g.parent_code IS NOT NULL
            )
            SELECT code FROM up ORDER BY code
            """).map { try $0.string("code") }
        for region in regions {
            try AdvisoryLock.transactionLock(tx, .region(region), waitingFor: .matchingRun(region: region))
        }
        try tx.query("""
            INSERT INTO seeker_certificate_history (resident_id, old_certificate_no, new_certificate_no, changed_by, source_file)
            SELECT resident_id, old_no, new_no, \(actor), \(fileName) FROM import_renamed
            """)
        try tx.execute(unsafeSQL: """
            UPDATE seeker t SET certificate_no = r.new_no, updated_at = now() FROM import_renamed r WHERE t.certificate_no = r.old_no
            """)
        // The run tables keep no foreign key to seeker (a run is a snapshot); the
        // person's proposals must still be confirmable under the number in force.
        for table in ["proposal", "candidate_set", "unmatched"] {
            try tx.execute(unsafeSQL: """
                UPDATE \(table) x SET certificate_no = r.new_no FROM import_renamed r WHERE x.certificate_no = r.old_no
                """)
        }
        try outcome.warn(renamed, more: .changedCertificates) { row in
            .certificateChanged(residentID: Masking.identifier(try row.string("resident_id")))
        }
        outcome.certificatesChanged = renamed.count
    }

    /// After the merge: lists the file's seekers that share a name and a birth date with
    /// another resident ID in `possible_duplicate` (new pairs only are reported).
    ///
    /// A bulk load first groups the whole table by name and birth date (one hash
    /// aggregate; few groups hold two people), then keeps the pairs that touch the
    /// file, instead of probing the index once per row of the file (the planner,
    /// left to itself, joins the file first: 1.4 s of 2.3 s for 200,000 rows).
    static func flagPossibleDuplicates(_ tx: Connection, bulk: Bool, into outcome: inout Outcome) throws {
        // Pairs (a, b): a is one of the file's seekers, b another resident ID with a's name and birth date.
        let pairsSQL = bulk
            ? """
              WITH shared AS MATERIALIZED (
                  SELECT name, substr(resident_id, 7, 8) AS birth FROM seeker GROUP BY 1, 2 HAVING count(*) > 1
              ), pair AS MATERIALIZED (
                  SELECT a.certificate_no AS a, b.certificate_no AS b
                  FROM shared g
                  JOIN seeker a ON a.name = g.name AND substr(a.resident_id, 7, 8) = g.birth
                  JOIN seeker b ON b.name = g.name AND substr(b.resident_id, 7, 8) = g.birth AND b.resident_id <> a.resident_id
              )
              SELECT a, b FROM pair WHERE a IN (SELECT certificate_no FROM import_stage)
              """
            : """
              SELECT a.certificate_no AS a, b.certificate_no AS b
              FROM import_stage s
              JOIN seeker a ON a.certificate_no = s.certificate_no
              JOIN seeker b ON b.name = a.name AND substr(b.resident_id, 7, 8) = substr(a.resident_id, 7, 8)
                           AND b.resident_id <> a.resident_id
              """
        let pairs = try tx.query(Query(unsafeSQL: """
            INSERT INTO possible_duplicate (certificate_no_a, certificate_no_b, reason)
            SELECT DISTINCT least(p.a, p.b), greatest(p.a, p.b), 'same_name_and_birth_date'
            FROM (\(pairsSQL)) p
            ON CONFLICT ON CONSTRAINT possible_duplicate_pk DO NOTHING
            RETURNING certificate_no_a, certificate_no_b
            """))
        try outcome.warn(pairs, more: .possibleDuplicates) { row in
            .possibleDuplicate(Masking.identifier(try row.string("certificate_no_a")), Masking.identifier(try row.string("certificate_no_b")))
        }
        outcome.possibleDuplicates = pairs.count
    }
}
