/// What `explain --seeker` says about one seeker, read from a stored run.
public struct SeekerExplanation: Sendable, Equatable {
    /// An opening as staff know it.
    public struct OpeningLabel: Sendable, Equatable {
        public var id: String
        public var category: String
        public var town: String
        /// The opening's kind as stored (its code; Render words it).
        public var kind: String
        public var title: String?
        public init(id: String, category: String, town: String, kind: String, title: String?) {
            self.id = id; self.category = category; self.town = town; self.kind = kind; self.title = title
        }
    }
    /// A score part as stored in `proposal.score_parts`.
    public struct Part: Sendable, Equatable {
        public var label: String
        public var points: Int
        public var maximum: Int
        public var detail: String
        public init(label: String, points: Int, maximum: Int, detail: String) {
            self.label = label; self.points = points; self.maximum = maximum; self.detail = detail
        }
    }
    /// The run explained.
    public struct Run: Sendable, Equatable {
        public var runID: Int64
        public var region: String
        public var date: String
        public init(runID: Int64, region: String, date: String) { self.runID = runID; self.region = region; self.date = date }
    }
    /// What the seeker got.
    public enum Outcome: Sendable, Equatable {
        /// A proposal: id, opening, score, stored reasons (without the score
        /// parts, which `parts` carries), confirmation time if confirmed.
        case proposed(proposalID: Int64, opening: OpeningLabel, score: Int, reasons: [String], parts: [Part], confirmedAt: String?)
        /// Unmatched with the stored reason code and text.
        case unmatched(reason: String, detail: String)
        /// Not a candidate of the run: E1 refused.
        case excludedByE1(Exclusion)
        /// Not in a run: no run yet, or E1 admits them yet the run does not hold them.
        case notInRun(Absence)
    }

    /// Why E1 kept the seeker out of the run; Render words it.
    public enum Exclusion: Sendable, Equatable {
        /// The seeker's status is not `seeking`.
        case notSeeking(SeekerStatus)
        /// A placement in `opening` was active on the run's `date`.
        case alreadyPlaced(opening: String, date: String)
    }

    /// Why no run speaks of the seeker; Render words it.
    public enum Absence: Sendable, Equatable {
        /// No run has been made in the seeker's region.
        case noRunYet
        /// E1 admits the seeker, yet the run of `region` does not hold them.
        case notHeld(region: String)
    }

    public var certificateKey: String
    public var name: String
    /// nil when no run has been made in the seeker's region.
    public var run: Run?
    public var outcome: Outcome
    /// Other eligible openings of the seeker in the run, best score first (at most 5).
    public var alternatives: [(opening: OpeningLabel, score: Int)]

    public init(certificateKey: String, name: String, run: Run?, outcome: Outcome, alternatives: [(opening: OpeningLabel, score: Int)]) {
        self.certificateKey = certificateKey; self.name = name; self.run = run; self.outcome = outcome; self.alternatives = alternatives
    }

    public static func == (a: SeekerExplanation, b: SeekerExplanation) -> Bool {
        a.certificateKey == b.certificateKey && a.name == b.name && a.run == b.run && a.outcome == b.outcome
            && a.alternatives.map(\.opening) == b.alternatives.map(\.opening) && a.alternatives.map(\.score) == b.alternatives.map(\.score)
    }
}
