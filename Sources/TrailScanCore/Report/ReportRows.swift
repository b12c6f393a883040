// The rows every format shows, in the two orders the formats use: byte order
// (CSV, NDJSON, JSON event maps) and busiest first (JSON keys, the table).

/// One (key, event name) row with at least one call.
struct ReportRow {
    var key: String
    var eventName: String
    var counts: CallCounts
}

/// One key's rows and their totals.
struct ReportKey {
    var key: String
    var totals: CallCounts
    /// The key's events in byte order of name.
    var events: [(name: String, counts: CallCounts)]
}

extension ReportRenderer {
    /// True when `a` sorts before `b` in byte order of their UTF-8.
    ///
    /// Compares bytes, never `String` ordering or equality: `String`'s `==`
    /// is canonical equivalence, so two keys spelled with different bytes
    /// could otherwise compare equal.
    static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// True when `a` and `b` are the same bytes.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// The rows with at least one call, sorted by key, then event name, in
    /// byte order of the UTF-8.
    static func sortedRows(_ report: UsageReport) -> [ReportRow] {
        var rows: [ReportRow] = []
        rows.reserveCapacity(report.rows.count)
        for (row, counts) in report.rows where counts.calls > 0 {
            rows.append(ReportRow(key: row.key, eventName: row.eventName, counts: counts))
        }
        rows.sort { a, b in
            sameBytes(a.key, b.key) ? bytesPrecede(a.eventName, b.eventName) : bytesPrecede(a.key, b.key)
        }
        return rows
    }

    /// The keys with at least one call, busiest first (ties: key in byte
    /// order), each with its events in byte order of name.
    ///
    /// Totals saturate at `UInt64.max` instead of trapping. Real totals are
    /// bounded by the records read, so they never get there; hand-built
    /// reports might.
    static func keysByCalls(_ report: UsageReport) -> [ReportKey] {
        var keys: [ReportKey] = []
        for row in sortedRows(report) {
            if let last = keys.indices.last, sameBytes(keys[last].key, row.key) {
                keys[last].totals = saturatingSum(keys[last].totals, row.counts)
                keys[last].events.append((row.eventName, row.counts))
            } else {
                keys.append(ReportKey(key: row.key, totals: row.counts, events: [(row.eventName, row.counts)]))
            }
        }
        // Index tie-break: keys are in byte order already, so this keeps
        // ties in byte order without relying on sort stability.
        return keys.enumerated().sorted { a, b in
            a.element.totals.calls != b.element.totals.calls
                ? a.element.totals.calls > b.element.totals.calls : a.offset < b.offset
        }.map(\.element)
    }

    /// The failures sorted by path, then error, in byte order: workers
    /// finish in any order, the report must not depend on it.
    static func sortedFailures(_ failures: [FileFailure]) -> [FileFailure] {
        failures.sorted { a, b in
            sameBytes(a.path, b.path) ? bytesPrecede(a.error, b.error) : bytesPrecede(a.path, b.path)
        }
    }

    static func saturatingSum(_ a: CallCounts, _ b: CallCounts) -> CallCounts {
        let calls = a.calls.addingReportingOverflow(b.calls)
        let errors = a.errors.addingReportingOverflow(b.errors)
        return CallCounts(
            calls: calls.overflow ? .max : calls.partialValue,
            errors: errors.overflow ? .max : errors.partialValue
        )
    }
}
