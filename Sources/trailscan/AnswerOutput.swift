// Writing an answer: the one output path of `scan` and `merge`. The partial
// is resolved and rendered by the engine's `ReportAnswer`; this file only
// chooses the format, writes the text and the stderr notes, and sets the
// exit status.

import ArgumentParser
import TrailScanCore
import TrailScanEngine

/// `--format`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, ndjson, prometheus, html, partial

    /// The format a report file's extension names (`kms.csv`, `r.json`,
    /// `r.ndjson` or `r.jsonl`, `trailscan.prom`, `kms.html`), or nil.
    init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        case "ndjson", "jsonl": self = .ndjson
        case "prom": self = .prometheus
        case "html", "htm": self = .html
        default: return nil
        }
    }

    /// The report format, nil for `partial` (not a report: the raw part).
    var reportFormat: ReportFormat? {
        switch self {
        case .table: .table
        case .csv: .csv
        case .json: .json
        case .ndjson: .ndjson
        case .prometheus: .prometheus
        case .html: .html
        case .partial: nil
        }
    }
}

/// `--top N`, shared by `scan` and `merge`: a rendering choice (the partial
/// holds every row), so it is no part of the request.
struct TopOption: ParsableArguments {
    // `.unconditional`: `--top -1` is a value to refuse with a reason, not
    // an unknown option `-1` ("missing value").
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Show only the N busiest keys (key/event report), or the N busiest rows of each value of the first --by dimension (with a group_rows column: how many rows that value has); counts stay exact.",
            valueName: "n"))
    var top: Int?

    func validate(for report: ReportKind, format: OutputFormat) throws {
        guard let top else { return }
        if top < 1 { throw ValidationError("--top must be at least 1 (got \(top)).") }
        if report != .usage { throw ValidationError("--top applies to --report usage (the default), not to --report \(report.rawValue).") }
        if format == .partial { throw ValidationError("--top does not apply to --format partial: a part holds every row; give --top to merge.") }
    }
}

enum AnswerOutput {
    /// Renders `partial` in `format` to `output` (stdout when nil), writes
    /// the warnings and the summary line to stderr (unless `quiet`), and
    /// throws exit status 1 when some file failed.
    ///
    /// `embedPartial`: a JSON report also carries the partial (a shard's
    /// report is a part `merge` reads, as it always was).
    static func write(
        _ partial: Partial, format: OutputFormat, to output: String?, quiet: Bool, top: Int? = nil,
        embedPartial: Bool = false, inventory: KeyInventory? = nil
    ) throws {
        let answer = ReportAnswer(partial, inventory: inventory)
        guard let reportFormat = format.reportFormat else {
            try ReportOutput.stream(to: output) { partial.write(to: $0) }
            try finish(answer, quiet: quiet)
            return
        }
        try ReportOutput.stream(to: output) { answer.write(reportFormat, top: top, embeddingPartial: embedPartial, to: $0) }
        // Blind spots are part of the answer (calls are missing from the
        // logs): formats that cannot carry them get them on stderr, even
        // with --quiet, which silences chatter, not the answer.
        if format != .json && format != .table && format != .html {
            for line in answer.blindSpotWarnings { StandardError.write("trailscan: \(line)\n") }
        }
        if !quiet && partial.request.report != .gaps {
            let gaps = answer.deliveryGaps
            if !gaps.isEmpty {
                StandardError.write(
                    "trailscan: warning: \(gaps.count) delivery gap(s): days with no log file for an account and "
                        + "region that has files before and after (see --report gaps)\n")
            }
        }
        try finish(answer, quiet: quiet)
    }

    private static func finish(_ answer: ReportAnswer, quiet: Bool) throws {
        // Said even with --quiet: it explains the answer, it is not chatter.
        for note in answer.summary.notes { StandardError.write("trailscan: note: \(note)\n") }
        if !quiet {
            for failure in answer.partial.failures {
                StandardError.write("trailscan: \(failure.path): \(failure.error)\n")
            }
            StandardError.write(ReportRenderer.summaryLine(answer.summary) + "\n")
        }
        if !answer.partial.failures.isEmpty { throw ExitCode(TrailScanCommand.Status.someInputFailed) }
    }
}
