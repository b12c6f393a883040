import ArgumentParser
import TrailScanCore
import TrailScanIO

#if canImport(Glibc)
import Glibc
#endif

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan trail logs and report calls and errors per KMS key and operation.",
        discussion: """
            PATH may be a trail bucket synced to disk (AWSLogs/...), any folder \
            below it, or single files; give several to scan them together, or \
            `-` to read paths from standard input, one per line. In folders, \
            every *.json.gz and *.json file is read, except those under \
            CloudTrail-Digest/ or CloudTrail-Insight/, which are skipped and \
            counted. A file named explicitly is always read. Without PATH, \
            trailscan scans a small built-in sample trail (generated once into \
            a cache folder), so you can see a report right away.

            A file that cannot be read, inflated or parsed is reported on \
            stderr with its path and the reason; its records are not counted, \
            the scan goes on, and the exit status is 1.

            Audit answers (docs/audit.md has the exact rules): calls that name \
            an alias are attributed to the key it pointed to at the time, and \
            the two copies of a cross-account call are counted once (unless \
            --no-resolve-aliases / --no-dedup). --by groups by other \
            dimensions, the filters select records, and --report gives idle \
            keys, lifecycle events, alias history, blind spots (trails that \
            excluded KMS events, also warned about in every report) and \
            delivery gaps.
            """
    )

    @Argument(help: "Trail folders or log files to scan; '-' reads paths from stdin.", completion: .file())
    var paths: [String] = []

    @Option(name: .shortAndLong, help: "Output format: table, csv, json, ndjson or prometheus.")
    var format: OutputFormat = .table

    @Option(name: .shortAndLong, help: "Write the report to FILE instead of standard output.", completion: .file())
    var output: String?

    @Option(name: .shortAndLong, help: "Worker threads (default: one per core).")
    var jobs: Int?

    @Option(name: .customLong("read"), help: "How to read files: read (read() into a buffer) or mmap.")
    var readStrategy: ReadStrategyOption = .read

    @Option(help: ArgumentHelp("Largest single record accepted, in bytes (K/M/G suffixes allowed).", valueName: "size"))
    var maxRecordSize: ByteSize = ByteSize(256 << 20)

    @Option(help: "Gzip inflater: auto (ISA-L when available, else zlib), zlib or isal.")
    var inflater: InflaterOption = .auto

    @Option(name: .customLong("validate"), help: ArgumentHelp(
        "JSON validation: used (structure, and every value the report reads) or full (every byte, RFC 8259).",
        valueName: "mode"))
    var validation: ValidationMode = .used

    @Flag(name: .shortAndLong, help: "Do not print progress, the summary line or per-file errors on stderr.")
    var quiet = false

    @Flag(
        inversion: .prefixedNo,
        help: "Show live progress on stderr (default: when stderr is a terminal; never with --quiet).")
    var progress: Bool?

    @Flag(help: "Stop at the first file that fails: exit 1 with its error and no report.")
    var strict = false

    @Option(help: ArgumentHelp(
        "Scan only shard K of N of the files (by a stable hash of each file's S3 key); with N alone, K comes from the array-job index (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID). Merge the shards' JSON reports with `trailscan merge`.",
        valueName: "K/N"))
    var shard: ShardOption?

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "Keep per-folder results in a SQLite store and rescan only folders whose files changed; the report covers everything the store holds under the given folders.",
            valueName: "file"),
        completion: .file())
    var database: String?

    @OptionGroup(title: "Audit options")
    var audit: AuditOptions

    @Flag(help: .hidden)
    var inflateOnly = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs)).") }
        if maxRecordSize.bytes < 1024 { throw ValidationError("--max-record-size must be at least 1K.") }
        if let shard { _ = try shard.resolvedIndex() }
        if database != nil && (strict || inflateOnly) {
            throw ValidationError("--db cannot be combined with --strict.")
        }
        // Stores and shards keep key/event counts only: resolving aliases
        // and folding copies needs every record of the trail in one scan.
        if (database != nil || shard != nil) && !audit.isDefaultUsage {
            throw ValidationError(
                "--db and --shard report the default key/event counts only; the audit options need the whole trail in one scan.")
        }
    }

    func run() throws {
        let chosenInflater = try inflater.resolved()
        let roots = try resolveRoots()
        // Stores and shards keep key/event counts by the engine's rules
        // (as --no-resolve-aliases --no-dedup): resolving aliases and
        // folding copies needs every record of the trail in one scan.
        let plan = (database != nil || shard != nil ? ScanPlan.engine : try audit.plan()).validating(validation)
        var discovery = TrailDiscovery.discover(roots: roots, pruning: LayoutPruning(filter: plan.filter))
        if !discovery.rootErrors.isEmpty {
            throw CommandFailure.usage(
                "cannot scan " + discovery.rootErrors.joined(separator: "; ")
                    + " (give a trail folder or log file that exists and that you can read)")
        }
        if let shard { discovery = discovery.shard(try shard.resolvedIndex(), of: shard.count) }
        if discovery.foldersPruned > 0 && !quiet {
            StandardError.write(
                "trailscan: \(discovery.foldersPruned) folder(s) outside --account/--region/--since not read\n")
        }
        var options = ScanOptions()
        options.plan = plan
        options.jobs = jobs ?? ProcessorCount.active
        options.readStrategy = readStrategy.strategy
        options.maximumRecordBytes = maxRecordSize.bytes
        options.inflateOnly = inflateOnly
        options.inflater = chosenInflater
        let showProgress = !quiet && (progress ?? StandardError.isTerminal)
        let counters = showProgress ? ScanProgress(discovery) : nil
        let display = counters.map(ProgressDisplay.init)
        let result: ScanResult
        if let database {
            let incremental: (result: ScanResult, activity: IncrementalScan.Activity)
            do {
                incremental = try IncrementalScan.run(
                    database: database, roots: roots, discovery: discovery, options: options, progress: counters,
                    clock: MonotonicClock.seconds)
            } catch let error as SQLiteError {
                display?.stop()
                throw CommandFailure.usage("cannot use the store \(database): \(error)")
            }
            display?.stop()
            result = incremental.result
            let activity = incremental.activity
            if !quiet {
                StandardError.write(
                    "trailscan: store \(database): \(activity.foldersRescanned) folder(s) scanned "
                        + "(\(activity.filesRescanned) file(s)), \(activity.foldersUnchanged) unchanged, "
                        + "\(activity.foldersRemoved) removed\n")
            }
        } else {
            result = ParallelScan.run(
                discovery, options: options, stopAtFirstFailure: strict, progress: counters,
                clock: MonotonicClock.seconds)
            display?.stop()
        }
        if strict && !result.failures.isEmpty {
            // No report, not even to --output: counts of part of the input
            // would be read as counts of all of it. The error always shows.
            for failure in result.failures {
                StandardError.write("trailscan: \(failure.path): \(failure.error)\n")
            }
            StandardError.write(
                "trailscan: stopped at the first failed file (--strict); no report written, "
                    + "\(result.filesNotScanned) file(s) not scanned\n")
            throw ExitCode(TrailScanCommand.Status.someInputFailed)
        }

        let answer = AuditResolver.resolve(result.report, plan: plan)
        var summary = result.summary
        summary.selectedRecords = result.report.selectedRecords
        summary.duplicatesFolded = answer.duplicatesFolded
        let text = render(answer, raw: result.report, summary: summary, failures: result.failures, discovery: discovery)
        try ReportOutput.emit(text, to: output)
        if !quiet && format != .json && format != .table {
            for line in ReportRenderer.blindSpotWarnings(answer.blindSpots) { StandardError.write("trailscan: \(line)\n") }
        }
        if !quiet && audit.report != .gaps {
            let gaps = discovery.deliveryGaps()
            if !gaps.isEmpty {
                StandardError.write(
                    "trailscan: warning: \(gaps.count) delivery gap(s): days with no log file for an account and "
                        + "region that has files before and after (see --report gaps)\n")
            }
        }
        if !quiet {
            for failure in result.failures {
                StandardError.write("trailscan: \(failure.path): \(failure.error)\n")
            }
            StandardError.write(ReportRenderer.summaryLine(summary) + "\n")
        }
        if !result.failures.isEmpty { throw ExitCode(TrailScanCommand.Status.someInputFailed) }
    }

    /// The text of the report `--report`, `--by` and `--format` ask for.
    private func render(
        _ answer: AuditResult, raw: UsageReport, summary: ScanSummary, failures: [FileFailure], discovery: Discovery
    ) -> String {
        let table: ReportTable
        switch audit.report {
        case .usage:
            let dimensions = (try? audit.dimensions()) ?? GroupingDimension.defaultGrouping
            if dimensions == GroupingDimension.defaultGrouping && !audit.times {
                return ReportRenderer.render(
                    format.reportFormat, report: answer.keyEventReport(base: raw), summary: summary,
                    failures: failures, blindSpots: answer.blindSpots, unresolvedAliases: answer.unresolvedAliases,
                    selectorChanges: shard != nil ? raw.facts.selectorChanges : nil)
            }
            table = answer.groupedTable(by: dimensions, times: audit.times)
        case .idle: table = answer.idleTable(days: audit.idleDays)
        case .lifecycle: table = answer.lifecycleTable()
        case .aliases: table = answer.aliasTable()
        case .blindSpots: table = answer.blindSpotTable()
        case .gaps: table = ReportTable.deliveryGaps(discovery.deliveryGaps())
        }
        return ReportRenderer.render(
            format.reportFormat, table: table, summary: summary, failures: failures, blindSpots: answer.blindSpots)
    }

    /// The roots to walk: the arguments, with `-` replaced by the paths read
    /// from stdin; the demo trail when there are none.
    private func resolveRoots() throws -> [String] {
        if paths.isEmpty {
            let demo = try DemoTrail.prepare()
            if !quiet { StandardError.write("trailscan: no path given; scanning the built-in sample trail at \(demo)\n") }
            return [demo]
        }
        var roots: [String] = []
        for path in paths {
            if path == "-" {
                while let line = readLine(strippingNewline: true) {
                    if !line.isEmpty { roots.append(line) }
                }
            } else {
                roots.append(path)
            }
        }
        return roots
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, ndjson, prometheus

    var reportFormat: ReportFormat {
        switch self {
        case .table: .table
        case .csv: .csv
        case .json: .json
        case .ndjson: .ndjson
        case .prometheus: .prometheus
        }
    }
}

extension ValidationMode: ExpressibleByArgument {}

enum ReadStrategyOption: String, ExpressibleByArgument, CaseIterable {
    case read, mmap

    var strategy: ReadStrategy { self == .read ? .read : .mmap }
}

enum InflaterOption: String, ExpressibleByArgument, CaseIterable {
    case auto, zlib, isal

    /// The inflater to run: `auto` is the fastest available; an explicit
    /// choice that cannot run is a usage error naming the install step.
    func resolved() throws -> Inflater {
        switch self {
        case .auto: return .fastestAvailable
        case .zlib: return .zlib
        case .isal:
            if let reason = Inflater.isal.unavailableReason { throw CommandFailure.usage("--inflater isal: \(reason)") }
            return .isal
        }
    }
}
