import CLibPQ

/// The rows of one result, copied out of the `PGresult` (which is then cleared, once).
public struct Rows: Sequence, Sendable {
    let storage: RowsStorage

    /// Column names in order.
    public var columns: [String] { storage.columns }
    /// The number of rows returned.
    public var count: Int { storage.rowCount }
    /// `PQcmdTuples`: rows inserted, updated, deleted, copied… (0 when not applicable).
    public var affectedRows: Int { storage.affectedRows }
    /// `PQcmdStatus`: the command tag, e.g. `INSERT 0 1`.
    public var commandTag: String { storage.commandTag }

    public subscript(row: Int) -> Row {
        precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
        return Row(storage: storage, index: row)
    }

    /// The first row, if any.
    public var first: Row? { count > 0 ? self[0] : nil }

    public func makeIterator() -> AnyIterator<Row> {
        var i = 0
        return AnyIterator {
            guard i < self.count else { return nil }
            defer { i += 1 }
            return self[i]
        }
    }

    static let empty = Rows(storage: RowsStorage(columns: [], values: [], rowCount: 0, affectedRows: 0, commandTag: ""))

    /// Copies everything out of `result`; does not clear it.
    init(copying result: OpaquePointer) {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for r in 0..<Int32(rowCount) {
            for c in 0..<Int32(columnCount) {
                if PQgetisnull(result, r, c) == 1 {
                    values.append(nil)
                } else {
                    let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, r, c), count: Int(PQgetlength(result, r, c)))
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        self.storage = RowsStorage(
            columns: columns, values: values, rowCount: rowCount, affectedRows: affected,
            commandTag: String(cString: PQcmdStatus(result)))
    }

    init(storage: RowsStorage) { self.storage = storage }
}

/// Immutable after init, hence Sendable.
final class RowsStorage: Sendable {
    let columns: [String]
    let columnIndex: [String: Int]
    let values: [String?]
    let rowCount: Int
    let affectedRows: Int
    let commandTag: String

    init(columns: [String], values: [String?], rowCount: Int, affectedRows: Int, commandTag: String) {
        self.columns = columns
        var index: [String: Int] = [:]
        for (i, name) in columns.enumerated() where index[name] == nil { index[name] = i }
        self.columnIndex = index
        self.values = values
        self.rowCount = rowCount
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }
}

/// One row: text values by column name or index.
public struct Row: Sendable {
    let storage: RowsStorage
    let index: Int

    /// The text value, or nil for NULL or an unknown column (first column of that name).
    public subscript(_ column: String) -> String? {
        guard let c = storage.columnIndex[column] else { return nil }
        return self[c]
    }

    /// The text value at a column index, nil for NULL.
    public subscript(_ column: Int) -> String? {
        precondition(column >= 0 && column < storage.columns.count, "column \(column) out of range")
        return storage.values[index * storage.columns.count + column]
    }

    /// Whether the column exists and is NULL.
    public func isNull(_ column: String) throws(RowDecodingError) -> Bool {
        guard let c = storage.columnIndex[column] else { throw RowDecodingError(column: column, reason: .noSuchColumn) }
        return self[c] == nil
    }

    /// The non-null text value, or nil if NULL; throws for an unknown column.
    public func optionalString(_ column: String) throws(RowDecodingError) -> String? {
        guard let c = storage.columnIndex[column] else { throw RowDecodingError(column: column, reason: .noSuchColumn) }
        return self[c]
    }

    /// The non-null text value.
    public func string(_ column: String) throws(RowDecodingError) -> String {
        guard let value = try optionalString(column) else { throw RowDecodingError(column: column, reason: .unexpectedNull) }
        return value
    }

    /// The text value, or `default` if NULL.
    public func string(_ column: String, default defaultValue: String) throws(RowDecodingError) -> String {
        try optionalString(column) ?? defaultValue
    }

    private func parse<T>(_ column: String, _ expected: String, _ parse: (String) -> T?) throws(RowDecodingError) -> T? {
        guard let text = try optionalString(column) else { return nil }
        guard let value = parse(text) else { throw RowDecodingError(column: column, reason: .invalidText(expected: expected)) }
        return value
    }

    private func required<T>(_ column: String, _ value: T?) throws(RowDecodingError) -> T {
        guard let value else { throw RowDecodingError(column: column, reason: .unexpectedNull) }
        return value
    }

    public func optionalInt(_ column: String) throws(RowDecodingError) -> Int? { try parse(column, "Int") { Int($0) } }
    public func int(_ column: String) throws(RowDecodingError) -> Int { try required(column, optionalInt(column)) }
    public func optionalInt64(_ column: String) throws(RowDecodingError) -> Int64? { try parse(column, "Int64") { Int64($0) } }
    public func int64(_ column: String) throws(RowDecodingError) -> Int64 { try required(column, optionalInt64(column)) }
    public func optionalDouble(_ column: String) throws(RowDecodingError) -> Double? { try parse(column, "Double") { Double($0) } }
    public func double(_ column: String) throws(RowDecodingError) -> Double { try required(column, optionalDouble(column)) }

    /// `t`/`f` as PostgreSQL prints booleans in text format.
    public func optionalBool(_ column: String) throws(RowDecodingError) -> Bool? {
        try parse(column, "Bool") { $0 == "t" ? true : $0 == "f" ? false : nil }
    }
    public func bool(_ column: String) throws(RowDecodingError) -> Bool { try required(column, optionalBool(column)) }
}
