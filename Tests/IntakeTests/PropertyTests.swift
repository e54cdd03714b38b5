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

    @Test("rows validated on several threads give the events of one thread, in file order")
    func parallelBatches() throws {
        var rng = SplitMix64(seed: 7)
        var lines = [seekerHeaderEN]
        for i in 0..<6_000 {
            let id = residentID(born: "19\(60 + i / 900 % 40)0101", sequence: String(100 + i % 900))
            var fields = seekerRow(certificate(id), name: "张三").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if Int.random(in: 0..<10, using: &rng) == 0 {
                Self.spoilers.randomElement(using: &rng)!.1(&fields)
            }
            lines.append(fields.joined(separator: ","))
            if i % 1000 == 999 { lines.append(lines[lines.count - 500]) }  // a duplicate key now and then
        }
        let bytes = csv(lines)
        func events(parallelism: Int) throws -> [String] {
            var v = IntakeValidator(kind: .seekers, file: "s.csv", today: today, references: known)
            v.parallelism = parallelism
            var out: [String] = []
            var offset = 0
            let summary = try v.run(chunks: {
                guard offset < bytes.count else { return nil }
                defer { offset += 10_000 }
                return Array(bytes[offset..<min(bytes.count, offset + 10_000)])
            }) { event in
                switch event {
                case .header: out.append("header")
                case .accepted(let r, let raw): out.append("\(raw.row) ok \(r.key)")
                case .rejected(let errors, let raw, let key): out.append("\(raw.row) bad \(key ?? "-") \(errors.map(\.description))")
                }
            }
            out.append("\(summary.accepted) \(summary.rejected)")
            return out
        }
        let one = try events(parallelism: 1), four = try events(parallelism: 4)
        #expect(one.count == 6_008)
        #expect(one.filter { $0.contains("duplicate key") }.count == 6)
        #expect(four == one)
    }

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
