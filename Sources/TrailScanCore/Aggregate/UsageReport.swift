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

        /// Equal when the UTF-8 bytes are equal. (String's own `==` treats
        /// canonically equivalent spellings, like a precomposed and a
        /// decomposed "é", as equal, which would merge distinct keys.)
        public static func == (a: RowKey, b: RowKey) -> Bool {
            a.key.utf8.elementsEqual(b.key.utf8) && a.eventName.utf8.elementsEqual(b.eventName.utf8)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(key.utf8.count)
            for byte in key.utf8 { hasher.combine(byte) }
            for byte in eventName.utf8 { hasher.combine(byte) }
        }

        /// Byte order of the UTF-8 (not Unicode collation), key first.
        public static func < (a: RowKey, b: RowKey) -> Bool {
            if !a.key.utf8.elementsEqual(b.key.utf8) { return a.key.utf8.lexicographicallyPrecedes(b.key.utf8) }
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
}
