// The question a scan answers: which report, grouped how, over which
// records, with which refinements. Everything that changes the answer is
// here, and nothing else (the output format, the jobs, the inflater do
// not): a partial records the request it was scanned for, and partials
// combine only when their requests are equal.

/// `--report`.
public enum ReportKind: String, CaseIterable, Sendable {
    case usage, idle, lifecycle, aliases
    case blindSpots = "blind-spots"
    case gaps
}

/// A report and the parameters that change its answer.
public struct ReportRequest: Sendable, Equatable {
    public var report: ReportKind = .usage
    /// `--by`, in the order given (the column order of the report).
    public var grouping: [GroupingDimension] = GroupingDimension.defaultGrouping
    /// `--times`: first and last use per row.
    public var times = false
    /// `--idle-days`.
    public var idleDays = 90
    /// The event source counted.
    public var source = "kms.amazonaws.com"
    public var filter = RecordFilter()
    public var keyFilter = KeyFilter()
    /// `--no-resolve-aliases` sets this false.
    public var resolvesAliases = true
    /// `--no-dedup` sets this false.
    public var foldsDuplicates = true
    /// `--html-detail` (set by `--format html`): rows also keep the `day`
    /// and `error-code` dimensions, for the HTML report's calls per day and
    /// errors by error code. Every other rendering sums rows over the
    /// dimensions it does not show, so its output is the same with or
    /// without it; the partials differ, so it is part of the request.
    public var detail = false
    /// `--validate`: which bytes are validated. It changes which files
    /// fail (a file whose only fault is in a record no report reads is
    /// counted under `used`, fails under `full`), so it is part of the
    /// question.
    public var validation = ValidationMode.used
    /// `--max-record-size` in bytes: a record larger than this fails its
    /// file, so a different limit can give a different answer (it is part
    /// of the question, like `--validate`).
    public var maximumRecordBytes = ReportRequest.defaultMaximumRecordBytes

    /// 256 MiB: larger than any CloudTrail record.
    public static let defaultMaximumRecordBytes = 256 << 20

    public init() {}

    /// The engine's request: docs/counting.md counts by key and event, nothing
    /// resolved or folded (`--no-resolve-aliases --no-dedup`).
    public static var engine: ReportRequest {
        var request = ReportRequest()
        request.resolvesAliases = false
        request.foldsDuplicates = false
        return request
    }

    /// What the scan must extract for this request.
    public var plan: ScanPlan {
        var plan = ScanPlan()
        plan.source = source
        plan.dimensions = Set(grouping)
        if detail { plan.dimensions.formUnion([.day, .errorCode]) }
        plan.validation = validation
        plan.tracksTimes = times || report == .idle
        plan.collectsLifecycle = report == .lifecycle
        plan.resolvesAliases = resolvesAliases
        plan.foldsDuplicates = foldsDuplicates
        plan.filter = filter
        plan.keyFilter = keyFilter
        return plan
    }

    /// True for the plain key/event usage report (whose CSV is the
    /// counting contract's).
    public var isKeyEventUsage: Bool {
        report == .usage && grouping == GroupingDimension.defaultGrouping && !times
    }

    /// The differences from `other`, one phrase each ("--by key,event vs
    /// key,principal"), for refusing to combine partials of other requests.
    public func differences(from other: ReportRequest) -> [String] {
        zip(describedFields(), other.describedFields()).compactMap { mine, theirs in
            mine.1 == theirs.1
                ? nil : "\(mine.0) \(mine.1.isEmpty ? "(not set)" : mine.1) vs \(theirs.1.isEmpty ? "(not set)" : theirs.1)"
        }
    }

    /// Each parameter as (option, value text), in a fixed order.
    func describedFields() -> [(String, String)] {
        func list(_ values: [String]) -> String { values.joined(separator: ",") }
        return [
            ("--report", report.rawValue),
            ("--by", grouping.map(\.rawValue).joined(separator: ",")),
            ("--times", times ? "on" : ""),
            ("--idle-days", String(idleDays)),
            ("--source", source),
            ("--since", filter.since.map(UTCTime.iso8601) ?? ""),
            ("--until", filter.until.map(UTCTime.iso8601) ?? ""),
            ("--account", list(filter.accounts)),
            ("--region", list(filter.regions)),
            ("--event-name", list(filter.eventNames)),
            ("--principal", list(filter.principals)),
            ("--errors-only", filter.errorsOnly ? "on" : ""),
            ("--read-only", filter.readOnly.map { $0 ? "on" : "off" } ?? ""),
            ("--key", list(keyFilter.keys)),
            ("--cross-account", keyFilter.crossAccountOnly ? "on" : ""),
            ("--no-resolve-aliases", resolvesAliases ? "" : "on"),
            ("--no-dedup", foldsDuplicates ? "" : "on"),
            ("--html-detail", detail ? "on" : ""),
            ("--validate", validation == .used ? "" : validation.rawValue),
            ("--max-record-size", maximumRecordBytes == Self.defaultMaximumRecordBytes ? "" : String(maximumRecordBytes)),
        ]
    }
}
