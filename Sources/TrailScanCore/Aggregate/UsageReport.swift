// The result of a scan as a plain value: mergeable, so a scan can be split
// across workers, processes or machines and combined afterwards. It holds
// the raw counts (aliases not yet resolved, cross-account copies not yet
// folded) and the rare facts that resolving needs; `AuditResolver` turns a
// merged report into the answer.

/// Per-row call and error counts, plus the scan's totals and facts.
public struct UsageReport: Sendable, Equatable {
    /// A row of the report: its dimension values. `key` (a key ARN, an
    /// alias ARN, or empty for calls with no key) and `eventName` are always
    /// kept; the others are empty unless the scan's plan groups by them.
    public struct RowKey: Hashable, Sendable, Comparable {
        public var key: String
        public var eventName: String
        public var principal = ""
        public var identityType = ""
        public var callerAccount = ""
        public var region = ""
        public var errorCode = ""
        /// `YYYY-MM-DD` (UTC), empty when unknown or not grouped by day.
        public var day = ""
        /// The service that called on the principal's behalf.
        public var via = ""
        /// The role whose session called (`sessionIssuer.arn`).
        public var role = ""
        /// The resource the encryption context names.
        public var resource = ""

        public init(key: String, eventName: String) {
            self.key = key
            self.eventName = eventName
        }

        /// Every value, in a fixed order (equality, hashing and ordering
        /// work on these bytes).
        var values: [String] {
            [key, eventName, principal, identityType, callerAccount, region, errorCode, day, via, role, resource]
        }

        /// The value of `dimension` (`owner-account` is derived from the key).
        public func value(of dimension: GroupingDimension) -> String {
            switch dimension {
            case .key: key
            case .event: eventName
            case .principal: principal
            case .identityType: identityType
            case .callerAccount: callerAccount
            case .ownerAccount: KMSKeyReference.ownerAccount(ofARN: key)
            case .region: region
            case .errorCode: errorCode
            case .day: day
            case .via: via
            case .role: role
            case .resource: resource
            case .resourceService: ResourceContext.service(ofResource: resource)
            }
        }

        /// Equal when the UTF-8 bytes are equal. (String's own `==` treats
        /// canonically equivalent spellings, like a precomposed and a
        /// decomposed "é", as equal, which would merge distinct keys.)
        public static func == (a: RowKey, b: RowKey) -> Bool {
            same(a.key, b.key) && same(a.eventName, b.eventName) && same(a.principal, b.principal)
                && same(a.identityType, b.identityType) && same(a.callerAccount, b.callerAccount)
                && same(a.region, b.region) && same(a.errorCode, b.errorCode) && same(a.day, b.day) && same(a.via, b.via)
                && same(a.role, b.role) && same(a.resource, b.resource)
        }

        static func same(_ a: String, _ b: String) -> Bool {
            a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
        }

        public func hash(into hasher: inout Hasher) {
            func combine(_ value: String) {
                hasher.combine(value.utf8.count)
                var copy = value  // native UTF-8 storage: one combine of the whole buffer
                copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            }
            combine(key)
            combine(eventName)
            combine(principal)
            combine(identityType)
            combine(callerAccount)
            combine(region)
            combine(errorCode)
            combine(day)
            combine(via)
            combine(role)
            combine(resource)
        }

        /// Byte order of the UTF-8 (not Unicode collation), key first.
        public static func < (a: RowKey, b: RowKey) -> Bool {
            for (x, y) in zip(a.values, b.values) where !x.utf8.elementsEqual(y.utf8) {
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
            return false
        }
    }

    public var rows = RowTable()
    /// Records in the files read whole.
    public var records: UInt64 = 0
    /// Of those, records whose eventSource is kms.amazonaws.com.
    public var kmsRecords: UInt64 = 0
    /// Records of the plan's source that passed its record filters.
    public var selectedRecords: UInt64 = 0
    /// The latest `eventTime` of a selected record, when times were tracked
    /// (the end of the scanned period for `--report idle`).
    public var latestEventTime: Int64?
    /// What alias resolution, folding and the side reports need.
    public var facts = AuditFacts()

    public init() {}

    /// Adds `other`'s rows, record counts and facts.
    public mutating func merge(_ other: UsageReport) {
        records &+= other.records
        kmsRecords &+= other.kmsRecords
        selectedRecords &+= other.selectedRecords
        if let time = other.latestEventTime { latestEventTime = max(latestEventTime ?? time, time) }
        rows.merge(other.rows)
        facts.merge(other.facts)
    }
}
