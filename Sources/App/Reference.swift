import Domain
import Postgres
import Store

/// Reference data and records staff keep by hand (issue 12): job categories,
/// ending a placement, possible duplicate seekers. Each is one audited write
/// in Store's `ReferenceStore`.
public enum Reference {
    /// Adds a job category.
    public static func addCategory(_ c: Connection, code: String, name: String, demands: [Demand], kindDefault: OpeningKind?,
                                   actor: String) throws {
        try ReferenceStore.addCategory(c, code: code, name: name, demands: demands, kindDefault: kindDefault, actor: actor)
    }

    /// Ends the seeker's active placement in `opening` on `date`.
    public static func endPlacement(_ c: Connection, certificateKey: String, opening: String, date: CivilDate,
                                    reason: ReferenceStore.EndReason, actor: String) throws -> ReferenceStore.Ended {
        try ReferenceStore.endPlacement(c, certificateKey: certificateKey, opening: opening, date: date, reason: reason, actor: actor)
    }

    /// Pairs of records that may be one person: the unresolved ones, or every pair with `all`.
    public static func duplicates(_ c: Connection, all: Bool) throws -> [ReferenceStore.DuplicatePair] {
        try ReferenceStore.duplicates(c, all: all)
    }

    /// Records staff's decision on a pair: the same person, or two people.
    public static func resolveDuplicate(_ c: Connection, _ x: String, _ y: String, same: Bool, actor: String) throws {
        try ReferenceStore.resolveDuplicate(c, x, y, same: same, actor: actor)
    }
}
