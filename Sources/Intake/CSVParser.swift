/// One CSV record: its fields and the spreadsheet row it is on (header 1,
/// first record 2; a record with line breaks inside quotes is one row).
public struct CSVRecord: Sendable, Hashable {
    public var fields: [String]
    public var row: Int
    /// Positions of cells a workbook stores as numbers (an `.xlsx` read by `Sheets`; empty for CSV).
    public var numericCells: [Int] = []
    public init(fields: [String], row: Int) { self.fields = fields; self.row = row }
    public init(fields: [String], row: Int, numericCells: [Int]) { self.fields = fields; self.row = row; self.numericCells = numericCells }
}

/// The byte-level RFC 4180 splitter over UTF-8 text, fed in chunks.
///
/// A state machine over raw bytes: `,` `"` CR and LF are ASCII and never occur
/// inside a multi-byte UTF-8 sequence, so a field is found without decoding and
/// then validated once as it becomes a `String` (which also names the row of
/// any invalid UTF-8). Unquoted fields that lie wholly inside a chunk are made
/// straight from the chunk; only quoted fields and fields cut by a chunk
/// boundary are copied into `pending`.
struct CSVParser {
    let file: String
    /// The row of the record in progress.
    private(set) var row = 1
    private var fields: [String] = []
    private var pending: [UInt8] = []
    private var pendingBits: UInt8 = 0
    private var state = State.fieldStart
    /// A CR ended the last record; a following LF belongs to it.
    private var afterCR = false
    /// The first bytes of the stream, held until a UTF-8 BOM can be ruled out.
    private var head: [UInt8]? = []
    private var widthHint = 8
    /// The row on which the quoted field in progress opened.
    private var quoteRow = 1
    /// Bounds (issue 17): a field or a record past these is a file error, so memory
    /// stays flat whatever the input (`/dev/zero`, a quote never closed).
    static let fieldLimitDefault = 64 * 1024
    static let recordLimitDefault = 1 << 20
    /// Bytes of the record in progress (each field's bytes and its delimiter).
    private var recordBytes = 0
    /// File offset of the first byte `run` is given (after a BOM), and of the field in `pending`.
    private var consumed = 0
    private var pendingOrigin = 0

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    init(file: String) { self.file = file }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (CSVRecord) throws -> Void) throws {
        if head != nil {
            head!.append(contentsOf: bytes)
            if head!.count < 3 { return }
            let h = head!
            head = nil
            let skip = (h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) ? 3 : 0
            consumed = skip
            try h.withUnsafeBytes { try run(UnsafeRawBufferPointer(rebasing: $0[skip...]), emit) }
            return
        }
        try run(bytes, emit)
    }

    mutating func finish(_ emit: (CSVRecord) throws -> Void) throws {
        if let h = head {
            head = nil
            let skip = h.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            consumed = skip
            try h.withUnsafeBytes { try run(UnsafeRawBufferPointer(rebasing: $0[skip...]), emit) }
        }
        switch state {
        case .quoted:
            throw FileError(file: file, .unterminatedQuote(row: quoteRow))
        case .fieldStart where fields.isEmpty:
            return
        default:
            try endField()
            try endRecord(emit)
        }
    }

    @inline(__always)
    private func makeString(_ p: UnsafePointer<UInt8>, _ count: Int, bits: UInt8, origin: Int) throws -> String {
        let buf = UnsafeBufferPointer(start: p, count: count)
        if bits & 0x80 == 0 { return String(decoding: buf, as: UTF8.self) }
        guard let s = String(validating: buf, as: UTF8.self) else {
            // The row and the byte of the file where the invalid sequence starts (issue 17).
            throw FileError(file: file, .invalidUTF8(row: row, byte: origin + (UTF8Check.firstInvalid(buf) ?? 0) + 1))
        }
        return s
    }

    /// Counts a finished field's bytes into the record's, refusing a record past the bound.
    @inline(__always)
    private mutating func countField(_ bytes: Int) throws {
        guard bytes <= Self.fieldLimitDefault else { throw FileError(file: file, .fieldTooLong(row: row, limit: Self.fieldLimitDefault)) }
        recordBytes += bytes + 1
        if recordBytes > Self.recordLimitDefault { throw FileError(file: file, .recordTooLong(row: row, limit: Self.recordLimitDefault)) }
    }

    /// After bytes were added to `pending`: a field in progress past the bound is refused before it grows further.
    @inline(__always)
    private func checkPending() throws {
        if pending.count > Self.fieldLimitDefault { throw FileError(file: file, .fieldTooLong(row: quoteRowOrRow, limit: Self.fieldLimitDefault)) }
        if recordBytes + pending.count > Self.recordLimitDefault { throw FileError(file: file, .recordTooLong(row: row, limit: Self.recordLimitDefault)) }
    }

    private var quoteRowOrRow: Int { state == .quoted || state == .quoteInQuoted ? quoteRow : row }

    private mutating func endField() throws {
        try countField(pending.count)
        let origin = pendingOrigin
        let s = try pending.withUnsafeBufferPointer { try makeString($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count, bits: pendingBits, origin: origin) }
        fields.append(s)
        pending.removeAll(keepingCapacity: true)
        pendingBits = 0
    }

    private mutating func endRecord(_ emit: (CSVRecord) throws -> Void) throws {
        let record = fields
        recordBytes = 0
        widthHint = max(widthHint, record.count)
        fields = []
        fields.reserveCapacity(widthHint)
        let r = row
        row += 1
        // Excel writes `,,,` for a blank spreadsheet row: skip it, keep its number.
        if record.contains(where: { !$0.isEmpty }) { try emit(CSVRecord(fields: record, row: r)) }
    }

    private mutating func run(_ bytes: UnsafeRawBufferPointer, _ emit: (CSVRecord) throws -> Void) throws {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = bytes.count
        defer { consumed += n }
        var i = 0
        while i < n {
            switch state {
            case .fieldStart:
                if afterCR {
                    afterCR = false
                    if base[i] == Self.lf { i += 1; continue }
                }
                if base[i] == Self.quote {
                    state = .quoted
                    quoteRow = row
                    pendingOrigin = consumed + i + 1
                    i += 1
                    continue
                }
                // Fast path: an unquoted field that ends inside this chunk.
                let (j, bits) = Self.scanUnquoted(base, from: i, to: n)
                if j == n {
                    pendingOrigin = consumed + i
                    pending.append(contentsOf: UnsafeBufferPointer(start: base + i, count: n - i))
                    pendingBits |= bits
                    state = .unquoted
                    try checkPending()
                    return
                }
                try countField(j - i)
                fields.append(try makeString(base + i, j - i, bits: bits, origin: consumed + i))
                i = j
                try delimiter(base[j], emit)
                i += 1
            case .unquoted:
                let (j, bits) = Self.scanUnquoted(base, from: i, to: n)
                pending.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
                pendingBits |= bits
                if j == n { try checkPending(); return }
                try endField()
                i = j
                try delimiter(base[j], emit)
                i += 1
            case .quoted:
                var j = i
                var bits: UInt8 = 0
                while j < n && base[j] != Self.quote { bits |= base[j]; j += 1 }
                pending.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
                pendingBits |= bits
                if j == n { try checkPending(); return }
                state = .quoteInQuoted
                i = j + 1
            case .quoteInQuoted:
                let b = base[i]
                if b == Self.quote {
                    pending.append(Self.quote)
                    state = .quoted
                    i += 1
                } else if b == Self.comma || b == Self.lf || b == Self.cr {
                    try endField()
                    try delimiter(b, emit)
                    i += 1
                } else {
                    // `"abc"def`: text after the closing quote is kept, as Excel does.
                    state = .unquoted
                }
            }
        }
    }

    /// Where an unquoted field's bytes end (at a comma, CR, LF or `end`), and the OR of
    /// its bytes (high bit set: not ASCII).
    @inline(__always)
    private static func scanUnquoted(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (end: Int, bits: UInt8) {
        var j = start
        var bits: UInt8 = 0
        while j < end {
            let b = base[j]
            if b == comma || b == lf || b == cr { break }
            bits |= b
            j += 1
        }
        return (j, bits)
    }

    /// After a field: a comma starts the next field; CR or LF ends the record.
    @inline(__always)
    private mutating func delimiter(_ b: UInt8, _ emit: (CSVRecord) throws -> Void) throws {
        state = .fieldStart
        if b == Self.comma { return }
        try endRecord(emit)
        if b == Self.cr { afterCR = true }
    }
}
