import CLibPQ

/// Writes rows into a `COPY … FROM STDIN` (text format) started by `Connection.copyIn`.
///
/// Escapes per the COPY text format (`\N` for NULL; backslash, tab, newline and carriage
/// return as `\\`, `\t`, `\n`, `\r`), buffers about `bufferSizeDefault` bytes and hands
/// full buffers to `PQputCopyData`, so memory stays bounded however many rows are written.
public struct CopyInWriter: ~Copyable {
    /// Measured: ~256 KiB chunks reach psql's `\copy` speed (PLATFORM.md).
    public static let bufferSizeDefault = 256 * 1024

    let conn: OpaquePointer
    let file: String
    let line: Int
    var buffer: [UInt8]
    /// Rows appended so far.
    public private(set) var rowsWritten: Int64 = 0

    init(conn: OpaquePointer, file: String, line: Int) {
        self.conn = conn
        self.file = file
        self.line = line
        buffer = []
        buffer.reserveCapacity(Self.bufferSizeDefault + 4096)
    }

    /// Appends one row; nil is NULL. Wraps `PQputCopyData` when the buffer is full.
    public mutating func append(row: [String?]) throws(PostgresError) {
        var first = true
        for value in row {
            if !first { buffer.append(0x09) }  // column separator: tab
            first = false
            guard var value else {
                buffer.append(0x5C)  // NULL: \N
                buffer.append(0x4E)
                continue
            }
            value.withUTF8 { appendEscaped($0) }
        }
        buffer.append(0x0A)  // row terminator: newline
        rowsWritten += 1
        if buffer.count >= Self.bufferSizeDefault { try flush() }
    }

    /// Appends one row of non-null fields given as UTF-8 bytes, escaped as `append(row:)`
    /// escapes. For bulk rows whose fields the caller builds byte by byte (a run's candidate
    /// arrays): no `String` per field. Wraps `PQputCopyData` when the buffer is full.
    public mutating func append(utf8Fields row: [[UInt8]]) throws(PostgresError) {
        for (i, field) in row.enumerated() {
            if i > 0 { buffer.append(0x09) }
            field.withUnsafeBufferPointer { appendEscaped($0) }
        }
        buffer.append(0x0A)
        rowsWritten += 1
        if buffer.count >= Self.bufferSizeDefault { try flush() }
    }

    /// Copies runs of plain bytes in bulk and escapes the four special ones. A plain pointer
    /// loop with byte literals: generic iteration and static lets cost a metadata lookup or a
    /// once-check per byte in debug builds (measured: 57 s for a million rows, most of it here).
    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var runStart = 0
        var i = 0
        while i < count {
            let escaped: UInt8
            switch base[i] {
            case 0x5C: escaped = 0x5C  // backslash → \\
            case 0x09: escaped = 0x74  // tab → \t
            case 0x0A: escaped = 0x6E  // newline → \n
            case 0x0D: escaped = 0x72  // carriage return → \r
            default:
                i += 1
                continue
            }
            buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
            buffer.append(0x5C)
            buffer.append(escaped)
            i += 1
            runStart = i
        }
        buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart))
    }

    /// Sends the buffered bytes. Wraps `PQputCopyData`.
    mutating func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(conn, $0.baseAddress, Int32($0.count)) }
        }
        buffer.removeAll(keepingCapacity: true)
        if ok != 1 {
            throw .capture(.copy, operation: "PQputCopyData", connection: conn, result: nil, sent: true, file: file, line: line)
        }
    }
}

extension Connection {
    /// Runs `COPY … FROM STDIN` (text format) and feeds it the rows `body` appends.
    /// Wraps `PQsendQueryParams`, `PQputCopyData`, `PQputCopyEnd` and `PQgetResult`.
    ///
    /// If `body` throws, the COPY is ended with an error message (`PQputCopyEnd`), so the
    /// server aborts it and nothing is inserted; results are drained and the body's error is
    /// rethrown, leaving the connection usable. Returns the number of rows copied (`PQcmdTuples`).
    /// Holds the connection's lock throughout.
    @discardableResult
    public func copyIn(_ q: Query, file: String = #fileID, line: Int = #line,
                       _ body: (inout CopyInWriter) throws -> Void) throws -> Int64 {
        try lockedThrowing { conn in
            try send("PQsendQueryParams", q.binds, file: file, line: line) { values in
                PQsendQueryParams(conn, q.sql, Int32(q.binds.count), nil, values, nil, nil, 0)
            }
            _ = try collectCopyStart(PGRES_COPY_IN, file: file, line: line)
            var writer = CopyInWriter(conn: conn, file: file, line: line)
            do {
                try body(&writer)
                try writer.flush()
            } catch {
                _ = PQputCopyEnd(conn, "COPY aborted by the client")
                drain(conn)
                throw error
            }
            if PQputCopyEnd(conn, nil) != 1 {
                let error = PostgresError.capture(.copy, operation: "PQputCopyEnd", connection: conn, result: nil, sent: true, file: file, line: line)
                drain(conn)
                throw error
            }
            let rows = try collect("PQputCopyEnd", kind: .copy, file: file, line: line)
            return Int64(rows.affectedRows)
        }
    }

    /// Runs `COPY … TO STDOUT` and hands each chunk (one row, in text format) to `body`.
    /// Wraps `PQsendQueryParams`, `PQgetCopyData` and `PQgetResult`. Memory stays bounded.
    ///
    /// If `body` throws, the COPY is cancelled (`PQcancel`), the rest of the stream is read
    /// and discarded, and the body's error is rethrown. Returns the number of rows (`PQcmdTuples`).
    @discardableResult
    public func copyOut(_ q: Query, file: String = #fileID, line: Int = #line,
                        _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        try lockedThrowing { conn in
            try send("PQsendQueryParams", q.binds, file: file, line: line) { values in
                PQsendQueryParams(conn, q.sql, Int32(q.binds.count), nil, values, nil, nil, 0)
            }
            _ = try collectCopyStart(PGRES_COPY_OUT, file: file, line: line)
            var bodyError: (any Error)?
            while true {
                var chunk: UnsafeMutablePointer<CChar>?
                let n = PQgetCopyData(conn, &chunk, 0)
                if n > 0 {
                    defer { PQfreemem(chunk) }
                    if bodyError == nil {
                        do {
                            try body(UnsafeRawBufferPointer(start: chunk, count: Int(n)))
                        } catch {
                            bodyError = error
                            cancelCurrentQuery()
                        }
                    }
                } else if n == -1 {
                    break  // COPY done; the final result follows.
                } else {
                    let error = PostgresError.capture(.copy, operation: "PQgetCopyData", connection: conn, result: nil, sent: true, file: file, line: line)
                    drain(conn)
                    throw bodyError ?? error
                }
            }
            do {
                let rows = try collect("PQgetCopyData", kind: .copy, file: file, line: line)
                if let bodyError { throw bodyError }
                return Int64(rows.affectedRows)
            } catch {
                throw bodyError ?? error
            }
        }
    }

    /// Collects results until the expected COPY state; anything else is an error (drained).
    func collectCopyStart(_ state: ExecStatusType, file: String, line: Int) throws(PostgresError) -> ResultHandle {
        let (result, reached) = try collectResults("PQsendQueryParams", kind: .copy, expect: state, file: file, line: line)
        guard reached, let result else {
            throw PostgresError(kind: .protocolViolation, operation: "PQsendQueryParams",
                                message: "statement did not start COPY \(state == PGRES_COPY_IN ? "FROM STDIN" : "TO STDOUT")",
                                file: file, line: line)
        }
        return result
    }
}
