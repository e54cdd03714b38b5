// Small lookups the matching rules need from Domain's vocabulary.

extension DisabilityCategory {
    /// The category whose English code (`vision` … `multiple`, any case) or
    /// Chinese label (视力 … 多重) is `text`, or nil. The policy book's demand
    /// table names categories this way (CONTRACT.md §3, E4).
    public init?(codeOrLabel text: some StringProtocol) {
        let t = text.lowercased()
        guard let c = DisabilityCategory.allCases.first(where: { $0.code == t || $0.label == text }) else { return nil }
        self = c
    }
}
