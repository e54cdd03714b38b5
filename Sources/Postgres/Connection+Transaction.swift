import CLibPQ

extension Connection {
    /// Runs `body` in a transaction: BEGIN (with isolation and access mode), body, COMMIT; or
    /// ROLLBACK if the body throws. Holds this connection's lock throughout, so other threads
    /// wait. Every failure is kept in the `TransactionError`. A COMMIT that the server answers
    /// with ROLLBACK (the body swallowed a statement error) is a commit failure.
    /// Retrying on `isRetryable` is the caller's decision: the body must be safe to run again.
    @discardableResult
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted, readOnly: Bool = false,
        file: String = #fileID, line: Int = #line,
        _ body: (Connection) throws -> T
    ) throws(TransactionError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let conn = open()
        precondition(PQtransactionStatus(conn) == PQTRANS_IDLE || PQstatus(conn) != CONNECTION_OK,
                     "transaction(): nested or already inside a transaction block")
        do {
            try query(Query(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.sql)\(readOnly ? " READ ONLY" : "")"), file: file, line: line)
        } catch {
            throw TransactionError(begin: error)
        }
        let value: T
        do {
            value = try body(self)
        } catch let bodyError {
            var rollbackError: PostgresError?
            do { try query("ROLLBACK", file: file, line: line) } catch { rollbackError = error }
            throw TransactionError(body: bodyError, rollback: rollbackError)
        }
        let rows: Rows
        do {
            rows = try query("COMMIT", file: file, line: line)
        } catch {
            throw TransactionError(commit: error)
        }
        if rows.commandTag != "COMMIT" {
            throw TransactionError(commit: PostgresError(
                kind: .transaction, operation: "PQsendQueryParams",
                message: "COMMIT answered \(rows.commandTag): the transaction had already failed", file: file, line: line))
        }
        return value
    }
}
