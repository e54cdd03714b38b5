import Domain
import Testing

@Suite("Exact money and rationals")
struct ExactArithmeticTests {
    @Test("rationals stay exact and in lowest terms")
    func lowestTerms() {
        let r = Rational(430) * Rational(decimal: "0.016")!
        #expect(r == Rational(688, 100))
        #expect(r.decimalString() == "6.88")
        #expect(Rational(1, 3).decimalString() == "0.333333")
        #expect(Rational(2, 3).decimalString() == "0.666667")
        #expect(Rational(4, 430).decimalString() == "0.009302")
        #expect((Rational(1, 3) + Rational(1, 6)) == Rational(1, 2))
        #expect(Rational(-7, 2).floor() == -4)
        #expect(Rational(7, 2).floor() == 3)
    }

    @Test("decimal strings parse exactly", arguments: [("0.016", 16, 1000), ("430", 430, 1), ("-12.5", -25, 2), (".5", 1, 2), ("7.", 7, 1)])
    func parseDecimal(text: String, n: Int, d: Int) {
        #expect(Rational(decimal: text) == Rational(Int128(n), Int128(d)))
    }

    @Test("malformed decimals are refused", arguments: ["", "-", "1.2.3", "1e5", "12a", " 1"])
    func refuseDecimal(text: String) {
        #expect(Rational(decimal: text) == nil)
    }

    @Test("money rounds once, half up, to the fen")
    func roundingHalfUp() {
        #expect(Fen(roundingYuan: Rational(decimal: "2.885")!) == Fen(289))
        #expect(Fen(roundingYuan: Rational(decimal: "2.884")!) == Fen(288))
        #expect(Fen(roundingYuan: Rational(decimal: "-2.885")!) == Fen(-289))
        // The POLICY.md worked example: 2.88 × 62,000 × 0.9.
        let levy = Rational(decimal: "2.88")! * Rational(62_000) * Rational(decimal: "0.9")!
        #expect(Fen(roundingYuan: levy).grouped == "160,704.00")
        #expect(Fen(roundingYuan: levy).description == "160704.00")
    }

    @Test("fixed and percent formatting")
    func formatting() {
        #expect(Rational(4, 430).percent(places: 3) == "0.930%")
        #expect(Rational(decimal: "2.88")!.fixed(2) == "2.88")
        #expect(Rational(3).fixed(2) == "3.00")
        #expect(Fen(5).description == "0.05")
        #expect(Fen(-5).description == "-0.05")
    }
}
