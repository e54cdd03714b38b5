// Issue 18: a command that writes runs again when its connection is lost; when the first
// try's COMMIT was sent and its reply lost, the repeat meets the first try's rows. These
// tests run the write twice, as the repeat would, and check it adds nothing the second time.

import Domain
import Foundation
import Postgres
import Store
import Testing
import TestSupport

@Suite struct RepeatAfterFailoverTests {
    static func count(_ c: Connection, _ sql: String) throws -> Int {
        try c.query(Query(unsafeSQL: sql))[0].int("n")
    }

    /// The account error `body` was refused with (inside its transaction), nil when it was not.
    static func refusal(_ body: () throws -> Void) -> AccountStore.AccountError? {
        do { try body() } catch { return (error as? TransactionError)?.body as? AccountStore.AccountError }
        return nil
    }

    @Test func anAccountOrTokenAddedAgainWithItsOwnHashIsDoneAndAnotherHashIsRefused() throws {
        let c = try MigratedDatabase.connect()
        defer { c.close() }
        try AccountStore.addUser(c, username: "li", role: .staff, passwordHash: "hash-of-this-call", regions: [], actor: "t")
        try AccountStore.addUser(c, username: "li", role: .staff, passwordHash: "hash-of-this-call", regions: [], actor: "t")
        #expect(Self.refusal { try AccountStore.addUser(c, username: "li", role: .staff, passwordHash: "another-call", regions: [], actor: "t") }
                == .userExists("li"))
        #expect(try Self.count(c, "SELECT count(*) AS n FROM audit_log WHERE action = 'user.add'") == 1)
        try AccountStore.addToken(c, name: "sys", role: .viewer, tokenHash: "digest-1", regions: [], actor: "t")
        try AccountStore.addToken(c, name: "sys", role: .viewer, tokenHash: "digest-1", regions: [], actor: "t")
        #expect(Self.refusal { try AccountStore.addToken(c, name: "sys", role: .viewer, tokenHash: "digest-2", regions: [], actor: "t") }
                == .tokenExists("sys"))
        #expect(try Self.count(c, "SELECT count(*) AS n FROM audit_log WHERE action = 'token.add'") == 1)
    }

    @Test func aPolicyRowAddedAgainIsFoundInForceAndNotAddedTwice() throws {
        let c = try MigratedDatabase.connect()
        defer { c.close() }
        let p = PolicyParameter(key: "social_average_wage", jurisdiction: "CN-41-4103-410307", validFrom: CivilDate(year: 2031, month: 1, day: 1)!,
                                value: "91000", source: "test", status: .verified)
        let first = try PolicyStore.add(c, [p], actor: "t")
        let again = try PolicyStore.add(c, [p], actor: "t")
        #expect(!first[0].alreadyThere && again[0].alreadyThere && again[0].id == first[0].id)
        #expect(try Self.count(c, "SELECT count(*) AS n FROM policy_parameter WHERE valid_from = '2031-01-01'") == 1)
        // A different value is a new row that replaces it, as before.
        var changed = p
        changed.value = "92000"
        let next = try PolicyStore.add(c, [changed], actor: "t")
        #expect(!next[0].alreadyThere && next[0].replacesID == first[0].id)
    }

    @Test func remindersRecordedAgainTheSameDayAddNone() throws {
        let c = try MigratedDatabase.connect()
        defer { c.close() }
        _ = try ExampleDistrictLoader.load(c)
        let employers = try c.query("SELECT credit_code FROM employer ORDER BY credit_code LIMIT 2").map { try $0.string("credit_code") }
        let day = CivilDate(year: 2025, month: 1, day: 10)!
        try CertifyStore.recordReminders(c, employers: employers, year: 2024, day: day, channel: "staff", actor: "t")
        try CertifyStore.recordReminders(c, employers: employers, year: 2024, day: day, channel: "staff", actor: "t")
        #expect(try Self.count(c, "SELECT count(*) AS n FROM declaration_reminder") == 2)
        try CertifyStore.recordReminders(c, employers: employers, year: 2024, day: day.adding(days: 1), channel: "staff", actor: "t")
        #expect(try Self.count(c, "SELECT count(*) AS n FROM declaration_reminder") == 4)
    }
}
