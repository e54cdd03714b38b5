/// An exact rational number, always in lowest terms with a positive denominator.
///
/// Counts (N, R, D, S, E), ratios and products of the quota review are exact
/// (POLICY.md: "exact decimals (or rationals) for counts, ratios and products;
/// round once, at the end"). 128-bit parts hold every realistic review: wages in
/// fen up to 10^15 times denominators of a few thousand. Overflow traps — a bug
/// or an absurd input, never a silently wrong levy.
public struct Rational: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Numerator, carrying the sign.
    public let numerator: Int128
    /// Denominator, always > 0.
    public let denominator: Int128

    /// `n / d` in lowest terms; `d` must not be zero.
    public init(_ n: Int128, _ d: Int128 = 1) {
        precondition(d != 0, "Rational with zero denominator")
        let g = Rational.gcd(n.magnitude, d.magnitude)
        let s: Int128 = d < 0 ? -1 : 1
        numerator = s * n / Int128(g)
        denominator = s * d / Int128(g)
    }

    /// An integer.
    public init(_ n: Int) { self.init(Int128(n), 1) }

    /// Parses a plain decimal such as `0.016`, `-12.5` or `430` (no exponent, no separators).
    public init?(decimal text: some StringProtocol) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let intPart = parts.first, !(intPart.isEmpty && parts.count == 1) else { return nil }
        let frac = parts.count == 2 ? parts[1] : ""
        guard (intPart + frac).allSatisfy({ $0.isASCII && $0.isNumber }), !(intPart.isEmpty && frac.isEmpty),
              intPart.count + frac.count <= 30 else { return nil }
        let digits = Int128(String(intPart + frac)) ?? 0
        var scale: Int128 = 1
        for _ in 0..<frac.count { scale *= 10 }
        self.init(negative ? -digits : digits, scale)
    }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }

    public static func + (a: Rational, b: Rational) -> Rational {
        let g = Int128(gcd(a.denominator.magnitude, b.denominator.magnitude))
        return Rational(a.numerator * (b.denominator / g) + b.numerator * (a.denominator / g),
                        a.denominator / g * b.denominator)
    }
    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }
    public static prefix func - (a: Rational) -> Rational { Rational(-a.numerator, a.denominator) }
    public static func * (a: Rational, b: Rational) -> Rational {
        // Cross-reduce first so products stay small.
        let g1 = Int128(gcd(a.numerator.magnitude, b.denominator.magnitude))
        let g2 = Int128(gcd(b.numerator.magnitude, a.denominator.magnitude))
        return Rational((a.numerator / g1) * (b.numerator / g2), (a.denominator / g2) * (b.denominator / g1))
    }
    public static func / (a: Rational, b: Rational) -> Rational {
        precondition(b.numerator != 0, "Rational division by zero")
        return a * Rational(b.denominator, b.numerator)
    }
    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// Whether this is a whole number.
    public var isInteger: Bool { denominator == 1 }

    /// The greatest integer ≤ self.
    public func floor() -> Int128 {
        let q = numerator / denominator
        return (numerator % denominator != 0 && numerator < 0) ? q - 1 : q
    }

    /// The nearest integer, halves away from zero (commercial rounding, 四舍五入).
    public func roundedHalfAwayFromZero() -> Int128 {
        let twice = numerator.magnitude * 2 + denominator.magnitude
        let r = Int128(twice / (denominator.magnitude * 2))
        return numerator < 0 ? -r : r
    }

    /// A decimal string with at most `places` decimal places, rounded half up
    /// (away from zero), trailing zeros removed: `6.88`, `0.009302`, `4`.
    /// CONTRACT.md §5: decimal strings carry at most 6 places.
    public func decimalString(places: Int = 6) -> String {
        var scale: Int128 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (self * Rational(scale, 1)).roundedHalfAwayFromZero()
        let sign = scaled < 0 ? "-" : ""
        let m = scaled.magnitude
        let whole = m / UInt128(scale)
        // places 0: no fraction ("0" would be one digit too many and trap below).
        guard places > 0 else { return "\(sign)\(whole)" }
        var frac = String(m % UInt128(scale))
        frac = String(repeating: "0", count: places - frac.count) + frac
        while frac.last == "0" { frac.removeLast() }
        return frac.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(frac)"
    }

    /// A decimal with exactly `places` places (for worksheets: `2.880000` → `2.88` with places 2).
    public func fixed(_ places: Int) -> String {
        let s = decimalString(places: places)
        guard places > 0 else { return s }
        if let dot = s.firstIndex(of: ".") {
            let have = s.distance(from: s.index(after: dot), to: s.endIndex)
            return s + String(repeating: "0", count: places - have)
        }
        return s + "." + String(repeating: "0", count: places)
    }

    /// As a percentage with up to `places` decimals: `0.0093023…` → `0.930%` with places 3.
    public func percent(places: Int = 3) -> String { (self * Rational(100)).fixed(places) + "%" }

    public var description: String { decimalString() }

    /// The larger of two values.
    public static func max(_ a: Rational, _ b: Rational) -> Rational { a < b ? b : a }
    /// The smaller of two values.
    public static func min(_ a: Rational, _ b: Rational) -> Rational { a < b ? a : b }
}
