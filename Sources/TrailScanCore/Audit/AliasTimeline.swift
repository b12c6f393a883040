// Which key each alias pointed to, and when (docs/audit.md, "Alias
// resolution"): built from every alias change of the scan after the scan,
// so files and records may arrive in any order.

/// One alias → key mapping interval.
public struct AliasInterval: Sendable, Equatable {
    public var alias: String
    public var key: String
    public var from: Int64
    /// nil while still mapped at the end of the scan.
    public var until: Int64?
    /// Calls attributed through this interval.
    public var calls: UInt64
}

struct AliasTimeline {
    /// Per alias ARN: its changes in order.
    var changes: [String: [AliasChange]] = [:]

    init(_ all: [AliasChange]) {
        for change in all { changes[change.alias, default: []].append(change) }
        for alias in changes.keys {
            changes[alias]!.sort { a, b in
                if a.time != b.time { return a.time < b.time }
                // Same second: Create/Update before Delete, then by target.
                let aDeletes = a.target == nil
                let bDeletes = b.target == nil
                if aDeletes != bDeletes { return bDeletes }
                return (a.target ?? "").utf8.lexicographicallyPrecedes((b.target ?? "").utf8)
            }
        }
    }

    /// The index of the change in force for `alias` at `time` when it maps
    /// the alias to a key, else nil.
    func interval(of alias: String, at time: Int64?) -> (index: Int, key: String)? {
        guard let time, let list = changes[alias] else { return nil }
        // The last change at or before `time` (binary search).
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        guard low > 0, let key = list[low - 1].target else { return nil }
        return (low - 1, key)
    }

    /// Every key an alias pointed to (for `--key alias/...`).
    func targets(of alias: String) -> Set<String> {
        Set((changes[alias] ?? []).compactMap(\.target))
    }

    /// The mapping intervals, with `calls[alias][index]` attributed.
    func intervals(calls: [String: [Int: UInt64]]) -> [AliasInterval] {
        var out: [AliasInterval] = []
        for (alias, list) in changes {
            for (index, change) in list.enumerated() {
                guard let key = change.target else { continue }
                let until = index + 1 < list.count ? list[index + 1].time : nil
                out.append(
                    AliasInterval(
                        alias: alias, key: key, from: change.time, until: until,
                        calls: calls[alias]?[index] ?? 0))
            }
        }
        return out
    }
}
