// Follow-up after placement (跟踪回访): each confirmed placement is visited at
// the policy's offsets (1, 3 and 6 months by default), so that placed people
// stay in work and the center can say how many still are. Pure: the schedule
// and the retention count; the store reads placements and records outcomes.

import Domain

/// What staff found at a follow-up.
public enum FollowUpOutcome: String, Sendable, Hashable, CaseIterable {
    /// Still in the job.
    case inWork = "in_work"
    /// Left the job: the placement ends on the follow-up's date.
    case left
    /// Could not be reached.
    case unreachable

    /// The Chinese label staff read.
    public var label: String {
        switch self {
        case .inWork: "在岗"
        case .left: "已离岗"
        case .unreachable: "无法联系"
        }
    }

    /// Accepts the English code or the Chinese label.
    public init?(codeOrLabel text: String) {
        let t = text.trimmingSpaces
        guard let o = Self.allCases.first(where: { $0.rawValue == t || $0.label == t }) else { return nil }
        self = o
    }
}

/// Why a record was refused (nothing written).
public enum FollowUpRefused: Error, Sendable, Hashable {
    /// No placement with this id.
    case unknownPlacement(Int64)
    /// The follow-up's date is before the placement started.
    case beforeStart(start: CivilDate)
    /// The placement had already ended before the follow-up's date.
    case alreadyEnded(on: CivilDate)
}

/// One follow-up a placement is due.
public struct FollowUpDue: Sendable, Hashable {
    /// Months after the placement's start.
    public let offsetMonths: Int
    /// The day it is due.
    public let dueOn: CivilDate
}

/// The follow-up schedule of a placement.
public enum FollowUpSchedule {
    /// Policy key: the offsets in months, `1;3;6`.
    public static let offsetsKey = "followup.offsets_months"
    /// Used when the policy book has no row.
    public static let offsetsDefault = [1, 3, 6]

    /// The follow-ups of a placement that started on `start`: one per offset,
    /// on the same day `offset` months later, or the month's last day when that
    /// month is shorter — 2024-01-31 + 1 month is 2024-02-29 (leap year),
    /// 2025-01-31 + 1 month is 2025-02-28, 2024-08-31 + 6 months is 2025-02-28.
    /// Offsets are sorted and deduplicated; an offset below 1 is ignored.
    public static func schedule(start: CivilDate, offsets: [Int]) -> [FollowUpDue] {
        Set(offsets.filter { $0 >= 1 }).sorted().map { FollowUpDue(offsetMonths: $0, dueOn: start.adding(months: $0)) }
    }

    /// The offsets from a policy value such as `1;3;6` (also `,`, `；`, `、`).
    public static func offsets(_ text: String) -> [Int]? {
        let parts = text.split(whereSeparator: { ";,；、 ".contains($0) })
        let values = parts.compactMap { Int($0) }
        guard !values.isEmpty, values.count == parts.count, values.allSatisfy({ $0 >= 1 && $0 <= 120 }) else { return nil }
        return values
    }

    /// The offsets in force for `jurisdiction` on `date`, or the default.
    public static func offsets(book: PolicyBook, jurisdiction: String, on date: CivilDate) -> [Int] {
        book.optionalParameter(offsetsKey, jurisdiction: jurisdiction, on: date).flatMap { offsets($0.value) } ?? offsetsDefault
    }

    /// Whether a placement that started on `start` and ended on `end` (nil:
    /// still running) is still in work `months` months after it started, as of
    /// `today`: nil when that day has not come yet (not counted either way).
    public static func retained(start: CivilDate, end: CivilDate?, months: Int, today: CivilDate) -> Bool? {
        let mark = start.adding(months: months)
        if today < mark { return nil }
        guard let end else { return true }
        return !(end < mark)
    }
}

/// Retention of one kind of opening at one mark: of the placements whose mark
/// had come, how many were still in work on it.
public struct RetentionCount: Sendable, Hashable {
    public let kind: OpeningKind
    public let months: Int
    public let eligible: Int
    public let retained: Int

    public init(kind: OpeningKind, months: Int, eligible: Int, retained: Int) {
        self.kind = kind
        self.months = months
        self.eligible = eligible
        self.retained = retained
    }
}

extension PlanIndicators {
    /// The follow-up indicators (issue 16): retention at each mark by kind of
    /// opening, as a ratio (nil when no placement has reached the mark), and the
    /// follow-ups overdue on `asOf`.
    public static func followUp(retention: [RetentionCount], overdue: Int, asOf: CivilDate) -> [Indicator] {
        var out: [Indicator] = []
        for r in retention.sorted(by: { ($0.months, $0.kind.code) < ($1.months, $1.kind.code) }) {
            out.append(Indicator(
                code: "retention_\(r.months)m_\(r.kind.code)", label: "安置后\(r.months)个月仍在岗比例：\(r.kind.label)", unit: "比例",
                value: r.eligible == 0 ? nil : Rational(Int128(r.retained), Int128(r.eligible)), amount: nil, target: nil,
                note: "开始满\(r.months)个月（截至\(asOf)）的\(r.kind.label)安置\(r.eligible)人中，满\(r.months)个月时仍在岗\(r.retained)人"))
        }
        out.append(Indicator(code: "followups_overdue", label: "逾期未回访", unit: "人次", value: Rational(overdue), amount: nil,
                             target: nil, note: "截至\(asOf)已到回访日（安置后1、3、6个月，见政策参数 followup.offsets_months）而未登记的回访"))
        return out
    }
}
