import ArgumentParser
import Foundation
import TrailScanCore
import TrailScanEngine

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine partial results of parts of a trail into the answer one scan gives.",
        discussion: HelpText.paragraphs("""
            Each PART is the output of `trailscan scan --format partial`: a shard \
            (--shard K/N) or a scan of other folders. The answer is the one a \
            single scan of all the parts' files with the same options prints, \
            in any format: the options recorded in the parts (--report, --by, \
            filters...) are used, so give only the output options here.

            Refused with exit status 2: parts scanned with different options or \
            by different trailscan versions, the same shard twice, shards of \
            different splits, overlapping parts, unknown format versions, and \
            JSON reports (which are answers, not parts). Missing shards are an \
            error (exit status 1, naming them) unless --allow-missing. Exit \
            status 1 also when the parts report failed files, as a scan would.

            The merged summary's `seconds` is the wall time of the longest \
            part (parts run side by side) and `cpuSeconds` the sum of the \
            parts' processor time. `--format partial` writes the combined \
            part, for merging in stages.
            """)
    )

    @Argument(help: "Partial results to merge ('-' reads one from stdin).", completion: .file())
    var parts: [String]

    @Option(
        name: .shortAndLong,
        help: "Output format: table, csv, json, ndjson, prometheus, html (parts scanned with --html-detail), or partial (the combined part).")
    var format: OutputFormat = .table

    @Option(name: .shortAndLong, help: "Write the merged report to FILE instead of standard output.", completion: .file())
    var output: String?

    @OptionGroup
    var topOption: TopOption

    @OptionGroup
    var inventoryOption: InventoryOption

    @Flag(help: "Merge the shards that are there when some are missing (a warning names the missing ones).")
    var allowMissing = false

    @Flag(name: .shortAndLong, help: "Do not print the summary line on stderr (blind-spot warnings and notes that explain the answer still go there).")
    var quiet = false

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give at least one partial result to merge.") }
    }

    func run() throws {
        let inventory = try inventoryOption.load()
        var named: [(name: String, partial: Partial)] = []
        for path in parts {
            var data: Data
            do {
                data = path == "-"
                    ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure.usage(InputFile.whyUnreadable(path))
            }
            do {
                let partial = try data.withUnsafeMutableBytes { bytes throws(PartialFormatError) in
                    try Partial(json: UnsafeRawBufferPointer(bytes))
                }
                named.append((path, partial))
            } catch {
                throw CommandFailure.usage("\(path) is not a part trailscan can merge: \(error)")
            }
        }
        if format == .html, let plain = named.first(where: { !$0.partial.request.detail }) {
            throw CommandFailure.usage(
                "cannot write html: \(plain.name) was scanned without --html-detail (the page needs calls by day and error code); "
                    + "scan the parts with `--format partial --html-detail`")
        }
        let merged: (partial: Partial, missingShards: [Int])
        do {
            merged = try PartialMerge.combine(named, allowMissing: allowMissing)
        } catch {
            switch error.kind {
            case .incompatible: throw CommandFailure.usage("cannot merge: \(error)")
            case .missingShards: throw CommandFailure(message: "cannot merge: \(error)", status: TrailScanCommand.Status.someInputFailed)
            }
        }
        if !merged.missingShards.isEmpty {
            // Said even with --quiet: it is part of the answer.
            let n = merged.partial.coverage.shardCount ?? 0
            StandardError.write(
                "trailscan: warning: merged without shard(s) \(merged.missingShards.map { "\($0)/\(n)" }.joined(separator: ", ")) (--allow-missing): their files are not in this answer\n")
        }
        try topOption.validate(for: merged.partial.request.report, format: format)
        do {
            try inventoryOption.validate(for: merged.partial.request.report, format: format)
        } catch let error as ValidationError {
            throw CommandFailure.usage(error.message)
        }
        try AnswerOutput.write(
            merged.partial, format: format, to: output, quiet: quiet, top: topOption.top, inventory: inventory)
    }
}
