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

    /// Applies `event` to the declaration of `employer` for `year` on `today`; an
    /// approval stores the employer's review (with its worksheet) in the same transaction.
    public static func change(_ c: Connection, employer: String, year: Int, event: DeclarationEvent, today: CivilDate,
                              jurisdiction: String, rowReasons: [(person: String, reason: String)] = [],
                              actor: String) throws -> CertifyStore.Change {
        try CertifyStore.change(c, employer: employer, year: year, event: event, today: today, jurisdiction: jurisdiction,
                                rowReasons: rowReasons, actor: actor) { tx, code in
            try Review.review(inTransaction: tx, year: year, jurisdiction: jurisdiction, employer: code, worksheets: true, actor: actor)
        }
    }
}
