// Duplicate deliveries (issue #12, finding 1; docs/audit.md "Duplicate
// deliveries"): one event that two trails deliver into one bucket counts
// once, by eventID, in every report and however the answer is computed
// (one scan, shards + merge, the --db store), and the summary says how many
// copies were folded and from which trail prefix.
//
// The AWS behaviour these trails follow:
// - "CloudTrail record contents": `eventID` is a GUID CloudTrail generates
//   to uniquely identify each event (the same event, delivered by two
//   trails, carries the same eventID in both copies); `sharedEventID`
//   links the copies of one cross-account call, which have different
//   eventIDs.
//   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// - "Finding your CloudTrail log files" and "Creating a trail for an
//   organization": an organization trail delivers each member account's
//   logs to `bucket/[prefix/]AWSLogs/o-<orgID>/<accountID>/CloudTrail/...`,
//   an account trail to `bucket/[prefix/]AWSLogs/<accountID>/CloudTrail/...`
//   (also visible in the bucket policy for organization trails, which
//   grants `AWSLogs/o-<orgID>/*` beside `AWSLogs/<accountID>/*`).
//   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
//   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
//   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-an-organizational-trail-by-using-the-aws-cli.html

import Foundation
import Testing
import TrailScanCore
import TrailScanEngine
import TrailScanIO
import TrailScanTestSupport
import TrailScanWriter

@Suite struct DuplicateDeliveryTests {
    static let account = "111122223333"
    static let key = "arn:aws:kms:us-east-1:111122223333:key/k1"

    /// A KMS record as CloudTrail writes it (eventID after eventSource).
    static func record(
        _ eventID: String, _ name: String = "Decrypt", key: String = "k1", account: String = account,
        caller: String? = nil, region: String = "us-east-1", time: String = "2026-10-01T00:30:00Z",
        extra: String = ""
    ) -> String {
        let caller = caller ?? account
        return #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","accountId":"\#(caller)","arn":"arn:aws:sts::\#(caller):assumed-role/Reader/alice"},"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(name)","awsRegion":"\#(region)","requestParameters":{"keyId":"\#(key)"},"responseElements":null,"requestID":"r-\#(eventID)","eventID":"\#(eventID)","readOnly":true,"resources":[{"accountId":"\#(account)","type":"AWS::KMS::Key","ARN":"arn:aws:kms:\#(region):\#(account):key/\#(key)"}],"eventType":"AwsApiCall","recipientAccountId":"\#(account)"\#(extra)}"#
    }

    static func document(_ records: [String]) -> [UInt8] {
        Array(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
    }

    /// The S3 key of a log file: `trail` is the part before the account
    /// folder ("AWSLogs/", "AWSLogs/o-abc123/", "prefixA/AWSLogs/").
    static func logKey(
        _ trail: String, account: String = account, region: String = "us-east-1", day: String = "2026/10/01",
        unique: String
    ) -> String {
        let stamp = day.replacingOccurrences(of: "/", with: "") + "T0105Z"
        return "\(trail)\(account)/CloudTrail/\(region)/\(day)/\(account)_CloudTrail_\(region)_\(stamp)_\(unique).json.gz"
    }

    @discardableResult
    static func write(_ folder: TemporaryFolder, _ key: String, _ records: [String]) throws -> String {
        try folder.write(key, try Gzip.compress(document(records)))
    }

    static func scan(_ root: String, _ request: ReportRequest = ReportRequest(), jobs: Int = 2) -> Partial {
        var options = ScanOptions()
        options.jobs = jobs
        return ScanJob.run(ScanJob.discover(roots: [root], request: request), roots: [root], request: request,
                           options: options, clock: { 0 }).partial
    }

    static var raw: ReportRequest {
        var request = ReportRequest()
        request.foldsDuplicates = false
        return request
    }

    /// calls of (key, event) in the default CSV (0 when absent).
    static func calls(_ partial: Partial, key: String = key, event: String = "Decrypt") -> Int {
        let csv = ReportAnswer(partial).render(.csv)
        for line in csv.split(separator: "\n") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            if f.count == 4 && f[0] == key && f[1] == event { return Int(f[2]) ?? -1 }
        }
        return 0
    }

    /// An organization trail and an account trail of the same account
    /// deliver e1; e2 only the organization trail; e3 only the account trail.
    @Test func anOrganizationTrailAndAnAccountTrailCountAnEventOnce() throws {
        let trail = try TemporaryFolder()
        try Self.write(trail, Self.logKey("AWSLogs/o-abc123/", unique: "ORG0000000000001"), [Self.record("e1"), Self.record("e2")])
        try Self.write(trail, Self.logKey("AWSLogs/", unique: "ACC0000000000001"), [Self.record("e1"), Self.record("e3")])

        let audited = Self.scan(trail.path)
        #expect(Self.calls(audited) == 3)
        #expect(audited.summary.deliveryCopiesFolded == ["AWSLogs/o-abc123": 1])
        #expect(audited.summary.records == 4, "records read stay raw")

        let raw = Self.scan(trail.path, Self.raw)
        #expect(Self.calls(raw) == 4)
        #expect(raw.summary.deliveryCopiesFolded.isEmpty)
    }

    /// Two trails under different S3 prefixes (Control Tower and a
    /// team's trail, say).
    @Test func twoPrefixesCountAnEventOnce() throws {
        let trail = try TemporaryFolder()
        try Self.write(trail, Self.logKey("prefixA/AWSLogs/", unique: "AAAA000000000001"), [Self.record("e1"), Self.record("e2")])
        try Self.write(trail, Self.logKey("prefixB/AWSLogs/", unique: "BBBB000000000001"), [Self.record("e1")])
        try Self.write(trail, Self.logKey("prefixB/AWSLogs/", unique: "BBBB000000000002"), [Self.record("e2"), Self.record("e4")])

        let audited = Self.scan(trail.path)
        #expect(Self.calls(audited) == 3)
        #expect(audited.summary.deliveryCopiesFolded == ["prefixB/AWSLogs": 2])
        #expect(Self.calls(Self.scan(trail.path, Self.raw)) == 5)

        // Every format says so.
        let answer = ReportAnswer(audited)
        let json = answer.render(.json)
        #expect(json.contains("\"deliveryCopiesFolded\": 2"))
        #expect(json.contains("\"deliveryCopiesFoldedByTrail\": {\"prefixB/AWSLogs\": 2}"))
        #expect(answer.render(.table).contains("2 copies of events two trails delivered"))
        #expect(ReportRenderer.summaryLine(answer.summary).contains("2 duplicate deliveries folded (prefixB/AWSLogs 2)"))
        // The raw answer has nothing to say.
        #expect(ReportAnswer(Self.scan(trail.path, Self.raw)).render(.json).contains("\"deliveryCopiesFoldedByTrail\": {}"))
    }

    /// eventIDs are compared only inside one account, region and day that
    /// several trails deliver: a single trail, or another day, is counted
    /// as it is (and never pays for the comparison).
    @Test func onlyGroupsThatSeveralTrailsDeliverAreCompared() throws {
        let trail = try TemporaryFolder()
        try Self.write(trail, Self.logKey("prefixA/AWSLogs/", unique: "AAAA000000000001"), [Self.record("e1")])
        try Self.write(trail, Self.logKey("prefixB/AWSLogs/", unique: "BBBB000000000001"), [Self.record("e1")])
        // Another day, only in prefixA: not a group of two trails.
        try Self.write(
            trail, Self.logKey("prefixA/AWSLogs/", day: "2026/10/02", unique: "AAAA000000000002"),
            [Self.record("e5", time: "2026-10-02T00:30:00Z"), Self.record("e5", time: "2026-10-02T00:30:00Z")])
        let files = ScanJob.discover(roots: [trail.path], request: ReportRequest()).files
        let groups = DeliveryGroups(files)
        #expect(groups.groups.count == 1)
        #expect(groups.groups.first?.labels == ["prefixA/AWSLogs", "prefixB/AWSLogs"])
        #expect(Self.calls(Self.scan(trail.path)) == 3)
    }

    /// A file that fails half-way leaves no eventID behind: the other
    /// trail's copy counts. The failed file is in the trail scanned first
    /// (labels in byte order: "AWSLogs" before "AWSLogs/o-abc123").
    @Test func aFileThatFailsHalfWayDoesNotFoldTheOtherCopy() throws {
        let trail = try TemporaryFolder()
        var broken = Self.document([Self.record("e1"), Self.record("e2")])
        broken.removeLast(40)  // cut inside the second record
        try trail.write(Self.logKey("AWSLogs/", unique: "ACC0000000000001"), try Gzip.compress(broken))
        try Self.write(trail, Self.logKey("AWSLogs/o-abc123/", unique: "ORG0000000000001"), [Self.record("e1"), Self.record("e2")])

        let audited = Self.scan(trail.path)
        #expect(audited.failures.count == 1)
        #expect(audited.failures.first?.path.contains("ACC0000000000001") == true)
        #expect(Self.calls(audited) == 2)
        #expect(audited.summary.deliveryCopiesFolded.isEmpty)
        // With one job or several, the same.
        #expect(Self.calls(Self.scan(trail.path, jobs: 1)) == 2)
    }

    /// A copy of an event in one trail only counts like any other record,
    /// and an event's lifecycle row, alias change and blind-spot change
    /// are not doubled by a second delivery.
    @Test func factsAreNotDoubledByASecondDelivery() throws {
        let trail = try TemporaryFolder()
        let schedule = Self.record("s1", "ScheduleKeyDeletion", time: "2026-10-01T01:00:00Z")
        let createAlias = #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","accountId":"111122223333","arn":"arn:aws:sts::111122223333:assumed-role/Admin/bob"},"eventTime":"2026-10-01T00:10:00Z","eventSource":"kms.amazonaws.com","eventName":"CreateAlias","awsRegion":"us-east-1","requestParameters":{"aliasName":"alias/app","targetKeyId":"k1"},"responseElements":null,"eventID":"a1","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:alias/app"},{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k1"}],"recipientAccountId":"111122223333"}"#
        let byAlias = Self.record("c1", "Encrypt", key: "alias/app").replacingOccurrences(
            of: #","resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:111122223333:key/alias/app"}]"#,
            with: "")
        let stop = #"{"eventVersion":"1.08","userIdentity":{"type":"Root","accountId":"111122223333"},"eventTime":"2026-10-01T02:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1","requestParameters":{"name":"main"},"responseElements":null,"eventID":"t1","recipientAccountId":"111122223333"}"#
        for (trailPrefix, unique) in [("AWSLogs/o-abc123/", "ORG0000000000001"), ("AWSLogs/", "ACC0000000000001")] {
            try Self.write(trail, Self.logKey(trailPrefix, unique: unique), [schedule, createAlias, byAlias, stop])
        }
        var lifecycle = ReportRequest()
        lifecycle.report = .lifecycle
        let rows = ReportAnswer(Self.scan(trail.path, lifecycle)).render(.csv).split(separator: "\n")
        #expect(rows.filter { $0.contains("ScheduleKeyDeletion") }.count == 1)
        var rawLifecycle = lifecycle
        rawLifecycle.foldsDuplicates = false
        #expect(ReportAnswer(Self.scan(trail.path, rawLifecycle)).render(.csv).split(separator: "\n")
            .filter { $0.contains("ScheduleKeyDeletion") }.count == 2)

        var aliases = ReportRequest()
        aliases.report = .aliases
        let aliasRows = ReportAnswer(Self.scan(trail.path, aliases)).render(.csv).split(separator: "\n").dropFirst()
        #expect(aliasRows.count == 1, "one interval: \(aliasRows)")
        #expect(aliasRows.first?.hasSuffix(",1") == true, "the Encrypt through the alias counts once: \(aliasRows)")

        let audited = Self.scan(trail.path)
        #expect(Self.calls(audited, event: "Encrypt") == 1)
        #expect(audited.report.facts.selectorChanges.count == 1)
        #expect(audited.summary.deliveryCopiesFolded == ["AWSLogs/o-abc123": 4])
    }

    /// A cross-account call: the caller's copy (account 2222) delivered by
    /// the organization trail and by 2222's own trail, the key owner's
    /// copy (account 1111, another eventID, the same sharedEventID) once.
    /// The delivery copy folds by eventID, the owner's copy by
    /// sharedEventID: one call, the caller's.
    @Test func crossAccountCopiesStillFoldAlongsideDeliveryCopies() throws {
        let trail = try TemporaryFolder()
        let caller = "222222222222"
        let shared = #","sharedEventID":"shared-1""#
        let callerCopy = Self.record("x-caller", account: caller, caller: caller, extra: shared)
            .replacingOccurrences(of: "arn:aws:kms:us-east-1:\(caller):key/k1", with: Self.key)
        let ownerCopy = Self.record("x-owner", caller: caller, extra: shared)
        try Self.write(trail, Self.logKey("AWSLogs/o-abc123/", account: caller, unique: "ORG0000000000002"), [callerCopy])
        try Self.write(trail, Self.logKey("AWSLogs/", account: caller, unique: "ACC0000000000002"), [callerCopy])
        try Self.write(trail, Self.logKey("AWSLogs/o-abc123/", unique: "ORG0000000000001"), [ownerCopy])

        let audited = Self.scan(trail.path)
        let answer = ReportAnswer(audited)
        #expect(Self.calls(audited) == 1)
        #expect(answer.summary.duplicatesFolded == 1)
        #expect(answer.summary.deliveryCopiesFolded == ["AWSLogs/o-abc123": 1])
        var byPrincipal = ReportRequest()
        byPrincipal.grouping = [.principal]
        #expect(ReportAnswer(Self.scan(trail.path, byPrincipal)).render(.csv)
            .contains("arn:aws:sts::\(caller):assumed-role/Reader/alice,1,0"))
        #expect(Self.calls(Self.scan(trail.path, Self.raw)) == 3)
    }

    /// A trail of several groups, days and regions, two prefixes each, and
    /// a failed file, for the "one answer" checks below.
    static func makeTrail() throws -> TemporaryFolder {
        let trail = try TemporaryFolder()
        var n = 0
        for day in 1...6 {
            for region in ["us-east-1", "eu-west-1"] {
                let dayPath = String(format: "2026/10/%02d", day)
                let time = String(format: "2026-10-%02dT03:00:00Z", day)
                var a: [String] = []
                var b: [String] = []
                for i in 0..<5 {
                    n += 1
                    let r = Self.record("ev-\(day)-\(region)-\(i)", i % 2 == 0 ? "Decrypt" : "Encrypt", region: region, time: time)
                    if i != 1 { a.append(r) }  // ev-…-1 only in prefixB
                    if i != 2 { b.append(r) }  // ev-…-2 only in prefixA
                }
                try Self.write(trail, Self.logKey("prefixA/AWSLogs/", region: region, day: dayPath, unique: "A\(n)"), a)
                if day != 4 {  // day 4: one trail only
                    try Self.write(trail, Self.logKey("prefixB/AWSLogs/o-abc123/", region: region, day: dayPath, unique: "B\(n)"), b)
                }
            }
        }
        try trail.write(Self.logKey("prefixB/AWSLogs/o-abc123/", day: "2026/10/03", unique: "broken"), Array("nope".utf8))
        return trail
    }

    static func renderings(_ partial: Partial) -> [String: String] { OneAnswerTests.renderings(partial) }

    @Test(arguments: [false, true])
    func shardsMergedEqualOneScan(raw: Bool) throws {
        let trail = try Self.makeTrail()
        let request = raw ? Self.raw : ReportRequest()
        let discovery = ScanJob.discover(roots: [trail.path], request: request)
        let whole = Self.scan(trail.path, request)
        #expect(raw || whole.summary.deliveryCopiesFoldedTotal == 30, "\(whole.summary.deliveryCopiesFolded)")
        let expected = Self.renderings(whole)
        for count in [1, 2, 3, 5] {
            // Each dedup group lies in one shard.
            let groups = DeliveryGroups(discovery.files)
            for group in groups.groups {
                let owners = Set(group.files.map { file in
                    (1...count).first { discovery.shard($0 - 1, of: count).files.contains(discovery.files[file]) }
                })
                #expect(owners.count == 1, "a group split over shards \(owners)")
            }
            let parts = try OneAnswerTests.shardParts(discovery, root: trail.path, request: request, count: count)
            let merged = try PartialMerge.combine(parts.reversed()).partial
            let got = Self.renderings(merged)
            for format in ReportFormat.allCases {
                let difference = firstDifference(got[format.rawValue]!, expected[format.rawValue]!)
                #expect(difference == nil, "\(count) shards, \(format): \(difference ?? "")")
            }
            // The same part twice is still refused.
            if count > 1 {
                #expect(throws: MergeRefusal.self) { try PartialMerge.combine([parts[0], ("again", parts[0].partial)]) }
            }
        }
    }

    /// A generated trail (aliases, cross-account copies, selector changes,
    /// lifecycle calls, organization and account trails) delivered twice,
    /// under prefixA and prefixB, answers every report exactly as the trail
    /// once; --no-dedup counts it twice.
    @Test func aWholeTrailDeliveredTwiceAnswersAsOnce() throws {
        let once = try OneAnswerTests.makeTrail(seed: 8, bytes: 1 << 20)
        let twice = try TemporaryFolder()
        for prefix in ["prefixA", "prefixB"] {
            try FileManager.default.createDirectory(atPath: twice.path + "/" + prefix, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: once.path + "/AWSLogs", toPath: twice.path + "/" + prefix + "/AWSLogs")
        }
        for (name, request) in OneAnswerTests.requests where request.foldsDuplicates {
            let expected = ReportAnswer(Self.scan(once.path, request)).render(.csv)
            let folded = Self.scan(twice.path, request)
            let difference = firstDifference(ReportAnswer(folded).render(.csv), expected)
            #expect(difference == nil, "\(name): \(difference ?? "")")
            #expect(folded.summary.deliveryCopiesFoldedTotal > 0, "\(name)")
            #expect(folded.summary.deliveryCopiesFolded.keys.allSatisfy { $0.hasPrefix("prefixB/AWSLogs") }, "\(name)")
        }
        let raw = Self.scan(twice.path, Self.raw)
        let single = Self.scan(once.path, Self.raw)
        #expect(raw.report.selectedRecords == 2 * single.report.selectedRecords)
    }

    /// The partial format round-trips the folded copies, and reads a
    /// partial without the member (nothing folded).
    @Test func thePartialKeepsTheFoldedCopies() throws {
        let trail = try Self.makeTrail()
        let partial = Self.scan(trail.path)
        let back = try OneAnswerTests.roundTrip(partial)
        #expect(back.summary.deliveryCopiesFolded == partial.summary.deliveryCopiesFolded)
        #expect(back == partial)
        var text = partial.json().replacingOccurrences(
            of: #", "deliveryCopiesFolded": {"prefixB/AWSLogs/o-abc123": 30}"#, with: "")
        #expect(!text.contains("deliveryCopiesFolded"))
        let old = try text.withUTF8 { try Partial(json: UnsafeRawBufferPointer($0)) }
        #expect(old.summary.deliveryCopiesFolded.isEmpty)
    }

    @Test(arguments: [false, true])
    func theStoreAnswersLikeAScan(raw: Bool) throws {
        let trail = try Self.makeTrail()
        let store = try TemporaryFolder()
        let db = store.path + "/state.db"
        let request = raw ? Self.raw : ReportRequest()
        func check(_ step: String) throws {
            let discovery = ScanJob.discover(roots: [trail.path], request: request)
            let stored = try IncrementalStore.run(
                database: db, roots: [trail.path], discovery: discovery, request: request,
                options: OneAnswerTests.options(), progress: nil, clock: { 0 })
            let (got, expected) = (Self.renderings(stored.partial), Self.renderings(Self.scan(trail.path, request)))
            for format in ["csv", "json", "table"] {
                let difference = firstDifference(got[format]!, expected[format]!)
                #expect(difference == nil, "\(step), \(format): \(difference ?? "")")
            }
        }
        try check("first run")
        try check("nothing changed")
        // The second trail starts delivering a day that had one trail.
        try Self.write(
            trail, Self.logKey("prefixB/AWSLogs/o-abc123/", day: "2026/10/04", unique: "late"),
            [Self.record("ev-4-us-east-1-0", time: "2026-10-04T03:00:00Z")])
        try check("a second trail added to a day")
        // One trail's day folder removed: the group is single again.
        try FileManager.default.removeItem(
            atPath: trail.path + "/prefixA/AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/02")
        try check("a trail's folder removed")
    }
}
