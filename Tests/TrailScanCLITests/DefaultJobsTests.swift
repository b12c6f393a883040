// The default --jobs follows the CPUs the process may use (CPUBudget): the
// affinity mask end to end through taskset; the cgroup quota parsing is
// tested on strings in TrailScanIOTests/CPUBudgetTests.

import Foundation
import Testing
import TrailScanIO

@Suite struct DefaultJobsTests {
    static let taskset = ["/usr/bin/taskset", "/bin/taskset"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `summary.jobs` of a JSON report.
    static func jobs(_ json: String) throws -> Int? {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (root?["summary"] as? [String: Any])?["jobs"] as? Int
    }

    @Test func withoutJobsTheScanUsesTheAvailableCPUs() throws {
        let trail = try InflaterCLITests.makeTrail()  // dozens of files: more than the CPUs
        let result = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.jobs(result.stdout) == CPUBudget.available)
    }

    @Test(.enabled(if: taskset != nil, "taskset (util-linux) is not installed"))
    func anAffinityMaskOfOneCPUMeansOneJob() throws {
        let trail = try InflaterCLITests.makeTrail()
        let pinned = try runProcess(
            Self.taskset!, ["-c", "0", TrailscanBinary.url.path, "scan", trail.path, "-f", "json", "-q"])
        #expect(pinned.status == 0, "\(pinned.stderr)")
        #expect(try Self.jobs(pinned.stdout) == 1)
        // An explicit --jobs still wins over the mask.
        let explicit = try runProcess(
            Self.taskset!, ["-c", "0", TrailscanBinary.url.path, "scan", trail.path, "-f", "json", "-q", "--jobs", "3"])
        #expect(try Self.jobs(explicit.stdout) == 3)
    }
}
