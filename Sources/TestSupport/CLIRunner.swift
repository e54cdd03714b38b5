import Foundation

/// Runs the built `jobmatch` binary as a user would, capturing its output.
///
/// Tests of the command line go through the real executable (exit statuses,
/// stderr lines, signals), located in the build folder beside the tests.
public enum CLIRunner {
    /// The outcome of one invocation.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The package's root folder, from this file's path.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `jobmatch` executable next to the running test bundle (debug or release).
    public static var binary: URL {
        // The test bundle lives in .build/<triple>/<config>/; the executable beside it.
        let bundleDir = Bundle.main.bundleURL
        let candidates = [
            bundleDir.appendingPathComponent("jobmatch"),
            bundleDir.deletingLastPathComponent().appendingPathComponent("jobmatch"),
            packageRoot.appendingPathComponent(".build/debug/jobmatch"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// Runs `jobmatch args…` with `environment` added to (and `removing` taken from) this process's.
    public static func run(_ args: [String], environment: [String: String] = [:], removing: [String] = [],
                           stdin: Data? = nil, currentDirectory: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for k in removing { env[k] = nil }
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let currentDirectory { p.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
