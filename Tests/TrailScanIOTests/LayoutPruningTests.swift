// Pruning folders of the S3 layout by --account, --region and --since, and
// reading a file's location from its key.

import Testing
import TrailScanCore
import TrailScanIO

@Suite struct LayoutPruningTests {
    func pruning(accounts: [String] = [], regions: [String] = [], since: String? = nil) -> LayoutPruning {
        var filter = RecordFilter()
        filter.accounts = accounts
        filter.regions = regions
        filter.since = since.map { UTCTime.parse($0, allowDateOnly: true)! }
        return LayoutPruning(filter: filter)
    }

    let base = "/data/AWSLogs/o-abc/111122223333/CloudTrail"

    @Test func accountAndRegionFolders() {
        let p = pruning(accounts: ["111122223333"], regions: ["eu-west-1"])
        #expect(p.admitsFolder(base))
        #expect(!p.admitsFolder("/data/AWSLogs/444455556666/CloudTrail"))
        #expect(p.admitsFolder(base + "/eu-west-1"))
        #expect(!p.admitsFolder(base + "/us-east-1"))
        #expect(!p.admitsFolder(base + "/us-east-1/2026/10/01"))
        #expect(p.admitsFolder("/data/AWSLogs"))  // not deep enough to tell
        #expect(p.admitsFolder("/elsewhere/logs/us-east-1"))  // not the layout
    }

    @Test func dayFoldersBeforeSinceArePruned() {
        let p = pruning(since: "2026-10-15T08:00:00Z")
        #expect(!p.admitsFolder(base + "/us-east-1/2025"))
        #expect(p.admitsFolder(base + "/us-east-1/2026"))
        #expect(!p.admitsFolder(base + "/us-east-1/2026/09"))
        #expect(p.admitsFolder(base + "/us-east-1/2026/10"))
        #expect(!p.admitsFolder(base + "/us-east-1/2026/10/14"))
        // The since day itself, and later days: records at or after 08:00.
        #expect(p.admitsFolder(base + "/us-east-1/2026/10/15"))
        #expect(p.admitsFolder(base + "/us-east-1/2026/11/01"))
        #expect(p.admitsFolder(base + "/us-east-1/2027"))
    }

    @Test func noFilterPrunesNothing() {
        #expect(pruning().admitsFolder("/data/AWSLogs/444455556666/CloudTrail/us-east-1/1999/01/01"))
    }

    @Test func locationOfALogFile() throws {
        let location = try #require(
            LogLocation(path: base + "/us-east-1/2026/10/02/111122223333_CloudTrail_us-east-1_20261002T0000Z_x.json.gz"))
        #expect(location.account == "111122223333")
        #expect(location.region == "us-east-1")
        #expect(UTCTime.date(day: location.day) == "2026-10-02")
        #expect(LogLocation(path: "/tmp/file.json") == nil)
    }
}
