import Testing
import Domain
@testable import Intake

@Suite("Field parsers")
struct FieldParserTests {
    @Test("a column's ordinal is its place among all columns")
    func columnOrdinals() {
        #expect(Column.allCases.map(\.ordinal) == Array(Column.allCases.indices))
    }

    @Test("lists split the same on the ASCII path and the general one", arguments: [
        ("a;b; c ;;d", ["a", "b", "c", "d"]), ("computer；massage、typing", ["computer", "massage", "typing"]),
        ("电脑;按摩", ["电脑", "按摩"]), (" ; ", []), ("x", ["x"]),
    ])
    func listPaths(_ input: String, _ expected: [String]) throws {
        #expect(try FieldParser.list(input) == expected)
    }

    @Test("booleans in any case", arguments: zip(
        ["1", "0", "true", "FALSE", "Yes", "no", "Y", "n", "是", "否", " yes "],
        [true, false, true, false, true, false, true, false, true, false, true]))
    func booleans(_ text: String, _ expected: Bool) throws {
        #expect(try FieldParser.boolean(text) == expected)
    }

    @Test("not a boolean", arguments: ["2", "yess", "对", "", "t"])
    func badBooleans(_ text: String) {
        #expect(throws: FieldError.self) { try FieldParser.boolean(text) }
    }

    @Test("the three date forms", arguments: zip(
        ["2025-03-01", "2025/3/1", "2025/03/01", "2025年3月1日", "2024-2-29", " 2025年12月31日 "],
        [(2025, 3, 1), (2025, 3, 1), (2025, 3, 1), (2025, 3, 1), (2024, 2, 29), (2025, 12, 31)]))
    func dates(_ text: String, _ ymd: (Int, Int, Int)) throws {
        #expect(try FieldParser.date(text) == CivilDate(year: ymd.0, month: ymd.1, day: ymd.2))
    }

    @Test("not a date", arguments: ["2025.03.01", "25/3/1", "2025-03/01", "2025年3月", "2025年3月1", "03/01/2025",
                                    "2025-003-01", "2025-03-01 10:00", "", "二〇二五年三月一日"])
    func badDateShapes(_ text: String) {
        #expect(ruleText { try FieldParser.date(text) } == "must be a date such as 2025-03-01, 2025/3/1 or 2025年3月1日")
    }

    @Test("not a real calendar date", arguments: ["2025-02-29", "2025/2/30", "2025年13月1日", "2025-04-31", "2025-00-10"])
    func unrealDates(_ text: String) {
        #expect(ruleText { try FieldParser.date(text) } == "is not a real calendar date")
    }

    @Test("money: yuan with at most two decimals → exact fen", arguments: zip(
        ["2100", "2,100.50", "0.01", "1,234,567.8", "0", " 99.99 ", "+5"],
        [Int64(210_000), 210_050, 1, 123_456_780, 0, 9_999, 500]))
    func money(_ text: String, _ fen: Int64) throws {
        #expect(try FieldParser.money(text) == Fen(fen))
    }

    @Test("not money", arguments: ["2100.555", "21,00", "2,1000", "1,,000", ".5", "5.", "¥100", "1e3", "", "abc", "12 000"])
    func badMoney(_ text: String) {
        #expect(throws: FieldError.self) { try FieldParser.money(text) }
    }

    @Test("money is never negative")
    func negativeMoney() {
        #expect(ruleText { try FieldParser.money("-1.00") } == "must not be negative")
    }

    @Test("decimals are exact rationals", arguments: zip(["36.5", "1,204.25", "0.333", "7"],
                                                          [Rational(73, 2), Rational(120_425, 100), Rational(333, 1000), Rational(7)]))
    func decimals(_ text: String, _ expected: Rational) throws {
        #expect(try FieldParser.decimal(text) == expected)
    }

    @Test("not a decimal", arguments: ["-1", "3,5", "x", "1.2.3"])
    func badDecimals(_ text: String) {
        #expect(throws: FieldError.self) { try FieldParser.decimal(text) }
    }

    @Test("integers within a range", arguments: zip(["0", "12", " 7 "], [0, 12, 7]))
    func integers(_ text: String, _ expected: Int) throws {
        #expect(try FieldParser.integer(text, in: 0...12) == expected)
    }

    @Test("integers outside a range or not whole", arguments: zip(
        ["13", "-1", "1.5", "x", "99999999999999999999"],
        ["must be between 0 and 12", "must be between 0 and 12", "must be a whole number", "must be a whole number", "must be a whole number"]))
    func badIntegers(_ text: String, _ rule: String) {
        #expect(ruleText { try FieldParser.integer(text, in: 0...12) } == rule)
    }

    @Test("an open-ended range says at least")
    func atLeast() {
        #expect(ruleText { try FieldParser.integer("0", in: 1...Int.max) } == "must be at least 1")
    }

    @Test("lists split on ; ； 、, trimmed, empties dropped", arguments: zip(
        ["a;b", "a；b", "a、b", " a ; ;b；、c ", "", "单"],
        [["a", "b"], ["a", "b"], ["a", "b"], ["a", "b", "c"], [], ["单"]]))
    func lists(_ text: String, _ expected: [String]) throws {
        #expect(try FieldParser.list(text) == expected)
    }

    @Test("a list holds at most 50 items")
    func longList() throws {
        #expect(try FieldParser.list((1...50).map(String.init).joined(separator: ";")).count == 50)
        #expect(ruleText {
            try FieldParser.list((1...51).map(String.init).joined(separator: ";"))
        } == "lists have at most 50 items, found 51")
    }

    @Test("names at most 50 characters, texts at most 200, counted as characters not bytes")
    func lengths() throws {
        let fifty = String(repeating: "䶮", count: 50)
        #expect(try FieldParser.name(fifty) == fifty)
        #expect(ruleText { try FieldParser.name(fifty + "a") } == "names are at most 50 characters, found 51")
        let twoHundred = String(repeating: "𠀀", count: 200)
        #expect(try FieldParser.text(twoHundred) == twoHundred)
        #expect(ruleText { try FieldParser.text(twoHundred + "x") } == "texts are at most 200 characters, found 201")
        #expect(ruleText { try FieldParser.name("  ") } == "must not be empty")
    }

    @Test("free text is kept exactly as given", arguments: [
        "'); DROP TABLE seekers;--", " 前后空格 ", "😀👩‍👩‍👧", "say \"hi\"", "𠀀䶮", "tab\tinside",
    ])
    func textAsGiven(_ text: String) throws {
        #expect(Array(try FieldParser.text(text).utf8) == Array(text.utf8))
    }

    @Test("enumerations by English code (any case) or Chinese label", arguments: zip(
        ["seeking", "求职", "EMPLOYED", " 暂停 "], [SeekerStatus.seeking, .seeking, .employed, .inactive]))
    func enumerations(_ text: String, _ expected: SeekerStatus) throws {
        #expect(try FieldParser.enumeration(text, as: SeekerStatus.self) == expected)
    }

    @Test("an unknown enumerated value lists the spellings")
    func badEnumeration() throws {
        #expect(ruleText {
            try FieldParser.enumeration("looking", as: SeekerStatus.self)
        } == "must be one of seeking/求职, employed/已就业, inactive/暂停")
        #expect(throws: FieldError.self) { try FieldParser.enumerationList("dibao;rich", as: SupportFlag.self) }
        #expect(try FieldParser.enumerationList("低保、dibao；监测户", as: SupportFlag.self) == [.dibao, .monitored])
    }

    @Test("job categories by code or name against the table passed in")
    func categories() throws {
        let table = CategoryTable(JobCategory.seeded + [JobCategory(code: "tea_picker", name: "采茶工")])
        #expect(try FieldParser.category("cleaner_rural", in: table) == "cleaner_rural")
        #expect(try FieldParser.category("乡村保洁员", in: table) == "cleaner_rural")
        #expect(try FieldParser.category("Courier", in: table) == "courier")
        #expect(try FieldParser.category("采茶工", in: table) == "tea_picker")
        #expect(throws: FieldError.self) { try FieldParser.category("tea_picker", in: CategoryTable(JobCategory.seeded)) }
        #expect(throws: FieldError.self) { try FieldParser.category("astronaut", in: table) }
    }
}

@Suite("Identities")
struct IdentityTests {
    @Test("good resident IDs, including a check character x read as X")
    func goodIDs() throws {
        // 11010519491231002X is the standard's own example.
        #expect(try FieldParser.residentID("11010519491231002x", today: today).value == "11010519491231002X")
        #expect(try FieldParser.residentID(residentID(), today: today).birthDate == CivilDate(year: 1980, month: 1, day: 1))
    }

    @Test("bad resident IDs name their rule", arguments: zip(
        [withBadCheck(residentID()), residentID(born: "19990230"), residentID(born: "20300101"),
         "4103071980010100A", "4103071980010100AX"],
        ["check character does not match (GB 11643)", "birth date is not a real date", "birth date is in the future",
         "must be 18 characters, found 17", "character 17 is not allowed here"]))
    func badIDs(_ text: String, _ rule: String) {
        #expect(ruleText { try FieldParser.residentID(text, today: today) } == rule)
    }

    @Test("good certificates: categories 1–7, grades 1–4, reissue suffix kept apart")
    func goodCertificates() throws {
        let c = try FieldParser.certificate(certificate(category: 7, grade: 4) + "B1", today: today)
        #expect(c.reissue == 1)
        #expect(c.key == certificate(category: 7, grade: 4))
        let x = residentID(sequence: "002")
        #expect(try FieldParser.certificate(certificate(x, category: 1, grade: 1), today: today).grade == 1)
    }

    @Test("bad certificates name their rule", arguments: zip(
        [certificate(category: 0), certificate(category: 8), certificate(grade: 0), certificate(grade: 5),
         certificate() + "B", certificate(withBadCheck(residentID())), certificate(residentID(born: "19800230")),
         certificate(residentID(born: "20260101")), "11010519491231002X4"],
        ["disability category must be 1–7", "disability category must be 1–7", "disability grade must be 1–4",
         "disability grade must be 1–4", "reissue suffix must be B followed by a number",
         "check character does not match (GB 11643)", "birth date is not a real date", "birth date is in the future",
         "must be 20 characters, found 19"]))
    func badCertificates(_ text: String, _ rule: String) {
        #expect(ruleText { try FieldParser.certificate(text, today: today) } == rule)
    }

    @Test("credit codes: good (lower case accepted), bad check character, bad alphabet")
    func creditCodes() throws {
        #expect(try FieldParser.creditCode(employer.lowercased()).value == employer)
        #expect(ruleText { try FieldParser.creditCode(badCreditCode()) } == "check character does not match (GB 32100)")
        #expect(ruleText { try FieldParser.creditCode("91410300IA44ABCD1X") } == "character 9 is not allowed here")
        #expect(ruleText { try FieldParser.creditCode(String(employer.dropLast())) } == "must be 18 characters, found 17")
    }
}

/// The rule a parser throws, in Intake's own words (`IntakeRule.text`); nil when it does not throw.
func ruleText<T>(_ f: () throws -> T) -> String? {
    do { _ = try f(); return nil } catch let e as FieldError { return e.rule.text } catch { return "not a FieldError: \(error)" }
}
