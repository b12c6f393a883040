// The fan-out: N workers pull file indices from one atomic cursor (largest
// files first, so no core idles behind one huge file at the end), each with
// its own buffers and tally; the tallies are merged once after the join.

import Dispatch
import Synchronization
import TrailScanCore

/// The result of a scan: counts, totals and failed files.
public struct ScanResult: Sendable {
    public var report: UsageReport
    public var summary: ScanSummary
    /// Failed files, by path.
    public var failures: [FileFailure]
}

/// Runs a scan of discovered files across worker threads.
public enum ParallelScan {
    /// Scans `discovery.files` with `options.jobs` workers.
    ///
    /// Results are independent of the number of workers and of file order:
    /// every file is scanned by exactly one worker, and merging adds counts.
    public static func run(_ discovery: Discovery, options: ScanOptions, clock: () -> Double) -> ScanResult {
        let start = clock()
        let files = discovery.files
        let workerCount = max(1, min(options.jobs, files.count))
        let workers = (0..<workerCount).map { _ in Worker(options: options) }
        let cursor = FileCursor()

        let work: @Sendable (Int) -> Void = { index in
            let worker = workers[index]
            while true {
                let next = cursor.next()
                guard next < files.count else { return }
                worker.outcomes.append(worker.scanner.scan(path: files[next].path))
            }
        }
        if workerCount == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workerCount, execute: work)
        }

        var report = UsageReport()
        var summary = ScanSummary()
        var failures = discovery.failures
        summary.filesFailed = discovery.failures.count
        summary.filesSkipped = discovery.skipped.count
        for worker in workers {
            report.merge(worker.scanner.tally.makeReport())
            for outcome in worker.outcomes {
                summary.bytesCompressed &+= outcome.bytesCompressed
                summary.bytesUncompressed &+= outcome.bytesUncompressed
                if let failure = outcome.failure {
                    summary.filesFailed += 1
                    summary.recordsInFailedFiles &+= outcome.records
                    failures.append(FileFailure(path: outcome.path, error: failure, recordsBeforeFailure: outcome.records))
                } else {
                    summary.files += 1
                }
            }
        }
        failures.sort { $0.path < $1.path }
        summary.records = report.records
        summary.kmsRecords = report.kmsRecords
        summary.jobs = workerCount
        summary.inflater = workers[0].scanner.inflaterKind.rawValue  // every worker runs the same one
        summary.seconds = clock() - start
        return ScanResult(report: report, summary: summary, failures: failures)
    }
}

/// One worker's state. Only its own thread touches it until the join.
private final class Worker: @unchecked Sendable {
    let scanner: FileScanner
    var outcomes: [FileOutcome] = []

    init(options: ScanOptions) {
        scanner = FileScanner(options: options)
    }
}

/// The shared "next file" index.
private final class FileCursor: Sendable {
    private let position = Atomic<Int>(0)

    func next() -> Int {
        position.add(1, ordering: .relaxed).oldValue
    }
}
