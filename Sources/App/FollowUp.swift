import Domain
import Foundation
import Postgres
import Quota
import Store

/// Follow-up of placed people (跟踪回访, issue 16): which follow-ups are due
/// (the schedule is `FollowUpSchedule`, pure), recording what staff found, and
/// retention. A `left` outcome ends the placement on the follow-up's date, in
/// the same transaction as the record.
public enum FollowUp {
    /// Why a record was refused (nothing written).
    public enum Refused: Error, Sendable, Hashable {
        /// No placement with this id.
        case unknownPlacement(Int64)
        /// The follow-up's date is before the placement started.
        case beforeStart(start: CivilDate)
        /// The placement had already ended before the follow-up's date.
        case alreadyEnded(on: CivilDate)
    }

    /// One follow-up due.
    public struct Due: Sendable, Equatable {
        public var placementID: Int64
        public var certificateNo: String
        public var townCode: String
        public var openingID: String
        public var openingKind: String
        public var startDate: CivilDate
        public var offsetMonths: Int
        public var dueOn: CivilDate
        public var overdue: Bool
    }

    static func offsets(_ c: Connection, jurisdiction: String, on date: CivilDate) throws -> [Int] {
        FollowUpSchedule.offsets(book: try PolicyStore.load(c).book, jurisdiction: jurisdiction, on: date)
    }

    /// Follow-ups due on or before `date + within` days and not yet recorded, by
    /// town then due date. A placement that ended before a follow-up's day owes
    /// no follow-up from then on. `overdue`: due before `date`.
    public static func due(_ c: Connection, date: CivilDate, within: Int = 0, jurisdiction: String) throws -> [Due] {
        let offsets = try offsets(c, jurisdiction: jurisdiction, on: date)
        let done = try FollowUpStore.recordedOffsets(c)
        let horizon = date.adding(days: within)
        var out: [Due] = []
        for p in try FollowUpStore.placements(c) {
            for f in FollowUpSchedule.schedule(start: p.start, offsets: offsets) where !(horizon < f.dueOn) {
                if let end = p.end, end < f.dueOn { continue }
                if done.contains([p.id, Int64(f.offsetMonths)]) { continue }
                out.append(Due(placementID: p.id, certificateNo: p.cert, townCode: p.town, openingID: p.opening, openingKind: p.kind,
                               startDate: p.start, offsetMonths: f.offsetMonths, dueOn: f.dueOn, overdue: f.dueOn < date))
            }
        }
        return out.sorted { ($0.townCode, $0.dueOn.dayNumber, $0.placementID, $0.offsetMonths)
            < ($1.townCode, $1.dueOn.dayNumber, $1.placementID, $1.offsetMonths) }
    }

    /// What a record did.
    public struct Recorded: Sendable, Equatable {
        /// The offsets it answered (empty: a visit outside the schedule).
        public var offsets: [Int]
        /// Set when the outcome ended the placement.
        public var endedOn: CivilDate?
    }

    /// Records a follow-up of `placementID` on `date`. It answers every
    /// scheduled follow-up due on or before `date` not yet recorded, or when
    /// none is due, the next one. `left` ends the placement on `date`.
    public static func record(_ c: Connection, placementID: Int64, date: CivilDate, outcome: FollowUpOutcome, reason: String?,
                              note: String?, jurisdiction: String, actor: String) throws -> Recorded {
        do {
            return try c.transaction { tx -> Recorded in
                try FollowUpStore.lockPlacement(tx, id: placementID)
                guard let p = try FollowUpStore.placements(tx, id: placementID).first else { throw Refused.unknownPlacement(placementID) }
                // The same visit (placement, day, outcome) recorded again, e.g. a retry through a
                // failover after an unanswered COMMIT: it is there already; record nothing more.
                if let offsets = try FollowUpStore.recordedOn(tx, placementID: placementID, date: date, outcome: outcome) {
                    return Recorded(offsets: offsets.compactMap { $0 }, endedOn: outcome == .left ? date : nil)
                }
                if date < p.start { throw Refused.beforeStart(start: p.start) }
                if let end = p.end, end < date { throw Refused.alreadyEnded(on: end) }
                let offsets = try offsets(tx, jurisdiction: jurisdiction, on: date)
                let done = try FollowUpStore.recordedOffsets(tx, placementID: placementID)
                let open = FollowUpSchedule.schedule(start: p.start, offsets: offsets).filter { !done.contains($0.offsetMonths) }
                var answered = open.filter { !(date < $0.dueOn) }
                if answered.isEmpty, let next = open.first { answered = [next] }
                let rows: [(Int?, CivilDate?)] = answered.isEmpty ? [(nil, nil)] : answered.map { ($0.offsetMonths, $0.dueOn) }
                for (offset, dueOn) in rows {
                    try FollowUpStore.insert(tx, placementID: placementID, offset: offset, dueOn: dueOn, doneOn: date,
                                             outcome: outcome, reason: reason, note: note, actor: actor)
                }
                var ended: CivilDate?
                if outcome == .left {
                    // The one way a placement ends (`placement end`, issue 12), inside this transaction.
                    _ = try ReferenceStore.endPlacement(inTransaction: tx, certificateKey: p.cert, opening: p.opening, date: date,
                                                        reason: .left, actor: actor)
                    ended = date
                }
                try Audit.record(tx, actor: actor, action: "followup_record", subject: String(placementID),
                                 detail: ["on": date.description, "outcome": outcome.rawValue,
                                          "offsets": answered.map { String($0.offsetMonths) }.joined(separator: ";")])
                return Recorded(offsets: answered.map(\.offsetMonths), endedOn: ended)
            }
        } catch {
            if let body = error.body, body is Refused || body is StoreError { throw body }
            throw error
        }
    }

    /// Retention: of the placements of each opening kind whose `months`-month
    /// mark has come by `date`, how many were still in work on it.
    public struct Retention: Sendable, Equatable {
        public var kind: String
        public var months: Int
        public var eligible: Int
        public var retained: Int
    }

    /// Retention at each of `months` (3 and 6 by default) by kind of opening, as of `date`.
    public static func retention(_ c: Connection, date: CivilDate, months: [Int] = [3, 6]) throws -> [Retention] {
        var table: [String: Retention] = [:]
        for p in try FollowUpStore.placements(c) {
            for m in months {
                guard let kept = FollowUpSchedule.retained(start: p.start, end: p.end, months: m, today: date) else { continue }
                let k = "\(p.kind)|\(m)"
                var r = table[k] ?? Retention(kind: p.kind, months: m, eligible: 0, retained: 0)
                r.eligible += 1
                if kept { r.retained += 1 }
                table[k] = r
            }
        }
        return table.values.sorted { ($0.months, $0.kind) < ($1.months, $1.kind) }
    }

    /// The follow-up indicators of `year`, as of its last day (`export indicators`).
    public static func indicators(_ c: Connection, year: Int, jurisdiction: String) throws -> [PlanIndicators.Indicator] {
        let asOf = CivilDate.endOf(year: year)
        let rows = try retention(c, date: asOf)
        var counts: [RetentionCount] = []
        for kind in OpeningKind.allCases {
            for m in [3, 6] {
                let r = rows.first { $0.kind == kind.code && $0.months == m }
                counts.append(RetentionCount(kind: kind, months: m, eligible: r?.eligible ?? 0, retained: r?.retained ?? 0))
            }
        }
        // Overdue: due before the year's end (a follow-up due on 31 December is not late yet).
        return PlanIndicators.followUp(retention: counts, overdue: try overdueCount(c, date: asOf, jurisdiction: jurisdiction), asOf: asOf)
    }

    /// Follow-ups overdue on `date`.
    public static func overdueCount(_ c: Connection, date: CivilDate, jurisdiction: String) throws -> Int {
        try due(c, date: date, jurisdiction: jurisdiction).filter(\.overdue).count
    }
}
