// `jobmatch user …` and `jobmatch token …` (CONTRACT.md §1): passwords from stdin,
// stored as bcrypt hashes; tokens printed once and stored as their SHA-256.

import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct AccountCLITests {
    func run(_ args: [String], url: String, stdin: String? = nil) throws -> Spawn.Result {
        try Spawn.run([CLIRunner.binary.path] + args + ["--database-url", url], environment: cleanEnvironment(),
                      stdin: stdin.map { Array($0.utf8) })
    }

    @Test func usersAndTokensAreAddedHashedListedAndAudited() throws {
        let db = try freshMigratedDatabase()
        let c = try Connection.connect(db.config)
        defer { c.close() }
        try c.query("INSERT INTO region (code, name) VALUES ('410307001', '首阳山街道')")

        var r = try run(["user", "add", "alice", "--role", "staff", "--region", "410307001"], url: db.url, stdin: "a long password\n")
        #expect(r.status == 0, "\(r.stderr)")
        let hash = try c.query("SELECT password_hash FROM app_user WHERE username = 'alice'")[0].string("password_hash")
        #expect(hash.hasPrefix("$2") && !hash.contains("a long password"))
        // A bcrypt cost of at least 10.
        #expect(Int(hash.split(separator: "$")[1]) ?? 0 >= 10 || Int(hash.split(separator: "$")[2]) ?? 0 >= 10)

        r = try run(["user", "add", "alice", "--role", "viewer"], url: db.url, stdin: "another password\n")
        #expect(r.status == 3)
        #expect(r.stderr.contains("用户“alice”已存在"), "\(r.stderr)")
        r = try run(["--lang", "en", "user", "add", "alice", "--role", "viewer"], url: db.url, stdin: "another password\n")
        #expect(r.status == 3)
        #expect(r.stderr.contains("user \"alice\" already exists") && !r.stderr.contains("userExists"), "\(r.stderr)")
        r = try run(["user", "add", "bob", "--role", "viewer", "--region", "NOWHERE"], url: db.url, stdin: "another password\n")
        #expect(r.status == 3)
        r = try run(["user", "add", "bob", "--role", "viewer"], url: db.url, stdin: "short\n")
        #expect(r.status == 3)
        r = try run(["user", "add", "bob", "--role", "chief"], url: db.url, stdin: "another password\n")
        #expect(r.status == 2)

        r = try run(["user", "passwd", "alice"], url: db.url, stdin: "a new long password\n")
        #expect(r.status == 0)
        r = try run(["user", "disable", "alice"], url: db.url)
        #expect(r.status == 0)
        r = try run(["user", "disable", "nobody"], url: db.url)
        #expect(r.status == 3)
        r = try run(["user", "list"], url: db.url)
        #expect(r.stdout.contains("alice\tstaff\t410307001\tdisabled"))

        r = try run(["token", "add", "gov-platform", "--role", "viewer"], url: db.url)
        #expect(r.status == 0)
        let token = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64)
        #expect(try c.query("SELECT count(*)::int AS n FROM api_token WHERE token_hash = \(token)")[0].int("n") == 0)
        r = try run(["token", "add", "root-token", "--role", "admin"], url: db.url)
        #expect(r.status == 2)
        r = try run(["token", "revoke", "gov-platform"], url: db.url)
        #expect(r.status == 0)
        r = try run(["token", "revoke", "gov-platform"], url: db.url)
        #expect(r.status == 3)

        let actions = try c.query("SELECT action FROM audit_log WHERE action LIKE 'user.%' OR action LIKE 'token.%' ORDER BY audit_id")
            .map { try $0.string("action") }
        #expect(actions == ["user.add", "user.passwd", "user.disable", "token.add", "token.revoke"])
    }
}
