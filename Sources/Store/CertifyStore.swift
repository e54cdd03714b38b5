import Domain
import Foundation
import Postgres
import Quota

/// The SQL of the yearly certification of employers' declarations (issue 16;
/// the use case is App's `Certify`): the declaration read under a row lock,
/// and each change the rule (`CertificationMachine`, pure) allows. A refused
/// change throws `CertifyStore.Refused` and writes nothing.
///
/// A declaration's lines are the `roster` rows of its employer and year, so
/// staff and employers keep updating them with `import rosters` as today.
public enum CertifyStore {
    /// Why a change was refused (nothing was written). The CLI words each case.
    public enum Refused: Error, Sendable, Hashable {
        /// The state machine's rule.
        case rule(CertificationRefusal)
        /// No employer with this credit code.
        case unknownEmployer(String)
        /// `certify open` has not been run for this employer and year.
        case notOpened(employer: String, year: Int)
        /// Approval needs a complete review (the year's staff figures are missing or zero).
        case reviewIncomplete(ReviewStatus)
        /// A per-row reason names a person not on the declaration.
        case unknownRow(String)
        /// No approved version to print.
        case noLetter(employer: String, year: Int)
    }

    /// What `certify open` did.
    public struct OpenOutcome: Sendable, Equatable {
        /// Employers that got a new draft.
        public var opened: Int
        /// Employers whose declaration was open already (left as they are).
        public var alreadyOpen: Int
        /// Of the new drafts, those pre-filled from last year's approved roster.
        public var carriedOver: Int
        /// Roster lines copied from last year.
        public var linesCarried: Int
        /// Last year's lines left out because the person's placement there had ended.
        public var linesDropped: Int
    }

    /// One employer's line in `certify status`.
    public struct StatusLine: Sendable {
        public var creditCode: String
        public var name: String
        public var townCode: String
        /// nil: not opened for the year.
        public var state: DeclarationState?
        public var lines: Int
        public var returnReason: String?
        public var letterNo: String?
        public var remindersSent: Int
        /// The last return's reasons per row (person key → reason), while returned.
        public var rowReasons: [(person: String, reason: String)] = []
        /// Submitted or approved.
        public var declared: Bool { state == .submitted || state == .approved }
    }

    /// The approved version behind a letter, with the stored review it froze.
    /// The letter of an approved declaration (a plain value, in Quota so Render can word it).
    public typealias Letter = CertificationLetter

    /// Opens `year`: each employer without a declaration gets a draft. When it
    /// had an approved declaration for the year before, its roster is carried
    /// over — minus each person whose placement with that employer had ended
    /// by `today`, and minus each contract that ended before the year began.
    /// Lines the year already has (an earlier `import rosters`) are kept.
    public static func open(_ c: Connection, year: Int, today: CivilDate, actor: String) throws -> OpenOutcome {
        try c.transaction { tx in
            let first = CivilDate.startOf(year: year).description, day = today.description
            let employers = try tx.query("""
                SELECT e.credit_code, (p.state = 'approved') AS carry
                FROM employer e
                LEFT JOIN declaration d ON d.credit_code = e.credit_code AND d.year = \(year)
                LEFT JOIN declaration p ON p.credit_code = e.credit_code AND p.year = \(year - 1)
                WHERE d.credit_code IS NULL
                ORDER BY e.credit_code
                """)
            let alreadyOpen = try tx.query("SELECT count(*) AS n FROM declaration WHERE year = \(year)")[0].int("n")
            var outcome = OpenOutcome(opened: 0, alreadyOpen: alreadyOpen, carriedOver: 0, linesCarried: 0, linesDropped: 0)
            for row in employers {
                let code = try row.string("credit_code")
                var carried = 0
                if try row.optionalBool("carry") == true {
                    // The approved roster is the frozen copy, not today's rows of last year
                    // (an import may have changed them since the approval). Spliced: the code
                    // is a stored credit code (checked `^[0-9A-HJ-NPQRTUWXY]{18}$`), the year an Int.
                    precondition(code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "credit code as stored")
                    let approved = """
                        jsonb_populate_recordset(NULL::roster, (
                            SELECT v.roster FROM declaration_version v
                            WHERE v.credit_code = '\(code)' AND v.year = \(year - 1) AND v.reopened_at IS NULL
                            ORDER BY v.version DESC LIMIT 1)) r
                        """
                    let dropped = try tx.query("""
                        SELECT count(*) AS n FROM \(unsafe: approved) WHERE \(unsafe: endedClause(first: first, day: day))
                        """)[0].int("n")
                    carried = try tx.query("""
                        INSERT INTO roster (credit_code, year, person_key, certificate_no, veteran_certificate_no, veteran_grade,
                                            resident_id, contract_start, contract_end, establishment, months_paid,
                                            lowest_monthly_wage_fen, new_graduate)
                        SELECT r.credit_code, \(year), r.person_key, r.certificate_no, r.veteran_certificate_no, r.veteran_grade,
                               r.resident_id, r.contract_start, r.contract_end, r.establishment, r.months_paid,
                               r.lowest_monthly_wage_fen, r.new_graduate
                        FROM \(unsafe: approved)
                        WHERE NOT (\(unsafe: endedClause(first: first, day: day)))
                        ON CONFLICT ON CONSTRAINT roster_pk DO NOTHING
                        """).affectedRows
                    outcome.carriedOver += 1
                    outcome.linesCarried += carried
                    outcome.linesDropped += dropped
                }
                try tx.query("""
                    INSERT INTO declaration (credit_code, year, state, carried_over, opened_by, updated_by)
                    VALUES (\(code), \(year), 'draft', \(carried), \(actor), \(actor))
                    """)
                outcome.opened += 1
            }
            try Audit.record(tx, actor: actor, action: "certify_open", subject: String(year),
                             detail: ["opened": String(outcome.opened), "carried_over": String(outcome.carriedOver),
                                      "lines_carried": String(outcome.linesCarried), "lines_dropped": String(outcome.linesDropped)])
            return outcome
        }
    }

    /// The SQL condition "this roster line `r` has ended": dates are ISO text
    /// made here from `CivilDate`s (never from input), so they are spliced.
    static func endedClause(first: String, day: String) -> String {
        """
        (r.contract_end IS NOT NULL AND r.contract_end < DATE '\(first)')
        OR EXISTS (SELECT 1 FROM placement p JOIN opening o ON o.opening_id = p.opening_id
                   WHERE o.employer_credit_code = r.credit_code AND left(p.certificate_no, 18) = r.person_key
                     AND p.end_date IS NOT NULL AND p.end_date <= DATE '\(day)'
                     AND NOT EXISTS (SELECT 1 FROM placement q JOIN opening o2 ON o2.opening_id = q.opening_id
                                     WHERE o2.employer_credit_code = r.credit_code
                                       AND left(q.certificate_no, 18) = r.person_key
                                       AND (q.end_date IS NULL OR q.end_date > DATE '\(day)')))
        """
    }

    /// Each employer's declaration for `year` (employers without one too).
    public static func status(_ c: Connection, year: Int) throws -> [StatusLine] {
        var reasons: [String: [(person: String, reason: String)]] = [:]
        for row in try c.query("""
            SELECT r.credit_code, r.person_key, r.reason FROM declaration_row_reason r
            JOIN declaration d ON d.credit_code = r.credit_code AND d.year = r.year AND d.state = 'returned'
            WHERE r.year = \(year) AND r.given_at = (SELECT max(given_at) FROM declaration_row_reason x
                                                      WHERE x.credit_code = r.credit_code AND x.year = r.year)
            ORDER BY r.credit_code, r.person_key
            """) {
            reasons[try row.string("credit_code"), default: []].append((try row.string("person_key"), try row.string("reason")))
        }
        return try c.query("""
            SELECT e.credit_code, e.name, e.town_code, d.state, d.return_reason,
                   (SELECT count(*) FROM roster r WHERE r.credit_code = e.credit_code AND r.year = \(year)) AS lines,
                   (SELECT v.letter_no FROM declaration_version v
                     WHERE v.credit_code = e.credit_code AND v.year = \(year) AND v.reopened_at IS NULL
                     ORDER BY v.version DESC LIMIT 1) AS letter_no,
                   (SELECT count(*) FROM declaration_reminder m WHERE m.credit_code = e.credit_code AND m.year = \(year)) AS reminders
            FROM employer e LEFT JOIN declaration d ON d.credit_code = e.credit_code AND d.year = \(year)
            ORDER BY e.town_code, e.credit_code
            """).map { row in
            StatusLine(creditCode: try row.string("credit_code"), name: try row.string("name"), townCode: try row.string("town_code"),
                       state: try row.optionalString("state").flatMap(DeclarationState.init(rawValue:)),
                       lines: try row.int("lines"), returnReason: try row.optionalString("return_reason"),
                       letterNo: try row.optionalString("letter_no"), remindersSent: try row.int("reminders"),
                       rowReasons: reasons[try row.string("credit_code")] ?? [])
        }
    }

    /// What a change did.
    public struct Change: Sendable {
        public var from: DeclarationState
        public var to: DeclarationState
        /// Set by an approval.
        public var letter: Letter?
        public init(from: DeclarationState, to: DeclarationState, letter: Letter?) { self.from = from; self.to = to; self.letter = letter }
    }

    /// Whether an employer with this credit code exists.
    public static func employerExists(_ tx: Connection, code: String) throws -> Bool {
        try tx.query("SELECT 1 FROM employer WHERE credit_code = \(code)").count > 0
    }

    /// The declaration's state, its row locked for the change (nil: not opened).
    public static func lockDeclaration(_ tx: Connection, code: String, year: Int) throws -> DeclarationState? {
        guard let row = try tx.query("""
            SELECT state FROM declaration WHERE credit_code = \(code) AND year = \(year) FOR UPDATE
            """).first else { return nil }
        return DeclarationState(rawValue: try row.string("state"))
    }

    /// The declaration is submitted.
    public static func submit(_ tx: Connection, code: String, year: Int, actor: String) throws {
        try tx.query("""
            UPDATE declaration SET state = 'submitted', updated_at = now(), updated_by = \(actor)
            WHERE credit_code = \(code) AND year = \(year)
            """)
    }

    /// The declaration is given back with `reason`, and a reason for each of `rowReasons`' lines
    /// (throws `Refused.unknownRow` for a person not on it).
    public static func giveBack(_ tx: Connection, code: String, year: Int, reason: String,
                                rowReasons: [(person: String, reason: String)], actor: String) throws {
        for (person, why) in rowReasons {
            let key = String(person.uppercased().prefix(18))
            guard try tx.query("""
                SELECT 1 FROM roster WHERE credit_code = \(code) AND year = \(year) AND person_key = \(key)
                """).count > 0 else { throw Refused.unknownRow(Masking.identifier(person)) }
            try tx.query("""
                INSERT INTO declaration_row_reason (credit_code, year, person_key, reason, given_by)
                VALUES (\(code), \(year), \(key), \(why), \(actor))
                """)
        }
        try tx.query("""
            UPDATE declaration SET state = 'returned', return_reason = \(reason), updated_at = now(), updated_by = \(actor)
            WHERE credit_code = \(code) AND year = \(year)
            """)
    }

    /// What an approval froze.
    public struct Approved: Sendable {
        public var letterNumber: String
        public var reviewID: Int64
        public var version: Int
    }

    /// The declaration is approved: a new version freezes the stored review
    /// `reviewVersion` and the roster, with the letter's number and verification code.
    public static func approve(_ tx: Connection, code: String, year: Int, reviewVersion: Int, levyFen: Int64?, rewardFen: Int64?,
                               today: CivilDate, lateReason late: String?, actor: String) throws -> Approved {
        let reviewID = try tx.query("""
            SELECT review_id FROM review WHERE credit_code = \(code) AND year = \(year) AND version = \(reviewVersion)
            """)[0].int64("review_id")
        let version = try tx.query("""
            SELECT coalesce(max(version), 0) + 1 AS v FROM declaration_version WHERE credit_code = \(code) AND year = \(year)
            """)[0].int("v")
        let seq = try tx.query("SELECT nextval('confirmation_letter_seq') AS n")[0].int("n")
        let number = letterNumber(year: year, sequence: seq)
        let vcode = LetterCode.verification(number: number, creditCode: code, year: year, levyFen: levyFen, rewardFen: rewardFen)
        try tx.query("""
            INSERT INTO declaration_version (credit_code, year, version, review_id, roster, letter_no, verification_code,
                                             approved_on, approved_by, late_reason)
            SELECT \(code), \(year), \(version), \(reviewID),
                   coalesce((SELECT jsonb_agg(to_jsonb(r) - 'created_at' - 'updated_at' ORDER BY r.person_key)
                             FROM roster r WHERE r.credit_code = \(code) AND r.year = \(year)), '[]'::jsonb),
                   \(number), \(vcode), \(today.description)::date, \(actor), \(late)
            """)
        try tx.query("""
            UPDATE declaration SET state = 'approved', return_reason = NULL, updated_at = now(), updated_by = \(actor)
            WHERE credit_code = \(code) AND year = \(year)
            """)
        return Approved(letterNumber: number, reviewID: reviewID, version: version)
    }

    /// The approved version is reopened and the declaration is a draft again.
    public static func reopen(_ tx: Connection, code: String, year: Int, reason: String?, actor: String) throws {
        try tx.query("""
            UPDATE declaration_version SET reopened_at = now(), reopened_by = \(actor), reopen_reason = \(reason ?? "")
            WHERE credit_code = \(code) AND year = \(year) AND reopened_at IS NULL
            """)
        try tx.query("""
            UPDATE declaration SET state = 'draft', updated_at = now(), updated_by = \(actor)
            WHERE credit_code = \(code) AND year = \(year)
            """)
    }

    /// The letter's number: the year and a sequence shared by all years, so a
    /// number is never issued twice (`2024-00007`).
    public static func letterNumber(year: Int, sequence: Int) -> String {
        let s = String(sequence)
        return "\(year)-" + String(repeating: "0", count: max(0, 5 - s.count)) + s
    }

    /// The latest approved version of `employer`'s declaration for `year` (the
    /// one in force, or the newest reopened one), with its stored review.
    public static func letter(_ c: Connection, employer: String, year: Int) throws -> Letter {
        let code = employer.uppercased()
        guard let row = try c.query("""
            SELECT v.credit_code, e.name, v.year, v.version, v.letter_no, v.verification_code,
                   v.approved_on::text AS approved_at, v.approved_by,
                   v.review_id, rv.version AS review_version, rv.result::text AS result, rv.levy_fen, rv.reward_fen,
                   (v.reopened_at IS NULL) AS current
            FROM declaration_version v JOIN employer e ON e.credit_code = v.credit_code
            JOIN review rv ON rv.review_id = v.review_id
            WHERE v.credit_code = \(code) AND v.year = \(year)
            ORDER BY v.version DESC LIMIT 1
            """).first else { throw Refused.noLetter(employer: code, year: year) }
        return Letter(creditCode: try row.string("credit_code"), employerName: try row.string("name"), year: try row.int("year"),
                      version: try row.int("version"), letterNo: try row.string("letter_no"),
                      verificationCode: try row.string("verification_code"), approvedAt: try row.string("approved_at"),
                      approvedBy: try row.string("approved_by"), reviewID: try row.int64("review_id"),
                      reviewVersion: try row.int("review_version"), reviewJSON: try row.string("result"),
                      levyFen: try row.optionalInt64("levy_fen"), rewardFen: try row.optionalInt64("reward_fen"),
                      current: try row.bool("current"))
    }

    /// Every approved employer's letter for `year` (the tax bureau's list), in credit-code order.
    public static func approvedLetters(_ c: Connection, year: Int) throws -> [Letter] {
        try c.query("""
            SELECT credit_code FROM declaration WHERE year = \(year) AND state = 'approved' ORDER BY credit_code
            """).map { try letter(c, employer: try $0.string("credit_code"), year: year) }
    }

    /// The employer-year figures of `year` behind the tax list (staff, wages).
    public static func employerYear(_ c: Connection, employer: String, year: Int) throws -> (employees: String, totalWagesFen: Int64)? {
        guard let row = try c.query("""
            SELECT employees::text AS employees, total_wages_fen FROM employer_year WHERE credit_code = \(employer) AND year = \(year)
            """).first else { return nil }
        return (try row.string("employees"), try row.int64("total_wages_fen"))
    }

    /// Records that staff sent a reminder to each employer on `day`.
    public static func recordReminders(_ c: Connection, employers: [String], year: Int, day: CivilDate, channel: String,
                                       actor: String) throws {
        try c.transaction { tx in
            for e in employers {
                // One reminder per employer, year, day and channel: the same record again adds none.
                try tx.query("""
                    INSERT INTO declaration_reminder (credit_code, year, sent_on, channel, sent_by)
                    SELECT \(e), \(year), \(day.description)::date, \(channel), \(actor)
                    WHERE NOT EXISTS (SELECT 1 FROM declaration_reminder
                                      WHERE credit_code = \(e) AND year = \(year) AND sent_on = \(day.description)::date
                                        AND channel = \(channel))
                    """)
            }
            try Audit.record(tx, actor: actor, action: "certify_remind", subject: String(year),
                             detail: ["employers": String(employers.count), "channel": channel, "on": day.description])
        }
    }
}
