import ArgumentParser
import Foundation
import TrailScanCore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine JSON reports of parts of a trail into one report.",
        discussion: """
            Each REPORT is the output of `trailscan scan --format json` over a part \
            of a trail (a shard, a folder, another machine's share). The parts must \
            not overlap: counts are added. The result is what one scan of all the \
            parts would print, in any format (only `seconds` and `jobs` differ: \
            they are the largest of the parts). Exit status 1 when the parts \
            report failed files, as a scan would.
            """
    )

    @Argument(help: "JSON reports to merge ('-' reads one from stdin).", completion: .file())
    var reports: [String]

    @Option(name: .shortAndLong, help: "Output format: table, csv, json, ndjson or prometheus.")
    var format: OutputFormat = .table

    @Option(name: .shortAndLong, help: "Write the merged report to FILE instead of standard output.", completion: .file())
    var output: String?

    @Flag(name: .shortAndLong, help: "Do not print the summary line on stderr.")
    var quiet = false

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give at least one JSON report to merge.") }
    }

    func run() throws {
        var merged = PartialReport.empty
        for path in reports {
            let data: Data
            do {
                data = path == "-"
                    ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure.usage(InputFile.whyUnreadable(path))
            }
            do {
                let part = try PartialReport(json: data)
                merged.report.merge(part.report)
                merged.summary.merge(part.summary)
                merged.failures += part.failures
            } catch {
                throw CommandFailure.usage(
                    "\(path) is not a trailscan JSON report (\(error)); give files written by `trailscan scan --format json`")
            }
        }
        merged.failures.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let text = ReportRenderer.render(
            format.reportFormat, report: merged.report, summary: merged.summary, failures: merged.failures,
            blindSpots: AuditResolver.blindSpots(merged.report.facts.selectorChanges))
        try ReportOutput.emit(text, to: output)
        if !quiet { StandardError.write(ReportRenderer.summaryLine(merged.summary) + "\n") }
        if !merged.failures.isEmpty { throw ExitCode(TrailScanCommand.Status.someInputFailed) }
    }
}

extension PartialReport {
    /// The identity of merging.
    static var empty: PartialReport {
        var empty = PartialReport()
        empty.summary.inflater = ""
        empty.summary.jobs = 0
        return empty
    }

    private init() {}
}
