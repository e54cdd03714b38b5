import Domain
import Testing
@testable import Matching

@Suite("Matching policy from the policy book")
struct RulesPolicyTests {
    static func book(_ overrides: [String: String] = [:], drop: Set<String> = []) -> PolicyBook {
        var values: [String: String] = [
            "working_age.min": "16", "working_age.max.male": "59", "working_age.max.female": "54",
            "capacity.partial.max_hours": "30",
        ]
        for (d, row) in DemandTable.contractDefaultRows { values[DemandTable.key(for: d)] = row }
        for (k, v) in overrides { values[k] = v }
        return PolicyBook(values.filter { !drop.contains($0.key) }.map {
            PolicyParameter(key: $0.key, jurisdiction: "CN", validFrom: Fx.day("2000-01-01"), value: $0.value,
                            source: "test", status: .placeholder)
        })
    }

    @Test func whenTheBookHoldsTheContractDefaultsThePolicyEqualsThem() throws {
        let p = try MatchingPolicy(book: Self.book(), jurisdiction: "CN-41-4103-410307", date: Fx.runDate)
        #expect(p == MatchingPolicy.contractDefaults)
    }

    @Test func whenAValueChangesThePolicyFollows() throws {
        let p = try MatchingPolicy(book: Self.book(["working_age.max.female": "59", "demand.walking": "physical:all; intellectual:1,3",
                                                   "priority.graduate_years": "2", "scoring.education_wanted": "office:college"]),
                                   jurisdiction: "CN", date: Fx.runDate, minimumMonthlyWage: Fen(yuan: 2100))
        #expect(p.workingAgeMaxFemale == 59)
        #expect(p.demandTable.failing[.walking] == [.physical: [1, 2, 3, 4], .intellectual: [1, 3]])
        #expect(p.demandTable.encodedRow(.walking) == "physical:1-4;intellectual:1,3")
        #expect(p.priorityGraduateYears == 2)
        #expect(p.educationWanted == ["office": .college])
        #expect(p.minimumMonthlyWage == Fen(yuan: 2100))
    }

    @Test func whenAKeyIsMissingReadingThrows() {
        #expect(throws: PolicyError.missing(key: "demand.speech", jurisdiction: "CN", date: Fx.runDate)) {
            try MatchingPolicy(book: Self.book(drop: ["demand.speech"]), jurisdiction: "CN", date: Fx.runDate)
        }
    }

    @Test(arguments: ["vision:0-3", "sight:1", "vision", "vision:3-1", "vision:1-5"])
    func whenADemandRowIsMalformedReadingThrows(_ row: String) {
        #expect(throws: PolicyError.self) {
            try MatchingPolicy(book: Self.book(["demand.vision": row]), jurisdiction: "CN", date: Fx.runDate)
        }
    }

    @Test func defaultRowsRoundTrip() throws {
        for d in Demand.allCases {
            let row = DemandTable.contractDefaults.encodedRow(d)
            #expect(try DemandTable.parseRow(row, key: "k") == DemandTable.contractDefaults.failing[d])
        }
        #expect(DemandTable.contractDefaults.encodedRow(.speech) == "hearing:1;speech:1-2;multiple:1-4")
        #expect(try DemandTable.parseRow("none", key: "k").isEmpty)
    }
}
