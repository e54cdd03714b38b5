// A tiny HTTP/1.1 server for metrics and health: POSIX sockets and Dispatch
// read sources, no dependency. One request per connection (`Connection:
// close`), GET only, requests up to 8 KiB, 5 s to send one. It is meant for a
// localhost port scraped by Prometheus and probed by systemd or a load
// balancer, not for the open internet.

import Dispatch
import Foundation

/// Serves fixed routes from a handler.
///
/// Thread safety: `@unchecked Sendable`; `listenSource` and `clients` are only
/// touched on `queue`.
public final class HTTPServer: @unchecked Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var contentType: String
        public var body: String
        public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    public typealias Handler = @Sendable (_ method: String, _ path: String) -> Response

    static let maxRequestBytes = 8192
    static let requestTimeoutDefault: DispatchTimeInterval = .seconds(5)

    private let queue = DispatchQueue(label: "jobmatch.http")
    private let handler: Handler
    private var listenSource: (any DispatchSourceRead)?
    private var clients: [Int32: Client] = [:]
    private var acceptPaused = false
    /// The bound port (useful with port 0).
    public private(set) var port: UInt16 = 0

    private final class Client {
        let source: any DispatchSourceRead
        let timer: any DispatchSourceTimer
        var buffer: [UInt8] = []
        /// The response not yet written, and the source that waits for room to write it.
        var pending: ArraySlice<UInt8> = []
        var writer: (any DispatchSourceWrite)?
        var suspended = false
        init(source: any DispatchSourceRead, timer: any DispatchSourceTimer) {
            self.source = source
            self.timer = timer
        }
    }

    public init(handler: @escaping Handler) {
        self.handler = handler
    }

    /// Binds and listens; throws with the errno text when the address is taken.
    public func start(host: String, port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerError(operation: "socket", code: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError(operation: "bind \(host):\(port)", code: code)
        }
        guard listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError(operation: "listen", code: code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.acceptAll(fd) }
        source.setCancelHandler { close(fd) }
        queue.sync { listenSource = source }
        source.activate()
    }

    /// Stops listening and drops open connections.
    public func stop() {
        queue.sync {
            if acceptPaused { listenSource?.resume(); acceptPaused = false }
            listenSource?.cancel()
            listenSource = nil
            for (fd, _) in clients { drop(fd) }
        }
    }

    private func acceptAll(_ listenFD: Int32) {
        while true {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else {
                // Out of descriptors (EMFILE, ENFILE): the pending connection stays
                // readable, so the source would fire again at once and spin. Pause
                // accepting for a moment; open connections finish and free theirs.
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM, let source = listenSource, !acceptPaused {
                    acceptPaused = true
                    source.suspend()
                    queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
                        guard let self, self.acceptPaused else { return }
                        self.acceptPaused = false
                        self.listenSource?.resume()
                    }
                }
                return  // EAGAIN: nothing more to accept
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let client = Client(source: source, timer: timer)
            clients[fd] = client
            source.setEventHandler { [weak self] in self?.readable(fd) }
            // The descriptor is closed only once Dispatch has let go of it.
            source.setCancelHandler { close(fd) }
            timer.setEventHandler { [weak self] in self?.drop(fd) }
            timer.schedule(deadline: .now() + Self.requestTimeoutDefault)
            source.activate()
            timer.activate()
        }
    }

    private func readable(_ fd: Int32) {
        guard let client = clients[fd] else { return }
        var chunk = [UInt8](repeating: 0, count: 2048)
        let n = read(fd, &chunk, chunk.count)
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        guard n > 0 else { drop(fd); return }
        client.buffer += chunk[0..<n]
        if client.buffer.count > Self.maxRequestBytes {
            respond(fd, Response(status: 431, body: "request too large\n"))
            return
        }
        guard let end = headerEnd(client.buffer) else { return }
        let head = String(decoding: client.buffer[..<end], as: UTF8.self)
        // Lines end with CRLF, or a bare LF (RFC 9112 §2.2 lets a server accept it).
        let requestLine = String(head.split(maxSplits: 1, omittingEmptySubsequences: false) { $0 == "\r\n" || $0 == "\n" }.first ?? "")
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            respond(fd, Response(status: 400, body: "bad request\n"))
            return
        }
        let method = String(parts[0])
        let path = String(parts[1].split(separator: "?", maxSplits: 1).first ?? "")
        guard method == "GET" || method == "HEAD" else {
            respond(fd, Response(status: 405, body: "method not allowed\n"))
            return
        }
        var response = handler(method, path)
        if method == "HEAD" { response.body = "" }
        respond(fd, response)
    }

    /// Where the head ends: the first empty line, after CRLF or a bare LF.
    private func headerEnd(_ bytes: [UInt8]) -> Int? {
        for i in bytes.indices where bytes[i] == 10 {
            if i + 1 < bytes.count && bytes[i + 1] == 10 { return i }
            if i + 2 < bytes.count && bytes[i + 1] == 13 && bytes[i + 2] == 10 { return i }
        }
        return nil
    }

    private func respond(_ fd: Int32, _ response: Response) {
        let reason = [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                      431: "Request Header Fields Too Large", 503: "Service Unavailable"][response.status] ?? "Status"
        let body = Array(response.body.utf8)
        let head = "HTTP/1.1 \(response.status) \(reason)\r\nContent-Type: \(response.contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        guard let client = clients[fd] else { return }
        client.source.suspend()  // one request per connection: read no more
        client.suspended = true
        client.pending = ArraySlice(Array(head.utf8) + body)
        flush(fd, client)
    }

    /// Writes what the socket takes now; waits for room with a write source rather
    /// than on this queue, so one client that stops reading delays no other.
    /// MSG_NOSIGNAL: a client that reset the connection is an EPIPE, never a SIGPIPE.
    private func flush(_ fd: Int32, _ client: Client) {
        while !client.pending.isEmpty {
            let n = client.pending.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                client.pending = client.pending.dropFirst(n)
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && errno == EAGAIN {
                if client.writer == nil {
                    let writer = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
                    writer.setEventHandler { [weak self, weak client] in
                        guard let self, let client else { return }
                        self.flush(fd, client)
                    }
                    client.writer = writer
                    writer.activate()
                }
                return  // the request timer still bounds how long we wait
            } else {
                break
            }
        }
        drop(fd)
    }

    private func drop(_ fd: Int32) {
        guard let client = clients.removeValue(forKey: fd) else { return }
        client.timer.cancel()
        // A suspended source must be resumed before it is cancelled, or its
        // cancel handler (which closes the descriptor) never runs.
        if client.suspended { client.source.resume() }
        // The read source closes the descriptor; with a writer, only once the writer
        // too has let go of it.
        if let writer = client.writer {
            let source = client.source
            writer.setCancelHandler { source.cancel() }
            writer.cancel()
        } else {
            client.source.cancel()
        }
    }
}

public struct HTTPServerError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
