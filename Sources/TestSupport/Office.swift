import Foundation

/// Real spreadsheet programs for the tests: LibreOffice Calc (headless) and openpyxl.
/// `scripts/ensure-deps` installs both (Debian's libreoffice-calc-nogui, python3-openpyxl);
/// a test that needs one fails when it is missing, never skips.
public enum Office {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// Runs `argv` and returns its standard output; throws with its stderr on a non-zero exit.
    @discardableResult
    public static func run(_ argv: [String], cwd: URL? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        if let cwd { p.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "\(argv.joined(separator: " ")) exited \(p.terminationStatus): \(String(decoding: e, as: UTF8.self))")
        }
        return String(decoding: o, as: UTF8.self)
    }

    public static var soffice: String {
        ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/bin/soffice"
    }

    /// Converts `files` with LibreOffice Calc into `format` (`xlsx`, `csv`) in `outdir`.
    /// `infilter`: the CSV import options (separator, quote, charset, first line, column formats).
    public static func convert(_ files: [URL], to format: String, outdir: URL, infilter: String? = nil) throws {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("lo-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var argv = [soffice, "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore"]
        if let infilter { argv.append("--infilter=\(infilter)") }
        argv += ["--convert-to", format, "--outdir", outdir.path] + files.map(\.path)
        try run(argv)
        for f in files {
            let out = outdir.appendingPathComponent(f.deletingPathExtension().lastPathComponent + "." + format.split(separator: ":")[0])
            guard FileManager.default.fileExists(atPath: out.path) else { throw Failure(description: "LibreOffice made no \(out.lastPathComponent)") }
        }
    }

    /// Runs a Python 3 script with Debian's python3 (which has openpyxl).
    @discardableResult
    public static func python(_ script: String, _ args: [String] = []) throws -> String {
        try run(["/usr/bin/python3", "-c", script] + args)
    }

    /// A fresh temporary directory; the caller removes it.
    public static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jm-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
