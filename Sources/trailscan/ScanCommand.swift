import ArgumentParser
import TrailScanCore
import TrailScanEngine
import TrailScanIO

#if canImport(Glibc)
import Glibc
#endif

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan trail logs and report calls and errors per KMS key and operation.",
        discussion: HelpText.paragraphs("""
            PATH may be a trail bucket synced to disk (AWSLogs/...), any folder \
            below it, or single files; give several to scan them together, or \
            `-` to read paths from standard input, one per line (with -0, \
            separated by NUL bytes: `find ... -print0 | trailscan scan -0 -`). \
            In folders, every *.json.gz and *.json file is read. Files under \
            CloudTrail-Digest/ or CloudTrail-Insight/, in a folder or named \
            explicitly, are skipped and counted as skipped; any other file \
            named explicitly is read, whatever its name. Without PATH, \
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
            """)
    )

    @Argument(help: "Trail folders or log files to scan; '-' reads paths from stdin.", completion: .file())
    var paths: [String] = []

    @Flag(
        name: [.customShort("0"), .customLong("null")],
        help: "Paths on stdin ('-') are separated by NUL bytes, as `find -print0` writes them, not by newlines.")
    var nullSeparated = false

    @Option(
        name: [.customShort("f"), .customLong("format")],
        help: ArgumentHelp(
            "Output format: table, csv, json, ndjson, prometheus, html (one self-contained page), or partial (a part for `trailscan merge`) (default: from the --output file's extension, .csv .json .ndjson .prom .html, else table).",
            valueName: "format"))
    var formatOption: OutputFormat?

    @Option(
        name: .shortAndLong,
        help: "Write the report to FILE instead of standard output ('-': standard output).", completion: .file())
    var output: String?

    @Option(
        name: [.customShort("j", allowingJoined: true), .customLong("jobs")], parsing: .unconditional,
        help: "Worker threads (default: one per core).")
    var jobs: Int?

    /// `--format`, else the one `--output`'s extension names, else table.
    var format: OutputFormat { formatOption ?? output.flatMap(OutputFormat.init(fileName:)) ?? .table }

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

    @Flag(
        name: .shortAndLong,
        help: "Do not print progress, the summary line or per-file errors on stderr (blind-spot warnings and notes that explain the answer still go there).")
    var quiet = false

    @Flag(
        inversion: .prefixedNo,
        help: "Show live progress on stderr (default: when stderr is a terminal; never with --quiet).")
    var progress: Bool?

    @Flag(help: "Stop at the first file that fails: exit 1 with its error and no report.")
    var strict = false

    @Flag(help: "Exit 0 when the only problem is files that failed: they are still reported on stderr and in the report's failures (batch jobs, where one bad log file must not fail the run).")
    var failedFilesExitZero = false

    @Option(help: ArgumentHelp(
        "Scan only shard K of N of the files (by a stable hash of each file's S3 key); with N alone, K comes from the array-job index (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID). Write each shard with --format partial and combine them with `trailscan merge`.",
        valueName: "K/N"))
    var shard: ShardOption?

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "Keep per-folder partial results in a SQLite store and rescan only folders whose files changed; the report is the one a full scan of the given folders prints.",
            valueName: "file"),
        completion: .file())
    var database: String?

    @OptionGroup(title: "Audit options")
    var audit: AuditOptions

    @OptionGroup
    var topOption: TopOption

    @OptionGroup
    var inventoryOption: InventoryOption

    @Flag(help: .hidden)
    var inflateOnly = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs)).") }
        if nullSeparated && !paths.contains("-") {
            throw ValidationError("-0 (--null) applies to the paths read from standard input: give '-' as a PATH.")
        }
        if maxRecordSize.bytes < 1024 { throw ValidationError("--max-record-size must be at least 1K.") }
        if let shard { _ = try shard.resolvedIndex() }
        if database != nil && (strict || inflateOnly) {
            throw ValidationError("--db cannot be combined with --strict.")
        }
        if database != nil && shard != nil {
            throw ValidationError("--db and --shard cannot be combined: a store answers for the whole of its folders.")
        }
        try topOption.validate(for: audit.report, format: format)
        try inventoryOption.validate(for: audit.report, format: format)
    }

    func run() throws {
        let chosenInflater = try inflater.resolved()
        let inventory = try inventoryOption.load()  // before the scan: a bad file stops here
        let roots = try resolveRoots()
        var request = try audit.request()
        request.validation = validation
        request.maximumRecordBytes = maxRecordSize.bytes
        if format == .html { request.detail = true }  // the page's calls per day and errors by code
        let discovery = ScanJob.discover(roots: roots, request: request)
        if !discovery.rootErrors.isEmpty {
            throw CommandFailure.usage(
                "cannot scan " + discovery.rootErrors.joined(separator: "; ")
                    + " (give a trail folder or log file that exists and that you can read)")
        }
        let shardSpec = try shard.map { ShardSpec(index: try $0.resolvedIndex() + 1, count: $0.count) }
        if discovery.foldersPruned > 0 && !quiet {
            StandardError.write(
                "trailscan: \(discovery.foldersPruned) folder(s) outside --account/--region/--since not read\n")
        }
        var options = ScanOptions()
        options.jobs = jobs ?? ProcessorCount.active
        options.readStrategy = readStrategy.strategy
        options.maximumRecordBytes = maxRecordSize.bytes
        options.inflateOnly = inflateOnly
        options.inflater = chosenInflater
        let showProgress = !quiet && (progress ?? StandardError.isTerminal)
        let counters = showProgress
            ? ScanProgress(shardSpec.map { discovery.shard($0.index - 1, of: $0.count) } ?? discovery) : nil
        let display = counters.map(ProgressDisplay.init)
        let partial: Partial
        if let database {
            let incremental: (partial: Partial, activity: IncrementalStore.Activity)
            do {
                incremental = try IncrementalStore.run(
                    database: database, roots: roots, discovery: discovery, request: request, options: options,
                    progress: counters, clock: MonotonicClock.seconds)
            } catch let error as StoreError {
                display?.stop()
                throw CommandFailure.usage("cannot use the store \(database): \(error)")
            } catch let error as SQLiteError {
                display?.stop()
                throw CommandFailure.usage("cannot use the store \(database): \(error)")
            }
            display?.stop()
            partial = incremental.partial
            let activity = incremental.activity
            if !quiet {
                if activity.upgradedSchema {
                    StandardError.write("trailscan: store \(database): replaced a store of the earlier layout\n")
                }
                StandardError.write(
                    "trailscan: store \(database): \(activity.foldersRescanned) folder(s) scanned "
                        + "(\(activity.filesRescanned) file(s)), \(activity.foldersUnchanged) unchanged, "
                        + "\(activity.foldersRemoved) removed\n")
            }
        } else {
            let scan = ScanJob.run(
                discovery, roots: roots, request: request, options: options, shard: shardSpec,
                stopAtFirstFailure: strict, progress: counters, clock: MonotonicClock.seconds)
            display?.stop()
            if strict && !scan.partial.failures.isEmpty {
                // No report, not even to --output: counts of part of the input
                // would be read as counts of all of it. The error always shows.
                for failure in scan.partial.failures {
                    StandardError.write("trailscan: \(failure.path): \(failure.error)\n")
                }
                StandardError.write(
                    "trailscan: stopped at the first failed file (--strict); no report written, "
                        + "\(scan.filesNotScanned) file(s) not scanned\n")
                throw ExitCode(TrailScanCommand.Status.someInputFailed)
            }
            partial = scan.partial
        }
        do {
            // A shard's JSON report carries its part, so `merge` reads it.
            try AnswerOutput.write(
                partial, format: format, to: output, quiet: quiet, top: topOption.top, embedPartial: shard != nil,
                inventory: inventory)
        } catch let exit as ExitCode where failedFilesExitZero && exit.rawValue == TrailScanCommand.Status.someInputFailed {
            // Reported: exit 0.
        }
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
                roots += try StandardInput.paths(StandardInput.readAll(), nullSeparated: nullSeparated)
            } else {
                roots.append(path)
            }
        }
        return roots
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
