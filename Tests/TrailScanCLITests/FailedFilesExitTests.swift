// `trailscan scan --failed-files-exit-zero`: a failed log file still shows
// on stderr and in the report's failures, but the exit status is 0 (for
// batch jobs such as the Kubernetes example); usage errors still exit 2.

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct FailedFilesExitTests {
    static func failures(_ json: String) throws -> [[String: Any]] {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return root?["failures"] as? [[String: Any]] ?? []
    }

    @Test func failedFilesAreReportedButExitZero() throws {
        let trail = try ShardMergeTests.makeTrail()  // one corrupt file among good ones
        let plain = try TrailscanBinary.run(["scan", trail.path, "-f", "json"])
        #expect(plain.status == 1)
        let tolerant = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "--failed-files-exit-zero"])
        #expect(tolerant.status == 0, "\(tolerant.stderr)")
        #expect(tolerant.stderr.contains("broken.json.gz"), "\(tolerant.stderr)")
        let failed = try Self.failures(tolerant.stdout)
        #expect(failed.count == 1)
        #expect((failed.first?["file"] as? String)?.hasSuffix("broken.json.gz") == true, "\(failed)")
        // The same report either way (summary timings aside).
        #expect(try ShardMergeTests.comparable(plain.stdout) == ShardMergeTests.comparable(tolerant.stdout))
    }

    @Test func aShardPartialCarriesTheFailure() throws {
        let trail = try ShardMergeTests.makeTrail()
        let folder = try TemporaryFolder()
        for k in 1...2 {
            let result = try TrailscanBinary.run(
                ["scan", trail.path, "--shard", "\(k)/2", "-f", "partial", "-o", folder.path + "/part-\(k).partial", "-q",
                 "--failed-files-exit-zero"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        // The merge still says the trail had a failed file: in the JSON, and by its exit status.
        let merged = try TrailscanBinary.run(
            ["merge", folder.path + "/part-1.partial", folder.path + "/part-2.partial", "-f", "json", "-q"])
        #expect(merged.status == 1, "\(merged.stderr)")
        let failed = try Self.failures(merged.stdout)
        #expect(failed.count == 1)
        #expect((failed.first?["file"] as? String)?.hasSuffix("broken.json.gz") == true, "\(failed)")
    }

    @Test func usageErrorsStillExitTwo() throws {
        let trail = try ShardMergeTests.makeTrail()
        let badJobs = try TrailscanBinary.run(["scan", trail.path, "--jobs", "0", "--failed-files-exit-zero"])
        #expect(badJobs.status == 2, "\(badJobs.stderr)")
        let missing = try TrailscanBinary.run(["scan", trail.path + "/no-such-folder", "--failed-files-exit-zero"])
        #expect(missing.status == 2, "\(missing.stderr)")
    }

    @Test func strictStillStopsWithExitOne() throws {
        let trail = try ShardMergeTests.makeTrail()
        let result = try TrailscanBinary.run(["scan", trail.path, "--strict", "--failed-files-exit-zero", "-f", "csv"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
    }
}
