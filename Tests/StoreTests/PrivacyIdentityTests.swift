// One person, one record (issue 7; migration 0008): a reassessed person keeps
// one seeker row under the newer certificate, references follow, staff are
// told (masked), a stale file cannot bring the old number back; records that
// may be one person are flagged, never merged.

import App
import Domain
import Foundation
import Intake
import Postgres
import Store
import Testing
import TestSupport

@Suite struct PrivacyIdentityTests {
    static let today = CivilDate(iso: ExampleDistrict.runDate)!

    /// A migrated database with the whole example district loaded.
    static func loadedDatabase() throws -> Connection {
        let c = try MigratedDatabase.connect()
        for file in ExampleDistrict.files {
            var chunks = [file.bytes][...]
            _ = try ImportService.run(c, kind: file.kind, fileName: file.name, partial: false, today: today, actor: "test",
                                      chunks: { chunks.popFirst() })
        }
        return c
    }

    static var seekerLines: [String] {
        let bytes = ExampleDistrict.files.first { $0.kind == .seekers }!.bytes
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }

    static func importSeekers(_ c: Connection, _ lines: [String], file: String = "seekers-update.csv",
                              partial: Bool = false, rejects: ImportService.RejectSink? = nil) throws -> ImportOutcome {
        var chunks = [Array((lines.joined(separator: "\n") + "\n").utf8)][...]
        return try ImportService.run(c, kind: .seekers, fileName: file, partial: partial, today: today, actor: "clerk",
                                     chunks: { chunks.popFirst() }, rejects: rejects)
    }

    func count(_ c: Connection, _ sql: Query) throws -> Int { try c.query(sql)[0].int("n") }

    /// The same person with another category and grade.
    static func reassessed(_ cert: String) -> String {
        let rid = String(cert.prefix(18))
        let grade = Int(String(cert.suffix(1)))!
        return rid + String(cert.dropFirst(18).prefix(1)) + String(grade == 1 ? 2 : grade - 1)
    }

    @Test func whenAResidentIsReassessedTheNewerCertificateReplacesTheOldOneAndReferencesFollow() throws {
        let c = try Self.loadedDatabase()
        defer { c.close() }
        // A seeker with trainings (and a placement, if the example has one for a trained seeker).
        let old = try c.query("""
            SELECT s.certificate_no FROM seeker s
            WHERE EXISTS (SELECT 1 FROM training t WHERE t.certificate_no = s.certificate_no)
            ORDER BY EXISTS (SELECT 1 FROM placement p WHERE p.certificate_no = s.certificate_no) DESC, s.certificate_no LIMIT 1
            """)[0].string("certificate_no")
        let new = Self.reassessed(old)
        let trainings = try count(c, "SELECT count(*) AS n FROM training WHERE certificate_no = \(old)")
        let placements = try count(c, "SELECT count(*) AS n FROM placement WHERE certificate_no = \(old)")
        // A run that proposed the person (the run tables keep no foreign key to seeker).
        try c.query("""
            INSERT INTO match_run (run_id, region_code, run_date, snapshot_at, started_at, finished_at, seekers, openings, pairs,
                                   objective_households, objective_priority, objective_placed, objective_score, created_by)
            SELECT 9001, code, '2025-09-01', now(), now(), now(), 1, 1, 1, 0, 0, 1, 500, 'test' FROM region WHERE parent_code IS NULL LIMIT 1
            """)
        try c.query("""
            INSERT INTO proposal (run_id, certificate_no, opening_id, score, score_parts, reasons)
            SELECT 9001, \(old), opening_id, 500, '[]', '[]' FROM opening ORDER BY opening_id LIMIT 1
            """)
        try c.query("""
            INSERT INTO candidate_set (run_id, certificate_no, opening_ids, scores)
            SELECT 9001, \(old), ARRAY[opening_id], ARRAY[500::smallint] FROM opening ORDER BY opening_id LIMIT 1
            """)

        let line = Self.seekerLines.first { $0.hasPrefix(old) }!
        let outcome = try Self.importSeekers(c, [Self.seekerLines[0], line.replacingOccurrences(of: old, with: new)])

        let rid = String(old.prefix(18))
        #expect(outcome.warnings.contains(.certificateChanged(residentID: Masking.identifier(rid))), "\(outcome.warnings)")
        #expect(!outcome.warnings.map(\.description).joined().contains(rid), "warnings are masked")
        #expect(try count(c, "SELECT count(*) AS n FROM seeker") == 300)
        #expect(try count(c, "SELECT count(*) AS n FROM seeker WHERE resident_id = \(rid)") == 1)
        #expect(try count(c, "SELECT count(*) AS n FROM seeker WHERE certificate_no = \(new)") == 1)
        #expect(try count(c, "SELECT count(*) AS n FROM training WHERE certificate_no = \(new)") == trainings)
        #expect(try count(c, "SELECT count(*) AS n FROM placement WHERE certificate_no = \(new)") == placements)
        #expect(try count(c, "SELECT count(*) AS n FROM proposal WHERE certificate_no = \(new)") == 1)
        #expect(try count(c, "SELECT count(*) AS n FROM candidate WHERE certificate_no = \(new)") == 1)
        for table in ["training", "placement", "proposal", "candidate", "unmatched", "seeker"] {
            #expect(try count(c, Query(unsafeSQL: "SELECT count(*) AS n FROM \(table) WHERE certificate_no = $1", binds: [old])) == 0, "\(table)")
        }
        #expect(try count(c, """
            SELECT count(*) AS n FROM seeker_certificate_history
            WHERE old_certificate_no = \(old) AND new_certificate_no = \(new) AND changed_by = 'clerk' AND source_file = 'seekers-update.csv'
            """) == 1)
        #expect(try count(c, """
            SELECT count(*) AS n FROM audit_log WHERE action = 'import' AND actor = 'clerk' AND detail->>'certificates_changed' = '1'
            """) == 1)

        // The same file again: nothing changes, nothing to tell.
        let again = try Self.importSeekers(c, [Self.seekerLines[0], line.replacingOccurrences(of: old, with: new)])
        #expect(again.warnings.isEmpty && again.inserted == 0 && again.updated == 0)

        // The old file again: its row for this person is stale and is not loaded.
        var chunks = [ExampleDistrict.files.first { $0.kind == .seekers }!.bytes][...]
        let stale = try ImportService.run(c, kind: .seekers, fileName: "seekers.csv", partial: false, today: Self.today, actor: "clerk",
                                          chunks: { chunks.popFirst() })
        #expect(stale.warnings.contains {
            if case .certificateReplaced(_, let current) = $0 { current == Masking.identifier(new) } else { false }
        }, "\(stale.warnings)")
        #expect(try count(c, "SELECT count(*) AS n FROM seeker WHERE certificate_no = \(new)") == 1)
        #expect(try count(c, "SELECT count(*) AS n FROM seeker") == 300)
    }

    @Test func whenOneResidentIDAppearsTwiceInAFileTheSecondRowIsRefused() throws {
        let c = try MigratedDatabase.connect()
        defer { c.close() }
        for file in ExampleDistrict.files.prefix(2) {  // regions, households
            var chunks = [file.bytes][...]
            _ = try ImportService.run(c, kind: file.kind, fileName: file.name, partial: false, today: Self.today, actor: "test",
                                      chunks: { chunks.popFirst() })
        }
        let lines = Self.seekerLines
        let cert = String(lines[1].prefix(20))
        let twice = [lines[0], lines[1], lines[2], lines[1].replacingOccurrences(of: cert, with: Self.reassessed(cert))]
        #expect {
            try Self.importSeekers(c, twice)
        } throws: { error in
            guard let rejected = error as? ImportRejected, rejected.errors.count == 1 else { return false }
            let e = rejected.errors[0]
            return e.row == 4 && e.rule.text.contains("row 2: one person, one record") && !e.description.contains(cert.prefix(18))
        }
        #expect(try count(c, "SELECT count(*) AS n FROM seeker") == 0)

        var rejectedRows: [Int] = []
        let partial = try Self.importSeekers(c, twice, partial: true, rejects: { _, raw, _ in rejectedRows.append(raw.row) })
        #expect(rejectedRows == [4])
        #expect(partial.accepted == 2 && partial.rejected == 1)
        #expect(try count(c, "SELECT count(*) AS n FROM seeker") == 2)
    }

    @Test func whenTwoRecordsShareANameAndABirthDateTheyAreFlaggedNotMerged() throws {
        let c = try Self.loadedDatabase()
        defer { c.close() }
        let line = Self.seekerLines[5]
        let cert = String(line.prefix(20))
        // Another resident ID: another county, the same birth date, another sequence number.
        let head = "410381" + String(cert.dropFirst(6).prefix(8)) + (cert.dropFirst(14).prefix(3) == "555" ? "556" : "555")
        let other = head + String(ResidentID.checkCharacter(for: Array(head.utf8))) + String(cert.suffix(2))
        #expect((try? CertificateNumber(other)) != nil)
        let outcome = try Self.importSeekers(c, [Self.seekerLines[0], line.replacingOccurrences(of: cert, with: other)])
        #expect(outcome.inserted == 1)
        #expect(try count(c, "SELECT count(*) AS n FROM seeker") == 301, "not merged")
        let (a, b) = cert < other ? (cert, other) : (other, cert)
        #expect(try count(c, """
            SELECT count(*) AS n FROM possible_duplicate
            WHERE certificate_no_a = \(a) AND certificate_no_b = \(b) AND reason = 'same_name_and_birth_date' AND resolved_at IS NULL
            """) == 1)
        #expect(outcome.warnings.contains(.possibleDuplicate(Masking.identifier(a), Masking.identifier(b))), "\(outcome.warnings)")
        let name = line.split(separator: ",", omittingEmptySubsequences: false)[1]
        #expect(!outcome.warnings.map(\.description).joined().contains(name) && !outcome.warnings.map(\.description).joined().contains(other.prefix(18)), "masked")
        // Said once: importing the file again adds no pair and no warning.
        let again = try Self.importSeekers(c, [Self.seekerLines[0], line.replacingOccurrences(of: cert, with: other)])
        #expect(again.warnings.isEmpty)
    }
}
