import App
import ArgumentParser
import Domain
import Foundation
import Intake
import Postgres
import Render
import Sheets
import Store

extension ImportKind: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {}

/// `jobmatch import KIND FILE`: load one spreadsheet file (CONTRACT.md §2).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load one CSV file or .xlsx workbook: regions, households, seekers, trainings, employers, openings, employer-years, rosters or placements.",
        discussion: "All-or-nothing by default: any bad row rejects the file (exit 3) and nothing is written. Load in this order: regions, households, seekers, trainings, employers, openings, employer-years, rosters, placements.")

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "What the file holds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: ImportKind
    @Argument(help: "The CSV file, or an .xlsx workbook.") var file: String
    @Option(help: "Text encoding: auto, utf8 or gb18030 (GBK files are read as GB18030).") var encoding: TextEncoding = .auto
    @Flag(help: "Load the good rows and write every bad row to --rejects.") var partial = false
    @Option(help: "With --partial: where to write the bad rows (CSV, UTF-8 with BOM; an .xlsx workbook when FILE ends in .xlsx), with a reason column.") var rejects: String?
    @Option(help: "For an .xlsx workbook: the sheet to import (default: the first visible one).") var sheet: String?

    func validate() throws {
        if partial && rejects == nil { throw ValidationError("--partial needs --rejects FILE, so that no bad row is dropped silently") }
        if !partial && rejects != nil { throw ValidationError("--rejects goes with --partial") }
    }

    func run() throws {
        if let rejects, InputFile.sameFile(rejects, file) {
            Console.error(FileMessages.rejectsIsInput(rejects))  // one line, exit 2 (a usage error)
            throw ExitCode(ExitStatus.usage)
        }
        let input = try InputFile(file)
        let fileSize = input.size
        let name = (file as NSString).lastPathComponent
        // A workbook is read by Sheets; .xls, .ods and UTF-16 text get a message of their own (issue 15).
        // The first chunk is read once for the sniff and handed on: a pipe cannot seek back.
        var firstChunk = try input.next()
        let format = FileFormat.sniff(Array((firstChunk ?? []).prefix(512)))
        if let refusal = format.refusal { throw InputRejected(lines: [ImportMessages.aboutFile(name, refusal), ImportMessages.nothingWritten(name)]) }
        var workbook: Workbook?
        if format == .zip {
            do { workbook = try Workbook(path: file, fileName: name) } catch let e as SheetError {
                throw InputRejected(lines: [ImportMessages.aboutFile(name, e.message), ImportMessages.nothingWritten(name)])
            }
        } else if sheet != nil {
            throw ValidationError("--sheet goes with an .xlsx workbook; \(name) is text")
        }
        let records: ((_ each: (CSVRecord) throws -> Void) throws -> Void)? = workbook.map { wb in
            { each in try wb.rows(sheet: sheet) { try each(CSVRecord(fields: $0.cells, row: $0.row, numericCells: $0.numeric)) } }
        }
        let progress = ProgressLine(label: name, totalBytes: fileSize)
        var bytesRead = 0
        var rejectsFile: RejectsFile?
        defer { rejectsFile?.close() }

        // Through a failover (issue 18): the import is one transaction, so a try that lost its
        // connection wrote nothing and the file is read again from its start (a pipe cannot be).
        // A repeat after an unanswered COMMIT merges the same rows again: they count as unchanged.
        let sniffed = firstChunk
        var tries = 0
        do {
            let outcome = try WritableRetry.run(db) { connection in
                tries += 1
                if tries > 1 {
                    rejectsFile?.close()
                    rejectsFile = nil
                    if bytesRead > 0 {
                        if input.rewind() {
                            firstChunk = try input.next()
                        } else if bytesRead == sniffed?.count {
                            firstChunk = sniffed  // a pipe read no further than its first chunk
                        } else {
                            throw RuntimeFailure(FailoverMessage.pipeNotRepeatable(file: name).text())
                        }
                        bytesRead = 0
                    }
                }
                return try ImportService.run(
                connection, kind: kind, fileName: name, encoding: encoding, partial: partial, today: Clock.today(),
                actor: db.resolvedActor,
                chunks: {
                    let chunk: [UInt8]?
                    if let first = firstChunk {
                        chunk = first
                        firstChunk = nil
                    } else {
                        chunk = try input.next()
                    }
                    bytesRead += chunk?.count ?? 0
                    return chunk
                },
                records: records,
                rejects: { header, raw, errors in
                    if rejectsFile == nil { rejectsFile = try RejectsFile(path: rejects!, header: header) }
                    try rejectsFile!.write(raw: raw, errors: errors)
                },
                progress: { rows in progress.update(rows: rows, bytes: bytesRead) })
            }
            progress.finish()
            try rejectsFile?.finish()
            if partial && rejectsFile == nil, let rejects {
                // No bad rows: still leave an empty rejects file, so scripts find what they asked for.
                try RejectsFile.writeEmpty(rejects)
            }
            for w in outcome.warnings { Console.error(ImportMessages.warning(w)) }
            print(ImportMessages.loaded(name, accepted: outcome.accepted, inserted: outcome.inserted, updated: outcome.updated,
                                        unchanged: outcome.unchanged, renamed: outcome.renamed, neighbourChanges: outcome.neighbourChanges))
            if !outcome.columnChanges.isEmpty {
                print(ImportMessages.columnChanges(outcome.columnChanges.map { ($0.column, $0.rows) }))
            }
            if partial {
                Console.error(ImportMessages.partial(name, accepted: outcome.accepted, rejected: outcome.rejected, rejectsPath: rejects))
            }
        } catch let rejected as ImportRejected {
            progress.finish()
            throw InputRejected(lines: rejected.errors.map { ImportMessages.line($0) }
                + [ImportMessages.rowsRejected(name, rows: rejected.rejectedRows)])
        } catch let e as TransactionError where e.body is SheetError {
            progress.finish()
            throw InputRejected(lines: [ImportMessages.aboutFile(name, (e.body as! SheetError).message), ImportMessages.nothingWritten(name)])
        } catch let e as SheetError {
            progress.finish()
            throw InputRejected(lines: [ImportMessages.aboutFile(name, e.message), ImportMessages.nothingWritten(name)])
        } catch let fileError as FileError {
            progress.finish()
            throw InputRejected(lines: ImportMessages.lines(fileError) + [ImportMessages.nothingWritten(name)])
        }
    }
}

/// The `--rejects` file: the input's columns in the input's order with each bad
/// row's original values, plus a reason column (CONTRACT.md §2). A path ending in
/// `.xlsx` gives a workbook (issue 15): every value as the text given, identity
/// columns as 文本 cells; it is written whole when the import ends. Either way 0600.
final class RejectsFile {
    private var handle: FileHandle?
    private var sheet: SheetWriter?
    private let path: String

    /// Whether `path` asks for a workbook.
    static func wantsWorkbook(_ path: String) -> Bool { path.lowercased().hasSuffix(".xlsx") }

    /// Columns whose values are identities or codes: 文本 cells in the workbook.
    static let identityColumns: Set<String> = [
        "code", "parent_code", "household_id", "town_code", "certificate_no", "phone", "credit_code", "opening_id",
        "employer_credit_code", "veteran_certificate_no", "resident_id",
    ]

    init(path: String, header: IntakeHeader) throws {
        self.path = path
        if Self.wantsWorkbook(path) {
            let kinds = header.names.indices.map { i -> SheetWriter.CellKind in
                .text(identity: i < header.columns.count && header.columns[i].map(Self.identityColumns.contains) == true)
            }
            sheet = SheetWriter(sheetName: header.headersAreChinese ? "未导入的行" : "rejects", columns: zip(header.names, kinds).map { .init($0, $1) }
                + [.init(header.reasonColumn, .text(identity: false))])
        } else {
            let h = try PrivateFile.create(path)  // 0600: bad rows hold personal data
            try h.write(contentsOf: Data(CSVWriter.bom))
            try h.write(contentsOf: Data(CSVWriter.line(header.names + [header.reasonColumn]).utf8))
            handle = h
        }
    }

    func write(raw: CSVRecord, errors: [RowError]) throws {
        let reason = ImportMessages.reasons(errors)
        if sheet != nil {
            let width = sheet!.columns.count - 1
            var cells: [String?] = Array(raw.fields.prefix(width))
            cells += Array(repeating: nil, count: width - cells.count)
            sheet!.append(cells + [reason])
        } else {
            try handle?.write(contentsOf: Data(CSVWriter.line(raw.fields + [reason]).utf8))
        }
    }

    /// Writes the workbook (0600, through a temporary file renamed into place).
    func finish() throws {
        if let s = sheet {
            sheet = nil
            try PrivateFile.write(s.xlsx(), to: path)
        }
    }

    func close() {
        try? finish()
        try? handle?.close()
        handle = nil
    }

    /// The rejects file when no row was bad: a BOM, or a workbook with an empty sheet.
    static func writeEmpty(_ path: String) throws {
        if wantsWorkbook(path) {
            try PrivateFile.write(SheetWriter(sheetName: "Sheet1", columns: []).xlsx(), to: path)
        } else {
            try PrivateFile.write(CSVWriter.bom, to: path)
        }
    }
}

/// Progress on a terminal for files that take more than a couple of seconds:
/// rows, rows/s and time left, on one rewritten stderr line. Silent when stderr
/// is not a terminal (logs and pipes stay clean).
final class ProgressLine {
    static let delayDefault: Double = 2
    let label: String
    let totalBytes: Int?
    let start = Date()
    let enabled = isatty(2) == 1
    var shown = false

    init(label: String, totalBytes: Int?) { self.label = label; self.totalBytes = totalBytes }

    func update(rows: Int, bytes: Int) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed >= ProgressLine.delayDefault else { return }
        let rate = Double(rows) / max(elapsed, 0.001)
        var left = ""
        if let totalBytes, bytes > 0 {
            let remaining = elapsed * Double(totalBytes - bytes) / Double(bytes)
            left = String(format: ", about %.0f s left", max(0, remaining))
        }
        FileHandle.standardError.write(Data(String(format: "\r%@: %d rows, %.0f rows/s%@   ", label, rows, rate, left).utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
