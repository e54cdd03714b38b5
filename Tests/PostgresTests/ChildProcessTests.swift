// ChildProcess: a child reaped by someone else is reported, not a crash.

import EmbeddedPostgres
import Foundation
import Testing

@Suite struct ChildProcessTests {
    @Test func aChildReapedElsewhereEndsWithAnUnknownStatus() throws {
        let out = NSTemporaryDirectory() + "jobmatch-child-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let child = try ChildProcess(["/bin/sh", "-c", "exit 7"], stdout: out)
        var status: Int32 = 0
        // Another waiter takes the child first: our wait4 then fails with ECHILD.
        #expect(waitpid(child.pid, &status, 0) == child.pid)
        #expect((status >> 8) & 0xff == 7)
        #expect(child.wait().status == -1)
        #expect(child.poll()?.status == -1)
    }

    @Test func anOrdinaryChildReportsItsExitCode() throws {
        let out = NSTemporaryDirectory() + "jobmatch-child-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let child = try ChildProcess(["/bin/sh", "-c", "exit 7"], stdout: out)
        #expect(child.wait().status == 7)
    }
}
