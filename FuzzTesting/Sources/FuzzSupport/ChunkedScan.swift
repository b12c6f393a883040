// The IO loop of FileScanner, in memory: append a chunk, scan, drop what was
// consumed, repeat, last call final. The same contract checks as
// Tests/TrailScanTestSupport/StreamingHarness.swift, but a broken contract
// stops the fuzzer (fuzzTrap) instead of recording a test issue.

import TrailScanCore

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
/// rest). With `separateFinalCall`, every data call is non-final and one
/// more call with no new data ends the stream. `plan` is the engine's with
/// `--validate full` unless given.
public func scanInChunks(
    _ document: [UInt8], sizes: [Int], separateFinalCall: Bool = false,
    plan: ScanPlan = ScanPlan.engine.validating(.full)
) -> ScanAnswer {
    let tally = UsageTally(plan: plan)
    let buffer = PaddedBuffer(capacity: 16)
    var scanner = TrailScanner()
    var position = 0
    var turn = 0
    do throws(ScanError) {
        repeat {
            let size = sizes[turn % sizes.count]
            turn += 1
            let end = size >= document.count - position ? document.count : position + size
            document[position..<end].withUnsafeBytes { buffer.append($0) }
            position = end
            let isFinal = !separateFinalCall && position == document.count
            let before = buffer.count
            let consumed = try scanner.scan(buffer, isFinal: isFinal, into: tally)
            if consumed < 0 || consumed > before {
                fuzzTrap("scan consumed \(consumed) of \(before) bytes (chunks \(sizes))", document)
            }
            buffer.removeFirst(consumed)
        } while position < document.count
        if separateFinalCall {
            let before = buffer.count
            let consumed = try scanner.scan(buffer, isFinal: true, into: tally)
            if consumed < 0 || consumed > before {
                fuzzTrap("final scan consumed \(consumed) of \(before) bytes", document)
            }
        }
    } catch {
        tally.discardFile()
        return .rejected(error.reason, offset: error.offset)
    }
    if !scanner.isComplete { fuzzTrap("the final scan succeeded but isComplete is false (chunks \(sizes))", document) }
    tally.commitFile()
    return .counted(tally.makeReport())
}
