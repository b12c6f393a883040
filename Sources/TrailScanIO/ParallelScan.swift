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
    /// True when `stopAtFirstFailure` stopped the scan before every file
    /// was scanned; `summary` then covers only the files scanned.
    public var stopped = false
    /// Files never opened because the scan stopped (0 unless `stopped`).
    public var filesNotScanned = 0

    public init(report: UsageReport, summary: ScanSummary, failures: [FileFailure]) {
        self.report = report
        self.summary = summary
        self.failures = failures
    }
}

/// Runs a scan of discovered files across worker threads.
public enum ParallelScan {
    /// Scans `discovery.files` with `options.jobs` workers.
    ///
    /// Results are independent of the number of workers and of file order:
    /// every file is scanned by exactly one worker, and merging adds counts.
    ///
    /// With `stopAtFirstFailure` (`--strict`), a failed file (or a failure
    /// found by discovery) makes every worker stop pulling new files; files
    /// already being scanned on other workers are finished.
    ///
    /// `progress`, when given, is updated as each file is done.
    public static func run(
        _ discovery: Discovery, options: ScanOptions, stopAtFirstFailure: Bool = false,
        progress: ScanProgress? = nil, clock: () -> Double
    ) -> ScanResult {
        let start = clock()
        let files = discovery.files
        let workerCount = max(1, min(options.jobs, files.count))
        let workers = (0..<workerCount).map { _ in Worker(options: options) }
        let cursor = FileCursor()
        let stop = StopFlag()
        if stopAtFirstFailure && !discovery.failures.isEmpty { stop.set() }

        // Files of a dedup group that several trails deliver are one work
        // item, scanned in a row by one worker with the group's eventIDs
        // (DeliveryGroups.swift); every other file is its own item.
        let groups = options.plan.foldsDuplicates ? DeliveryGroups(files) : DeliveryGroups()
        let items = groups.isEmpty ? [] : Self.workItems(files, groups)
        let itemCount = groups.isEmpty ? files.count : items.count

        let work: @Sendable (Int) -> Void = { index in
            let worker = workers[index]
            // One relaxed load per file, never per record.
            while !stop.isSet {
                let next = cursor.next()
                guard next < itemCount else { return }
                guard !groups.isEmpty else {
                    worker.scan(files[next], stopAtFirstFailure: stopAtFirstFailure, stop: stop, progress: progress)
                    continue
                }
                switch items[next] {
                case .file(let file):
                    worker.scan(files[file], stopAtFirstFailure: stopAtFirstFailure, stop: stop, progress: progress)
                case .group(let g):
                    let group = groups.groups[g]
                    let tally = worker.scanner.tally
                    tally.beginDeliveryGroup()
                    for (file, label) in zip(group.files, group.labels) where !stop.isSet {
                        let before = tally.deliveryCopiesFolded
                        worker.scan(files[file], stopAtFirstFailure: stopAtFirstFailure, stop: stop, progress: progress)
                        let folded = tally.deliveryCopiesFolded &- before
                        if folded > 0 { worker.deliveryCopiesFolded[label, default: 0] &+= folded }
                    }
                    tally.endDeliveryGroup()
                }
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
            report.merge(worker.scanner.tally.takeReport())
            summary.deliveryCopiesFolded.merge(worker.deliveryCopiesFolded, uniquingKeysWith: &+)
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
        var result = ScanResult(report: report, summary: summary, failures: failures)
        let scanned = workers.reduce(0) { $0 + $1.outcomes.count }
        if stop.isSet && scanned < files.count {
            result.stopped = true
            result.filesNotScanned = files.count - scanned
        }
        return result
    }
}

extension ParallelScan {
    /// A unit of work: one file, or a dedup group's files in their order.
    enum WorkItem: Sendable {
        case file(Int)
        case group(Int)
    }

    /// The files outside groups and the groups, largest first (ties by
    /// the first file's index, itself largest first).
    static func workItems(_ files: [DiscoveredFile], _ groups: DeliveryGroups) -> [WorkItem] {
        var sized: [(size: Int, first: Int, item: WorkItem)] = []
        for index in files.indices where groups.groupOfFile[index] == nil {
            sized.append((files[index].size, index, .file(index)))
        }
        for (index, group) in groups.groups.enumerated() {
            sized.append((group.size, group.files.min()!, .group(index)))
        }
        sized.sort { $0.size != $1.size ? $0.size > $1.size : $0.first < $1.first }
        return sized.map(\.item)
    }
}

/// One worker's state. Only its own thread touches it until the join.
private final class Worker: @unchecked Sendable {
    let scanner: FileScanner
    var outcomes: [FileOutcome] = []
    /// Duplicate deliveries folded, by trail label.
    var deliveryCopiesFolded: [String: UInt64] = [:]

    init(options: ScanOptions) {
        scanner = FileScanner(options: options)
    }

    func scan(_ file: DiscoveredFile, stopAtFirstFailure: Bool, stop: StopFlag, progress: ScanProgress?) {
        let outcome = scanner.scan(path: file.path, size: file.size)
        if stopAtFirstFailure && outcome.failure != nil { stop.set() }
        progress?.fileDone(storedBytes: file.size, jsonBytes: outcome.bytesUncompressed, failed: outcome.failure != nil)
        outcomes.append(outcome)
    }
}

/// The `--strict` stop: set once by the first worker whose file fails.
private final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() { value.store(true, ordering: .relaxed) }
}

/// The shared "next file" index.
private final class FileCursor: Sendable {
    private let position = Atomic<Int>(0)

    func next() -> Int {
        position.add(1, ordering: .relaxed).oldValue
    }
}
