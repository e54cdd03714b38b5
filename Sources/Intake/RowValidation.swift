import Domain

/// One row being validated: reads cells by column, parses them, and collects
/// every error (a row reports all it breaks, not the first).
struct RowContext {
    let kind: ImportKind
    let file: String
    let header: IntakeHeader
    let record: CSVRecord
    let today: CivilDate
    var errors: [RowError] = []
    /// Things worth telling about an accepted value (issue 15: an ID a spreadsheet may have padded with 000).
    var warnings: [IntakeWarning] = []

    /// The cell of `c`, or nil when the file has no such column.
    func cell(_ c: Column) -> String? {
        guard let p = header.position(c) else { return nil }
        return p < record.fields.count ? record.fields[p] : ""
    }

    /// Whether `c` holds a value (not absent, not blank).
    func has(_ c: Column) -> Bool { cell(c).map { !FieldParser.isBlank($0) } ?? false }

    mutating func fail(_ c: Column, _ value: String, _ rule: IntakeRule) {
        errors.append(RowError(file: file, row: record.row, column: header.display(c, kind: kind),
                               value: c.masked(value, kind: kind), rule: rule))
    }

    /// Parses `c`'s cell. A blank cell is nil, and an error when `required`; a value
    /// that breaks its rule is nil and an error.
    mutating func parse<T>(_ c: Column, required: Bool = false, _ f: (String) throws(FieldError) -> T) -> T? {
        let v = cell(c) ?? ""
        if FieldParser.isBlank(v) {
            if required { fail(c, v, .required) }
            return nil
        }
        if !record.numericCells.isEmpty, let p = header.position(c), record.numericCells.contains(p),
           c == .certificateNo || c == .residentID || c == .creditCode {
            fail(c, v, .mangled(.numericCell))
            return nil
        }
        do { return try f(v) } catch { fail(c, v, error.rule); return nil }
    }

    /// A reference: the parsed code must be in `known`.
    mutating func reference(_ c: Column, required: Bool = false, in known: Set<String>, what: IntakeRule.Reference) -> String? {
        guard let code = parse(c, required: required, FieldParser.code) else { return nil }
        guard known.contains(code) else {
            fail(c, cell(c) ?? "", .notLoaded(what))
            return nil
        }
        return code
    }

    /// Warns when `id` (a resident ID, or a certificate number's first 18 characters) ends in `000`.
    mutating func warnIfZeroPadded(_ c: Column, _ id: String) {
        guard let message = Mangling.zeroPaddedWarning(id) else { return }
        warnings.append(IntakeWarning(file: file, row: record.row, column: header.display(c, kind: kind), message: message))
    }

    /// Values past the header's last named column, or under an unnamed one, would be lost: refuse them.
    mutating func checkStrayValues() {
        for (i, v) in record.fields.enumerated() where !v.isEmpty {
            if i >= header.names.count || header.names[i].isEmpty, !FieldParser.isBlank(v) {
                errors.append(RowError(file: file, row: record.row, column: "column \(i + 1) (no header)",
                                       value: v, rule: .strayValue))
            }
        }
    }
}

/// The rules of each kind (CONTRACT.md §2, POLICY.md §1). Each returns the
/// record, or nil with every error of the row in `ctx.errors`.
struct RowRules {
    let references: KnownReferences
    let categories: CategoryTable
    /// Years a reviewed year or graduation year may take.
    static let yearRangeDefault = 1900...2100
    /// Hours a week an opening may state.
    static let hoursRangeDefault = 1...168
    /// Ages an opening may name.
    static let ageRangeDefault = 0...120
    /// Members in work a household may report.
    static let membersRangeDefault = 0...100
    /// A roster's certificate or veteran number, checked by the review, may be this long at import (POLICY.md §1).
    static let rosterNumberLimitDefault = 30

    func validate(_ ctx: inout RowContext) -> ValidatedRecord? {
        ctx.checkStrayValues()
        ctx.checkControlCharacters()
        let r: ValidatedRecord?
        switch ctx.kind {
        case .regions: r = region(&ctx)
        case .households: r = household(&ctx)
        case .seekers: r = seeker(&ctx)
        case .trainings: r = training(&ctx)
        case .employers: r = employer(&ctx)
        case .openings: r = opening(&ctx)
        case .employerYears: r = employerYear(&ctx)
        case .rosters: r = roster(&ctx)
        case .placements: r = placement(&ctx)
        }
        return ctx.errors.isEmpty ? r : nil
    }

    /// Region references (parent, neighbours) are checked by the caller at the end of the file.
    func region(_ ctx: inout RowContext) -> ValidatedRecord? {
        let code = ctx.parse(.code, required: true, FieldParser.code)
        let name = ctx.parse(.name, required: true, FieldParser.name)
        let parent = ctx.parse(.parentCode, FieldParser.code)
        let neighbours = ctx.parse(.neighbours, FieldParser.codeList) ?? []
        if let code, parent == code { ctx.fail(.parentCode, ctx.cell(.parentCode) ?? "", .ownParent) }
        if let code, neighbours.contains(code) { ctx.fail(.neighbours, ctx.cell(.neighbours) ?? "", .ownNeighbour) }
        guard let code, let name else { return nil }
        var unique: [RegionCode] = []
        for n in neighbours where !unique.contains(RegionCode(n)) { unique.append(RegionCode(n)) }
        return .region(Region(code: RegionCode(code), name: name, parent: parent.map(RegionCode.init), neighbours: unique))
    }

    func household(_ ctx: inout RowContext) -> ValidatedRecord? {
        let id = ctx.parse(.householdID, required: true, FieldParser.code)
        let town = ctx.reference(.townCode, required: true, in: references.towns, what: .region)
        let members = ctx.parse(.employedMembers, required: true) { (s) throws(FieldError) in
            try FieldParser.integer(s, in: RowRules.membersRangeDefault)
        }
        let flags = ctx.parse(.flags) { (s) throws(FieldError) in try FieldParser.enumerationList(s, as: SupportFlag.self) } ?? []
        guard let id, let town, let members else { return nil }
        return .household(Household(id: HouseholdID(id), town: RegionCode(town), employedMembers: members, flags: Set(flags)))
    }

    func seeker(_ ctx: inout RowContext) -> ValidatedRecord? {
        let today = ctx.today
        let cert = ctx.parse(.certificateNo, required: true) { (s) throws(FieldError) in try FieldParser.certificate(s, today: today) }
        let name = ctx.parse(.name, required: true, FieldParser.name)
        let town = ctx.reference(.townCode, required: true, in: references.towns, what: .region)
        let household = ctx.reference(.householdID, in: references.households, what: .household)
        let education = ctx.parse(.education) { (s) throws(FieldError) in try FieldParser.enumeration(s, as: Education.self) }
        let gradYear = ctx.parse(.graduationYear) { (s) throws(FieldError) in
            try FieldParser.integer(s, in: RowRules.yearRangeDefault.lowerBound...(today.year + 1))
        }
        let skills = ctx.parse(.skills, FieldParser.codeList) ?? []
        let certificates = ctx.parse(.certificates, FieldParser.codeList) ?? []
        let table = categories
        let intentions = ctx.parse(.intentions) { (s) throws(FieldError) in try Self.categoryList(s, table) } ?? []
        let capacity = ctx.parse(.workCapacity) { (s) throws(FieldError) in try FieldParser.enumeration(s, as: WorkCapacity.self) }
        let flags = ctx.parse(.flags) { (s) throws(FieldError) in try FieldParser.enumerationList(s, as: SupportFlag.self) } ?? []
        let status = ctx.parse(.status) { (s) throws(FieldError) in try FieldParser.enumeration(s, as: SeekerStatus.self) }
        let registered = ctx.parse(.registeredOn) { (s) throws(FieldError) in try Self.notAfter(today, FieldParser.date(s)) }
        let phone = ctx.parse(.phone, FieldParser.phone)
        if let cert { ctx.warnIfZeroPadded(.certificateNo, cert.residentID.value) }
        guard let cert, let name, let town else { return nil }
        return .seeker(Seeker(certificate: cert, name: name, town: RegionCode(town), household: household.map(HouseholdID.init),
                              education: education, graduationYear: gradYear, skills: skills, certificates: certificates,
                              intentions: intentions, capacity: capacity ?? .full, flags: Set(flags),
                              status: status ?? .seeking, registeredOn: registered, phone: phone))
    }

    func training(_ ctx: inout RowContext) -> ValidatedRecord? {
        let cert = seekerReference(&ctx)
        let course = ctx.parse(.course, required: true, FieldParser.text)
        let skill = ctx.parse(.skill, FieldParser.code)
        let start = ctx.parse(.startDate, required: true, FieldParser.date)
        let end = ctx.parse(.endDate, FieldParser.date)
        let completed = ctx.parse(.completed, FieldParser.boolean) ?? false
        checkOrder(&ctx, start, end, .endDate, .endBeforeStart)
        guard let cert, let course, let start else { return nil }
        return .training(Training(certificateKey: cert, course: course, skill: skill, startDate: start, endDate: end, completed: completed))
    }

    func employer(_ ctx: inout RowContext) -> ValidatedRecord? {
        let code = ctx.parse(.creditCode, required: true, FieldParser.creditCode)
        let name = ctx.parse(.name, required: true, FieldParser.name)
        let town = ctx.reference(.townCode, required: true, in: references.towns, what: .region)
        let type = ctx.parse(.type, required: true) { (s) throws(FieldError) in try FieldParser.enumeration(s, as: EmployerType.self) }
        let concentrated = ctx.parse(.concentrated, FieldParser.boolean) ?? false
        guard let code, let name, let town, let type else { return nil }
        return .employer(Employer(creditCode: code, name: name, town: RegionCode(town), type: type, concentrated: concentrated))
    }

    func opening(_ ctx: inout RowContext) -> ValidatedRecord? {
        let id = ctx.parse(.openingID, required: true, FieldParser.code)
        let kind = ctx.parse(.kind, required: true) { (s) throws(FieldError) in try FieldParser.enumeration(s, as: OpeningKind.self) }
        let employer = employerReference(&ctx, .employerCreditCode, required: false)
        if kind == .quota, !ctx.has(.employerCreditCode) {
            ctx.fail(.employerCreditCode, ctx.cell(.employerCreditCode) ?? "", .quotaOpeningNeedsCreditCode)
        }
        let table = categories
        let category = ctx.parse(.category, required: true) { (s) throws(FieldError) in try FieldParser.category(s, in: table) }
        let title = ctx.parse(.title, FieldParser.text)  // not a name: up to 200 characters (CONTRACT.md §2)
        let town = ctx.reference(.townCode, required: true, in: references.towns, what: .region)
        let slots = ctx.parse(.slots, required: true) { (s) throws(FieldError) in try FieldParser.integer(s, in: 1...Int.max) }
        let reach = ctx.parse(.reach) { (s) throws(FieldError) in try FieldParser.enumeration(s, as: Reach.self) }
        let demands = ctx.parse(.demands) { (s) throws(FieldError) in try FieldParser.enumerationList(s, as: Demand.self) } ?? []
        let minAge = ctx.parse(.minAge) { (s) throws(FieldError) in try FieldParser.integer(s, in: RowRules.ageRangeDefault) }
        let maxAge = ctx.parse(.maxAge) { (s) throws(FieldError) in try FieldParser.integer(s, in: RowRules.ageRangeDefault) }
        if let minAge, let maxAge, minAge > maxAge {
            ctx.fail(.maxAge, ctx.cell(.maxAge) ?? "", .maxAgeBelowMinAge(minAge))
        }
        let reqCerts = ctx.parse(.requiredCertificates, FieldParser.codeList) ?? []
        let reqSkills = ctx.parse(.requiredSkills, FieldParser.codeList) ?? []
        let prefSkills = ctx.parse(.preferredSkills, FieldParser.codeList) ?? []
        let wage = ctx.parse(.monthlyWage, FieldParser.money)
        let hours = ctx.parse(.hoursPerWeek) { (s) throws(FieldError) in try FieldParser.integer(s, in: RowRules.hoursRangeDefault) }
        let from = ctx.parse(.openFrom, FieldParser.date)
        let until = ctx.parse(.openUntil, FieldParser.date)
        checkOrder(&ctx, from, until, .openUntil, .openUntilBeforeOpenFrom)
        guard let id, let kind, let category, let town, let slots else { return nil }
        return .opening(Opening(id: OpeningID(id), kind: kind, employer: employer, category: category, title: title,
                                town: RegionCode(town), slots: slots, reach: reach, demands: Set(demands), minAge: minAge,
                                maxAge: maxAge, requiredCertificates: reqCerts, requiredSkills: reqSkills,
                                preferredSkills: prefSkills, monthlyWage: wage, hoursPerWeek: hours ?? 40,
                                openFrom: from, openUntil: until))
    }

    /// Twelve monthly headcounts make `employees` their mean (POLICY.md §1).
    static let monthsPerYear = 12

    func employerYear(_ ctx: inout RowContext) -> ValidatedRecord? {
        let code = employerReference(&ctx, .creditCode, required: true)
        let year = ctx.parse(.year, required: true) { (s) throws(FieldError) in try FieldParser.integer(s, in: RowRules.yearRangeDefault) }
        var employees = ctx.parse(.employees, FieldParser.decimal)
        let monthly = ctx.parse(.monthlyHeadcounts) { (s) throws(FieldError) -> [Rational] in
            let items = try FieldParser.list(s)
            guard items.count == RowRules.monthsPerYear else {
                throw FieldError(.monthlyHeadcounts(expected: RowRules.monthsPerYear, found: items.count))
            }
            var out: [Rational] = []
            for i in items { out.append(try FieldParser.decimal(i)) }
            return out
        }
        let wages = ctx.parse(.totalWages, required: true, FieldParser.money)
        if let monthly {
            let mean = EmployerYear.mean(ofMonths: monthly)
            if let given = employees, given != mean {
                ctx.fail(.employees, ctx.cell(.employees) ?? "",
                         .differsFromMean(mean.decimalString()))
            }
            employees = mean
        } else if !ctx.has(.employees), !ctx.has(.monthlyHeadcounts) {
            ctx.fail(.employees, ctx.cell(.employees) ?? "", .requiredOrMonthlyHeadcounts)
        }
        guard let code, let year, let employees, let wages else { return nil }
        return .employerYear(EmployerYear(creditCode: code, year: year, employees: employees, monthlyHeadcounts: monthly, totalWages: wages))
    }

    func roster(_ ctx: inout RowContext) -> ValidatedRecord? {
        let code = employerReference(&ctx, .creditCode, required: true)
        let year = ctx.parse(.year, required: true) { (s) throws(FieldError) in try FieldParser.integer(s, in: RowRules.yearRangeDefault) }
        let limit = RowRules.rosterNumberLimitDefault
        let number = { (what: Mangling.What) in { (s: String) throws(FieldError) -> String in
            let t = String(Mangling.foldWidth(FieldParser.trimmed(s)))
            guard t.count <= limit else { throw FieldError(.numberTooLong(limit: limit, found: t.count)) }
            try Mangling.check(Substring(t), what)
            return t
        } }
        let cert = ctx.parse(.certificateNo, number(.certificate))
        let veteran = ctx.parse(.veteranCertificateNo, number(.other))
        let resident = ctx.parse(.residentID, number(.residentID))
        if let resident { ctx.warnIfZeroPadded(.residentID, resident) }
        if let cert { ctx.warnIfZeroPadded(.certificateNo, cert) }
        let grade = ctx.parse(.veteranGrade) { (s) throws(FieldError) in try FieldParser.integer(s, in: Int.min...Int.max) }
        if !ctx.has(.certificateNo) && !ctx.has(.veteranCertificateNo) {
            ctx.fail(ctx.header.position(.certificateNo) != nil ? .certificateNo : .veteranCertificateNo, "",
                     .certificateRequired)
        } else if !ctx.has(.certificateNo), !ctx.has(.residentID) {
            ctx.fail(.residentID, "", .veteranNeedsResidentID)
        }
        let start = ctx.parse(.contractStart, FieldParser.date)
        let end = ctx.parse(.contractEnd, FieldParser.date)
        let establishment = ctx.parse(.establishment, FieldParser.boolean) ?? false
        if start == nil, !establishment, !ctx.has(.contractStart) {
            ctx.fail(.contractStart, ctx.cell(.contractStart) ?? "", .requiredUnlessEstablishment)
        }
        checkOrder(&ctx, start, end, .contractEnd, .contractEndsBeforeStart)
        let months = ctx.parse(.monthsPaid, required: true) { (s) throws(FieldError) in try FieldParser.integer(s, in: 0...12) }
        let wage = ctx.parse(.lowestMonthlyWage, required: true, FieldParser.money)
        let graduate = ctx.parse(.newGraduate, FieldParser.boolean) ?? false
        guard let code, let year, let months, let wage else { return nil }
        return .roster(RosterRow(creditCode: code, year: year, certificateNo: cert, veteranCertificateNo: veteran,
                                 veteranGrade: grade, residentID: resident, contractStart: start, contractEnd: end,
                                 establishment: establishment, monthsPaid: months, lowestMonthlyWage: wage,
                                 newGraduate: graduate))
    }

    func placement(_ ctx: inout RowContext) -> ValidatedRecord? {
        let cert = seekerReference(&ctx)
        let opening = ctx.reference(.openingID, required: true, in: references.openings, what: .opening)
        let start = ctx.parse(.startDate, required: true, FieldParser.date)
        let end = ctx.parse(.endDate, FieldParser.date)
        checkOrder(&ctx, start, end, .endDate, .endBeforeStart)
        let wage = ctx.parse(.monthlyWage, FieldParser.money)
        let months = ctx.parse(.contractMonths) { (s) throws(FieldError) in try FieldParser.integer(s, in: 1...Int.max) }
        guard let cert, let opening, let start else { return nil }
        return .placement(Placement(certificateKey: cert, opening: OpeningID(opening), startDate: start, endDate: end,
                                    monthlyWage: wage, contractMonths: months))
    }

    // MARK: shared pieces

    /// A valid certificate number of a loaded seeker → its 20-character key.
    func seekerReference(_ ctx: inout RowContext) -> String? {
        let today = ctx.today
        guard let cert = ctx.parse(.certificateNo, required: true, { (s) throws(FieldError) in try FieldParser.certificate(s, today: today) }) else { return nil }
        guard references.seekers.contains(cert.key) else {
            ctx.fail(.certificateNo, ctx.cell(.certificateNo) ?? "", .seekerNotLoaded)
            return nil
        }
        return cert.key
    }

    /// A valid credit code of a loaded employer.
    func employerReference(_ ctx: inout RowContext, _ c: Column, required: Bool) -> CreditCode? {
        guard let code = ctx.parse(c, required: required, FieldParser.creditCode) else { return nil }
        guard references.employers.contains(code.value) else {
            ctx.fail(c, ctx.cell(c) ?? "", .employerNotLoaded)
            return nil
        }
        return code
    }

    func checkOrder(_ ctx: inout RowContext, _ a: CivilDate?, _ b: CivilDate?, _ c: Column, _ rule: IntakeRule) {
        if let a, let b, b < a { ctx.fail(c, ctx.cell(c) ?? "", rule) }
    }

    static func notAfter(_ today: CivilDate, _ d: CivilDate) throws(FieldError) -> CivilDate {
        guard d <= today else { throw FieldError(.afterToday(today)) }
        return d
    }

    static func categoryList(_ s: String, _ table: CategoryTable) throws(FieldError) -> [String] {
        var out: [String] = []
        for item in try FieldParser.list(s) {
            guard let c = table.lookup(item) else { throw FieldError(.itemNotACategory(item)) }
            if !out.contains(c.code) { out.append(c.code) }
        }
        return out
    }
}

extension FieldParser {
    /// Phone numbers are at most this many characters.
    public static let phoneLimitDefault = 30

    /// A phone number: trimmed, at most 30 characters (extensions and notes such as `转8` are kept).
    public static func phone(_ s: String) throws(FieldError) -> String {
        let t = String(Mangling.foldWidth(trimmed(s)))
        guard !t.isEmpty else { throw FieldError(.empty) }
        try Mangling.check(Substring(t), .phone)
        guard t.count <= phoneLimitDefault else { throw FieldError(.phoneTooLong(limit: phoneLimitDefault)) }
        return t
    }
}
