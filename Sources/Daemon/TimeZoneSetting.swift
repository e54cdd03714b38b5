// The center's time zone: one setting for the CLI and the daemon, and one
// "today in the zone".
//
//   JOBMATCH_TIME_ZONE   (the daemon's config key `time_zone` as a variable)
//   JOBMATCH_TIMEZONE    deprecated alias, still read, with a warning

import Domain
import Foundation

public enum TimeZoneSetting {
    public static let variable = "JOBMATCH_TIME_ZONE"
    public static let deprecatedVariable = "JOBMATCH_TIMEZONE"
    public static let defaultName = "Asia/Shanghai"

    public static var deprecationWarning: String {
        "\(deprecatedVariable) is deprecated: set \(variable) instead (same value)"
    }

    /// The zone's name and the variable it came from; nil when neither is set (or empty).
    /// `deprecated` is true when only the old name was set.
    public static func lookup(_ environment: [String: String]) -> (name: String, variable: String, deprecated: Bool)? {
        if let name = environment[variable], !name.isEmpty { return (name, variable, false) }
        if let name = environment[deprecatedVariable], !name.isEmpty { return (name, deprecatedVariable, true) }
        return nil
    }

    /// `environment` with the deprecated alias copied to the current name, and the warning if it was.
    public static func withAlias(_ environment: [String: String]) -> ([String: String], [String]) {
        guard let found = lookup(environment), found.deprecated else { return (environment, []) }
        var copy = environment
        copy[variable] = found.name
        return (copy, [deprecationWarning])
    }
}

extension CivilDate {
    /// The calendar date of `instant` in `zone`: the one "today in the zone".
    public init(_ instant: Date, in zone: TimeZone) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day], from: instant)
        self = CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
