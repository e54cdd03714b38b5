import Domain
import Postgres
import Quota
import Store

/// The yearly certification of employers' declarations (按比例就业年审申报).
public enum Certify {
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
