import Domain
import Postgres
import Quota
import Store

/// The yearly certification of employers' declarations (按比例就业年审申报).
public enum Certify {
    /// The window of `year`'s declarations in `jurisdiction`, from the policy book.
    public static func window(_ c: Connection, year: Int, jurisdiction: String) throws -> CertificationWindow {
        try CertificationWindow.forYear(year, book: try PolicyStore.load(c).book, jurisdiction: jurisdiction).window
    }

    /// Opens `year`: each employer without a declaration gets a draft (see `CertifyStore.open`).
    public static func open(_ c: Connection, year: Int, today: CivilDate, actor: String) throws -> CertifyStore.OpenOutcome {
        try CertifyStore.open(c, year: year, today: today, actor: actor)
    }

    /// Each employer's declaration for `year` (employers without one too).
    public static func status(_ c: Connection, year: Int) throws -> [CertifyStore.StatusLine] {
        try CertifyStore.status(c, year: year)
    }

    /// The confirmation letter of `employer`'s approved declaration for `year`.
    public static func letter(_ c: Connection, employer: String, year: Int) throws -> CertifyStore.Letter {
        try CertifyStore.letter(c, employer: employer, year: year)
    }

    /// Every approved declaration's letter for `year`.
    public static func approvedLetters(_ c: Connection, year: Int) throws -> [CertifyStore.Letter] {
        try CertifyStore.approvedLetters(c, year: year)
    }

    /// The employer's declared figures for `year`, if any.
    public static func employerYear(_ c: Connection, employer: String, year: Int) throws -> (employees: String, totalWagesFen: Int64)? {
        try CertifyStore.employerYear(c, employer: employer, year: year)
    }

    /// Records that staff sent a reminder to each employer on `day`.
    public static func recordReminders(_ c: Connection, employers: [String], year: Int, day: CivilDate, channel: String,
                                       actor: String) throws {
        try CertifyStore.recordReminders(c, employers: employers, year: year, day: day, channel: channel, actor: actor)
    }

    /// Applies `event` to the declaration of `employer` for `year` on `today`:
    /// reads the declaration under a row lock, asks the rule
    /// (`CertificationMachine`), and performs what it allows in the same
    /// transaction, with its audit record. `rowReasons` (person key or
    /// certificate number → reason) go with a return. An approval stores the
    /// employer's review (with its worksheet) and freezes it.
    public static func change(_ c: Connection, employer: String, year: Int, event: DeclarationEvent, today: CivilDate,
                              jurisdiction: String, rowReasons: [(person: String, reason: String)] = [],
                              worksheet: @escaping Review.WorksheetText, actor: String) throws -> CertifyStore.Change {
        typealias Refused = CertifyStore.Refused
        let code = employer.uppercased()
        do {
            return try c.transaction { tx -> CertifyStore.Change in
                guard try CertifyStore.employerExists(tx, code: code) else {
                    throw Refused.unknownEmployer(employer)
                }
                guard let state = try CertifyStore.lockDeclaration(tx, code: code, year: year) else {
                    throw Refused.notOpened(employer: code, year: year)
                }
                let book = try PolicyStore.load(tx).book
                let window = try CertificationWindow.forYear(year, book: book, jurisdiction: jurisdiction).window
                let next: DeclarationState
                switch CertificationMachine.apply(event, to: state, window: window, today: today) {
                case .success(let s): next = s
                case .failure(let refusal): throw Refused.rule(refusal)
                }
                var detail = ["year": String(year), "from": state.rawValue, "to": next.rawValue, "on": today.description]
                var letter: CertifyStore.Letter?
                switch event {
                case .submit:
                    try CertifyStore.submit(tx, code: code, year: year, actor: actor)
                case .giveBack(let reason):
                    try CertifyStore.giveBack(tx, code: code, year: year, reason: reason, rowReasons: rowReasons, actor: actor)
                    detail["rows_with_reason"] = String(rowReasons.count)
                case .approve(_, let reason):
                    let stored = try Review.review(inTransaction: tx, year: year, jurisdiction: jurisdiction, employer: code,
                                                   worksheets: worksheet, actor: actor)
                    guard let (review, reviewVersion) = stored.first else { throw Refused.unknownEmployer(employer) }
                    guard review.status == .reviewed else { throw Refused.reviewIncomplete(review.status) }
                    let late = window.isClosed(on: today) ? reason : nil
                    let approved = try CertifyStore.approve(tx, code: code, year: year, reviewVersion: reviewVersion,
                                                            levyFen: review.levy?.value, rewardFen: review.reward?.value,
                                                            today: today, lateReason: late, actor: actor)
                    detail["letter_no"] = approved.letterNumber
                    detail["review_id"] = String(approved.reviewID)
                    detail["declaration_version"] = String(approved.version)
                    if let late { detail["late_reason"] = late }
                    letter = try CertifyStore.letter(tx, employer: code, year: year)
                case .reopen(_, let reason):
                    try CertifyStore.reopen(tx, code: code, year: year, reason: reason, actor: actor)
                    detail["reason"] = reason ?? ""
                }
                try Audit.record(tx, actor: actor, action: "certify_\(actionName(event))", subject: code, detail: detail)
                return CertifyStore.Change(from: state, to: next, letter: letter)
            }
        } catch {
            if let body = error.body, body is Refused || body is StoreError { throw body }
            throw error
        }
    }

    static func actionName(_ event: DeclarationEvent) -> String {
        switch event {
        case .submit: "submit"
        case .giveBack: "return"
        case .approve: "approve"
        case .reopen: "reopen"
        }
    }
}
