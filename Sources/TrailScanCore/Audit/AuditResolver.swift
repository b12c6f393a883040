// Turns a merged raw report into the answer (docs/audit.md): resolves
// aliases, folds duplicate cross-account copies, applies the key filters,
// and derives blind spots and lifecycle rows. Runs once, after the scan (or
// after `trailscan merge`), on rows and facts — never per record.

/// A window in which a trail did not log some KMS management events.
public struct BlindSpot: Sendable, Equatable {
    /// Which KMS events the trail did not log.
    public enum Missing: String, Sendable, Equatable {
        /// Every KMS event (logging stopped, trail deleted, KMS excluded).
        case all
        /// Read-only calls: Encrypt, Decrypt, GenerateDataKey, Sign... (a
        /// `WriteOnly` selector).
        case readOnly = "read-only"
        /// Write calls: CreateKey, ScheduleKeyDeletion, PutKeyPolicy... (a
        /// `ReadOnly` selector).
        case write

        /// nil when nothing is missing.
        init?(logsReads: Bool, logsWrites: Bool) {
            switch (logsReads, logsWrites) {
            case (true, true): return nil
            case (false, false): self = .all
            case (true, false): self = .write
            case (false, true): self = .readOnly
            }
        }

        /// For people: "all KMS events", "read-only KMS calls (Encrypt, ...)".
        public var description: String {
            switch self {
            case .all: "all KMS events"
            case .readOnly: "read-only KMS calls (Encrypt, Decrypt, GenerateDataKey, Sign...)"
            case .write: "KMS write calls (CreateKey, ScheduleKeyDeletion, PutKeyPolicy...)"
            }
        }
    }

    public var trail: String
    public var account: String
    public var region: String
    public var from: Int64
    /// nil while still excluded at the end of the scan.
    public var until: Int64?
    public var missing: Missing = .all
    /// The call that opened the window: PutEventSelectors, StopLogging or
    /// DeleteTrail.
    public var cause = SelectorChange.Cause.putEventSelectors.rawValue
}

/// The resolved result of a scan.
public struct AuditResult: Sendable {
    /// Rows keyed by every kept dimension, aliases resolved, copies folded,
    /// key filters applied; rows with no call left are dropped.
    public var rows = RowTable()
    /// Records folded as duplicate copies of a cross-account call.
    public var duplicatesFolded: UInt64 = 0
    /// Aliases that named calls but never resolved, with those calls.
    public var unresolvedAliases: [(alias: String, calls: UInt64)] = []
    public var aliasIntervals: [AliasInterval] = []
    public var blindSpots: [BlindSpot] = []
    /// The latest time of a selected record (folded copies included).
    public var latestEventTime: Int64?
    /// The earliest time of a counted record (with tracked times; nil
    /// otherwise): with `latestEventTime`, the scanned period.
    public var earliestEventTime: Int64?
    /// The key filters, for keys that come from elsewhere (an inventory).
    var keyMatcher: KeyMatcher?
    /// Lifecycle calls (failed ones too), sorted by time, key, event name,
    /// principal, error code, detail, flags.
    public var lifecycle: [LifecycleEvent] = []
}

public enum AuditResolver {
    public static func resolve(_ report: UsageReport, plan: ScanPlan) -> AuditResult {
        var result = AuditResult()
        result.latestEventTime = report.latestEventTime
        var rows = report.rows
        let timeline = AliasTimeline(report.facts.aliasChanges, observations: report.facts.aliasObservations)
        let keyMatcher = KeyMatcher(plan.keyFilter, timeline: timeline)
        // Calls made through an alias that `--key` names: admitted whatever
        // key the alias pointed to then (direct calls on that key are not).
        var throughNamedAlias: [UsageReport.RowKey: CallCounts] = [:]
        var intervalCalls: [String: [Int: UInt64]] = [:]
        var unresolved: [String: UInt64] = [:]

        /// The keys a call counts under once its aliases are resolved (when
        /// the plan resolves them): each alias in force at `time` becomes its
        /// key, and a key named twice counts once.
        func resolvedKeys(_ keys: [String], at time: Int64?) -> [(key: String, alias: String?, interval: Int?)] {
            var out: [(key: String, alias: String?, interval: Int?)] = []
            for key in keys {
                var entry: (key: String, alias: String?, interval: Int?) = (key, nil, nil)
                if plan.resolvesAliases, let (index, target) = timeline.interval(of: key, at: time) {
                    entry = (target, key, index)
                }
                if !out.contains(where: { $0.key.utf8.elementsEqual(entry.key.utf8) }) { out.append(entry) }
            }
            return out
        }

        func count(_ call: DeferredCall) {
            for entry in resolvedKeys(call.keys, at: call.time) {
                var row = call.row
                row.key = entry.key
                if keyMatcher.active, let alias = entry.alias, keyMatcher.aliasARNs.contains(alias) {
                    throughNamedAlias[row, default: CallCounts()].add(call.counts)
                } else {
                    rows.add(row, call.counts)
                }
                if let alias = entry.alias, let index = entry.interval {
                    intervalCalls[alias, default: [:]][index, default: 0] += call.counts.calls
                } else if plan.resolvesAliases && Self.isAliasARN(entry.key) {
                    unresolved[entry.key, default: 0] += call.counts.calls
                }
            }
        }

        // Calls that named an alias, attributed to the key at their time.
        for call in report.facts.aliasUses { count(call) }

        // Copies of one cross-account call in two accounts: keep one, the
        // caller's (its `userIdentity` is the caller's whole identity; the
        // key owner's copy usually names only the caller's account), and
        // fold the others. Without the caller's copy, the owner's.
        var lifecycle = report.facts.lifecycle
        for (_, copies) in Dictionary(grouping: report.facts.sharedCopies, by: \.eventID) {
            let accounts = Set(copies.map(\.recipientAccount))
            var kept: String?
            if plan.foldsDuplicates && accounts.count > 1 {
                let callers = copies.filter { !$0.callerAccount.isEmpty && $0.recipientAccount == $0.callerAccount }
                    .map(\.recipientAccount)
                let owners = copies.filter { copy in
                    resolvedKeys(copy.call.keys, at: copy.call.time).first.map {
                        KMSKeyReference.ownerAccount(ofARN: $0.key) == copy.recipientAccount
                    } ?? false
                }.map(\.recipientAccount)
                let candidates = !callers.isEmpty ? callers : !owners.isEmpty ? owners : Array(accounts)
                kept = candidates.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            }
            for copy in copies {
                if let kept, copy.recipientAccount != kept {
                    result.duplicatesFolded += 1
                    continue
                }
                count(copy.call)
                lifecycle += copy.lifecycle
            }
        }

        if plan.tracksTimes {
            // Before the key filters: the period is the trail's, not the keys'.
            func note(_ counts: CallCounts) {
                guard counts.hasTimes else { return }
                result.earliestEventTime = min(result.earliestEventTime ?? counts.firstSeen, counts.firstSeen)
            }
            rows.forEachCounts(note)  // every part's rows: no merge needed for a minimum
            throughNamedAlias.values.forEach(note)
        }
        if keyMatcher.isActive { result.keyMatcher = keyMatcher }
        if keyMatcher.isActive || result.duplicatesFolded > 0 {
            // Decided once per (key, caller account) pair, not per row: a
            // key has millions of rows when grouped by principal.
            struct Pair: Hashable { var part: Int, key: UInt32, caller: UInt32 }
            var decided: [Pair: Bool] = [:]
            result.rows = rows.filterSlots { slots, counts, part, values in
                guard counts.calls > 0 else { return false }
                guard keyMatcher.isActive else { return true }
                let pair = Pair(part: part, key: slots[RowSlots.keySlot], caller: slots[RowSlots.callerAccountSlot])
                if let known = decided[pair] { return known }
                let admitted = keyMatcher.admitsKey(values.string(pair.key), caller: values.string(pair.caller))
                decided[pair] = admitted
                return admitted
            }
            for (row, counts) in throughNamedAlias
            where counts.calls > 0 && keyMatcher.admitsCaller(of: row.key, row.callerAccount) {
                result.rows.add(row, counts)
            }
        } else {
            result.rows = rows  // every row has a call: nothing to drop, no copy
        }
        result.unresolvedAliases = unresolved.filter { $0.value > 0 && keyMatcher.admitsKey($0.key, caller: nil) }
            .map { (alias: $0.key, calls: $0.value) }
            .sorted { $0.alias.utf8.lexicographicallyPrecedes($1.alias.utf8) }
        result.aliasIntervals = timeline.intervals(calls: intervalCalls).sorted { a, b in
            if a.alias != b.alias { return a.alias.utf8.lexicographicallyPrecedes(b.alias.utf8) }
            return a.from != b.from ? a.from < b.from : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        result.blindSpots = blindSpots(report.facts.selectorChanges)
        result.lifecycle = lifecycle.compactMap { event in
            var copy = event
            let entry = resolvedKeys([event.key], at: event.time)[0]
            copy.key = entry.key
            if let alias = entry.alias, keyMatcher.aliasARNs.contains(alias) {
                return keyMatcher.admitsCaller(of: copy.key, copy.callerAccount) ? copy : nil
            }
            return keyMatcher.admitsKey(copy.key, caller: copy.callerAccount) ? copy : nil
        }.sorted(by: lifecycleOrder)
        return result
    }

    static func isAliasARN(_ value: String) -> Bool {
        var copy = value
        return copy.withUTF8 { KMSKeyReference.isAliasARN(UnsafeRawBufferPointer($0)) }
    }

    static func lifecycleOrder(_ a: LifecycleEvent, _ b: LifecycleEvent) -> Bool {
        let at = a.time ?? .min
        let bt = b.time ?? .min
        if at != bt { return at < bt }
        for (x, y) in [
            (a.key, b.key), (a.eventName, b.eventName), (a.principal, b.principal), (a.errorCode, b.errorCode),
            (a.detail, b.detail), (a.flags, b.flags),
        ]
        where !x.utf8.elementsEqual(y.utf8) {
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        return false
    }

    /// Windows in which a trail did not log some KMS management events:
    /// its selectors left out read-only or write events, or all of them,
    /// or logging was stopped, or the trail deleted. A window ends at the
    /// change that restores full logging, or changes what is missing (then
    /// the next window starts). Changes at the same second are applied
    /// together, those that restore logging first.
    public static func blindSpots(_ changes: [SelectorChange]) -> [BlindSpot] {
        struct Trail: Hashable {
            var trail, account, region: String
        }
        func restores(_ change: SelectorChange) -> Bool {
            change.cause == .startLogging || (change.cause == .putEventSelectors && change.logsReads && change.logsWrites)
        }
        var out: [BlindSpot] = []
        let byTrail = Dictionary(grouping: changes) { Trail(trail: $0.trail, account: $0.account, region: $0.region) }
        for (trail, list) in byTrail {
            let sorted = list.sorted { a, b in
                if a.time != b.time { return a.time < b.time }
                if restores(a) != restores(b) { return restores(a) }
                return a.cause.rawValue.utf8.lexicographicallyPrecedes(b.cause.rawValue.utf8)
            }
            var logging = true
            var reads = true
            var writes = true
            var open: BlindSpot?
            var index = 0
            while index < sorted.count {
                let time = sorted[index].time
                var cause: SelectorChange.Cause?
                while index < sorted.count && sorted[index].time == time {
                    let change = sorted[index]
                    switch change.cause {
                    case .putEventSelectors:
                        reads = change.logsReads
                        writes = change.logsWrites
                    case .stopLogging, .deleteTrail: logging = false
                    case .startLogging: logging = true
                    }
                    if !restores(change) { cause = change.cause }
                    index += 1
                }
                let missing = BlindSpot.Missing(logsReads: logging && reads, logsWrites: logging && writes)
                if open?.missing == missing { continue }
                if var window = open {
                    window.until = time
                    out.append(window)
                    open = nil
                }
                if let missing {
                    open = BlindSpot(
                        trail: trail.trail, account: trail.account, region: trail.region, from: time, until: nil,
                        missing: missing, cause: (cause ?? .putEventSelectors).rawValue)
                }
            }
            if let window = open { out.append(window) }
        }
        return out.sorted { a, b in
            for (x, y) in [(a.account, b.account), (a.region, b.region), (a.trail, b.trail)]
            where !x.utf8.elementsEqual(y.utf8) {
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
            return a.from < b.from
        }
    }
}

/// `--key` and `--cross-account` (docs/audit.md).
struct KeyMatcher {
    /// Keys matched whole: key ARNs and alias ARNs given, and the key each
    /// named alias points to at the end of the scan.
    var exactKeys: Set<String> = []
    /// Resource parts matched at the end of an ARN (`key/<id>`, `alias/<name>`).
    var resourceSuffixes: [String] = []
    /// The alias ARNs `--key` names (an alias ARN; for an alias name, that
    /// alias in every account and region the scan knows): calls made
    /// through them are admitted whichever key they resolved to.
    var aliasARNs: Set<String> = []
    let crossAccountOnly: Bool
    let active: Bool

    init(_ filter: KeyFilter, timeline: AliasTimeline) {
        crossAccountOnly = filter.crossAccountOnly
        active = !filter.keys.isEmpty
        for value in filter.keys {
            if AuditResolver.isAliasARN(value) {
                exactKeys.insert(value)  // its own calls while unresolved
                aliasARNs.insert(value)
                if let target = timeline.currentTarget(of: value) { exactKeys.insert(target) }
            } else if value.hasPrefix("alias/") {
                for alias in timeline.aliases where alias.hasSuffix(":" + value) {
                    aliasARNs.insert(alias)
                    if let target = timeline.currentTarget(of: alias) { exactKeys.insert(target) }
                }
                resourceSuffixes.append(value)  // the alias's own (unresolved) ARNs
            } else if value.hasPrefix("arn:") {
                exactKeys.insert(value)
            } else {
                resourceSuffixes.append("key/" + value)
            }
        }
    }

    /// True when some key filter is set.
    var isActive: Bool { active || crossAccountOnly }

    /// `caller` nil: the caller is unknown here (only the key filter applies).
    func admitsKey(_ key: String, caller: String?) -> Bool {
        if active && !exactKeys.contains(key) && !resourceSuffixes.contains(where: { key.hasSuffix(":" + $0) }) {
            return false
        }
        return admitsCaller(of: key, caller)
    }

    /// `--cross-account`: the caller's account differs from the key's.
    func admitsCaller(of key: String, _ caller: String?) -> Bool {
        if crossAccountOnly, let caller {
            let owner = KMSKeyReference.ownerAccount(ofARN: key)
            if caller.isEmpty || owner.isEmpty || caller == owner { return false }
        }
        return true
    }
}
