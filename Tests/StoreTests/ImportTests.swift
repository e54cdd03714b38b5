import App
import Domain
import Foundation
import Intake
import Postgres
import Store
import TestSupport
import Testing

/// Imports through `ImportService.run` against a real database (issue 3; CONTRACT.md §2).
/// Each test has a fresh migrated database of its own.
@Suite struct ImportTests {
    // MARK: loading the example district

    @Test func whenTheExampleDistrictLoadsInContractOrderEveryRowOfEveryFileLands() throws {
        #expect(ExampleDistrict.files.map(\.kind) == [
            .regions, .households, .seekers, .trainings, .employers, .openings, .employerYears, .rosters, .placements,
        ])
        try withMigratedDatabase { c in
            for f in ExampleDistrict.files {
                let records = try exampleRecords(f.kind).records.count
                #expect(records > 0, "\(f.name) is empty")
                let outcome = try importBytes(c, f.kind, f.bytes, name: f.name)
                #expect(outcome.accepted == records, "\(f.name)")
                #expect(outcome.inserted == records, "\(f.name)")
                #expect(outcome.rejected == 0 && outcome.updated == 0, "\(f.name)")
                #expect(outcome.warnings.isEmpty, "\(f.name): \(outcome.warnings)")
                #expect(try count(c, table(f.kind)) == records, "\(f.name)")
            }
            // Neighbours are stored in both directions.
            #expect(try count(c, "region_neighbour") > 0)
            let oneWay = try c.query("""
                SELECT count(*) AS n FROM region_neighbour a
                WHERE NOT EXISTS (SELECT 1 FROM region_neighbour b WHERE b.region_code = a.neighbour_code AND b.neighbour_code = a.region_code)
                """)[0].int("n")
            #expect(oneWay == 0)
        }
    }

    @Test func whenTheSameFilesAreImportedAgainNoRowIsAddedOrRewritten() throws {
        try withMigratedDatabase { c in
            try loadExample(c)
            let before = try counts(c)
            let rowsBefore = try importedTables.filter { $0 != "audit_log" }.map { try versions(c, $0) }
            for f in ExampleDistrict.files {
                let again = try importBytes(c, f.kind, f.bytes, name: f.name)
                #expect(again.inserted == 0 && again.updated == 0 && again.neighbourChanges == 0, "\(f.name)")
                #expect(again.unchanged == again.accepted && again.accepted > 0, "\(f.name)")
            }
            var after = try counts(c)
            // Each import is audited, changed or not; nothing else grew.
            #expect(after["audit_log"] == before["audit_log"]! + ExampleDistrict.files.count)
            after["audit_log"] = before["audit_log"]
            #expect(after == before)
            // Same values, same updated_at, same xmin: no row was even rewritten.
            let rowsAfter = try importedTables.filter { $0 != "audit_log" }.map { try versions(c, $0) }
            #expect(rowsAfter == rowsBefore)
        }
    }

    @Test func whenOneRowChangesOnlyThatRowIsUpdated() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .trainings)
            let before = try stamps(c, "seeker", key: "certificate_no")
            let (header, original) = try exampleRecords(.seekers)
            var records = original
            let nameColumn = header.firstIndex(of: "name")!
            let changedKey = records[7][0]
            records[7][nameColumn] = "改名测试"
            let outcome = try importBytes(c, .seekers, csvFile(header, records))
            #expect(outcome.updated == 1 && outcome.inserted == 0 && outcome.unchanged == records.count - 1)
            let after = try stamps(c, "seeker", key: "certificate_no")
            #expect(after.count == before.count)
            for (key, stamp) in before where key != changedKey {
                #expect(after[key] == stamp, "row \(key) was touched")
            }
            #expect(after[changedKey] != before[changedKey])
            let newer = try c.query("SELECT updated_at > created_at AS later, name FROM seeker WHERE certificate_no = \(changedKey)")[0]
            #expect(try newer.bool("later"))
            #expect(try newer.string("name") == "改名测试")
        }
    }

    // MARK: all-or-nothing and --partial

    /// The example's seekers with three rows broken three ways: (index, column, breaker).
    static let breakage: [(index: Int, column: String, breaker: @Sendable (String) -> String)] = [
        (3, "certificate_no", mutations[0].value),  // check character wrong
        (50, "town_code", { _ in "410307999" }),  // no such town
        (120, "education", { _ in "phd" }),  // not an education level
    ]

    func brokenSeekers() throws -> (header: [String], records: [[String]], bad: Set<Int>) {
        let (header, original) = try exampleRecords(.seekers)
        var records = original
        for b in Self.breakage {
            let i = header.firstIndex(of: b.column)!
            records[b.index][i] = b.breaker(records[b.index][i])
        }
        return (header, records, Set(Self.breakage.map { $0.index + 2 }))  // header is row 1
    }

    @Test func whenOneRowIsBadTheFileWritesNothingAndEveryBadRowIsReported() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .seekers)
            let before = try counts(c)
            let (header, records, badRows) = try brokenSeekers()
            do {
                try importBytes(c, .seekers, csvFile(header, records), name: "求职者.csv")
                Issue.record("a file with bad rows was accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.rejectedRows == 3)
                #expect(Set(rejected.errors.map(\.row)) == badRows)
                for (b, e) in zip(Self.breakage, rejected.errors.sorted { $0.row < $1.row }) {
                    #expect(e.file == "求职者.csv")
                    #expect(e.row == b.index + 2)
                    #expect(e.column == b.column)
                    #expect(!e.rule.text.isEmpty)
                    // Identity numbers are masked; other values are shown as given.
                    let given = records[b.index][header.firstIndex(of: b.column)!]
                    #expect(e.value == (b.column == "certificate_no" ? Masking.identifier(given) : given))
                    #expect(b.column != "certificate_no" || given.count != 20 || e.value.hasSuffix("**"), "category and grade hidden")
                    let line = e.description
                    #expect(line.contains("求职者.csv") && line.contains("row \(e.row)") && line.contains(e.column) && line.contains(e.rule.text))
                }
            }
            #expect(try counts(c) == before)
        }
    }

    @Test func whenPartialTheGoodRowsLoadAndExactlyTheBadOnesGoToTheRejectSink() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .seekers)
            let (header, records, badRows) = try brokenSeekers()
            var sunk: [(header: IntakeHeader, raw: CSVRecord, errors: [RowError])] = []
            let outcome = try importBytes(c, .seekers, csvFile(header, records), partial: true) { h, raw, errors in
                sunk.append((h, raw, errors))
            }
            #expect(outcome.accepted == records.count - 3 && outcome.rejected == 3 && outcome.inserted == records.count - 3)
            #expect(Set(sunk.map(\.raw.row)) == badRows)
            for s in sunk {
                #expect(s.raw.fields == records[s.raw.row - 2], "the raw record is the input's own values")
                #expect(!s.errors.isEmpty && s.errors.allSatisfy { $0.row == s.raw.row })
                #expect(s.header.names == header)
                #expect(s.header.reasonColumn == "reason")
            }
            let good = Set(records.enumerated().filter { !badRows.contains($0.offset + 2) }.map { $0.element[0] })
            #expect(try loadedSeekers(c) == good)
        }
    }

    /// Duplicates are found in the staging table (the import's memory stays flat): the
    /// same errors as the pure validator's, on the later row, naming the first.
    @Test func whenAKeyOrAPersonComesTwiceTheLaterRowIsRefusedNamingTheFirst() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .seekers)
            let (header, original) = try exampleRecords(.seekers)
            let certColumn = header.firstIndex(of: "certificate_no")!, educationColumn = header.firstIndex(of: "education")!
            var records = Array(original.prefix(6))
            records.append(records[1])                        // row 8: the key of row 3
            var samePerson = records[2]                       // row 9: row 4's person, another certificate
            let cert = samePerson[certColumn]
            samePerson[certColumn] = String(cert.prefix(18)) + (cert.dropFirst(18).first == "1" ? "2" : "1") + String(cert.suffix(1))
            records.append(samePerson)
            records[4][educationColumn] = "phd"               // row 6: bad for its own reason…
            records.append(records[4])                        // row 10: …still claims its key
            records[8][educationColumn] = original[4][educationColumn]
            do {
                try importBytes(c, .seekers, csvFile(header, records))
                Issue.record("a file with duplicates was accepted")
            } catch let rejected as ImportRejected {
                try #require(rejected.errors.map(\.row) == [6, 8, 9, 10])
                #expect(rejected.errors[1].rule.text == "duplicate key certificate_no: already on row 3")
                #expect(rejected.errors[1].column == "certificate_no")
                #expect(!rejected.errors[1].value.contains(records[1][certColumn].prefix(18)))
                #expect(rejected.errors[2].rule.text == "the same person (resident ID) as row 4: one person, one record")
                #expect(rejected.errors[3].rule.text == "duplicate key certificate_no: already on row 6")
                #expect(rejected.rejectedRows == 4)
            }
            var sunk: [CSVRecord] = []
            let outcome = try importBytes(c, .seekers, csvFile(header, records), partial: true) { _, raw, _ in sunk.append(raw) }
            #expect(outcome.accepted == 5 && outcome.rejected == 4 && outcome.inserted == 5)
            #expect(sunk.map(\.row).sorted() == [6, 8, 9, 10])
            for raw in sunk { #expect(raw.fields == records[raw.row - 2], "the rejects file gets the row as the input spelled it") }
            #expect(try loadedSeekers(c) == Set([0, 1, 2, 3, 5].map { records[$0][certColumn] }))
        }
    }

    @Test func whenARegionRowIsRefusedAsADuplicateItsNeighboursAreNotStored() throws {
        try withMigratedDatabase { c in
            let file = Array("""
                code,name,parent_code,neighbours
                410307,偃师区,,
                410307004,首阳山街道,410307,410307005
                410307005,商城街道,410307,410307004
                410307006,岳滩镇,410307,
                410307004,首阳山街道,410307,410307006

                """.utf8)
            var refused: [Int] = []
            let outcome = try importBytes(c, .regions, file, partial: true) { _, raw, _ in refused.append(raw.row) }
            #expect(refused == [6] && outcome.accepted == 4)
            let pairs = try c.query("SELECT region_code || '-' || neighbour_code AS p FROM region_neighbour ORDER BY 1").map { try $0.string("p") }
            #expect(pairs == ["410307004-410307005", "410307005-410307004"])
        }
    }

    // MARK: encodings and text

    @Test func whenTheDistrictComesAsGB18030WithChineseHeadersAndCRLFItLoadsTheSameRowsAsTheUTF8File() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gen = try runCommand("/usr/bin/env", [
            "python3", CLIRunner.packageRoot.appendingPathComponent("scripts/generate_district.py").path,
            "--seed", "410307", "--seekers", "300", "--out", dir.path, "--headers", "zh", "--encoding", "gb18030", "--crlf",
        ])
        try #require(gen.status == 0, "generate_district.py: \(gen.output)")

        let utf8 = try MigratedDatabase.connect()
        defer { utf8.close() }
        let gbk = try MigratedDatabase.connect()
        defer { gbk.close() }
        try loadExample(utf8)
        for kind in ExampleDistrict.files.map(\.kind) {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent("\(kind.rawValue).csv")))
            // The twin really is the other encoding, headers and line ends.
            #expect(String(validating: bytes, as: UTF8.self) == nil, "\(kind.rawValue).csv should not be UTF-8")
            #expect(bytes.contains(13))
            let outcome = try importBytes(gbk, kind, bytes, chunkSize: 777)
            #expect(outcome.rejected == 0 && outcome.warnings.isEmpty, "\(kind.rawValue): \(outcome.warnings)")
        }
        for t in importedTables where t != "audit_log" {
            let a = try dump(utf8, t), b = try dump(gbk, t)
            #expect(a.count > 0, "\(t) is empty")
            #expect(a == b, "\(t) differs between the UTF-8 file and its GB18030 twin")
        }
    }

    static let hostile = [
        "'); DROP TABLE seekers;--",
        "👩‍🦽张三",
        "𠀀𠀁𪚥",
        "O'Brien \"Bob\"",
        "王,五",
        "第一行 第二行",  // line breaks and tabs are refused since issue 17 (HostileCorpusTests)
        "back\\slash",
        "\\N",
    ]

    @Test func whenTextIsHostileItRoundTripsByteForByte() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .households)
            // List items go into text[] columns: quotes, backslashes, braces and commas inside them.
            let skills = ["q\"uote", "back\\slash", "{brace}", "逗,号", "NULL", "👩‍🦽"]
            let seekers = Self.hostile.enumerated().map { i, name in
                [certificateNumber(i + 1), name, "410307004", skills.joined(separator: ";")]
            }
            let s = try importBytes(c, .seekers, csvFile(["certificate_no", "name", "town_code", "skills"], seekers), chunkSize: 7)
            #expect(s.accepted == Self.hostile.count)
            let storedSkills = try c.query("""
                SELECT u.s FROM seeker, unnest(skills) WITH ORDINALITY AS u(s, n) WHERE certificate_no = \(certificateNumber(1)) ORDER BY u.n
                """).map { try $0.string("s") }
            #expect(storedSkills.map { Array($0.utf8) } == skills.map { Array($0.utf8) })
            // Titles are names (at most 50 characters): the strings in two titles.
            let titles = [Self.hostile[..<3].joined(separator: "|"), Self.hostile[3...].joined(separator: "|")]
            let openings = titles.enumerated().map { i, title in
                ["HOSTILE-\(i)", "public_welfare", "community_service", title, "410307004", "1"]
            }
            let o = try importBytes(c, .openings, csvFile(["opening_id", "kind", "category", "title", "town_code", "slots"], openings))
            #expect(o.accepted == titles.count)

            // Every table is still there, and every byte came back.
            #expect(try c.query("SELECT to_regclass('seeker') IS NOT NULL AS ok")[0].bool("ok"))
            for (i, name) in Self.hostile.enumerated() {
                let stored = try c.query("SELECT name FROM seeker WHERE certificate_no = \(certificateNumber(i + 1))")[0].string("name")
                #expect(Array(stored.utf8) == Array(name.utf8), "\(name.debugDescription) came back as \(stored.debugDescription)")
            }
            for (i, title) in titles.enumerated() {
                let stored = try c.query("SELECT title FROM opening WHERE opening_id = \("HOSTILE-\(i)")")[0].string("title")
                #expect(Array(stored.utf8) == Array(title.utf8))
            }
        }
    }

    // MARK: references and the audit trail

    @Test func whenARowRefersToSomethingNotLoadedItIsARowError() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .households)  // regions only
            let seekers = [
                [certificateNumber(1), "甲", "410307004", ""],  // fine
                [certificateNumber(2), "乙", "410307999", ""],  // no such town
                [certificateNumber(3), "丙", "410307004", "YS-H0001"],  // households not loaded
            ]
            do {
                try importBytes(c, .seekers, csvFile(["certificate_no", "name", "town_code", "household_id"], seekers))
                Issue.record("references to things not loaded were accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.errors.map(\.row) == [3, 4])
                #expect(rejected.errors.map(\.column) == ["town_code", "household_id"])
                #expect(rejected.errors.map(\.value) == ["410307999", "YS-H0001"])
            }
            // A training for a seeker who is not loaded.
            let trainings = [[certificateNumber(9), "盲人按摩", "2025-01-06", "massage"]]
            do {
                try importBytes(c, .trainings, csvFile(["certificate_no", "course", "start_date", "skill"], trainings))
                Issue.record("a training of an unknown seeker was accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.errors.map(\.column) == ["certificate_no"])
                #expect(rejected.errors[0].rule.text.contains("seeker"))
            }
            #expect(try count(c, "seeker") == 0 && count(c, "training") == 0)
        }
    }

    @Test func whenAnImportFailsTheAuditLogIsUnchangedAndASuccessAddsOneRowWithTheFilesSHA256() throws {
        try withMigratedDatabase { c in
            try loadExample(c, before: .seekers)
            let audit = try count(c, "audit_log")
            let (header, records, _) = try brokenSeekers()
            #expect(throws: ImportRejected.self) { try importBytes(c, .seekers, csvFile(header, records)) }
            #expect(try count(c, "audit_log") == audit)

            let bytes = exampleFile(.seekers)
            let outcome = try importBytes(c, .seekers, bytes, name: "seekers.csv")
            let expected = try sha256Hex(bytes)
            #expect(outcome.contentHash == expected)
            let rows = try c.query("SELECT action, subject, detail->>'sha256' AS sha, detail->>'file' AS file FROM audit_log ORDER BY audit_id DESC LIMIT 1")
            #expect(try count(c, "audit_log") == audit + 1)
            #expect(try rows[0].string("action") == "import" && rows[0].string("subject") == "seekers")
            #expect(try rows[0].string("sha") == expected && rows[0].string("file") == "seekers.csv")
        }
    }

    // MARK: property: a random mix of good and bad rows

    /// Ways to break a seeker row, each on its own enough to reject it.
    static let mutations: [(column: String, value: @Sendable (String) -> String)] = [
        ("certificate_no", { cert in  // wrong check character
            var chars = Array(cert)
            chars[17] = chars[17] == "1" ? "2" : "1"
            return String(chars)
        }),
        ("town_code", { _ in "410307999" }),
        ("education", { _ in "phd" }),
        ("status", { _ in "retired" }),
        ("household_id", { _ in "NO-SUCH-HOUSEHOLD" }),
        ("name", { _ in "" }),
        ("registered_on", { _ in "2025-02-30" }),
        ("graduation_year", { _ in "abc" }),
    ]

    @Test func whenGoodAndBadRowsAreMixedAtRandomPartialLoadsExactlyTheGoodOnesAndAllOrNothingLoadsNone() throws {
        let seed = ProcessInfo.processInfo.environment["JOBMATCH_TEST_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        print("import property test seed: \(seed) (rerun with JOBMATCH_TEST_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let (header, all) = try exampleRecords(.seekers)
        for round in 0..<4 {
            var rows: [[String]] = []
            var bad: Set<Int> = []  // spreadsheet row numbers
            var goodKeys: Set<String> = []
            var trace: [String] = []
            for record in all.shuffled(using: &rng).prefix(Int.random(in: 1...80, using: &rng)) {
                var r = record
                if Int.random(in: 0..<10, using: &rng) < 3 {
                    let m = Self.mutations.randomElement(using: &rng)!
                    let i = header.firstIndex(of: m.column)!
                    r[i] = m.value(r[i])
                    bad.insert(rows.count + 2)
                    trace.append("row \(rows.count + 2): \(m.column)")
                } else {
                    goodKeys.insert(r[0])
                }
                rows.append(r)
                // Now and then, a good row again: its key is a duplicate, the second is bad.
                if !goodKeys.isEmpty, Int.random(in: 0..<20, using: &rng) == 0 {
                    let earlier = rows.enumerated().filter { !bad.contains($0.offset + 2) }.randomElement(using: &rng)!.element
                    bad.insert(rows.count + 2)
                    trace.append("row \(rows.count + 2): duplicate")
                    rows.append(earlier)
                }
            }
            let file = csvFile(header, rows)
            let context = Comment(rawValue: "seed \(seed) round \(round): \(trace)")
            let chunk = Int.random(in: 1...4096, using: &rng)

            try withMigratedDatabase { c in
                try loadExample(c, before: .seekers)
                var rejectedRows: [Int] = []
                let outcome = try importBytes(c, .seekers, file, partial: true, chunkSize: chunk) { _, raw, _ in
                    rejectedRows.append(raw.row)
                }
                #expect(Set(rejectedRows) == bad && rejectedRows.count == bad.count, context)
                #expect(outcome.accepted == rows.count - bad.count, context)
                #expect(try loadedSeekers(c) == goodKeys, context)
            }
            try withMigratedDatabase { c in
                try loadExample(c, before: .seekers)
                if bad.isEmpty {
                    try importBytes(c, .seekers, file, chunkSize: chunk)
                    #expect(try loadedSeekers(c) == goodKeys, context)
                } else {
                    do {
                        try importBytes(c, .seekers, file, chunkSize: chunk)
                        Issue.record("bad rows were accepted; \(context)")
                    } catch let rejected as ImportRejected {
                        #expect(Set(rejected.errors.map(\.row)) == bad, context)
                        #expect(rejected.rejectedRows == bad.count, context)
                    }
                    #expect(try count(c, "seeker") == 0, context)
                }
            }
        }
    }

    // MARK: helpers

    /// The certificate numbers in the seeker table.
    func loadedSeekers(_ c: Connection) throws -> Set<String> {
        Set(try c.query("SELECT certificate_no FROM seeker").map { try $0.string("certificate_no") })
    }

    /// Every row of `table` with its timestamps and xmin, sorted: equal before and after
    /// means not one row was inserted, deleted or rewritten.
    func versions(_ c: Connection, _ table: String) throws -> [String] {
        try c.query(Query(unsafeSQL: "SELECT to_jsonb(t)::text || ' xmin ' || t.xmin::text AS j FROM \(table) t ORDER BY 1"))
            .map { try $0.string("j") }
    }
}
