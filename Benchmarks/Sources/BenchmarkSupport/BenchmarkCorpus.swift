// The in-memory trail every benchmark suite measures, and the checks that
// run on it before anything is timed (simdjson's "make sure the data is
// right" before the timed loop; STYLE.md §1.8 item 8, §5 rule 13).
//
// package-benchmark reports throughput as iterations per second, scaled by
// the configuration's scalingFactor. For that number to read as bytes per
// second, one iteration must be exactly `documentBytes` (10^6) bytes of JSON
// and the scaling factor `.mega`. So the corpus is re-cut: the records of a
// generated compact trail (TrailGenerator, in generation order) are packed
// into documents `{"Records":[...]}` of exactly 1,000,000 bytes — a typical
// CloudTrail log object — each topped up with spaces after the last record
// (legal JSON whitespace, under one record's worth: < 0.5% of the bytes).

import TrailScanGenerator
import TrailScanCore

/// A generated trail, re-cut into documents of exactly one million bytes.
public final class BenchmarkCorpus {
    /// Bytes of every full document: one benchmark iteration.
    public static let documentBytes = 1_000_000

    /// The full documents, each exactly `documentBytes` long, in their own
    /// padded buffers. (The remainder of the trail, a shorter document, is
    /// checked but not timed.)
    public let documents: [PaddedBuffer]
    /// Records in each of `documents`.
    public let recordsPerDocument: [Int]
    /// The remainder document (the last records, padded to `documentBytes`
    /// with far more whitespace): part of the correctness check only.
    public let remainder: PaddedBuffer
    /// Log files and records the generator produced, as it reported them.
    public let generatedFiles: Int
    public let generatedRecords: Int
    /// Bytes of JSON the generator produced.
    public let generatedBytes: Int
    /// The counts of the trail, from scanning the generator's own files
    /// (the original document boundaries). Scanning the re-cut documents
    /// must give exactly this report.
    public let expected: UsageReport

    /// The corpus of every suite: a 64 MiB compact trail, seed 1.
    nonisolated(unsafe) public static let standard = BenchmarkCorpus(trailBytes: 64 << 20, seed: 1)

    /// Generates the trail and re-cuts it; stops the process if the counts
    /// of the re-cut documents differ from the generator's.
    public init(trailBytes: Int, seed: UInt64) {
        var generator = TrailGenerator(
            .init(seed: seed, targetBytes: trailBytes, style: .compact, includeDigests: false))
        let referenceTally = UsageTally()
        var packer = DocumentPacker(documentBytes: Self.documentBytes)
        var files = 0
        var records = 0
        var bytes = 0
        while let file = generator.next() {
            guard file.kind == .log else { continue }
            files += 1
            records += file.records
            bytes += file.json.count
            // The reference: the generator's own document, scanned whole.
            let original = PaddedBuffer(copying: file.json)
            let scanned = Self.scanDocument(original, into: referenceTally)
            precondition(
                scanned == file.records,
                "\(file.relativePath): scanned \(scanned) records, the generator wrote \(file.records)")
            let recordRanges = RecordSplitter.records(of: file.json)
            precondition(recordRanges.count == file.records, "\(file.relativePath): split into \(recordRanges.count) records")
            for range in recordRanges { packer.add(file.json[range]) }
        }
        let (full, fullRecords, remainder, remainderRecords) = packer.finish()
        precondition(!full.isEmpty, "the trail is smaller than one \(Self.documentBytes)-byte document")
        precondition(
            fullRecords.reduce(0, +) + remainderRecords == records,
            "the re-cut documents hold \(fullRecords.reduce(0, +) + remainderRecords) records, the generator wrote \(records)")
        documents = full
        recordsPerDocument = fullRecords
        self.remainder = remainder
        generatedFiles = files
        generatedRecords = records
        generatedBytes = bytes
        expected = referenceTally.makeReport()

        // The check: the re-cut documents give the same report.
        let check = UsageTally()
        for (document, count) in zip(full, fullRecords) {
            precondition(document.count == Self.documentBytes)
            let scanned = Self.scanDocument(document, into: check)
            precondition(scanned == count, "a re-cut document scanned \(scanned) records, it holds \(count)")
        }
        precondition(Self.scanDocument(remainder, into: check) == remainderRecords)
        let actual = check.makeReport()
        precondition(
            actual == expected,
            "the re-cut documents count differently from the generator's files: \(actual.records) vs \(expected.records) records, \(actual.rows.count) vs \(expected.rows.count) rows")
    }

    /// Scans one whole document into `tally` and commits it, the way
    /// FileScanner does for one file; returns the records scanned. Stops
    /// the process on a scan error or a partly consumed document.
    @discardableResult
    public static func scanDocument(_ document: PaddedBuffer, into tally: UsageTally) -> Int {
        var scanner = TrailScanner()
        let before = tally.records
        do {
            let consumed = try scanner.scan(document, isFinal: true, into: tally)
            precondition(consumed == document.count && scanner.isComplete, "document not consumed whole")
        } catch {
            fatalError("scan failed: \(error)")
        }
        tally.commitFile()
        return Int(tally.records - before)
    }

    /// The full documents' bytes, as arrays (for gzip and files).
    public func documentBytesArrays() -> [[UInt8]] { documents.map(\.bytes) }

    /// A one-line description for the benchmark output.
    public var summary: String {
        "\(documents.count) documents of \(Self.documentBytes) bytes (\(recordsPerDocument.reduce(0, +)) records) "
            + "re-cut from \(generatedFiles) generated log files, \(generatedRecords) records, \(generatedBytes) bytes"
    }
}

/// Packs records into documents of exactly `documentBytes`.
struct DocumentPacker {
    static let head: [UInt8] = Array(#"{"Records":["#.utf8)
    static let tail: [UInt8] = Array("]}".utf8)
    let documentBytes: Int
    var current: [UInt8] = []
    var currentRecords = 0
    var full: [PaddedBuffer] = []
    var fullRecords: [Int] = []

    init(documentBytes: Int) {
        self.documentBytes = documentBytes
        current.reserveCapacity(documentBytes)
    }

    mutating func add(_ record: ArraySlice<UInt8>) {
        let separator = currentRecords > 0 ? 1 : 0
        if currentRecords > 0 && current.count + Self.head.count + separator + record.count + Self.tail.count > documentBytes {
            full.append(close())
            fullRecords.append(currentRecords)
            current.removeAll(keepingCapacity: true)
            currentRecords = 0
        }
        precondition(
            Self.head.count + record.count + Self.tail.count <= documentBytes,
            "a record of \(record.count) bytes does not fit in one document")
        if currentRecords > 0 { current.append(UInt8(ascii: ",")) }
        current.append(contentsOf: record)
        currentRecords += 1
    }

    /// The current document, closed and topped up with spaces.
    func close() -> PaddedBuffer {
        var document = Self.head + current + Self.tail
        document.append(contentsOf: repeatElement(UInt8(ascii: " "), count: documentBytes - document.count))
        return PaddedBuffer(copying: document)
    }

    func finish() -> ([PaddedBuffer], [Int], PaddedBuffer, Int) {
        (full, fullRecords, close(), currentRecords)
    }
}

/// Splits a compact `{"Records":[...]}` document (as the generator writes
/// it) into the byte ranges of its records. Only for trusted generator
/// output: it tracks strings, escapes and nesting, nothing more.
enum RecordSplitter {
    static func records(of json: [UInt8]) -> [Range<Int>] {
        let head = DocumentPacker.head
        precondition(json.count >= head.count + 2 && Array(json[0..<head.count]) == head, "not a compact trail document")
        var ranges: [Range<Int>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start = -1
        var i = head.count
        while i < json.count {
            let byte = json[i]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if depth == 0 { start = i }
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 {
                        // The `]` closing Records.
                        return ranges
                    }
                    depth -= 1
                    if depth == 0 { ranges.append(start..<(i + 1)) }
                default:
                    break
                }
            }
            i += 1
        }
        preconditionFailure("unterminated trail document")
    }
}
