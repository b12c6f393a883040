// The report formats and the one entry point that renders them: pure
// functions from a scan's result to the text of each format. No Foundation:
// escaping, number formatting and column layout are done here, by hand.

/// An output format of `trailscan scan`.
///
/// - `table`: for people; busiest keys first, then a summary block and the
///   failed files. Not a stable interface: do not parse it.
/// - `csv`: `key,event_name,calls,errors`, one row per (key, event name),
///   byte order, RFC 4180 quoting. A stable interface.
/// - `json`: one object `{"summary", "keys", "failures"}`. A stable interface.
/// - `ndjson`: one compact JSON object per CSV row. A stable interface.
/// - `prometheus`: text exposition format, counters per row plus the
///   scan's totals as gauges (node exporter textfile collector).
/// - `html`: one self-contained page for people (summary, charts, time
///   line; `HTMLReport.swift`). Not a stable interface; its numbers are
///   all in the JSON.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table
    case csv
    case json
    case ndjson
    case prometheus
    case html
}

/// Renders a scan's result in each `ReportFormat`, and the one-line summary
/// for stderr.
///
/// Every function here is pure and total: any `UsageReport`, `ScanSummary`
/// and failure list (empty, huge counts, keys with control characters or
/// non-ASCII) renders without trapping.
public enum ReportRenderer {
    /// The complete output of one format, ending with a newline (the CSV
    /// header alone for an empty CSV report, and the empty string for an
    /// empty NDJSON report).
    ///
    /// - Parameters:
    ///   - format: the format to render.
    ///   - report: the counts; only rows with at least one call are shown.
    ///   - summary: the scan's totals (JSON `summary`, the table's summary
    ///     block; CSV and NDJSON do not carry it).
    ///   - failures: the files that were not counted (JSON `failures`, the
    ///     table's failure list; CSV and NDJSON do not carry them).
    ///   - blindSpots: windows without KMS logging (JSON `blindSpots`, the
    ///     table's warnings).
    ///   - unresolvedAliases: aliases whose calls stayed under the alias
    ///     (JSON `unresolvedAliases`).
    /// - Returns: the text to write to the output, UTF-8.
    /// - Complexity: O(*r* log *r*) for *r* rows.
    public static func render(
        _ format: ReportFormat,
        report: UsageReport,
        summary: ScanSummary,
        failures: [FileFailure],
        blindSpots: [BlindSpot] = [],
        unresolvedAliases: [(alias: String, calls: UInt64)] = []
    ) -> String {
        switch format {
        case .table: return table(report: report, summary: summary, failures: failures, blindSpots: blindSpots)
        case .csv, .ndjson:
            // The same table renderer as every other report.
            return render(format, table: keyEventTable(report), summary: summary, failures: failures, blindSpots: blindSpots)
        case .json:
            return json(
                report: report, summary: summary, failures: failures, blindSpots: blindSpots,
                unresolvedAliases: unresolvedAliases)
        case .prometheus: return prometheus(report: report, summary: summary, blindSpots: blindSpots)
        case .html:
            // A bare report: no days, error codes or delivered days (a
            // `ReportAnswer` renders the whole page).
            return HTMLReport(summary: summary, failures: failures, keys: keysByCalls(report), blindSpots: blindSpots)
                .render()
        }
    }
}
