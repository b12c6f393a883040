// Drives TrailScanner exactly as the IO layer does: append a chunk of decoded
// bytes, scan, drop what was consumed, append the next chunk... with the last
// call marked final. Running one document through many chunkings checks that
// the scanner's answer does not depend on where the buffer boundaries fall
// (ripgrep's and simdjson's "all alignments" tests).

import Testing
import TrailScanCore
// The reference is a library of its own (one copy, also used by the fuzz
// targets); every test that imports the support sees it.
@_exported import _TrailScanReference

/// How a document is cut into the chunks handed to the scanner.
public struct Chunking: Sendable, CustomStringConvertible {
    /// Chunk sizes, used in turn and cycled; `Int.max` means "the rest".
    public var sizes: [Int]
    /// When true, every data chunk is scanned with `isFinal: false` and an
    /// extra call with no new data and `isFinal: true` ends the stream (an IO
    /// loop that learns about end of file only after the last read). When
    /// false, the call that appends the last chunk is the final one.
    public var separateFinalCall: Bool

    public init(_ sizes: [Int], separateFinalCall: Bool = false) {
        precondition(!sizes.isEmpty && sizes.allSatisfy { $0 > 0 })
        self.sizes = sizes
        self.separateFinalCall = separateFinalCall
    }

    public static let whole = Chunking([Int.max])

    /// Chunks of 1, 2, 3, 7, 64 and 4096 bytes, the whole document at once,
    /// an irregular pattern, and two runs with a separate final call.
    public static let standard: [Chunking] = [
        Chunking([1]), Chunking([2]), Chunking([3]), Chunking([7]), Chunking([64]), Chunking([4096]), .whole,
        Chunking([5, 1, 13, 2, 64, 3]),
        Chunking([Int.max], separateFinalCall: true), Chunking([7], separateFinalCall: true),
    ]

    /// For large documents, where 1-byte chunks would rescan each unit once
    /// per byte (quadratic in the record size).
    public static let large: [Chunking] = [
        Chunking([4096]), Chunking([65536]), .whole, Chunking([4095, 1, 10_007]),
        Chunking([Int.max], separateFinalCall: true),
    ]

    /// For documents of hundreds of kilobytes that are one record: each
    /// non-final call rescans the record from its start, so few, large chunks.
    public static let huge: [Chunking] = [
        Chunking([65536]), .whole, Chunking([150_001, 1]), Chunking([Int.max], separateFinalCall: true),
    ]

    public var description: String {
        let list = sizes.map { $0 == Int.max ? "whole" : String($0) }.joined(separator: ",")
        return "chunks[\(list)]" + (separateFinalCall ? "+final" : "")
    }
}

/// Scans `document` in chunks of `chunkSizes` (cycled; `Int.max` = the rest),
/// through the IO loop (`RecordStream`), into a fresh tally.
///
/// `validation` defaults to `.full`: the unit tests that compare with the
/// reference (a strict JSON parser) check full validation; `.used` is
/// checked beside it where the document is valid (`checkDocument`,
/// ValidationModeTests).
public func scanInChunks(
    _ document: [UInt8], chunkSizes: [Int], separateFinalCall: Bool = false, validation: ValidationMode = .full,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Result<UsageReport, ScanError> {
    let tally = UsageTally(plan: ScanPlan.engine.validating(validation))
    let result = scanInChunks(
        document, chunking: Chunking(chunkSizes, separateFinalCall: separateFinalCall), into: tally,
        sourceLocation: sourceLocation)
    return result.map { tally.makeReport() }
}

/// Scans `document` into `tally` (committing the file on success, discarding
/// it on error), the way one worker handles one file: the shared streaming
/// loop, `RecordStream.scanDocument`, whose preconditions check the
/// scanner's contract on every call.
public func scanInChunks(
    _ document: [UInt8], chunking: Chunking, into tally: UsageTally,
    buffer: PaddedBuffer = PaddedBuffer(capacity: 16),
    sourceLocation: SourceLocation = #_sourceLocation
) -> Result<Void, ScanError> {
    document.withUnsafeBytes { bytes in
        Result { () throws(ScanError) in
            try RecordStream.scanDocument(
                bytes, chunkSizes: chunking.sizes, separateFinalCall: chunking.separateFinalCall, into: tally,
                window: buffer)
        }
    }
}

/// Scans `document` with every chunking in `chunkings`, records a test issue
/// for every chunking whose result differs from the whole-document scan
/// (report, or error reason and offset), and returns the whole-document result.
@discardableResult
public func scanAllChunkings(
    _ document: [UInt8], chunkings: [Chunking] = Chunking.standard, validation: ValidationMode = .full,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Result<UsageReport, ScanError> {
    let reference = scanInChunks(document, chunkSizes: [Int.max], validation: validation, sourceLocation: sourceLocation)
    for chunking in chunkings {
        let result = scanInChunks(
            document, chunkSizes: chunking.sizes, separateFinalCall: chunking.separateFinalCall,
            validation: validation, sourceLocation: sourceLocation)
        if let difference = chunkingDifference(reference, result) {
            Issue.record(
                "\(chunking) differs from the whole-document scan: \(difference)\ndocument: \(describeDocument(document))",
                sourceLocation: sourceLocation)
        }
    }
    return reference
}

/// nil when two scan results are identical, else a description.
public func chunkingDifference(
    _ a: Result<UsageReport, ScanError>, _ b: Result<UsageReport, ScanError>
) -> String? {
    switch (a, b) {
    case (.success(let x), .success(let y)):
        return reportDifference(ReferenceResult(y), expected: ReferenceResult(x)).map { "reports differ:\n\($0)" }
    case (.failure(let x), .failure(let y)):
        return x.reason == y.reason && x.offset == y.offset ? nil : "whole: \(x); chunked: \(y)"
    case (.success, .failure(let y)):
        return "whole document accepted, chunked rejected: \(y)"
    case (.failure(let x), .success):
        return "whole document rejected (\(x)), chunked accepted"
    }
}

/// The document as a string literal: printable ASCII as is (with `\\` and
/// `\"` escaped), every other byte as `\xHH`; cut after `limit` bytes.
public func describeDocument(_ document: [UInt8], limit: Int = 600) -> String {
    var out = "\""
    for b in document.prefix(limit) {
        switch b {
        case UInt8(ascii: "\\"): out += "\\\\"
        case UInt8(ascii: "\""): out += "\\\""
        case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(b))
        default:
            let hex = String(b, radix: 16, uppercase: true)
            out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    out += "\""
    if document.count > limit { out += "… (\(document.count) bytes)" }
    return out
}
