import Checksum
import Domain
import Intake
import Postgres
import Store

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
    public var warnings: [ImportWarning]
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
        do {
            return try connection.transaction { tx in
                // One import at a time: waits (bounded, and says so) for another (issue 17).
                try AdvisoryLock.transactionLock(tx, .imports, waitingFor: .importing)
                let references = try ImportStage.loadReferences(tx, for: kind)
                let stage = try ImportStage.create(tx, kind: kind, keepingRawRows: partial)
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
                try stage.copy(tx) { writer in
                    // Rows validated from one chunk wait here, then go to COPY: the
                    // validator's callback cannot hold the non-copyable writer.
                    var pending: [[String?]] = []
                    let emit: (IntakeEvent) throws -> Void = { event in
                        switch event {
                        case .header(let h):
                            header = h
                        case .accepted(let record, let raw):
                            rowsRead += 1
                            pending.append(stage.acceptedRow(record, raw: raw))
                            if case .region(let r) = record {
                                for n in r.neighbours { neighbourPairs.append((raw.row, r.code.value, n.value)) }
                            }
                        case .rejected(let rowErrors, let raw, let key):
                            rowsRead += 1
                            rejectedRows += 1
                            if partial, let header { try rejects?(header, raw, rowErrors) } else { errors += rowErrors }
                            // A rejected row still claims its key: a later row with it is a duplicate.
                            if let key { pending.append(stage.rejectedRow(raw: raw, key: key)) }
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
                    duplicates = try stage.removeDuplicates(tx, header: header, fileName: fileName,
                                                            rejectedRows: rejectedRows) { error, raw in
                        if partial, let raw { try rejects?(header, raw, [error]) } else { errors.append(error) }
                    }
                }
                rejectedRows += duplicates.count
                if !errors.isEmpty {
                    // File order, as the validator reports them; a row's own errors keep their order.
                    errors = errors.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
                    throw ImportRejected(errors: errors, rejectedRows: rejectedRows)
                }
                let accepted = (summary?.accepted ?? 0) - duplicates.count
                let merged = try stage.merge(tx, header: header, acceptedRows: accepted, actor: actor, fileName: fileName,
                                             bulkLoadMinimumRows: bulkLoadMinimumRows)
                let bulk = merged.bulk, inserted = merged.inserted, updated = merged.updated
                let columnChanges = merged.columnChanges.map { ImportOutcome.ColumnChange(column: $0.column, rows: $0.rows) }
                let neighbourChanges = kind == .regions && header?.columns.contains("neighbours") != false
                    ? try ImportStage.mergeNeighbours(tx, pairs: neighbourPairs.filter { !duplicates.contains($0.row) }.map { ($0.region, $0.neighbour) })
                    : 0
                let contentHash = hash.finalizeHex()
                try Audit.record(tx, actor: actor, action: "import", subject: kind.rawValue, detail: [
                    "file": fileName, "sha256": contentHash, "accepted": String(accepted), "rejected": String(rejectedRows),
                    "inserted": String(inserted), "updated": String(updated), "bulk_load": bulk ? "yes" : "no",
                ].merging(kind == .seekers ? [
                    "certificates_changed": String(merged.certificatesChanged), "stale_rows_skipped": String(merged.staleRowsSkipped),
                    "possible_duplicates": String(merged.possibleDuplicates),
                ] : [:]) { a, _ in a })
                return ImportOutcome(kind: kind, accepted: accepted, rejected: rejectedRows, inserted: inserted, updated: updated,
                                     neighbourChanges: neighbourChanges, warnings: (summary?.warnings ?? []).map(ImportWarning.intake) + merged.identityWarnings, contentHash: contentHash,
                                     columnChanges: columnChanges, renamed: merged.certificatesChanged)
            }
        } catch let e as TransactionError {
            // Surface the validation outcome itself, not its transaction wrapper.
            if let rejected = e.body as? ImportRejected { throw rejected }
            if let fileError = e.body as? FileError { throw fileError }
            throw e
        }
    }
}
