import Domain
import Postgres
import Store

/// The policy book (`jobmatch policy`): what is in force, and new dated rows.
public enum Policy {
    /// A parameter in force, the stored row it is (nil when the book cannot tell),
    /// and the rows it replaced: its chain of `replaces`, then other rows of the
    /// same key and jurisdiction also in force on the day that lost to it.
    public struct InForce {
        public let parameter: PolicyParameter
        public let id: Int64?
        public let replaced: [PolicyStore.StoredRow]
    }

    /// The parameters in force in `jurisdiction` on `day`, in the book's order.
    public static func inForce(_ c: Connection, jurisdiction: String, on day: CivilDate) throws -> [InForce] {
        let stored = try PolicyStore.rows(c)
        let book = PolicyBook(stored.map(\.parameter))
        let rows = book.inForce(jurisdiction: jurisdiction, on: day)
        // Which stored row each parameter in force is, and the rows it replaced.
        var idOf: [ParameterKey: Int64] = [:]
        for r in stored { idOf[ParameterKey(r.parameter)] = r.id }  // the later row of a tie, as the book reads it
        let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0) })
        func inForceID(_ p: PolicyParameter) -> Int64? {
            stored.last { $0.parameter == p }?.id ?? idOf[ParameterKey(p)]
        }
        func replaced(_ p: PolicyParameter) -> [PolicyStore.StoredRow] {
            guard let id = inForceID(p) else { return [] }
            var chain: [PolicyStore.StoredRow] = []
            var next = byID[id]?.replacesID
            // Other rows of the key and jurisdiction that are also in force on the day lost to this one.
            let overlapping = stored.filter { $0.id != id && $0.parameter.key == p.key && $0.parameter.jurisdiction == p.jurisdiction
                && $0.parameter.isInForce(on: day) }
            while let n = next, let r = byID[n], !chain.contains(where: { $0.id == n }) { chain.append(r); next = r.replacesID }
            for r in overlapping where !chain.contains(where: { $0.id == r.id }) { chain.append(r) }
            return chain
        }
        return rows.map { InForce(parameter: $0, id: inForceID($0), replaced: replaced($0)) }
    }

    /// Adds dated rows (never edits one: a correction is a new row).
    public static func add(_ c: Connection, _ parameters: [PolicyParameter], actor: String) throws -> [PolicyStore.Added] {
        try PolicyStore.add(c, parameters, actor: actor)
    }
}
