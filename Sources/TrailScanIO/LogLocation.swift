// What a log file's S3 key says about it: the account, region and delivery
// day of `AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>`.
// Filters prune on it without opening files, and delivery gaps are found
// from it.

import TrailScanCore

/// The account, region and delivery day of a log file in the S3 layout.
public struct LogLocation: Sendable, Equatable {
    public var account: String
    public var region: String
    /// Days since 1970-01-01 (UTC).
    public var day: Int64

    /// The location of `path`, or nil when it is not in the layout.
    public init?(path: String) {
        guard let (parts, trail) = Self.components(of: path) else { return nil }
        self.init(parts: parts, trail: trail)
    }

    /// The location from `components(of:)`.
    init?(parts: [Substring], trail: Int) {
        guard trail + 5 < parts.count else { return nil }
        let date = "\(parts[trail + 2])-\(parts[trail + 3])-\(parts[trail + 4])"
        guard let midnight = UTCTime.parse(date, allowDateOnly: true) else { return nil }
        account = String(parts[trail - 1])
        region = String(parts[trail + 1])
        day = UTCTime.day(midnight)
    }

    /// The components of `path` and the index of its `CloudTrail` folder, when
    /// the path runs `.../AWSLogs/[o-id/]<account>/CloudTrail...`.
    static func components(of path: String) -> (parts: [Substring], trail: Int)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let logs = parts.lastIndex(of: "AWSLogs"), let trail = parts[logs...].firstIndex(of: "CloudTrail"),
            trail - 1 > logs
        else { return nil }
        return (parts, trail)
    }
}

/// Which files the record filters can rule out from their location alone.
public struct LayoutPruning: Sendable {
    public var accounts: Set<String> = []
    public var regions: Set<String> = []
    /// Files delivered on a day before this one hold no record at or after
    /// `--since` (a file is delivered after the records it holds).
    public var firstDay: Int64?

    public init(filter: RecordFilter) {
        accounts = Set(filter.accounts)
        regions = Set(filter.regions)
        firstDay = filter.since.map(UTCTime.day)
    }

    /// True when some filter can prune.
    public var isActive: Bool { !accounts.isEmpty || !regions.isEmpty || firstDay != nil }

    /// False when no file below the folder `path` can hold a selected
    /// record: an account or region folder of the layout outside the
    /// filters, or a year, month or day folder wholly before `--since`.
    public func admitsFolder(_ path: String) -> Bool {
        guard isActive else { return true }
        guard let (parts, trail) = LogLocation.components(of: path) else { return true }
        if !accounts.isEmpty && !accounts.contains(String(parts[trail - 1])) { return false }
        let depth = parts.count - trail - 1  // folders below CloudTrail/
        if depth >= 1 && !regions.isEmpty && !regions.contains(String(parts[trail + 1])) { return false }
        guard depth >= 2, let firstDay else { return true }
        let (year, month, day) = UTCTime.civil(fromDay: firstDay)
        guard let y = Int(parts[trail + 2]) else { return true }
        if depth == 2 || y != year { return y >= year }
        guard let m = Int(parts[trail + 3]) else { return true }
        if depth == 3 || m != month { return m >= month }
        guard let d = Int(parts[trail + 4]) else { return true }
        return d >= day
    }
}

extension Discovery {
    /// The days on which a log file of this discovery was delivered, per
    /// account and region (the facts `--report gaps` is computed from).
    public var deliveredDays: Set<DeliveredDay> {
        var days = Set<DeliveredDay>()
        for file in files {
            guard let location = LogLocation(path: file.path) else { continue }
            days.insert(DeliveredDay(account: location.account, region: location.region, day: location.day))
        }
        return days
    }
}
