import Domain
import Foundation
import Quota
import Testing

@Suite("Review JSON written as text")
struct ReviewJSONTextTests {
    /// A district with a levy, an exemption, a reward, a missing employer-year and bad rows.
    static func reviews() throws -> [EmployerReview] {
        let employers = (1...5).map { Fixture.employer($0) } + [Fixture.employer(6, type: .institution)]
        let years = [
            Fixture.employerYear(1, employees: 430, wages: 26_660_000), Fixture.employerYear(2, employees: 20, wages: 900_000),
            Fixture.employerYear(3, employees: 100, wages: 6_000_000), Fixture.employerYear(6, employees: 30, wages: 1_500_000),
            Fixture.employerYear(5, employees: 0, wages: 0),
        ]
        let rosters = Fixture.rows(1, count: 3, grade: 3, firstSerial: 100) + Fixture.rows(3, count: 4, grade: 1, firstSerial: 200)
            + [Fixture.roster(2, certificate: "41030719850615001X99", months: 0)]
        return try Fixture.review(employers, years, rosters)
    }

    @Test("the text form equals the Encodable form, masked and unmasked")
    func sameAsEncodable() throws {
        for unmasked in [false, true] {
            for r in try Self.reviews() {
                let encoder = JSONEncoder()
                encoder.userInfo[.unmaskedIdentifiers] = unmasked
                let viaEncoder = try JSONSerialization.jsonObject(with: encoder.encode(r)) as! NSDictionary
                let viaText = try JSONSerialization.jsonObject(with: Data(ReviewJSONText.object(r, unmasked: unmasked).utf8)) as! NSDictionary
                #expect(viaEncoder == viaText, "\(r.creditCode.value)")
            }
        }
    }

    @Test("the stored form names parameter rows by key, jurisdiction and valid_from only")
    func referenceForm() throws {
        let r = try #require(try Self.reviews().first { $0.status == .reviewed })
        let object = try JSONSerialization.jsonObject(with: Data(ReviewJSONText.object(r, parameters: .reference).utf8)) as! [String: Any]
        let steps = object["trace"] as! [[String: Any]]
        let params = steps.flatMap { $0["parameters"] as! [[String: Any]] }
        #expect(!params.isEmpty)
        #expect(params.allSatisfy { Set($0.keys) == ["key", "jurisdiction", "valid_from"] })
    }

    @Test("strings are escaped as JSON requires")
    func escaping() throws {
        let r = try #require(try Self.reviews().first)
        let text = ReviewJSONText.object(r)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }
}
