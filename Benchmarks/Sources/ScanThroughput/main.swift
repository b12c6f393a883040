// The scanner alone, both validation modes side by side: a plain
// executable (no package-benchmark), for `--validate used` against
// `--validate full` on the same documents in memory, runs alternating.
//
//   cd Benchmarks && swift build -c release --product ScanThroughput
//   .build/release/ScanThroughput [--bytes 64M] [--data-events 0.9] [--rounds 7] [--passes 3] [--only used|full]
//
// Generates a compact trail in memory (TrailGenerator, seed 3; with
// --data-events, that share of S3 data events), keeps each log file's JSON
// in its own PaddedBuffer (the trail's own file sizes, most far larger than
// the caches), checks that both modes count every file the same, then per
// round times `passes` passes over all documents in each mode, the order
// of the modes alternating from round to round. A pass scans each document
// whole with a fresh TrailScanner into one UsageTally (the engine's plan)
// and commits it, as FileScanner does per file minus read and inflate.
// Prints GB/s (10^9 bytes of JSON per second) per round, by wall clock and
// by user CPU time (which leaves out time spent waiting for a core on a
// shared machine), then the medians and the best. --only runs one mode, and `--check no` skips the check
// (for callgrind: only the timed passes are then scanned).

import TrailScanCore
import TrailScanGenerator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// User CPU seconds of this process so far (getrusage): on a shared
/// machine, time spent waiting for a core is not counted.
func userSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
}

var bytes = 64 << 20
var dataEvents: Double?
var rounds = 7
var passes = 3
var only: ValidationMode?
var check = true
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    let value = arguments.next() ?? ""
    switch argument {
    case "--bytes":
        let multiplier = value.hasSuffix("M") ? 1 << 20 : value.hasSuffix("K") ? 1 << 10 : 1
        bytes = Int(value.filter(\.isNumber))! * multiplier
    case "--data-events": dataEvents = Double(value)!
    case "--rounds": rounds = Int(value)!
    case "--passes": passes = Int(value)!
    case "--only": only = ValidationMode(rawValue: value)!
    case "--check": check = value != "no"
    default: fatalError("unknown argument \(argument)")
    }
}

var options = TrailGenerator.Options(seed: 3, targetBytes: bytes, style: .compact, includeDigests: false)
options.dataEventShare = dataEvents
var generator = TrailGenerator(options)
var documents: [PaddedBuffer] = []
var records = 0
while let file = generator.next() {
    let buffer = PaddedBuffer(capacity: file.json.count)
    file.json.withUnsafeBytes { buffer.append($0) }
    documents.append(buffer)
    records += file.records
}
let total = documents.reduce(0) { $0 + $1.count }

/// One pass over every document; returns the tally.
@MainActor func pass(_ mode: ValidationMode) -> UsageTally {
    let tally = UsageTally(plan: ScanPlan.engine.validating(mode))
    for document in documents {
        var scanner = TrailScanner()
        do {
            _ = try scanner.scan(document, isFinal: true, into: tally)
        } catch {
            fatalError("\(mode): \(error)")
        }
        tally.commitFile()
    }
    return tally
}

// Correctness first: both modes, every record, the same report.
var kms: UInt64 = 0
if check {
    let full = pass(.full)
    let used = pass(.used)
    precondition(full.records == UInt64(records) && used.records == UInt64(records), "records")
    precondition(full.makeReport() == used.makeReport(), "the two modes count differently")
    kms = full.kmsRecords
}
print("\(documents.count) documents, \(total) bytes of JSON, \(records) records (\(kms) KMS), passes \(passes)")

let modes: [ValidationMode] = only.map { [$0] } ?? [.full, .used]
var results: [ValidationMode: [Double]] = [:]
var cpuResults: [ValidationMode: [Double]] = [:]
let clock = ContinuousClock()
for round in 0..<rounds {
    var line = "round \(round + 1):"
    for mode in round % 2 == 0 ? modes : modes.reversed() {
        var tally: UsageTally?
        let cpuBefore = userSeconds()
        let elapsed = clock.measure {
            for _ in 0..<passes { tally = pass(mode) }
        }
        let cpu = userSeconds() - cpuBefore
        precondition(tally!.records == UInt64(records))
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = Double(total * passes) / seconds / 1e9
        let cpuRate = Double(total * passes) / cpu / 1e9
        results[mode, default: []].append(rate)
        cpuResults[mode, default: []].append(cpuRate)
        line += " \(mode) \(format(rate)) GB/s (\(format(cpuRate)) per CPU s)"
    }
    print(line)
}
for mode in modes {
    let sorted = results[mode]!.sorted()
    let cpuSorted = cpuResults[mode]!.sorted()
    print(
        "\(mode): median \(format(sorted[sorted.count / 2])) GB/s, best \(format(sorted.last!)) GB/s; "
            + "per user CPU second: median \(format(cpuSorted[cpuSorted.count / 2])), best \(format(cpuSorted.last!))")
}

func format(_ x: Double) -> String {
    let hundredths = Int(x * 100 + 0.5)
    return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
}
