// A small bounded pool of libpq sessions for async callers (the web's handlers,
// the API): blocking libpq never runs on Swift's cooperative threads. Each
// session has its own serial Dispatch queue, so a statement blocks a Dispatch
// thread, never a task executor; a caller that goes away (its task cancelled)
// cancels the statement on the server (`PQcancel`), and the session goes back
// to the pool once the statement has ended.
//
//     caller ──withSession──▶ [idle session?] ──yes──▶ its queue runs body ──▶ back to idle
//                                   │ no, fewer than `size` open: open one (on its queue)
//                                   │ no, all busy: wait (at most `maxWaiters`, `acquireTimeout`)
//
// A session found broken after use is closed and opened again on next use;
// `reopenAll()` (a failover, a read-only primary) closes the idle ones now and the
// busy ones as they come back, so no session outlives the server it was opened on.

import Dispatch
import Foundation
import Synchronization

/// Why a session could not be had.
public enum SessionPoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every session is busy and `maxWaiters` callers already wait.
    case busy
    /// No session came free within `acquireTimeout`.
    case timedOut
    /// The pool was shut down.
    case shutDown

    public var description: String {
        switch self {
        case .busy: "every database session is busy"
        case .timedOut: "no database session came free in time"
        case .shutDown: "the database session pool is shut down"
        }
    }
}

public final class SessionPool: Sendable {
    public struct Options: Sendable {
        /// Sessions open at most.
        public var size: Int
        /// Callers that may wait for a session; past that, `busy` at once.
        public var maxWaiters: Int
        /// How long a caller waits for a session.
        public var acquireTimeout: Duration

        public init(size: Int = 4, maxWaiters: Int = 64, acquireTimeout: Duration = .seconds(5)) {
            precondition(size > 0 && maxWaiters >= 0)
            self.size = size
            self.maxWaiters = maxWaiters
            self.acquireTimeout = acquireTimeout
        }
    }

    /// One session: its connection (opened lazily, on its queue) and the queue it runs on.
    final class Slot: @unchecked Sendable {
        // @unchecked: `connection` and `stale` are touched only on `queue`.
        let queue: DispatchQueue
        var connection: Connection?
        /// The pool's generation when `connection` was opened.
        let generationAtOpen = Atomic<Int>(0)
        /// The same connection, readable from any thread: a cancelled caller sends
        /// `PQcancel` through it while the queue is busy running the statement.
        let connectionForCancel = Mutex<Connection?>(nil)
        init(index: Int) { queue = DispatchQueue(label: "jobmatch.session.\(index)") }
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Slot, any Error>
    }

    private struct State {
        var idle: [Slot] = []
        var opened = 0
        var waiters: [Waiter] = []
        var nextWaiter: UInt64 = 0
        var shutDown = false
    }

    private let config: ConnectionConfig
    private let options: Options
    private let state = Mutex(State())
    /// Bumped by `reopenAll`; a session opened under an older generation is closed.
    private let generation = Atomic<Int>(0)
    /// Sessions opened, in all (for metrics and tests).
    private let opens = Atomic<Int>(0)

    public init(_ config: ConnectionConfig, options: Options = .init()) {
        self.config = config
        self.options = options
    }

    /// Sessions opened since the pool started (a reconnect counts).
    public var sessionsOpened: Int { opens.load(ordering: .relaxed) }

    /// Runs `body` with a session, on that session's own thread. If the calling task is
    /// cancelled while `body` runs, the running statement is cancelled on the server (the
    /// body then sees SQLSTATE 57014) and `CancellationError` is thrown once it returns.
    public func withSession<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try Task.checkCancellation()
        return try await run(body, on: try await acquire(), thenRelease: true)
    }

    /// A session held for several calls in a row (a web request: its principal's lookup,
    /// then its handler's statements), so the caller waits for a session once. Each `run`
    /// goes to the session's queue as `withSession` does; `release()` (or the lease's end)
    /// gives it back. Hold it only while the caller works: a lease kept across a slow
    /// client keeps the session from everyone else.
    public func lease() async throws -> Lease {
        try Task.checkCancellation()
        return Lease(pool: self, slot: try await acquire())
    }

    public final class Lease: Sendable {
        let pool: SessionPool
        let slot: Slot
        private let released = Atomic<Bool>(false)

        init(pool: SessionPool, slot: Slot) {
            self.pool = pool
            self.slot = slot
        }

        deinit { release() }

        /// Runs `body` on the leased session; once released, on any session of the pool (`withSession`).
        public func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
            if released.load(ordering: .acquiring) { return try await pool.withSession(body) }
            try Task.checkCancellation()
            return try await pool.run(body, on: slot, thenRelease: false)
        }

        /// Gives the session back to the pool (after the runs already sent); later calls do nothing.
        public func release() {
            guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
            let (pool, slot) = (pool, slot)
            slot.queue.async { pool.release(slot) }
        }

        /// `release()`, returning once the session is back in the pool (or with its next
        /// caller): the lease holder's next call finds it idle instead of opening another.
        public func end() async {
            guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
            let (pool, slot) = (pool, slot)
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                slot.queue.async {
                    pool.release(slot)
                    done.resume()
                }
            }
        }
    }

    /// Runs `body` on `slot`'s queue, cancelling its statement if the calling task is cancelled.
    private func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T, on slot: Slot, thenRelease: Bool)
        async throws -> T {
        let flags = CallFlags()
        let result: Result<T, any Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Result<T, any Error>, Never>) in
                slot.queue.async {
                    let outcome: Result<T, any Error>
                    if flags.cancelled.load(ordering: .acquiring) {
                        outcome = .failure(CancellationError())
                    } else {
                        outcome = Result { try body(self.open(slot)) }
                    }
                    flags.finished.store(true, ordering: .releasing)
                    // Back to the pool from here, already on the session's queue: no second hop.
                    if thenRelease { self.release(slot) }
                    done.resume(returning: outcome)
                }
            }
        } onCancel: {
            flags.cancelled.store(true, ordering: .releasing)
            // PQcancel cancels only the statement running at that instant: one sent while
            // the session is still connecting, or between two statements, would be lost.
            // So keep cancelling until the body has returned (at most a few round trips).
            DispatchQueue.global().async {
                while !flags.finished.load(ordering: .acquiring) {
                    _ = slot.connectionForCancel.withLock { $0 }?.cancelCurrentQuery()
                    usleep(50_000)
                }
            }
        }
        if flags.cancelled.load(ordering: .acquiring) { throw CancellationError() }
        return try result.get()
    }

    /// What a cancellation handler and the session's queue tell each other.
    private final class CallFlags: Sendable {
        let cancelled = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
    }

    /// Closes idle sessions now and busy ones when they come back: the next use of each
    /// opens a new one (after a failover, or a session that landed on a read-only server).
    public func reopenAll() {
        generation.add(1, ordering: .relaxed)
        let idle = state.withLock { $0.idle }
        for slot in idle {
            slot.queue.async { self.closeIfStale(slot) }
        }
    }

    /// Refuses new callers, fails the waiting ones, closes idle sessions.
    public func shutdown() {
        let (waiters, idle) = state.withLock { s -> ([Waiter], [Slot]) in
            s.shutDown = true
            let w = s.waiters
            s.waiters = []
            return (w, s.idle)
        }
        for w in waiters { w.continuation.resume(throwing: SessionPoolError.shutDown) }
        for slot in idle {
            slot.queue.sync {
                slot.connectionForCancel.withLock { $0 = nil }
                slot.connection?.close()
                slot.connection = nil
            }
        }
    }

    // MARK: - Slots

    private enum Acquire {
        case slot(Slot)
        case wait
        case fail(SessionPoolError)
    }

    private func acquire() async throws -> Slot {
        let now: Acquire = state.withLock { s in
            if s.shutDown { return .fail(.shutDown) }
            if let slot = s.idle.popLast() { return .slot(slot) }
            if s.opened < options.size {
                s.opened += 1
                return .slot(Slot(index: s.opened))
            }
            if s.waiters.count >= options.maxWaiters { return .fail(.busy) }
            return .wait
        }
        switch now {
        case .slot(let slot): return slot
        case .fail(let error): throw error
        case .wait: break
        }
        let id = state.withLock { s -> UInt64 in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Slot, any Error>) in
                // A slot may have come free between the first look and now.
                let immediate: Slot? = state.withLock { s in
                    if let slot = s.idle.popLast() { return slot }
                    s.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                let timeout = options.acquireTimeout
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) {
                    self.failWaiter(id, with: SessionPoolError.timedOut)
                }
            }
        } onCancel: {
            self.failWaiter(id, with: CancellationError())
        }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        let waiter: Waiter? = state.withLock { s in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: i)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// On the slot's queue, once its caller's body has returned: hands `slot` to the
    /// longest waiter, or back to the idle list; a broken or stale session is closed
    /// first, so the next user opens a fresh one.
    private func release(_ slot: Slot) {
        closeIfStale(slot)
        let waiter: Waiter? = state.withLock { s in
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.idle.append(slot)
            return nil
        }
        waiter?.continuation.resume(returning: slot)
    }

    /// On the slot's queue.
    private func closeIfStale(_ slot: Slot) {
        guard let c = slot.connection else { return }
        if !c.isConnected || slot.generationAtOpen.load(ordering: .relaxed) != generation.load(ordering: .relaxed) {
            slot.connectionForCancel.withLock { $0 = nil }
            c.close()
            slot.connection = nil
        }
    }

    /// On the slot's queue: its connection, opened if need be.
    private func open(_ slot: Slot) throws -> Connection {
        closeIfStale(slot)
        if let c = slot.connection { return c }
        let c = try Connection.connect(config)
        slot.generationAtOpen.store(generation.load(ordering: .relaxed), ordering: .relaxed)
        slot.connection = c
        slot.connectionForCancel.withLock { $0 = c }
        opens.add(1, ordering: .relaxed)
        return c
    }
}
