// The pipeline of one worker, on the documents of BenchmarkCorpus.standard
// (a 64 MiB generated compact trail re-cut into documents of exactly
// 1,000,000 bytes), each gzipped (zlib level 6, as `trailscan generate`):
//
// - "Inflate": GzipInflater alone, from gzip bytes in memory into a 256 KiB
//   window that is emptied after every fill (what --inflate-only does).
// - "Read + inflate + scan": FileScanner.scan(path:) over the documents
//   written as .json.gz files to a temporary folder in setup: open, read(),
//   inflate, scan, count, commit, close — one worker, page cache warm.
// - "Read + inflate, no scan": the same files with ScanOptions.inflateOnly.
//
// ONE ITERATION = one document: 1,000,000 bytes of JSON out of the inflater.
// ("Baseline: empty measurement" measures nothing: its malloc count is the
// instrument's own, to subtract; its throughput means nothing.)
// With scalingFactor .mega, the throughput metric reads as bytes of JSON
// per second. Documents are taken round-robin. Every result is checked
// before timing: the inflated bytes equal the document, and FileScanner's
// counts over all files equal the scanner's counts over the documents in
// memory (which BenchmarkCorpus checked against the generator's files).

import Benchmark
import BenchmarkSupport
import Foundation
import TrailScanCore
import TrailScanIO
import TrailScanWriter

/// Bytes of the inflate window, as FileScanner's default.
let windowBytes = 256 << 10

/// The gzipped documents, in memory and on disk.
final class PipelineState {
    let corpus = BenchmarkCorpus.standard
    let gzipped: [[UInt8]]
    let paths: [String]
    let directory: String
    let window: UnsafeMutableRawBufferPointer
    let inflater = GzipInflater()
    var next = 0

    init() throws {
        let documents = corpus.documentBytesArrays()
        gzipped = try documents.map { try Gzip.compress($0, level: 6) }
        window = UnsafeMutableRawBufferPointer.allocate(byteCount: windowBytes, alignment: 16)

        // Check: inflating each gzip member gives the document back.
        let whole = UnsafeMutableRawBufferPointer.allocate(byteCount: BenchmarkCorpus.documentBytes + 1, alignment: 16)
        defer { whole.deallocate() }
        let inflater = self.inflater
        for (document, gz) in zip(documents, gzipped) {
            try inflater.startMember()
            var written = 0
            try gz.withUnsafeBytes { raw in
                var input = raw
                while true {
                    let result = try inflater.inflate(
                        &input, into: UnsafeMutableRawBufferPointer(rebasing: whole[written...]))
                    written += result.written
                    if result.progress == .memberEnded { break }
                    precondition(result.written > 0 || !input.isEmpty, "the gzip member ended early")
                }
                precondition(input.isEmpty, "bytes after the gzip member")
            }
            precondition(written == document.count && document.elementsEqual(whole[0..<written]),
                         "inflate did not give the document back")
        }

        // The files, in a folder of this process.
        directory = PipelineState.directoryPath
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (index, gz) in gzipped.enumerated() {
            let path = "\(directory)/document-\(index).json.gz"
            guard FileManager.default.createFile(atPath: path, contents: Data(gz)) else {
                throw InputError("cannot write \(path)")
            }
            paths.append(path)
        }
        self.paths = paths

        // Check: FileScanner over the files counts what the scanner counts
        // over the documents in memory.
        let fromFiles = FileScanner(options: ScanOptions(jobs: 1))
        for (path, records) in zip(paths, corpus.recordsPerDocument) {
            let outcome = fromFiles.scan(path: path)
            precondition(outcome.failure == nil, "\(path): \(outcome.failure!)")
            precondition(outcome.records == UInt64(records) && outcome.bytesUncompressed == UInt64(BenchmarkCorpus.documentBytes))
        }
        let inMemory = UsageTally()
        for document in corpus.documents { BenchmarkCorpus.scanDocument(document, into: inMemory) }
        precondition(fromFiles.tally.makeReport() == inMemory.makeReport(), "FileScanner counts differ from the scanner's")
    }

    static var directoryPath: String {
        "\(NSTemporaryDirectory())/trailscan-pipeline-benchmarks-\(ProcessInfo.processInfo.processIdentifier)"
    }

    func nextIndex() -> Int {
        let index = next
        next = (next + 1) % gzipped.count
        return index
    }
}

/// One scanner per benchmark, warmed by one untimed pass over every file.
func makeFileScanner(_ state: PipelineState, inflateOnly: Bool) -> FileScanner {
    let scanner = FileScanner(options: ScanOptions(jobs: 1, windowBytes: windowBytes, inflateOnly: inflateOnly))
    for path in state.paths {
        let outcome = scanner.scan(path: path)
        precondition(outcome.failure == nil && outcome.bytesUncompressed == UInt64(BenchmarkCorpus.documentBytes))
    }
    return scanner
}

func removeBenchmarkFiles() {
    try? FileManager.default.removeItem(atPath: PipelineState.directoryPath)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .instructions, .mallocCountTotal, .readSyscalls],
        warmupIterations: 8,
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 2_000
    )

    // The measuring instrument itself: the same start/stop around nothing,
    // with the same metrics. Its mallocs per iteration (package-benchmark's
    // own, in this process) are to be subtracted from the other rows'.
    Benchmark("Baseline: empty measurement") { benchmark in
        benchmark.startMeasurement()
        blackHole(benchmark.currentIteration)
        benchmark.stopMeasurement()
    }

    Benchmark("Inflate: 1 MB of JSON from gzip in memory (zlib)") { benchmark, state in
        let gz = state.gzipped[state.nextIndex()]
        var written = 0
        benchmark.startMeasurement()
        do {
            try state.inflater.startMember()
            try gz.withUnsafeBytes { raw in
                var input = raw
                while true {
                    let result = try state.inflater.inflate(&input, into: state.window)
                    written += result.written
                    if result.progress == .memberEnded { break }
                }
            }
        } catch {
            fatalError("inflate failed: \(error)")
        }
        benchmark.stopMeasurement()
        precondition(written == BenchmarkCorpus.documentBytes)
        blackHole(written)
    } setup: {
        try PipelineState()
    } teardown: {
        removeBenchmarkFiles()
    }

    Benchmark("Read + inflate + scan: 1 MB-of-JSON .json.gz file, 1 worker (FileScanner)") { (benchmark: Benchmark, setup: (PipelineState, FileScanner)) in
        let (state, scanner) = setup
        let index = state.nextIndex()
        benchmark.startMeasurement()
        let outcome = scanner.scan(path: state.paths[index])
        benchmark.stopMeasurement()
        precondition(outcome.failure == nil && outcome.records == UInt64(state.corpus.recordsPerDocument[index]))
        blackHole(outcome)
    } setup: {
        let state = try PipelineState()
        return (state, makeFileScanner(state, inflateOnly: false))
    } teardown: {
        removeBenchmarkFiles()
    }

    Benchmark("Read + inflate, no scan: same files (FileScanner, inflateOnly)") { (benchmark: Benchmark, setup: (PipelineState, FileScanner)) in
        let (state, scanner) = setup
        let index = state.nextIndex()
        benchmark.startMeasurement()
        let outcome = scanner.scan(path: state.paths[index])
        benchmark.stopMeasurement()
        precondition(outcome.failure == nil && outcome.bytesUncompressed == UInt64(BenchmarkCorpus.documentBytes))
        blackHole(outcome)
    } setup: {
        let state = try PipelineState()
        return (state, makeFileScanner(state, inflateOnly: true))
    } teardown: {
        removeBenchmarkFiles()
    }
}
