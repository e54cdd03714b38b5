// The metrics and health endpoint on Hummingbird (loopback by default):
//
//   /metrics  Prometheus text of `Metrics`
//   /livez    200 while the process serves
//   /readyz   200 when connected to a database with the expected schema, else 503
//
// Hummingbird writes with back-pressure on NIO's event loops: a client that
// never reads delays no one else, and one that resets is an error on its own
// channel only (SIGPIPE is ignored process-wide in `serve`).

import Hummingbird
import HummingbirdCore
import HTTPTypes
import NIOHTTPTypes
import Logging
import NIOCore
import ServiceLifecycle

public enum MetricsEndpoint {
    /// The routes; tests add their own beside them.
    public static func router(metrics: Metrics) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        router.get("/livez") { _, _ in text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            metrics.isReady ? text(.ok, "ready\n") : text(.serviceUnavailable, "not ready: database unreachable or schema not current\n")
        }
        return router
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// The endpoint as a service of `serve`'s group. A port it cannot bind is logged
/// and matching goes on without metrics (as before Hummingbird).
public struct MetricsService: Service {
    let metrics: Metrics
    let address: DaemonConfig.ListenAddress
    let logger: Logger

    public init(metrics: Metrics, address: DaemonConfig.ListenAddress, logger: Logger) {
        self.metrics = metrics
        self.address = address
        self.logger = logger
    }

    public func run() async throws {
        let logger = self.logger
        let host = address.host
        let app = Application(
            router: MetricsEndpoint.router(metrics: metrics),
            server: MetricsEndpoint.server,
            configuration: .init(address: .hostname(address.host, port: Int(address.port)), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("metrics listening", metadata: .keyed([.metricsAddress: "\(host):\(port)"]))
            },
            logger: logger)
        do {
            try await app.run()
        } catch {
            // A taken port must not stop matching: say so and carry on without metrics.
            logger.error("metrics server could not start", metadata: .keyed([.error: "\(error)"]))
            try? await gracefulShutdown()
        }
    }
}

// MARK: - Bare LF line ends

extension MetricsEndpoint {
    /// HTTP/1 as Hummingbird serves it, plus what the hand-written server did for probes:
    /// `printf 'GET /livez HTTP/1.1\n\n' | nc` (bare LF line ends, as a shell probe
    /// sends them) is answered, not refused with 400 by the strict parser, and each
    /// connection carries one request, then closes (a probe reads to the end).
    static var server: HTTPServerBuilder {
        HTTPServerBuilder { responder in
            BareLFChannel(inner: HTTP1Channel(responder: responder,
                                              configuration: .init(additionalChannelHandlers: [OneRequestPerConnection()])))
        }
    }
}

/// `HTTP1Channel` with `BareLFToCRLF` in front of its parser.
struct BareLFChannel: ServerChildChannel {
    let inner: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(BareLFToCRLF())
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Turns every LF not preceded by CR into CRLF. Only for this GET-only endpoint,
/// whose requests have no body.
final class BareLFToCRLF: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private var lastWasCR = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let bytes = buffer.readableBytesView
        guard bytes.contains(UInt8(ascii: "\n")) else {
            lastWasCR = bytes.last == UInt8(ascii: "\r") || (bytes.isEmpty && lastWasCR)
            context.fireChannelRead(data)
            return
        }
        var out = context.channel.allocator.buffer(capacity: bytes.count + 16)
        for byte in bytes {
            if byte == UInt8(ascii: "\n"), !lastWasCR { out.writeInteger(UInt8(ascii: "\r")) }
            out.writeInteger(byte)
            lastWasCR = byte == UInt8(ascii: "\r")
        }
        context.fireChannelRead(wrapInboundOut(out))
    }
}

/// Marks every request `Connection: close`, so the connection closes after its response.
final class OneRequestPerConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        head.headerFields[.connection] = "close"
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
