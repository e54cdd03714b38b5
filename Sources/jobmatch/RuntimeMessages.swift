import Foundation
import Postgres

/// A run-time failure (exit 1) in words a person reads (issue 17): never an
/// internal type's name, an SQLSTATE dump or a server message that may quote
/// values. The project's messages are English today; this is the one place the
/// CLI words database failures, ready to move to the zh/en catalogue.
enum RuntimeMessages {
    static func describe(_ error: any Error) -> String {
        if let e = error as? TransactionError {
            // The body's failure is the cause; COMMIT and BEGIN failures come next.
            if let inner = e.body ?? e.commit ?? e.begin ?? e.rollback { return describe(inner) }
            return "the database transaction failed; nothing was changed"
        }
        if let e = error as? PostgresError { return database(e) }
        return String(describing: error).split(separator: "\n").joined(separator: " ")
    }

    static func database(_ e: PostgresError) -> String {
        if e.isConnectionFailure {
            return "the connection to the database was lost; check that the database is running and try again"
        }
        guard let state = e.sqlState else {
            if case .connect = e.kind { return "could not connect to the database; check the database address and that it is running" }
            return "the database did not answer as expected; nothing was changed"
        }
        switch state.code {
        case "40P01", "40001":
            return "another command changed the same data at the same time; nothing was changed, run it again"
        case "23505":
            return "another command stored the same records at the same time, or the data conflicts with what is stored; nothing was changed"
        case "23503", "23514", "23502", "23P01":
            return "the data breaks a rule of the database (a reference or a check); nothing was changed"
        case "55P03":
            return "gave up waiting for another command working on the same data; nothing was changed, try again when it is done"
        case "57014":
            return "the database cancelled the command; nothing was changed"
        case "42501":
            return "the database account lacks a permission this command needs; nothing was changed"
        default:
            switch state.classCode {
            case "22": return "a value is out of the range the database accepts; nothing was changed"
            case "53": return "the database server is out of resources (disk, memory or connections); nothing was changed"
            case "57": return "the database server is shutting down or restarting; try again shortly"
            default: return "the database refused the command; nothing was changed"
            }
        }
    }
}
