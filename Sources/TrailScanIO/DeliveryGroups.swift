// Which files may hold copies of the same events (docs/audit.md, "Duplicate
// deliveries"). Two trails that deliver one event put it in files of the
// same account, region and day, under different trail prefixes (the path
// before `AWSLogs/`, and the `o-…/` folder of an organization trail). A
// "dedup group" is the files of one (account, region, UTC day) of the S3
// layout; only a group with files under two or more trail prefixes needs
// its eventIDs compared. The scan gives each such group to one worker, in
// a fixed order (`ParallelScan`), a shard keeps it whole
// (`Discovery.shard`), and the `--db` store keeps it in one part.

import TrailScanCore

/// The account, region and day of a log file's S3 layout, across trails.
public struct DedupGroupKey: Hashable, Sendable {
    public var account: String
    public var region: String
    public var day: Int64

    /// FNV-1a 64 of the key (stable across machines; what shards split by).
    var stableHash: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(account)/\(region)/\(day)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}

/// Where a file sits for duplicate folding: its group and its trail.
struct TrailPlace {
    var group: DedupGroupKey
    /// The path's components up to the account folder: the trail prefix
    /// (`…/AWSLogs` or `…/AWSLogs/o-id`), as found on disk.
    var prefix: [Substring]
    var absolute: Bool
    /// The index in `prefix` of its `AWSLogs` component.
    var logsIndex: Int

    init?(path: String) {
        guard let (parts, trail) = LogLocation.components(of: path), let location = LogLocation(parts: parts, trail: trail),
            let logs = parts[..<trail].lastIndex(of: "AWSLogs")
        else { return nil }
        group = DedupGroupKey(account: location.account, region: location.region, day: location.day)
        prefix = Array(parts[..<(trail - 1)])
        absolute = path.hasPrefix("/")
        logsIndex = logs
    }

    var identity: String { (absolute ? "/" : "") + prefix.joined(separator: "/") }
}

/// The dedup groups of a set of files that more than one trail delivers.
public struct DeliveryGroups: Sendable {
    public struct Group: Sendable {
        public var key: DedupGroupKey
        /// Indices into the files, in the order they are scanned: by trail
        /// label, then by path (byte order), so which copy counts does not
        /// depend on workers, shards or the store.
        public var files: [Int]
        /// The trail label of each of `files`: its prefix from the first
        /// component where the group's trail prefixes differ
        /// ("prefixA/AWSLogs", "AWSLogs/o-abc"), so that it does not depend
        /// on where the bucket is mounted.
        public var labels: [String]
        /// Bytes stored (for largest-first scheduling).
        public var size: Int
    }

    public var groups: [Group] = []
    /// For each file, its group's index in `groups`, or nil.
    public var groupOfFile: [Int?] = []

    public var isEmpty: Bool { groups.isEmpty }

    public init() {}

    /// The multi-trail groups of `files`.
    public init(_ files: [DiscoveredFile]) {
        groupOfFile = Array(repeating: nil, count: files.count)
        var places: [DedupGroupKey: [(index: Int, place: TrailPlace)]] = [:]
        for (index, file) in files.enumerated() {
            guard let place = TrailPlace(path: file.path) else { continue }
            places[place.group, default: []].append((index, place))
        }
        for (key, members) in places {
            let identities = Set(members.map(\.place.identity))
            guard identities.count > 1 else { continue }
            // The common leading components, never into AWSLogs.
            var common = members.map(\.place.logsIndex).min()!
            let first = members[0].place
            for member in members.dropFirst() {
                var n = 0
                while n < common && member.place.prefix[n] == first.prefix[n] && member.place.absolute == first.absolute {
                    n += 1
                }
                common = n
            }
            let labelled = members.map { member in
                (member.index, member.place.prefix[common...].joined(separator: "/"))
            }.sorted { a, b in
                a.1 != b.1
                    ? a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
                    : files[a.0].path.utf8.lexicographicallyPrecedes(files[b.0].path.utf8)
            }
            let group = Group(
                key: key, files: labelled.map(\.0), labels: labelled.map(\.1),
                size: labelled.reduce(0) { $0 + files[$1.0].size })
            for index in group.files { groupOfFile[index] = groups.count }
            groups.append(group)
        }
        // A stable order (the scheduler sorts again by size).
        let order = groups.indices.sorted { groups[$0].files[0] < groups[$1].files[0] }
        if order != Array(groups.indices) {
            groups = order.map { groups[$0] }
            for (newIndex, group) in groups.enumerated() { for file in group.files { groupOfFile[file] = newIndex } }
        }
    }
}
