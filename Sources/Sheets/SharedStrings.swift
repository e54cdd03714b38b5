#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A workbook's shared strings (issue 15: flat memory). Small tables stay in
/// memory; past `memoryLimit` bytes the strings and their end offsets are
/// spilled to two unlinked temporary files (gone when the process ends, however
/// it ends) and read back through a small block cache of bounded size. A
/// spreadsheet program stores shared strings in the order the sheet first uses
/// them, so the rows of a sheet read the table almost in order: the cache holds
/// the blocks being read and the first blocks (the few values every row repeats).
public final class SharedStrings {
    /// Bytes of strings held in memory before the table is spilled.
    public static let memoryLimitDefault = 1 << 20
    /// The block size and the number of blocks cached, per file (2 × 16 × 64 KiB = 2 MiB at most).
    static let blockSize = 1 << 16
    static let cachedBlocks = 16

    private let memoryLimit: Int
    // In memory (before the spill): all bytes, and each string's end.
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []
    // Spilled: the strings' bytes and their ends (UInt64 little-endian), appended through buffers.
    private var data: SpillFile?
    private var index: SpillFile?
    private(set) var count = 0
    private var total = 0

    init(memoryLimit: Int = SharedStrings.memoryLimitDefault) { self.memoryLimit = memoryLimit }

    /// Whether the table went to temporary files.
    var spilled: Bool { data != nil }

    func append(_ s: [UInt8]) throws {
        total += s.count
        count += 1
        if let data, let index {
            try data.append(s)
            var end = UInt64(total).littleEndian
            try withUnsafeBytes(of: &end) { try index.append(UnsafeRawBufferPointer($0)) }
            return
        }
        bytes.append(contentsOf: s)
        guard bytes.count < Int(UInt32.max) else { throw SheetError(.sharedStringsTooLarge) }
        ends.append(UInt32(bytes.count))
        if bytes.count > memoryLimit { try spill() }
    }

    func append(_ s: String) throws { try append(Array(s.utf8)) }

    /// Moves what is in memory to the temporary files; later strings go there directly.
    private func spill() throws {
        let d = try SpillFile(), x = try SpillFile()
        try bytes.withUnsafeBytes { try d.append($0) }
        var packed: [UInt8] = []
        packed.reserveCapacity(ends.count * 8)
        for e in ends { withUnsafeBytes(of: UInt64(e).littleEndian) { packed.append(contentsOf: $0) } }
        try packed.withUnsafeBytes { try x.append($0) }
        data = d; index = x
        bytes = []; ends = []
    }

    /// Called once every string is in: later calls read.
    func finish() throws {
        try data?.flush()
        try index?.flush()
    }

    /// String `i`, nil past the end.
    func string(_ i: Int) throws -> String? {
        guard i >= 0, i < count else { return nil }
        guard let data, let index else {
            let start = i == 0 ? 0 : Int(ends[i - 1])
            return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<Int(ends[i])]), as: UTF8.self) }
        }
        func end(_ k: Int) throws -> Int {
            var v: UInt64 = 0
            try withUnsafeMutableBytes(of: &v) { try index.read(at: k * 8, into: $0) }
            return Int(UInt64(littleEndian: v))
        }
        let start = i == 0 ? 0 : try end(i - 1)
        let stop = try end(i)
        guard start <= stop, stop - start <= 64 << 20 else { throw SheetError(.sharedStringsUnreadable) }
        return try String(unsafeUninitializedCapacity: stop - start) { buffer in
            try data.read(at: start, into: UnsafeMutableRawBufferPointer(buffer))
            return stop - start
        }
    }
}

/// An unlinked temporary file written through a buffer, then read through a
/// least-recently-used cache of a few blocks.
final class SpillFile {
    private let fd: Int32
    private var pending: [UInt8] = []
    private var written = 0
    private var blocks: [[UInt8]] = []
    private var tags: [Int] = []
    private var used: [UInt64] = []
    private var clock: UInt64 = 0

    init() throws {
        let dir = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/jobmatch-sheet-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SheetError(.noTemporaryFile(folder: dir, reason: String(cString: strerror(errno)))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        pending.reserveCapacity(SharedStrings.blockSize)
    }

    deinit { close(fd) }

    func append(_ b: UnsafeRawBufferPointer) throws {
        pending.append(contentsOf: b)
        if pending.count >= SharedStrings.blockSize { try flush() }
    }

    func append(_ b: [UInt8]) throws { try b.withUnsafeBytes { try append($0) } }

    func flush() throws {
        var off = 0
        while off < pending.count {
            let n = pending.withUnsafeBytes { pwrite(fd, $0.baseAddress! + off, $0.count - off, off_t(written + off)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SheetError(.sharedStringsUnwritable(reason: String(cString: strerror(errno))))
            }
            off += n
        }
        written += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    /// Fills `out` from `offset` (every byte must have been written and flushed).
    func read(at offset: Int, into out: UnsafeMutableRawBufferPointer) throws {
        guard offset >= 0, offset + out.count <= written else { throw SheetError(.sharedStringsUnreadable) }
        var pos = offset, done = 0
        let size = SharedStrings.blockSize
        while done < out.count {
            let b = try block(pos / size)
            let inBlock = pos % size
            let n = min(out.count - done, b.count - inBlock)
            guard n > 0 else { throw SheetError(.sharedStringsUnreadable) }
            b.withUnsafeBytes { src in (out.baseAddress! + done).copyMemory(from: src.baseAddress! + inBlock, byteCount: n) }
            done += n; pos += n
        }
    }

    private func block(_ k: Int) throws -> [UInt8] {
        clock += 1
        if let slot = tags.firstIndex(of: k) { used[slot] = clock; return blocks[slot] }
        let size = SharedStrings.blockSize
        let want = min(size, written - k * size)
        var b = [UInt8](repeating: 0, count: want)
        var got = 0
        while got < want {
            let n = b.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, want - got, off_t(k * size + got)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SheetError(.sharedStringsUnreadable) }
            got += n
        }
        if blocks.count < SharedStrings.cachedBlocks {
            blocks.append(b); tags.append(k); used.append(clock)
        } else {
            let slot = used.indices.min { used[$0] < used[$1] }!
            blocks[slot] = b; tags[slot] = k; used[slot] = clock
        }
        return b
    }
}
