/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded random generator.
///
/// Property tests, benchmarks and generators draw from it so that every run
/// with the same seed sees the same data; the seed is printed on failure. The
/// pure modules never use unseeded randomness.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; the seed at start.
    public var state: UInt64

    /// A generator starting at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
