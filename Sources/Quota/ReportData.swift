import Domain

/// What `jobmatch report --year Y` shows; made by App's `Report` from `ReportStore`'s rows.
public struct ReportData: Sendable {
    /// Placements starting in a year, in a town (the opening's), of a kind.
    public struct PlacementCount: Sendable, Hashable {
        public var year: Int
        public var town: String
        public var kind: OpeningKind
        public var count: Int
        public init(year: Int, town: String, kind: OpeningKind, count: Int) { self.year = year; self.town = town; self.kind = kind; self.count = count }
    }
    /// An employer's latest review of Y.
    public struct EmployerRatio: Sendable, Hashable {
        public var name: String
        public var creditCode: String
        /// ρ = D / N; nil when not reviewed (no employer-year, no staff).
        public var ratio: Rational?
        public var levy: Fen?
        public var reward: Fen?
        public init(name: String, creditCode: String, ratio: Rational?, levy: Fen?, reward: Fen?) {
            self.name = name; self.creditCode = creditCode; self.ratio = ratio; self.levy = levy; self.reward = reward
        }
    }
    public var year: Int
    /// The year whose quota review is shown: Y, or the latest reviewed year
    /// before it (Y's review is made in Y+1); nil when none.
    public var reviewYear: Int?
    /// The district's name (the top region); nil when no region is loaded.
    public var district: String?
    public var placements: [PlacementCount]
    /// Zero-employment households lifted, by year.
    public var householdsLifted: [Int: Int]
    public var employers: [EmployerRatio]
    /// The quota ratio in force for Y (Henan: 0.016).
    public var quotaRatio: Rational
    /// Levy and reward totals of the latest reviews, by reviewed year.
    public var totals: [Int: (levy: Fen, reward: Fen)]
    public var indicators: [PlanIndicators.Indicator]

    public init(year: Int, reviewYear: Int?, district: String?, placements: [PlacementCount], householdsLifted: [Int: Int], employers: [EmployerRatio],
                quotaRatio: Rational, totals: [Int: (levy: Fen, reward: Fen)], indicators: [PlanIndicators.Indicator]) {
        self.year = year; self.reviewYear = reviewYear; self.district = district; self.placements = placements; self.householdsLifted = householdsLifted
        self.employers = employers; self.quotaRatio = quotaRatio; self.totals = totals; self.indicators = indicators
    }
}
