// Duplicate deliveries through the command line (issue #12, finding 1):
// trailscan against the independent Python peer scripts/peers/kms_audit.py
// on a hand-made bucket that an organization trail, an account trail and
// two prefixed trails deliver to, in default mode and with --no-dedup; the
// stderr summary line; shards + merge and --db equal to one scan.
//
// AWS behaviour followed (see Tests/TrailScanEngineTests/DuplicateDeliveryTests.swift):
// `eventID` uniquely identifies an event, so every delivered copy carries it
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html);
// organization trails deliver to AWSLogs/o-<orgID>/<accountID>/CloudTrail/
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html).

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanWriter

@Suite struct DuplicateDeliveryCLITests {
    static func record(_ id: String, _ name: String, key: String, account: String = "111122223333",
                       time: String = "2026-10-01T00:30:00Z", extra: String = "") -> String {
        #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","accountId":"\#(account)","arn":"arn:aws:sts::\#(account):assumed-role/Ops/carol"},"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","requestParameters":{"keyId":"\#(key)"},"responseElements":null,"eventID":"\#(id)","recipientAccountId":"\#(account)"\#(extra)}"#
    }

    static func key(_ trail: String, account: String = "111122223333", day: String = "01", unique: String) -> String {
        "\(trail)\(account)/CloudTrail/us-east-1/2026/10/\(day)/\(account)_CloudTrail_us-east-1_202610\(day)T0105Z_\(unique).json.gz"
    }

    static func write(_ folder: TemporaryFolder, _ path: String, _ records: [String]) throws {
        try folder.write(path, try Gzip.compress(Array(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)))
    }

    /// Day 01: org trail + account trail (e1, e2 in both; e3 org only; a
    /// ScheduleKeyDeletion and a CreateAlias in both). Day 02: prefixA +
    /// prefixB (p1 in both, p2 in prefixB only). Day 03: one trail, two
    /// records with one eventID (not compared: one trail).
    static func makeBucket() throws -> TemporaryFolder {
        let bucket = try TemporaryFolder()
        let alias = #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","accountId":"111122223333","arn":"arn:aws:sts::111122223333:assumed-role/Ops/carol"},"eventTime":"2026-10-01T00:05:00Z","eventSource":"kms.amazonaws.com","eventName":"CreateAlias","awsRegion":"us-east-1","requestParameters":{"aliasName":"alias/app","targetKeyId":"k1"},"responseElements":null,"eventID":"a1","recipientAccountId":"111122223333"}"#
        let both = [
            record("e1", "Decrypt", key: "k1"), record("e2", "Encrypt", key: "alias/app"),
            record("s1", "ScheduleKeyDeletion", key: "k2", time: "2026-10-01T00:40:00Z"), alias,
        ]
        try write(bucket, key("AWSLogs/o-abc123/", unique: "ORG1"), both + [record("e3", "Decrypt", key: "k1")])
        try write(bucket, key("AWSLogs/", unique: "ACC1"), both)
        let p1 = record("p1", "GenerateDataKey", key: "k1", time: "2026-10-02T01:00:00Z")
        try write(bucket, key("prefixA/AWSLogs/", day: "02", unique: "A1"), [p1])
        try write(bucket, key("prefixB/AWSLogs/", day: "02", unique: "B1"),
                  [p1, record("p2", "Decrypt", key: "k1", time: "2026-10-02T02:00:00Z")])
        let d3 = record("d3", "Decrypt", key: "k1", time: "2026-10-03T01:00:00Z")
        try write(bucket, key("AWSLogs/", day: "03", unique: "ACC3"), [d3, d3])
        return bucket
    }

    @Test(.enabled(if: AuditReferenceTests.python != nil, "python3 is not installed"))
    func trailscanAndThePythonPeerFoldTheSameCopies() throws {
        let bucket = try Self.makeBucket()
        try AuditReferenceTests.compareAll(
            [bucket.path],
            [
                [], ["--no-dedup"], ["--no-resolve-aliases", "--no-dedup"], ["--no-resolve-aliases"],
                ["--by", "key,principal,day", "--times"], ["--report", "lifecycle"], ["--report", "aliases"],
                ["--report", "lifecycle", "--no-dedup"],
            ],
            label: "duplicate deliveries")
        // And literally: Decrypt on k1 = e1 + e3 + p2 + d3 twice (one trail) = 5.
        let csv = try TrailscanBinary.run(["scan", bucket.path, "-f", "csv", "-q"]).stdout
        #expect(csv.contains("arn:aws:kms:us-east-1:111122223333:key/k1,Decrypt,5,0"), "\(csv)")
        let rawCSV = try TrailscanBinary.run(["scan", bucket.path, "-f", "csv", "-q", "--no-dedup"]).stdout
        #expect(rawCSV.contains("arn:aws:kms:us-east-1:111122223333:key/k1,Decrypt,6,0"), "\(rawCSV)")
    }

    @Test func theSummaryLineNamesTheTrailsWhoseCopiesWereFolded() throws {
        let bucket = try Self.makeBucket()
        let audited = try TrailscanBinary.run(["scan", bucket.path, "-f", "csv", "-o", "/dev/null"])
        #expect(audited.stderr.contains("5 duplicate deliveries folded (AWSLogs/o-abc123 4, prefixB/AWSLogs 1)"),
                "\(audited.stderr)")
        let raw = try TrailscanBinary.run(["scan", bucket.path, "-f", "csv", "-o", "/dev/null", "--no-dedup"])
        #expect(!raw.stderr.contains("duplicate deliveries"), "\(raw.stderr)")
    }

    @Test func shardsMergedAndTheStoreGiveTheScansAnswer() throws {
        let bucket = try Self.makeBucket()
        let work = try TemporaryFolder()
        for options in [[String](), ["--no-dedup"], ["--by", "key,principal"]] {
            let expected = try TrailscanBinary.run(["scan", bucket.path, "-f", "json", "-q"] + options).stdout
            var parts: [String] = []
            for k in 1...3 {
                let part = work.path + "/p\(k).json"
                let run = try TrailscanBinary.run(
                    ["scan", bucket.path, "--shard", "\(k)/3", "-f", "partial", "-o", part, "-q"] + options)
                #expect(run.status == 0, "\(run.stderr)")
                parts.append(part)
            }
            let merged = try TrailscanBinary.run(["merge"] + parts + ["-f", "json", "-q"])
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(Self.withoutTimes(merged.stdout) == Self.withoutTimes(expected), "merge \(options)")
            let stored = try TrailscanBinary.run(
                ["scan", bucket.path, "--db", work.path + "/s.db", "-f", "json", "-q"] + options)
            #expect(Self.withoutTimes(stored.stdout) == Self.withoutTimes(expected), "--db \(options)")
        }
    }

    /// A mirrored bucket: the same files, same names and sizes, under two
    /// trail prefixes. Parts name a file by its S3 key from AWSLogs/ on
    /// (mount points differ between machines); files of a group that two
    /// trails deliver are also named by their trail's label, so the two
    /// copies of a name are two files, not one listed twice (review finding).
    @Test func aMirroredBucketMergesLikeOneScan() throws {
        let source = try CLITests.makeTrail(bytes: 1 << 20, seed: 5)
        let bucket = try TemporaryFolder()
        for prefix in ["pA", "pB"] {
            try FileManager.default.copyItem(atPath: source.path + "/AWSLogs", toPath: bucket.path + "/\(prefix)/AWSLogs")
        }
        let work = try TemporaryFolder()
        let expected = try TrailscanBinary.run(["scan", bucket.path, "-f", "json", "-q"]).stdout
        let once = try TrailscanBinary.run(["scan", source.path, "-f", "csv", "-q"]).stdout
        #expect(try TrailscanBinary.run(["scan", bucket.path, "-f", "csv", "-q"]).stdout == once)
        let whole = work.path + "/whole.json"
        _ = try TrailscanBinary.run(["scan", bucket.path, "-f", "partial", "-o", whole, "-q"])
        let alone = try TrailscanBinary.run(["merge", whole, "-f", "json", "-q"])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(Self.withoutTimes(alone.stdout) == Self.withoutTimes(expected))
        let parts = try (1...2).map { k in
            let part = work.path + "/s\(k).json"
            _ = try TrailscanBinary.run(["scan", bucket.path, "--shard", "\(k)/2", "-f", "partial", "-o", part, "-q"])
            return part
        }
        let merged = try TrailscanBinary.run(["merge"] + parts + ["-f", "json", "-q"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(Self.withoutTimes(merged.stdout) == Self.withoutTimes(expected))
        // The same part twice is still refused.
        let twice = try TrailscanBinary.run(["merge", whole, whole, "-f", "csv", "-q"])
        #expect(twice.status == 2, "\(twice.stderr)")
    }

    static func withoutTimes(_ json: String) -> String {
        json.split(separator: "\n").filter { line in
            !["\"seconds\"", "\"cpuSeconds\"", "\"jobs\""].contains { line.contains($0) }
        }.joined(separator: "\n")
    }
}
