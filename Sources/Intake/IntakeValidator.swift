import Domain
import Parallelism

/// What validating a file yields, in file order: the header first, then one event per non-blank row.
public enum IntakeEvent: Sendable {
    /// The resolved header (original spellings, language, unknown-column warnings).
    case header(IntakeHeader)
    /// A row that passed every rule, with the raw record (for progress and rejects bookkeeping).
    case accepted(ValidatedRecord, raw: CSVRecord)
    /// A row that broke rules: every error of the row, its raw fields in the input's column order,
    /// and its key when the key cells themselves were readable (it still claims that key: a later
    /// row with the same key is a duplicate).
    case rejected([RowError], raw: CSVRecord, key: String?)
}

/// Where duplicate keys within a file are found.
public enum DuplicateKeyCheck: Sendable {
    /// By the validator, with an index of 128-bit key digests (about 32 bytes a row).
    case inMemory
    /// By the caller, from the keys the events carry: the importer finds them in its
    /// staging table, so that its memory does not grow with the file.
    case byCaller
}

/// Counts at the end of a file.
public struct IntakeSummary: Sendable, Hashable {
    public var accepted: Int
    public var rejected: Int
    public var warnings: [IntakeWarning]
}

/// Validates one file of one kind, streaming: feed it the file's bytes in
/// chunks and it emits an `IntakeEvent` per row as soon as the row is read.
/// Whole-file problems (undecodable, no header, a missing or forbidden column,
/// an unterminated quote) throw `FileError`; errors thrown by `emit` pass through.
///
///     var v = IntakeValidator(kind: .seekers, file: "seekers.csv", today: today, references: known)
///     let summary = try v.run(chunks: { try file.read(upTo: 1 << 16) }) { event in … }
///
/// Exceptions to streaming: a regions file is emitted at `finish` (a region may
/// name a neighbour or parent further down), and, with `DuplicateKeyCheck.inMemory`
/// (the default), duplicate keys are found with an index of key digests.
public struct IntakeValidator {
    public let kind: ImportKind
    public let file: String
    public let today: CivilDate
    /// The header, once read.
    public private(set) var header: IntakeHeader?
    /// The encoding in use, once decided.
    public var detectedEncoding: TextEncoding? { reader.detected }

    private var reader: CSVReader
    private let rules: RowRules
    private let duplicateKeys: DuplicateKeyCheck
    private var seenKeys: [KeyDigest: Int32] = [:]
    /// Rows read and not yet validated (at most `batchSizeDefault`).
    private var batch: [CSVRecord] = []
    /// The threads a batch is split across (tests compare 1 with more).
    var parallelism = concurrentMapThreadsDefault
    private var accepted = 0, rejected = 0
    /// Row warnings (an ID ending in 000), at most `rowWarningLimitDefault`.
    private var rowWarnings: [IntakeWarning] = []
    static let rowWarningLimitDefault = 200
    /// Regions held to the end: record (nil when rejected), raw row, errors.
    private var heldRegions: [(record: Region?, raw: CSVRecord, errors: [RowError], key: String?)] = []

    public init(kind: ImportKind, file: String, encoding: TextEncoding = .auto, today: CivilDate, references: KnownReferences,
                duplicateKeys: DuplicateKeyCheck = .inMemory) {
        self.kind = kind
        self.duplicateKeys = duplicateKeys
        self.file = file
        self.today = today
        self.reader = CSVReader(file: file, encoding: encoding)
        self.rules = RowRules(references: references, categories: CategoryTable(references.categories))
    }

    /// Feeds the next chunk of the file's bytes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (IntakeEvent) throws -> Void) throws {
        var r = reader
        reader = CSVReader(file: file)  // `r` is the only live copy while it runs
        defer { reader = r }
        try r.feed(bytes) { try self.handle($0, emit) }
    }

    /// Feeds the next chunk of the file's bytes.
    public mutating func feed(_ bytes: [UInt8], _ emit: (IntakeEvent) throws -> Void) throws {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    /// Feeds one record read by another reader (a workbook's row, `Sheets`): the first one fed is the header.
    public mutating func feed(record: CSVRecord, _ emit: (IntakeEvent) throws -> Void) throws {
        try handle(record, emit)
    }

    /// Ends the file: emits what remains and returns the counts.
    public mutating func finish(_ emit: (IntakeEvent) throws -> Void) throws -> IntakeSummary {
        var r = reader
        reader = CSVReader(file: file)
        defer { reader = r }
        try r.finish { try self.handle($0, emit) }
        guard let header else { throw FileError(file: file, .noHeader) }
        try flushBatch(header, emit)
        if kind == .regions { try releaseRegions(emit) }
        return IntakeSummary(accepted: accepted, rejected: rejected, warnings: header.warnings + rowWarnings)
    }

    /// Runs a whole file: `next` returns chunks until nil.
    public mutating func run(chunks next: () throws -> [UInt8]?, _ emit: (IntakeEvent) throws -> Void) throws -> IntakeSummary {
        while let chunk = try next() { try feed(chunk, emit) }
        return try finish(emit)
    }

    /// Validates an in-memory file (tests, small files): the header and every event after it.
    public static func validate(_ bytes: [UInt8], kind: ImportKind, file: String, encoding: TextEncoding = .auto,
                                today: CivilDate, references: KnownReferences) throws -> (header: IntakeHeader, events: [IntakeEvent]) {
        var v = IntakeValidator(kind: kind, file: file, encoding: encoding, today: today, references: references)
        var events: [IntakeEvent] = []
        try v.feed(bytes) { events.append($0) }
        _ = try v.finish { events.append($0) }
        return (v.header!, Array(events.dropFirst()))
    }

    private mutating func handle(_ record: CSVRecord, _ emit: (IntakeEvent) throws -> Void) throws {
        guard let header else {
            let h = try IntakeHeader.resolve(record, kind: kind, file: file)
            header = h
            try emit(.header(h))
            return
        }
        batch.append(record)
        if batch.count >= Self.batchSizeDefault { try flushBatch(header, emit) }
    }

    /// Rows validated together: each row's rules are independent of every other
    /// row's, so a batch is split across the machine's cores (validation was two
    /// thirds of an import's client time), then concluded in file order.
    static let batchSizeDefault = 2048


    private mutating func flushBatch(_ header: IntakeHeader, _ emit: (IntakeEvent) throws -> Void) throws {
        guard !batch.isEmpty else { return }
        let records = batch
        batch.removeAll(keepingCapacity: true)
        let checker = RowChecker(kind: kind, file: file, today: today, rules: rules)
        let outcomes = records.concurrentMap(threads: parallelism) { checker.validate($0, header) }
        for (record, outcome) in zip(records, outcomes) { try conclude(record, outcome, header, emit) }
    }

    /// A row's outcome in file order: the duplicate-key rule (which needs the rows
    /// before it), then the event.
    private mutating func conclude(_ record: CSVRecord, _ outcome: RowOutcome, _ header: IntakeHeader,
                                   _ emit: (IntakeEvent) throws -> Void) throws {
        var errors = outcome.errors
        if errors.isEmpty, rowWarnings.count < Self.rowWarningLimitDefault { rowWarnings += outcome.warnings }
        if duplicateKeys == .inMemory, let key = outcome.key {
            let digest = KeyDigest(key)
            if let first = seenKeys[digest] {
                var ctx = RowContext(kind: kind, file: file, header: header, record: record, today: today)
                let c = kind.duplicateKeyColumn
                ctx.fail(c, ctx.cell(c) ?? "", kind.duplicateKeyRule(firstRow: Int(first)))
                errors += ctx.errors
            } else {
                seenKeys[digest] = Int32(clamping: record.row)
            }
        }
        if kind == .regions {
            if case .region(let r)? = outcome.record, errors.isEmpty {
                heldRegions.append((r, record, [], outcome.key))
            } else {
                heldRegions.append((nil, record, errors, outcome.key))
            }
            return
        }
        if let result = outcome.record, errors.isEmpty {
            accepted += 1
            try emit(.accepted(result, raw: record))
        } else {
            rejected += 1
            try emit(.rejected(errors, raw: record, key: outcome.key))
        }
    }

    /// Checks parents and neighbours against loaded regions and this file's accepted
    /// ones, dropping rows until every accepted row's references hold, then emits in file order.
    private mutating func releaseRegions(_ emit: (IntakeEvent) throws -> Void) throws {
        var inFile = Set(heldRegions.compactMap { $0.record?.code.value })
        let known = rules.references.towns
        var changed = true
        while changed {
            changed = false
            for i in heldRegions.indices {
                guard let r = heldRegions[i].record else { continue }
                var errors: [RowError] = []
                guard let header else { return }
                var ctx = RowContext(kind: kind, file: file, header: header, record: heldRegions[i].raw, today: today)
                if let p = r.parent?.value, !known.contains(p), !inFile.contains(p) {
                    ctx.fail(.parentCode, ctx.cell(.parentCode) ?? "", .parentNotLoaded)
                }
                let missing = r.neighbours.map(\.value).filter { !known.contains($0) && !inFile.contains($0) }
                if !missing.isEmpty {
                    ctx.fail(.neighbours, ctx.cell(.neighbours) ?? "",
                             .neighboursNotLoaded(missing))
                }
                errors = ctx.errors
                if !errors.isEmpty {
                    heldRegions[i] = (nil, heldRegions[i].raw, errors, heldRegions[i].key)
                    inFile.remove(r.code.value)
                    changed = true
                }
            }
        }
        let held = heldRegions
        heldRegions = []
        for h in held {
            if let r = h.record {
                accepted += 1
                try emit(.accepted(.region(r), raw: h.raw))
            } else {
                rejected += 1
                try emit(.rejected(h.errors, raw: h.raw, key: h.key))
            }
        }
    }
}

/// A 128-bit digest of a key: a 64-bit FNV-1a lane and a 64-bit multiplicative lane, each finished with
/// the SplitMix64 mixer. Keeps the duplicate index at ~32 bytes a row instead of a
/// String per row; a false duplicate needs a 2^-128 coincidence.
struct KeyDigest: Hashable {
    let a: UInt64, b: UInt64
    init(_ key: String) {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x84222325_cbf29ce4
        for byte in key.utf8 {
            h1 = (h1 ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            h2 = (h2 &+ UInt64(byte)) &* 0x9E37_79B9_7F4A_7C15
        }
        a = KeyDigest.mix(h1 ^ UInt64(key.utf8.count))
        b = KeyDigest.mix(h2 &+ 0x5851_F42D_4C95_7F2D)
    }
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ImportKind {
    /// The column a duplicate key is reported on.
    var duplicateKeyColumn: Column {
        switch self {
        case .regions: .code
        case .households: .householdID
        case .seekers, .trainings, .placements: .certificateNo
        case .employers, .employerYears, .rosters: .creditCode
        case .openings: .openingID
        }
    }

    /// The column a caller reports a duplicate key on, as the real table names it.
    public var duplicateKeyColumnName: String { duplicateKeyColumn.rawValue }

    /// The rule a row breaks when an earlier row of the same file has its key.
    func duplicateKeyRule(firstRow: Int) -> IntakeRule {
        .duplicateKey(columns: keyColumns, firstRow: firstRow)
    }
}

extension IntakeHeader {
    /// The error of a row whose key an earlier row of the file has, for a caller that finds
    /// duplicates itself (`DuplicateKeyCheck.byCaller`). `value` is the key column's value; it
    /// is masked here like any cell of that column.
    public func duplicateKeyError(kind: ImportKind, file: String, row: Int, value: String, firstRow: Int) -> RowError {
        let c = kind.duplicateKeyColumn
        return RowError(file: file, row: row, column: display(c, kind: kind), value: c.masked(value, kind: kind),
                        rule: kind.duplicateKeyRule(firstRow: firstRow))
    }

    /// One person, one record (issue 7): the error of a seekers row whose resident ID an
    /// earlier row of the file has, under another certificate number.
    public func samePersonError(file: String, row: Int, certificate: String, firstRow: Int) -> RowError {
        RowError(file: file, row: row, column: display(.certificateNo, kind: .seekers),
                 value: Column.certificateNo.masked(certificate, kind: .seekers),
                 rule: .samePerson(firstRow: firstRow))
    }
}

/// What one row's rules gave: the record (nil when a rule failed), the row's errors
/// and its key when the key cells parsed.
private struct RowOutcome {
    var record: ValidatedRecord?
    var errors: [RowError]
    var key: String?
    var warnings: [IntakeWarning] = []
}

/// One row's rules and key, holding nothing that changes: safe on any thread.
private struct RowChecker: Sendable {
    let kind: ImportKind
    let file: String
    let today: CivilDate
    let rules: RowRules

    func validate(_ record: CSVRecord, _ header: IntakeHeader) -> RowOutcome {
        var ctx = RowContext(kind: kind, file: file, header: header, record: record, today: today)
        let result = rules.validate(&ctx)
        return RowOutcome(record: result, errors: ctx.errors, key: keyParts(result, &ctx), warnings: ctx.warnings)
    }

    /// The key of a row whose key columns parsed (even if other cells failed), else nil.
    func keyParts(_ result: ValidatedRecord?, _ ctx: inout RowContext) -> String? {
        if let result { return result.key }
        // A rejected row still claims its key when the key itself is readable, so that
        // "a key twice in one file is a row error on its second row" holds either way.
        var probe = RowContext(kind: kind, file: file, header: ctx.header, record: ctx.record, today: today)
        func code(_ c: Column) -> String? { probe.parse(c, FieldParser.code) }
        let t = today
        func cert() -> String? { probe.parse(.certificateNo) { (s) throws(FieldError) in try FieldParser.certificate(s, today: t) }?.key }
        func credit() -> String? { probe.parse(.creditCode, FieldParser.creditCode)?.value }
        func year() -> Int? { probe.parse(.year) { (s) throws(FieldError) in try FieldParser.integer(s, in: RowRules.yearRangeDefault) } }
        func date(_ c: Column) -> CivilDate? { probe.parse(c, FieldParser.date) }
        switch kind {
        case .regions: return code(.code)
        case .households: return code(.householdID)
        case .seekers: return cert()
        case .employers: return credit()
        case .openings: return code(.openingID)
        case .trainings:
            guard let c = cert(), let course = probe.parse(.course, FieldParser.text), let d = date(.startDate) else { return nil }
            return "\(c)|\(course)|\(d)"
        case .placements:
            guard let c = cert(), let o = code(.openingID), let d = date(.startDate) else { return nil }
            return "\(c)|\(o)|\(d)"
        case .employerYears:
            guard let c = credit(), let y = year() else { return nil }
            return "\(c)|\(y)"
        case .rosters:
            guard let c = credit(), let y = year() else { return nil }
            let certNo = probe.cell(.certificateNo).map { String(FieldParser.trimmed($0)) }
            let resident = probe.cell(.residentID).map { String(FieldParser.trimmed($0)) }
            let person = RosterRow.personID(certificateNo: certNo, residentID: resident)
            return person.isEmpty ? nil : "\(c)|\(y)|\(person)"
        }
    }

}
