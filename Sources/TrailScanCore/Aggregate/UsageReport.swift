// The result of a scan as a plain value: mergeable, so a scan can be split
// across workers, processes or machines and combined afterwards.

/// Per-(KMS key, event name) call and error counts, plus the scan's totals.
public struct UsageReport: Sendable, Equatable {
    /// A row of the report: the key ARN (empty for calls with no key) and
    /// the event name.
    public struct RowKey: Hashable, Sendable, Comparable {
        public var key: String
        public var eventName: String

        public init(key: String, eventName: String) {
            self.key = key
            self.eventName = eventName
        }

        /// Byte order of the UTF-8 (not Unicode collation), key first.
        public static func < (a: RowKey, b: RowKey) -> Bool {
            if a.key != b.key { return a.key.utf8.lexicographicallyPrecedes(b.key.utf8) }
            return a.eventName.utf8.lexicographicallyPrecedes(b.eventName.utf8)
        }
    }

    public var rows: [RowKey: CallCounts] = [:]
    /// Records in the files read whole.
    public var records: UInt64 = 0
    /// Of those, records whose eventSource is kms.amazonaws.com.
    public var kmsRecords: UInt64 = 0

    public init() {}

    /// Adds `other`'s rows and record counts.
    public mutating func merge(_ other: UsageReport) {
        records &+= other.records
        kmsRecords &+= other.kmsRecords
        for (key, counts) in other.rows { rows[key, default: CallCounts()].add(counts) }
    }

    /// Rows sorted by key, then event name, in byte order.
    public var sortedRows: [(RowKey, CallCounts)] {
        rows.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Per key: total counts and the per-event rows, busiest key first (ties
    /// by key in byte order); events busiest first, ties by name.
    public var keysByCalls: [KeySummary] {
        var byKey: [String: KeySummary] = [:]
        for (row, counts) in rows {
            byKey[row.key, default: KeySummary(key: row.key)].add(event: row.eventName, counts)
        }
        for key in byKey.keys {
            byKey[key]!.events.sort { a, b in
                a.counts.calls != b.counts.calls
                    ? a.counts.calls > b.counts.calls : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
            }
        }
        return byKey.values.sorted { a, b in
            a.totals.calls != b.totals.calls
                ? a.totals.calls > b.totals.calls : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
    }

    /// One key's totals and events.
    public struct KeySummary: Sendable, Equatable {
        public var key: String
        public var totals = CallCounts()
        public var events: [(name: String, counts: CallCounts)] = []

        init(key: String) { self.key = key }

        mutating func add(event: String, _ counts: CallCounts) {
            totals.add(counts)
            events.append((event, counts))
        }

        public static func == (a: KeySummary, b: KeySummary) -> Bool {
            a.key == b.key && a.totals == b.totals && a.events.elementsEqual(b.events) { $0 == $1 }
        }
    }
}
