// Signals: SIGTERM/SIGINT drain through `Lifecycle`, SIGHUP reloads. They
// arrive from the group's SignalService (Daemon+Service.swift), the only handler.

import Dispatch
import Foundation
import Logging

extension Daemon {
    /// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread, and so in every thread
    /// created after it. Call first thing in `serve`, before anything starts threads (and
    /// after starting any child process, which would inherit the mask).
    ///
    /// Why: on Linux, libdispatch (under UnixSignalsSequence) delivers signal sources through a signalfd and blocks
    /// the signal only in its own manager thread. A process-directed signal goes to any
    /// thread that does not block it; with SIG_IGN there it is discarded and the source
    /// never fires, without SIG_IGN it kills the process. Blocked everywhere, it stays
    /// pending until the signalfd reads it.
    public static func blockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// On the control queue.
    func handleSignal(_ sig: Int32) {
        if sig == SIGHUP {
            reload()
            return
        }
        logger.info("termination signal received", metadata: .keyed([.signal: "\(sig == SIGTERM ? "SIGTERM" : "SIGINT")"]))
        perform(lifecycle.signal(sig, now: monotonicNow, drain: config.drain))
    }

    func perform(_ actions: [Lifecycle.Action]) {
        for action in actions {
            switch action {
            case .stopClaiming:
                loop.stopClaiming()
                pollTimer?.cancel()
                scheduleTimer?.cancel()
                notifier.stopping(status: "draining")
                logger.info("draining: no new requests will be claimed", metadata: loop.current.map {
                    .keyed([.requestID: "\($0.request.requestID)", .delaySeconds: "\(config.drain.secondsDouble)"])
                } ?? [:])
            case .armDeadline(let at):
                let timer = DispatchSource.makeTimerSource(queue: control)
                timer.setEventHandler { [weak self] in
                    guard let self else { return }
                    self.perform(self.lifecycle.tick(now: self.monotonicNow))
                }
                timer.schedule(deadline: .now() + max(.zero, at - monotonicNow).dispatchInterval)
                timer.activate()
                deadlineTimer = timer
            case .abandonRun:
                perform(loop.abandonRun())
            case .exit(let code):
                stop(code)
            }
        }
    }
}
