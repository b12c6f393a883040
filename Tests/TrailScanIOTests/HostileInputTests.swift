// Hostile input through the real pipeline (issue 4; the failure policy in the README): each case is
// generated here (no binary fixtures) and checked for its exact outcome —
// counted, or failed with an error naming what went wrong (and where) — with
// the other files still counted and the accounting identities holding:
//   files seen = files + filesFailed + filesSkipped
//   records read = records + recordsInFailedFiles.
// Cases already covered elsewhere are not repeated: truncation at the usual
// points, CRC/ISIZE, trailing garbage, empty and non-gzip files, window growth
// and the record cap (FileScannerTests), symlink loops in discovery
// (DiscoveryTests), malformed JSON and 100,000-deep nesting in memory
// (InvalidJSONTests).

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanCore
import TrailScanIO
import TrailScanWriter

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Helpers

private let keyA = "arn:aws:kms:us-east-1:111122223333:key/k1"

/// One small KMS record (Decrypt on `keyA`).
private let kmsRecordText =
    #"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","resources":[{"ARN":"\#(keyA)"}]}"#

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A trail with `count` KMS records.
private func trailBytes(_ count: Int) -> [UInt8] {
    bytes(#"{"Records":["# + Array(repeating: kmsRecordText, count: count).joined(separator: ",") + "]}")
}

private func scanOne(
    _ path: String, options: ScanOptions = ScanOptions(), tally: UsageTally = UsageTally()
) -> (FileOutcome, UsageReport) {
    let scanner = FileScanner(options: options, tally: tally)
    let outcome = scanner.scan(path: path)
    return (outcome, scanner.tally.makeReport())
}

/// Scans a folder holding `good` valid files (10 records each) plus `bad`,
/// and checks the accounting identities and that the good files counted.
@discardableResult
private func scanAmongGoodFiles(
    _ bad: [(name: String, bytes: [UInt8])], good: Int = 3, options: ScanOptions = ScanOptions(jobs: 2),
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> ScanResult {
    let files = try TemporaryFolder()
    for i in 0..<good { _ = try files.write("AWSLogs/good\(i).json.gz", try Gzip.compress(trailBytes(10))) }
    for file in bad { _ = try files.write("AWSLogs/" + file.name, file.bytes) }
    let discovery = TrailDiscovery.discover(roots: [files.path])
    let result = ParallelScan.run(discovery, options: options, clock: { 0 })
    expectIdentities(result, seen: good + bad.count, sourceLocation: sourceLocation)
    #expect(result.summary.files >= good, sourceLocation: sourceLocation)
    #expect(result.report.rows[UsageReport.RowKey(key: keyA, eventName: "Decrypt")]?.calls ?? 0
        >= UInt64(10 * good), sourceLocation: sourceLocation)
    return result
}

/// files seen = files + filesFailed + filesSkipped; the failures list
/// matches filesFailed, and recordsInFailedFiles is their sum.
private func expectIdentities(_ result: ScanResult, seen: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let s = result.summary
    #expect(s.files + s.filesFailed + s.filesSkipped == seen, "\(s)", sourceLocation: sourceLocation)
    #expect(result.failures.count == s.filesFailed, sourceLocation: sourceLocation)
    #expect(
        result.failures.reduce(UInt64(0)) { $0 + $1.recordsBeforeFailure } == s.recordsInFailedFiles,
        sourceLocation: sourceLocation)
    #expect(s.records == result.report.records, sourceLocation: sourceLocation)
}

private func failure(_ result: ScanResult, named name: String) -> FileFailure? {
    result.failures.first { ($0.path as NSString).lastPathComponent == name }
}

/// This process's open descriptors on files below `folder` (other tests,
/// running in parallel, open files elsewhere).
private func descriptorsOpen(under folder: String) -> [String] {
    let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path + "/"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
        .filter { $0.hasPrefix(real) }
}

/// gzip members that inflate to `{"Records":[` + `repeats` × `chunk` + `]}`
/// without ever holding the inflated data: one member compressed once and
/// repeated (multi-member gzip is one document).
private func gzipBomb(chunk: [UInt8], repeats: Int, tail: [UInt8] = bytes("]}")) throws -> [UInt8] {
    let member = try Gzip.compress(chunk, level: 9)
    var file = try Gzip.compress(bytes(#"{"Records":["#))
    file.reserveCapacity(file.count + member.count * repeats + 64)
    for _ in 0..<repeats { file += member }
    file += try Gzip.compress(tail)
    return file
}

/// Under `scripts/sanitize.sh` (TRAILSCAN_SANITIZER set) the big cases run
/// at a fraction of their size: the code paths are the same, and ASan/TSan
/// make every byte many times slower.
private let underSanitizer = ProcessInfo.processInfo.environment["TRAILSCAN_SANITIZER"] != nil

private func isDebugBuild() -> Bool {
    #if DEBUG
    return true
    #else
    return false
    #endif
}

// MARK: - Cases

@Suite struct HostileInputTests {
    // gzip: cut inside the 10-byte header (after the magic, method, flags,
    // mtime) and inside the 8-byte trailer (in the CRC32, between CRC32 and
    // ISIZE, in ISIZE): each is "truncated gzip data" naming the byte count.
    @Test(arguments: [2, 3, 4, 8, 9, -7, -5, -4, -3, -2])
    func gzipCutInsideTheHeaderOrTrailer(cut: Int) throws {
        let gz = try Gzip.compress(trailBytes(20))
        let length = cut > 0 ? cut : gz.count + cut
        let result = try scanAmongGoodFiles([("cut.json.gz", Array(gz[..<length]))])
        let failed = try #require(failure(result, named: "cut.json.gz"))
        #expect(
            failed.error == "truncated gzip data: the file ends inside a gzip member (after \(length) bytes)",
            "\(failed.error)")
        // The truncation is found while the window is being filled, before
        // this small document's only window is scanned: no records read.
        #expect(failed.recordsBeforeFailure == 0)
        #expect(result.summary.filesFailed == 1 && result.summary.files == 3)
    }

    @Test func aZeroRecordFileIsValidAndCounted() throws {
        for (name, data) in [
            ("zero.json.gz", try Gzip.compress(bytes(#"{"Records":[]}"#))),
            ("zero.json", bytes(#"{"Records":[]}"#)),
            ("zero-pretty.json", bytes("{\n  \"Records\" : [ ]\n}\n")),
        ] {
            let result = try scanAmongGoodFiles([(name, data)])
            #expect(result.failures.isEmpty, "\(name): \(result.failures)")
            #expect(result.summary.files == 4)
            #expect(result.summary.records == 30)
        }
    }

    @Test func jsonEndingMidRecordFailsWithTheRecordsBeforeIt() throws {
        let whole = trailBytes(5)
        // Cut inside the fifth record: four records were read.
        let cut = whole.count - kmsRecordText.utf8.count / 2
        let result = try scanAmongGoodFiles([("mid.json.gz", try Gzip.compress(Array(whole[..<cut])))])
        let failed = try #require(failure(result, named: "mid.json.gz"))
        #expect(failed.error.hasPrefix("invalid JSON: unexpected end of data at byte "), "\(failed.error)")
        #expect(failed.recordsBeforeFailure == 4)
        #expect(result.summary.recordsInFailedFiles == 4)
        #expect(result.summary.records == 30)
    }

    @Test(arguments: [
        ("[1,2]", "not a CloudTrail log (top level is an array) at byte 0"),
        (#""Records""#, "not a CloudTrail log (top level is a string) at byte 0"),
        ("42", "not a CloudTrail log (top level is a number) at byte 0"),
        ("null", "not a CloudTrail log (top level is true, false or null) at byte 0"),
        ("<xml/>", "not a CloudTrail log (top level is not a JSON object, found '<' (0x3C)) at byte 0"),
        ("{}", "not a CloudTrail log (no Records array) at byte 1"),
        (#"{"records":[]}"#, "not a CloudTrail log (no Records array) at byte 13"),
        (#"{"Records":{}}"#, "not a CloudTrail log (Records is not an array) at byte 11"),
        (#"{"Records":null}"#, "not a CloudTrail log (Records is not an array) at byte 11"),
    ])
    func aTopLevelValueThatIsNotATrailFails(text: String, expected: String) throws {
        let result = try scanAmongGoodFiles([("top.json.gz", try Gzip.compress(bytes(text)))])
        #expect(failure(result, named: "top.json.gz")?.error == expected)
    }

    @Test func aRecordThatIsNotAnObjectFails() throws {
        let text = #"{"Records":["# + kmsRecordText + #",[1]]}"#
        let result = try scanAmongGoodFiles([("arr.json.gz", try Gzip.compress(bytes(text)))])
        let failed = try #require(failure(result, named: "arr.json.gz"))
        let offset = 12 + kmsRecordText.utf8.count + 1
        #expect(failed.error == "invalid JSON: record is not a JSON object at byte \(offset): found '[' (0x5B)")
        #expect(failed.recordsBeforeFailure == 1)
    }

    /// 10^6 levels inside one record, through gzip and the window loop (the
    /// window grows to hold the 2 MB record): the scanner's explicit stack
    /// handles it; one level short of closing is a truncation.
    @Test func millionDeepNestingInsideARecord() throws {
        let depth = 1_000_000
        let deep = bytes(#"{"Records":[{"eventSource":"kms.amazonaws.com","x":"#)
            + [UInt8](repeating: UInt8(ascii: "["), count: depth) + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
            + bytes(#"},"# + kmsRecordText + "]}")
        let files = try TemporaryFolder()
        let path = try files.write("deep.json.gz", try Gzip.compress(deep))
        let (outcome, report) = scanOne(path)
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(report.records == 2 && report.kmsRecords == 2)

        let open = bytes(#"{"Records":[{"x":"#) + [UInt8](repeating: UInt8(ascii: "{"), count: 1) + bytes(#""a":"#)
        var unclosed = open
        for _ in 0..<(depth / 2) { unclosed += bytes(#"[{"a":"#) }
        let cut = try files.write("unclosed.json.gz", try Gzip.compress(unclosed))
        let (cutOutcome, cutReport) = scanOne(cut)
        #expect(cutOutcome.failure?.hasPrefix("invalid JSON: unexpected end of data at byte") == true, "\(cutOutcome.failure ?? "nil")")
        #expect(cutReport.records == 0)
    }

    /// A 100 MB string value. Decision: under the default per-record cap
    /// (256 MiB) it is scanned in full — the window grows to hold the
    /// record (128 MiB), doubling so the rescans stay linear; below the cap,
    /// the file fails with the cap named. Memory is bounded by the cap.
    @Test func aHundredMegabyteString() throws {
        let size = underSanitizer ? 10_000_000 : 100_000_000
        let cap = underSanitizer ? 4 << 20 : 64 << 20
        var document = bytes(#"{"Records":["# + kmsRecordText + #",{"eventSource":"kms.amazonaws.com","userAgent":""#)
        document.reserveCapacity(size + 200)
        document += repeatElement(UInt8(ascii: "a"), count: size)
        document += bytes(#""},"# + kmsRecordText + "]}")
        let files = try TemporaryFolder()
        let path = try files.write("big.json.gz", try Gzip.compress(document, level: 1))
        let (outcome, report) = scanOne(path)
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(report.records == 3)
        #expect(outcome.bytesUncompressed == UInt64(document.count))

        let (capped, cappedReport) = scanOne(path, options: ScanOptions(maximumRecordBytes: cap))
        #expect(
            capped.failure
                == "record larger than the per-record limit (\(cap) bytes) at byte \(12 + kmsRecordText.utf8.count + 1)",
            "\(capped.failure ?? "nil")")
        #expect(capped.records == 1)
        #expect(cappedReport.records == 0)
    }

    /// A record bigger than the cap among good files: that file fails with
    /// the cap and the record's offset; the others count.
    @Test func aRecordBiggerThanTheCapFailsOnlyItsFile() throws {
        let huge = #"{"eventSource":"kms.amazonaws.com","pad":""# + String(repeating: "p", count: 300_000) + #""}"#
        let text = #"{"Records":["# + kmsRecordText + "," + huge + "]}"
        let result = try scanAmongGoodFiles(
            [("huge.json.gz", try Gzip.compress(bytes(text)))],
            options: ScanOptions(jobs: 2, windowBytes: 4096, maximumRecordBytes: 65536))
        let failed = try #require(failure(result, named: "huge.json.gz"))
        #expect(
            failed.error == "record larger than the per-record limit (65536 bytes) at byte \(12 + kmsRecordText.utf8.count + 1)")
        #expect(failed.recordsBeforeFailure == 1)
    }

    @Test(arguments: [
        ([0xC3, 0x28], 0x28),  // a lead byte without its continuation
        ([0x80], 0x80),  // a lone continuation byte
        ([0xED, 0xA0, 0x80], 0xA0),  // a UTF-16 surrogate encoded in UTF-8
        ([0xC0, 0xAF], 0xC0),  // an overlong encoding of '/'
        ([0xF4, 0x90, 0x80, 0x80], 0x90),  // above U+10FFFF
        ([0xFF], 0xFF),
    ] as [([UInt8], Int)])
    func invalidUTF8InsideAStringFails(sequence: [UInt8], reported: Int) throws {
        let prefix = bytes(#"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"ab"#)
        let result = try scanAmongGoodFiles([("utf8.json.gz", try Gzip.compress(prefix + sequence + bytes(#""}]}"#)))])
        let failed = try #require(failure(result, named: "utf8.json.gz"))
        #expect(failed.error.hasPrefix("invalid JSON: invalid UTF-8 in string at byte "), "\(failed.error)")
        let hex = String(reported, radix: 16, uppercase: true)
        #expect(failed.error.hasSuffix("0x" + hex) || failed.error.hasSuffix("0x" + hex + ")"), "\(failed.error)")
    }

    @Test func aByteOrderMarkIsAccepted() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let result = try scanAmongGoodFiles([
            ("bom.json.gz", try Gzip.compress(bom + trailBytes(2))),
            ("bom.json", bom + trailBytes(2)),
        ])
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.summary.records == 34)
        // A second mark is not whitespace.
        let twice = try scanAmongGoodFiles([("bom2.json.gz", try Gzip.compress(bom + bom + trailBytes(2)))])
        #expect(failure(twice, named: "bom2.json.gz")?.error == "not a CloudTrail log (top level is not a JSON object, found 0xEF) at byte 3")
    }

    @Test func nulBytesFail() throws {
        // In a value the answer reads (a KMS record's eventName): an error
        // under either --validate mode.
        let inString = bytes(#"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"a"#) + [0] + bytes(#"b"}]}"#)
        let betweenTokens = bytes(#"{"Records":[{"eventName":"a"}"#) + [0] + bytes("]}")
        let zeros = [UInt8](repeating: 0, count: 4096)  // a file zero-filled by a crash
        let result = try scanAmongGoodFiles([
            ("instring.json.gz", try Gzip.compress(inString)),
            ("between.json.gz", try Gzip.compress(betweenTokens)),
            ("zeros.json", zeros),
            ("zeros.json.gz", zeros),
            ("zeros-inflated.json.gz", try Gzip.compress(zeros)),
        ])
        #expect(
            failure(result, named: "instring.json.gz")?.error
                == "invalid JSON: unescaped control character in string at byte 61: found 0x00")
        #expect(failure(result, named: "between.json.gz")?.error == "invalid JSON: unexpected byte at byte 29: found 0x00")
        #expect(failure(result, named: "zeros.json")?.error == "not a CloudTrail log (top level is not a JSON object, found 0x00) at byte 0")
        #expect(failure(result, named: "zeros.json.gz")?.error.hasPrefix("not a gzip file") == true)
        #expect(
            failure(result, named: "zeros-inflated.json.gz")?.error
                == "not a CloudTrail log (top level is not a JSON object, found 0x00) at byte 0")
        #expect(result.summary.filesFailed == 5)
    }

    @Test func nulInAnUnreadValueFailsOnlyWithFullValidation() throws {
        // A record no report needs (no eventSource): skipped for structure
        // under --validate used (README "The JSON trailscan accepts").
        let unread = bytes(#"{"Records":[{"eventName":"a"#) + [0] + bytes(#"b"}]}"#)
        var full = ScanOptions(jobs: 2)
        full.plan = full.plan.validating(.full)
        let strict = try scanAmongGoodFiles([("unread.json.gz", try Gzip.compress(unread))], options: full)
        #expect(
            failure(strict, named: "unread.json.gz")?.error
                == "invalid JSON: unescaped control character in string at byte 27: found 0x00")
        let used = try scanAmongGoodFiles([("unread.json.gz", try Gzip.compress(unread))])
        #expect(used.failures.isEmpty, "\(used.failures)")
        #expect(used.summary.records == 3 * 10 + 1)
    }

    /// A gzip bomb: a small file that inflates to gigabytes of valid trail.
    /// Decision: it is scanned in full (the window loop streams through a
    /// fixed window, so memory stays at the window), counted exactly. 2 GiB
    /// in release builds; 256 MiB in debug builds, to keep the test short.
    @Test func aGzipBombOfRecordsIsScannedInFullWithBoundedMemory() throws {
        let recordsPerChunk = 8192
        let chunk = bytes(String(repeating: kmsRecordText + ",", count: recordsPerChunk))
        let target = underSanitizer ? 16 << 20 : isDebugBuild() ? 256 << 20 : 2 << 30
        let repeats = target / chunk.count
        let files = try TemporaryFolder()
        let bomb = try gzipBomb(chunk: chunk, repeats: repeats, tail: bytes(kmsRecordText + "]}"))
        #expect(bomb.count < target / 200, "the bomb is \(bomb.count) bytes")
        let path = try files.write("bomb.json.gz", bomb)
        let scanner = FileScanner(options: ScanOptions())
        let outcome = scanner.scan(path: path)
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        let expected = UInt64(repeats * recordsPerChunk + 1)
        #expect(outcome.records == expected)
        #expect(scanner.tally.makeReport().rows[UsageReport.RowKey(key: keyA, eventName: "Decrypt")]?.calls == expected)
        #expect(outcome.bytesUncompressed > UInt64(repeats * chunk.count))
    }

    /// A bomb of whitespace between records: whitespace is a unit of its
    /// own (committed as soon as it is skipped), so a run of whitespace far
    /// longer than the per-record cap streams through the bounded window and
    /// the record after it is counted.
    @Test func aGzipBombOfWhitespaceIsScannedInFull() throws {
        let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
        let files = try TemporaryFolder()
        let repeats = underSanitizer ? 12 : 64
        let bomb = try gzipBomb(chunk: chunk, repeats: repeats, tail: bytes(kmsRecordText + "]}"))
        let path = try files.write("spaces.json.gz", bomb)
        let (outcome, report) = scanOne(path, options: ScanOptions(maximumRecordBytes: 8 << 20))
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(report.records == 1)
        #expect(outcome.bytesUncompressed > UInt64(repeats * chunk.count))
    }

    @Test(.enabled(if: geteuid() != 0, "root ignores file permissions; HostileCLITests runs this case as nobody"))
    func anUnreadableFileFails() throws {
        let files = try TemporaryFolder()
        let path = try files.write("AWSLogs/locked.json.gz", try Gzip.compress(trailBytes(3)))
        chmod(path, 0)
        _ = try files.write("AWSLogs/good.json.gz", try Gzip.compress(trailBytes(10)))
        let result = ParallelScan.run(TrailDiscovery.discover(roots: [files.path]), options: ScanOptions(), clock: { 0 })
        expectIdentities(result, seen: 2)
        #expect(failure(result, named: "locked.json.gz")?.error == "cannot open: Permission denied")
        #expect(result.summary.records == 10)
    }

    /// A directory named like a log is a directory: walked (its logs are
    /// read), never opened as a file, never a failure.
    @Test func aDirectoryNamedLikeALogIsWalked() throws {
        let files = try TemporaryFolder()
        _ = try files.write("AWSLogs/x.json.gz/inner.json.gz", try Gzip.compress(trailBytes(2)))
        try FileManager.default.createDirectory(
            atPath: files.path + "/AWSLogs/empty.json", withIntermediateDirectories: true)
        _ = try files.write("AWSLogs/good.json.gz", try Gzip.compress(trailBytes(10)))
        for root in [files.path, files.path + "/AWSLogs/x.json.gz"] {
            let discovery = TrailDiscovery.discover(roots: [root])
            #expect(discovery.failures.isEmpty)
            let result = ParallelScan.run(discovery, options: ScanOptions(), clock: { 0 })
            expectIdentities(result, seen: discovery.files.count)
            #expect(result.failures.isEmpty)
        }
        // FileScanner itself refuses a directory.
        #expect(scanOne(files.path + "/AWSLogs/x.json.gz").0.failure == "not a regular file")
    }

    /// A FIFO named like a log is never opened by a walk (a reader would
    /// block until a writer came): discovery reports it as not a regular
    /// file. Given explicitly, it fails the same way; and FileScanner,
    /// handed one directly, opens it non-blocking and refuses it.
    @Test(.timeLimit(.minutes(1)))
    func aFIFONamedLikeALogIsNeverOpened() throws {
        let files = try TemporaryFolder()
        _ = try files.write("AWSLogs/good.json.gz", try Gzip.compress(trailBytes(10)))
        let fifo = files.path + "/AWSLogs/pipe.json.gz"
        #expect(mkfifo(fifo, 0o644) == 0)
        let discovery = TrailDiscovery.discover(roots: [files.path])
        #expect(discovery.failures.map(\.error) == ["not a regular file"])
        let result = ParallelScan.run(discovery, options: ScanOptions(), clock: { 0 })
        expectIdentities(result, seen: 2)
        #expect(failure(result, named: "pipe.json.gz")?.error == "not a regular file")
        #expect(result.summary.records == 10)

        let explicit = TrailDiscovery.discover(roots: [fifo])
        #expect(explicit.failures.map(\.error) == ["not a regular file or directory"])
        #expect(scanOne(fifo).0.failure == "not a regular file")
    }

    /// Symbolic-link loops and dangling links named like logs, through the
    /// whole scan: each failed link is a failed file, the rest counts.
    @Test func symlinkLoopsAndDanglingLinksThroughTheScan() throws {
        let files = try TemporaryFolder()
        _ = try files.write("AWSLogs/good.json.gz", try Gzip.compress(trailBytes(10)))
        let folder = files.path + "/AWSLogs"
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop", withDestinationPath: folder)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a.json.gz", withDestinationPath: folder + "/b.json.gz")
        try FileManager.default.createSymbolicLink(atPath: folder + "/b.json.gz", withDestinationPath: folder + "/a.json.gz")
        try FileManager.default.createSymbolicLink(atPath: folder + "/gone.json", withDestinationPath: folder + "/nowhere")
        let result = ParallelScan.run(TrailDiscovery.discover(roots: [files.path]), options: ScanOptions(), clock: { 0 })
        expectIdentities(result, seen: 4)
        #expect(failure(result, named: "a.json.gz")?.error == "cannot stat: Too many levels of symbolic links")
        #expect(failure(result, named: "gone.json")?.error == "cannot stat: No such file or directory")
        #expect(result.summary.files == 1 && result.summary.records == 10)
    }

    /// A file deleted while it is being scanned is read to its end (through
    /// the open descriptor, or the mapping); one cut short during the scan
    /// fails with "the file shrank while being read", whatever it ran into
    /// first, and is never counted, never a crash. No timing: the scanner's
    /// test hook changes the file just before the read hands out its second
    /// 1 MiB piece. With mmap, `truncate` (to 0) makes that piece's pages
    /// vanish under the reader (the SIGBUS path of `MappingGuard`), and
    /// `shrink` (to just past that piece) is found by the size check before
    /// the third piece; with read(), both end in an early end of file.
    @Test(arguments: [ReadStrategy.read, .mmap])
    func aFileDeletedOrTruncatedDuringTheScan(strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        // About 4.5 MB of compressed input (five pieces): a pseudo-random
        // 64 KiB block, repeated (deflate cannot see repeats farther than
        // 32 KiB back, so it stays barely compressible), the same every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/".utf8)
        let block = (0..<(64 << 10)).map { _ -> UInt8 in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return alphabet[Int(state >> 58)]
        }
        let noise = Array([[UInt8]](repeating: block, count: 96).joined())
        let document = bytes(#"{"Records":[{"eventSource":"kms.amazonaws.com","noise":""#) + noise + bytes(#""}]}"#)
        let gz = try Gzip.compress(document, level: 1)
        let piece = 1 << 20
        try #require(gz.count > 4 * piece)
        let shrunk = 2 * piece + 1

        for action in ["delete", "truncate", "shrink"] {
            let path = try files.write("race-\(action).json.gz", gz)
            let scanner = FileScanner(options: ScanOptions(readStrategy: strategy))
            var pieces: [Int] = []
            scanner.beforePiece = { index in
                pieces.append(index)
                guard index == 1 else { return }
                switch action {
                case "delete": unlink(path)
                case "truncate": truncate(path, 0)
                default: truncate(path, off_t(shrunk))
                }
            }
            let outcome = scanner.scan(path: path)
            #expect(pieces.starts(with: [0, 1]), "\(strategy) \(action): pieces \(pieces)")
            switch action {
            case "delete":
                // The open descriptor (or the mapping) still reads the data.
                #expect(outcome.failure == nil, "\(strategy) delete: \(outcome.failure ?? "")")
                #expect(outcome.records == 1)
                // Every piece, and with read() the read that finds the end.
                let count = (gz.count + piece - 1) / piece + (strategy == .read ? 1 : 0)
                #expect(pieces == Array(0..<count), "\(pieces)")
            case "truncate" where strategy == .mmap:
                #expect(
                    outcome.failure
                        == "the file shrank while being read (memory-mapped; pages past its new end were gone)")
                #expect(outcome.records == 0)
            case "truncate":
                #expect(outcome.failure == "the file shrank while being read (from \(gz.count) to 0 bytes)")
                #expect(outcome.records == 0)
            default:
                #expect(outcome.failure == "the file shrank while being read (from \(gz.count) to \(shrunk) bytes)")
                #expect(outcome.records == 0)
            }
        }
    }

    /// 5,000 small files (a tenth of them failing in various ways) leave no
    /// descriptor open, and the counts add up.
    @Test func manySmallFilesLeakNoDescriptors() throws {
        let files = try TemporaryFolder()
        let good = try Gzip.compress(trailBytes(1))
        let kinds: [[UInt8]] = [Array(good.prefix(good.count - 3)), bytes("not gzip"), [], bytes("{}")]
        var failing = 0
        let count = underSanitizer ? 1000 : 5000
        for i in 0..<count {
            if i % 10 == 9 {
                let bad = kinds[(i / 10) % kinds.count]
                _ = try files.write("AWSLogs/\(i % 50)/f\(i).json\(bad == bytes("{}") ? "" : ".gz")", bad)
                failing += 1
            } else {
                _ = try files.write("AWSLogs/\(i % 50)/f\(i).json.gz", good)
            }
        }
        for strategy in [ReadStrategy.read, .mmap] {
            let result = ParallelScan.run(
                TrailDiscovery.discover(roots: [files.path]), options: ScanOptions(jobs: 4, readStrategy: strategy),
                clock: { 0 })
            expectIdentities(result, seen: count)
            #expect(result.summary.filesFailed == failing)
            #expect(result.summary.records == UInt64(count - failing))
        }
        // Exact: no descriptor of this process points into the folder
        // (counting all descriptors would count other tests' files too).
        #expect(descriptorsOpen(under: files.path) == [])
    }

    /// The interning cap (ByteInterner.maximumBytes; 1 GiB by default in
    /// UsageTally): past it, the file fails with a clear error, its counts
    /// are dropped, and the files before it keep theirs.
    @Test func pastTheInterningCapTheFileFails() throws {
        let files = try TemporaryFolder()
        let first = try files.write("a.json.gz", try Gzip.compress(trailBytes(3)))
        var many: [String] = []
        for i in 0..<200 {
            many.append(
                #"{"eventSource":"kms.amazonaws.com","eventName":"Op\#(i)","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/distinct-key-\#(i)"}]}"#)
        }
        let second = try files.write("b.json.gz", try Gzip.compress(bytes(#"{"Records":["# + many.joined(separator: ",") + "]}")))
        let scanner = FileScanner(options: ScanOptions(), tally: UsageTally(maximumInternedBytes: 4096))
        #expect(scanner.scan(path: first).failure == nil)
        let outcome = scanner.scan(path: second)
        let failure = try #require(outcome.failure)
        #expect(failure.hasPrefix("invalid JSON: too many distinct keys and event names at byte "), "\(failure)")
        #expect(outcome.records > 0 && outcome.records < 200)
        let report = scanner.tally.makeReport()
        #expect(report.records == 3)
        #expect(report.rows.count == 1)
    }
}
