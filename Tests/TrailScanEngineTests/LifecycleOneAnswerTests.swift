// Lifecycle facts (issue #12 item 7: error code, detail, flags) survive the
// partial file format, so shards + merge and the `--db` store give the
// scan's lifecycle answer. The trail is hand-made after the CloudTrail log
// entries of the AWS KMS Developer Guide (ct-creategrant.html,
// ct-put-key-policy.html, ct-schedule-key-deletion.html under
// https://docs.aws.amazon.com/kms/latest/developerguide/).

import Foundation
import Testing
import TrailScanCore
import TrailScanEngine
import TrailScanIO
import TrailScanTestSupport
import TrailScanWriter

@Suite struct LifecycleOneAnswerTests {
    static let owner = "111122223333"

    static func record(_ event: String, _ time: String, _ extra: String) -> String {
        #"{"eventVersion":"1.08","eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(event)","awsRegion":"us-east-1","recipientAccountId":"\#(owner)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(owner):user/mallory","accountId":"\#(owner)"},\#(extra)}"#
    }

    static func makeTrail() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let key = "arn:aws:kms:us-east-1:\(owner):key/aaaa"
        let policy = #"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"kms:*\"}]}"#
        let days: [(String, [String])] = [
            ("01", [
                record("ScheduleKeyDeletion", "2026-10-01T01:00:00Z", #""errorCode":"AccessDenied","requestParameters":{"keyId":"aaaa","pendingWindowInDays":7}"#),
                record("Decrypt", "2026-10-01T01:30:00Z", #""resources":[{"ARN":"\#(key)"}]"#),
            ]),
            ("02", [
                record("CreateGrant", "2026-10-02T01:00:00Z", #""requestParameters":{"keyId":"aaaa","operations":["Decrypt"],"granteePrincipal":"arn:aws:iam::444455556666:role/Out"},"responseElements":{"grantId":"g","keyId":"\#(key)"}"#),
                record("CreateAlias", "2026-10-02T02:00:00Z", #""requestParameters":{"aliasName":"alias/x","targetKeyId":"aaaa"}"#),
            ]),
            ("03", [
                record("PutKeyPolicy", "2026-10-03T01:00:00Z", #""requestParameters":{"keyId":"aaaa","policy":"\#(policy)","bypassPolicyLockoutSafetyCheck":true}"#),
                record("DisableKeyRotation", "2026-10-03T02:00:00Z", #""requestParameters":{"keyId":"alias/x"}"#),
            ]),
        ]
        for (day, records) in days {
            let text = #"{"Records":[\#(records.joined(separator: ","))]}"#
            try folder.write(
                "AWSLogs/\(owner)/CloudTrail/us-east-1/2026/10/\(day)/\(owner)_CloudTrail_us-east-1_202610\(day)T0100Z_x.json.gz",
                try Gzip.compress(Array(text.utf8)))
        }
        return folder
    }

    /// The answer of `request` on `trail`: whole, as 2 and 3 shards through
    /// the partial format merged in reverse, and from a `--db` store (filled,
    /// then answering); every way must print `expected`.
    static func checkOneAnswer(_ trail: TemporaryFolder, _ request: ReportRequest, name: String) throws -> String {
        var options = ScanOptions()
        options.jobs = 2
        let discovery = ScanJob.discover(roots: [trail.path], request: request)
        let whole = ScanJob.run(discovery, roots: [trail.path], request: request, options: options, clock: { 0 }).partial
        let expected = OneAnswerTests.renderings(whole)
        for count in [2, 3] {
            let parts = try OneAnswerTests.shardParts(
                discovery, root: trail.path, request: request, count: count, options: { _ in options })
            let got = OneAnswerTests.renderings(try PartialMerge.combine(parts.reversed()).partial)
            for format in ["csv", "json"] {
                let difference = firstDifference(got[format]!, expected[format]!)
                #expect(difference == nil, "\(name), \(count) shards, \(format): \(difference ?? "")")
            }
        }
        let store = try TemporaryFolder()
        for run in 0..<2 {
            let stored = try IncrementalStore.run(
                database: store.path + "/state.db", roots: [trail.path], discovery: discovery, request: request,
                options: options, progress: nil, clock: { 0 })
            let got = OneAnswerTests.renderings(stored.partial)
            for format in ["csv", "json"] {
                let difference = firstDifference(got[format]!, expected[format]!)
                #expect(difference == nil, "\(name), --db run \(run), \(format): \(difference ?? "")")
            }
        }
        return expected["csv"]!
    }

    /// Issue #12 item 6: mappings learnt from calls (an Encrypt by alias
    /// whose resources[] names the key) in one folder resolve a denied call
    /// by alias in another, the same way through shards and the store.
    @Test func learnedAliasesGiveOneAnswer() throws {
        let trail = try TemporaryFolder()
        let key = "arn:aws:kms:us-east-1:\(Self.owner):key/bbbb"
        let days: [(String, [String])] = [
            ("01", [Self.record("Decrypt", "2026-10-01T01:00:00Z", #""errorCode":"AccessDenied","requestParameters":{"keyId":"alias/learned"}"#)]),
            ("02", [Self.record("Encrypt", "2026-10-02T01:00:00Z", #""requestParameters":{"keyId":"alias/learned"},"resources":[{"ARN":"\#(key)"}]"#)]),
            ("03", [Self.record("Encrypt", "2026-10-03T01:00:00Z", #""requestParameters":{"keyId":"alias/learned"},"resources":[{"ARN":"\#(key)"}]"#)]),
        ]
        for (day, records) in days {
            try trail.write(
                "AWSLogs/\(Self.owner)/CloudTrail/us-east-1/2026/10/\(day)/\(Self.owner)_CloudTrail_us-east-1_202610\(day)T0100Z_x.json.gz",
                try Gzip.compress(Array(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8)))
        }
        var aliases = ReportRequest()
        aliases.report = .aliases
        let csv = try Self.checkOneAnswer(trail, aliases, name: "aliases")
        #expect(csv.contains("arn:aws:kms:us-east-1:\(Self.owner):alias/learned,\(key),2026-10-02T01:00:00Z,,1"), "\(csv)")
        var usage = ReportRequest()
        usage.keyFilter.keys = ["alias/learned"]
        let rows = try Self.checkOneAnswer(trail, usage, name: "--key alias/learned")
        #expect(rows.contains("\(key),Decrypt,1,1") && rows.contains("\(key),Encrypt,2,0"), "\(rows)")
    }

    @Test func shardsAndTheStoreGiveTheScansLifecycleRows() throws {
        let trail = try Self.makeTrail()
        var request = ReportRequest()
        request.report = .lifecycle
        var options = ScanOptions()
        options.jobs = 2
        let discovery = ScanJob.discover(roots: [trail.path], request: request)
        let whole = ScanJob.run(discovery, roots: [trail.path], request: request, options: options, clock: { 0 }).partial
        let expected = OneAnswerTests.renderings(whole)
        let csv = expected["csv"]!
        // Not vacuous: the facts that must travel are in the answer.
        #expect(csv.contains(",ScheduleKeyDeletion,arn:aws:iam::\(Self.owner):user/mallory,AccessDenied,pendingWindowInDays=7,"), "\(csv)")
        #expect(csv.contains(",CreateGrant,arn:aws:iam::\(Self.owner):user/mallory,,grantee=arn:aws:iam::444455556666:role/Out; operations=Decrypt,grantee-outside-account"), "\(csv)")
        #expect(csv.contains(",PutKeyPolicy,arn:aws:iam::\(Self.owner):user/mallory,,,bypass-policy-lockout-safety-check; policy-principal-outside-account=444455556666"), "\(csv)")
        // The alias named in DisableKeyRotation resolves through the CreateAlias of another file.
        #expect(csv.contains("arn:aws:kms:us-east-1:\(Self.owner):key/aaaa,DisableKeyRotation"), "\(csv)")

        for count in [2, 3] {
            let parts = try OneAnswerTests.shardParts(
                discovery, root: trail.path, request: request, count: count, options: { _ in options })
            let merged = try PartialMerge.combine(parts.reversed()).partial
            let got = OneAnswerTests.renderings(merged)
            for format in ["csv", "json"] {
                let difference = firstDifference(got[format]!, expected[format]!)
                #expect(difference == nil, "\(count) shards, \(format): \(difference ?? "")")
            }
        }

        let store = try TemporaryFolder()
        for run in 0..<2 {  // the first run fills the store, the second answers from it
            let stored = try IncrementalStore.run(
                database: store.path + "/state.db", roots: [trail.path], discovery: discovery, request: request,
                options: options, progress: nil, clock: { 0 })
            let got = OneAnswerTests.renderings(stored.partial)
            for format in ["csv", "json"] {
                let difference = firstDifference(got[format]!, expected[format]!)
                #expect(difference == nil, "--db run \(run), \(format): \(difference ?? "")")
            }
        }
    }
}
