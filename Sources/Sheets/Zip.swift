import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random access to a file's bytes: the ZIP central directory sits at the end,
/// entries are read from their offsets.
public protocol ByteSource {
    /// The size in bytes.
    var size: Int { get }
    /// Up to `count` bytes from `offset` (fewer only at the end).
    func read(at offset: Int, count: Int) throws -> [UInt8]
}

/// Bytes in memory (tests, the fuzzer, uploads).
public struct MemorySource: ByteSource {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var size: Int { bytes.count }
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset <= bytes.count else { return [] }
        return Array(bytes[offset..<min(bytes.count, offset + max(0, count))])
    }
}

/// A file read with pread(2): nothing is held but what is being read.
public final class FileSource: ByteSource {
    private let fd: Int32
    public let size: Int
    public init(path: String) throws {
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SheetError(.cannotOpen) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw SheetError(.cannotRead) }
        size = Int(st.st_size)
    }
    deinit { close(fd) }
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset + got)) }
            if n < 0 { throw SheetError(.cannotRead) }
            if n == 0 { break }
            got += n
        }
        out.removeLast(count - got)
        return out
    }
}

/// Why a workbook cannot be read: one line for staff.
public struct SheetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the workbook (Render words it).
    public var problem: SheetProblem
    public init(_ problem: SheetProblem) { self.problem = problem }
    /// A problem not yet typed (Workbook's own words, English).
    public init(_ message: String) { problem = .other(message) }
    /// The words outside Render (tests, logs); people read Render's.
    public var message: String { problem.text }
    public var description: String { message }
}

/// Why a workbook cannot be read; Render words each case.
public enum SheetProblem: Sendable, Hashable {
    case cannotOpen, cannotRead
    /// The ZIP directory is damaged: not a valid .xlsx.
    case damagedArchive
    case partDamaged(String)
    case partTooLarge(String)
    case encrypted
    case unknownCompression(part: String, method: Int)
    /// A part is not well-formed XML; `detail` is the parser's (technical) note.
    case notWellFormed(part: String, detail: String)
    case sharedStringsTooLarge
    case sharedStringsUnreadable
    case sharedStringsUnwritable(reason: String)
    case noTemporaryFile(folder: String, reason: String)
    /// Words not yet typed.
    case other(String)

    public var text: String {
        switch self {
        case .cannotOpen: "cannot be opened for reading"
        case .cannotRead: "cannot be read"
        case .damagedArchive: "the file is not a valid .xlsx workbook (its ZIP directory is damaged)"
        case .partDamaged(let p): "the workbook part \(p) is damaged"
        case .partTooLarge(let p): "the workbook part \(p) is too large"
        case .encrypted: "the workbook is encrypted (password-protected): save it without a password"
        case .unknownCompression(let p, let m): "the workbook part \(p) uses a compression this reader does not know (method \(m))"
        case .notWellFormed(let p, let d): "the workbook part \(p) is not well-formed XML (\(d))"
        case .sharedStringsTooLarge: "the workbook's shared strings exceed 4 GiB"
        case .sharedStringsUnreadable: "the workbook's shared strings could not be read back"
        case .sharedStringsUnwritable(let r): "the workbook's shared strings could not be written to a temporary file: \(r)"
        case .noTemporaryFile(let f, let r): "no temporary file for the workbook's shared strings (\(f)): \(r)"
        case .other(let s): s
        }
    }
}

/// The entries of a ZIP archive (PKWARE APPNOTE: stored and deflated entries,
/// ZIP64 sizes and offsets). Encryption and other methods are refused.
public struct ZipArchive {
    public struct Entry: Sendable, Hashable {
        public let name: String
        let method: UInt16
        let flags: UInt16
        let crc: UInt32
        public let compressedSize: Int
        public let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    public let source: ByteSource
    public let entries: [String: Entry]

    /// At most this many entries (an .xlsx has a few dozen).
    public static let entryLimitDefault = 65_536
    /// An entry may inflate to at most this many bytes (a 200,000-row sheet is ~100 MB).
    public static let inflatedLimitDefault = 4 << 30

    public init(_ source: ByteSource) throws {
        self.source = source
        let bad = SheetError(.damagedArchive)
        let tailCount = min(source.size, 22 + 65_535)
        let tail = try source.read(at: source.size - tailCount, count: tailCount)
        guard tail.count >= 22 else { throw bad }
        var eocd = -1
        var i = tail.count - 22
        while i >= 0 {
            if tail[i] == 0x50, tail[i + 1] == 0x4B, tail[i + 2] == 0x05, tail[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw bad }
        var count = Int(le16(tail, eocd + 10))
        var cdSize = Int(le32(tail, eocd + 12))
        var cdOffset = Int(le32(tail, eocd + 16))
        if cdOffset == 0xFFFF_FFFF || count == 0xFFFF || cdSize == 0xFFFF_FFFF, eocd >= 20,
           le32(tail, eocd - 20) == 0x0706_4B50 {
            let z = Int(clamping: le64(tail, eocd - 20 + 8))
            let rec = try source.read(at: z, count: 56)
            guard rec.count == 56, le32(rec, 0) == 0x0606_4B50 else { throw bad }
            count = Int(clamping: le64(rec, 32)); cdSize = Int(clamping: le64(rec, 40)); cdOffset = Int(clamping: le64(rec, 48))
        }
        guard count <= Self.entryLimitDefault, cdOffset >= 0, cdSize >= 0, cdOffset <= source.size,
              cdSize <= source.size - cdOffset else { throw bad }
        let cd = try source.read(at: cdOffset, count: cdSize)
        var entries: [String: Entry] = [:]
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= cd.count, le32(cd, p) == 0x0201_4B50 else { throw bad }
            let flags = le16(cd, p + 8), method = le16(cd, p + 10), crc = le32(cd, p + 16)
            var comp = Int(le32(cd, p + 20)), uncomp = Int(le32(cd, p + 24))
            let nameLen = Int(le16(cd, p + 28)), extraLen = Int(le16(cd, p + 30)), commentLen = Int(le16(cd, p + 32))
            var local = Int(le32(cd, p + 42))
            guard p + 46 + nameLen + extraLen + commentLen <= cd.count else { throw bad }
            let name = String(decoding: cd[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
            // ZIP64 extended information: the 64-bit values of fields set to all ones, in order.
            var e = p + 46 + nameLen
            let extraEnd = e + extraLen
            while e + 4 <= extraEnd {
                let id = le16(cd, e), size = Int(le16(cd, e + 2))
                if id == 1 {
                    var q = e + 4
                    func next() -> Int? { guard q + 8 <= e + 4 + size, q + 8 <= extraEnd else { return nil }; defer { q += 8 }; return Int(clamping: le64(cd, q)) }
                    if uncomp == 0xFFFF_FFFF, let v = next() { uncomp = v }
                    if comp == 0xFFFF_FFFF, let v = next() { comp = v }
                    if local == 0xFFFF_FFFF, let v = next() { local = v }
                }
                e += 4 + size
            }
            entries[name] = Entry(name: name, method: method, flags: flags, crc: crc, compressedSize: comp,
                                  uncompressedSize: uncomp, localHeaderOffset: local)
            p += 46 + nameLen + extraLen + commentLen
        }
        self.entries = entries
    }

    /// Streams an entry's bytes, inflated, to `sink` in chunks; checks size and CRC-32.
    public func stream(_ entry: Entry, chunkSize: Int = 1 << 16, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let r = try EntryReader(self, entry, chunkSize: chunkSize)
        while let chunk = try r.next() { try chunk.withUnsafeBytes { try sink($0) } }
    }

    /// A whole (small) entry in memory, at most `limit` bytes.
    public func data(_ name: String, limit: Int = 256 << 20) throws -> [UInt8]? {
        guard let e = entries[name] else { return nil }
        guard e.uncompressedSize <= limit else { throw SheetError(.partTooLarge(name)) }
        var out: [UInt8] = []
        out.reserveCapacity(e.uncompressedSize)
        try stream(e) { out.append(contentsOf: $0) }
        return out
    }
}

@inline(__always) func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
@inline(__always) func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
}
@inline(__always) func le64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(le32(b, i)) | UInt64(le32(b, i + 4)) << 32 }

/// An entry's bytes, inflated, pulled chunk by chunk (`next()`), checked against
/// the declared size and CRC-32 at the end.
public final class EntryReader {
    private let source: ByteSource
    private let entry: ZipArchive.Entry
    private let chunkSize: Int
    private var offset: Int
    private var left: Int
    private var crc: uLong = crc32(0, nil, 0)
    private var produced = 0
    private var z = z_stream()
    private var zOpen = false
    private let inBuf: UnsafeMutablePointer<UInt8>
    private var finished = false
    private var streamEnded = false
    private let bad: SheetError

    init(_ archive: ZipArchive, _ entry: ZipArchive.Entry, chunkSize: Int = 1 << 16) throws {
        source = archive.source
        self.entry = entry
        self.chunkSize = chunkSize
        inBuf = .allocate(capacity: chunkSize)
        bad = SheetError(.partDamaged(entry.name))
        guard entry.flags & 1 == 0 else { throw SheetError(.encrypted) }
        guard entry.uncompressedSize <= ZipArchive.inflatedLimitDefault else { throw SheetError(.partTooLarge(entry.name)) }
        let header = try source.read(at: entry.localHeaderOffset, count: 30)
        guard header.count == 30, le32(header, 0) == 0x0403_4B50 else { throw bad }
        offset = entry.localHeaderOffset + 30 + Int(le16(header, 26)) + Int(le16(header, 28))
        left = entry.compressedSize
        guard offset <= source.size, left >= 0, left <= source.size - offset else { throw bad }
        switch entry.method {
        case 0: guard entry.compressedSize == entry.uncompressedSize else { throw bad }
        case 8:
            guard inflateInit2_(&z, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw bad }
            zOpen = true
        default:
            throw SheetError(.unknownCompression(part: entry.name, method: Int(entry.method)))
        }
    }

    deinit {
        if zOpen { inflateEnd(&z) }
        inBuf.deallocate()
    }

    private func deliver(_ out: [UInt8]) throws -> [UInt8] {
        produced += out.count
        guard produced <= entry.uncompressedSize else { throw bad }
        crc = out.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        return out
    }

    private func end() throws -> [UInt8]? {
        finished = true
        guard produced == entry.uncompressedSize, crc == uLong(entry.crc) else { throw bad }
        return nil
    }

    /// The next chunk of inflated bytes, or nil at the end of the entry.
    public func next() throws -> [UInt8]? {
        if finished { return nil }
        if streamEnded { return try end() }
        if entry.method == 0 {
            guard left > 0 else { return try end() }
            let chunk = try source.read(at: offset, count: min(left, chunkSize))
            guard !chunk.isEmpty else { throw bad }
            offset += chunk.count; left -= chunk.count
            return try deliver(chunk)
        }
        var out = [UInt8](repeating: 0, count: chunkSize)
        while true {
            if z.avail_in == 0 && left > 0 {
                let chunk = try source.read(at: offset, count: min(left, chunkSize))
                guard !chunk.isEmpty else { throw bad }
                offset += chunk.count; left -= chunk.count
                chunk.withUnsafeBufferPointer { inBuf.update(from: $0.baseAddress!, count: $0.count) }
                z.next_in = inBuf
                z.avail_in = uInt(chunk.count)
            }
            let r: Int32 = out.withUnsafeMutableBufferPointer { o in
                z.next_out = o.baseAddress
                z.avail_out = uInt(o.count)
                return inflate(&z, Z_NO_FLUSH)
            }
            let n = chunkSize - Int(z.avail_out)
            if r == Z_STREAM_END {
                streamEnded = true
                if n > 0 { out.removeLast(chunkSize - n); return try deliver(out) }
                return try end()
            }
            guard r == Z_OK || r == Z_BUF_ERROR else { throw bad }
            if n > 0 { out.removeLast(chunkSize - n); return try deliver(out) }
            // No output and no input left: the deflate stream is cut short.
            if left == 0 && z.avail_in == 0 { throw bad }
        }
    }
}
