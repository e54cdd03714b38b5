// One time-zone setting for the CLI and the daemon (JOBMATCH_TIME_ZONE; the old
// JOBMATCH_TIMEZONE is an alias with a warning), and one "today in the zone".

import Daemon
import Domain
import Foundation
import Testing

@Suite struct TimeZoneSettingTests {
    @Test func theDeprecatedNameStillConfiguresTheDaemonWithAWarning() throws {
        let old = try DaemonConfig.load(file: nil, environment: ["JOBMATCH_TIMEZONE": "Europe/Berlin"], flags: [:], defaultWorkerID: "w")
        #expect(old.timeZone.identifier == "Europe/Berlin")
        #expect(old.warnings == [TimeZoneSetting.deprecationWarning])
        let both = try DaemonConfig.load(file: nil, environment: ["JOBMATCH_TIMEZONE": "Europe/Berlin", "JOBMATCH_TIME_ZONE": "Asia/Tokyo"],
                                         flags: [:], defaultWorkerID: "w")
        #expect(both.timeZone.identifier == "Asia/Tokyo")
        #expect(both.warnings.isEmpty)
        #expect(TimeZoneSetting.lookup([:]) == nil)
        #expect(TimeZoneSetting.lookup(["JOBMATCH_TIME_ZONE": ""]) == nil)
    }

    @Test func todayIsTheDateInTheZone() throws {
        let instant = try Date("2025-03-01T17:30:00Z", strategy: .iso8601)  // 01:30 on 2 March in Shanghai
        #expect(CivilDate(instant, in: TimeZone(identifier: "Asia/Shanghai")!).description == "2025-03-02")
        #expect(CivilDate(instant, in: TimeZone(identifier: "UTC")!).description == "2025-03-01")
    }
}
