import Domain
import Foundation
import Postgres

/// `explain --seeker`: reads what a STORED run said about one seeker — the
/// proposal with its stored reasons and score parts, the other candidate
/// openings, or the stored reason of an unmatched seeker — so the answer is
/// what the run decided, not a recomputation on today's data. Only a seeker
/// absent from the run is judged now (E1 on the run's date).
public enum ExplainStore {
    /// The explanation of `certificate` in `runID`, or by default in the latest
    /// run that holds the seeker (else the latest run of a region above the
    /// seeker's town). Throws `StoreError.notFound` for an unknown seeker or run.
    public static func explain(_ c: Connection, certificate: String, runID: Int64?) throws -> SeekerExplanation {
        let key = String(certificate.uppercased().prefix(20))
        guard let seeker = try c.query("""
            SELECT certificate_no, name, town_code, status FROM seeker WHERE certificate_no = \(key)
            """).first else {
            throw StoreError.notFound("seeker \(Masking.identifier(key))")
        }
        let name = try seeker.string("name")
        let run: SeekerExplanation.Run?
        if let runID {
            guard let row = try c.query("SELECT run_id, region_code, run_date::text AS run_date FROM match_run WHERE run_id = \(runID)").first else {
                throw StoreError.notFound("run \(runID)")
            }
            run = try runValue(row)
        } else {
            let held = try c.query("""
                SELECT r.run_id, r.region_code, r.run_date::text AS run_date FROM match_run r
                WHERE r.run_id IN (SELECT run_id FROM proposal WHERE certificate_no = \(key)
                                   UNION ALL SELECT run_id FROM unmatched WHERE certificate_no = \(key))
                ORDER BY r.run_id DESC LIMIT 1
                """).first
            let above = try held == nil ? c.query("""
                WITH RECURSIVE up(code) AS (
                    SELECT town_code FROM seeker WHERE certificate_no = \(key)
                    UNION SELECT r.parent_code FROM region r JOIN up ON r.code = up.code WHERE r.parent_code IS NOT NULL
                )
                SELECT run_id, region_code, run_date::text AS run_date FROM match_run
                WHERE region_code IN (SELECT code FROM up) ORDER BY run_id DESC LIMIT 1
                """).first : nil
            run = try (held ?? above).map(runValue)
        }
        guard let run else {
            return SeekerExplanation(certificateKey: key, name: name, run: nil,
                                     outcome: .notInRun("尚无可解释的匹配结果；运行 `jobmatch match` 后再查询。"), alternatives: [])
        }

        var proposedOpening: String?
        let outcome: SeekerExplanation.Outcome
        if let p = try c.query("""
            SELECT proposal_id, opening_id, score, score_parts::text AS score_parts, reasons::text AS reasons,
                   to_char(confirmed_at, 'YYYY-MM-DD HH24:MI') AS confirmed_at
            FROM proposal WHERE run_id = \(run.runID) AND certificate_no = \(key)
            """).first {
            let opening = try p.string("opening_id")
            proposedOpening = opening
            let d = JSONDecoder()
            let parts = try d.decode([RunStore.StoredPart].self, from: Data(try p.string("score_parts").utf8))
            let reasons = try d.decode([RunStore.StoredReason].self, from: Data(try p.string("reasons").utf8))
            outcome = .proposed(proposalID: try p.int64("proposal_id"), opening: try label(c, opening),
                                score: try p.int("score"), reasons: reasons.filter { !$0.code.hasPrefix("score_") }.map(\.text),
                                parts: parts.map { .init(label: $0.label, points: $0.points, maximum: $0.maximum, detail: $0.detail) },
                                confirmedAt: try p.optionalString("confirmed_at"))
        } else if let u = try c.query("""
            SELECT reason, detail::text AS detail FROM unmatched WHERE run_id = \(run.runID) AND certificate_no = \(key)
            """).first {
            let detail = try JSONDecoder().decode(RunStore.StoredUnmatched.self, from: Data(try u.string("detail").utf8))
            outcome = .unmatched(reason: try u.string("reason"), detail: detail.text)
        } else {
            // Not in the run: E1 (status, or a placement active on the run's date), else another reason.
            let status = SeekerStatus(codeOrLabel: try seeker.string("status")) ?? .seeking
            let placed = try c.query("""
                SELECT opening_id FROM placement
                WHERE certificate_no = \(key) AND start_date <= \(run.date)::date AND (end_date IS NULL OR end_date >= \(run.date)::date)
                ORDER BY opening_id LIMIT 1
                """).first.map { try $0.string("opening_id") }
            if status != .seeking {
                outcome = .excludedByE1("求职状态为“\(status.label)”，不在求职中")
            } else if let placed {
                outcome = .excludedByE1("运行日 \(run.date) 已在岗位 \(placed) 就业（安置记录有效）")
            } else {
                outcome = .notInRun("不在本次运行中：E1 不排除此人（求职中、运行日无有效安置），可能是运行之后才登记，或所在镇街不在区域 \(run.region) 内。")
            }
        }
        let alternatives = try c.query("""
            SELECT opening_id, score FROM candidate
            WHERE run_id = \(run.runID) AND certificate_no = \(key) AND opening_id IS DISTINCT FROM \(proposedOpening)
            ORDER BY score DESC, opening_id LIMIT 5
            """).map { (opening: try label(c, try $0.string("opening_id")), score: try $0.int("score")) }
        return SeekerExplanation(certificateKey: key, name: name, run: run, outcome: outcome, alternatives: alternatives)
    }

    static func runValue(_ row: Row) throws -> SeekerExplanation.Run {
        .init(runID: try row.int64("run_id"), region: try row.string("region_code"), date: try row.string("run_date"))
    }

    /// An opening's label: category and town by name, kind in Chinese.
    static func label(_ c: Connection, _ openingID: String) throws -> SeekerExplanation.OpeningLabel {
        guard let row = try c.query("""
            SELECT o.opening_id, o.kind, o.title, coalesce(jc.name, o.category) AS category, coalesce(r.name, o.town_code) AS town
            FROM opening o LEFT JOIN job_category jc ON jc.code = o.category LEFT JOIN region r ON r.code = o.town_code
            WHERE o.opening_id = \(openingID)
            """).first else {
            return .init(id: openingID, category: "?", town: "?", kindLabel: "?", title: nil)
        }
        let kind = try row.string("kind")
        return .init(id: openingID, category: try row.string("category"), town: try row.string("town"),
                     kindLabel: OpeningKind(codeOrLabel: kind)?.label ?? kind, title: try row.optionalString("title"))
    }
}
