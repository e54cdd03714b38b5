import Postgres

/// Large imports suspend the table's foreign keys and secondary indexes while they
/// merge, and build them again before commit (migration 0008 says why and how
/// it stays safe). Keys and checks stay in force throughout.
enum BulkLoad {
    /// Whether the rows in `import_stage` are a bulk load for `table`: at least
    /// `minimumNewRows` new keys (fewer go row by row: a rebuild costs the whole
    /// table), and at least half as many as the table holds. Rebuilding costs about 1–2 µs per row of the whole table and saves
    /// about 25 µs per new row (two foreign keys, three indexes on `seeker`), so
    /// this errs on the side of row by row.
    static func isWorthIt(_ c: Connection, table: ImportTable, stagedRows: Int, minimumNewRows: Int) throws -> Bool {
        guard stagedRows >= minimumNewRows, stagedRows > 0 else { return false }
        let sameKey = table.key.map { "t.\($0) = s.\($0)" }.joined(separator: " AND ")
        let counts = try c.query(Query(unsafeSQL: """
            SELECT (SELECT count(*) FROM import_stage s
                    WHERE NOT EXISTS (SELECT 1 FROM \(table.table) t WHERE \(sameKey))) AS new_rows,
                   (SELECT count(*) FROM \(table.table)) AS existing_rows
            """))[0]
        let newRows = try counts.int("new_rows"), existingRows = try counts.int("existing_rows")
        return newRows >= minimumNewRows && newRows > 0 && newRows * 2 >= existingRows
    }

    /// Runs `merge` with `table`'s foreign keys and secondary indexes suspended, then
    /// builds them again (re-checking every row's references). Must run inside
    /// the import's transaction: a failure anywhere rolls the suspension back too.
    ///
    /// The merge joins the table it writes. A nested loop that scans the table for
    /// each staged row would also scan every row the statement has added so far (not
    /// visible to it, but there): quadratic — minutes for 200,000 rows when the
    /// table's statistics say it is empty. Hash joins read each side once.
    static func suspending<T>(_ c: Connection, table: ImportTable, _ merge: () throws -> T) throws -> T {
        _ = try c.query("SELECT bulk_load_suspend(\(table.table)) AS suspended")
        try c.execute(unsafeSQL: "SET LOCAL enable_nestloop = off")
        let result = try merge()
        try c.execute(unsafeSQL: "SET LOCAL enable_nestloop = on")
        _ = try c.query("SELECT bulk_load_restore(\(table.table)) AS restored")
        return result
    }
}
