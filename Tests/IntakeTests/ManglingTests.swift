import Testing
import Domain
@testable import Intake

/// Identities a spreadsheet mangled are row errors in Chinese that name the column and the fix (issue 15).
@Suite("Spreadsheet-mangled identities")
struct ManglingTests {
    static let rosterHeader = "credit_code,year,certificate_no,contract_start,months_paid,lowest_monthly_wage"
    static let veteranHeader = "credit_code,year,veteran_certificate_no,resident_id,contract_start,months_paid,lowest_monthly_wage"

    /// The one error of a one-row file's only row.
    func onlyError(_ kind: ImportKind, _ header: String, _ row: String) throws -> RowError {
        let r = try run(kind, csv([header, row]))
        #expect(r.accepted.isEmpty, "\(row) was accepted")
        let errors = r.rejected.first?.errors ?? []
        #expect(errors.count == 1, "\(errors)")
        return try #require(errors.first)
    }

    func expectFix(_ e: RowError, column: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(e.column == column, sourceLocation: sourceLocation)
        #expect(e.rule.text.contains(words), "\(e.rule.text)", sourceLocation: sourceLocation)
        #expect(e.rule.text.contains("文本") && e.rule.text.contains(".xlsx"), "\(e.rule.text)", sourceLocation: sourceLocation)
    }

    @Test("the issue's roster: a certificate saved as 4.10307199301132E+019 is refused at import, the E+ shown")
    func issueRoster() throws {
        let e = try onlyError(.rosters, Self.rosterHeader, "\(employer),2024,4.10307199301132E+019,2019-12-14,12,2400")
        expectFix(e, column: "certificate_no", "科学计数法")
        #expect(e.rule.text.contains("4.1030…E+019"), "\(e.rule.text)")
        #expect(e.description.contains("row 2"))
        // No more of the person than masking shows.
        #expect(!e.description.contains("41030719"))
    }

    @Test("scientific notation on seekers, in the certificate and the phone column")
    func scientificSeekers() throws {
        let e = try onlyError(.seekers, seekerHeaderEN, seekerRow("4.10307198001010E+19"))
        expectFix(e, column: "certificate_no", "科学计数法")
        let p = try onlyError(.seekers, seekerHeaderEN, seekerRow(phone: "1.38E+10"))
        expectFix(p, column: "phone", "科学计数法")
        #expect(p.rule.text.contains("1.38E+10"))
    }

    @Test("digit strings of the wrong length, on seekers and rosters")
    func wrongLength() throws {
        let cert19 = String(certificate().dropFirst())
        expectFix(try onlyError(.seekers, seekerHeaderEN, seekerRow(cert19)), column: "certificate_no", "只有 19 位数字")
        expectFix(try onlyError(.rosters, Self.rosterHeader, "\(employer),2024,\(cert19),2019-12-14,12,2400"),
                  column: "certificate_no", "只有 19 位数字")
        let id17 = String(residentID(sequence: "003").dropFirst())
        expectFix(try onlyError(.rosters, Self.veteranHeader, "\(employer),2024,军123,\(id17),2019-12-14,12,2400"),
                  column: "resident_id", "有 17 位数字")
    }

    @Test("a certificate number whose last five digits a spreadsheet zeroed")
    func zeroedCertificate() throws {
        let zeroed = String(certificate().prefix(15)) + "00000"
        expectFix(try onlyError(.seekers, seekerHeaderEN, seekerRow(zeroed)), column: "certificate_no", "末尾 5 位都是 0")
        expectFix(try onlyError(.rosters, Self.rosterHeader, "\(employer),2024,\(zeroed),2019-12-14,12,2400"),
                  column: "certificate_no", "末尾 5 位都是 0")
    }

    /// A resident ID ending in 000 whose check character is (`passes`) or is not 0.
    static func paddedID(passes: Bool) -> String {
        for day in 1...28 {
            for first in 0...9 {
                let head = "410307" + "198001" + (day < 10 ? "0\(day)" : "\(day)") + "\(first)00"
                if (ResidentID.checkCharacter(for: Array(head.utf8)) == "0") == passes { return head + (passes ? "0" : "0") }
            }
        }
        fatalError("no such ID")
    }

    @Test("a resident ID ending in 000: an error when the check fails, a warning naming the row when it passes")
    func paddedResidentID() throws {
        let bad = Self.paddedID(passes: false)
        expectFix(try onlyError(.rosters, Self.veteranHeader, "\(employer),2024,军123,\(bad),2019-12-14,12,2400"),
                  column: "resident_id", "末尾 3 位都是 0")
        let good = Self.paddedID(passes: true)
        #expect((try? ResidentID(good)) != nil)
        var v = IntakeValidator(kind: .rosters, file: "r.csv", today: today, references: known)
        var accepted = 0
        try v.feed(csv([Self.veteranHeader, "\(employer),2024,军123,\(good),2019-12-14,12,2400"])) { if case .accepted = $0 { accepted += 1 } }
        let summary = try v.finish { if case .accepted = $0 { accepted += 1 } }
        #expect(accepted == 1)
        #expect(summary.warnings.count == 1)
        #expect(summary.warnings.first?.description.hasPrefix("r.csv row 2, column resident_id: 身份证号末尾 3 位都是 0") == true,
                "\(summary.warnings)")
        // The same on a seeker's certificate.
        var s = IntakeValidator(kind: .seekers, file: "s.csv", today: today, references: known)
        try s.feed(csv([seekerHeaderEN, seekerRow(certificate(good))])) { _ in }
        #expect(try s.finish { _ in }.warnings.map(\.row) == [2])
    }

    @Test("a landline that lost its leading zero, and a number written back with .0")
    func phones() throws {
        expectFix(try onlyError(.seekers, seekerHeaderEN, seekerRow(phone: "3796543210")), column: "phone", "开头缺了 0")
        expectFix(try onlyError(.seekers, seekerHeaderEN, seekerRow(phone: "13812345678.0")), column: "phone", "小数点")
        for ok in ["03796543210", "13812345678", "0379-6543210", "65432100", "13812345678转8"] {
            #expect(try run(.seekers, csv([seekerHeaderEN, seekerRow(phone: ok)])).accepted.count == 1, "\(ok)")
        }
    }

    @Test("credit codes: scientific notation and all-digit codes of the wrong length")
    func creditCodes() throws {
        expectFix(try onlyError(.rosters, Self.rosterHeader, "1.24103813213455E+017,2024,\(certificate()),2019-12-14,12,2400"),
                  column: "credit_code", "科学计数法")
        expectFix(try onlyError(.employers, "credit_code,name,town_code,type", "12410381321345528,某厂,\(town),企业"),
                  column: "credit_code", "有 17 位数字")
    }

    @Test("full-width (全角) digits and letters are normalised before validation")
    func fullWidth() throws {
        let ascii = certificate(residentID(born: "19800101", sequence: "00"+"2"))
        let wide = String(String.UnicodeScalarView(ascii.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        let a = try run(.seekers, csv([seekerHeaderEN, seekerRow(ascii)]))
        let w = try run(.seekers, csv([seekerHeaderEN, seekerRow(wide, phone: "１３８１２３４５６７８")]))
        #expect(w.accepted.count == 1, "\(w.rejected.map(\.errors))")
        guard case .seeker(let s)? = w.accepted.first, case .seeker(let t)? = a.accepted.first else { return }
        #expect(s.certificate == t.certificate && s.phone == "13812345678")
        // The identity type itself counts characters, as its message says.
        let wideID = String(String.UnicodeScalarView(residentID().unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        #expect(throws: IdentityError.badCharacter(position: 1)) { try ResidentID(wideID) }
        #expect(throws: IdentityError.wrongLength(expected: 18, actual: 17)) { try ResidentID(String(wideID.dropLast())) }
    }

    @Test("a cell a workbook stores as a number is refused in an identity column, whatever it holds")
    func numericCells() throws {
        var v = IntakeValidator(kind: .seekers, file: "s.xlsx", today: today, references: known)
        var errors: [RowError] = []
        let header = seekerHeaderEN.split(separator: ",").map(String.init)
        let row = seekerRow().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        try v.feed(record: CSVRecord(fields: header, row: 1)) { _ in }
        try v.feed(record: CSVRecord(fields: row, row: 4, numericCells: [0])) { if case .rejected(let e, _, _) = $0 { errors += e } }
        try v.feed(record: CSVRecord(fields: row, row: 5, numericCells: [11])) { if case .rejected(let e, _, _) = $0 { errors += e } }
        _ = try v.finish { if case .rejected(let e, _, _) = $0 { errors += e } }
        #expect(errors.count == 1)
        #expect(errors.first?.row == 4 && errors.first?.column == "certificate_no")
        #expect(errors.first?.rule == .mangled(.numericCell))
    }
}
