// Which key each alias pointed to, and when (docs/audit.md, "Alias
// resolution"): built after the scan from every alias change and every
// alias → key mapping that calls showed, so files and records may arrive in
// any order.

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
    /// Per alias ARN: the mappings calls showed before its first change (or
    /// throughout, without changes), one per key, widened over every
    /// observation of that key, in order of `first` (then key).
    var learned: [String: [AliasObservation]] = [:]

    init(_ all: [AliasChange], observations: [AliasObservation] = []) {
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
        // Spans of one alias and key widened into one (whatever the split
        // into workers and partials), then kept only when they start before
        // the alias's first change: an observation tells the mapping only
        // where no change governs it; later ones repeat what changes say.
        var spans: [String: [String: AliasObservation]] = [:]
        for observation in observations {
            if var known = spans[observation.alias]?[observation.key] {
                known.first = min(known.first, observation.first)
                known.last = max(known.last, observation.last)
                spans[observation.alias]![observation.key] = known
            } else {
                spans[observation.alias, default: [:]][observation.key] = observation
            }
        }
        for (alias, byKey) in spans {
            let firstChange = changes[alias]?.first?.time
            let kept = byKey.values.filter { firstChange == nil || $0.first < firstChange! }
            guard !kept.isEmpty else { continue }
            learned[alias] = kept.sorted { a, b in
                a.first != b.first ? a.first < b.first : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
            }
        }
    }

    /// The interval in force for `alias` at `time` when it maps the alias
    /// to a key, else nil. Change intervals have index ≥ 0 (the change's);
    /// learned ones index -1 - i (the i-th learned mapping of the alias).
    func interval(of alias: String, at time: Int64?) -> (index: Int, key: String)? {
        guard let time else { return nil }
        let list = changes[alias] ?? []
        // The last change at or before `time` (binary search).
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        if low > 0 {
            guard let key = list[low - 1].target else { return nil }
            return (low - 1, key)
        }
        return learnedMapping(of: alias, at: time)
    }

    /// Before the first change: the mapping calls showed. The one whose
    /// span holds `time` (the latest to start, if several); else the one
    /// seen last before `time`; else the first seen after it.
    func learnedMapping(of alias: String, at time: Int64) -> (index: Int, key: String)? {
        guard let list = learned[alias], !list.isEmpty else { return nil }
        var best: Int?
        for (i, span) in list.enumerated() where span.first <= time && time <= span.last {
            if best == nil || list[best!].first < span.first { best = i }
        }
        if best == nil {
            for (i, span) in list.enumerated() where span.last < time {
                if best == nil || list[best!].last < span.last { best = i }
            }
        }
        if best == nil { best = list.indices.first { list[$0].first > time } }
        guard let best else { return nil }
        return (-1 - best, list[best].key)
    }

    /// The key `alias` points to at the end of the scan: its last change's
    /// target (none after a DeleteAlias), else, without changes, the key
    /// calls showed last.
    func currentTarget(of alias: String) -> String? {
        if let last = changes[alias]?.last { return last.target }
        return learned[alias]?.max { a, b in a.last != b.last ? a.last < b.last : b.key.utf8.lexicographicallyPrecedes(a.key.utf8) }?.key
    }

    /// Every alias ARN the scan knows (changed or seen in calls).
    var aliases: Set<String> { Set(changes.keys).union(learned.keys) }

    /// The mapping intervals, with `calls[alias][index]` attributed. A
    /// learned mapping runs from the first call that showed it until the
    /// alias's first change (nil when it has none).
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
        for (alias, list) in learned {
            for (i, span) in list.enumerated() {
                out.append(
                    AliasInterval(
                        alias: alias, key: span.key, from: span.first, until: changes[alias]?.first?.time,
                        calls: calls[alias]?[-1 - i] ?? 0))
            }
        }
        return out
    }
}
