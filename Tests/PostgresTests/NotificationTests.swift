import Dispatch
import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

@Suite("LISTEN / NOTIFY")
struct NotificationTests {
    @Test("a NOTIFY from another connection wakes a watchNotifications listener without polling")
    func notifyWakesWatcher() throws {
        let config = try TestPostgres.freshDatabase()
        let listener = try Connection.connect(config)
        defer { listener.close() }
        let sender = try Connection.connect(config)
        defer { sender.close() }
        try listener.listen("match_request")

        let received = Mutex<[PostgresNotification]>([])
        let woke = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "test.listener")
        let watch = listener.watchNotifications(on: queue) { notifications in
            received.withLock { $0 += notifications }
            woke.signal()
        }
        try sender.notify("match_request", payload: "region 410311 🙂")
        #expect(woke.wait(timeout: .now() + 5) == .success)
        let got = received.withLock { $0 }
        #expect(got.first?.channel == "match_request")
        #expect(got.first?.payload == "region 410311 🙂")
        #expect(got.first?.pid == sender.backendPID)
        watch.cancel()
        #expect(watch.isCancelled)
        // A cancelled watch is replaced by a new one, and reset() cancels the live watch.
        let second = listener.watchNotifications(on: queue) { _ in }
        try listener.reset()
        #expect(second.isCancelled)
        try listener.listen("match_request")
        let third = listener.watchNotifications(on: queue) { _ in woke.signal() }
        try sender.notify("match_request", payload: "after reset")
        #expect(woke.wait(timeout: .now() + 5) == .success)
        third.cancel()
    }

    @Test("pendingNotifications returns queued notifications once, and UNLISTEN stops them")
    func pendingAndUnlisten() throws {
        let config = try TestPostgres.freshDatabase()
        let listener = try Connection.connect(config)
        defer { listener.close() }
        try listener.listen("Mixed Case \"chan\"")
        try listener.notify("Mixed Case \"chan\"", payload: "self")  // delivered to ourselves after the statement
        var got: [PostgresNotification] = []
        for _ in 0..<100 where got.isEmpty {
            got = try listener.pendingNotifications()
            if got.isEmpty { usleep(10_000) }
        }
        #expect(got.map(\.payload) == ["self"])
        #expect(try listener.pendingNotifications().isEmpty)
        try listener.unlisten("Mixed Case \"chan\"")
        try listener.notify("Mixed Case \"chan\"", payload: "ignored")
        usleep(50_000)
        #expect(try listener.pendingNotifications().isEmpty)
    }

    @Test("when the listening connection dies, the watch reports the error and stops")
    func watcherReportsLostConnection() throws {
        let config = try TestPostgres.freshDatabase()
        let listener = try Connection.connect(config)
        defer { listener.close() }
        let killer = try Connection.connect(config)
        defer { killer.close() }
        try listener.listen("x")
        let failed = DispatchSemaphore(value: 0)
        let kind = Mutex<PostgresError.Kind?>(nil)
        _ = listener.watchNotifications(on: DispatchQueue(label: "test.lost"), onError: { error in
            kind.withLock { $0 = error.kind }
            failed.signal()
        }) { _ in }
        try killer.query("SELECT pg_terminate_backend(\(listener.backendPID))")
        #expect(failed.wait(timeout: .now() + 5) == .success)
        #expect(kind.withLock { $0 }.map { if case .connectionLost = $0 { true } else { false } } == true)
    }
}
