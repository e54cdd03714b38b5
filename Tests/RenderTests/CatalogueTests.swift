import Domain
import Intake
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
            Messages.notFound("employer 9141", l), Messages.notFound("thing 1", l), Messages.notFound(command: "export", "run 9", l),
            FileMessages.notAFile("/tmp", .folder, l), FileMessages.notAFile("/dev/zero", .device, l), FileMessages.notAFile("/x", .other, l),
            FileMessages.cannotOpen("a.csv", "No such file or directory", l), FileMessages.cannotRead("a.csv", "I/O error", l),
            FileMessages.cannotWrite("a.csv", FileMessages.folderCannotBeCreated(l), l), FileMessages.rejectsIsInput("a.csv", l),
            ImportMessages.line(row, l), ImportMessages.reasons([row, row], l), ImportMessages.warning("x", l),
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
        out += [FailoverMessage.waiting(seconds: 60), .gaveUp, .gaveUpUnknown, .mayHaveTakenEffect, .pipeNotRepeatable(file: "a.csv"),
                .policyAlreadyThere(id: 7, key: "quota.ratio")].map { $0.text(l) }
        return out
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
            .differsFromMean("10.5"), .certificateRequired, .veteranNeedsResidentID, .strayValue,
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
        #expect(Messages.notFound("run 7") == "未找到匹配运行：7（未作任何更改）")
        #expect(Messages.notFound("run 7", .en) == "not found: run 7 (nothing was changed)")
        #expect(Messages.notFound(command: "export", "run 7") == "jobmatch export：未找到匹配运行：7")
        #expect(Messages.notFound(command: "export", "run 7", .en) == "jobmatch export: not found: run 7")
    }
}
