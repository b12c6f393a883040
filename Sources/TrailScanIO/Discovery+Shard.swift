// Deterministic sharding of a discovered trail: machines (or array-job
// tasks) that each scan shard K of N cover every file exactly once, and
// `trailscan merge` adds their reports.

import TrailScanCore

extension Discovery {
    /// The part of the files (and of the skipped and failed entries) that
    /// belongs to shard `index` (0-based) of `count`.
    ///
    /// A file's shard is a stable hash (FNV-1a, 64 bits) of its shard key
    /// modulo `count`, so every machine agrees whatever its mount point.
    /// A file of a dedup group that several trails deliver
    /// (`DeliveryGroups`) goes by the hash of its group's account, region
    /// and day instead, so the whole group lands in one shard and its
    /// duplicate copies are compared there. (Every shard walks the whole
    /// trail, so every shard finds the same groups.)
    public func shard(_ index: Int, of count: Int) -> Discovery {
        precondition(count >= 1 && index >= 0 && index < count)
        func mine(_ path: String) -> Bool { Self.shardHash(path) % UInt64(count) == UInt64(index) }
        let groups = DeliveryGroups(files)
        var part = self
        part.files = files.indices.filter { i in
            if let group = groups.groupOfFile[i] {
                return groups.groups[group].key.stableHash % UInt64(count) == UInt64(index)
            }
            return mine(files[i].path)
        }.map { files[$0] }
        part.skipped = skipped.filter(mine)
        part.failures = failures.filter { mine($0.path) }
        return part
    }

    /// The key a path is sharded by: its S3 object key — the path from its
    /// last `AWSLogs/` component on — when it has one; otherwise the path as
    /// found (give every machine the same root then).
    public static func shardKey(_ path: String) -> Substring {
        let bytes = Array(path.utf8)
        let marker = Array("AWSLogs/".utf8)
        var start = bytes.count - marker.count
        while start >= 0 {
            // "AWSLogs/" at the start of the path or right after a slash.
            if (start == 0 || bytes[start - 1] == UInt8(ascii: "/"))
                && bytes[start..<(start + marker.count)].elementsEqual(marker)
            {
                let index = path.utf8.index(path.utf8.startIndex, offsetBy: start)
                return path[index...]
            }
            start -= 1
        }
        return Substring(path)
    }

    static func shardHash(_ path: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in shardKey(path).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
