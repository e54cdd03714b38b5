/// An amount of money in fen (分, 0.01 yuan), exact.
///
/// Money is never binary floating point: amounts are integer fen, and
/// intermediate products are `Rational` until they are rounded once, half up,
/// to the fen (POLICY.md, "Money is exact").
public struct Fen: Hashable, Comparable, Sendable, CustomStringConvertible, AdditiveArithmetic {
    /// The amount in fen.
    public var value: Int64

    /// Wraps an amount in fen.
    public init(_ value: Int64) { self.value = value }

    /// Whole yuan.
    public init(yuan: Int64) { self.value = yuan * 100 }

    public static var zero: Fen { Fen(0) }
    public static func + (a: Fen, b: Fen) -> Fen { Fen(a.value + b.value) }
    public static func - (a: Fen, b: Fen) -> Fen { Fen(a.value - b.value) }
    public static func < (a: Fen, b: Fen) -> Bool { a.value < b.value }

    /// The amount as an exact number of yuan.
    public var yuan: Rational { Rational(Int128(value), 100) }

    /// Rounds an exact amount of yuan once, half up, to the fen (2.885 → 2.89, −2.885 → −2.89).
    public init(roundingYuan amount: Rational) {
        self.value = Int64((amount * Rational(100)).roundedHalfAwayFromZero())
    }

    /// `160704.00` — plain decimal yuan, as JSON readers and spreadsheets expect.
    public var description: String {
        let sign = value < 0 ? "-" : ""
        let a = value.magnitude
        let cents = a % 100
        return "\(sign)\(a / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// `160,704.00` — yuan with thousands separators, for worksheets people read.
    public var grouped: String {
        let sign = value < 0 ? "-" : ""
        let a = value.magnitude
        var whole = String(a / 100)
        var groups: [String] = []
        while whole.count > 3 {
            groups.insert(String(whole.suffix(3)), at: 0)
            whole = String(whole.dropLast(3))
        }
        groups.insert(whole, at: 0)
        let cents = a % 100
        return "\(sign)\(groups.joined(separator: ",")).\(cents < 10 ? "0" : "")\(cents)"
    }
}
