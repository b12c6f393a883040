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

    /// The scanned period, from the earliest to the latest time of a
    /// selected record (nil when no record had a time).
    public var scannedPeriod: (from: Int64, until: Int64)? {
        guard let until = latestEventTime, let from = earliestEventTime else { return nil }
        return (min(from, until), until)
    }

    /// `--report idle` (docs/audit.md, "Idle keys"): keys with no
    /// cryptographic call in the last `days` days of the scanned period,
    /// from the trail's keys and the `inventory`'s. A key the trail shows
    /// deleted is not idle; a key with no cryptographic call in the whole
    /// period is `idle` only when the period is at least `days` long, else
    /// `unknown` (its last use may lie before the trail). `filter`: the
    /// request's `--account` / `--region`, applied to inventory keys by
    /// their ARN (trail keys already passed them record by record).
    public func idleTable(days: Int, inventory: KeyInventory? = nil, filter: RecordFilter = RecordFilter()) -> ReportTable {
        var table = ReportTable(
            name: "idleKeys",
            columns: [
                .init("key", json: "key"), .init("last_crypto_use", json: "lastCryptoUse"),
                .init("last_seen", json: "lastSeen"), .init("calls", json: "calls"), .init("verdict", json: "verdict"),
                .init("key_manager", json: "keyManager"), .init("key_state", json: "keyState"), .init("note", json: "note"),
            ])
        let window = Int64(days) * 86_400
        let period = scannedPeriod
        let coversWindow = period.map { $0.until - $0.from >= window } ?? false
        let cutoff = period.map { $0.until - window }
        var uses = idleKeyUses()
        if let inventory {
            for key in inventory.keys where uses[key.arn] == nil && admitsInventoryKey(key.arn, filter) {
                uses[key.arn] = IdleKeyUse(inTrail: false)
            }
        }
        for (key, use) in uses.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) where !use.deleted {
            if let cutoff, use.crypto != .min, use.crypto >= cutoff { continue }
            let verdict = use.crypto != .min || coversWindow ? "idle" : "unknown"
            var notes: [String] = []
            if use.publicKey != .min {
                notes.append("public key possibly used outside KMS (GetPublicKey, last \(UTCTime.iso8601(use.publicKey)))")
            }
            if !use.inTrail {
                notes.append("no event in the scanned period")
            } else if use.crypto == .min {
                notes.append("no cryptographic call in the scanned period; earlier use unknown")
            }
            let listed = inventory?.key(key)
            table.rows.append([
                .text(key), use.crypto == .min ? .none : .time(use.crypto),
                use.seen == .min ? .none : .time(use.seen), .count(use.calls), .text(verdict),
                .text(listed?.manager ?? ""), .text(listed?.state ?? ""), .text(notes.joined(separator: "; ")),
            ])
        }
        return table
    }

    /// What the idle report needs of one key, summed over its rows.
    struct IdleKeyUse {
        var inTrail = true
        /// Latest cryptographic call, GetPublicKey, and call of any kind.
        var crypto = Int64.min
        var publicKey = Int64.min
        var seen = Int64.min
        var calls: UInt64 = 0
        /// A successful DeleteKey (KMS deleting the key at the end of its waiting period).
        var deleted = false
    }

    /// Per key (non-empty), from the rows: a small pass that leaves the rows as they are.
    func idleKeyUses() -> [String: IdleKeyUse] {
        var keys: [String: IdleKeyUse] = [:]
        for (row, counts) in rows.projected(onto: [RowSlots.keySlot, RowSlots.eventSlot]) where !row.key.isEmpty {
            var entry = keys[row.key] ?? IdleKeyUse()
            let last = counts.hasTimes ? counts.lastSeen : Int64.min
            if AuditEventNames.cryptographic.contains(row.eventName) { entry.crypto = max(entry.crypto, last) }
            if row.eventName == "GetPublicKey" { entry.publicKey = max(entry.publicKey, last) }
            if row.eventName == "DeleteKey" && counts.calls > counts.errors { entry.deleted = true }
            entry.seen = max(entry.seen, last)
            entry.calls += counts.calls
            keys[row.key] = entry
        }
        return keys
    }

    /// An inventory key passes `--key`, `--account` and `--region` (by its ARN).
    func admitsInventoryKey(_ arn: String, _ filter: RecordFilter) -> Bool {
        if let keyMatcher {
            // `--cross-account` asks for calls across accounts: a key with none is not one.
            if keyMatcher.crossAccountOnly || !keyMatcher.admitsKey(arn, caller: nil) { return false }
        }
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6 else { return false }
        if !filter.accounts.isEmpty && !filter.accounts.contains(fields[4]) { return false }
        if !filter.regions.isEmpty && !filter.regions.contains(fields[3]) { return false }
        return true
    }

    /// `--report lifecycle`: successful and failed calls (`error_code`),
    /// what each asked for (`detail`) and what to look at (`flags`).
    public func lifecycleTable() -> ReportTable {
        ReportTable(
            name: "lifecycle",
            columns: [
                .init("time", json: "time"), .init("key", json: "key"), .init("event_name", json: "eventName"),
                .init("principal", json: "principal"), .init("error_code", json: "errorCode"),
                .init("detail", json: "detail"), .init("flags", json: "flags"),
            ],
            rows: lifecycle.map {
                [$0.time.map(ReportCell.time) ?? .none, .text($0.key), .text($0.eventName), .text($0.principal),
                 .text($0.errorCode), .text($0.detail), .text($0.flags)]
            })
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
