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

    /// The keys that exist (`--inventory`), for the idle report: no part
    /// of the scan or of a partial, an input of the answer.
    public let inventory: KeyInventory?

    public init(_ partial: Partial, inventory: KeyInventory? = nil) {
        self.partial = partial
        self.inventory = inventory
        result = AuditResolver.resolve(partial.report, plan: partial.request.plan)
        var summary = partial.summary
        summary.selectedRecords = partial.report.selectedRecords
        summary.duplicatesFolded = result.duplicatesFolded
        summary.notes = Self.notes(partial, result)
        self.summary = summary
    }

    /// The idle report's word on the period it judges (docs/audit.md,
    /// "Idle keys"): how long the scanned period is, and whether it is
    /// shorter than `--idle-days`.
    static func idleNotes(_ request: ReportRequest, _ result: AuditResult) -> [String] {
        guard request.report == .idle else { return [] }
        guard let period = result.scannedPeriod else {
            return ["no selected record has a time: no key can be called idle (every key listed is unknown)"]
        }
        let tenths = (period.until - period.from) * 10 / 86_400
        let length = "\(tenths / 10).\(tenths % 10) days, \(UTCTime.iso8601(period.from)) to \(UTCTime.iso8601(period.until))"
        if Int64(request.idleDays) * 86_400 > period.until - period.from {
            return [
                "--idle-days \(request.idleDays) is longer than the scanned period (\(length)): a key with no cryptographic call in it is 'unknown', not idle; scan a longer period to know"
            ]
        }
        return ["the scanned period is \(length); idle means no cryptographic call in its last \(request.idleDays) days"]
    }

    /// Why the answer may look empty: said, never left to be guessed.
    static func notes(_ partial: Partial, _ result: AuditResult) -> [String] {
        let s = partial.summary
        let request = partial.request
        var notes: [String] = []
        let filters = request.describedFields().filter { name, value in
            !value.isEmpty && ["--since", "--until", "--account", "--region", "--event-name", "--principal",
                               "--errors-only", "--read-only", "--key", "--cross-account"].contains(name)
        }.map { "\($0) \($1)" }.joined(separator: ", ")
        if let n = partial.coverage.shardCount, partial.coverage.shards.count < n {
            let missing = (1...n).filter { !partial.coverage.shards.contains($0) }
            notes.append(
                "this answer covers shard(s) \(partial.coverage.shards.map { "\($0)/\(n)" }.joined(separator: ", ")) only; "
                    + "the files of shard(s) \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) are not in it")
        }
        if s.files == 0 && s.filesFailed > 0 {
            notes.append("no log file could be read: every one failed (the reasons are listed)")
        } else if s.files == 0 && partial.coverage.shardCount != nil && s.filesSkipped == 0 {
            notes.append("no log file fell in this shard")
        } else if s.files == 0 && !filters.isEmpty {
            notes.append(
                "no log file is left once the filters (\(filters)) rule out the account, region and day folders of the S3 layout")
        } else if s.files == 0 && s.filesSkipped > 0 {
            notes.append("no log file was found: only digest or insight files, which are skipped")
        } else if s.files == 0 {
            notes.append("no log file was found under the given paths")
        } else if s.records == 0 {
            notes.append("the log files hold no records")
        } else if partial.report.selectedRecords == 0 {
            let source = request.source == "kms.amazonaws.com" ? "KMS" : request.source
            notes.append(
                filters.isEmpty
                    ? "no \(source) record was found in \(s.records) records"
                    : "no \(source) record matched the filters (\(filters)) among \(s.records) records")
        } else if request.report == .usage && result.rows.isEmpty && !request.keyFilter.isEmpty {
            notes.append("no call matched the key filters (\(filters))")
        }
        if partial.report.selectedRecords > 0 { notes += idleNotes(request, result) }
        // Folders before --since are not read (the S3 layout prunes them),
        // so a logging change made earlier is unknown: said, not guessed
        // (docs/audit.md, "Blind spots").
        if let since = request.filter.since, s.files > 0 {
            notes.append(
                "blind spots are known only from the logging changes in the files read (from \(UTCTime.date(day: UTCTime.day(since))) on): "
                    + "a trail that stopped logging KMS events before then and did not start again is not reported; scan without --since to see the whole history")
        }
        return notes
    }

    /// The report in `format`, ending with a newline.
    ///
    /// - Parameter top: with the key/event report, only the `top` busiest
    ///   keys (with every event of each); with `--by`, only the `top`
    ///   busiest rows of each value of the first dimension (ties in byte
    ///   order). The counts shown are exact; rows are left out, never
    ///   changed. nil: every row. Other reports take no `top`.
    /// - Parameter embeddingPartial: with `.json`, the partial itself as the
    ///   report's last member, `"partial"`, so that the report is also a
    ///   part `trailscan merge` reads (what `scan --shard K/N -f json`
    ///   writes).
    public func render(_ format: ReportFormat, top: Int? = nil, embeddingPartial: Bool) -> String {
        var text = render(format, top: top)
        guard format == .json && embeddingPartial, text.hasSuffix("\n}\n") else { return text }
        text.removeLast(3)
        text += ",\n  \"partial\": " + partial.json().dropLast() + "\n}\n"
        return text
    }

    /// Writes the report into `stream`: a table report's CSV, NDJSON and
    /// JSON rows one at a time (a `--by` grouping of millions of rows is
    /// never held as text), the others whole.
    public func write(_ format: ReportFormat, top: Int? = nil, embeddingPartial: Bool, to stream: ReportStream) {
        guard format != .html, !partial.request.isKeyEventUsage, !(format == .json && embeddingPartial) else {
            stream.append(render(format, top: top, embeddingPartial: embeddingPartial))
            return
        }
        ReportRenderer.render(
            format, table: tableOfRequest(top: top), summary: summary, failures: partial.failures,
            blindSpots: result.blindSpots, to: stream)
    }

    public func render(_ format: ReportFormat, top: Int? = nil) -> String {
        if format == .html { return htmlPage() }
        guard partial.request.isKeyEventUsage else {
            return ReportRenderer.render(
                format, table: tableOfRequest(top: top), summary: summary, failures: partial.failures,
                blindSpots: result.blindSpots)
        }
        var report = result.keyEventReport(base: partial.report)
        var keysLeftOut = 0
        if let top {
            let keys = ReportRenderer.keysByCalls(report)
            let kept = Set(keys.prefix(top).map(\.key))
            keysLeftOut = keys.count - kept.count
            report.rows = report.rows.filter { row, _ in kept.contains(row.key) }
        }
        var text = ReportRenderer.render(
            format, report: report, summary: summary, failures: partial.failures,
            blindSpots: result.blindSpots, unresolvedAliases: result.unresolvedAliases)
        if format == .table && keysLeftOut > 0, let top {
            let note = "… \(keysLeftOut) more key(s) not shown (--top \(top)); -f csv lists every one\n"
            // After the rows, before the summary block.
            text.replace("\n\n", with: "\n" + note + "\n", maxReplacements: 1)
        }
        return text
    }

    /// The table of a report other than the key/event counts.
    func tableOfRequest(top: Int? = nil) -> ReportTable {
        let request = partial.request
        switch request.report {
        case .usage: return result.groupedTable(by: request.grouping, times: request.times, top: top)
        case .idle: return result.idleTable(days: request.idleDays, inventory: inventory, filter: request.filter)
        case .lifecycle: return result.lifecycleTable()
        case .aliases: return result.aliasTable()
        case .blindSpots: return result.blindSpotTable()
        case .gaps: return ReportTable.deliveryGaps(deliveryGaps)
        }
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
