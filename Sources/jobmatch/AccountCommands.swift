import ArgumentParser
import Foundation
import Postgres
import Store
import Web

/// Account errors (an unknown user, an existing name, an unknown region) are input rejected: exit 3.
private func rejecting<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as AccountStore.AccountError {
        throw InputRejected(lines: ["jobmatch: \(e)"])
    } catch let e as TransactionError {
        if let a = e.body as? AccountStore.AccountError { throw InputRejected(lines: ["jobmatch: \(a)"]) }
        throw e
    }
}

extension AccountStore.Role: ExpressibleByArgument {}

/// Reads a password from standard input (one line; not echoed by a pipe).
private func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true), line.count >= 8 else {
        throw InputRejected(lines: ["jobmatch: standard input: the password must be one line of at least 8 characters"])
    }
    return line
}

/// `jobmatch user add|passwd|disable|list` (CONTRACT.md §1): staff accounts of the web application.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Staff accounts of the web application (passwords from standard input, stored as bcrypt hashes).",
        subcommands: [Add.self, Passwd.self, Disable.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account; its password is read from standard input.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "User name (letters, digits, '_', '.', '-').") var name: String
        @Option(help: "admin, staff or viewer.") var role: AccountStore.Role
        @Option(name: .customLong("region"), help: "A region the user may see (repeatable; none: every region).") var regions: [String] = []

        func run() throws {
            // Hashed once (salted): a repeat through a failover finds the same hash and is done (issue 18).
            let hash = Secrets.hashPassword(try readPassword())
            try WritableRetry.run(db) { c in
                try rejecting {
                    try AccountStore.addUser(c, username: name, role: role, passwordHash: hash, regions: regions, actor: db.resolvedActor)
                }
            }
            print("added user \(name) (\(role.rawValue)\(regions.isEmpty ? ", every region" : ", regions " + regions.joined(separator: ",")))")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a new password (from standard input); ends the user's sessions and lifts a lock.")
        @OptionGroup var db: DatabaseOptions
        @Argument var name: String

        func run() throws {
            // A repeat sets the same hash again and ends no more sessions (issue 18).
            let hash = Secrets.hashPassword(try readPassword())
            try WritableRetry.run(db) { c in
                try rejecting { try AccountStore.setPassword(c, username: name, passwordHash: hash, actor: db.resolvedActor) }
            }
            print("password of \(name) changed")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions.")
        @OptionGroup var db: DatabaseOptions
        @Argument var name: String

        func run() throws {
            // A repeat disables the account again (issue 18).
            try WritableRetry.run(db) { c in try rejecting { try AccountStore.disable(c, username: name, actor: db.resolvedActor) } }
            print("disabled \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var db: DatabaseOptions

        func run() throws {
            let c = try db.connectMigrated()
            defer { c.close() }
            for u in try AccountStore.listUsers(c) {
                var line = "\(u.username)\t\(u.role.rawValue)\t\(u.regions.isEmpty ? "*" : u.regions.joined(separator: ","))"
                if u.disabled { line += "\tdisabled" }
                if let locked = u.lockedUntil { line += "\tlocked until \(locked)" }
                print(line)
            }
        }
    }
}

/// `jobmatch token add|revoke` (CONTRACT.md §1): API tokens for other systems.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "API tokens for other systems: printed once, stored hashed.",
        subcommands: [Add.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a token and print it (once: it is stored only as a hash).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The calling system's name.") var name: String
        @Option(help: "staff or viewer.") var role: AccountStore.Role
        @Option(name: .customLong("region"), help: "A region the token may see (repeatable; none: every region).") var regions: [String] = []

        func validate() throws {
            if role == .admin { throw ValidationError("a token's role is staff or viewer") }
        }

        func run() throws {
            let token = Secrets.randomToken()
            // The token is made once: a repeat through a failover finds its hash and is done (issue 18).
            try WritableRetry.run(db) { c in
                try rejecting {
                    try AccountStore.addToken(c, name: name, role: role, tokenHash: Secrets.digest(token), regions: regions,
                                              actor: db.resolvedActor)
                }
            }
            print(token)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token.")
        @OptionGroup var db: DatabaseOptions
        @Argument var name: String

        func run() throws {
            // A repeat is refused (no such token left to revoke), with a note (issue 18).
            try WritableRetry.run(db) { c in try rejecting { try AccountStore.revokeToken(c, name: name, actor: db.resolvedActor) } }
            print("revoked \(name)")
        }
    }
}
