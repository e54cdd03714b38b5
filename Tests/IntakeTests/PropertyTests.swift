import Testing
import Domain
@testable import Intake

@Suite("Properties")
struct PropertyTests {
    /// Ways to spoil a seeker row; each must make the row rejected.
    static let spoilers: [(String, @Sendable (inout [String]) -> Void)] = [
        ("bad check character", { $0[0] = certificate(withBadCheck(String($0[0].prefix(18)))) }),
        ("category 8", { $0[0] = String($0[0].prefix(18)) + "82" }),
        ("blank name", { $0[1] = "" }),
        ("unknown town", { $0[2] = "000000000" }),
        ("unknown household", { $0[3] = "H404" }),
        ("bad education", { $0[4] = "幼儿园" }),
        ("bad intention", { $0[6] = "astronaut" }),
        ("future registration", { $0[10] = "2030-01-01" }),
        ("Feb 30", { $0[10] = "2025/2/30" }),
        ("stray value", { $0.append("extra") }),
    ]

    @Test("a random mix of good and bad seeker rows accepts exactly the good ones, in order",
          arguments: [UInt64(1), 42, 20_250_601, 0xDEAD_BEEF])
    func goodRowsExactly(_ seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var lines = [seekerHeaderEN]
        var expectedGood: [String] = []
        var expectedBadRows: [Int] = []
        var trace: [String] = []
        for i in 0..<300 {
            let id = residentID(born: "19\(60 + Int.random(in: 0...39, using: &rng))0\(Int.random(in: 1...9, using: &rng))1\(Int.random(in: 0...9, using: &rng))",
                                sequence: String(100 + i))
            let cert = certificate(id, category: Int.random(in: 1...7, using: &rng), grade: Int.random(in: 1...4, using: &rng))
            var fields = seekerRow(cert, name: ["张三", "䶮", "𠀀明", "O'Brien"].randomElement(using: &rng)!)
                .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if Bool.random(using: &rng) {
                let (what, spoil) = Self.spoilers.randomElement(using: &rng)!
                spoil(&fields)
                expectedBadRows.append(lines.count + 1)
                trace.append("row \(lines.count + 1): \(what)")
            } else {
                expectedGood.append(cert)
            }
            lines.append(fields.joined(separator: ","))
        }
        let r = try run(.seekers, csv(lines, crlf: Bool.random(using: &rng)))
        let good = r.accepted.map(\.key)
        #expect(good == expectedGood, "seed \(seed)")
        #expect(r.rejected.map(\.raw.row) == expectedBadRows, "seed \(seed); spoiled: \(trace.prefix(10))")
        #expect(r.rejected.allSatisfy { !$0.errors.isEmpty }, "seed \(seed)")
    }
}
