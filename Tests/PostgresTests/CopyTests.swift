import Foundation
import Postgres
import TestSupport
import Testing

/// Both tests measure this process's resident memory, so they must not overlap each other.
@Suite("COPY in and out", .serialized)
struct CopyTests {
    static let rowCount = 1_000_000
    static let memoryGrowthBound = 64 << 20

    @Test("COPY of one million rows in and out streams in bounded memory")
    func millionRowsBoundedMemory() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE seeker (seeker_id int PRIMARY KEY, name text, note text)")
            let clock = ContinuousClock()
            let started = clock.now
            let before = residentBytes()
            var peak = before
            let copied = try db.copyIn("COPY seeker (seeker_id, name, note) FROM STDIN") { w in
                for i in 0..<Self.rowCount {
                    try w.append(row: [String(i), "名字\t\(i)", i % 7 == 0 ? nil : "line\nbreak\\"])
                    if i % 100_000 == 0 { peak = max(peak, residentBytes()) }
                }
            }
            peak = max(peak, residentBytes())
            #expect(before > 0, "resident memory must be measurable")
            #expect(copied == Int64(Self.rowCount))
            #expect(peak - before < Self.memoryGrowthBound, "COPY IN grew RSS by \((peak - before) >> 20) MiB")
            let row = try db.query("SELECT name, note FROM seeker WHERE seeker_id = 8").first!
            #expect(row["name"] == "名字\t8")
            #expect(row["note"] == "line\nbreak\\")
            #expect(try db.query("SELECT count(*) AS n FROM seeker WHERE note IS NULL").first?.int("n") == (Self.rowCount + 6) / 7)

            let copyInTime = clock.now - started
            let beforeOut = residentBytes()
            var peakOut = beforeOut
            var chunks = 0
            var bytes = 0
            let out = try db.copyOut("COPY seeker TO STDOUT") { chunk in
                chunks += 1
                bytes += chunk.count
                if chunks % 100_000 == 0 { peakOut = max(peakOut, residentBytes()) }
            }
            print("COPY of \(Self.rowCount) rows: in \(copyInTime) (+\((peak - before) >> 20) MiB RSS), out \(clock.now - started - copyInTime) (+\((peakOut - beforeOut) >> 20) MiB RSS)")
            #expect(out == Int64(Self.rowCount))
            #expect(chunks == Self.rowCount)  // one chunk per row: streamed, not buffered
            #expect(bytes > 20 * Self.rowCount)
            #expect(peakOut - beforeOut < Self.memoryGrowthBound, "COPY OUT grew RSS by \((peakOut - beforeOut) >> 20) MiB")
        }
    }

    @Test("when the COPY IN body throws, the copy is aborted, nothing is inserted and the connection is usable")
    func copyInBodyErrorAborts() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE t (x int)")
            #expect(throws: ExpectedFailure(tag: "copy")) {
                try db.copyIn("COPY t FROM STDIN") { w in
                    for i in 0..<10 { try w.append(row: [String(i)]) }
                    throw ExpectedFailure(tag: "copy")
                }
            }
            #expect(try db.query("SELECT count(*) AS n FROM t").first?.int("n") == 0)
            #expect(try db.copyIn("COPY t FROM STDIN") { w in try w.append(row: ["7"]) } == 1)
        }
    }

    @Test("when the server rejects COPY data, the error has the SQLSTATE and the connection is usable")
    func copyInBadData() throws {
        try withFreshConnection { db throws in
            try db.execute(unsafeSQL: "CREATE TABLE t (x int)")
            let error = postgresError {
                try db.copyIn("COPY t FROM STDIN") { w in
                    try w.append(row: ["1"])
                    try w.append(row: ["not a number"])
                }
            }
            #expect(error?.kind == .copy)
            #expect(error?.sqlState == SQLState("22P02"))
            #expect(error.map { !$0.description.contains("not a number") } == true)
            #expect(try db.query("SELECT count(*) AS n FROM t").first?.int("n") == 0)
        }
    }

    @Test("when the COPY OUT body throws, the copy is cancelled and the connection is usable")
    func copyOutBodyErrorStops() throws {
        try withFreshConnection { db throws in
            var seen = 0
            #expect(throws: ExpectedFailure(tag: "out")) {
                try db.copyOut("COPY (SELECT generate_series(1, 2000000)) TO STDOUT") { _ in
                    seen += 1
                    if seen == 10 { throw ExpectedFailure(tag: "out") }
                }
            }
            #expect(seen == 10)
            #expect(try db.query("SELECT 1 AS one").first?.int("one") == 1)
        }
    }

    @Test("copyIn on a statement that is not COPY FROM STDIN fails and leaves the connection usable")
    func copyInWrongStatement() throws {
        try withFreshConnection { db throws in
            let error = postgresError { try db.copyIn("SELECT 1") { _ in } }
            #expect(error?.kind == .protocolViolation)
            #expect(try db.query("SELECT 1 AS one").count == 1)
        }
    }
}
