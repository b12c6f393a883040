// libFuzzer target: the whole one-file pipeline (read → GzipInflater → window
// → scanner) through FileScanner, with a tiny window (64 bytes, so records
// straddle windows and the window grows) and a tiny record cap (4 KiB).
//
// The first input byte picks a mode; the rest is the payload:
// - mode & 3 == 0: the payload is the file, named `.json.gz` (arbitrary bytes
//   through zlib: corrupt headers, truncations, trailers, trailing data);
// - mode & 3 == 1: the payload is the file, named `.json` (plain JSON path);
// - otherwise: the payload is gzip-compressed here, split into up to four
//   members at cut points taken from the mode byte, so inflation succeeds and
//   the JSON behind it is what varies.
//
// Checks: no crash, no hang, no memory error; every file is either counted or
// failed with a message; a failed file leaves no counts; for the compressed
// modes the pipeline's answer (counted or not, records, rows) equals the
// in-memory scanner's on the uncompressed payload with the same record cap
// semantics (a 64-byte window growing to 4 KiB vs one 4 KiB window), and
// read() and mmap agree.
//
// Run: scripts/fuzz.sh --target FuzzInflate --seconds 600

import FuzzSupport
import TrailScanCore
import TrailScanIO
import TrailScanWriter

#if canImport(Glibc)
import Glibc
#endif

private let folder: String = {
    var template = Array("/tmp/trailscan-fuzz-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}()

/// The pipelines compared: read() and mmap with a 64-byte window, and read()
/// with a window as large as the record cap. Reused across inputs (as a
/// worker reuses its scanner across files), renewed when their tallies grow.
private func makeScanners() -> [FileScanner] {
    [
        FileScanner(options: ScanOptions(windowBytes: 64, maximumRecordBytes: 4096)),
        FileScanner(options: ScanOptions(readStrategy: .mmap, windowBytes: 64, maximumRecordBytes: 4096)),
        FileScanner(options: ScanOptions(windowBytes: 4096, maximumRecordBytes: 4096)),
    ]
}
nonisolated(unsafe) private var scanners = makeScanners()

@_cdecl("FuzzInflate_main")
public func fuzzInflateMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzInflateOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInflateOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard count > 0, let start else { return 0 }
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    checkPipeline(mode: input[0], payload: Array(input.dropFirst()), input: input)
    return 0
}

func write(_ bytes: [UInt8], to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        precondition(n > 0, "write failed")
        offset += n
    }
    close(fd)
}

func checkPipeline(mode: UInt8, payload: [UInt8], input: [UInt8]) {
    let file: [UInt8]
    let name: String
    switch mode & 3 {
    case 0: (file, name) = (payload, "f.json.gz")
    case 1: (file, name) = (payload, "f.json")
    default:
        // Up to four members, cut at points chosen by the mode bits.
        var cuts = [0]
        let pieces = Int(mode >> 2 & 3) + 1
        for k in 1..<pieces { cuts.append(payload.count * (Int(mode >> 4) + k) / (16 + pieces)) }
        cuts.append(payload.count)
        var members: [UInt8] = []
        for (a, b) in zip(cuts, cuts.dropFirst()) where a <= b {
            guard let member = try? Gzip.compress(Array(payload[a..<b]), level: mode & 0x80 == 0 ? 6 : 1) else {
                fuzzTrap("Gzip.compress failed", input)
            }
            members += member
        }
        (file, name) = (members, "f.json.gz")
    }
    let path = folder + "/" + name
    write(file, to: path)
    defer { unlink(path) }

    var outcomes: [(FileOutcome, UsageReport)] = []
    for scanner in scanners {
        let before = scanner.tally.makeReport()
        let outcome = scanner.scan(path: path)
        let after = scanner.tally.makeReport()
        if outcome.failure != nil && after != before {
            fuzzTrap("a failed file changed the tally: \(outcome.failure!)", input)
        }
        if outcome.failure == nil && after.records != before.records + outcome.records {
            fuzzTrap("a counted file's records (\(outcome.records)) are not the tally's increase", input)
        }
        outcomes.append((outcome, difference(after, before)))
    }
    if scanners[0].tally.makeReport().rows.count > 500 { scanners = makeScanners() }
    let first = outcomes[0]
    for (outcome, report) in outcomes.dropFirst() {
        if (outcome.failure == nil) != (first.0.failure == nil) || (outcome.failure == nil && report != first.1) {
            fuzzTrap("pipelines disagree: \(first.0.failure ?? "counted") vs \(outcome.failure ?? "counted")", input)
        }
    }
    if mode & 3 >= 2 {
        // The compressed payload must be judged like the payload in memory.
        // (With the pipelines' plan: the engine's, `--validate used`.)
        let direct = scanInChunks(payload, sizes: [Int.max], plan: .engine)
        switch direct {
        case .counted(let report):
            if payload.count <= 4096 || first.0.failure == nil {
                guard first.0.failure == nil else {
                    fuzzTrap("the pipeline failed (\(first.0.failure!)) on a payload the scanner counts", input)
                }
                if report != first.1 { fuzzTrap("pipeline counts differ from the scanner's", input) }
            }
        case .rejected(let reason, _):
            if first.0.failure == nil { fuzzTrap("the pipeline counted a payload the scanner rejects (\(reason))", input) }
        }
    }
}

/// What one file added to a tally: `after` minus `before`. Facts are
/// appended file after file, so the file's are the suffix. (The scanners'
/// engine plan tracks no event times: `latestEventTime` stays nil.)
func difference(_ after: UsageReport, _ before: UsageReport) -> UsageReport {
    var delta = UsageReport()
    delta.records = after.records - before.records
    delta.kmsRecords = after.kmsRecords - before.kmsRecords
    delta.selectedRecords = after.selectedRecords - before.selectedRecords
    for (key, counts) in after.rows {
        let old = before.rows[key] ?? CallCounts()
        if counts != old { delta.rows[key] = CallCounts(calls: counts.calls - old.calls, errors: counts.errors - old.errors) }
    }
    delta.facts.aliasChanges = Array(after.facts.aliasChanges.dropFirst(before.facts.aliasChanges.count))
    delta.facts.aliasUses = Array(after.facts.aliasUses.dropFirst(before.facts.aliasUses.count))
    delta.facts.sharedCopies = Array(after.facts.sharedCopies.dropFirst(before.facts.sharedCopies.count))
    delta.facts.selectorChanges = Array(after.facts.selectorChanges.dropFirst(before.facts.selectorChanges.count))
    delta.facts.lifecycle = Array(after.facts.lifecycle.dropFirst(before.facts.lifecycle.count))
    return delta
}
