import App
import Domain
import Foundation
import Postgres
import Store

// The one door from the web to the use cases. Today they are Store functions
// and a few queries; when the App target lands, this file is what changes.

/// A seeker as a list shows it (identities masked).
struct SeekerSummary: Codable, Sendable, Equatable {
    var seeker_id: String
    var certificate_no: String
    var name: String
    var town_code: String
    var status: String
}

/// A seeker's record; masked unless `masked` is false.
struct SeekerRecord: Codable, Sendable, Equatable {
    var seeker_id: String
    var certificate_no: String
    var name: String
    var town_code: String
    var status: String
    var work_capacity: String
    var education: String?
    var registered_on: String?
    var phone: String?
    var masked: Bool
}

struct Overview: Sendable {
    var seekers: Int
    var queued: Int
    var recentRuns: [(id: Int64, region: String, date: String, placed: Int)]
}

/// A fact a use case refuses with (mapped to HTTP by the server).
enum UseCaseError: Error, Equatable {
    case notFound
    case unknownRegion
    case badDate
    /// A text PostgreSQL cannot hold (a NUL character): 400.
    case badInput
}

enum UseCases {
    /// Refuses a NUL character before it reaches PostgreSQL (text cannot hold one).
    static func plainText(_ values: String?...) throws {
        if values.contains(where: { $0?.unicodeScalars.contains("\u{0}") == true }) { throw UseCaseError.badInput }
    }

    /// An identifier with a NUL character names nothing: 404.
    static func plainID(_ id: String) throws {
        if id.unicodeScalars.contains("\u{0}") { throw UseCaseError.notFound }
    }

    static func maskName(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    static func maskPhone(_ phone: String) -> String {
        let c = Array(phone)
        guard c.count > 7 else { return String(repeating: "*", count: c.count) }
        return String(c[0..<3]) + String(repeating: "*", count: c.count - 7) + String(c[(c.count - 4)...])
    }

    /// The region clause of every seeker query: the principal's scope (row-level
    /// security checks it again for the web's database role).
    static func scoped(_ p: AccountStore.Principal) -> (all: Bool, scope: [String]) { (p.allRegions, p.scope) }

    static func summary(_ row: Row) throws -> SeekerSummary {
        SeekerSummary(seeker_id: try row.string("seeker_id"), certificate_no: Masking.identifier(try row.string("certificate_no")),
                      name: maskName(try row.string("name")), town_code: try row.string("town_code"), status: try row.string("status"))
    }

    static func listSeekers(_ c: Connection, _ p: AccountStore.Principal, region: String?, limit: Int, after cursor: String?)
        throws -> (items: [SeekerSummary], next: String?) {
        try plainText(region, cursor)
        if let region, !p.covers(region) { throw UseCaseError.unknownRegion }
        let s = scoped(p)
        let rows = try c.query("""
            SELECT seeker_id, certificate_no, name, town_code, status FROM seeker
            WHERE (\(s.all) OR town_code = ANY (\(s.scope)::text[]))
              AND (\(region)::text IS NULL OR town_code = \(region))
              AND (\(cursor)::text IS NULL OR seeker_id > \(cursor))
            ORDER BY seeker_id LIMIT \(limit + 1)
            """)
        var items = try rows.map(summary)
        var next: String?
        if items.count > limit {
            items.removeLast()
            next = items.last?.seeker_id
        }
        return (items, next)
    }

    static func searchSeekers(_ c: Connection, _ p: AccountStore.Principal, certificateNo: String?, name: String?,
                              region: String?, limit: Int) throws -> [SeekerSummary] {
        try plainText(certificateNo, name, region)
        if let region, !p.covers(region) { throw UseCaseError.unknownRegion }
        let s = scoped(p)
        let cert = certificateNo?.uppercased().trimmingCharacters(in: .whitespaces)
        let name = name?.trimmingCharacters(in: .whitespaces)
        return try c.query("""
            SELECT seeker_id, certificate_no, name, town_code, status FROM seeker
            WHERE (\(s.all) OR town_code = ANY (\(s.scope)::text[]))
              AND (\(region)::text IS NULL OR town_code = \(region))
              AND (\(cert)::text IS NULL OR certificate_no = \(cert) OR resident_id = \(cert))
              AND (\(name)::text IS NULL OR name = \(name))
            ORDER BY town_code, seeker_id LIMIT \(limit)
            """).map(summary)
    }

    /// One seeker; `unmasked` (a role that may) is audited as a reveal.
    static func seeker(_ c: Connection, _ p: AccountStore.Principal, id: String, unmasked: Bool) throws -> SeekerRecord {
        try plainID(id)
        let s = scoped(p)
        guard let row = try c.query("""
            SELECT seeker_id, certificate_no, name, town_code, status, work_capacity, education,
                   registered_on::text AS registered_on, phone
            FROM seeker WHERE seeker_id = \(id) AND (\(s.all) OR town_code = ANY (\(s.scope)::text[]))
            """).first else { throw UseCaseError.notFound }
        let cert = try row.string("certificate_no"), name = try row.string("name"), phone = try row.optionalString("phone")
        if unmasked {
            try Audit.record(c, actor: p.actor, action: "seeker.reveal", subject: id, detail: ["fields": "all"])
        }
        return SeekerRecord(seeker_id: id, certificate_no: unmasked ? cert : Masking.identifier(cert),
                            name: unmasked ? name : maskName(name), town_code: try row.string("town_code"),
                            status: try row.string("status"), work_capacity: try row.string("work_capacity"),
                            education: try row.optionalString("education"), registered_on: try row.optionalString("registered_on"),
                            phone: unmasked ? phone : phone.map(maskPhone), masked: !unmasked)
    }

    /// The full value of one field of a seeker (a page's "显示"), audited.
    static func reveal(_ c: Connection, _ p: AccountStore.Principal, id: String, field: String) throws -> String {
        try plainID(id)
        let column: String
        switch field {
        case "certificate_no", "name", "phone": column = field
        default: throw UseCaseError.notFound
        }
        let s = scoped(p)
        guard let row = try c.query("""
            SELECT \(unsafe: column) AS value FROM seeker WHERE seeker_id = \(id) AND (\(s.all) OR town_code = ANY (\(s.scope)::text[]))
            """).first else { throw UseCaseError.notFound }
        try Audit.record(c, actor: p.actor, action: "seeker.reveal", subject: id, detail: ["fields": field])
        return try row.optionalString("value") ?? ""
    }

    static func overview(_ c: Connection, _ p: AccountStore.Principal) throws -> Overview {
        let s = scoped(p)
        let seekers = try c.query("""
            SELECT count(*)::int AS n FROM seeker WHERE (\(s.all) OR town_code = ANY (\(s.scope)::text[]))
            """)[0].int("n")
        let queued = try c.query("""
            SELECT count(*)::int AS n FROM match_request
            WHERE state = 'queued' AND (\(s.all) OR region_code = ANY (\(s.scope)::text[]))
            """)[0].int("n")
        let runs = try c.query("""
            SELECT run_id, region_code, run_date::text AS run_date, objective_placed FROM match_run
            WHERE (\(s.all) OR region_code = ANY (\(s.scope)::text[]))
            ORDER BY run_id DESC LIMIT 10
            """).map { (try $0.int64("run_id"), try $0.string("region_code"), try $0.string("run_date"), try $0.int("objective_placed")) }
        return Overview(seekers: seekers, queued: queued, recentRuns: runs)
    }

    /// Enqueues a matching run of one region (the daemon's worker runs it).
    static func enqueueRun(_ c: Connection, _ p: AccountStore.Principal, region: String, date: String?) throws -> Int64 {
        try plainText(region, date)
        guard p.covers(region), try RequestQueue.unknownRegions(c, [region]).isEmpty else { throw UseCaseError.unknownRegion }
        if let date, CivilDate(iso: date) == nil { throw UseCaseError.badDate }
        return try c.transaction { tx in
            let id = try RequestQueue.enqueue(tx, region: region, date: date, requestedBy: p.actor)
            try Audit.record(tx, actor: p.actor, action: "run.request", subject: region, detail: ["request_id": String(id)])
            return id
        }
    }

    /// A request's state, if its region is the principal's.
    static func request(_ c: Connection, _ p: AccountStore.Principal, id: Int64) throws -> (state: String, runID: Int64?) {
        guard let row = try c.query("SELECT region_code FROM match_request WHERE request_id = \(id)").first,
              p.covers(try row.string("region_code")),
              let s = try RequestQueue.state(c, requestID: id) else { throw UseCaseError.notFound }
        return (s.state, s.runID)
    }
}

// MARK: - Runs, proposals, confirmation

struct RunSummary: Codable, Sendable {
    var run_id: Int64
    var region_code: String
    var run_date: String
    var seekers: Int
    var openings: Int
    var objective_households: Int
    var objective_priority: Int
    var objective_placed: Int
    var objective_score: Int64
}

struct ProposalReason: Codable, Sendable, Equatable {
    var code: String
    var text: String
}

struct ProposalItem: Codable, Sendable {
    var proposal_id: Int64
    var seeker_id: String?
    var certificate_no: String
    var opening_id: String
    var score: Int
    var reasons: [ProposalReason]
    var confirmed: Bool
}

struct UnmatchedItem: Codable, Sendable {
    var seeker_id: String?
    var certificate_no: String
    var reason: String
}

extension UseCases {
    /// A run, if its region is the principal's.
    static func run(_ c: Connection, _ p: AccountStore.Principal, id: Int64) throws -> RunSummary {
        guard let row = try c.query("""
            SELECT run_id, region_code, run_date::text AS run_date, seekers, openings, objective_households,
                   objective_priority, objective_placed, objective_score
            FROM match_run WHERE run_id = \(id)
            """).first, p.covers(try row.string("region_code")) else { throw UseCaseError.notFound }
        return RunSummary(run_id: id, region_code: try row.string("region_code"), run_date: try row.string("run_date"),
                          seekers: try row.int("seekers"), openings: try row.int("openings"),
                          objective_households: try row.int("objective_households"), objective_priority: try row.int("objective_priority"),
                          objective_placed: try row.int("objective_placed"), objective_score: try row.int64("objective_score"))
    }

    /// The run page's data: the run (looked up and checked once), a page of its proposals and its first unmatched.
    static func runPage(_ c: Connection, _ p: AccountStore.Principal, id: Int64, limit: Int, after cursor: Int64?)
        throws -> (run: RunSummary, proposals: (items: [ProposalItem], next: Int64?), unmatched: [UnmatchedItem]) {
        let r = try run(c, p, id: id)
        return (r, try proposals(c, of: r, limit: limit, after: cursor), try unmatched(c, of: r, limit: limit))
    }

    static func proposals(_ c: Connection, _ p: AccountStore.Principal, run: Int64, limit: Int, after cursor: Int64?)
        throws -> (items: [ProposalItem], next: Int64?) {
        try proposals(c, of: try self.run(c, p, id: run), limit: limit, after: cursor)
    }

    /// A page of the proposals of `checked`, a run the principal was found to cover.
    private static func proposals(_ c: Connection, of checked: RunSummary, limit: Int, after cursor: Int64?)
        throws -> (items: [ProposalItem], next: Int64?) {
        let run = checked.run_id
        // The reasons come out of their jsonb as two text arrays: decoding 50 JSON
        // documents a page with JSONDecoder took more time than the rest of the request.
        let rows = try c.query("""
            SELECT pr.proposal_id, s.seeker_id, pr.certificate_no, pr.opening_id, pr.score,
                   ARRAY(SELECT coalesce(e->>'code', '') FROM jsonb_array_elements(\(unsafe: reasonsArray)) WITH ORDINALITY r(e, n)
                         ORDER BY n) AS reason_codes,
                   ARRAY(SELECT coalesce(e->>'text', '') FROM jsonb_array_elements(\(unsafe: reasonsArray)) WITH ORDINALITY r(e, n)
                         ORDER BY n) AS reason_texts,
                   pr.confirmed_at IS NOT NULL AS confirmed
            FROM proposal pr LEFT JOIN seeker s ON s.certificate_no = pr.certificate_no
            WHERE pr.run_id = \(run) AND (\(cursor)::bigint IS NULL OR pr.proposal_id > \(cursor))
            ORDER BY pr.proposal_id LIMIT \(limit + 1)
            """)
        var items = try rows.map { row in
            let codes = try row.stringArray("reason_codes"), texts = try row.stringArray("reason_texts")
            return ProposalItem(proposal_id: try row.int64("proposal_id"), seeker_id: try row.optionalString("seeker_id"),
                                certificate_no: Masking.identifier(try row.string("certificate_no")),
                                opening_id: try row.string("opening_id"), score: try row.int("score"),
                                reasons: zip(codes, texts).map { ProposalReason(code: $0, text: $1) },
                                confirmed: try row.bool("confirmed"))
        }
        var next: Int64?
        if items.count > limit {
            items.removeLast()
            next = items.last?.proposal_id
        }
        return (items, next)
    }

    /// A proposal's `reasons`, or an empty array if it is not one (as before: no reasons shown).
    private static let reasonsArray = "CASE jsonb_typeof(pr.reasons) WHEN 'array' THEN pr.reasons ELSE '[]' END"

    static func unmatched(_ c: Connection, _ p: AccountStore.Principal, run: Int64, limit: Int? = nil) throws -> [UnmatchedItem] {
        try unmatched(c, of: try self.run(c, p, id: run), limit: limit)
    }

    /// The unmatched of `checked`, a run the principal was found to cover.
    private static func unmatched(_ c: Connection, of checked: RunSummary, limit: Int?) throws -> [UnmatchedItem] {
        let run = checked.run_id
        return try c.query("""
            SELECT s.seeker_id, u.certificate_no, u.reason
            FROM unmatched u LEFT JOIN seeker s ON s.certificate_no = u.certificate_no
            WHERE u.run_id = \(run) ORDER BY u.certificate_no LIMIT \(limit)
            """).map { row in
            UnmatchedItem(seeker_id: try row.optionalString("seeker_id"), certificate_no: Masking.identifier(try row.string("certificate_no")),
                          reason: try row.string("reason"))
        }
    }

    /// Confirms proposals of runs of the principal's regions, all or none (`Refused`
    /// when one no longer holds); a proposal that is not there or of another region is 404.
    static func confirm(_ c: Connection, _ p: AccountStore.Principal, proposals ids: [Int64], jurisdiction: String) throws -> Confirm.Outcome {
        let asked = Set(ids)
        let rows = try c.query("""
            SELECT r.region_code FROM proposal pr JOIN match_run r USING (run_id) WHERE pr.proposal_id = ANY (\(Array(asked))::bigint[])
            """)
        guard !asked.isEmpty, rows.count == asked.count, try rows.allSatisfy({ p.covers(try $0.string("region_code")) }) else {
            throw UseCaseError.notFound
        }
        return try Confirm.confirm(c, .proposals(asked.sorted()), startDate: nil, partial: false, jurisdiction: jurisdiction, actor: p.actor)
    }
}

// MARK: - Policy

struct PolicyItem: Codable, Sendable {
    var key: String
    var jurisdiction: String
    var valid_from: String
    var valid_to: String?
    var value: String
    var source: String
    var status: String
}

extension UseCases {
    /// Today in the center's time zone (Asia/Shanghai).
    static func today() -> CivilDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let d = cal.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: d.year!, month: d.month!, day: d.day!)!
    }

    /// The parameters in force on `date` for `jurisdiction` (and the jurisdictions above it).
    static func policy(_ c: Connection, jurisdiction: String, date: CivilDate) throws -> [PolicyItem] {
        try PolicyStore.load(c).book.inForce(jurisdiction: jurisdiction, on: date).map { p in
            PolicyItem(key: p.key, jurisdiction: p.jurisdiction, valid_from: p.validFrom.description,
                       valid_to: p.validTo?.description, value: p.value, source: p.source, status: p.status.rawValue)
        }
    }
}
