/// Why a proposal could not be confirmed (App's `Confirm` decides, Render words
/// it). Seekers are named by their masked certificate number.
public enum ConfirmRefusalReason: Sendable, Hashable {
    case noSuchProposal
    case alreadyConfirmed(at: String)
    /// A later run of the same region exists.
    case superseded(run: Int64, by: Int64, region: String)
    /// The seeker or the opening is no longer in the run's region.
    case goneFromRegion(seeker: String, opening: String, region: String)
    /// Another proposal of the same confirmation places the seeker.
    case placedByAnother(seeker: String)
    /// A rule of CONTRACT.md §3 fails on the start date: `rule` is `E3`, `ruleName` and `detail` its Chinese words.
    case noLongerEligible(seeker: String, opening: String, day: CivilDate, rule: String, ruleName: String, code: String, detail: String)
    case noSlotLeft(opening: String, day: CivilDate, slots: Int)
    /// The run's region (or its data for the start date) is gone.
    case regionGone
}
