import Domain

/// A file's header row, resolved against its kind's columns.
public struct IntakeHeader: Sendable, Hashable {
    /// The row the header is on (1 unless blank rows precede it).
    public var row: Int
    /// The header cells as the file spells them (BOM removed), in the file's order:
    /// the rejects file repeats them before its reason column.
    public var names: [String]
    /// The English column name each cell was read as, nil for an unknown or empty cell.
    public var columns: [String?]
    /// Whether the headers are in Chinese: the rejects file's last column is then `错误原因`, else `reason`.
    public var headersAreChinese: Bool
    /// Unknown columns: their values are ignored.
    public var warnings: [IntakeWarning]

    /// The rejects file's last column header.
    public var reasonColumn: String { headersAreChinese ? "错误原因" : "reason" }

    /// Where each known column is, by `Column` ordinal.
    let positions: [Int?]

    func position(_ c: Column) -> Int? { positions[c.ordinal] }

    /// How to name `c` in a message: as the file spells it, or in the file's language when it is absent.
    func display(_ c: Column, kind: ImportKind) -> String {
        if let p = position(c) { return names[p] }
        return headersAreChinese ? kind.alias(of: c) : c.rawValue
    }

    /// Resolves the header cells of a `kind` file, or throws every whole-file problem found.
    static func resolve(_ record: CSVRecord, kind: ImportKind, file: String) throws(FileError) -> IntakeHeader {
        var lookup: [String: Column] = [:]
        for (c, _) in kind.schema {
            lookup[c.rawValue] = c
            for a in c.aliases { lookup[a] = c }
        }
        var names: [String] = []
        var columns: [String?] = []
        var positions = [Int?](repeating: nil, count: Column.allCases.count)
        var problems: [FileProblem] = []
        var warnings: [IntakeWarning] = []
        var chinese = 0, english = 0
        for (i, raw) in record.fields.enumerated() {
            var cell = Substring(raw)
            if cell.first == "\u{FEFF}" { cell = cell.dropFirst() }
            let name = String(FieldParser.trimmed(cell))
            names.append(name)
            let normal = normalise(name)
            if ImportKind.forbiddenHeaders.contains(normal) {
                problems.append(.forbiddenColumn(header: name))
                columns.append(nil)
                continue
            }
            guard !name.isEmpty else { columns.append(nil); continue }
            guard let c = lookup[normal] ?? lookup[name] else {
                warnings.append(IntakeWarning(file: file, row: record.row, column: name, kind: .unknownColumn(importKind: kind.rawValue)))
                columns.append(nil)
                continue
            }
            if let first = positions[c.ordinal] {
                problems.append(.duplicateColumn(header: name, column: "\(c.rawValue) (already column \(names[first]))"))
                columns.append(nil)
                continue
            }
            positions[c.ordinal] = i
            columns.append(c.rawValue)
            if lookup[normal] == c && normal == c.rawValue { english += 1 } else { chinese += 1 }
        }
        for (c, required) in kind.schema where required && positions[c.ordinal] == nil {
            problems.append(.missingColumn(name: c.rawValue, alias: kind.alias(of: c), alternatives: []))
        }
        for group in kind.alternatives where group.allSatisfy({ positions[$0.ordinal] == nil }) {
            let first = group[0]
            problems.append(.missingColumn(name: first.rawValue, alias: kind.alias(of: first),
                                           alternatives: group.dropFirst().map { "\($0.rawValue) (\(kind.alias(of: $0)))" }))
        }
        if !problems.isEmpty { throw FileError(file: file, problems: problems) }
        return IntakeHeader(row: record.row, names: names, columns: columns,
                            headersAreChinese: chinese > 0 && chinese >= english, warnings: bounded(warnings),
                            positions: positions)
    }

    /// English headers match in any case, with spaces or hyphens for underscores.
    static func normalise(_ s: String) -> String {
        var out = s.lowercased()
        if out.contains(" ") || out.contains("-") {
            out = String(out.map { $0 == " " || $0 == "-" ? "_" : $0 })
        }
        return out
    }
}

extension Column {
    /// Position in `allCases`, for array-indexed lookups on the hot path. A Column
    /// is stored as its one-byte case index (a payload-free enum of under 256
    /// cases); hashing it, as a dictionary would, hashes its String raw value —
    /// 2–3 % of an import's CPU. A test checks the byte against `allCases`.
    var ordinal: Int { withUnsafeBytes(of: self) { Int($0[0]) } }
}
