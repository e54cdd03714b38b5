import Domain
import Foundation
import Matching
import Postgres
import Quota
import Store
import Synchronization

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
    static func lockKey(region: String) -> Int64 { LockKeys.region(region) }

    /// The region to run when none is named: the only top-level region loaded.
    public static func defaultRegion(_ c: Connection) throws -> String {
        let roots = try RunStore.topLevelRegions(c)
        guard roots.count == 1 else {
            throw StoreError.conflict(roots.isEmpty ? "no regions are loaded: import regions first"
                : "several top-level regions are loaded (\(roots.joined(separator: ", "))): name one with --region")
        }
        return roots[0]
    }

    /// Asks the daemon for a run (`match --enqueue`): the request's id.
    public static func enqueue(_ c: Connection, region: String, date: String?, actor: String) throws -> Int64 {
        let id = try RequestQueue.enqueue(c, region: region, date: date, requestedBy: actor)
        // Who asked: the daemon's run records itself as "daemon:<worker>" with this request's id.
        try Audit.record(c, actor: actor, action: "match_request", subject: region,
                         detail: ["request_id": String(id), "run_date": date ?? "today"])
        return id
    }

    /// Enqueues under a client-chosen idempotency key: the request and its audit row in
    /// one transaction, so a retry through a failover never makes a second request (issue 18).
    public static func enqueue(_ c: Connection, region: String, date: String?, actor: String,
                               idempotencyKey: String) throws -> Int64 {
        try c.transaction { tx in
            let (id, created) = try RequestQueue.enqueue(tx, region: region, date: date, requestedBy: actor,
                                                         idempotencyKey: idempotencyKey)
            if created {
                try Audit.record(tx, actor: actor, action: "match_request", subject: region,
                                 detail: ["request_id": String(id), "run_date": date ?? "today"])
            }
            return id
        }
    }

    /// A daemon's claimed request, run and written together with the request's
    /// completion (DESIGN.md steps 2–4); `today` is the date of a request without one.
    public static func run(claimed request: ClaimedRequest, _ connection: Connection, jurisdiction: String,
                           today: () -> CivilDate) throws -> Int64 {
        let date = try request.runDate.map { text in
            guard let d = CivilDate(iso: text) else { throw StoreError.conflict("request \(request.requestID): run_date \(text) is not a date") }
            return d
        } ?? today()
        let run = Request(region: request.regionCode, date: date, jurisdiction: jurisdiction,
                          actor: "daemon:\(request.workerID)", requestID: request.requestID)
        let (_, runID) = try runAndWrite(connection, run) { tx, runID in
            try RequestQueue.complete(tx, requestID: request.requestID, runID: runID, workerID: request.workerID)
        }
        return runID
    }

    /// A run's proposal ids by certificate key (`match` prints them).
    public static func proposalIDs(_ c: Connection, runID: Int64) throws -> [String: Int64] {
        try RunStore.proposalIDs(c, runID: runID)
    }

    /// A run's first half: the snapshot read and closed, eligibility and scores built.
    struct Prepared: Sendable {
        var context: MatchContext
        var problem: MatchProblemData
        var snapshotAt: String
        var startedAt: Date
        var timings: [String: Double]
    }

    /// Seconds since `t0` (a `DispatchTime` in nanoseconds).
    static func seconds(since t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }

    /// Reads the snapshot and builds the problem (phases `snapshot`, `build`).
    static func prepare(_ c: Connection, _ r: Request) throws -> Prepared {
        let started = Date()
        var timings: [String: Double] = [:]
        var t0 = DispatchTime.now().uptimeNanoseconds
        let (snapshot, at) = try SnapshotStore.load(c, region: r.region, date: r.date)
        let (book, _) = try PolicyStore.load(c)
        timings["snapshot"] = seconds(since: t0)
        let minimumWage = try? book.lowestMinimumWage(r.jurisdiction, from: r.date, through: r.date).0
        let policy = try MatchingPolicy(book: book, jurisdiction: r.jurisdiction, date: r.date,
                                        minimumMonthlyWage: minimumWage.map { Fen(roundingYuan: $0) })
        t0 = DispatchTime.now().uptimeNanoseconds
        let context = MatchContext(MatchInput(snapshot: snapshot, policy: policy))
        let problem = MatchEngine.buildProblem(context)
        timings["build"] = seconds(since: t0)
        return Prepared(context: context, problem: problem, snapshotAt: at, startedAt: started, timings: timings)
    }

    /// Solves and explains a prepared run (pure; phases `solve`, `explain`).
    static func solveAndExplain(_ p: Prepared, _ r: Request) throws(PlanError) -> ComputedRun {
        var timings = p.timings
        var t0 = DispatchTime.now().uptimeNanoseconds
        let solution = MatchEngine.solve(p.problem)
        timings["solve"] = seconds(since: t0)
        t0 = DispatchTime.now().uptimeNanoseconds
        let plan = try MatchEngine.explain(p.context, p.problem, solution)
        timings["explain"] = seconds(since: t0)
        return ComputedRun(regionCode: r.region, date: r.date, snapshotAt: p.snapshotAt, startedAt: p.startedAt, finishedAt: Date(),
                           problem: p.problem, plan: plan, timings: timings, createdBy: r.actor, requestID: r.requestID)
    }

    /// Computes a run without writing it.
    public static func compute(_ c: Connection, _ r: Request) throws -> ComputedRun {
        try solveAndExplain(try prepare(c, r), r)
    }

    /// Runs and writes one run under the region's lock; `inTransaction` runs inside the
    /// write transaction (the daemon completes its request there). Returns the run and its id.
    ///
    /// The eligible pairs are known before the solver runs, and copying them is most of
    /// the write (a district: 1.4 M pairs). So the write transaction opens once the
    /// problem is built: this thread inserts the run's row and copies the pairs while
    /// another thread solves and explains (pure code, no connection), then it copies
    /// the proposals and unmatched seekers and commits. Still one transaction: a run that
    /// dies anywhere leaves nothing. The snapshot was read and closed before; while the
    /// solver runs, the open transaction holds only its new rows and the key-share locks
    /// their foreign keys take on the region and the request (the lease session's
    /// renewals, which do not change keys, are not blocked). Timings:
    /// `pairs` is the copy of the pairs (alongside `solve` and `explain`), `write` what
    /// is left of the write after `explain`, `total` the whole run from the lock request
    /// to the commit.
    public static func runAndWrite(_ c: Connection, _ r: Request,
                                   inTransaction: (Connection, Int64) throws -> Void = { _, _ in }) throws -> (ComputedRun, Int64) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let key = lockKey(region: r.region)
        try AdvisoryLock.lock(c, .region(r.region), waitingFor: .matchingRun(region: r.region))
        defer { _ = try? c.query("SELECT pg_advisory_unlock(\(key))") }
        let prepared = try prepare(c, r)
        var pairsSeconds = 0.0
        var computedAt: UInt64 = 0
        let (computed, id) = try c.transaction { tx in
            let id = try RunStore.begin(tx, regionCode: r.region, date: r.date, snapshotAt: prepared.snapshotAt,
                                        startedAt: prepared.startedAt, problem: prepared.problem, createdBy: r.actor,
                                        requestID: r.requestID)
            let solving = Background { () throws(PlanError) -> (ComputedRun, UInt64) in
                let run = try solveAndExplain(prepared, r)
                return (run, DispatchTime.now().uptimeNanoseconds)
            }
            let tp = DispatchTime.now().uptimeNanoseconds
            do {
                try RunStore.writeCandidates(tx, runID: id, prepared.problem)
            } catch {
                _ = try? solving.wait()  // never leave the solver running past the transaction
                throw error
            }
            pairsSeconds = seconds(since: tp)
            var run: ComputedRun
            (run, computedAt) = try solving.wait()
            run.timings["pairs"] = pairsSeconds
            try RunStore.finish(tx, runID: id, run)
            try Audit.record(tx, actor: r.actor, action: "match_run", subject: r.region,
                             detail: ["run_id": String(id), "proposals": String(run.plan.proposals.count)]
                                .merging(r.requestID.map { ["request_id": String($0)] } ?? [:]) { a, _ in a })
            try inTransaction(tx, id)
            return (run, id)
        }
        var run = computed
        run.timings["write"] = seconds(since: computedAt)
        run.timings["total"] = seconds(since: t0)
        return (run, id)
    }
}

extension MatchRunner {
    /// The nice value (Linux) of the thread that solves and explains a run. 0 for
    /// `jobmatch match`; `jobmatch serve` with the front desk raises it, so that a run,
    /// a batch job, yields the cores to staff's requests while it solves (the front
    /// desk's benchmark runs a matching run every 5 s under 50 connections).
    public static let solverNiceness = Atomic<Int32>(0)
}

/// A value computed on its own thread; `wait()` returns it (or rethrows its error).
/// `@unchecked Sendable`: `result` is written once by the worker before `done` is
/// signalled and read only after waiting on `done`.
final class Background<T: Sendable, E: Error>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var result: Result<T, E>?

    /// `niceness` > 0 lowers the thread's priority: a thread of its own, not one of
    /// Dispatch's shared pool (an unprivileged process could not raise it back after).
    init(niceness: Int32 = MatchRunner.solverNiceness.load(ordering: .relaxed), _ body: @escaping @Sendable () throws(E) -> T) {
        done.enter()
        let thread = Thread {
            #if os(Linux)
            // PRIO_PROCESS with 0 is the calling thread on Linux (each thread has its own nice value).
            if niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
            #endif
            do throws(E) { self.result = .success(try body()) } catch { self.result = .failure(error) }
            self.done.leave()
        }
        thread.name = "jobmatch.solve"
        thread.start()
    }

    func wait() throws(E) -> T {
        done.wait()
        return try result!.get()
    }
}
