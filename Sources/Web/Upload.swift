import App
import Domain
import Foundation
import Hummingbird
import Intake
import Postgres
import Render
import Sheets
import Store

// An uploaded file (the /imports form, POST /api/v1/imports/{kind}) through
// App's import use case: all-or-nothing, or partial with the rejects file.

/// An uploaded file's bytes, for `Workbook`.
struct UploadedBytes: ByteSource {
    let bytes: [UInt8]
    var size: Int { bytes.count }
    func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset < bytes.count else { return [] }
        return Array(bytes[offset..<min(bytes.count, offset + count)])
    }
}

/// A `multipart/form-data` body: text fields and one file per name.
struct Multipart: Sendable {
    var fields: [String: String] = [:]
    var files: [String: (name: String, bytes: [UInt8])] = [:]

    init?(_ buffer: ByteBuffer, contentType: String?) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semi = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semi]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let body = Array(buffer.readableBytesView)
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var positions: [Int] = []
        var i = 0
        while i + delimiter.count <= body.count {
            if body[i] == delimiter[0] && Array(body[i..<(i + delimiter.count)]) == delimiter {
                positions.append(i)
                i += delimiter.count
            } else {
                i += 1
            }
        }
        guard positions.count >= 2 else { return nil }
        for k in 0..<(positions.count - 1) {
            var start = positions[k] + delimiter.count
            var end = positions[k + 1]
            if start + 1 < end, body[start] == 13, body[start + 1] == 10 { start += 2 }
            if end - 2 >= start, body[end - 2] == 13, body[end - 1] == 10 { end -= 2 }
            parts.append(body[start..<end])
        }
        for part in parts {
            let sep: [UInt8] = [13, 10, 13, 10]
            var h = part.startIndex
            var headerEnd: Int?
            while h + 4 <= part.endIndex {
                if Array(part[h..<(h + 4)]) == sep { headerEnd = h; break }
                h += 1
            }
            guard let headerEnd else { continue }
            let headers = String(decoding: part[part.startIndex..<headerEnd], as: UTF8.self)
            let content = Array(part[(headerEnd + 4)...])
            guard let dispo = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition") }) else { continue }
            func attribute(_ key: String) -> String? {
                guard let r = dispo.range(of: "\(key)=\"") else { return nil }
                let rest = dispo[r.upperBound...]
                guard let q = rest.firstIndex(of: "\"") else { return nil }
                return String(rest[..<q])
            }
            guard let name = attribute("name") else { continue }
            if let file = attribute("filename") {
                files[name] = (file, content)
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
    }
}

/// Every value of `key` in a form body (check boxes repeat their name).
func formValues(_ buffer: ByteBuffer, _ key: String) -> [String] {
    String(buffer: buffer).split(separator: "&").compactMap { pair in
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard kv.count == 2, kv[0] == Substring(key) else { return nil }
        return String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// One problem of an uploaded file, as the API lists it (`row`, `column` and
/// `value` when it is a cell's; `rule` a stable code; `message` in the request's language).
struct ImportIssue: Codable, Sendable, Equatable {
    var file: String
    var row: Int?
    var column: String?
    var value: String?
    var rule: String
    var message: String

    /// `tooLong(…)` → `too_long`: the case's name, for systems.
    static func code(_ value: Any) -> String {
        let name = String(describing: value).prefix { $0 != "(" }
        var out = ""
        for ch in name {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// What an upload did.
struct ImportResult: Sendable {
    var file: String
    /// Nothing was written.
    var refused: Bool
    var outcome: ImportOutcome?
    /// Every problem (the refused file's, or the rows a partial import left out).
    var issues: [ImportIssue]
    /// Rows with errors (a refused file's count, or the rejected rows).
    var rejectedRows: Int
    /// A partial import's rejects file (header, the rows, a reason column; UTF-8 with BOM).
    var rejects: [UInt8]?

    /// The line a page shows.
    func summary(_ lang: WebLanguage) -> String {
        if let o = outcome {
            return WebMessages.imported(file, accepted: o.accepted, inserted: o.inserted, updated: o.updated, unchanged: o.unchanged,
                                        rejected: o.rejected, lang)
        }
        return rejectedRows > 0 ? WebMessages.importRefused(file, rows: rejectedRows, lang) : WebMessages.importNothing(file, lang)
    }
}

extension WebServer {
    /// One uploaded file through App's import use case (CSV, or XLSX by its bytes).
    static func importFile(_ c: Connection, _ p: AccountStore.Principal, kind: ImportKind, fileName: String, bytes: [UInt8],
                           partial: Bool, lang: WebLanguage) throws -> ImportResult {
        let name = (fileName as NSString).lastPathComponent
        func refused(_ issues: [ImportIssue], rows: Int = 0) -> ImportResult {
            ImportResult(file: name, refused: true, outcome: nil, issues: issues, rejectedRows: rows, rejects: nil)
        }
        func issue(_ e: RowError) -> ImportIssue {
            ImportIssue(file: e.file, row: e.row, column: e.column, value: e.value, rule: ImportIssue.code(e.rule),
                        message: ImportMessages.line(e, lang))
        }
        let format = FileFormat.sniff(Array(bytes.prefix(512)))
        if let refusal = SheetMessages.refusal(format, lang) {
            return refused([ImportIssue(file: name, rule: "file_format", message: "\(name)\(lang.pick("：", ": "))\(refusal)")])
        }
        var records: ((_ each: (CSVRecord) throws -> Void) throws -> Void)?
        if format == .zip {
            do {
                let wb = try Workbook(UploadedBytes(bytes: bytes), fileName: name)
                records = { each in try wb.rows(sheet: nil) { try each(CSVRecord(fields: $0.cells, row: $0.row, numericCells: $0.numeric)) } }
            } catch let e as SheetError {
                return refused([ImportIssue(file: name, rule: "workbook", message: "\(name)\(lang.pick("：", ": "))\(SheetMessages.problem(e, lang))")])
            }
        }
        var given = false
        var rejectRows: [String] = []
        var rejectIssues: [ImportIssue] = []
        do {
            let o = try ImportService.run(c, kind: kind, fileName: name, partial: partial, today: UseCases.today(), actor: p.actor,
                                          chunks: { if given { return nil }; given = true; return bytes },
                                          records: records,
                                          rejects: { header, raw, errors in
                                              if rejectRows.isEmpty {
                                                  rejectRows.append(CSVWriter.line(header.names + [WebMessages.rejectReasonColumn(lang)]))
                                              }
                                              rejectRows.append(CSVWriter.line(raw.fields + [ImportMessages.reasons(errors, lang)]))
                                              rejectIssues += errors.map(issue)
                                          })
            return ImportResult(file: name, refused: false, outcome: o, issues: rejectIssues, rejectedRows: o.rejected,
                                rejects: rejectRows.isEmpty ? nil : CSVWriter.bom + Array(rejectRows.joined().utf8))
        } catch {
            let body = (error as? TransactionError)?.body ?? error
            if let e = body as? ImportRejected { return refused(e.errors.map(issue), rows: e.rejectedRows) }
            if let e = body as? FileError {
                return refused(zip(e.problems, ImportMessages.lines(e, lang)).map { problem, line in
                    ImportIssue(file: e.file, row: problem.row, rule: ImportIssue.code(problem), message: line)
                })
            }
            throw error
        }
    }
}
