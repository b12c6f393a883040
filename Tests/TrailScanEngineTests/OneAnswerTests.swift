// One answer however it is computed (issue #11): on generated trails with
// aliases, cross-account copies and selector changes, a plain scan, any
// split into shards merged in any order (through the partial file format),
// and the `--db` store give byte-identical reports in every format, for
// every report kind and several groupings and filters, in the audited
// default mode and in the raw mode (--no-resolve-aliases --no-dedup).

import Foundation
import Testing
import TrailScanCore
import TrailScanEngine
import TrailScanGenerator
import TrailScanIO
import TrailScanTestSupport
import TrailScanWriter

@Suite struct OneAnswerTests {
    /// The requests checked: each report kind, groupings, times, filters,
    /// in default and raw mode.
    static var requests: [(name: String, request: ReportRequest)] {
        var out: [(String, ReportRequest)] = []
        func add(_ name: String, _ edit: (inout ReportRequest) -> Void) {
            var audited = ReportRequest()
            edit(&audited)
            out.append((name, audited))
            var raw = audited
            raw.resolvesAliases = false
            raw.foldsDuplicates = false
            out.append((name + " (raw)", raw))
        }
        add("usage") { _ in }
        add("usage --html-detail") { $0.detail = true }  // the HTML page's request
        add("by key,principal") { $0.grouping = [.key, .principal] }
        add("by caller-account,key,event,error-code --times") {
            $0.grouping = [.callerAccount, .key, .event, .errorCode]
            $0.times = true
        }
        add("by day,region,identity-type,owner-account") { $0.grouping = [.day, .region, .identityType, .ownerAccount] }
        add("idle") { $0.report = .idle; $0.idleDays = 1 }
        add("lifecycle") { $0.report = .lifecycle }
        add("aliases") { $0.report = .aliases }
        add("blind-spots") { $0.report = .blindSpots }
        add("gaps") { $0.report = .gaps }
        add("filters") {
            $0.filter.since = UTCTime.parse("2026-10-02", allowDateOnly: true)
            $0.filter.errorsOnly = false
            $0.keyFilter.crossAccountOnly = true
        }
        add("errors-only by key,error-code") {
            $0.filter.errorsOnly = true
            $0.grouping = [.key, .errorCode]
        }
        add("--validate full") { $0.validation = .full }
        add("source s3") {
            $0.source = "s3.amazonaws.com"
            $0.grouping = [.event]
        }
        return out
    }

    static func makeTrail(seed: UInt64, bytes: Int = 2 << 20) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        var generator = TrailGenerator(.init(seed: seed, targetBytes: bytes))
        _ = try TrailWriter.write(&generator, to: folder.path)
        // A failed file, so failures are split and merged too.
        try folder.write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/02/broken.json.gz", Array("nope".utf8))
        return folder
    }

    static func options(jobs: Int = 2) -> ScanOptions {
        var options = ScanOptions()
        options.jobs = jobs
        return options
    }

    static func clock() -> Double { 0 }

    /// Every format of the answer, timing members removed (the only ones
    /// allowed to differ: `seconds`, `cpuSeconds`, `jobs`, and the table's
    /// and Prometheus' renderings of them).
    static func renderings(_ partial: Partial) -> [String: String] {
        let answer = ReportAnswer(partial)
        var out: [String: String] = [:]
        for format in ReportFormat.allCases {
            out[format.rawValue] = answer.render(format).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { line in
                    !["\"seconds\"", "\"cpuSeconds\"", "\"jobs\"", "trailscan_scan_seconds", "jobs", "seconds"]
                        .contains { line.contains($0) }
                }
                .joined(separator: "\n")
        }
        return out
    }

    /// A partial through its file format and back.
    /// Shards 1...`count` of `discovery` scanned for `request` (with
    /// `options(k)` for shard k), each through the partial file format and
    /// back, named part1, part2...
    static func shardParts(
        _ discovery: Discovery, root: String, request: ReportRequest, count: Int,
        options: (Int) -> ScanOptions = { k in OneAnswerTests.options(jobs: k % 2 + 1) }
    ) throws -> [(name: String, partial: Partial)] {
        try (1...count).map { k in
            let part = ScanJob.run(
                discovery, roots: [root], request: request, options: options(k),
                shard: ShardSpec(index: k, count: count), clock: Self.clock
            ).partial
            return ("part\(k)", try roundTrip(part))
        }
    }

    static func roundTrip(_ partial: Partial) throws -> Partial {
        var text = partial.json()
        return try text.withUTF8 { try Partial(json: UnsafeRawBufferPointer($0)) }
    }

    @Test(arguments: [3 as UInt64, 11])
    func shardsMergedInAnyOrderEqualOneScan(seed: UInt64) throws {
        let trail = try Self.makeTrail(seed: seed)
        var random = SplitMix64(seed: seed)
        for (name, request) in Self.requests {
            let discovery = ScanJob.discover(roots: [trail.path], request: request)
            let whole = ScanJob.run(discovery, roots: [trail.path], request: request, options: Self.options(), clock: Self.clock)
                .partial
            let expected = Self.renderings(whole)
            #expect(expected["csv"]!.split(separator: "\n").count > 1 || request.report != .usage, "\(name): empty answer")

            let count = Int(random.next() % 9) + 1
            var parts = try Self.shardParts(discovery, root: trail.path, request: request, count: count)
            parts.shuffle(using: &random)
            let merged = try PartialMerge.combine(parts).partial
            let got = Self.renderings(merged)
            for format in ReportFormat.allCases {
                let difference = firstDifference(got[format.rawValue]!, expected[format.rawValue]!)
                #expect(difference == nil, "\(name), \(count) shards, \(format): \(difference ?? "")")
            }
            #expect(merged.coverage.filesSeen == whole.coverage.filesSeen, "\(name)")
            #expect(merged.coverage.filesFingerprint == whole.coverage.filesFingerprint, "\(name)")

            // Merging in stages (a tree, as a Dask reduction does) is the same.
            if parts.count >= 3 {
                let left = try PartialMerge.combine(Array(parts[..<2]), allowMissing: true).partial
                let staged = try PartialMerge.combine([("left", try Self.roundTrip(left))] + Array(parts[2...])).partial
                let difference = firstDifference(Self.renderings(staged)["json"]!, expected["json"]!)
                #expect(difference == nil, "\(name), staged: \(difference ?? "")")
            }
        }
    }

    @Test func aPartialReadsBackEqual() throws {
        let trail = try Self.makeTrail(seed: 5)
        for (name, request) in Self.requests {
            let discovery = ScanJob.discover(roots: [trail.path], request: request)
            let partial = ScanJob.run(discovery, roots: [trail.path], request: request, options: Self.options(), clock: Self.clock)
                .partial
            let back = try Self.roundTrip(partial)
            #expect(back == partial, "\(name)")
            #expect(back.json() == partial.json(), "\(name)")
        }
    }

    @Test func theStoreAnswersLikeAScanThroughAnyHistory() throws {
        let trail = try Self.makeTrail(seed: 17, bytes: 1 << 20)
        let store = try TemporaryFolder()
        let db = store.path + "/state.db"
        var random = SplitMix64(seed: 99)
        let requests = Self.requests.filter { ["usage", "usage (raw)", "by key,principal", "gaps", "filters"].contains($0.name) }
        let extra = #"{"Records":[{"eventVersion":"1.08","eventTime":"2026-10-02T10:00:00Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","recipientAccountId":"111122223333","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/history-STEP"}]}]}"#
        for step in 0..<14 {
            // One random change to the trail (step 0: none, the first run).
            let logs = try FileManager.default.subpathsOfDirectory(atPath: trail.path)
                .filter { $0.hasSuffix(".json.gz") && !$0.contains("Digest") }.sorted()
            switch step == 0 ? 0 : random.next() % 5 {
            case 1:  // add a file to an existing folder or a new one
                let folder = random.next() % 2 == 0
                    ? (logs[Int(random.next() % UInt64(logs.count))] as NSString).deletingLastPathComponent
                    : "AWSLogs/111122223333/CloudTrail/us-east-1/2027/01/\(10 + step)"
                let text = extra.replacingOccurrences(of: "STEP", with: String(step))
                try trail.write(folder + "/added-\(step).json.gz", try Gzip.compress(Array(text.utf8)))
            case 2:  // change a file (other content, same name)
                let text = extra.replacingOccurrences(of: "STEP", with: "changed-\(step)")
                try trail.write(logs[Int(random.next() % UInt64(logs.count))], try Gzip.compress(Array(text.utf8)))
            case 3:  // delete a file
                try FileManager.default.removeItem(atPath: trail.path + "/" + logs[Int(random.next() % UInt64(logs.count))])
            case 4:  // delete a whole folder
                let folder = (logs[Int(random.next() % UInt64(logs.count))] as NSString).deletingLastPathComponent
                try FileManager.default.removeItem(atPath: trail.path + "/" + folder)
            default: break  // nothing changed
            }
            for (name, request) in requests {
                let discovery = ScanJob.discover(roots: [trail.path], request: request)
                let scan = ScanJob.run(discovery, roots: [trail.path], request: request, options: Self.options(), clock: Self.clock)
                let stored = try IncrementalStore.run(
                    database: db, roots: [trail.path], discovery: discovery, request: request, options: Self.options(),
                    progress: nil, clock: Self.clock)
                let (got, expected) = (Self.renderings(stored.partial), Self.renderings(scan.partial))
                for format in ["csv", "json"] {
                    let difference = firstDifference(got[format]!, expected[format]!)
                    #expect(difference == nil, "step \(step), \(name), \(format): \(difference ?? "")")
                }
            }
        }
    }

    @Test func theStoreRefusesFilesBeforeWritingAnything() throws {
        let trail = try Self.makeTrail(seed: 2, bytes: 256 << 10)
        let store = try TemporaryFolder()
        let db = store.path + "/state.db"
        let file = try #require(
            FileManager.default.subpathsOfDirectory(atPath: trail.path).first { $0.hasSuffix(".json.gz") })
        let roots = [trail.path + "/" + file]
        let request = ReportRequest()
        #expect(throws: StoreError.self) {
            try IncrementalStore.run(
                database: db, roots: roots, discovery: ScanJob.discover(roots: roots, request: request), request: request,
                options: Self.options(), progress: nil, clock: Self.clock)
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}

/// The first line where two texts differ, as "line N: got … / expected …"
/// (nil when equal): short messages instead of two whole reports.
func firstDifference(_ got: String, _ expected: String) -> String? {
    guard got != expected else { return nil }
    let a = got.split(separator: "\n", omittingEmptySubsequences: false)
    let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] {
        return "line \(i + 1): got \(i < a.count ? String(a[i]) : "(end)") / expected \(i < b.count ? String(b[i]) : "(end)")"
    }
    return "texts differ"
}


/// Findings of the end-of-session review, as tests.
@Suite struct PartialHardeningTests {
    static func scanned(_ root: String, request: ReportRequest = ReportRequest()) -> Partial {
        ScanJob.run(ScanJob.discover(roots: [root], request: request), roots: [root], request: request,
                    options: OneAnswerTests.options(), clock: OneAnswerTests.clock).partial
    }

    /// A part of the whole trail and a part of one account folder overlap,
    /// whatever form their roots take (the trail root holds no `AWSLogs/`
    /// component, the account folder does).
    @Test func partsThatShareAFileAreRefusedHoweverTheRootsAreSpelled() throws {
        let trail = try OneAnswerTests.makeTrail(seed: 4, bytes: 512 << 10)
        let account = try #require(
            try FileManager.default.contentsOfDirectory(atPath: trail.path + "/AWSLogs").sorted().first)
        let whole = try OneAnswerTests.roundTrip(Self.scanned(trail.path))
        let part = try OneAnswerTests.roundTrip(Self.scanned(trail.path + "/AWSLogs/" + account + "/"))
        #expect(throws: MergeRefusal.self) { try PartialMerge.combine([("whole", whole), ("account", part)]) }
        // Disjoint folders of one trail merge, and equal the whole.
        let accounts = try FileManager.default.contentsOfDirectory(atPath: trail.path + "/AWSLogs").sorted()
        let parts = try accounts.map { ($0, try OneAnswerTests.roundTrip(Self.scanned(trail.path + "/AWSLogs/" + $0))) }
        let merged = try PartialMerge.combine(parts).partial
        #expect(merged.coverage.fileHashes == whole.coverage.fileHashes)
    }

    /// Times a CloudTrail record cannot hold are refused when read, never
    /// trapped on later (day arithmetic on Int64.min).
    @Test func impossibleTimesAndCountsAreNotPartials() throws {
        var request = ReportRequest()
        request.report = .idle
        var partial = Partial(request: request)
        partial.report.latestEventTime = -9_223_372_036_854_775_807
        var text = partial.json()
        #expect(throws: PartialFormatError.self) { try text.withUTF8 { try Partial(json: UnsafeRawBufferPointer($0)) } }
        var row = Partial(request: ReportRequest())
        row.report.rows.add(UsageReport.RowKey(key: "k", eventName: "Decrypt"), CallCounts(calls: 1, errors: 2))
        text = row.json()
        #expect(throws: PartialFormatError.self) { try text.withUTF8 { try Partial(json: UnsafeRawBufferPointer($0)) } }
    }
}
