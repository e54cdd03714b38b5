import App
import ArgumentParser
import Domain
import EmbeddedPostgres
import Foundation
import Quota
import Render
import Sheets
import Store

/// `jobmatch certify …`: the yearly certification of employers' declarations
/// (按比例安排残疾人就业情况年审; CONTRACT.md §1, issue 16). `--year` is the
/// reviewed year, as in `review --year`; its window (policy data) falls in
/// the year after.
struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "The yearly certification: declarations from draft to the numbered 审核确认书.",
        subcommands: [CertifyOpen.self, CertifyStatus.self, CertifySubmit.self, CertifyReturn.self, CertifyApprove.self,
                      CertifyReopen.self, CertifyLetter.self, CertifyTaxList.self, CertifyRemind.self])
}

/// Options every certify subcommand shares.
struct CertifyOptions: ParsableArguments {
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The reviewed year (as in `review --year`).") var year: Int
    @Option(help: "Today, YYYY-MM-DD (default: today in the center's time zone).") var date: String?

    func validate() throws {
        if !(2000...2100).contains(year) { throw ValidationError("--year \(year): expected a year such as 2024") }
        if let date, CivilDate(iso: date) == nil { throw ValidationError(YearText.badDate("--date", date)) }
    }

    var today: CivilDate { date.flatMap { CivilDate(iso: $0) } ?? Clock.today() }

    /// Runs `body`, turning a refusal into exit 3 with its Chinese message.
    func refusing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let r as CertifyStore.Refused {
            throw InputRejected(lines: ["jobmatch certify: " + YearText.refusal(r)])
        } catch StoreError.notFound(let what) {
            throw InputRejected(lines: ["jobmatch certify: 未找到：\(what)"])
        }
    }
}

struct CertifyOpen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Start the year: a draft per employer, carried over from last year's approved roster.")
    @OptionGroup var o: CertifyOptions

    func run() throws {
        // One transaction; a repeat finds every draft there and opens none (issue 18).
        let outcome = try WritableRetry.run(o.db) { c in try Certify.open(c, year: o.year, today: o.today, actor: o.db.resolvedActor) }
        print(YearText.opened(outcome, year: o.year))
    }
}

struct CertifyStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Each employer's declaration: state, deadline, days left; who has not declared.")
    @OptionGroup var o: CertifyOptions
    @Flag(help: "Print JSON for systems.") var json = false

    func run() throws {
        let c = try o.db.connectMigrated()
        defer { c.close() }
        let window = try Certify.window(c, year: o.year, jurisdiction: Jurisdiction.configured)
        let lines = try Certify.status(c, year: o.year)
        let today = o.today
        if json {
            print(JSONValue.array(lines.map { l in
                .object([
                    "credit_code": .string(l.creditCode), "name": .string(l.name), "town_code": .string(l.townCode),
                    "state": .string(l.state?.rawValue ?? "not_opened"), "deadline": .string(window.closes.description),
                    "opens": .string(window.opens.description), "days_left": .integer(window.daysLeft(on: today)), "declared": .bool(l.declared),
                    "lines": .integer(l.lines), "letter_no": .string(l.letterNo), "return_reason": .string(l.returnReason),
                    "reminders_sent": .integer(l.remindersSent),
                    "row_reasons": .array(l.rowReasons.map { .object(["person": .string(Masking.identifier($0.person)), "reason": .string($0.reason)]) }),
                ])
            }).pretty)
            return
        }
        print(YearText.statusHeader(year: o.year, window: window, today: today))
        for l in lines {
            print("  \(l.creditCode) \(l.name)：\(YearText.stateLabel(l.state))，\(l.lines) 人" + (l.letterNo.map { "，确认书 \($0)" } ?? ""))
            if let why = l.returnReason, l.state == .returned { print("    " + YearText.returnedBecause(why)) }
            for r in l.rowReasons { print("    \(Masking.identifier(r.person))：\(r.reason)") }
        }
        let pending = lines.filter { !$0.declared }
        if !pending.isEmpty {
            print(YearText.notDeclaredHeader)
            for l in pending { print("  \(l.creditCode) \(l.name)（\(YearText.stateLabel(l.state))）") }
        }
    }
}

/// The options of one employer's change.
struct CertifyChangeOptions: ParsableArguments {
    @OptionGroup var o: CertifyOptions
    @Option(help: "The employer (统一社会信用代码).") var employer: String

    func apply(_ event: DeclarationEvent, rows: [(person: String, reason: String)] = []) throws {
        // One transaction; a repeat meets the state the first try left and is refused by the
        // rule (already submitted, approved…), with a note (issue 18).
        let change = try WritableRetry.run(o.db) { c in
            try o.refusing {
                try Certify.change(c, employer: employer, year: o.year, event: event, today: o.today,
                                   jurisdiction: Jurisdiction.configured, rowReasons: rows,
                                   worksheet: { QuotaWorksheet.render($0) }, actor: o.db.resolvedActor)
            }
        }
        print(YearText.changed(change, employer: employer.uppercased(), year: o.year))
    }
}

struct CertifySubmit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Hand an employer's declaration in.")
    @OptionGroup var change: CertifyChangeOptions
    func run() throws { try change.apply(.submit) }
}

struct CertifyReturn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "Send a submitted declaration back, with the reason (whole or per row).")
    @OptionGroup var change: CertifyChangeOptions
    @Option(help: "Why, in Chinese (the whole declaration).") var reason: String?
    @Option(help: "A row's reason: CERTIFICATE_NO=原因 (repeatable).") var row: [String] = []

    func run() throws {
        var rows: [(person: String, reason: String)] = []
        for r in row {
            guard let eq = r.firstIndex(where: { $0 == "=" || $0 == "＝" }) else {
                throw InputRejected(lines: ["jobmatch certify: --row \(Masking.identifier(r))：应为 证号=原因"])
            }
            rows.append((String(r[..<eq]).trimmingCharacters(in: .whitespaces), String(r[r.index(after: eq)...])))
        }
        let whole = reason ?? rows.map(\.reason).joined(separator: "；")
        try change.apply(.giveBack(reason: whole), rows: rows)
    }
}

struct CertifyApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a submitted declaration: runs the review, freezes it and issues the numbered 审核确认书.",
        discussion: "After the window closes an approval needs --admin and --reason.")
    @OptionGroup var change: CertifyChangeOptions
    @Flag(help: "Act as an administrator (audited).") var admin = false
    @Option(help: "Why (needed after the window).") var reason: String?
    func run() throws { try change.apply(.approve(admin: admin, reason: reason)) }
}

struct CertifyReopen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "Reopen an approved declaration (admin, with a reason); the old version and letter are kept.")
    @OptionGroup var change: CertifyChangeOptions
    @Flag(help: "Act as an administrator (audited).") var admin = false
    @Option(help: "Why.") var reason: String?
    func run() throws { try change.apply(.reopen(admin: admin, reason: reason)) }
}

/// The center's name on letters: `--center`, else JOBMATCH_CENTER_NAME, else Yanshi's.
enum CenterName {
    static let yanshi = "洛阳市偃师区残疾人就业服务中心"
    static func resolve(_ option: String?) -> String {
        option ?? ProcessInfo.processInfo.environment["JOBMATCH_CENTER_NAME"] ?? yanshi
    }
}

struct CertifyLetter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letter",
        abstract: "Write an employer's 审核确认书: printable A4 HTML, or PDF (through Debian's chromium) when FILE ends in .pdf.")
    @OptionGroup var o: CertifyOptions
    @Option(help: "The employer (统一社会信用代码).") var employer: String
    @Option(help: "Where to write it (.html or .pdf).") var output: String
    @Option(help: "The center's name (default: JOBMATCH_CENTER_NAME, else Yanshi's center).") var center: String?

    func run() throws {
        let c = try o.db.connectMigrated()
        defer { c.close() }
        let letter = try o.refusing { try Certify.letter(c, employer: employer, year: o.year) }
        let html = try ConfirmationLetter.html(letter, center: CenterName.resolve(center))
        if output.lowercased().hasSuffix(".pdf") {
            try LetterPDF.print(html: html, to: output)
        } else {
            try html.write(toFile: output, atomically: true, encoding: .utf8)
        }
        print(YearText.letterWritten(output, number: letter.letterNo))
    }
}

/// HTML to PDF through Debian's headless chromium (`apt-get install chromium`).
enum LetterPDF {
    static func print(html: String, to output: String) throws {
        let dir = NSTemporaryDirectory() + "jobmatch-letter-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = dir + "/letter.html"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let target = URL(fileURLWithPath: output).standardizedFileURL.path
        guard let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw InputRejected(lines: ["jobmatch certify: " + YearText.pdfFailed("chromium not found")])
        }
        let result = try ChildProcess.run([
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--user-data-dir=\(dir)/profile", "--print-to-pdf=\(target)", "file://\(page)",
        ])
        guard result.exit.status == 0, FileManager.default.fileExists(atPath: target) else {
            let why = String(decoding: result.stderr.suffix(300), as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw CertifyFailure(YearText.pdfFailed("exit \(result.exit.status) \(why)"))
        }
    }
}

/// A run-time failure of a certify command with a message for people (exit 1).
struct CertifyFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// The approved employers for the tax bureau, with the columns of the national
/// 残疾人就业保障金缴费申报表 that the center's review fills.
///
/// The form (附件6 of the levy's administration; as reproduced at
/// https://m.31doc.com/p-10356699.html, fill-in notes also at
/// https://0769cx.cn/news_list.asp?id=1433) numbers its columns: 1 序号,
/// 2 费款所属期起, 3 费款所属期止, 4 上年在职职工工资总额, 5 上年在职职工人数,
/// 6 应安排残疾人就业比例, 7 上年实际安排残疾人就业人数 (“依据残疾人就业服务机构
/// 核定后数据填写”), 8 上年在职职工年平均工资 = 4/5, 9 本期应纳费额 =
/// (5×6−7)×8, 10 本期减免费额, 11 本期已缴费额, 12 本期应补（退）费额 =
/// 9−10−11; above them 用人单位名称 and 统一社会信用代码/纳税人识别号. The
/// center knows 1–9 (its review), plus 应安排人数 (5×6) that the issue asks
/// for, the letter's number and verification code; 10–12 are the tax bureau's.
struct CertifyTaxList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tax-list", abstract: "The approved employers for the tax bureau (CSV, or .xlsx when the output ends in .xlsx; columns of the 保障金缴费申报表).")
    @OptionGroup var o: CertifyOptions
    @Option(help: "Where to write the CSV (or a workbook, when it ends in .xlsx).") var output: String

    static let header = ["序号", "用人单位名称", "统一社会信用代码", "费款所属期起", "费款所属期止", "上年在职职工工资总额",
                         "上年在职职工人数", "应安排残疾人就业比例", "应安排残疾人就业人数", "上年实际安排残疾人就业人数",
                         "上年在职职工年平均工资", "本期应纳费额", "审核确认书编号", "核验码"]
    /// How each column of `header` is written in a workbook.
    static let xlsxKinds: [SheetWriter.CellKind] = [.number, .text(identity: false), .text(identity: true), .date, .date, .money,
                                                    .number, .number, .number, .number, .money, .money,
                                                    .text(identity: true), .text(identity: true)]

    func run() throws {
        let c = try o.db.connectMigrated()
        defer { c.close() }
        let letters = try Certify.approvedLetters(c, year: o.year)
        var rows = [Self.header]
        for (i, l) in letters.enumerated() {
            let f = try ConfirmationLetter.Figures(reviewJSON: l.reviewJSON)
            let ey = try Certify.employerYear(c, employer: l.creditCode, year: o.year)
            let ratio = f.employees.flatMap { e in f.required.flatMap { r -> String? in
                guard let n = Rational(decimal: e), let q = Rational(decimal: r), n != Rational(0) else { return nil }
                return (q / n).decimalString(places: 4)
            } } ?? ""
            let average: String = {
                guard let ey, let n = Rational(decimal: ey.employees), n != Rational(0) else { return "" }
                return (Rational(Int(ey.totalWagesFen)) / n / Rational(100)).decimalString(places: 2)
            }()
            rows.append([
                String(i + 1), l.employerName, l.creditCode, "\(o.year)-01-01", "\(o.year)-12-31",
                ey.map { Fen($0.totalWagesFen).yuan.fixed(2) } ?? "", f.employees ?? "", ratio, f.required ?? "", f.counted ?? "",
                average, f.levyFen.map { Fen($0).yuan.fixed(2) } ?? "", l.letterNo, l.verificationCode,
            ])
        }
        if output.lowercased().hasSuffix(".xlsx") {
            // The same cells as exports (issue 15): the credit code and the letter's number as 文本, dates as
            // date cells, yuan as money, counts and the ratio as numbers. 0600, like every file with names in it.
            var sheet = SheetWriter(sheetName: "\(o.year)年度", columns: zip(Self.header, Self.xlsxKinds).map { .init($0, $1) })
            for row in rows.dropFirst() { sheet.append(row) }
            try PrivateFile.write(sheet.xlsx(), to: output)
        } else {
            try CSVFile.write(rows, to: output)
        }
        print(YearText.taxListWritten(output, rows: letters.count))
    }
}

/// CSV that Excel opens: UTF-8 with BOM, CRLF, RFC 4180 quoting.
enum CSVFile {
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    static func text(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
    static func write(_ rows: [[String]], to path: String) throws {
        try Data(text(rows).utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// Each morning in the window: the employers to remind (not declared; returned
/// and not resubmitted) with the days left, as CSV; `--hook CMD` runs CMD with
/// the file's path as its one argument and, when it exits 0, records a
/// reminder for each; `--record` records them without a hook (staff phoned).
struct CertifyRemind: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "The employers to remind today (not declared, or returned), as CSV; optionally run a hook and record the reminders.",
        discussion: """
            The hook is any command (a script that sends SMS or e-mail through the center's own gateway): it is run as \
            HOOK FILE, with FILE the CSV (columns credit_code, name, town_code, state, days_left, deadline). \
            Reminders are recorded only when it exits 0.
            """)
    @OptionGroup var o: CertifyOptions
    @Option(help: "Where to write the list (CSV).") var output: String
    @Option(help: "A command to run with the list's path.") var hook: String?
    @Flag(help: "Record a reminder for each listed employer (without a hook).") var record = false

    func run() throws {
        let c = try o.db.connectMigrated()
        defer { c.close() }
        let window = try Certify.window(c, year: o.year, jurisdiction: Jurisdiction.configured)
        let today = o.today
        let inWindow = !(today < window.opens) && !window.isClosed(on: today)
        let due = inWindow ? try Certify.status(c, year: o.year).filter { !$0.declared } : []
        var rows = [["credit_code", "name", "town_code", "state", "days_left", "deadline"]]
        for l in due {
            rows.append([l.creditCode, l.name, l.townCode, l.state?.rawValue ?? "not_opened", String(window.daysLeft(on: today)),
                         window.closes.description])
        }
        try CSVFile.write(rows, to: output)
        if !inWindow { print(YearText.windowNotOpen); return }
        print(YearText.remindHeader + " \(due.count)")
        for l in due { print("  \(l.creditCode) \(l.name)（\(YearText.stateLabel(l.state))，剩余 \(window.daysLeft(on: today)) 天）") }
        var channel: String?
        if let hook {
            let r = try ChildProcess.run(["/bin/sh", "-c", hook + " \"$0\"", URL(fileURLWithPath: output).standardizedFileURL.path])
            guard r.exit.status == 0 else { throw CertifyFailure(YearText.hookFailed(r.exit.status)) }
            channel = "hook"
        } else if record {
            channel = "staff"
        }
        if let channel, !due.isEmpty {
            // Only the record goes through the retry, never the hook: a failover sends nothing twice.
            // One transaction; a repeat finds the day's reminders recorded and adds none (issue 18).
            try WritableRetry.run(o.db) { w in
                try Certify.recordReminders(w, employers: due.map(\.creditCode), year: o.year, day: today, channel: channel,
                                            actor: o.db.resolvedActor)
            }
            print(YearText.remindersRecorded(due.count))
        }
    }
}
