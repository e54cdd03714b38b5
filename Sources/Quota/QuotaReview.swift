import Domain

/// The annual quota review (POLICY.md §2–3) over every employer of a year.
public enum QuotaReview {
    /// Reviews every employer for `year`, computing `claimed_twice` across all
    /// of them, and returns one review per employer sorted by credit code. The
    /// result does not depend on the order of any input.
    ///
    /// - `employerYears` and `rosters` rows of other years are ignored; at most
    ///   one employer-year per employer and year (import refuses duplicates).
    /// - Roster rows of employers not in `employers` still make `claimed_twice`
    ///   for the employers that are (the person is declared twice either way).
    /// - `jurisdiction` is the district's (e.g. `CN-41-4103-410307`); an
    ///   employer's town refines it (`…-410307-410307004`) for the minimum-wage tier.
    ///
    /// Throws when a parameter the rules need is missing or malformed.
    public static func reviewAll(employers: [Employer], employerYears: [EmployerYear], rosters: [RosterRow],
                                 year: Int, book: PolicyBook, jurisdiction: String) throws(PolicyError) -> [EmployerReview] {
        var context = try ReviewContext(book: book, jurisdiction: jurisdiction, year: year)
        var yearsByEmployer: [CreditCode: EmployerYear] = [:]
        for ey in employerYears where ey.year == year {
            // Duplicates are refused at import; keep the smallest so the result stays order-independent.
            if let old = yearsByEmployer[ey.creditCode], (old.employees, old.totalWages) <= (ey.employees, ey.totalWages) { continue }
            yearsByEmployer[ey.creditCode] = ey
        }
        var parsedByEmployer: [CreditCode: [ParsedRow]] = [:]
        var claimants: [String: Set<CreditCode>] = [:]
        for row in rosters where row.year == year {
            let p = ParsedRow(row)
            if let id = p.residentID { claimants[id.value, default: []].insert(row.creditCode) }
            parsedByEmployer[row.creditCode, default: []].append(p)
        }
        var reviews: [EmployerReview] = []
        reviews.reserveCapacity(employers.count)
        var seen: Set<CreditCode> = []
        for employer in employers.sorted(by: { $0.creditCode < $1.creditCode }) where seen.insert(employer.creditCode).inserted {
            let rows = parsedByEmployer[employer.creditCode] ?? []
            let twice = Set(rows.compactMap { p -> String? in
                guard let id = p.residentID?.value, let set = claimants[id], set.count > 1 else { return nil }
                return id
            })
            reviews.append(try review(employer: employer, employerYear: yearsByEmployer[employer.creditCode],
                                      parsedRows: rows, claimedElsewhere: twice, context: &context))
        }
        return reviews
    }

    /// Reviews one employer. `claimedElsewhere` holds the resident IDs that
    /// another employer declared for the same year (`claimed_twice`); use
    /// `reviewAll` to have it computed.
    public static func review(employer: Employer, year: Int, employerYear: EmployerYear?, roster: [RosterRow],
                              claimedElsewhere: Set<String>, book: PolicyBook, jurisdiction: String) throws(PolicyError) -> EmployerReview {
        var context = try ReviewContext(book: book, jurisdiction: jurisdiction, year: year)
        let rows = roster.filter { $0.year == year && $0.creditCode == employer.creditCode }.map(ParsedRow.init)
        let ey = employerYear.flatMap { $0.year == year ? $0 : nil }
        return try review(employer: employer, employerYear: ey, parsedRows: rows, claimedElsewhere: claimedElsewhere, context: &context)
    }

    static func review(employer: Employer, employerYear: EmployerYear?, parsedRows: [ParsedRow],
                       claimedElsewhere: Set<String>, context c: inout ReviewContext) throws(PolicyError) -> EmployerReview {
        let year = c.year
        let (minWage, minWageUses) = try c.minimumWage(town: employer.town)
        var t = TraceBuilder()

        // §2 Who counts.
        let sortedRows = parsedRows.sorted(by: ParsedRow.ordered)
        let verdicts = sortedRows.map { p in
            judge(p, context: c, minimumWage: minWage,
                  claimedTwice: p.residentID.map { claimedElsewhere.contains($0.value) } ?? false)
        }
        let qualifying = verdicts.filter(\.qualifies).count
        t.add("rows", "残疾职工逐人认定", "证号有效、全年有劳动年龄内的日子、合同≥\(c.minContractDays)天（在编除外）、最低月工资≥\(minWage.text())元、缴费月数>0、未被他单位重复申报",
              inputs: [TraceInput("申报人数", String(verdicts.count)), TraceInput("月最低工资标准（\(year)年最低）", minWage.text())],
              result: "\(qualifying)人符合", parameters: [c.minAgeUse, c.maxMaleUse, c.maxFemaleUse, c.minContractUse] + minWageUses)
        let d = verdicts.reduce(Rational.zero) { $0 + $1.counted }
        t.add("D", "实际安排残疾人数", c.wholePerson ? "D = Σ w（按人计：f = 1）" : "D = Σ w × f，f = 缴费月数 ÷ 12（应届高校毕业生超过6个月按1）",
              inputs: [TraceInput("符合条件行数", String(qualifying))], result: d.text(), parameters: [c.countModeUse], uses: ["rows"])

        guard let ey = employerYear else {
            return EmployerReview(creditCode: employer.creditCode, employerName: employer.name, employerType: employer.type, year: year,
                                  status: .missingEmployerYear, employees: nil, totalWages: nil, required: nil, counted: nil, shortfall: nil, excess: nil,
                                  ratio: nil, exempt: nil, levy: nil, reward: nil, rows: verdicts, trace: t.steps, placeholderFigures: [])
        }
        let n = ey.employees
        let nFormula = ey.monthlyHeadcounts != nil ? "N = 12个月职工人数之和 ÷ 12" : "N = 申报的在职职工年平均人数"
        t.add("N", "在职职工年平均人数", nFormula,
              inputs: ey.monthlyHeadcounts.map { hs in [TraceInput("各月人数", hs.map { $0.text() }.joined(separator: ";"))] } ?? [],
              result: n.text())
        guard n > .zero else {
            return EmployerReview(creditCode: employer.creditCode, employerName: employer.name, employerType: employer.type, year: year,
                                  status: .noStaff, employees: n, totalWages: ey.totalWages, required: nil, counted: nil, shortfall: nil, excess: nil,
                                  ratio: nil, exempt: nil, levy: nil, reward: nil, rows: verdicts, trace: t.steps, placeholderFigures: [])
        }

        // §3 Figures.
        let r = c.ratio
        let required = n * r
        t.add("R", "应安排残疾人数", "R = N × r", inputs: [TraceInput("N", n.text()), TraceInput("r", r.text())],
              result: required.text(), parameters: [c.ratioUse], uses: ["N"])
        let shortfall = Rational.max(.zero, required - d)
        let excess = Rational.max(.zero, d - required)
        t.add("S", "差额人数", "S = max(0, R − D)", inputs: [TraceInput("R", required.text()), TraceInput("D", d.text())],
              result: shortfall.text(), uses: ["R", "D"])
        t.add("E", "超比例人数", "E = max(0, D − R)", inputs: [TraceInput("D", d.text()), TraceInput("R", required.text())],
              result: excess.text(), uses: ["R", "D"])
        let rho = d / n
        t.add("rho", "安排比例", "ρ = D ÷ N", inputs: [TraceInput("D", d.text()), TraceInput("N", n.text())],
              result: "\(rho.text()) (\(rho.percentText()))", uses: ["D", "N"])

        // Levy: W, gross, exemption, tier factor, rounding once.
        let ownAverage = ey.totalWages.yuan / n
        let cap = c.capMultiple * c.socialAverageWage
        let w = Rational.min(ownAverage, cap)
        t.add("W", "计征工资（职工年平均工资，封顶）", "W = min(工资总额 ÷ N, 倍数 × 社会平均工资(\(year)))",
              inputs: [TraceInput("工资总额", ey.totalWages.description), TraceInput("N", n.text()),
                       TraceInput("工资总额 ÷ N", ownAverage.text()), TraceInput("倍数", c.capMultiple.text()),
                       TraceInput("社会平均工资", c.socialAverageWage.text()), TraceInput("上限", cap.text())],
              result: w.text(), parameters: [c.capUse, c.socialAverageWageUse], uses: ["N"])
        let gross = shortfall * w
        t.add("gross", "应缴额（减免前）", "S × W", inputs: [TraceInput("S", shortfall.text()), TraceInput("W", w.text())],
              result: gross.text(), uses: ["S", "W"])

        var exemptUses: [ParameterUse] = []
        var exempt = false
        if let (maxN, maxUse) = c.exemptMaxEmployees {
            exemptUses.append(maxUse)
            let typeUse = c.exemptTypes[employer.type]
            if let typeUse { exemptUses.append(typeUse) }
            exempt = typeUse != nil && n <= Rational(maxN)
            t.add("exempt", "小微企业暂免征收（\(year + 1)年征收）", "单位性质属于暂免类型 且 N ≤ \(maxN)",
                  inputs: [TraceInput("单位性质", employer.type.label), TraceInput("N", n.text())],
                  result: exempt ? "是" : "否", parameters: exemptUses, uses: ["N"])
        } else {
            t.add("exempt", "小微企业暂免征收（\(year + 1)年征收）", "\(year + 1)年无暂免政策",
                  inputs: [], result: "否")
        }

        var factor = Rational.one
        var factorText = "全额"
        if let tiers = c.reduction {
            if shortfall > .zero {
                if rho < tiers.lower { factor = tiers.low; factorText = "ρ < \(tiers.lower.percentText(places: 1))" }
                else if rho < r { factor = tiers.reduced; factorText = "\(tiers.lower.percentText(places: 1)) ≤ ρ < r" }
            }
            t.add("factor", "分档减缴系数（\(year + 1)年征收）",
                  "ρ < \(tiers.lower.percentText(places: 1)) → \(tiers.low.text())；\(tiers.lower.percentText(places: 1)) ≤ ρ < r → \(tiers.reduced.text())；否则 1",
                  inputs: [TraceInput("ρ", rho.text()), TraceInput("r", r.text())],
                  result: "\(factor.text())（\(factorText)）", parameters: tiers.uses, uses: ["rho", "R"])
        } else {
            t.add("factor", "分档减缴系数（\(year + 1)年征收）", "\(year + 1)年无分档减缴政策：按应缴额全额",
                  inputs: [], result: "1")
        }
        let levy = exempt ? Fen.zero : Fen(roundingYuan: gross * factor)
        t.add("levy", "残疾人就业保障金（\(year + 1)年缴纳）", exempt ? "暂免：0" : "保障金 = 四舍五入到分(S × W × 系数)",
              inputs: [TraceInput("应缴额", gross.text()), TraceInput("系数", factor.text())],
              result: levy.description, uses: exempt ? ["exempt"] : ["gross", "factor", "exempt"])

        // Reward: only above quota, never for a concentrated employer; independent of exemption.
        var reward = Fen.zero
        if employer.concentrated {
            t.add("reward", "超比例奖励", "集中就业单位不享受超比例奖励", inputs: [], result: "0.00")
        } else if !(rho > r) {
            t.add("reward", "超比例奖励", "仅当 ρ > r 时奖励",
                  inputs: [TraceInput("ρ", rho.text()), TraceInput("r", r.text())], result: "0.00", uses: [])
        } else if let rule = c.reward {
            let (amount, formula, inputs, uses) = rule.amount(excess: excess, minimumWage: minWage, minimumWageUses: minWageUses,
                                                             rows: Array(zip(sortedRows, verdicts)), year: year)
            reward = Fen(roundingYuan: amount)
            t.add("reward", "超比例奖励", formula, inputs: inputs, result: reward.description, parameters: uses, uses: ["E"])
        } else {
            t.add("reward", "超比例奖励", "\(year + 1)年无超比例奖励规则", inputs: [], result: "0.00")
        }

        var placeholders: Set<ReviewFigure> = []
        let map: [(ReviewFigure, String)] = [(.employees, "N"), (.required, "R"), (.counted, "D"), (.shortfall, "S"), (.excess, "E"),
                                             (.ratio, "rho"), (.exempt, "exempt"), (.levy, "levy"), (.reward, "reward")]
        for (f, code) in map where t.restsOnPlaceholder(code) { placeholders.insert(f) }
        return EmployerReview(creditCode: employer.creditCode, employerName: employer.name, employerType: employer.type, year: year,
                              status: .reviewed, employees: n, totalWages: ey.totalWages, required: required, counted: d, shortfall: shortfall, excess: excess,
                              ratio: rho, exempt: exempt, levy: levy, reward: reward, rows: verdicts, trace: t.steps,
                              placeholderFigures: placeholders)
    }

    /// POLICY.md §2 for one row.
    static func judge(_ p: ParsedRow, context c: ReviewContext, minimumWage: Rational, claimedTwice: Bool) -> RowVerdict {
        let row = p.row
        var reasons: [ReasonCode] = []
        if !p.identityValid { reasons.append(.invalidCertificate) }
        if let id = p.residentID {
            let ageAtStart = id.birthDate.completedYears(on: c.yearStart)
            let ageAtEnd = id.birthDate.completedYears(on: c.yearEnd)
            let maxAge = id.sex == .male ? c.maxMale : c.maxFemale
            if ageAtEnd < c.minAge || ageAtStart > maxAge { reasons.append(.outsideWorkingAge) }
        }
        if !row.establishment {
            if let start = row.contractStart {
                if let end = row.contractEnd, start.daysInclusive(through: end) < c.minContractDays { reasons.append(.contractTooShort) }
            } else {
                reasons.append(.contractTooShort)
            }
        }
        if row.lowestMonthlyWage.yuan < minimumWage { reasons.append(.belowMinimumWage) }
        if row.monthsPaid <= 0 { reasons.append(.noPaidMonths) }
        if claimedTwice { reasons.append(.claimedTwice) }
        let qualifies = reasons.isEmpty
        let months = Swift.min(12, Swift.max(0, row.monthsPaid))
        let share: Rational
        if !qualifies { share = .zero }
        else if c.wholePerson || (row.newGraduate && months > c.newGraduateMonths) { share = .one }
        else { share = Rational(Int128(months), 12) }
        return RowVerdict(certificateNo: p.number, isVeteran: p.isVeteran, qualifies: qualifies, weight: p.weight,
                          share: share, reasons: reasons, monthsPaid: row.monthsPaid)
    }
}

/// A roster row with its identity read once (for `claimed_twice` and the verdict).
struct ParsedRow {
    let row: RosterRow
    /// The number shown for the row: certificate, else veteran certificate.
    let number: String
    let isVeteran: Bool
    /// The certificate (or veteran row) passes CONTRACT.md §2 / POLICY.md §2.
    let identityValid: Bool
    /// The person's resident ID when it can be read, even from an otherwise invalid certificate.
    let residentID: ResidentID?
    let weight: Int

    /// Veteran grades 1–3 weigh 2 (财税〔2015〕72号 第八条); grades run 1–8.
    static let veteranGrades = 1...8
    static let veteranDoubleGrades = 1...3
    /// 残疾人证 grades 1–2 weigh 2.
    static let certificateDoubleGrades = 1...2

    init(_ row: RosterRow) {
        self.row = row
        let certificateText = row.certificateNo?.trimmingSpaces ?? ""
        let givenID = row.residentID.flatMap { try? ResidentID($0.trimmingSpaces) }
        if !certificateText.isEmpty {
            number = certificateText
            isVeteran = false
            if let cert = try? CertificateNumber(certificateText) {
                identityValid = true
                residentID = cert.residentID
                weight = ParsedRow.certificateDoubleGrades.contains(cert.grade) ? 2 : 1
            } else {
                identityValid = false
                let head = String(certificateText.prefix(18))
                residentID = (try? ResidentID(head)) ?? givenID
                weight = 1
            }
        } else if let vet = row.veteranCertificateNo?.trimmingSpaces, !vet.isEmpty {
            number = vet
            isVeteran = true
            residentID = givenID
            let gradeOK = row.veteranGrade.map { ParsedRow.veteranGrades.contains($0) } ?? false
            identityValid = gradeOK && givenID != nil
            weight = (gradeOK && ParsedRow.veteranDoubleGrades.contains(row.veteranGrade!)) ? 2 : 1
        } else {
            number = ""
            isVeteran = false
            identityValid = false
            residentID = givenID
            weight = 1
        }
    }

    /// A total order on rows that depends only on their content.
    static func ordered(_ a: ParsedRow, _ b: ParsedRow) -> Bool {
        let ka = (a.number, a.row.residentID ?? "", a.row.contractStart?.dayNumber ?? Int.min, a.row.monthsPaid, a.row.lowestMonthlyWage.value)
        let kb = (b.number, b.row.residentID ?? "", b.row.contractStart?.dayNumber ?? Int.min, b.row.monthsPaid, b.row.lowestMonthlyWage.value)
        return ka < kb
    }
}
