// Time, injected (STYLE.md §4): wall-clock time for what is stored and
// scheduled, monotonic time for deadlines. In debug builds only (the
// JOBMATCH_TEST_HOOKS condition), `JOBMATCH_TEST_NOW` (ISO 8601)
// starts the wall clock at a chosen instant and lets it run from there, so an
// end-to-end test can watch a 02:00 schedule fire without waiting for 02:00.

import Foundation

/// Wall-clock time for the daemon.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's time.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Starts at `start` and advances with the monotonic clock.
public struct ShiftedWallClock: WallClock {
    let start: Date
    let origin: ContinuousClock.Instant
    public init(start: Date) {
        self.start = start
        self.origin = ContinuousClock.now
    }
    public func now() -> Date {
        start.addingTimeInterval((ContinuousClock.now - origin).secondsDouble)
    }

    #if JOBMATCH_TEST_HOOKS
    public static let environmentVariable = "JOBMATCH_TEST_NOW"

    /// A shifted clock when `JOBMATCH_TEST_NOW` is set; throws when it is malformed.
    public static func fromEnvironment(_ environment: [String: String]) throws -> (any WallClock)? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw ConfigError(problems: ["\(environmentVariable): \"\(text)\" is not an ISO 8601 time such as 2025-03-01T01:59:58+08:00"])
        }
        return ShiftedWallClock(start: date)
    }
    #endif
}

extension Duration {
    var secondsDouble: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(min(secondsDouble * 1e9, Double(Int.max / 2))))
    }
}
