import Intake

/// The synthetic Yanshi district of examples/yanshi, carried in the binary so
/// `jobmatch demo` works from anywhere (no real person's data; see
/// examples/README.md).
public enum ExampleDistrict {
    /// The files in load order: (import kind, CSV bytes).
    public static var files: [(kind: ImportKind, name: String, bytes: [UInt8])] {
        Embedded.exampleDistrict.compactMap { item in
            ImportKind(rawValue: item.kind).map { ($0, "\(item.kind).csv", Array((item.csv + "\n").utf8)) }
        }
    }
    /// The date the example is built for (`match --date`).
    public static let runDate = "2025-09-01"
    /// The year its rosters and employer-years describe (`review --year`).
    public static let reviewYear = 2024
}
