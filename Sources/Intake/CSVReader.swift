#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads CSV records from a file's bytes, fed in chunks of any size, in any of
/// the encodings of `TextEncoding`.
///
/// Memory stays flat: at most one record in progress, plus, while the encoding
/// is undecided, the detection window. Detection (`.auto`): ASCII reads the
/// same in UTF-8 and GB18030, so bytes pass straight through until the first
/// non-ASCII byte; then up to `detectionWindowDefault` bytes from there are
/// examined: a UTF-8 BOM or valid UTF-8 means UTF-8, anything else GB18030.
/// A later byte sequence that proves a UTF-8 guess wrong is a `FileError`
/// naming the row (never silently mangled text).
///
///     var reader = CSVReader(file: "seekers.csv")
///     while let chunk = try next() { try chunk.withUnsafeBytes { try reader.feed($0) { print($0) } } }
///     try reader.finish { print($0) }
///
/// Not thread-safe, and not to be copied mid-stream (the GB18030 converter is shared by copies).
public struct CSVReader {
    /// The file's name, for errors.
    public let file: String
    /// The encoding asked for.
    public let encoding: TextEncoding
    /// The encoding in use: `.utf8` or `.gb18030` once decided, nil while `.auto` is still looking.
    public private(set) var detected: TextEncoding?
    /// Bytes examined after the first non-ASCII byte before deciding (64 KiB).
    public static let detectionWindowDefault = 64 * 1024

    private var parser: CSVParser
    private var undecided: [UInt8] = []
    private var gb: GB18030Decoder?

    public init(file: String, encoding: TextEncoding = .auto) {
        self.file = file
        self.encoding = encoding
        self.parser = CSVParser(file: file)
        switch encoding {
        case .auto: detected = nil
        case .utf8: detected = .utf8
        case .gb18030: detected = .gb18030
        }
    }

    /// The spreadsheet row of the record in progress (1 before anything was read).
    public var row: Int { parser.row }

    /// Feeds the next chunk; `emit` receives each complete, non-blank record.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (CSVRecord) throws -> Void) throws {
        if detected == nil {
            undecided.append(contentsOf: bytes)
            try decide(final: false, emit)
        } else {
            try route(bytes, final: false, emit)
        }
    }

    /// Feeds the next chunk.
    public mutating func feed(_ bytes: [UInt8], _ emit: (CSVRecord) throws -> Void) throws {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    /// Ends the input: emits the last record (a final line needs no newline) or
    /// reports an unterminated quote or a truncated character.
    public mutating func finish(_ emit: (CSVRecord) throws -> Void) throws {
        if detected == nil { try decide(final: true, emit) }
        try route(UnsafeRawBufferPointer(start: nil, count: 0), final: true, emit)
        try parser.finish(emit)
    }

    /// Reads a whole in-memory file (tests, small files).
    public static func records(in bytes: [UInt8], file: String = "file.csv", encoding: TextEncoding = .auto) throws -> [CSVRecord] {
        var reader = CSVReader(file: file, encoding: encoding)
        var out: [CSVRecord] = []
        try reader.feed(bytes) { out.append($0) }
        try reader.finish { out.append($0) }
        return out
    }

    private mutating func decide(final: Bool, _ emit: (CSVRecord) throws -> Void) throws {
        let firstNonASCII = undecided.firstIndex(where: { $0 >= 0x80 })
        guard let k = firstNonASCII else {
            // Pure ASCII so far: the same in both encodings.
            try undecided.withUnsafeBytes { try parser.feed($0, emit) }
            undecided.removeAll(keepingCapacity: true)
            return
        }
        let hasBOM = undecided.starts(with: [0xEF, 0xBB, 0xBF])
        guard hasBOM || final || undecided.count - k >= CSVReader.detectionWindowDefault else { return }
        let looksUTF8 = hasBOM || undecided.withUnsafeBufferPointer {
            UTF8Check.isValid(UnsafeBufferPointer(rebasing: $0[k...]), allowTruncatedEnd: !final)
                || UTF8Check.isMostlyUTF8(UnsafeBufferPointer(rebasing: $0[k...]))
        }
        detected = looksUTF8 ? .utf8 : .gb18030
        let held = undecided
        undecided = []
        try held.withUnsafeBytes { try route($0, final: false, emit) }
    }

    private mutating func route(_ bytes: UnsafeRawBufferPointer, final: Bool, _ emit: (CSVRecord) throws -> Void) throws {
        switch detected {
        case .gb18030?:
            if gb == nil {
                guard let d = GB18030Decoder() else {
                    throw FileError(file: file, .undecodable(row: parser.row, encoding: .gb18030))
                }
                gb = d
            }
            let ok = try gb!.decode(bytes, final: final) { try parser.feed($0, emit) }
            if !ok { throw FileError(file: file, .undecodable(row: parser.row, encoding: .gb18030)) }
        default:
            if bytes.count > 0 { try parser.feed(bytes, emit) }
        }
    }
}

/// A strict UTF-8 check (no overlongs, surrogates or code points past U+10FFFF).
enum UTF8Check {
    /// Whether `b` is valid UTF-8; with `allowTruncatedEnd`, a sequence cut by the end counts as valid.
    static func isValid(_ b: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
            default: return false
            }
            for k in 1..<len {
                if i + k >= n { return allowTruncatedEnd }
                let t = b[i + k]
                if k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF) { return false }
            }
            i += len
        }
        return true
    }
}

/// Incremental GB18030 → UTF-8 through glibc iconv (about 3.4× Foundation's
/// decoder here, PLATFORM.md). A sequence cut by a chunk boundary is carried
/// over to the next chunk.
final class GB18030Decoder {
    private let cd: iconv_t
    private var carry: [UInt8] = []
    private var out: UnsafeMutablePointer<UInt8>
    private var outCapacity: Int

    init?() {
        let cd = iconv_open("UTF-8", "GB18030")
        guard let cd, Int(bitPattern: cd) != -1 else { return nil }
        self.cd = cd
        outCapacity = 1 << 16
        out = .allocate(capacity: outCapacity)
    }

    deinit {
        iconv_close(cd)
        out.deallocate()
    }

    /// Decodes `input` after any carried bytes and hands the UTF-8 to `sink`.
    /// Returns false at an invalid sequence (after handing over the text before it),
    /// or, when `final`, at a sequence cut short by the end of the file.
    func decode(_ input: UnsafeRawBufferPointer, final: Bool, sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        if carry.isEmpty {
            return try convert(input, final: final, sink: sink)
        }
        var joined = carry
        carry = []
        joined.append(contentsOf: input)
        return try joined.withUnsafeBytes { try convert($0, final: final, sink: sink) }
    }

    private func convert(_ input: UnsafeRawBufferPointer, final: Bool, sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard let base = input.baseAddress, input.count > 0 else { return true }
        // GB18030 → UTF-8 grows at most 1.5× (2 bytes → 3); 4-byte forms stay 4.
        let need = input.count * 3 / 2 + 16
        if need > outCapacity && need <= 1 << 24 {
            out.deallocate()
            outCapacity = need
            out = .allocate(capacity: need)
        }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        while inLeft > 0 {
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out).assumingMemoryBound(to: CChar.self)
            var outLeft = outCapacity
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            let err = r == -1 ? errno : 0
            let produced = outCapacity - outLeft
            if produced > 0 { try sink(UnsafeRawBufferPointer(start: out, count: produced)) }
            if r != -1 { continue }
            switch err {
            case E2BIG:
                continue
            case EINVAL:
                // A sequence cut by the end of this chunk: keep it for the next one.
                if final { return false }
                carry = Array(UnsafeRawBufferPointer(start: inPtr, count: inLeft))
                return true
            default:
                return false
            }
        }
        return true
    }
}
