// Which files a walk reads, skips and ignores (docs/counting.md ("Which files")), and the
// parallel scan's independence from job count and file order.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanCore
import TrailScanIO
import TrailScanWriter

@Suite struct DiscoveryTests {
    @Test func theWalkFollowsTheLayoutRules() throws {
        let files = try TemporaryFolder()
        let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/"
        let org = "AWSLogs/o-abcdefghij/222233334444/CloudTrail/eu-west-1/2026/10/01/"
        _ = try files.write(day + "a.json.gz", [1, 2, 3, 4])
        _ = try files.write(day + "b.json", [1])
        _ = try files.write(org + "c.json.gz", [1, 2])
        _ = try files.write(day + "notes.txt", [1])
        _ = try files.write("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01/d.json.gz", [1])
        _ = try files.write("AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/10/01/i.json.gz", [1])
        let discovery = TrailDiscovery.discover(roots: [files.path])
        let names = discovery.files.map { ($0.path as NSString).lastPathComponent }
        #expect(names == ["a.json.gz", "c.json.gz", "b.json"])  // largest first
        #expect(discovery.skipped.count == 2)
        #expect(discovery.failures.isEmpty)
        #expect(discovery.rootErrors.isEmpty)
    }

    @Test func explicitFilesAreAlwaysReadAndCountedOnce() throws {
        let files = try TemporaryFolder()
        let digest = try files.write("CloudTrail-Digest/x.txt", [1])
        let log = try files.write("logs/a.json", [1])
        let discovery = TrailDiscovery.discover(roots: [digest, log, files.path + "/logs"])
        #expect(discovery.files.map(\.path).sorted() == [digest, log].sorted())
    }

    @Test func missingRootsAreUsageErrors() {
        let discovery = TrailDiscovery.discover(roots: ["/no/such/trail"])
        #expect(discovery.rootErrors.count == 1)
        #expect(discovery.files.isEmpty)
    }

    @Test func symlinkLoopsDoNotHang() throws {
        let files = try TemporaryFolder()
        _ = try files.write("t/a.json", [1])
        try FileManager.default.createSymbolicLink(atPath: files.path + "/t/loop", withDestinationPath: files.path + "/t")
        try FileManager.default.createSymbolicLink(atPath: files.path + "/t/self.json", withDestinationPath: files.path + "/t/self.json")
        let discovery = TrailDiscovery.discover(roots: [files.path])
        #expect(discovery.files.count == 1)
        #expect(discovery.failures.map { ($0.path as NSString).lastPathComponent } == ["self.json"])
    }
}

@Suite struct ParallelScanTests {
    @Test func resultsDoNotDependOnJobsOrOrder() throws {
        let files = try TemporaryFolder()
        for i in 0..<12 {
            let key = "arn:aws:kms:us-east-1:111122223333:key/k\(i % 4)"
            _ = try files.write("AWSLogs/f\(i).json.gz", try Gzip.compress(document(records: 10 + i * 7, key: key)))
        }
        _ = try files.write("AWSLogs/bad.json.gz", Array("nope".utf8))
        let discovery = TrailDiscovery.discover(roots: [files.path])
        var reversed = discovery
        reversed.files.reverse()
        let results = [
            ParallelScan.run(discovery, options: ScanOptions(jobs: 1), clock: { 0 }),
            ParallelScan.run(discovery, options: ScanOptions(jobs: 3), clock: { 0 }),
            ParallelScan.run(reversed, options: ScanOptions(jobs: 8), clock: { 0 }),
        ]
        for result in results {
            #expect(result.report == results[0].report)
            #expect(result.summary.files == 12)
            #expect(result.summary.filesFailed == 1)
            #expect(result.failures.map { ($0.path as NSString).lastPathComponent } == ["bad.json.gz"])
            #expect(result.summary.records == UInt64((0..<12).map { 10 + $0 * 7 }.reduce(0, +)))
        }
    }
}
