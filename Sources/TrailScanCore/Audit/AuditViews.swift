// The resolved result seen through each report of docs/audit.md: the
// engine's key/event rows, `--by` groupings, and the side reports.

/// Days with no log file for an account and region that has files before
/// and after (day numbers since 1970-01-01, inclusive).
public struct DeliveryGap: Sendable, Equatable {
    public var account: String
    public var region: String
    public var firstMissingDay: Int64
    public var lastMissingDay: Int64

    public init(account: String, region: String, firstMissingDay: Int64, lastMissingDay: Int64) {
        self.account = account
        self.region = region
        self.firstMissingDay = firstMissingDay
        self.lastMissingDay = lastMissingDay
    }
}

extension AuditResult {
    /// The rows summed over every dimension but those of `dimensions`, in
    /// byte order of their values (as Strings: for small groupings).
    public func grouped(by dimensions: [GroupingDimension]) -> [(values: [String], counts: CallCounts)] {
        GroupedRows(rows, by: dimensions).materialized
    }

    /// The engine's report shape (key and event name), for the default
    /// grouping's renderers; totals from `base`.
    public func keyEventReport(base: UsageReport) -> UsageReport {
        var report = UsageReport()
        report.records = base.records
        report.kmsRecords = base.kmsRecords
        report.selectedRecords = base.selectedRecords
        report.rows = rows.projected(onto: [RowSlots.keySlot, RowSlots.eventSlot])
        return report
    }

    /// `--by` (and `--times`). With `top`, the `top` busiest rows of each
    /// value of the first dimension, and (with two or more dimensions) a
    /// `group_rows` column: how many rows that value has in all.
    public func groupedTable(by dimensions: [GroupingDimension], times: Bool, top: Int? = nil) -> ReportTable {
        var columns = dimensions.map { ReportTable.Column($0.column, json: $0.jsonName) }
        columns += [.init("calls", json: "calls"), .init("errors", json: "errors")]
        if times { columns += [.init("first_seen", json: "firstSeen"), .init("last_seen", json: "lastSeen")] }
        let showsGroupSize = top != nil && dimensions.count > 1
        if showsGroupSize { columns.append(.init("group_rows", json: "groupRows")) }
        var table = ReportTable(name: "rows", columns: columns)
        var grouped = GroupedRows(rows, by: dimensions)
        if let top { grouped.keepBusiest(top) }
        table.grouping = GroupedCells(rows: grouped, times: times, groupSize: showsGroupSize)
        return table
    }

    /// `--report idle`: keys with calls but no cryptographic call in the
    /// last `days` days of the scanned period (needs tracked times).
    public func idleTable(days: Int) -> ReportTable {
        var table = ReportTable(
            name: "idleKeys",
            columns: [
                .init("key", json: "key"), .init("last_crypto_use", json: "lastCryptoUse"),
                .init("last_seen", json: "lastSeen"), .init("calls", json: "calls"),
            ])
        guard let end = latestEventTime else { return table }
        let cutoff = end - Int64(days) * 86_400
        var keys: [String: (crypto: Int64, seen: Int64, calls: UInt64)] = [:]
        for (row, counts) in rows.projected(onto: [RowSlots.keySlot, RowSlots.eventSlot]) where !row.key.isEmpty {
            var entry = keys[row.key] ?? (.min, .min, 0)
            if AuditEventNames.cryptographic.contains(row.eventName) { entry.crypto = max(entry.crypto, counts.lastSeen) }
            entry.seen = max(entry.seen, counts.lastSeen)
            entry.calls += counts.calls
            keys[row.key] = entry
        }
        for (key, entry) in keys.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
        where entry.crypto < cutoff {
            table.rows.append([
                .text(key), entry.crypto == .min ? .none : .time(entry.crypto),
                entry.seen == .min ? .none : .time(entry.seen), .count(entry.calls),
            ])
        }
        return table
    }

    /// `--report lifecycle`.
    public func lifecycleTable() -> ReportTable {
        ReportTable(
            name: "lifecycle",
            columns: [
                .init("time", json: "time"), .init("key", json: "key"), .init("event_name", json: "eventName"),
                .init("principal", json: "principal"),
            ],
            rows: lifecycle.map { [$0.time.map(ReportCell.time) ?? .none, .text($0.key), .text($0.eventName), .text($0.principal)] })
    }

    /// `--report aliases`: mapping intervals, then unresolved aliases.
    public func aliasTable() -> ReportTable {
        var table = ReportTable(
            name: "aliases",
            columns: [
                .init("alias", json: "alias"), .init("key", json: "key"), .init("from", json: "from"),
                .init("until", json: "until"), .init("calls", json: "calls"),
            ])
        var rowsByAlias: [(String, [ReportCell])] = aliasIntervals.map { interval in
            (interval.alias, [
                .text(interval.alias), .text(interval.key), .time(interval.from),
                interval.until.map(ReportCell.time) ?? .none, .count(interval.calls),
            ])
        }
        rowsByAlias += unresolvedAliases.map { ($0.alias, [.text($0.alias), .text(""), .none, .none, .count($0.calls)]) }
        // Stable by alias: intervals (already in time order) before the unresolved row.
        table.rows = rowsByAlias.enumerated().sorted { a, b in
            a.element.0 == b.element.0 ? a.offset < b.offset : a.element.0.utf8.lexicographicallyPrecedes(b.element.0.utf8)
        }.map(\.element.1)
        return table
    }

    /// `--report blind-spots`.
    public func blindSpotTable() -> ReportTable {
        ReportTable(
            name: "blindSpots",
            columns: [
                .init("trail", json: "trail"), .init("account", json: "account"), .init("region", json: "region"),
                .init("from", json: "from"), .init("until", json: "until"), .init("missing", json: "missing"),
                .init("cause", json: "cause"),
            ],
            rows: blindSpots.map {
                [.text($0.trail), .text($0.account), .text($0.region), .time($0.from), $0.until.map(ReportCell.time) ?? .none,
                 .text($0.missing.rawValue), .text($0.cause)]
            })
    }
}

extension ReportTable {
    /// `--report gaps`.
    public static func deliveryGaps(_ gaps: [DeliveryGap]) -> ReportTable {
        ReportTable(
            name: "deliveryGaps",
            columns: [
                .init("account", json: "account"), .init("region", json: "region"), .init("from", json: "from"),
                .init("until", json: "until"),
            ],
            rows: gaps.map {
                [.text($0.account), .text($0.region), .text(UTCTime.date(day: $0.firstMissingDay)),
                 .text(UTCTime.date(day: $0.lastMissingDay))]
            })
    }
}
