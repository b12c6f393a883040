// resolve(combine(partials)): the one place a partial becomes the answer a
// user reads. `trailscan scan`, `trailscan merge` and the `--db` store all
// render through here, so for the same files and request they print the
// same report.

/// The resolved answer of a (combined) partial, ready to render.
public struct ReportAnswer: Sendable {
    public let partial: Partial
    public let result: AuditResult
    /// The partial's totals with the resolved `selectedRecords` and
    /// `duplicatesFolded` filled in.
    public let summary: ScanSummary

    public init(_ partial: Partial) {
        self.partial = partial
        result = AuditResolver.resolve(partial.report, plan: partial.request.plan)
        var summary = partial.summary
        summary.selectedRecords = partial.report.selectedRecords
        summary.duplicatesFolded = result.duplicatesFolded
        self.summary = summary
    }

    /// The report in `format`, ending with a newline.
    public func render(_ format: ReportFormat) -> String {
        let request = partial.request
        let table: ReportTable
        switch request.report {
        case .usage:
            if request.isKeyEventUsage {
                return ReportRenderer.render(
                    format, report: result.keyEventReport(base: partial.report), summary: summary,
                    failures: partial.failures, blindSpots: result.blindSpots,
                    unresolvedAliases: result.unresolvedAliases)
            }
            table = result.groupedTable(by: request.grouping, times: request.times)
        case .idle: table = result.idleTable(days: request.idleDays)
        case .lifecycle: table = result.lifecycleTable()
        case .aliases: table = result.aliasTable()
        case .blindSpots: table = result.blindSpotTable()
        case .gaps: table = ReportTable.deliveryGaps(deliveryGaps)
        }
        return ReportRenderer.render(
            format, table: table, summary: summary, failures: partial.failures, blindSpots: result.blindSpots)
    }

    /// The blind-spot warnings, one line each (formats other than JSON and
    /// the table carry them on stderr).
    public var blindSpotWarnings: [String] { ReportRenderer.blindSpotWarnings(result.blindSpots) }

    /// Runs of days with no log file for an account and region that has
    /// files before and after them.
    public var deliveryGaps: [DeliveryGap] { DeliveryGap.gaps(in: partial.deliveredDays) }
}

extension DeliveryGap {
    /// The gaps of a set of delivered days.
    public static func gaps(in delivered: Set<DeliveredDay>) -> [DeliveryGap] {
        struct Place: Hashable {
            var account, region: String
        }
        var days: [Place: [Int64]] = [:]
        for entry in delivered { days[Place(account: entry.account, region: entry.region), default: []].append(entry.day) }
        var gaps: [DeliveryGap] = []
        for (place, list) in days {
            let sorted = list.sorted()
            for (a, b) in zip(sorted, sorted.dropFirst()) where b - a > 1 {
                gaps.append(DeliveryGap(account: place.account, region: place.region, firstMissingDay: a + 1, lastMissingDay: b - 1))
            }
        }
        return gaps.sorted { x, y in
            if x.account != y.account { return x.account.utf8.lexicographicallyPrecedes(y.account.utf8) }
            if x.region != y.region { return x.region.utf8.lexicographicallyPrecedes(y.region.utf8) }
            return x.firstMissingDay < y.firstMissingDay
        }
    }
}
