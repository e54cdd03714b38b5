// The yearly certification of employers' declarations (按比例安排残疾人就业
// 情况年审), as pure values: the declaration's states, the events staff and
// employers cause, and the rule that decides each event. No clock, no I/O:
// the store hands in "today" and the window, and performs what is allowed.
//
//              submit                 approve
//     draft ──────────▶ submitted ──────────────▶ approved
//                        │    ▲                     │
//          return(reason)│    │submit               │reopen (admin, reason)
//                        ▼    │                     ▼
//                       returned               draft (the approved version
//                                                 and its letter are kept)
//
// An approval after the window closes needs an admin and a reason; a return
// always needs a reason; an approved declaration is changed only by reopening.

import Checksum
import Domain

/// Where one employer's declaration for one year stands.
public enum DeclarationState: String, Sendable, Hashable, CaseIterable {
    /// Opened (carried over from last year's approved roster) and being filled in.
    case draft
    /// Handed in by the employer; waiting for the center.
    case submitted
    /// Sent back by the center with reasons; the employer corrects and submits again.
    case returned
    /// Checked and approved: the review is frozen and the 审核确认书 issued.
    case approved

    /// The Chinese label staff read.
    public var label: String {
        switch self {
        case .draft: "草稿"
        case .submitted: "已申报"
        case .returned: "已退回"
        case .approved: "已审核"
        }
    }
}

/// Something that happens to a declaration.
public enum DeclarationEvent: Sendable, Hashable {
    /// The employer (or staff for it) hands the declaration in.
    case submit
    /// The center sends it back; `reason` is what to correct (whole or per row).
    case giveBack(reason: String)
    /// The center approves it on `date`; `admin` and `reason` matter only after the window.
    case approve(admin: Bool, reason: String?)
    /// An admin reopens an approved declaration, with a reason.
    case reopen(admin: Bool, reason: String?)
}

/// Why an event was refused. Each case is one rule; the CLI words it.
public enum CertificationRefusal: Error, Sendable, Hashable {
    /// Approving or submitting a declaration that is already approved.
    case alreadyApproved
    /// Approving or returning a declaration that has not been submitted.
    case notSubmitted(DeclarationState)
    /// Submitting a declaration that is already submitted.
    case alreadySubmitted
    /// A return without a reason.
    case returnNeedsReason
    /// An approval after the window closed, without an admin or without a reason.
    case lateApprovalNeedsAdminAndReason(closedOn: CivilDate)
    /// Reopening a declaration that is not approved.
    case reopenNeedsApproved(DeclarationState)
    /// Reopening without an admin or without a reason.
    case reopenNeedsAdminAndReason
}

/// Why a change was refused (nothing was written). Render words each case.
public enum DeclarationRefused: Error, Sendable, Hashable {
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

/// The window a jurisdiction sets for declaring one year: from `opens` through `closes`.
public struct CertificationWindow: Sendable, Hashable {
    /// First day declarations are taken.
    public let opens: CivilDate
    /// Last day (inclusive).
    public let closes: CivilDate

    public init(opens: CivilDate, closes: CivilDate) {
        self.opens = opens
        self.closes = closes
    }

    /// Days left to declare on `date`, counting `date` and the closing day:
    /// 2026-06-30 closing, on 2026-06-30 one day is left; after it, 0.
    /// Before the window opens it is the whole window plus the wait.
    public func daysLeft(on date: CivilDate) -> Int { max(0, date.daysInclusive(through: closes)) }

    /// True after the closing day.
    public func isClosed(on date: CivilDate) -> Bool { closes < date }

    /// The window for the declarations of `year` (the reviewed year) from the
    /// policy book: `certification.window_opens` and `certification.window_closes`
    /// hold a month and day (`MM-DD`) of the year after the reviewed year,
    /// read as in force on 1 January of that year. Example: for 2024 with
    /// `03-01` and `06-30`, the window is 2025-03-01 … 2025-06-30.
    public static func forYear(_ year: Int, book: PolicyBook, jurisdiction: String) throws -> (window: CertificationWindow, sources: [PolicyParameter]) {
        let asOf = CivilDate.startOf(year: year + 1)
        let o = try book.parameter(openKey, jurisdiction: jurisdiction, on: asOf)
        let c = try book.parameter(closeKey, jurisdiction: jurisdiction, on: asOf)
        guard let opens = monthDay(o.value, year: year + 1), let closes = monthDay(c.value, year: year + 1), !(closes < opens) else {
            throw PolicyError.malformed(key: openKey, value: "\(o.value)…\(c.value)", expected: "MM-DD through a later MM-DD")
        }
        return (CertificationWindow(opens: opens, closes: closes), [o, c])
    }

    /// Policy key of the opening day (`MM-DD` of the year after the reviewed year).
    public static let openKey = "certification.window_opens"
    /// Policy key of the closing day (`MM-DD`, inclusive).
    public static let closeKey = "certification.window_closes"

    static func monthDay(_ text: String, year: Int) -> CivilDate? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let m = Int(parts[0]), let d = Int(parts[1]) else { return nil }
        return CivilDate(year: year, month: m, day: d)
    }
}

/// The rule of the certification: given a declaration's state, an event, the
/// window and today, the next state or the refusal.
public enum CertificationMachine {
    /// Decides `event` on a declaration in `state`.
    public static func apply(_ event: DeclarationEvent, to state: DeclarationState, window: CertificationWindow,
                             today: CivilDate) -> Result<DeclarationState, CertificationRefusal> {
        switch (event, state) {
        case (.submit, .approved): return .failure(.alreadyApproved)
        case (.submit, .submitted): return .failure(.alreadySubmitted)
        case (.submit, .draft), (.submit, .returned): return .success(.submitted)

        case (.giveBack(let reason), .submitted):
            return isBlank(reason) ? .failure(.returnNeedsReason) : .success(.returned)
        case (.giveBack(let reason), _):
            if isBlank(reason) { return .failure(.returnNeedsReason) }
            return .failure(state == .approved ? .alreadyApproved : .notSubmitted(state))

        case (.approve, .approved): return .failure(.alreadyApproved)
        case (.approve(let admin, let reason), .submitted):
            if window.isClosed(on: today) && (!admin || isBlank(reason ?? "")) {
                return .failure(.lateApprovalNeedsAdminAndReason(closedOn: window.closes))
            }
            return .success(.approved)
        case (.approve, _): return .failure(.notSubmitted(state))

        case (.reopen(let admin, let reason), .approved):
            return admin && !isBlank(reason ?? "") ? .success(.draft) : .failure(.reopenNeedsAdminAndReason)
        case (.reopen, _): return .failure(.reopenNeedsApproved(state))
        }
    }

    static func isBlank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }
}

/// The verification code printed on a 审核确认书: the first 12 hex digits of
/// SHA-256 over the letter's number, the employer's credit code, the year and
/// the frozen levy and reward in fen, so anyone holding the stored review can
/// check a printed letter. Example: `YS-2024-0001|914…|2024|levy|reward`.
public enum LetterCode {
    public static func verification(number: String, creditCode: String, year: Int, levyFen: Int64?, rewardFen: Int64?) -> String {
        let text = "\(number)|\(creditCode)|\(year)|\(levyFen.map(String.init) ?? "-")|\(rewardFen.map(String.init) ?? "-")"
        return String(SHA256.hex(Array(text.utf8)).prefix(12)).uppercased()
    }
}
