// `serve` as one ServiceGroup (swift-service-lifecycle), in start order:
//
//   signals       the one handler of SIGTERM, SIGINT and SIGHUP (UnixSignalsSequence)
//   metrics       /metrics, /livez, /readyz on Hummingbird (MetricsService)
//   front doors   what the caller adds: the staff web application and its API
//   queue worker  the control loop: scheduler, claims, runs (this Daemon)
//
// SIGTERM/SIGINT go to the lifecycle as before: stop claiming, drain the run
// (up to `drain`), then the worker returns and the group shuts the other
// services down gracefully, in reverse order (in-flight HTTP requests finish).
// A second signal exits at once with 128+signal. SIGHUP reloads. The group
// itself traps no signal, so no two handlers race for one.

import Dispatch
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals

extension Daemon: Service {
    /// The queue worker and scheduler: starts the control loop, returns when the
    /// lifecycle has drained (exit status 0).
    public func run() async throws {
        await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
            control.async { [self] in
                self.stopped = stopped
                start()
            }
        }
    }

    /// The group: signals, metrics (when `metrics.listen` is set), `frontDoors`, the worker.
    public func serviceGroup(frontDoors: [any Service] = []) -> ServiceGroup {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: SignalService(daemon: self), serviceName: "signals"),
        ]
        if let listen = config.metricsListen {
            services.append(.init(service: MetricsService(metrics: metrics, address: listen, logger: logger),
                                  serviceName: "metrics"))
        }
        services += frontDoors.map { .init(service: $0) }
        services.append(.init(service: self, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "queue worker"))
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        // Below systemd's TimeoutStopSec (deploy/jobmatch.service); the drain itself is bounded by `drain`.
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        return ServiceGroup(configuration: configuration)
    }

    /// Bootstraps swift-metrics with this daemon's Prometheus registry (once per
    /// process), runs the group and exits when it is done. Call after
    /// `blockTerminationSignals`.
    public func serve(frontDoors: [any Service] = []) -> Never {
        MetricsSystem.bootstrap(metrics.factory)
        let group = serviceGroup(frontDoors: frontDoors)
        let logger = self.logger
        Task {
            do {
                try await group.run()
            } catch {
                logger.critical("serve stopped on an error", metadata: .keyed([.error: "\(error)"]))
                exit(1)
            }
            exit(0)
        }
        dispatchMain()
    }

    /// On the control queue: the lifecycle says stop.
    func stop(_ code: Int32) {
        logger.info("daemon stopped", metadata: .keyed([.exitStatus: "\(code)"]))
        guard code == 0, let stopped else { exit(code) }  // a second signal: at once
        for timer in [pollTimer, scheduleTimer, deadlineTimer, watchdogTimer, leaseTimer] { timer?.cancel() }
        self.stopped = nil
        stopped.resume()
    }
}

/// Hands SIGTERM, SIGINT and SIGHUP to the daemon's control queue.
struct SignalService: Service {
    let daemon: Daemon

    func run() async {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        for await signal in signals.cancelOnGracefulShutdown() {
            let number = signal.rawValue
            daemon.control.async { daemon.handleSignal(number) }
        }
    }
}
