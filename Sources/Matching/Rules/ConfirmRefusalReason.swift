import Domain

/// Why a proposal was not confirmed (`jobmatch confirm`, the front desk's 409):
/// one case per check, with its facts; Render words it. Identities are masked
/// before they go in.
public enum ConfirmRefusalReason: Hashable, Sendable, CustomStringConvertible {
    /// No proposal has this id.
    case noSuchProposal
    /// Confirmed before, at this time.
    case alreadyConfirmed(at: String)
    /// A later run of the same region exists.
    case superseded(run: Int64, by: Int64, region: String)
    /// The seeker or the opening is no longer in the run's region.
    case goneFromRegion(seeker: String, opening: String, region: String)
    /// Another proposal of the same command places this seeker.
    case placedByAnotherProposal(seeker: String)
    /// The pair no longer passes a rule on the start date.
    case noLongerEligible(seeker: String, opening: String, on: CivilDate, ExclusionReason)
    /// Every slot of the opening is taken on the start date.
    case noSlotLeft(opening: String, on: CivilDate, slots: Int)
    /// The run's region, or its data for the start date, is gone (the front desk's 409).
    case regionGone

    /// A short code for developers and logs (no personal data).
    public var description: String {
        switch self {
        case .noSuchProposal: "no_such_proposal"
        case .alreadyConfirmed: "already_confirmed"
        case .superseded: "superseded"
        case .goneFromRegion: "gone_from_region"
        case .placedByAnotherProposal: "placed_by_another_proposal"
        case .noLongerEligible(_, _, _, let r): "no_longer_eligible \(r)"
        case .noSlotLeft: "no_slot_left"
        case .regionGone: "region_gone"
        }
    }
}
