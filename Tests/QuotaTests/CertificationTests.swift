import Domain
import Testing
@testable import Quota

/// The certification's state machine, its window and the follow-up schedule:
/// plain values, no database.
@Suite struct CertificationMachineTests {
    static let window = CertificationWindow(opens: CivilDate(iso: "2025-03-01")!, closes: CivilDate(iso: "2025-06-30")!)
    static let inWindow = CivilDate(iso: "2025-04-15")!
    static let afterWindow = CivilDate(iso: "2025-07-01")!

    struct Case: Sendable, CustomTestStringConvertible {
        let event: DeclarationEvent, from: DeclarationState, on: CivilDate
        let expected: Result<DeclarationState, CertificationRefusal>
        let name: String
        var testDescription: String { name }
    }

    static let table: [Case] = [
        Case(event: .submit, from: .draft, on: inWindow, expected: .success(.submitted), name: "submit a draft"),
        Case(event: .submit, from: .returned, on: inWindow, expected: .success(.submitted), name: "submit again after a return"),
        Case(event: .submit, from: .submitted, on: inWindow, expected: .failure(.alreadySubmitted), name: "submit twice"),
        Case(event: .submit, from: .approved, on: inWindow, expected: .failure(.alreadyApproved), name: "submit after approve"),
        Case(event: .giveBack(reason: "缺少劳动合同"), from: .submitted, on: inWindow, expected: .success(.returned), name: "return with a reason"),
        Case(event: .giveBack(reason: " \n"), from: .submitted, on: inWindow, expected: .failure(.returnNeedsReason), name: "return with a blank reason"),
        Case(event: .giveBack(reason: ""), from: .draft, on: inWindow, expected: .failure(.returnNeedsReason), name: "return a draft without reason"),
        Case(event: .giveBack(reason: "x"), from: .draft, on: inWindow, expected: .failure(.notSubmitted(.draft)), name: "return a draft"),
        Case(event: .giveBack(reason: "x"), from: .approved, on: inWindow, expected: .failure(.alreadyApproved), name: "return an approved one"),
        Case(event: .approve(admin: false, reason: nil), from: .submitted, on: inWindow, expected: .success(.approved), name: "approve in the window"),
        Case(event: .approve(admin: false, reason: nil), from: .submitted, on: window.closes, expected: .success(.approved), name: "approve on the closing day"),
        Case(event: .approve(admin: false, reason: nil), from: .approved, on: inWindow, expected: .failure(.alreadyApproved), name: "approve twice"),
        Case(event: .approve(admin: false, reason: nil), from: .draft, on: inWindow, expected: .failure(.notSubmitted(.draft)), name: "approve a draft"),
        Case(event: .approve(admin: false, reason: nil), from: .returned, on: inWindow, expected: .failure(.notSubmitted(.returned)), name: "approve a returned one"),
        Case(event: .approve(admin: false, reason: "补审"), from: .submitted, on: afterWindow,
             expected: .failure(.lateApprovalNeedsAdminAndReason(closedOn: window.closes)), name: "late approval without an admin"),
        Case(event: .approve(admin: true, reason: nil), from: .submitted, on: afterWindow,
             expected: .failure(.lateApprovalNeedsAdminAndReason(closedOn: window.closes)), name: "late approval without a reason"),
        Case(event: .approve(admin: true, reason: "补审"), from: .submitted, on: afterWindow, expected: .success(.approved), name: "late approval by an admin with a reason"),
        Case(event: .reopen(admin: true, reason: "人数有误"), from: .approved, on: afterWindow, expected: .success(.draft), name: "reopen by an admin"),
        Case(event: .reopen(admin: false, reason: "人数有误"), from: .approved, on: inWindow, expected: .failure(.reopenNeedsAdminAndReason), name: "reopen without an admin"),
        Case(event: .reopen(admin: true, reason: ""), from: .approved, on: inWindow, expected: .failure(.reopenNeedsAdminAndReason), name: "reopen without a reason"),
        Case(event: .reopen(admin: true, reason: "x"), from: .submitted, on: inWindow, expected: .failure(.reopenNeedsApproved(.submitted)), name: "reopen one not approved"),
    ]

    @Test("each event from each state", arguments: table)
    func transition(_ c: Case) {
        #expect(CertificationMachine.apply(c.event, to: c.from, window: Self.window, today: c.on) == c.expected)
    }

    @Test func everyStateHasAChineseLabelAndACode() {
        #expect(DeclarationState.allCases.map(\.label) == ["草稿", "已申报", "已退回", "已审核"])
        #expect(DeclarationState.allCases.map(\.rawValue) == ["draft", "submitted", "returned", "approved"])
    }

    @Test(arguments: zip(["2025-02-01", "2025-03-01", "2025-06-29", "2025-06-30", "2025-07-01"], [150, 122, 2, 1, 0]))
    func daysLeftCountTodayAndTheClosingDay(day: String, left: Int) {
        #expect(Self.window.daysLeft(on: CivilDate(iso: day)!) == left)
    }

    @Test func theWindowOfAReviewedYearFallsInTheYearAfter() throws {
        let book = PolicyBook([
            PolicyParameter(key: CertificationWindow.openKey, jurisdiction: "CN-41", validFrom: CivilDate(iso: "2020-01-01")!,
                            value: "03-01", source: "t", status: .placeholder),
            PolicyParameter(key: CertificationWindow.closeKey, jurisdiction: "CN-41", validFrom: CivilDate(iso: "2020-01-01")!,
                            value: "06-30", source: "t", status: .placeholder),
            PolicyParameter(key: CertificationWindow.closeKey, jurisdiction: "CN-41", validFrom: CivilDate(iso: "2026-01-01")!,
                            value: "05-31", source: "t", status: .placeholder),
        ])
        let w2024 = try CertificationWindow.forYear(2024, book: book, jurisdiction: "CN-41-4103-410307").window
        #expect(w2024.opens.description == "2025-03-01" && w2024.closes.description == "2025-06-30")
        let w2025 = try CertificationWindow.forYear(2025, book: book, jurisdiction: "CN-41-4103-410307").window
        #expect(w2025.opens.description == "2026-03-01" && w2025.closes.description == "2026-05-31")
        #expect(throws: PolicyError.self) { try CertificationWindow.forYear(2024, book: book, jurisdiction: "JP") }
    }

    @Test func theVerificationCodeDependsOnEveryFigure() {
        let a = LetterCode.verification(number: "2024-00001", creditCode: "91410381671088103U", year: 2024, levyFen: 16_070_400, rewardFen: 0)
        #expect(a.count == 12 && a == a.uppercased())
        #expect(a != LetterCode.verification(number: "2024-00002", creditCode: "91410381671088103U", year: 2024, levyFen: 16_070_400, rewardFen: 0))
        #expect(a != LetterCode.verification(number: "2024-00001", creditCode: "91410381671088103U", year: 2024, levyFen: 16_070_401, rewardFen: 0))
    }
}

@Suite struct FollowUpScheduleTests {
    /// Month ends and leap years: the same day n months later, or that month's last day.
    @Test(arguments: [
        ("2024-01-31", [1: "2024-02-29", 3: "2024-04-30", 6: "2024-07-31"]),   // leap February
        ("2025-01-31", [1: "2025-02-28", 3: "2025-04-30", 6: "2025-07-31"]),   // common February
        ("2024-08-31", [1: "2024-09-30", 3: "2024-11-30", 6: "2025-02-28"]),   // across the year end
        ("2023-08-29", [1: "2023-09-29", 3: "2023-11-29", 6: "2024-02-29"]),   // lands on 29 February
        ("2024-02-29", [1: "2024-03-29", 3: "2024-05-29", 6: "2024-08-29"]),
        ("2025-12-15", [1: "2026-01-15", 3: "2026-03-15", 6: "2026-06-15"]),
    ])
    func dueDates(start: String, expected: [Int: String]) {
        let s = FollowUpSchedule.schedule(start: CivilDate(iso: start)!, offsets: [6, 1, 3, 3, 0])
        #expect(s.map(\.offsetMonths) == [1, 3, 6])
        #expect(Dictionary(uniqueKeysWithValues: s.map { ($0.offsetMonths, $0.dueOn.description) }) == expected)
    }

    @Test func offsetsReadFromPolicyText() {
        #expect(FollowUpSchedule.offsets("1;3;6") == [1, 3, 6])
        #expect(FollowUpSchedule.offsets("1、3、12") == [1, 3, 12])
        #expect(FollowUpSchedule.offsets("1;x") == nil)
        #expect(FollowUpSchedule.offsets("0") == nil)
        #expect(FollowUpSchedule.offsets(book: PolicyBook([]), jurisdiction: "CN", on: CivilDate(iso: "2025-01-01")!) == [1, 3, 6])
    }

    @Test func retainedCountsOnlyMarksThatHaveCome() {
        let start = CivilDate(iso: "2025-01-31")!
        let today = CivilDate(iso: "2025-05-01")!
        #expect(FollowUpSchedule.retained(start: start, end: nil, months: 3, today: today) == true)
        #expect(FollowUpSchedule.retained(start: start, end: nil, months: 6, today: today) == nil)
        #expect(FollowUpSchedule.retained(start: start, end: CivilDate(iso: "2025-04-29")!, months: 3, today: today) == false)
        #expect(FollowUpSchedule.retained(start: start, end: CivilDate(iso: "2025-04-30")!, months: 3, today: today) == true)
    }

    @Test func outcomesReadAsCodeOrChineseLabel() {
        #expect(FollowUpOutcome(codeOrLabel: "left") == .left)
        #expect(FollowUpOutcome(codeOrLabel: "在岗") == .inWork)
        #expect(FollowUpOutcome(codeOrLabel: "gone") == nil)
    }
}
