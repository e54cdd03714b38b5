// Intake's bounds against hostile or broken input (issue 17): control
// characters in cells, a bounded number of warnings, and UTF-8 diagnostics.

extension UTF8Check {
    /// Index of the first byte of the first invalid sequence in `b`, nil when valid.
    static func firstInvalid(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i < b.count {
            let len = sequenceLength(b, at: i)
            if len == 0 { return i }
            i += len
        }
        return nil
    }

    /// Valid multi-byte sequences and invalid bytes in `b` (a sequence cut by the end counts as neither).
    static func census(_ b: UnsafeBufferPointer<UInt8>) -> (valid: Int, invalid: Int) {
        var valid = 0, invalid = 0, i = 0
        while i < b.count {
            if b[i] < 0x80 { i += 1; continue }
            let len = sequenceLength(b, at: i)
            if len == 0 {
                if truncated(b, at: i) { break }
                invalid += 1; i += 1
            } else {
                valid += 1; i += len
            }
        }
        return (valid, invalid)
    }

    /// Length of the valid sequence at `i`, 0 when invalid (or cut by the end).
    private static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return 1 }
        guard let (len, lo, hi) = shape(c) else { return 0 }
        for k in 1..<len {
            guard i + k < b.count else { return 0 }
            let t = b[i + k]
            if k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF) { return 0 }
        }
        return len
    }

    /// Whether the invalid sequence at `i` is only a valid prefix cut by the end of `b`.
    private static func truncated(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard let (len, lo, hi) = shape(b[i]), i + len > b.count else { return false }
        for k in 1..<(b.count - i) {
            let t = b[i + k]
            if k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF) { return false }
        }
        return true
    }

    private static func shape(_ c: UInt8) -> (Int, UInt8, UInt8)? {
        switch c {
        case 0xC2...0xDF: return (2, 0x80, 0xBF)
        case 0xE0: return (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80, 0xBF)
        case 0xED: return (3, 0x80, 0x9F)
        case 0xF0: return (4, 0x90, 0xBF)
        case 0xF1...0xF3: return (4, 0x80, 0xBF)
        case 0xF4: return (4, 0x80, 0x8F)
        default: return nil
        }
    }

    /// "Overwhelmingly UTF-8": at least 8 valid multi-byte sequences and no more than one
    /// invalid byte in 20 of them. Such a file is read as UTF-8 and its stray bytes are
    /// reported by row and byte, never decoded as GB18030 into garble.
    static func isMostlyUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let (valid, invalid) = census(b)
        return valid >= 8 && invalid * 20 <= valid
    }
}

extension RowContext {
    /// Control characters — NUL, ESC, TAB, CR, LF, DEL, C1 — are refused in every cell: no
    /// column holds free text, and such a byte would reach PostgreSQL (NUL: an error there)
    /// or a terminal or log line (escape sequences, forged lines).
    mutating func checkControlCharacters() {
        for (i, v) in record.fields.enumerated() where Self.hasControlCharacter(v) {
            guard i < header.names.count, !header.names[i].isEmpty else { continue }  // reported as a stray value
            let column = header.columns[i].flatMap(Column.init(rawValue:))
            let shown = column.map { $0.masked(v, kind: kind) } ?? v
            errors.append(RowError(file: file, row: record.row, column: header.names[i], value: shown,
                                   rule: .controlCharacter))
        }
    }

    static func hasControlCharacter(_ v: String) -> Bool {
        var previous: UInt8 = 0
        for b in v.utf8 {
            if b < 0x20 || b == 0x7F { return true }
            if previous == 0xC2 && b >= 0x80 && b <= 0x9F { return true }  // U+0080–U+009F
            previous = b
        }
        return false
    }
}

extension IntakeHeader {
    /// Unknown-column warnings past this many are summed up in one line.
    static let warningLimitDefault = 20

    /// At most `warningLimitDefault` warnings, then one that counts the rest.
    static func bounded(_ warnings: [IntakeWarning]) -> [IntakeWarning] {
        guard warnings.count > warningLimitDefault, let last = warnings.last else { return warnings }
        let more = warnings.count - warningLimitDefault
        return Array(warnings.prefix(warningLimitDefault)) + [IntakeWarning(
            file: last.file, row: last.row, column: "…", kind: .moreUnknownColumns(more))]
    }
}
