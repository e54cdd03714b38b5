import Domain
import Intake
import Matching
import Quota
import Render
import Testing

/// The catalogue: every message in both languages, Chinese by default, never
/// an internal type's name.
@Suite struct CatalogueTests {
    /// Each message of the catalogue, worded in a language.
    static func all(_ l: Language) -> [String] {
        let date = CivilDate(year: 2025, month: 9, day: 1)!
        let file = FileError(file: "seekers.csv", problems: [
            .noHeader, .undecodable(row: 3, encoding: .gb18030), .undecodable(row: 3, encoding: .utf8), .unterminatedQuote(row: 4),
            .missingColumn(name: "name", alias: "姓名", alternatives: ["full_name"]), .forbiddenColumn(header: "性别"),
            .duplicateColumn(header: "证号", column: "certificate_no"), .unknownKind("x"), .fieldTooLong(row: 1, limit: 65536),
            .recordTooLong(row: 2, limit: 1 << 20), .invalidUTF8(row: 2, byte: 9),
        ])
        let row = RowError(file: "seekers.csv", row: 7, column: "残疾人证号", value: "410307********6627**", rule: .identity(.badCheckCharacter, standard: "GB 11643"))
        var out = [
            Messages.missingParameter(key: "social_average_wage", jurisdiction: "CN-41-4103-410307", date: date, l),
            Messages.malformedParameter(key: "quota.ratio", value: "x", expected: "a decimal", l),
            Messages.notFound(.employer("9141"), l), Messages.notFound(command: "export", .run(9), l),
            Messages.schemaOutOfDate(database: 13, binary: 14, l),
            FileMessages.notAFile("/tmp", .folder, l), FileMessages.notAFile("/dev/zero", .device, l), FileMessages.notAFile("/x", .other, l),
            FileMessages.cannotOpen("a.csv", "No such file or directory", l), FileMessages.cannotRead("a.csv", "I/O error", l),
            FileMessages.cannotWrite("a.csv", FileMessages.folderCannotBeCreated(l), l), FileMessages.rejectsIsInput("a.csv", l),
            ImportMessages.line(row, l), ImportMessages.reasons([row, row], l),
            ImportMessages.loaded("a.csv", accepted: 3, inserted: 1, updated: 1, unchanged: 1, renamed: 1, neighbourChanges: 1, l),
            ImportMessages.columnChanges([("name", 2)], l), ImportMessages.partial("a.csv", accepted: 3, rejected: 1, rejectsPath: "r.csv", l),
            ImportMessages.rowsRejected("a.csv", rows: 2, l), ImportMessages.nothingWritten("a.csv", l), ImportMessages.aboutFile("a.csv", "x", l),
            SummaryMessages.matchRun(7, region: "410307", day: "2025-09-01", l), SummaryMessages.matchRun(nil, region: "410307", day: "2025-09-01", l),
            SummaryMessages.matchObjective(households: 1, priority: 2, placed: 3, score: 4, l), SummaryMessages.matchSize(seekers: 1, openings: 2, pairs: 3, l),
            SummaryMessages.matchUnmatched(5, noOpening: 2, l),
            SummaryMessages.confirmed(proposal: 1, run: 2, seeker: "410307********", opening: "YS-P001", from: "2025-09-01", l),
            SummaryMessages.confirmedBefore(2, l), SummaryMessages.nothingToConfirm(l), SummaryMessages.confirmPartial(confirmed: 1, refused: 1, l),
            SummaryMessages.reviewStored(year: 2024, employers: 3, l), SummaryMessages.reviewTotals(levy: Fen(100), reward: Fen(0), l),
            SummaryMessages.subsidiesDue(year: 2025, lines: 12, l), SummaryMessages.notCounted(3, byReason: [("invalid_certificate", 3)], l),
        ]
        out += ImportMessages.lines(file, l)
        out += Self.rules(date).map { ImportMessages.rule($0, l) }
        out += [DatabaseFailure.transactionFailed, .connectionLost, .cannotConnect, .unexpectedAnswer, .concurrentChange, .conflict, .ruleBroken,
                .lockTimeout, .cancelled, .permission, .outOfRange, .outOfResources, .shuttingDown, .refused].map { $0.text(l) }
        out += Self.moved(l, date)
        out += [FailoverMessage.waiting(seconds: 60), .gaveUp, .gaveUpUnknown, .mayHaveTakenEffect, .pipeNotRepeatable(file: "a.csv"),
                .policyAlreadyThere(id: 7, key: "quota.ratio")].map { $0.text(l) }
        return out
    }

    /// The messages of issue 13's second pass: certify, followup, records, confirm, locks,
    /// status, review and subsidies lines, exports, explanations, import warnings.
    static func moved(_ l: Language, _ date: CivilDate) -> [String] {
        let window = CertificationWindow(opens: date, closes: date.adding(days: 60))
        let letter = CertificationLetter(creditCode: "91410381MA00000001", employerName: "ACME", year: 2024, version: 1, letterNo: "YS-2025-001",
                                         verificationCode: "ABCD", approvedAt: "2025-03-01", approvedBy: "clerk", reviewID: 1, reviewVersion: 1,
                                         reviewJSON: "{}", levyFen: nil, rewardFen: nil, current: true)
        var out: [String] = []
        out += [DeclarationRefused.unknownEmployer("9141"), .notOpened(employer: "9141", year: 2024), .reviewIncomplete(.missingEmployerYear),
                .reviewIncomplete(.noStaff), .unknownRow("410307********"), .noLetter(employer: "9141", year: 2024)].map { YearMessages.refusal($0, l) }
        out += [CertificationRefusal.alreadyApproved, .notSubmitted(.draft), .alreadySubmitted, .returnNeedsReason,
                .lateApprovalNeedsAdminAndReason(closedOn: date), .reopenNeedsApproved(.returned), .reopenNeedsAdminAndReason]
            .map { YearMessages.refusal(DeclarationRefused.rule($0), l) }
        out += [FollowUpRefused.unknownPlacement(9), .beforeStart(start: date), .alreadyEnded(on: date)].map { YearMessages.refusal($0, l) }
        out += [
            YearMessages.line("certify", YearMessages.refusal(.alreadySubmitted, l), l),
            YearMessages.opened(year: 2024, opened: 3, carriedOver: 2, linesCarried: 10, linesDropped: 1, alreadyOpen: 1, l),
            YearMessages.changed(from: .submitted, to: .approved, letter: letter, employer: "9141", year: 2024, l),
            YearMessages.changed(from: .draft, to: .submitted, letter: nil, employer: "9141", year: 2024, l),
            YearMessages.statusHeader(year: 2024, window: window, today: date, l),
            YearMessages.statusLine(creditCode: "9141", name: "ACME", state: .approved, people: 3, letterNo: "YS-1", l),
            YearMessages.statusLine(creditCode: "9141", name: "ACME", state: nil, people: 0, letterNo: nil, l),
            YearMessages.rowReason(person: "410307********", "wrong months", l), YearMessages.returnedBecause("wrong", l),
            YearMessages.pendingLine(creditCode: "9141", name: "ACME", state: .returned, l),
            YearMessages.pendingLine(creditCode: "9141", name: "ACME", state: nil, daysLeft: 3, l),
            YearMessages.notDeclaredHeader(l), YearMessages.remindHeader(2, l), YearMessages.badRow("410307********", l), YearMessages.badYear(1999, l),
            YearMessages.letterWritten("/tmp/l.html", number: "YS-1", l), YearMessages.pdfFailed(exit: nil, "", l),
            YearMessages.pdfFailed(exit: 1, "crash", l), YearMessages.taxListWritten("/tmp/t.csv", rows: 2, l), YearMessages.remindersRecorded(2, l),
            YearMessages.hookFailed(1, l), YearMessages.windowNotOpen(l), YearMessages.badOutcome("x", l), YearMessages.badDate("--date", "x", l),
            YearMessages.badWithin(-1, l),
            YearMessages.recorded(placement: 7, offsets: [1, 3], endedOn: date, outcome: .left, l),
            YearMessages.recorded(placement: 7, offsets: [], endedOn: nil, outcome: .inWork, l),
            YearMessages.dueHeader(date, count: 3, overdue: 1, l), YearMessages.dueTown("410307001", l),
            YearMessages.dueLine(placement: 7, certificate: "410307********", opening: "YS-P001", kind: "public_welfare", month: 3, dueOn: date, overdue: true, l),
            YearMessages.retention(kind: "quota", months: 6, retained: 2, eligible: 3, l),
            RecordMessages.badCategoryCode("X", l), RecordMessages.badName("", l), RecordMessages.badDemand("x", l), RecordMessages.badKind("x", l),
            RecordMessages.badDate("x", l), RecordMessages.badReason("x", l), RecordMessages.exists("category tea", l),
            RecordMessages.categoryAdded("tea", "tea picker", l),
            RecordMessages.placementEnded(certificate: "410307********", opening: "YS-P001", started: date, on: date, reason: .contractEnded,
                                          statusBefore: "employed", statusAfter: "seeking", household: "H1", householdZeroEmployment: true, l),
            RecordMessages.placementEnded(certificate: "410307********", opening: "YS-P001", started: date, on: date, reason: .died,
                                          statusBefore: "employed", statusAfter: "employed", household: nil, householdZeroEmployment: false, l),
            RecordMessages.duplicatesHeader(2, l), RecordMessages.decision("same", l), RecordMessages.decision("different", l),
            RecordMessages.decision(nil, l), RecordMessages.resolved("a", "b", same: true, l), RecordMessages.sameOrDifferent(l),
            ConfirmMessages.nothingConfirmed(l),
            LockMessages.waiting(.matchingRun(region: "410307"), seconds: 600, l), LockMessages.timedOut(.importing, seconds: 2, l),
            LockMessages.timedOut(.migration, seconds: 2, l), LockMessages.timedOut(.review(year: 2024), seconds: 2, l),
            StatusMessages.rowsHeader(l), StatusMessages.requestsHeader(l), StatusMessages.runsHeader(l), StatusMessages.none(l),
            StatusMessages.request(id: 3, state: "failed", region: "410307", requestedAt: "2025-09-01 08:00", runID: 2, attempts: 2, lastError: "x", l),
            StatusMessages.run(id: 2, region: "410307", date: "2025-09-01", placed: 3, seekers: 9, finishedAt: "2025-09-01 08:01", l),
            ReviewMessages.placement(person: "410307********", opening: "YS-P001", start: date, programme: "post_subsidy",
                                     beneficiary: ReviewMessages.beneficiary(.employer, "9141", l), subtotal: Fen(100), placeholder: true, l),
            ReviewMessages.beneficiary(.person, "", l), ReviewMessages.beneficiary(.postProvider, "9141", l), ReviewMessages.totalsHeader(l),
            ReviewMessages.total(kind: .person, who: "410307********", amount: Fen(100), months: 2, placeholder: false, l),
            ReviewMessages.total(kind: .employer, who: "9141", amount: Fen(100), months: 2, placeholder: true, l),
            ReviewMessages.grandTotal(Fen(100), l), ReviewMessages.attentionHeader(1, l),
            ReviewMessages.attention(person: "410307********", opening: "YS-P001", start: date, programme: "x", months: [1, 2], reason: .noEmployer, l),
            SummaryMessages.noReviewStored(l),
            CommandMessages.badDate("--date", "x", l), CommandMessages.badYear(1999, l), CommandMessages.notTogether("--a", "--b", l),
            CommandMessages.goesWith("--a", "--b", l), CommandMessages.partialNeedsRejects(l), CommandMessages.oneOf("export", "x", ["a", "b"], l),
            CommandMessages.needsYear("reviews", l), CommandMessages.exported(3, of: "proposals", to: "/tmp/p.csv", l),
            CommandMessages.schemaCurrent(14, l), CommandMessages.migrated([1, 2], version: 2, l), CommandMessages.policySeeded(3, l),
            CommandMessages.proposal(id: 1, seeker: "410307********", opening: "YS-P001", score: 800, reasons: "x", l),
            ExplainMessages.exclusion(.notSeeking(.inactive), l), ExplainMessages.exclusion(.alreadyPlaced(opening: "YS-P001", date: "2025-09-01"), l),
            ExplainMessages.absence(.noRunYet, l), ExplainMessages.absence(.notHeld(region: "410307"), l),
            ImportMessages.line(RowError(file: "a.csv", row: 2, column: "column 9 (no header)", value: "x", rule: .strayValue(column: 9)), l),
        ]
        out += PlacementEndReason.allCases.map { Labels.endReason($0, l) }
        out += [Missing.employer("9141"), .region("410307"), .run(7), .seeker("410307********"), .opening("YS-P001"),
                .activePlacement(seeker: "410307********", opening: "YS-P001", on: date), .possibleDuplicate("a", "b"), .anyRun,
                .year(export: "reviews")].map { Messages.notFound($0, l) }
        out += [AccountProblem.unknownUser("alice"), .userExists("alice"), .unknownToken("t"), .tokenExists("t"), .unknownRegion("9"),
                .badName("a b")].map { AccountMessages.refused($0, l) }
        out += [AccountMessages.badPassword(l), AccountMessages.userAdded("alice", role: "staff", regions: [], l),
                AccountMessages.userAdded("alice", role: "staff", regions: ["410307001"], l), AccountMessages.passwordChanged("alice", l),
                AccountMessages.disabled("alice", l), AccountMessages.revoked("t", l), AccountMessages.tokenRole(l)]
        let parameter = PolicyParameter(key: "quota.ratio", jurisdiction: "CN-41", validFrom: date, validTo: date, value: "0.015",
                                        source: "x", status: .placeholder)
        out += [PolicyMessages.inForce(on: date, jurisdiction: "CN-41", count: 3, l), PolicyMessages.parameter(id: 3, parameter, l),
                PolicyMessages.source("x", l), PolicyMessages.replaces(id: 2, parameter, l),
                PolicyMessages.added(id: 3, parameter, replaces: 2, l), PolicyMessages.imported("p.csv", added: 2, replacing: 1, l),
                PolicyMessages.cannotOpen("p.csv", l), PolicyMessages.line("p.csv", 3, l)]
        out += [PolicyPackError.empty, .missingColumn("status"), .fieldCount(line: 3, expected: 7, found: 2), .unterminatedQuote(line: 4),
                .badValue(line: 2, column: "status", value: "maybe", rule: .status), .badValue(line: 2, column: "key", value: "", rule: .notEmpty),
                .badValue(line: 2, column: "valid_from", value: "x", rule: .date),
                .badValue(line: 2, column: "valid_to", value: "x", rule: .dateNotBeforeStart),
                .badValue(line: 2, column: "source", value: "", rule: .source)].map { PolicyMessages.badFile("p.csv", $0, l) }
        out += [PolicyMessages.Problem.badKey("a b"), .badValue(key: "k"), .badFrom("x"), .untilBeforeFrom(until: "a", from: "b"),
                .noSource, .badStatus("x"), .badJurisdiction(" "), .notANumber(key: "quota.ratio", value: "abc")]
            .map { PolicyMessages.refused("policy set", $0, l) }
        out += [ConfirmRefusalReason.noSuchProposal, .alreadyConfirmed(at: "2025-09-01 08:00"), .superseded(run: 1, by: 2, region: "410307"),
                .goneFromRegion(seeker: "410307********", opening: "YS-P001", region: "410307"), .placedByAnotherProposal(seeker: "410307********"),
                .noSlotLeft(opening: "YS-P001", on: date, slots: 2)].map { ConfirmMessages.refusal(proposal: 3, $0, l) }
        out += Self.exclusions(date).map { ConfirmMessages.reason(.noLongerEligible(seeker: "410307********", opening: "YS-P001", on: date, $0), l) }
        let warned = IntakeWarning(file: "a.csv", row: 1, column: "x", kind: .unknownColumn(importKind: "seekers"))
        out += [ImportWarning.intake(warned), .intake(IntakeWarning(file: "a.csv", row: 1, column: "…", kind: .moreUnknownColumns(5))),
                .intake(IntakeWarning(file: "a.csv", row: 2, column: "resident_id", kind: .zeroPaddedID)),
                .certificateReplaced(old: "410307********", current: "410307********"), .certificateChanged(residentID: "410307********"),
                .possibleDuplicate("410307********", "410307********"), .more(3, .replacedCertificates), .more(3, .changedCertificates),
                .more(3, .possibleDuplicates)].map { ImportMessages.warning($0, l) }
        let headers: ExportTable.Headers = l == .zh ? .zh : .en
        out += ["proposal_id", "certificate_no", "levy", "reviewed_at", "monthly_wage", "target_source"].map {
            ExportHeaders.header(ExportTable.Column($0), headers) }
        out += [("quota", ExportTable.Codes.openingKind), ("outcompeted", .unmatchedReason), ("confirmed", .placementSource),
                ("no_staff", .reviewStatus)].map { ExportHeaders.label($0.0, $0.1, headers) }
        return out
    }

    /// One of every reason a pair is excluded.
    static func exclusions(_ date: CivilDate) -> [ExclusionReason] {
        [.notSeeking(status: .inactive), .alreadyPlaced(opening: OpeningID("YS-P001")), .tooYoung(age: 15, min: 16), .tooOld(age: 60, max: 59),
         .outOfReach(reach: .town), .demandFailed(.vision), .openingNeedsAssistedCapacity(capacity: .full),
         .capacityNeedsAssistedOpening(kind: .general), .tooManyHours(hours: 40, max: 30), .missingCertificates(["forklift"]),
         .missingSkills(["typing"]), .notInIntentions(category: "tea_picker"), .notOpenYet(from: date), .closed(until: date),
         .noSlotsLeft(slots: 2)]
    }

    /// One of every rule Intake reports.
    static func rules(_ date: CivilDate) -> [IntakeRule] {
        let identity: [IdentityError] = [.wrongLength(expected: 18, actual: 17), .badCharacter(position: 3), .badCheckCharacter, .badBirthDate,
                                         .birthDateInFuture, .badDisabilityCategory, .badDisabilityGrade, .badReissueSuffix]
        let mangled: [IntakeRule.Mangled] = [.scientific("4.1030…E+019"), .decimalPoint, .certificateShort(digits: 15), .certificateZeroed,
                                             .certificateLong(digits: 22), .residentIDLength(digits: 15), .residentIDZeroed,
                                             .creditCodeLength(digits: 15), .phoneLostZero, .numericCell]
        var rules: [IntakeRule] = [
            .required, .requiredOrMonthlyHeadcounts, .requiredUnlessEstablishment, .empty, .yesOrNo, .dateShape, .notARealDate,
            .afterToday(date), .moneyShape, .negative, .moneyTooLarge, .numberShape, .tooManyDigits, .tooManyDecimalDigits, .wholeNumber,
            .atLeast(1), .between(1, 7), .tooLong(.names, limit: 50, found: 51), .tooLong(.texts, limit: 500, found: 501),
            .tooLong(.codes, limit: 50, found: 51), .numberTooLong(limit: 30, found: 31), .phoneTooLong(limit: 30),
            .listTooLong(limit: 50, found: 51), .listItemTooLong(limit: 50), .notOneOf("full_time, part_time"),
            .itemNotOneOf(item: "x", spellings: "full_time, part_time"), .notACategory, .itemNotACategory("x"), .controlCharacter,
            .notLoaded(.region), .notLoaded(.household), .notLoaded(.opening), .parentNotLoaded, .neighboursNotLoaded(["ZZ", "YY"]),
            .seekerNotLoaded, .employerNotLoaded, .ownParent, .ownNeighbour, .endBeforeStart, .openUntilBeforeOpenFrom,
            .contractEndsBeforeStart, .quotaOpeningNeedsCreditCode, .maxAgeBelowMinAge(30), .monthlyHeadcounts(expected: 12, found: 11),
            .differsFromMean("10.5"), .certificateRequired, .veteranNeedsResidentID, .strayValue(column: 3),
            .duplicateKey(columns: ["credit_code", "year"], firstRow: 2), .samePerson(firstRow: 2),
        ]
        rules += identity.map { .identity($0, standard: "GB 11643") }
        rules += mangled.map { .mangled($0) }
        return rules
    }

    /// Han characters or full-width punctuation (`a.csv：…` is Chinese wording).
    static func hasChinese(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3000...0x303F).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
    }

    @Test func everyMessageIsChineseInChineseAndEnglishInEnglish() {
        let zh = Self.all(.zh), en = Self.all(.en)
        #expect(zh.count == en.count)
        for (z, e) in zip(zh, en) {
            #expect(Self.hasChinese(z), "\(z)")
            #expect(z != e, "\(z)")
        }
        // English messages hold Chinese only where the input did (a column, a value).
        for e in en where Self.hasChinese(e) {
            #expect(["姓名", "残疾人证号", "性别", "证号", "是/否", "2025年3月1日"].contains { e.contains($0) }, "\(e)")
        }
    }

    @Test func noMessageNamesAnInternalType() {
        for text in Self.all(.zh) + Self.all(.en) {
            #expect(text.firstMatch(of: #/[A-Z][a-z]+(Error|Problem|Failure|Refusal)\b|Optional\(/#) == nil, "\(text)")
        }
    }

    @Test func theDefaultLanguageIsChinese() {
        #expect(Language.current == .zh)
        #expect(Messages.notFound(.run(7)) == "未找到匹配运行：7（未作任何更改）")
        #expect(Messages.notFound(.run(7), .en) == "not found: run 7 (nothing was changed)")
        #expect(Messages.notFound(command: "export", .run(7)) == "jobmatch export：未找到匹配运行：7")
        #expect(Messages.notFound(command: "export", .run(7), .en) == "jobmatch export: not found: run 7")
    }
}
