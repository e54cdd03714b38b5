// The metrics/health endpoint under hostile clients: connections reset before
// the response is read (no SIGPIPE, the server keeps answering), and a client that
// never reads a large response delays no one else.

import Daemon
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

@Suite struct MetricsEndpointTests {
    static let bigBody = String(repeating: "x", count: 8 << 20)

    /// Runs the endpoint's routes plus `/big` in this process until `body` returns.
    func withServer(_ body: (UInt16) async throws -> Void) async throws {
        let metrics = Metrics()
        metrics.setReady(true)
        let router = MetricsEndpoint.router(metrics: metrics)
        router.get("/big") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: Self.bigBody))) }
        let port = Mutex<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
                              logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var waited = 0
        while port.withLock({ $0 }) == nil, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        try await body(UInt16(try #require(port.withLock { $0 })))
    }

    /// Blocking socket calls run on a Dispatch thread: Hummingbird handles connections in
    /// tasks of the cooperative pool, which a blocked test thread would starve.
    func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { done in DispatchQueue.global().async { done.resume(returning: body()) } }
    }

    func connect(_ port: UInt16) -> Int32 {
        let fd = loopbackConnection(port: Int(port))
        #expect(fd != nil)
        return fd ?? -1
    }

    func send(_ fd: Int32, _ text: String) { sendText(fd, text) }

    /// Closes with a reset (SO_LINGER 0) rather than a FIN.
    func reset(_ fd: Int32) {
        var linger = Foundation.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
        close(fd)
    }

    /// One GET, read to the end; the status line.
    func get(_ port: UInt16, _ path: String) -> String {
        let fd = connect(port)
        defer { close(fd) }
        send(fd, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let bytes = readToEnd(fd)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
    }

    @Test func serveSurvivesTwoHundredClientsThatResetBeforeReadingMetrics() async throws {
        let db = try TestDatabase.make()
        let daemon = try ServeProcess(["--database-url", db.conninfo, "--worker-id", "reset-1", "--no-schedule"])
        defer { daemon.send(SIGKILL) }
        try await daemon.waitForLog("daemon ready")
        let port = UInt16(try await daemon.metricsPort())
        for _ in 0..<200 {
            let fd = connect(port)
            send(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            reset(fd)
        }
        // Still running (a SIGPIPE would have ended it with 128+13) and still answering.
        #expect(daemon.child.poll() == nil)
        #expect(get(port, "/livez") == "HTTP/1.1 200 OK")
        #expect(get(port, "/readyz") == "HTTP/1.1 200 OK")
        #expect(daemon.child.poll() == nil)
    }

    @Test func aClientThatNeverReadsDelaysNoOtherClient() async throws {
        try await withServer { port in
            // Asks for 8 MiB and does not read yet: the socket buffers fill and the
            // server must wait for room.
            let stuck = connect(port)
            defer { close(stuck) }
            send(stuck, "GET /big HTTP/1.1\r\nConnection: close\r\n\r\n")
            try await Task.sleep(for: .milliseconds(200))
            // Answered while the stuck response is still pending ...
            for _ in 0..<20 { #expect(await offPool { get(port, "/readyz") } == "HTTP/1.1 200 OK") }
            // ... and the stuck client, reading at last, still gets its whole response: the
            // server neither waited on it (blocking everyone) nor gave up on it.
            let total = await offPool {
                var tv = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(stuck, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                var total = 0
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = read(stuck, &chunk, chunk.count)
                    if n <= 0 { break }
                    total += n
                }
                return total
            }
            #expect(total > Self.bigBody.utf8.count)
        }
    }

    @Test func routesAnswerAsBefore() async throws {
        try await withServer { port in
            for (path, status) in [("/livez", "HTTP/1.1 200 OK"), ("/readyz", "HTTP/1.1 200 OK"), ("/metrics", "HTTP/1.1 200 OK"),
                                   ("/nope", "HTTP/1.1 404 Not Found")] {
                #expect(await offPool { get(port, path) } == status)
            }
        }
    }
}
