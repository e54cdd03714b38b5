import Domain

/// Fast decimal text for the trace: the same strings as `Rational.decimalString`
/// and `Rational.fixed` (half up, away from zero), computed in 64-bit integers
/// whenever the numbers fit, which for review figures is always. Measured with
/// ReviewBench: the 128-bit general path took about 60 % of a review's CPU time.
extension Rational {
    /// `decimalString(places:)`, fast.
    public func text(places: Int = 6) -> String { format(places: places, fixed: false) }

    /// `fixed(_:)`, fast: exactly `places` decimals.
    public func fixedText(_ places: Int) -> String { format(places: places, fixed: true) }

    /// `percent(places:)`, fast: `0.930%`.
    public func percentText(places: Int = 3) -> String { (self * Rational(100)).format(places: places, fixed: true) + "%" }

    private static let powers: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    private func format(places: Int, fixed: Bool) -> String {
        guard places >= 0, places < Rational.powers.count,
              let n = Int64(exactly: numerator), let d = Int64(exactly: denominator),
              n.magnitude < 9_000_000_000_000 else {
            return fixed ? self.fixed(places) : decimalString(places: places)
        }
        let scale = Rational.powers[places]
        let (q, r) = (n.magnitude * scale).quotientAndRemainder(dividingBy: d.magnitude)
        let m = q + (2 * r >= d.magnitude ? 1 : 0)
        var whole = m / scale, frac = m % scale
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        if n < 0 && m != 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        repeat { digits.append(UInt8(ascii: "0") + UInt8(whole % 10)); whole /= 10 } while whole > 0
        bytes.append(contentsOf: digits.reversed())
        if places > 0 {
            var fracDigits = [UInt8](repeating: UInt8(ascii: "0"), count: places)
            var i = places - 1
            while frac > 0 { fracDigits[i] = UInt8(ascii: "0") + UInt8(frac % 10); frac /= 10; i -= 1 }
            if !fixed { while let last = fracDigits.last, last == UInt8(ascii: "0") { fracDigits.removeLast() } }
            if !fracDigits.isEmpty { bytes.append(UInt8(ascii: ".")); bytes.append(contentsOf: fracDigits) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
