import EmbeddedPostgres
import Foundation
import Postgres

/// Runs a child process to its end (`ChildProcess`, in EmbeddedPostgres), its output kept.
public enum Spawn {
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal that ended the child.
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// Raw standard output, for byte-exact checks.
        public let stdoutBytes: [UInt8]
        /// Peak resident set size of the child, in KiB (`ru_maxrss`).
        public let maxRSSKiB: Int
    }

    /// Runs `argv` (argv[0] an absolute path, or a name looked up on PATH) with `environment`
    /// (nil: this process's), in `currentDirectory`, with `stdin` as its standard input.
    public static func run(_ argv: [String], environment: [String: String]? = nil, currentDirectory: String? = nil,
                           stdin: [UInt8]? = nil) throws -> Result {
        let r: (exit: ChildProcess.Exit, stdout: [UInt8], stderr: [UInt8])
        do {
            r = try ChildProcess.run(argv, environment: environment, stdin: stdin ?? [], currentDirectory: currentDirectory)
        } catch {
            throw TestPostgresError(message: error.description)
        }
        return Result(status: r.exit.status, stdout: String(decoding: r.stdout, as: UTF8.self),
                      stderr: String(decoding: r.stderr, as: UTF8.self), stdoutBytes: r.stdout, maxRSSKiB: r.exit.maxRSSKiB)
    }
}

extension ConnectionConfig {
    /// The configuration as one string `--database-url` accepts: a libpq `key='value'`
    /// conninfo when there is no URL; otherwise the URL (conninfo or `postgresql://`) with
    /// the keywords appended (libpq lets a later keyword win).
    public var libpqString: String {
        func quoted(_ v: String) -> String {
            "'" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        let conninfo = parameters.map { "\($0.0)=\(quoted($0.1))" }.joined(separator: " ")
        guard let url, !url.isEmpty else { return conninfo }
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let query = parameters.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
            }.joined(separator: "&")
            return query.isEmpty ? url : url + (url.contains("?") ? "&" : "?") + query
        }
        return url + " " + conninfo
    }
}
