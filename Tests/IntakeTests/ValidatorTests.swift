import Testing
import Domain
@testable import Intake

let seekerHeaderEN = "certificate_no,name,town_code,household_id,education,skills,intentions,work_capacity,flags,status,registered_on,phone"
let seekerHeaderZH = "残疾人证号,姓名,镇街代码,家庭编号,文化程度,技能,求职意向,劳动能力,帮扶标记,求职状态,登记日期,联系电话"

func seekerRow(_ cert: String = certificate(), name: String = "张三", town t: String = town, household: String = "H001",
               education: String = "初中", skills: String = "typing;driving", intentions: String = "cleaner_rural、文员",
               capacity: String = "部分", flags: String = "低保", status: String = "", registered: String = "2025/3/1",
               phone: String = "13812345678") -> String {
    [cert, name, t, household, education, skills, intentions, capacity, flags, status, registered, phone].joined(separator: ",")
}

@Suite("Headers")
struct HeaderTests {
    @Test("Chinese and English headers in any order give the same records")
    func anyOrderAnyLanguage() throws {
        let en = try run(.seekers, csv([seekerHeaderEN, seekerRow()]))
        let zh = try run(.seekers, csv([seekerHeaderZH, seekerRow()]))
        // Same columns, reversed order, mixed languages and case.
        let cols = seekerHeaderEN.split(separator: ",").map(String.init)
        let zhCols = seekerHeaderZH.split(separator: ",").map(String.init)
        let mixed = cols.indices.reversed().map { $0 % 2 == 0 ? cols[$0].uppercased() : zhCols[$0] }
        let values = seekerRow().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let reversed = try run(.seekers, csv([mixed.joined(separator: ","), values.reversed().joined(separator: ",")]))
        #expect(en.accepted.count == 1)
        #expect(en.accepted == zh.accepted)
        #expect(reversed.accepted == en.accepted)
        #expect(!en.header.headersAreChinese && en.header.reasonColumn == "reason")
        #expect(zh.header.headersAreChinese && zh.header.reasonColumn == "错误原因")
        guard case .seeker(let s) = en.accepted.first else { Issue.record("not a seeker"); return }
        #expect(s.capacity == .partial && s.status == .seeking && s.flags == [.dibao])
        #expect(s.intentions == ["cleaner_rural", "office"])
        #expect(s.registeredOn == CivilDate(year: 2025, month: 3, day: 1))
    }

    @Test("a BOM and spaces around header cells are ignored")
    func bomAndSpaces() throws {
        let r = try run(.seekers, Array("\u{FEFF} 残疾人证号 , Name ,town_code\n\(certificate()),张三,\(town)\n".utf8))
        #expect(r.header.names == ["残疾人证号", "Name", "town_code"])
        #expect(r.header.columns == ["certificate_no", "name", "town_code"])
        #expect(r.accepted.count == 1)
    }

    @Test("every missing required column is reported, and rejects the file")
    func missingColumns() {
        #expect(throws: FileError(file: "seekers.csv", problems: [
            .missingColumn(name: "name", alias: "姓名", alternatives: []),
            .missingColumn(name: "town_code", alias: "镇街代码", alternatives: []),
        ])) { try run(.seekers, csv(["certificate_no,phone", "\(certificate()),1"])) }
    }

    @Test("alternatives: employer-years need employees or monthly_headcounts")
    func alternatives() throws {
        #expect(throws: FileError.self) { try run(.employerYears, csv(["credit_code,year,total_wages"])) }
        #expect(try run(.employerYears, csv(["credit_code,year,monthly_headcounts,total_wages"])).accepted.isEmpty)
    }

    @Test("a forbidden column rejects any kind of file", arguments: ["gender", "Sex", "性别", "ethnicity", "民族", "hukou",
                                                                    "household_registration", "户籍", "户口"])
    func forbidden(_ column: String) {
        for kind in [ImportKind.openings, .seekers] {
            let header = kind == .openings ? "opening_id,kind,category,town_code,slots," + column : seekerHeaderEN + "," + column
            #expect(throws: FileError(file: "\(kind.rawValue).csv", .forbiddenColumn(header: column))) {
                try run(kind, csv([header]))
            }
        }
    }

    @Test("an unknown column is a warning and its values are ignored")
    func unknownColumn() throws {
        let r = try run(.seekers, csv([seekerHeaderEN + ",备注", seekerRow() + ",anything"]))
        #expect(r.header.warnings.map(\.column) == ["备注"])
        #expect(r.accepted.count == 1)
    }

    @Test("a column named twice rejects the file")
    func duplicateColumn() {
        #expect(throws: FileError.self) { try run(.seekers, csv([seekerHeaderEN + ",姓名"])) }
    }

    @Test("an empty file is rejected; a header alone loads nothing and succeeds")
    func emptyFiles() throws {
        #expect(throws: FileError(file: "seekers.csv", .noHeader)) { try run(.seekers, []) }
        #expect(throws: FileError(file: "seekers.csv", .noHeader)) { try run(.seekers, Array("\n,,\n".utf8)) }
        let r = try run(.seekers, csv([seekerHeaderZH]))
        #expect(r.accepted.isEmpty && r.rejected.isEmpty)
    }

    @Test("every kind's aliases are unambiguous and its key columns are columns")
    func schemaSanity() {
        for kind in ImportKind.allCases {
            var seen: [String: String] = [:]
            for c in kind.columns {
                for a in [c.name] + c.aliases {
                    #expect(seen[a] == nil, "\(kind): \(a) names \(seen[a] ?? "") and \(c.name)")
                    seen[a] = c.name
                }
            }
            for k in kind.keyColumns { #expect(kind.columns.contains { $0.name == k && $0.key }) }
        }
        #expect(ImportKind.seekers.columns.first { $0.name == "certificate_no" }?.alias == "残疾人证号")
        #expect(ImportKind.openings.columns.first { $0.name == "employer_credit_code" }?.alias == "统一社会信用代码")
        #expect(ImportKind.employers.columns.first { $0.name == "credit_code" }?.alias == "统一社会信用代码")
        #expect(ImportKind.households.columns.first { $0.name == "town_code" }?.alias == "镇街代码")
        #expect(ImportKind(rawValue: "employer-years") == .employerYears)
    }
}

@Suite("Row rules")
struct RowRuleTests {
    @Test("every error of a row is reported, with masked personal values")
    func allErrorsMasked() throws {
        let bad = withBadCheck(residentID())
        let r = try run(.seekers, csv([seekerHeaderEN,
                                       seekerRow(certificate(bad), name: String(repeating: "张", count: 51), town: "999",
                                                 household: "H404", education: "kindergarten", capacity: "some",
                                                 registered: "2025/2/30", phone: String(repeating: "1", count: 31))]))
        #expect(r.accepted.isEmpty)
        let errors = try #require(r.rejected.first?.errors)
        #expect(errors.map(\.column) == ["certificate_no", "name", "town_code", "household_id", "education",
                                         "work_capacity", "registered_on", "phone"])
        #expect(errors.allSatisfy { $0.row == 2 && $0.file == "seekers.csv" })
        let all = errors.map(\.description).joined(separator: "\n")
        #expect(!all.contains(certificate(bad)) && !all.contains(bad))
        #expect(!all.contains("张张张"))
        #expect(!all.contains(String(repeating: "1", count: 31)))
        #expect(errors[0].description == "seekers.csv row 2, column certificate_no: value 410307********\(certificate(bad).dropFirst(14).prefix(4))** — check character does not match (GB 11643)")
    }

    @Test("a Chinese header names the column as the file spells it")
    func chineseColumnName() throws {
        let r = try run(.seekers, csv([seekerHeaderZH, seekerRow(certificate(category: 8))]))
        #expect(r.rejected.first?.errors.first?.description.hasPrefix("seekers.csv row 2, column 残疾人证号: value 410307") == true)
        #expect(r.rejected.first?.errors.first?.rule.text == "disability category must be 1–7")
    }

    @Test("a key twice in one file is an error on its second row, naming the first")
    func duplicateKey() throws {
        let r = try run(.seekers, csv([seekerHeaderEN, seekerRow(), seekerRow(certificate() + "B1", name: "李四")]))
        #expect(r.accepted.count == 1)
        #expect(r.rejected.first?.raw.row == 3)
        #expect(r.rejected.first?.errors.map(\.rule.text) == ["duplicate key certificate_no: already on row 2"])
    }

    @Test("references that are not loaded are row errors", arguments: [
        (ImportKind.households, "household_id,town_code,employed_members", "H9,999999,0", "town_code"),
        (.seekers, "certificate_no,name,town_code,household_id", "\(certificate()),张三,\(town),H404", "household_id"),
        (.trainings, "certificate_no,course,start_date", "\(certificate(residentID(sequence: "777"))),Excel,2025-01-01", "certificate_no"),
        (.employers, "credit_code,name,town_code,type", "\(employer),某公司,000,企业", "town_code"),
        (.openings, "opening_id,kind,employer_credit_code,category,town_code,slots", "P9,quota,\(creditCode("91410300MA44YYYY1")),office,\(town),1", "employer_credit_code"),
        (.employerYears, "credit_code,year,employees,total_wages", "\(creditCode("91410300MA44YYYY1")),2024,10,100000", "credit_code"),
        (.rosters, "credit_code,year,certificate_no,contract_start,months_paid,lowest_monthly_wage", "\(creditCode("91410300MA44YYYY1")),2024,ABC,2024-01-01,12,2000", "credit_code"),
        (.placements, "certificate_no,opening_id,start_date", "\(certificate()),P404,2025-01-01", "opening_id"),
        (.placements, "certificate_no,opening_id,start_date", "\(certificate(residentID(sequence: "777"))),P001,2025-01-01", "certificate_no"),
    ] as [(ImportKind, String, String, String)])
    func missingReferences(_ kind: ImportKind, _ header: String, _ row: String, _ column: String) throws {
        let r = try run(kind, csv([header, row]))
        #expect(r.accepted.isEmpty)
        #expect(r.rejected.first?.errors.map(\.column) == [column])
        #expect(r.rejected.first?.errors.first?.rule.text.contains("is loaded") == true)
    }

    @Test("ranges", arguments: [
        (ImportKind.openings, "opening_id,kind,category,town_code,slots", "P9,general,office,\(town),0", "slots", "must be at least 1"),
        (.households, "household_id,town_code,employed_members", "H9,\(town),-1", "employed_members", "must be between 0 and 100"),
        (.rosters, "credit_code,year,certificate_no,establishment,months_paid,lowest_monthly_wage", "\(employer),2024,ABC,是,13,2000", "months_paid", "must be between 0 and 12"),
        (.openings, "opening_id,kind,category,town_code,slots,min_age,max_age", "P9,general,office,\(town),1,50,30", "max_age", "max_age is below min_age (50)"),
        (.openings, "opening_id,kind,category,town_code,slots", "P9,quota,office,\(town),1", "employer_credit_code", "a quota opening needs the employer's credit code"),
        (.openings, "opening_id,kind,category,town_code,slots", "P9,general,astronaut,\(town),1", "category", "is not a job category in the category table"),
        (.rosters, "credit_code,year,certificate_no,contract_start,months_paid,lowest_monthly_wage", "\(employer),2024,\(String(repeating: "1", count: 31)),2024-01-01,12,2000", "certificate_no", "numbers are at most 30 characters, found 31"),
        (.rosters, "credit_code,year,veteran_certificate_no,contract_start,months_paid,lowest_monthly_wage", "\(employer),2024,军123,2024-01-01,12,2000", "resident_id", "a veteran row needs the resident ID"),
        (.rosters, "credit_code,year,certificate_no,contract_start,establishment,months_paid,lowest_monthly_wage", "\(employer),2024,X,,否,12,2000", "contract_start", "a value is required unless establishment is yes"),
        (.employerYears, "credit_code,year,monthly_headcounts,total_wages", "\(employer),2024,1;2;3,100", "monthly_headcounts", "must list 12 monthly headcounts, found 3"),
        (.trainings, "certificate_no,course,start_date,end_date", "\(certificate()),Excel,2025-03-01,2025-02-01", "end_date", "the end date is before the start date"),
        (.employers, "credit_code,name,town_code,type", "\(badCreditCode()),某公司,\(town),企业", "credit_code", "check character does not match (GB 32100)"),
    ] as [(ImportKind, String, String, String, String)])
    func ranges(_ kind: ImportKind, _ header: String, _ row: String, _ column: String, _ rule: String) throws {
        let r = try run(kind, csv([header, row]))
        #expect(r.accepted.isEmpty)
        #expect(r.rejected.first?.errors.map(\.column) == [column])
        #expect(r.rejected.first?.errors.map(\.rule.text) == [rule])
    }

    @Test("openings: defaults for reach by kind and 40 hours; the record is complete")
    func openingDefaults() throws {
        let r = try run(.openings, csv(["岗位编号,岗位类型,统一社会信用代码,岗位类别,岗位名称,工作地点,招聘人数,岗位要求,月工资,开始招聘日期,截止日期",
                                        "W1,公益性岗位,,乡村保洁员,保洁,\(town),3,walking、lifting,\"2,100.50\",2025年1月1日,2025/12/31",
                                        "Q2,quota,\(employer),courier,,\(town),1,,,,"]))
        #expect(r.rejected.isEmpty)
        guard case .opening(let w) = r.accepted[0], case .opening(let q) = r.accepted[1] else { Issue.record("not openings"); return }
        #expect(w.reach == .town && q.reach == .district)
        #expect(w.hoursPerWeek == 40 && w.slots == 3 && w.demands == [.walking, .lifting] && w.category == "cleaner_rural")
        #expect(w.monthlyWage == Fen(210_050) && w.employer == nil && q.employer?.value == employer)
        #expect(r.accepted.map(\.key) == ["W1", "Q2"])
    }

    @Test("employer-years: twelve monthly headcounts make employees their exact mean")
    func monthlyMean() throws {
        let r = try run(.employerYears, csv(["统一社会信用代码,年度,月度人数,职工工资总额",
                                             "\(employer),2024,10;10;10;10;10;10;11;11;11;11;11;12,\"1,200,000.00\""]))
        guard case .employerYear(let y) = r.accepted.first else { Issue.record("rejected: \(r.rejected)"); return }
        #expect(y.employees == Rational(127, 12))
        #expect(y.totalWages == Fen(120_000_000))
        #expect(r.accepted.first?.key == "\(employer)|2024")
    }

    @Test("rosters: key is the person's resident ID from the certificate or the veteran's resident_id")
    func rosterKeys() throws {
        let id = residentID(sequence: "555")
        let r = try run(.rosters, csv(["统一社会信用代码,年度,残疾人证号,残疾军人证号,残疾军人等级,身份证号,合同开始日期,在编,缴费月数,最低月工资,应届高校毕业生",
                                       "\(employer),2024,\(certificate(id)),,,,2024-01-01,否,12,2000,否",
                                       "\(employer),2024,,军字001,5,\(residentID(sequence: "031")),,是,6,2100.5,是",
                                       "\(employer),2024,\(certificate(id, category: 1, grade: 1)),,,,2024-01-01,否,12,2000,否"]))
        #expect(r.accepted.map(\.key) == ["\(employer)|2024|\(id)", "\(employer)|2024|\(residentID(sequence: "031"))"])
        #expect(r.rejected.first?.raw.row == 4)
        #expect(r.rejected.first?.errors.first?.rule.text == "duplicate key credit_code, year, resident_id: already on row 2")
    }

    @Test("trainings and placements: composite keys")
    func compositeKeys() throws {
        let t = try run(.trainings, csv(["残疾人证号,培训项目,技能,开始日期,结束日期,是否结业",
                                         "\(certificate()),电商直播,livestream,2025-01-01,2025-02-01,是",
                                         "\(certificate()),电商直播,livestream,2025-03-01,,否"]))
        #expect(t.accepted.map(\.key) == ["\(certificate())|电商直播|2025-01-01", "\(certificate())|电商直播|2025-03-01"])
        let p = try run(.placements, csv(["certificate_no,opening_id,start_date,monthly_wage,contract_months",
                                          "\(certificate()),P001,2025-01-01,2100,12",
                                          "\(certificate()),P001,2025/1/1,2200,12"]))
        #expect(p.accepted.map(\.key) == ["\(certificate())|P001|2025-01-01"])
        #expect(p.rejected.map(\.raw.row) == [3])
    }

    @Test("regions may name parents and neighbours further down the file or already loaded")
    func regions() throws {
        let r = try run(.regions, csv(["区划代码,名称,上级代码,相邻",
                                       "A1,甲镇,D,A2;B7",
                                       "A2,乙镇,D,A1",
                                       "D,某区,,",
                                       "A3,丙镇,D,ZZ",
                                       "A4,丁镇,A3,"]), references: KnownReferences(towns: ["B7"]))
        #expect(r.accepted.map(\.key) == ["A1", "A2", "D"])
        #expect(r.rejected.map(\.raw.row) == [5, 6])
        #expect(r.rejected.first?.errors.first?.rule.text == "no region with code ZZ is loaded or in this file")
    }
}

@Suite("Hostile and rare text")
struct HostileTextTests {
    static let hostile = ["'); DROP TABLE seekers;--", "😀👩‍👩‍👧 emoji", "say \"hi\", then leave", "𠀀䶮 outside the BMP",
                          "Robert\"); --"]  // a line break in a title is refused since issue 17 (HolesIntakeTests)

    @Test("survives byte for byte, through UTF-8 and GB18030", arguments: hostile)
    func survives(_ text: String) throws {
        let quoted = "\"" + text.replacing("\"", with: "\"\"") + "\""
        let lines = ["opening_id,kind,category,title,town_code,slots", "P1,general,office,\(quoted),\(town),1"]
        let utf8 = try run(.openings, csv(lines))
        guard case .opening(let o) = utf8.accepted.first else { Issue.record("rejected: \(utf8.rejected)"); return }
        #expect(Array(o.title!.utf8) == Array(text.utf8))
        if !text.contains("😀") {  // emoji have GB18030 forms too, but keep the twin to CJK
            let gb = try run(.openings, gb18030(lines.joined(separator: "\n") + "\n"))
            #expect(gb.accepted == utf8.accepted)
        }
    }

    @Test("a GB18030 seekers file loads the same records as its UTF-8 twin")
    func twin() throws {
        let lines = [seekerHeaderZH, seekerRow(name: "䶮"), seekerRow(certificate(residentID(sequence: "013"), category: 1, grade: 1), name: "𠀀明")]
        let utf8 = try run(.seekers, csv(lines))
        let gb = try run(.seekers, gb18030(lines.joined(separator: "\r\n") + "\r\n"))
        #expect(utf8.accepted.count == 2)
        #expect(gb.accepted == utf8.accepted)
    }
}
