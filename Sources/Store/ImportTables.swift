import Domain
import Intake
import Postgres

/// How each import KIND lands in its table: the staging columns, the key the
/// merge upserts on, and a record's values in column order.
///
/// The staging table has exactly these columns; the merge copies them into the
/// real table and touches `updated_at` only when a value really changed, so
/// importing the same file twice changes nothing (CONTRACT.md §2).
struct ImportTable: Sendable {
    let table: String
    let columns: [String]
    let key: [String]
    /// The non-key columns an import may change on existing rows: those the file
    /// mentions (`mentioned(by:)`); nil means every column.
    var updatable: [String]? = nil

    static func forKind(_ kind: ImportKind) -> ImportTable {
        switch kind {
        case .regions:
            ImportTable(table: "region", columns: ["code", "name", "parent_code"], key: ["code"])
        case .households:
            ImportTable(table: "household", columns: ["household_id", "town_code", "employed_members", "flags"], key: ["household_id"])
        case .seekers:
            ImportTable(table: "seeker", columns: [
                "certificate_no", "reissue", "resident_id", "name", "town_code", "household_id", "education",
                "graduation_year", "skills", "certificates", "intentions", "work_capacity", "flags", "status",
                "registered_on", "phone",
            ], key: ["certificate_no"])
        case .trainings:
            ImportTable(table: "training", columns: ["certificate_no", "course", "start_date", "skill", "end_date", "completed"],
                        key: ["certificate_no", "course", "start_date"])
        case .employers:
            ImportTable(table: "employer", columns: ["credit_code", "name", "town_code", "type", "concentrated"], key: ["credit_code"])
        case .openings:
            ImportTable(table: "opening", columns: [
                "opening_id", "kind", "employer_credit_code", "category", "title", "town_code", "slots", "reach", "demands",
                "min_age", "max_age", "required_certificates", "required_skills", "preferred_skills", "monthly_wage_fen",
                "hours_per_week", "open_from", "open_until",
            ], key: ["opening_id"])
        case .employerYears:
            ImportTable(table: "employer_year", columns: ["credit_code", "year", "employees", "monthly_headcounts", "total_wages_fen"],
                        key: ["credit_code", "year"])
        case .rosters:
            ImportTable(table: "roster", columns: [
                "credit_code", "year", "person_key", "certificate_no", "veteran_certificate_no", "veteran_grade", "resident_id",
                "contract_start", "contract_end", "establishment", "months_paid", "lowest_monthly_wage_fen", "new_graduate",
            ], key: ["credit_code", "year", "person_key"])
        case .placements:
            ImportTable(table: "placement", columns: ["certificate_no", "opening_id", "start_date", "end_date", "monthly_wage_fen", "contract_months"],
                        key: ["certificate_no", "opening_id", "start_date"])
        }
    }

    /// The staging table's columns in COPY order: the table's, then the row's file
    /// row number, key and validity, then (for `--partial`) its raw cells.
    func stageColumns(keepingRawRows: Bool) -> [String] {
        columns + ["row_no", "row_key", "accepted"] + (keepingRawRows ? ["raw"] : [])
    }

    /// The merge from the staging table: insert new keys, update changed rows
    /// (and only those), report how many of each.
    ///
    /// Row by row it is one upsert (ON CONFLICT), safe against a concurrent import
    /// of the same keys. A bulk load holds the table locked (BulkLoad), so it can
    /// update and insert in two plain passes, which costs the server about half as
    /// much per new row as a speculative insert.
    func mergeSQL(bulk: Bool) -> String {
        let cols = columns.joined(separator: ", ")
        let nonKey = columns.filter { !key.contains($0) && (updatable?.contains($0) ?? true) }
        let changed = { (current: String, incoming: String) in
            nonKey.isEmpty ? "false"
                : "(\(nonKey.map { "\(current).\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(nonKey.map { "\(incoming).\($0)" }.joined(separator: ", ")))"
        }
        guard bulk else {
            let set = (nonKey.map { "\($0) = EXCLUDED.\($0)" } + ["updated_at = now()"]).joined(separator: ", ")
            return """
                WITH merged AS (
                    INSERT INTO \(table) AS t (\(cols))
                    SELECT \(cols) FROM import_stage
                    ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(set)
                    WHERE \(changed("t", "EXCLUDED"))
                    RETURNING (xmax = 0) AS inserted
                )
                SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM merged
                """
        }
        let sameKey = { (a: String, b: String) in key.map { "\(a).\($0) = \(b).\($0)" }.joined(separator: " AND ") }
        let set = (nonKey.map { "\($0) = s.\($0)" } + ["updated_at = now()"]).joined(separator: ", ")
        return """
            WITH updated AS (
                UPDATE \(table) AS t SET \(set) FROM import_stage s
                WHERE \(sameKey("t", "s")) AND \(changed("t", "s"))
                RETURNING 1
            ), inserted AS (
                INSERT INTO \(table) (\(cols))
                SELECT \(cols) FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM \(table) t WHERE \(sameKey("t", "s")))
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM updated) AS updated
            """
    }
}

extension ImportTable {
    /// CONTRACT.md §2: a column the file does not have leaves that field of an
    /// existing row as it is; an empty cell in a column it has clears the field.
    /// The table's non-key columns that the file's header mentions: by name, by
    /// name without `_fen` (money kept in fen), or as a group that one file
    /// column fills together (a certificate number gives the resident ID and
    /// reissue; employees and monthly headcounts are one figure).
    func mentioned(by fileColumns: Set<String>) -> [String] {
        let groups: [String: [String]] = [
            "seeker.reissue": ["certificate_no"], "seeker.resident_id": ["certificate_no"],
            "employer_year.employees": ["employees", "monthly_headcounts"],
            "employer_year.monthly_headcounts": ["employees", "monthly_headcounts"],
            "roster.certificate_no": ["certificate_no", "veteran_certificate_no", "resident_id"],
            "roster.veteran_certificate_no": ["certificate_no", "veteran_certificate_no", "resident_id"],
            "roster.resident_id": ["certificate_no", "veteran_certificate_no", "resident_id"],
        ]
        return columns.filter { c in
            guard !key.contains(c) else { return false }
            if let sources = groups["\(table).\(c)"] { return sources.contains(where: fileColumns.contains) }
            return fileColumns.contains(c) || (c.hasSuffix("_fen") && fileColumns.contains(String(c.dropLast(4))))
        }
    }

    /// This table, changing on existing rows only what the file mentions.
    func keeping(unmentionedBy fileColumns: Set<String>) -> ImportTable {
        var t = self
        t.updatable = mentioned(by: fileColumns)
        return t
    }

    /// Per mentioned column, how many existing rows the merge will change in it
    /// (run before the merge; the import's summary lists them).
    func columnChangesSQL() -> String? {
        let cols = updatable ?? columns.filter { !key.contains($0) }
        guard !cols.isEmpty else { return nil }
        let counts = cols.map { "count(*) FILTER (WHERE t.\($0) IS DISTINCT FROM s.\($0)) AS \($0)" }.joined(separator: ", ")
        let on = key.map { "t.\($0) = s.\($0)" }.joined(separator: " AND ")
        return "SELECT \(counts) FROM \(table) t JOIN import_stage s ON \(on)"
    }
}

extension ValidatedRecord {
    /// The record's values in the order of `ImportTable.forKind(kind).columns`, as COPY text.
    var stagingValues: [String?] {
        switch self {
        case .region(let r):
            return [r.code.value, r.name, r.parent?.value]
        case .household(let h):
            return [h.id.value, h.town.value, String(h.employedMembers), h.flags.map(\.code).sorted().postgresText]
        case .seeker(let s):
            return [s.certificate.key, s.certificate.reissue.map(String.init), s.certificate.residentID.value, s.name,
                    s.town.value, s.household?.value, s.education?.code, s.graduationYear.map(String.init),
                    s.skills.postgresText, s.certificates.postgresText, s.intentions.postgresText, s.capacity.code,
                    s.flags.map(\.code).sorted().postgresText, s.status.code, s.registeredOn?.description, s.phone]
        case .training(let t):
            return [t.certificateKey, t.course, t.startDate.description, t.skill, t.endDate?.description, t.completed ? "t" : "f"]
        case .employer(let e):
            return [e.creditCode.value, e.name, e.town.value, e.type.code, e.concentrated ? "t" : "f"]
        case .opening(let o):
            return [o.id.value, o.kind.code, o.employer?.value, o.category, o.title, o.town.value, String(o.slots), o.reach.code,
                    o.demands.map(\.code).sorted().postgresText, o.minAge.map(String.init), o.maxAge.map(String.init),
                    o.requiredCertificates.postgresText, o.requiredSkills.postgresText, o.preferredSkills.postgresText,
                    o.monthlyWage.map { String($0.value) }, String(o.hoursPerWeek), o.openFrom?.description, o.openUntil?.description]
        case .employerYear(let y):
            return [y.creditCode.value, String(y.year), y.employees.decimalString(places: 10),
                    y.monthlyHeadcounts.map { $0.map { $0.decimalString(places: 10) }.postgresText } ?? nil,
                    String(y.totalWages.value)]
        case .roster(let r):
            return [r.creditCode.value, String(r.year), RosterRow.personID(certificateNo: r.certificateNo, residentID: r.residentID), r.certificateNo, r.veteranCertificateNo,
                    r.veteranGrade.map(String.init), r.residentID, r.contractStart?.description, r.contractEnd?.description,
                    r.establishment ? "t" : "f", String(r.monthsPaid), String(r.lowestMonthlyWage.value), r.newGraduate ? "t" : "f"]
        case .placement(let p):
            return [p.certificateKey, p.opening.value, p.startDate.description, p.endDate?.description,
                    p.monthlyWage.map { String($0.value) }, p.contractMonths.map(String.init)]
        }
    }
}
