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
        if !(2000...2100).contains(year) { throw ValidationError("--year \(year): expected a year such as 2024") }
        if pdf && worksheets == nil { throw ValidationError("--pdf goes with --worksheets DIR") }
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
                    throw RuntimeFailure(FileMessages.cannotWrite(worksheets, FileMessages.folderCannotBeCreated()) + "; no review was stored")
                }
                for r in reviews {
                    let path = (worksheets as NSString).appendingPathComponent("\(r.creditCode.value)-\(year).md")
                    do {
                        try PrivateFile.write(Array(QuotaWorksheet.render(r, unmasked: unmasked).utf8), to: path)
                    } catch {
                        throw RuntimeFailure("\(error); no review was stored")
                    }
                }
                do {
                    try Self.writePapers(c, reviews, year: year, to: worksheets, unmasked: unmasked, pdf: pdf)
                } catch {
                    throw RuntimeFailure("\(error); no review was stored")
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
        for r in reviews {
            let figure: String
            switch r.status {
            case .reviewed:
                let levy = r.levy.map { $0.value > 0 ? "levy \($0.grouped)" : nil } ?? nil
                let reward = r.reward.map { $0.value > 0 ? "reward \($0.grouped)" : nil } ?? nil
                figure = "N \(r.employees?.decimalString(places: 2) ?? "-") D \(r.counted?.decimalString(places: 2) ?? "-") ρ \(r.ratio?.percent(places: 3) ?? "-") "
                    + ([levy, reward].compactMap { $0 }.first ?? ((r.exempt ?? false) ? "exempt (small enterprise)" : "no levy"))
                    + (r.placeholderFigures.isEmpty ? "" : "  ⚠ rests on a placeholder")
            case .missingEmployerYear: figure = "no employer-year loaded for \(year)"
            case .noStaff: figure = "no staff (N = 0)"
            }
            print("  \(r.creditCode.value) \(r.employerName): \(figure)" + (Self.notCounted(r.rows).map { "; \($0)" } ?? ""))
        }
        let totals = ReviewTotals(reviews)
        print(SummaryMessages.reviewTotals(levy: totals.levy, reward: totals.reward)
              + (Self.notCounted(reviews.flatMap(\.rows)).map { "; \($0)" } ?? ""))
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

    /// Roster rows that did not count, by reason (issue 15): `3 rows not counted (invalid_certificate 2, below_minimum_wage 1)`;
    /// nil when every row counted. A row with two reasons is counted under each.
    static func notCounted(_ rows: [RowVerdict]) -> String? {
        let refused = rows.filter { !$0.qualifies }
        guard !refused.isEmpty else { return nil }
        var byReason: [ReasonCode: Int] = [:]
        for r in refused { for reason in r.reasons { byReason[reason, default: 0] += 1 } }
        return SummaryMessages.notCounted(refused.count, byReason: byReason.keys.sorted().map { ($0.rawValue, byReason[$0]!) })
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
            let beneficiary = first.beneficiaryKind == .person ? "the person" : "\(first.beneficiaryKind.rawValue) \(first.beneficiary)"
            let subtotal = group.reduce(Fen.zero) { $0 + $1.amount }
            print("  \(person) \(first.opening.value) from \(first.placementStart) · \(first.programme) → \(beneficiary): "
                  + "\(subtotal.grouped) yuan\(group.contains(where: \.restsOnPlaceholder) ? "  ⚠ rests on a placeholder" : "")")
            print("    " + group.map { "\(year)-\($0.month < 10 ? "0" : "")\($0.month) \($0.amount.grouped)" }.joined(separator: " · "))
        }
        print("totals per beneficiary:")
        for t in statement.totals {
            let who = t.beneficiaryKind == .person ? (unmasked ? t.beneficiary : Masking.identifier(t.beneficiary)) : t.beneficiary
            print("  \(t.beneficiaryKind.rawValue) \(who): \(t.amount.grouped) yuan over \(t.lines) months\(t.restsOnPlaceholder ? "  ⚠ rests on a placeholder" : "")")
        }
        print("total: \(statement.totals.reduce(Fen.zero) { $0 + $1.amount }.grouped) yuan")
        if !statement.needsAttention.isEmpty {
            print("needs staff attention (not paid): \(statement.needsAttention.count)")
            for a in statement.needsAttention {
                let person = unmasked ? a.person.printed : a.person.masked
                print("  \(person) \(a.opening.value) from \(a.placementStart) · \(a.programme), months \(a.months.map(String.init).joined(separator: ",")): \(a.reason.label)")
            }
        }
    }
}
