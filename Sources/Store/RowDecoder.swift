import Domain
import Postgres

/// Rows → domain records. The database holds only what intake validated, so a
/// row that does not decode means the schema and this code disagree: it is
/// reported as a store error naming the table and key, never a personal value.
enum RowDecoder {
    static func bad(_ table: String, _ key: String, _ column: String) -> StoreError {
        .conflict("\(table) \(key): column \(column) does not decode; was the row written outside jobmatch?")
    }

    static func date(_ row: Row, _ column: String, table: String, key: String) throws -> CivilDate? {
        guard let text = try row.optionalString(column) else { return nil }
        guard let d = CivilDate(iso: text) else { throw bad(table, key, column) }
        return d
    }

    static func coded<T: CodedValue>(_ row: Row, _ column: String, table: String, key: String) throws -> T? {
        guard let text = try row.optionalString(column) else { return nil }
        guard let v = T(codeOrLabel: text) else { throw bad(table, key, column) }
        return v
    }

    static func codedSet<T: CodedValue>(_ row: Row, _ column: String, table: String, key: String) throws -> Set<T> {
        Set(try row.stringArray(column).map { text in
            guard let v = T(codeOrLabel: text) else { throw bad(table, key, column) }
            return v
        })
    }

    static func seeker(_ row: Row) throws -> Seeker {
        let key = try row.string("certificate_no")
        guard let cert = try? CertificateNumber(key) else { throw bad("seeker", Masking.identifier(key), "certificate_no") }
        let certificate = try row.optionalInt("reissue").map { n in (try? CertificateNumber(key + "B\(n)")) ?? cert } ?? cert
        let masked = cert.masked
        return Seeker(
            certificate: certificate, name: try row.string("name"), town: RegionCode(try row.string("town_code")),
            household: try row.optionalString("household_id").map(HouseholdID.init),
            education: try coded(row, "education", table: "seeker", key: masked),
            graduationYear: try row.optionalInt("graduation_year"),
            skills: try row.stringArray("skills"), certificates: try row.stringArray("certificates"),
            intentions: try row.stringArray("intentions"),
            capacity: try coded(row, "work_capacity", table: "seeker", key: masked) ?? .full,
            flags: try codedSet(row, "flags", table: "seeker", key: masked),
            status: try coded(row, "status", table: "seeker", key: masked) ?? .seeking,
            registeredOn: try date(row, "registered_on", table: "seeker", key: masked),
            phone: try row.optionalString("phone"))
    }

    static func household(_ row: Row) throws -> Household {
        let id = try row.string("household_id")
        return Household(id: HouseholdID(id), town: RegionCode(try row.string("town_code")),
                         employedMembers: try row.int("employed_members"),
                         flags: try codedSet(row, "flags", table: "household", key: id))
    }

    static func training(_ row: Row) throws -> Training {
        let cert = try row.string("certificate_no")
        let key = Masking.identifier(cert)
        guard let start = try date(row, "start_date", table: "training", key: key) else { throw bad("training", key, "start_date") }
        return Training(certificateKey: cert, course: try row.string("course"), skill: try row.optionalString("skill"),
                        startDate: start, endDate: try date(row, "end_date", table: "training", key: key),
                        completed: try row.bool("completed"))
    }

    static func opening(_ row: Row) throws -> Opening {
        let id = try row.string("opening_id")
        guard let kind: OpeningKind = try coded(row, "kind", table: "opening", key: id) else { throw bad("opening", id, "kind") }
        let employer = try row.optionalString("employer_credit_code").map { text in
            guard let c = try? CreditCode(text) else { throw bad("opening", id, "employer_credit_code") }
            return c
        }
        return Opening(
            id: OpeningID(id), kind: kind, employer: employer, category: try row.string("category"),
            title: try row.optionalString("title"), town: RegionCode(try row.string("town_code")), slots: try row.int("slots"),
            reach: try coded(row, "reach", table: "opening", key: id), demands: try codedSet(row, "demands", table: "opening", key: id),
            minAge: try row.optionalInt("min_age"), maxAge: try row.optionalInt("max_age"),
            requiredCertificates: try row.stringArray("required_certificates"), requiredSkills: try row.stringArray("required_skills"),
            preferredSkills: try row.stringArray("preferred_skills"), monthlyWage: try row.optionalInt64("monthly_wage_fen").map { Fen($0) },
            hoursPerWeek: try row.int("hours_per_week"), openFrom: try date(row, "open_from", table: "opening", key: id),
            openUntil: try date(row, "open_until", table: "opening", key: id))
    }

    static func placement(_ row: Row) throws -> Placement {
        let cert = try row.string("certificate_no")
        let key = Masking.identifier(cert)
        guard let start = try date(row, "start_date", table: "placement", key: key) else { throw bad("placement", key, "start_date") }
        var p = Placement(certificateKey: cert, opening: OpeningID(try row.string("opening_id")), startDate: start,
                          endDate: try date(row, "end_date", table: "placement", key: key),
                          monthlyWage: try row.optionalInt64("monthly_wage_fen").map { Fen($0) },
                          contractMonths: try row.optionalInt("contract_months"))
        p.endedEarly = row["end_reason"] != nil  // nil too where the query does not select it
        return p
    }

    static func employer(_ row: Row) throws -> Employer {
        let code = try row.string("credit_code")
        guard let credit = try? CreditCode(code) else { throw bad("employer", code, "credit_code") }
        guard let type: EmployerType = try coded(row, "type", table: "employer", key: code) else { throw bad("employer", code, "type") }
        return Employer(creditCode: credit, name: try row.string("name"), town: RegionCode(try row.string("town_code")),
                        type: type, concentrated: try row.bool("concentrated"))
    }

    static func employerYear(_ row: Row) throws -> EmployerYear {
        let code = try row.string("credit_code")
        guard let credit = try? CreditCode(code) else { throw bad("employer_year", code, "credit_code") }
        let headcounts = try row.optionalString("monthly_headcounts") == nil ? nil
            : try row.stringArray("monthly_headcounts").map { text in
                guard let r = Rational(decimal: text) else { throw bad("employer_year", code, "monthly_headcounts") }
                return r
            }
        // With monthly headcounts, the exact mean is recomputed: the stored
        // `employees` is rounded for people to read.
        let employees: Rational
        if let headcounts, headcounts.count == 12 {
            employees = EmployerYear.mean(ofMonths: headcounts)
        } else {
            guard let e = Rational(decimal: try row.string("employees")) else { throw bad("employer_year", code, "employees") }
            employees = e
        }
        return EmployerYear(creditCode: credit, year: try row.int("year"), employees: employees, monthlyHeadcounts: headcounts,
                            totalWages: Fen(try row.int64("total_wages_fen")))
    }

    static func roster(_ row: Row) throws -> RosterRow {
        let code = try row.string("credit_code")
        guard let credit = try? CreditCode(code) else { throw bad("roster", code, "credit_code") }
        let key = "\(code)/\(try row.int("year"))"
        return RosterRow(
            creditCode: credit, year: try row.int("year"), certificateNo: try row.optionalString("certificate_no"),
            veteranCertificateNo: try row.optionalString("veteran_certificate_no"), veteranGrade: try row.optionalInt("veteran_grade"),
            residentID: try row.optionalString("resident_id"),
            contractStart: try date(row, "contract_start", table: "roster", key: key),
            contractEnd: try date(row, "contract_end", table: "roster", key: key),
            establishment: try row.bool("establishment"), monthsPaid: try row.int("months_paid"),
            lowestMonthlyWage: Fen(try row.int64("lowest_monthly_wage_fen")), newGraduate: try row.bool("new_graduate"))
    }
}
