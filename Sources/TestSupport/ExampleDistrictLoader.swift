import Domain
import Intake
import Postgres
import Store

/// Loads the example district (examples/yanshi, carried in the binary) into a
/// database through the real import path, in the order references need.
public enum ExampleDistrictLoader {
    /// The date the example is built for.
    public static var runDate: CivilDate { CivilDate(iso: ExampleDistrict.runDate)! }

    /// Imports every example file; returns the outcomes in load order.
    @discardableResult
    public static func load(_ c: Connection, actor: String = "test") throws -> [ImportOutcome] {
        try ExampleDistrict.files.map { file in
            var chunks = [file.bytes][...]
            return try ImportService.run(c, kind: file.kind, fileName: file.name, partial: false, today: runDate,
                                         actor: actor, chunks: { chunks.popFirst() })
        }
    }
}
