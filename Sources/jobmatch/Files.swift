#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Daemon
import Foundation
import Render

/// Files the CLI reads and writes (issue 17). Messages are kept here, one
/// place per module, ready for the zh/en catalogue.
extension FileMessages {
    /// The system's words for an errno (the rest of the message is Render's).
    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// An input file opened for reading: a regular file or a pipe; a directory, a
/// device or a socket is refused at once with one line (never a crash or an
/// endless read of /dev/zero).
final class InputFile {
    let path: String
    let fd: Int32
    /// The size of a regular file, nil for a pipe.
    let size: Int?
    private var buffer: [UInt8]

    init(_ path: String, chunkSize: Int = 1 << 18) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputRejected(lines: [FileMessages.cannotOpen(path, FileMessages.reason(errno))]) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw InputRejected(lines: [FileMessages.cannotOpen(path, FileMessages.reason(e))])
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFIFO else {
            close(fd)
            let what: FileMessages.NotAFile = type == S_IFDIR ? .folder : (type == S_IFCHR || type == S_IFBLK) ? .device : .other
            throw InputRejected(lines: [FileMessages.notAFile(path, what)])
        }
        self.fd = fd
        self.size = type == S_IFREG ? Int(st.st_size) : nil
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { close(fd) }

    /// The next chunk, nil at the end.
    func next() throws -> [UInt8]? {
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputRejected(lines: [FileMessages.cannotRead(path, FileMessages.reason(errno))])
            }
            return n == 0 ? nil : Array(buffer[0..<n])
        }
    }

    /// Back to the start, for a retry (issue 18); false for a pipe, which cannot go back.
    func rewind() -> Bool {
        size != nil && lseek(fd, 0, SEEK_SET) == 0
    }

    /// Whether two paths name one file (same device and inode), e.g. `--rejects` and the input.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0 && stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        let ra = URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath().path
        let rb = URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath().path
        return ra == rb
    }
}

/// Files holding personal data (exports, rejects, worksheets): created 0600,
/// whatever the umask, so no other local user reads them.
enum PrivateFile {
    static let mode: mode_t = 0o600

    /// Creates (or truncates) `path` for writing, mode 0600.
    static func create(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ValidationError(FileMessages.cannotWrite(path, FileMessages.reason(errno))) }
        fchmod(fd, mode)  // an existing file keeps its old mode through O_CREAT
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Writes `bytes` whole: a temporary 0600 file beside `path`, renamed into place.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw RuntimeFailure(FileMessages.cannotWrite(path, FileMessages.reason(errno))) }
        fchmod(fd, mode)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd); unlink(temp)
                throw RuntimeFailure(FileMessages.cannotWrite(path, FileMessages.reason(e)))
            }
            offset += n
        }
        if fsync(fd) != 0 || close(fd) != 0 {
            let e = errno
            unlink(temp)
            throw RuntimeFailure(FileMessages.cannotWrite(path, FileMessages.reason(e)))
        }
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw RuntimeFailure(FileMessages.cannotWrite(path, FileMessages.reason(e)))
        }
    }
}

/// A run-time failure (exit 1) already worded for a person.
struct RuntimeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The center's time zone: `JOBMATCH_TIME_ZONE` (the deprecated `JOBMATCH_TIMEZONE`
/// is read with a warning), default Asia/Shanghai — the daemon's setting too
/// (TimeZoneSetting). An unknown name is a usage error (exit 2), never a silent
/// fall-back to UTC (issue 17).
enum CenterTimeZone {
    static var configured: TimeZone {
        let found = TimeZoneSetting.lookup(ProcessInfo.processInfo.environment)
        if found?.deprecated == true { Console.error("jobmatch: warning: \(TimeZoneSetting.deprecationWarning)") }
        let name = found?.name ?? TimeZoneSetting.defaultName
        if let zone = TimeZone(identifier: name) { return zone }
        Console.error("jobmatch: \(found?.variable ?? TimeZoneSetting.variable) \"\(name.prefix(60))\" is not a known time zone (e.g. Asia/Shanghai)")
        exit(ExitStatus.usage)
    }
}
