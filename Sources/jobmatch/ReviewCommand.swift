import App
import ArgumentParser
import Domain
import Foundation
import Postgres
import Quota
import Render
import Sheets
import Store

/// `jobmatch review --year Y`: the annual quota review (CONTRACT.md §5, POLICY.md).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "The annual quota review of every employer: levy, reward, worksheets.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The reviewed year (the levy is payable the year after).") var year: Int
    @Option(help: "Only this employer (credit code).") var employer: String?
    @Flag(help: "Print JSON for systems.") var json = false
    @Flag(help: "Print identity numbers whole (audited).") var unmasked = false
    @Option(help: "Also write, per employer, the staff worksheet (Chinese, Markdown) and the employer's paper (A4 HTML and .xlsx) into this folder.") var worksheets: String?
    @Flag(help: "With --worksheets, also print each employer's paper to PDF (A4), through Debian's chromium.") var pdf = false

    func validate() throws {
        if !(2000...2100).contains(year) { throw ValidationError(YearMessages.badYear(year)) }
        if pdf && worksheets == nil { throw ValidationError(CommandMessages.goesWith("--pdf", "--worksheets DIR")) }
    }

    func run() throws {
        // One transaction with its worksheets and the audit of an unmasked output (issue 18). A
        // repeat after an unanswered COMMIT stores one more version with the same figures.
        let worksheet: Review.WorksheetText? = employer != nil || worksheets != nil ? { @Sendable r in QuotaWorksheet.render(r) } : nil
        let stored = try WritableRetry.run(db) { c in
            try Review.review(c, year: year, jurisdiction: Jurisdiction.configured, employer: employer,
                              worksheets: worksheet, actor: db.resolvedActor) { reviews in
                if unmasked {
                    try Audit.record(c, actor: db.resolvedActor, action: "unmasked_output", subject: "review", detail: ["year": String(year)])
                }
                // Worksheets first: if one cannot be written, no new review version is stored (issue 17).
                guard let worksheets else { return }
                do {
                    try FileManager.default.createDirectory(atPath: worksheets, withIntermediateDirectories: true)
                } catch {
                    throw RuntimeFailure(FileMessages.cannotWrite(worksheets, FileMessages.folderCannotBeCreated()) + SummaryMessages.noReviewStored())
                }
                for r in reviews {
                    let path = (worksheets as NSString).appendingPathComponent("\(r.creditCode.value)-\(year).md")
                    do {
                        try PrivateFile.write(Array(QuotaWorksheet.render(r, unmasked: unmasked).utf8), to: path)
                    } catch {
                        throw RuntimeFailure("\(error)" + SummaryMessages.noReviewStored())
                    }
                }
                do {
                    try Self.writePapers(c, reviews, year: year, to: worksheets, unmasked: unmasked, pdf: pdf)
                } catch {
                    throw RuntimeFailure("\(error)" + SummaryMessages.noReviewStored())
                }
            }
        }
        let reviews = stored.map(\.review)
        if json {
            print("[" + reviews.map { ReviewJSONText.object($0, unmasked: unmasked) }.joined(separator: ",\n") + "]")
            return
        }
        if reviews.count == 1 {
            print(QuotaWorksheet.render(reviews[0], unmasked: unmasked))
            return
        }
        print(SummaryMessages.reviewStored(year: year, employers: reviews.count))
        for r in reviews { print(ReviewMessages.employerLine(r, year: year)) }
        print(ReviewMessages.totals(reviews))
    }
}

extension ReviewCommand {
    /// Beside each staff worksheet, the employer's paper (issue 15): `<code>-<year>.html`, an A4
    /// page, and `<code>-<year>.xlsx`, the same rows and figures as a sheet; and
    /// `worksheets-<year>.xlsx`, one workbook with a sheet per employer.
    static func writePapers(_ c: Connection, _ reviews: [EmployerReview], year: Int, to dir: String, unmasked: Bool,
                            pdf: Bool = false) throws {
        let names = try Review.seekerNames(c)
        var all: [SheetWriter] = []
        for r in reviews {
            let base = (dir as NSString).appendingPathComponent("\(r.creditCode.value)-\(year)")
            // Names and identities: 0600 like every file with personal data (issue 17).
            let html = EmployerPaper.html(r, names: names, unmasked: unmasked)
            try PrivateFile.write(Array(html.utf8), to: base + ".html")
            if pdf {
                // The same page, printed on A4 by chromium (as the 审核确认书 is); 0600 too.
                try LetterPDF.print(html: html, to: base + ".pdf")
                chmod(base + ".pdf", PrivateFile.mode)
            }
            var sheet = SheetWriter(sheetName: "\(year)年度审核结果", columns: [
                .init("序号", .number), .init("姓名", .text(identity: false)), .init("证号", .text(identity: true)),
                .init("缴费月数", .number), .init("是否计入", .text(identity: false)), .init("不计入的原因", .text(identity: false)),
            ])
            for (i, row) in r.rows.enumerated() {
                let name = names[String(row.certificateNo.prefix(20))].map { unmasked ? $0 : Masking.name($0) } ?? "（未登记）"
                sheet.append([String(i + 1), name, unmasked ? row.certificateNo : row.maskedCertificateNo, String(row.monthsPaid),
                              EmployerPaper.counted(row), row.reasons.map(EmployerPaper.plain).joined(separator: "；")])
            }
            sheet.append([])
            sheet.append([nil, "用人单位", r.employerName])
            sheet.append([nil, "统一社会信用代码", r.creditCode.value])
            for s in r.trace where s.code != "rows" {
                sheet.append([nil, s.title, s.formula, nil, s.result, s.inputs.map { "\($0.name) = \($0.value)" }.joined(separator: "，")])
            }
            try PrivateFile.write(sheet.xlsx(), to: base + ".xlsx")
            var named = SheetWriter(sheetName: r.employerName, columns: sheet.columns)
            named.copyRows(from: sheet)
            all.append(named)
        }
        let book = (dir as NSString).appendingPathComponent("worksheets-\(year).xlsx")
        try PrivateFile.write(SheetWriter.workbook(all), to: book)
    }

}

/// `jobmatch subsidies --year Y`: what placements earn in Y (POLICY.md §4).
struct SubsidiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "subsidies", abstract: "The subsidies placements earn in a year, per placement, programme and month.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The year.") var year: Int
    @Flag(help: "Print JSON for systems.") var json = false
    @Flag(help: "Print identity numbers whole (audited).") var unmasked = false

    func run() throws {
        // Reads; an unmasked output writes its audit record, so that goes to a writable primary (issue 18).
        let statement = try WritableRetry.run(db, writes: unmasked) { c in
            let statement = try Review.subsidies(c, year: year, jurisdiction: Jurisdiction.configured)
            if unmasked {
                try Audit.record(c, actor: db.resolvedActor, action: "unmasked_output", subject: "subsidies", detail: ["year": String(year)])
            }
            return statement
        }
        if json {
            print(statement.json(unmasked: unmasked).pretty)
            return
        }
        // POLICY.md §4: per placement, programme and month, then totals per beneficiary.
        print(SummaryMessages.subsidiesDue(year: year, lines: statement.lines.count))
        for group in statement.linesPerPlacement {
            let first = group[0]
            let person = unmasked ? first.person.printed : first.person.masked
            let subtotal = group.reduce(Fen.zero) { $0 + $1.amount }
            print(ReviewMessages.placement(person: person, opening: first.opening.value, start: first.placementStart, programme: first.programme,
                                           beneficiary: ReviewMessages.beneficiary(first.beneficiaryKind, first.beneficiary),
                                           subtotal: subtotal, placeholder: group.contains(where: \.restsOnPlaceholder)))
            print(ReviewMessages.months(group.map { ($0.month, $0.amount) }, year: year))
        }
        print(ReviewMessages.totalsHeader())
        for t in statement.totals {
            let who = t.beneficiaryKind == .person ? (unmasked ? t.beneficiary : Masking.identifier(t.beneficiary)) : t.beneficiary
            print(ReviewMessages.total(kind: t.beneficiaryKind, who: who, amount: t.amount, months: t.lines, placeholder: t.restsOnPlaceholder))
        }
        print(ReviewMessages.grandTotal(statement.totals.reduce(Fen.zero) { $0 + $1.amount }))
        if !statement.needsAttention.isEmpty {
            print(ReviewMessages.attentionHeader(statement.needsAttention.count))
            for a in statement.needsAttention {
                let person = unmasked ? a.person.printed : a.person.masked
                print(ReviewMessages.attention(person: person, opening: a.opening.value, start: a.placementStart, programme: a.programme,
                                               months: a.months, reason: a.reason))
            }
        }
    }
}
