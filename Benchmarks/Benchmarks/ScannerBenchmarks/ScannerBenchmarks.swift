// The scanner alone: TrailScanner + UsageTally over decoded JSON already in
// memory (no file, no inflate). BenchmarkCorpus.standard is a 64 MiB
// generated compact trail re-cut into documents of exactly 1,000,000 bytes,
// checked against the generator's own files before anything is timed.
//
// ONE ITERATION = scanning one 1,000,000-byte document whole, with a fresh
// TrailScanner, into a tally created in setup, then committing it (what
// FileScanner does per file, minus read and inflate). Iterations walk the
// documents round-robin, so the data comes from memory, not from cache.
// With scalingFactor .mega, the throughput metric (iterations/s × 10^6)
// reads as bytes of JSON per second.
//
// mallocCountTotal counts allocations per iteration, that is per document of
// ~690 records: in steady state (the tally's tables and interned strings
// already hold every key) nothing may be allocated per record; what is left
// is per document (a fresh TrailScanner, commitFile), the same for 4 MB
// documents as for 1 MB ones.
// Run with `--scale` to see it per iteration (without it, package-benchmark
// divides such counts by the scaling factor, 10^6, and shows 0). The
// instrument allocates too: "Baseline: empty measurement" shows its own
// count (16 here), to subtract; its throughput means nothing.
//
// retainCount/releaseCount (ARC traffic in the loop) are measured only on
// Swift 6.4+ or with TRAILSCAN_BENCH_ARC=1: on Swift 6.3 for Linux,
// package-benchmark's ARC hooks crash the process (ordo-one/benchmark issue
// 349) unless its RuntimeInterposer trait is on, and that trait needs
// ordo-one/swift-runtime-interposer, which this machine cannot fetch.
// TRAILSCAN_BENCH_ARC=1 also turns the trait on (Benchmarks/Package.swift).
// `instructions` needs hardware perf events (absent in most VMs, this one
// included: the metric is then left out of the output); valgrind's callgrind
// counts instructions anywhere.

import Benchmark
import BenchmarkSupport
import TrailScanCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the scanner benchmarks share: the corpus and a warm tally.
final class ScannerState {
    let corpus = BenchmarkCorpus.standard
    let tally = UsageTally()
    var next = 0

    init() {
        // One untimed pass so every key and event name is interned and every
        // table has its final size: what follows is the steady state.
        for document in corpus.documents { BenchmarkCorpus.scanDocument(document, into: tally) }
        // ...and it counted what the generator wrote (the corpus itself was
        // already checked against the generator's files).
        let expectedRecords = UInt64(corpus.recordsPerDocument.reduce(0, +))
        precondition(tally.records == expectedRecords, "warm-up pass: \(tally.records) records, expected \(expectedRecords)")
    }

    /// The next document, round-robin.
    func nextDocument() -> (PaddedBuffer, Int) {
        let index = next
        next = (next + 1) % corpus.documents.count
        return (corpus.documents[index], corpus.recordsPerDocument[index])
    }
}

/// ARC counters, where package-benchmark can measure them without crashing.
var arcMetrics: [BenchmarkMetric] {
    #if compiler(>=6.4)
    return [.retainCount, .releaseCount]
    #else
    return getenv("TRAILSCAN_BENCH_ARC") != nil ? [.retainCount, .releaseCount] : []
    #endif
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .instructions, .mallocCountTotal] + arcMetrics,
        warmupIterations: 8,
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 2_000
    )

    // The measuring instrument itself: the same start/stop around nothing.
    // Its mallocs per iteration (package-benchmark's own, in this process)
    // are to be subtracted from the other rows'.
    Benchmark("Baseline: empty measurement") { benchmark in
        benchmark.startMeasurement()
        blackHole(benchmark.currentIteration)
        benchmark.stopMeasurement()
    }

    Benchmark("Scanner: 1 MB documents of a generated trail") { benchmark, state in
        let (document, records) = state.nextDocument()
        let before = state.tally.records
        benchmark.startMeasurement()
        var scanner = TrailScanner()
        let consumed: Int
        do {
            consumed = try scanner.scan(document, isFinal: true, into: state.tally)
        } catch {
            fatalError("scan failed: \(error)")
        }
        state.tally.commitFile()
        benchmark.stopMeasurement()
        // Checked outside the measurement, every iteration.
        precondition(consumed == document.count && state.tally.records - before == UInt64(records))
        blackHole(consumed)
    } setup: {
        ScannerState()
    }
}
