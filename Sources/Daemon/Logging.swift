// Structured logs to stderr, for journald: one line per event, text or JSON.
//
// Messages are constant sentences; data goes in metadata under the keys of
// `LogKey` only. Never log names, identity or certificate numbers, phone
// numbers, or bind values: request and run ids, regions, counts and safe error
// descriptions (PostgresError.description leaves out server messages that can
// quote row values).

import Domain
import Foundation
import Logging
import Synchronization

/// The metadata keys the daemon uses: one place, dotted names.
public enum LogKey: String, Sendable {
    case requestID = "request.id"
    case runID = "run.id"
    case region = "region.code"
    case attempts = "request.attempts"
    case state = "request.state"
    case job = "job.name"
    case scheduledFor = "job.scheduled_for"
    case catchUp = "job.catch_up"
    case count = "count"
    case workerID = "worker.id"
    case error = "error"
    case durationSeconds = "duration.seconds"
    case delaySeconds = "retry.delay_seconds"
    case metricsAddress = "metrics.address"
    case signal = "signal"
    case configPath = "config.path"
    case schemaVersion = "schema.version"
    case outcome = "run.outcome"
    case exitStatus = "exit.status"
}

extension Logger.Metadata {
    /// Metadata from `LogKey`s.
    public static func keyed(_ pairs: KeyValuePairs<LogKey, Logger.MetadataValue>) -> Logger.Metadata {
        var out: Logger.Metadata = [:]
        for (k, v) in pairs { out[k.rawValue] = v }
        return out
    }
}

/// Writes each event as one line to a file descriptor (stderr by default).
///
/// Thread safety: value type; the shared output goes through `write(2)` of one
/// whole line, which the kernel does not interleave for lines under PIPE_BUF.
/// The level can change on SIGHUP through the shared `LevelBox`.
public struct LineLogHandler: LogHandler {
    public let label: String
    public let format: DaemonConfig.LogFormat
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let levelBox: LevelBox
    let fd: Int32

    /// Shared, changeable minimum level (config reload).
    public final class LevelBox: Sendable {
        private let level: Mutex<Logger.Level>
        public init(_ level: Logger.Level) { self.level = Mutex(level) }
        public var value: Logger.Level {
            get { level.withLock { $0 } }
            set { level.withLock { $0 = newValue } }
        }
    }

    public init(label: String, format: DaemonConfig.LogFormat, level: LevelBox, fd: Int32 = 2) {
        self.label = label
        self.format = format
        self.levelBox = level
        self.fd = fd
    }

    public var logLevel: Logger.Level {
        get { levelBox.value }
        set { levelBox.value = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let line = Self.format(format, level: event.level, message: event.message.description, metadata: all, now: Date())
        var bytes = Array((line + "\n").utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }
    }

    /// One line: `2025-03-01T02:00:00.123Z info message key=value …`, or a JSON object.
    public static func format(_ format: DaemonConfig.LogFormat, level: Logger.Level, message: String,
                              metadata: Logger.Metadata, now: Date) -> String {
        let time = now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        let keys = metadata.keys.sorted()
        switch format {
        case .text:
            var out = "\(time) \(level.rawValue) \(message)"
            for k in keys {
                let v = "\(metadata[k]!)"
                out += " \(k)=" + (v.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? JSONObjectText.quoted(v) : v)
            }
            return out
        case .json:
            var o = JSONObjectText()
            o.string("time", time)
            o.string("level", level.rawValue)
            o.string("message", message)
            for k in keys { o.string(k, "\(metadata[k]!)") }
            return o.text
        }
    }
}
