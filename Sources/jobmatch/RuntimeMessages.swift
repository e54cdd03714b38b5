import Foundation
import Postgres
import Render
import Store

/// A run-time failure (exit 1) in words a person reads (issue 17): never an
/// internal type's name, an SQLSTATE dump or a server message that may quote
/// values. This file only classifies a database failure; Render's catalogue
/// words it (`DatabaseFailure`), in the chosen language.
enum RuntimeMessages {
    static func describe(_ error: any Error) -> String {
        if let e = error as? TransactionError {
            // The body's failure is the cause; COMMIT and BEGIN failures come next.
            if let inner = e.body ?? e.commit ?? e.begin ?? e.rollback { return describe(inner) }
            return DatabaseFailure.transactionFailed.text()
        }
        if let e = error as? PostgresError { return database(e) }
        if case StoreError.schemaOutOfDate(let database, let binary)? = error as? StoreError {
            return Messages.schemaOutOfDate(database: database, binary: binary)
        }
        if let e = error as? AdvisoryLock.TimedOut { return LockMessages.timedOut(e.waitingFor, seconds: e.seconds) }
        return String(describing: error).split(separator: "\n").joined(separator: " ")
    }

    static func database(_ e: PostgresError) -> String { classify(e).text() }

    static func classify(_ e: PostgresError) -> DatabaseFailure {
        if e.isConnectionFailure { return .connectionLost }
        guard let state = e.sqlState else {
            if case .connect = e.kind { return .cannotConnect }
            return .unexpectedAnswer
        }
        switch state.code {
        case "40P01", "40001": return .concurrentChange
        case "23505": return .conflict
        case "23503", "23514", "23502", "23P01": return .ruleBroken
        case "55P03": return .lockTimeout
        case "57014": return .cancelled
        case "42501": return .permission
        default:
            switch state.classCode {
            case "22": return .outOfRange
            case "53": return .outOfResources
            case "57": return .shuttingDown
            default: return .refused
            }
        }
    }
}
