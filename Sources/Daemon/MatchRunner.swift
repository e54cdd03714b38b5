import Domain
import Foundation
import Matching
import Postgres
import Quota
import Store

/// One matching run, end to end (DESIGN.md): lock the region, read one
/// consistent snapshot and close the read, compute (pure), then write the run
/// in one transaction. `jobmatch match` and the daemon both run through here.
public enum MatchRunner {
    /// What a run needs besides the database.
    public struct Request: Sendable {
        public var region: String
        public var date: CivilDate
        public var jurisdiction: String
        public var actor: String
        public var requestID: Int64?
        public init(region: String, date: CivilDate, jurisdiction: String, actor: String, requestID: Int64? = nil) {
            self.region = region; self.date = date; self.jurisdiction = jurisdiction; self.actor = actor; self.requestID = requestID
        }
    }

    /// Advisory-lock key of a region: two runs of one region never overlap.
    static func lockKey(region: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for byte in "jobmatch.region:\(region)".utf8 { hash ^= UInt64(byte); hash &*= 0x0000_0100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    /// The region to run when none is named: the only top-level region loaded.
    public static func defaultRegion(_ c: Connection) throws -> String {
        let roots = try c.query("SELECT code FROM region WHERE parent_code IS NULL ORDER BY code").map { try $0.string("code") }
        guard roots.count == 1 else {
            throw StoreError.conflict(roots.isEmpty ? "no regions are loaded: import regions first"
                : "several top-level regions are loaded (\(roots.joined(separator: ", "))): name one with --region")
        }
        return roots[0]
    }

    /// Computes a run without writing it.
    public static func compute(_ c: Connection, _ r: Request) throws -> ComputedRun {
        let started = Date()
        var timings: [String: Double] = [:]
        func timed<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
            let t0 = DispatchTime.now().uptimeNanoseconds
            defer { timings[phase] = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
            return try body()
        }
        let (snapshot, at, book) = try timed("snapshot") {
            let (snapshot, at) = try SnapshotStore.load(c, region: r.region, date: r.date)
            let (book, _) = try PolicyStore.load(c)
            return (snapshot, at, book)
        }
        let minimumWage = try? book.lowestMinimumWage(r.jurisdiction, from: r.date, through: r.date).0
        let policy = try MatchingPolicy(book: book, jurisdiction: r.jurisdiction, date: r.date,
                                        minimumMonthlyWage: minimumWage.map { Fen(roundingYuan: $0) })
        let context = MatchContext(MatchInput(snapshot: snapshot, policy: policy))
        let problem = timed("build") { MatchEngine.buildProblem(context) }
        let solution = timed("solve") { MatchEngine.solve(problem) }
        let plan = try timed("explain") { try MatchEngine.explain(context, problem, solution) }
        return ComputedRun(regionCode: r.region, date: r.date, snapshotAt: at, startedAt: started, finishedAt: Date(),
                           problem: problem, plan: plan, timings: timings, createdBy: r.actor, requestID: r.requestID)
    }

    /// Runs and writes one run under the region's lock; `inTransaction` runs inside the
    /// write transaction (the daemon completes its request there). Returns the run and its id.
    public static func runAndWrite(_ c: Connection, _ r: Request,
                                   inTransaction: (Connection, Int64) throws -> Void = { _, _ in }) throws -> (ComputedRun, Int64) {
        let key = lockKey(region: r.region)
        _ = try c.query("SELECT pg_advisory_lock(\(key))")
        defer { _ = try? c.query("SELECT pg_advisory_unlock(\(key))") }
        var run = try compute(c, r)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let id = try c.transaction { tx in
            let id = try RunStore.write(tx, run)
            try Audit.record(tx, actor: r.actor, action: "match_run", subject: r.region,
                             detail: ["run_id": String(id), "proposals": String(run.plan.proposals.count)])
            try inTransaction(tx, id)
            return id
        }
        run.timings["write"] = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return (run, id)
    }
}
