/// Something an import tells but does not refuse: Intake's warnings and what the
/// seekers import found about people it already knows (Store's identity checks).
/// Identities are masked before they go in; Render words each case.
public enum ImportWarning: Sendable, Hashable, CustomStringConvertible {
    /// A header's or a row's warning.
    case intake(IntakeWarning)
    /// A row carries a certificate number replaced for the same person: not loaded.
    case certificateReplaced(old: String, current: String)
    /// The certificate of the person with this (masked) resident ID changed: a new category or grade.
    case certificateChanged(residentID: String)
    /// Two records with one name and birth date but different resident IDs: not merged.
    case possibleDuplicate(String, String)
    /// More of one kind than are listed, counted.
    case more(Int, Listed)

    /// The kinds listed one by one up to a bound.
    public enum Listed: Sendable, Hashable { case replacedCertificates, changedCertificates, possibleDuplicates }

    /// The words outside Render (tests, logs); people read Render's.
    public var description: String {
        switch self {
        case .intake(let w): w.description
        case .certificateReplaced(let old, let current):
            "certificate \(old) was replaced by \(current) for the same person; its row was not loaded"
        case .certificateChanged(let rid):
            "certificate for \(rid) changed (a new category or grade); the newer certificate replaces the old one"
        case .possibleDuplicate(let a, let b):
            "possible duplicate: \(a) and \(b) have the same name and birth date but different resident IDs; not merged — check them (table possible_duplicate)"
        case .more(let n, .replacedCertificates): "… and \(n) more rows with a replaced certificate, not loaded"
        case .more(let n, .changedCertificates): "… and \(n) more certificates changed (table seeker_certificate_history)"
        case .more(let n, .possibleDuplicates): "… and \(n) more possible duplicates (table possible_duplicate)"
        }
    }
}
