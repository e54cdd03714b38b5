import Domain
import Postgres
import Quota

/// Counts the facts behind the plan's indicators for a year (see
/// `PlanIndicators` for what each means); one READ ONLY, REPEATABLE READ
/// transaction so every count sees the same data.
public enum IndicatorStore {
    /// The facts of `year`.
    public static func facts(_ c: Connection, year: Int) throws -> IndicatorFacts {
        try c.transaction(isolation: .repeatableRead, readOnly: true) { tx in
            try read(tx, year: year)
        }
    }

    static func read(_ tx: Connection, year: Int) throws -> IndicatorFacts {
        let first = "make_date(\(year), 1, 1)", last = "make_date(\(year), 12, 31)"
        func count(_ sql: String) throws -> Int {
            try tx.query(Query(unsafeSQL: sql.replacingOccurrences(of: "{first}", with: first).replacingOccurrences(of: "{last}", with: last)))[0].int("n")
        }
        // Only literal integers are spliced (year, the plan period); no value from outside.
        let planFrom = PlanIndicators.planPeriod.lowerBound, planTo = min(year, PlanIndicators.planPeriod.upperBound)
        let registeredTotal = try count("SELECT count(*) AS n FROM seeker WHERE registered_on IS NULL OR registered_on <= {last}")
        let registeredInYear = try count("SELECT count(*) AS n FROM seeker WHERE registered_on BETWEEN {first} AND {last}")
        let trainedInYear = try count("SELECT count(*) AS n FROM training WHERE completed AND coalesce(end_date, start_date) BETWEEN {first} AND {last}")
        let trainedPeriod = planTo < planFrom ? 0 : try count("""
            SELECT count(*) AS n FROM training
            WHERE completed AND coalesce(end_date, start_date) BETWEEN make_date(\(planFrom), 1, 1) AND make_date(\(planTo), 12, 31)
            """)
        // The plan counts persons (人): one person trained twice is one.
        let trainedPersonsInYear = try count("""
            SELECT count(DISTINCT certificate_no) AS n FROM training
            WHERE completed AND coalesce(end_date, start_date) BETWEEN {first} AND {last}
            """)
        let trainedPersonsPeriod = planTo < planFrom ? 0 : try count("""
            SELECT count(DISTINCT certificate_no) AS n FROM training
            WHERE completed AND coalesce(end_date, start_date) BETWEEN make_date(\(planFrom), 1, 1) AND make_date(\(planTo), 12, 31)
            """)
        var byKind: [OpeningKind: Int] = [:]
        for row in try tx.query(Query(unsafeSQL: """
            SELECT o.kind, count(*) AS n FROM placement p JOIN opening o ON o.opening_id = p.opening_id
            WHERE p.start_date BETWEEN \(first) AND \(last) GROUP BY o.kind
            """)) {
            if let k = OpeningKind(codeOrLabel: try row.string("kind")) { byKind[k] = try row.int("n") }
        }
        let active = "p.start_date <= {last} AND (p.end_date IS NULL OR p.end_date >= {first})"
        let welfareFilled = try count("""
            SELECT count(*) AS n FROM placement p JOIN opening o ON o.opening_id = p.opening_id
            WHERE o.kind = 'public_welfare' AND \(active)
            """)
        let welfareSlots = try count("""
            SELECT coalesce(sum(slots), 0) AS n FROM opening
            WHERE kind = 'public_welfare' AND (open_from IS NULL OR open_from <= {last}) AND (open_until IS NULL OR open_until >= {first})
            """)
        let lifted = try count("""
            SELECT count(DISTINCT h.household_id) AS n
            FROM placement p JOIN seeker s ON s.certificate_no = p.certificate_no JOIN household h ON h.household_id = s.household_id
            WHERE h.employed_members = 0 AND p.start_date BETWEEN {first} AND {last}
            """)
        let placed = try count("""
            SELECT count(DISTINCT p.certificate_no) AS n FROM placement p JOIN seeker s ON s.certificate_no = p.certificate_no
            WHERE (s.registered_on IS NULL OR s.registered_on <= {last}) AND \(active)
            """)
        let totals = try tx.query("""
            WITH latest AS (
                SELECT DISTINCT ON (credit_code) status, levy_fen, reward_fen FROM review
                WHERE year = \(year) ORDER BY credit_code, version DESC
            )
            SELECT count(*) FILTER (WHERE status = 'reviewed') AS reviewed,
                   coalesce(sum(levy_fen) FILTER (WHERE status = 'reviewed'), 0) AS levy,
                   coalesce(sum(reward_fen) FILTER (WHERE status = 'reviewed'), 0) AS reward
            FROM latest
            """)[0]
        var facts = IndicatorFacts(year: year, seekersRegisteredTotal: registeredTotal, seekersRegisteredInYear: registeredInYear,
                              trainedInYear: trainedInYear, trainedInPlanPeriod: trainedPeriod, placementsByKind: byKind,
                              welfarePostsFilled: welfareFilled, welfarePostSlots: welfareSlots, householdsLifted: lifted,
                              seekersPlacedInYear: placed, employersReviewed: try totals.int("reviewed"),
                              levy: Fen(try totals.int64("levy")), reward: Fen(try totals.int64("reward")))
        facts.trainedPersonsInYear = trainedPersonsInYear
        facts.trainedPersonsInPlanPeriod = trainedPersonsPeriod
        return facts
    }
}
