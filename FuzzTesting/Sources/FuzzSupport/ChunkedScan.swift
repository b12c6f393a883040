// The IO loop of FileScanner, in memory (TrailScanCore's RecordStream):
// append a chunk, scan, drop what was consumed, repeat, last call final.

import TrailScanCore
@_exported import _TrailScanReference

/// Stops the process with a message; libFuzzer saves the input as a crasher.
public func fuzzTrap(_ message: String, _ input: [UInt8]) -> Never {
    var text = "FUZZ CHECK FAILED: \(message)\ninput (\(input.count) bytes): "
    for b in input.prefix(400) {
        text += b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }
    print(text)
    fatalError(message)
}

/// One scan's answer, comparable across chunkings.
public enum ScanAnswer: Equatable, CustomStringConvertible {
    case counted(UsageReport)
    case rejected(ScanError.Reason, offset: Int)

    public var description: String {
        switch self {
        case .counted(let report): "counted \(report.records) records, \(report.rows.count) rows"
        case .rejected(let reason, let offset): "rejected: \(reason) at \(offset)"
        }
    }
}

/// Scans `document` cut into chunks of `sizes` (cycled; `Int.max` is the
/// rest) through the IO loop (`RecordStream`, whose preconditions stop the
/// fuzzer on a broken scanner contract). With `separateFinalCall`, every
/// data call is non-final and one more call with no new data ends the
/// stream. `plan` is the engine's with `--validate full` unless given.
public func scanInChunks(
    _ document: [UInt8], sizes: [Int], separateFinalCall: Bool = false,
    plan: ScanPlan = ScanPlan.engine.validating(.full)
) -> ScanAnswer {
    let tally = UsageTally(plan: plan)
    let result = document.withUnsafeBytes { bytes in
        Result { () throws(ScanError) in
            try RecordStream.scanDocument(bytes, chunkSizes: sizes, separateFinalCall: separateFinalCall, into: tally)
        }
    }
    switch result {
    case .success: return .counted(tally.makeReport())
    case .failure(let error): return .rejected(error.reason, offset: error.offset)
    }
}
