// The one-file pipeline: gzip members, truncation and corruption, plain JSON,
// window carry-over and growth, and read() vs mmap.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanCore
import TrailScanIO
import TrailScanWriter

/// A trail document with `count` KMS Decrypt records on one key, padded so
/// records are a few hundred bytes.
func document(records count: Int, key: String = "arn:aws:kms:us-east-1:111122223333:key/k1") -> [UInt8] {
    let record =
        #"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","#
        + #""userAgent":"\#(String(repeating: "x", count: 200))","resources":[{"ARN":"\#(key)"}]}"#
    return Array((#"{"Records":["# + Array(repeating: record, count: count).joined(separator: ",") + "]}").utf8)
}

@Suite struct FileScannerTests {
    static let strategies: [ReadStrategy] = [.read, .mmap]

    func scan(_ path: String, strategy: ReadStrategy = .read, window: Int = 256 << 10, maxRecord: Int = 256 << 20)
        -> (FileOutcome, UsageReport)
    {
        let scanner = FileScanner(
            options: ScanOptions(readStrategy: strategy, windowBytes: window, maximumRecordBytes: maxRecord))
        let outcome = scanner.scan(path: path)
        return (outcome, scanner.tally.makeReport())
    }

    func decrypts(_ report: UsageReport, key: String = "arn:aws:kms:us-east-1:111122223333:key/k1") -> UInt64 {
        report.rows[UsageReport.RowKey(key: key, eventName: "Decrypt")]?.calls ?? 0
    }

    @Test(arguments: strategies)
    func gzipAndPlainGiveTheSameCounts(strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        let doc = document(records: 500)
        let gz = try files.write("a.json.gz", try Gzip.compress(doc))
        let plain = try files.write("a.json", doc)
        let (gzOutcome, gzReport) = scan(gz, strategy: strategy)
        let (plainOutcome, plainReport) = scan(plain, strategy: strategy)
        #expect(gzOutcome.failure == nil)
        #expect(plainOutcome.failure == nil)
        #expect(decrypts(gzReport) == 500)
        #expect(gzReport == plainReport)
        #expect(gzOutcome.bytesUncompressed == UInt64(doc.count))
        #expect(plainOutcome.bytesUncompressed == UInt64(doc.count))
        #expect(gzOutcome.records == 500)
    }

    /// Concatenated gzip members form one document (gzip -dc semantics).
    @Test(arguments: strategies)
    func everyGzipMemberIsInflated(strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        let doc = document(records: 300)
        let cuts = [0, 1, 17, doc.count / 3, doc.count / 2, doc.count - 1, doc.count]
        var members: [UInt8] = []
        for (a, b) in zip(cuts, cuts.dropFirst()) { members += try Gzip.compress(Array(doc[a..<b])) }
        let path = try files.write("multi.json.gz", members)
        let (outcome, report) = scan(path, strategy: strategy, window: 4096)
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(decrypts(report) == 300)
        #expect(outcome.bytesUncompressed == UInt64(doc.count))
    }

    /// With the size the directory walk saw (as ParallelScan passes it), a
    /// file is read up to that size, in chunks as large as the buffer, with
    /// no stat and no end-of-file read (issue #14, "cheap per file"). The
    /// answer is the same; a file still being written when it was listed
    /// (it grew since) is read as far as it was listed, a truncated gzip
    /// stream, which fails with its reason.
    @Test func aKnownSizeGivesTheSameAnswerAndBoundsTheRead() throws {
        let files = try TemporaryFolder()
        let doc = document(records: 3_000)  // several read chunks of 1 MiB uncompressed
        let compressed = try Gzip.compress(doc)
        let path = try files.write("a.json.gz", compressed)
        let scanner = FileScanner(options: ScanOptions(readStrategy: .read))
        let known = scanner.scan(path: path, size: compressed.count)
        #expect(known.failure == nil)
        #expect(known.records == 3_000 && known.bytesCompressed == UInt64(compressed.count))
        let (stat, _) = scan(path)
        #expect(known.records == stat.records && known.bytesUncompressed == stat.bytesUncompressed)
        let listedEarlier = FileScanner(options: ScanOptions(readStrategy: .read)).scan(path: path, size: compressed.count / 2)
        #expect(listedEarlier.failure?.contains("truncated") == true, "\(listedEarlier.failure ?? "no failure")")
    }

    /// Small windows force records to straddle windows and the window to
    /// grow for records larger than it; counts must not change.
    @Test(arguments: [64, 100, 333, 1024, 1 << 20])
    func windowSizeDoesNotChangeCounts(window: Int) throws {
        let files = try TemporaryFolder()
        let path = try files.write("w.json.gz", try Gzip.compress(document(records: 200)))
        let (outcome, report) = scan(path, window: window)
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(decrypts(report) == 200)
    }

    @Test func aRecordOverTheLimitFailsTheFile() throws {
        let files = try TemporaryFolder()
        let path = try files.write("big.json.gz", try Gzip.compress(document(records: 3)))
        let (outcome, report) = scan(path, window: 64, maxRecord: 128)
        #expect(outcome.failure?.contains("record larger than the per-record limit") == true)
        #expect(report.records == 0)
    }

    @Test(arguments: strategies)
    func truncatedGzipFailsWithAClearError(strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        let gz = try Gzip.compress(document(records: 100))
        for cut in [1, 5, 10, gz.count / 2, gz.count - 8, gz.count - 1] {
            let path = try files.write("t\(cut).json.gz", Array(gz[..<cut]))
            let (outcome, report) = scan(path, strategy: strategy)
            let failure = try #require(outcome.failure, "cut at \(cut) was accepted")
            #expect(failure.contains("truncated") || failure.contains("corrupt"), "\(cut): \(failure)")
            #expect(report.records == 0)
        }
    }

    @Test func crcAndLengthMismatchesAreCaught() throws {
        let files = try TemporaryFolder()
        var gz = try Gzip.compress(document(records: 10))
        gz[gz.count - 6] ^= 0xFF  // inside the CRC32 of the trailer
        let crc = try files.write("crc.json.gz", gz)
        #expect(scan(crc).0.failure?.contains("incorrect data check") == true)
        gz[gz.count - 6] ^= 0xFF
        gz[gz.count - 2] ^= 0xFF  // inside ISIZE
        let length = try files.write("len.json.gz", gz)
        #expect(scan(length).0.failure?.contains("incorrect length check") == true)
    }

    @Test func trailingGarbageAfterTheLastMemberFails() throws {
        let files = try TemporaryFolder()
        let path = try files.write("g.json.gz", try Gzip.compress(document(records: 10)) + Array("garbage".utf8))
        let (outcome, _) = scan(path)
        #expect(outcome.failure?.contains("data after the end of the gzip stream") == true)
    }

    @Test func emptyAndNonGzipFilesFail() throws {
        let files = try TemporaryFolder()
        #expect(scan(try files.write("e.json.gz", [])).0.failure == "empty file")
        #expect(scan(try files.write("n.json.gz", Array("{}".utf8))).0.failure?.contains("not a gzip file") == true)
        #expect(scan(try files.write("n.json", Array("[1]".utf8))).0.failure?.contains("not a CloudTrail log") == true)
        #expect(scan(files.path + "/missing.json").0.failure?.contains("No such file") == true)
    }

    @Test func aFailedFileLeavesNoCountsButReportsItsRecords() throws {
        let files = try TemporaryFolder()
        var doc = document(records: 50)
        doc.removeLast(2)  // drop "]}"
        let path = try files.write("cut.json", doc)
        let scanner = FileScanner(options: ScanOptions())
        let good = try files.write("good.json", document(records: 7))
        #expect(scanner.scan(path: good).failure == nil)
        let outcome = scanner.scan(path: path)
        #expect(outcome.failure?.contains("unexpected end of data") == true)
        #expect(outcome.records == 50)
        let report = scanner.tally.makeReport()
        #expect(report.records == 7)
        #expect(decrypts(report) == 7)
    }
}
