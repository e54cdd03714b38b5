import Foundation
import Postgres
import TestSupport

/// A connection to a database of its own, closed when the test's closure returns.
func withFreshConnection<T>(_ body: (Connection) throws -> T) throws -> T {
    let connection = try TestPostgres.freshConnection()
    defer { connection.close() }
    return try body(connection)
}

/// Resident set size in bytes, from /proc/self/statm (second field, in pages).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Runs `body` and returns the PostgresError it throws, or nil.
func postgresError(_ body: () throws -> Void) -> PostgresError? {
    do {
        try body()
        return nil
    } catch let error as PostgresError {
        return error
    } catch {
        return nil
    }
}

struct ExpectedFailure: Error, Equatable {
    let tag: String
}
