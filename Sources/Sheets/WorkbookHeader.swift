/// A sheet's header rows: merged titles and headers (read from the merge list)
/// and the header block that joins them.
extension Workbook {
    /// The merged ranges that start in the first rows (a title or a header), from one
    /// pass over the sheet's bytes (they are listed after the cells).
    func headerMerges(_ entry: ZipArchive.Entry) throws -> [Merge] {
        var merges: [Merge] = []
        let needle = Array("mergeCell ".utf8)
        var carry: [UInt8] = []
        try archive.stream(entry) { chunk in
            var b = carry
            b.append(contentsOf: chunk)
            var i = 0
            let n = b.count
            while i + needle.count <= n {
                if b[i] == needle[0], b[i + 1] == needle[1], Array(b[i..<(i + needle.count)]) == needle {
                    guard let close = b[i...].prefix(512).firstIndex(of: UInt8(ascii: ">")) else { break }
                    let tag = String(decoding: b[i..<close], as: UTF8.self)
                    if let r = tag.firstRange(of: "ref=\"") ?? tag.firstRange(of: "ref='"),
                       let end = tag[r.upperBound...].firstIndex(where: { $0 == "\"" || $0 == "'" }),
                       let m = Merge(String(tag[r.upperBound..<end])), m.top <= Self.headerMergeRowsDefault, merges.count < 10_000 {
                        merges.append(m)
                    }
                    i = close
                }
                i += 1
            }
            carry = Array(b[min(i, n)...].suffix(600))
            if i < n - 600 { carry = Array(b.suffix(600)) }
        }
        return merges
    }

    /// Whether the first rows look merged: the first row with values has a single value, or an
    /// empty cell above a value of the next two rows. Reads only the first rows' bytes.
    func headerMayBeMerged(_ entry: ZipArchive.Entry) throws -> Bool {
        var rows: [Set<Int>] = []
        try streamXML(entry) { x in
            var current: Set<Int>?
            var col = 0, cellCol = 0
            while rows.count < 3, let e = try x.next() {
                switch e {
                case .start("row", _, false): current = []; col = 0
                case .end("row"):
                    if let c = current, !c.isEmpty { rows.append(c) }
                    current = nil
                case .start("c", let attrs, _):
                    cellCol = attrs.first { $0.0 == "r" }.flatMap { Self.column($0.1) } ?? col
                    col = cellCol + 1
                case .start("v", _, false), .start("is", _, false): current?.insert(cellCol)
                default: break
                }
            }
        }
        guard let first = rows.first else { return false }
        if first.count == 1 && rows.count > 1 { return true }
        let below = rows.dropFirst().reduce(into: Set<Int>()) { $0.formUnion($1) }
        return !below.subtracting(first).isEmpty
    }

    /// Merges starting at or above this row are read as title or header merges.
    static let headerMergeRowsDefault = 20
}

/// A merged range `A1:C2`, 0-based columns, 1-based rows.
struct Merge: Hashable {
    let left: Int, right: Int, top: Int, bottom: Int
    init?(_ ref: String) {
        let parts = ref.split(separator: ":")
        guard parts.count == 2, let l = Workbook.column(String(parts[0])), let r = Workbook.column(String(parts[1])),
              let t = Workbook.rowNumber(String(parts[0])), let b = Workbook.rowNumber(String(parts[1])), l <= r, t <= b else { return nil }
        left = l; right = r; top = t; bottom = b
    }
}

/// Finds the header among the first rows: skips a merged title row, joins a header
/// merged over several rows into one, then passes every later row through.
struct HeaderBlock {
    let merges: [Merge]
    private var done = false
    private var held: [SheetRow] = []
    private var blockBottom = 0

    init(merges: [Merge]) { self.merges = merges }

    mutating func take(_ row: SheetRow, _ emit: (SheetRow) throws -> Void) throws {
        if done { try emit(row); return }
        if held.isEmpty {
            let filled = row.cells.indices.filter { !row.cells[$0].isEmpty }
            // A title: one cell, merged across columns on its own row(s), above the header.
            if filled.count == 1, let m = merges.first(where: { $0.top == row.row && $0.left == filled[0] && $0.right > $0.left }),
               m.right - m.left >= 1, !merges.contains(where: { $0.top == row.row && $0.left != filled[0] }) {
                return
            }
            blockBottom = merges.filter { $0.top == row.row }.map(\.bottom).max() ?? row.row
        }
        if row.row > blockBottom {
            try release(emit)
            try emit(row)
            return
        }
        held.append(row)
        if row.row == blockBottom { try release(emit) }
    }

    mutating func finish(_ emit: (SheetRow) throws -> Void) throws {
        if !done { try release(emit) }
    }

    private mutating func release(_ emit: (SheetRow) throws -> Void) throws {
        done = true
        guard let first = held.first else { return }
        if held.count == 1 && !merges.contains(where: { $0.top == first.row }) { try emit(first); return }
        let width = max(held.map(\.cells.count).max() ?? 0, (merges.map(\.right).max() ?? -1) + 1)
        var grid = held.map { $0.cells + Array(repeating: "", count: max(0, width - $0.cells.count)) }
        for m in merges where m.top >= first.row && m.top <= blockBottom {
            guard let ti = held.firstIndex(where: { $0.row == m.top }), m.left < width else { continue }
            let v = grid[ti][m.left]
            for (ri, r) in held.enumerated() where r.row >= m.top && r.row <= m.bottom {
                for c in m.left...min(m.right, width - 1) where grid[ri][c].isEmpty { grid[ri][c] = v }
            }
        }
        var names = [String](repeating: "", count: width)
        for c in 0..<width { names[c] = grid.last { !$0[c].isEmpty }?[c] ?? "" }
        while let last = names.last, last.isEmpty { names.removeLast() }
        try emit(SheetRow(row: first.row, cells: names))
        held = []
    }
}
