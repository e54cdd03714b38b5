import Domain
import Foundation
@testable import Quota

/// Test data builders: valid identities made from parts, the policy packs read
/// from the repository's `policy/` directory.
enum Fixture {
    static let yanshi = "CN-41-4103-410307"
    static let town = RegionCode("410307004")

    static func packText(_ name: String) -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policy/\(name).csv")
        return try! String(contentsOf: url, encoding: .utf8)
    }

    static let henanRows: [PolicyParameter] = try! PolicyPacks.parse(csv: packText("henan"))
    static let henan = PolicyBook(henanRows)

    /// The Henan book plus extra rows (a later `valid_from` or a more specific jurisdiction wins).
    static func henan(plus extra: [PolicyParameter]) -> PolicyBook { PolicyBook(henanRows + extra) }

    static func row(_ key: String, _ j: String, _ from: String, _ value: String, to: String? = nil,
                    status: ParameterStatus = .secondary) -> PolicyParameter {
        PolicyParameter(key: key, jurisdiction: j, validFrom: CivilDate(iso: from)!, validTo: to.flatMap { CivilDate(iso: $0) },
                        value: value, source: "test", status: status)
    }

    /// A valid resident ID of Yanshi born on `birth`; `serial` odd for a man.
    static func residentID(born birth: String, serial: Int, area: String = "410307") -> String {
        let digits = birth.replacingOccurrences(of: "-", with: "")
        let s = String(serial % 1000)
        let head = area + digits + String(repeating: "0", count: 3 - s.count) + s
        return head + String(ResidentID.checkCharacter(for: Array(head.utf8)))
    }

    /// A valid 残疾人证号.
    static func certificate(born: String = "1985-06-15", serial: Int = 11, category: Int = 4, grade: Int) -> String {
        residentID(born: born, serial: serial) + "\(category)\(grade)"
    }

    /// A valid credit code ending in `n`.
    static func creditCode(_ n: Int) -> CreditCode {
        let alphabet = CreditCode.alphabet
        var body = ""
        var v = n
        for _ in 0..<7 { body.append(alphabet[v % 31]); v /= 31 }
        let head = Array("9141030700" + body)
        return try! CreditCode(String(head) + String(CreditCode.checkCharacter(for: head)!))
    }

    static func employer(_ n: Int, type: EmployerType = .enterprise, concentrated: Bool = false) -> Employer {
        Employer(creditCode: creditCode(n), name: "测试单位\(n)", town: town, type: type, concentrated: concentrated)
    }

    static func employerYear(_ n: Int, year: Int = 2024, employees: Int, wages: Int64) -> EmployerYear {
        EmployerYear(creditCode: creditCode(n), year: year, employees: Rational(employees), totalWages: Fen(yuan: wages))
    }

    /// A roster row that qualifies for 2024 unless changed.
    static func roster(_ n: Int, year: Int = 2024, certificate: String, months: Int = 12, wage: Int64 = 3000,
                       start: String? = "2020-01-01", end: String? = nil, establishment: Bool = false,
                       newGraduate: Bool = false) -> RosterRow {
        RosterRow(creditCode: creditCode(n), year: year, certificateNo: certificate,
                  contractStart: start.flatMap { CivilDate(iso: $0) }, contractEnd: end.flatMap { CivilDate(iso: $0) },
                  establishment: establishment, monthsPaid: months, lowestMonthlyWage: Fen(yuan: wage), newGraduate: newGraduate)
    }

    /// `count` qualifying 12-month rows of grade `grade` for employer `n`, distinct people.
    static func rows(_ n: Int, count: Int, grade: Int, firstSerial: Int, year: Int = 2024) -> [RosterRow] {
        (0..<count).map { roster(n, year: year, certificate: certificate(serial: firstSerial + 2 * $0, grade: grade)) }
    }

    static func review(_ employers: [Employer], _ years: [EmployerYear], _ rosters: [RosterRow], year: Int = 2024,
                       book: PolicyBook = henan) throws -> [EmployerReview] {
        try QuotaReview.reviewAll(employers: employers, employerYears: years, rosters: rosters, year: year, book: book, jurisdiction: yanshi)
    }
}
