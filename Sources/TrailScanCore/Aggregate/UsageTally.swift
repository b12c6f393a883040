// Per-worker counting: applies docs/counting.md (and the plan's filters and
// dimensions, docs/audit.md) to each scanned record, and keeps the counts of
// the file in progress apart from the committed ones, so that a file that
// fails half-way contributes nothing.

/// One worker's counts: every record it scanned, attributed to KMS keys.
///
/// Not thread-safe: each worker owns one. Workers' tallies are turned into
/// `UsageReport`s and merged once at the end.
public final class UsageTally {
    /// Everything the per-record path touches, in a struct: the scanner
    /// borrows it `inout` once per buffer (`withState`), so the per-record
    /// code has no class property accesses and no dynamic exclusivity checks.
    var state: TallyState

    public init(plan: ScanPlan = .engine, maximumInternedBytes: Int = 1 << 30) {
        state = TallyState(plan: plan, maximumInternedBytes: maximumInternedBytes)
    }

    /// Records and KMS records of the file in progress.
    public var pendingRecords: UInt64 { state.pending.records }
    public var pendingKMSRecords: UInt64 { state.pending.kmsRecords }
    /// Records and KMS records of the files committed so far.
    public var records: UInt64 { state.committed.records }
    public var kmsRecords: UInt64 { state.committed.kmsRecords }

    /// Adds the counts of the file in progress to the committed counts.
    public func commitFile() { state.commitFile() }

    /// Forgets the counts of the file in progress (it failed).
    public func discardFile() { state.discardFile() }

    /// Lends the state to the scanner for one buffer.
    func withState<R, E: Error>(_ body: (inout TallyState) throws(E) -> R) throws(E) -> R {
        try body(&state)
    }

    /// The committed counts as a report, leaving this tally empty: its
    /// interned values and rows are handed over, not copied (a tally of a
    /// million distinct principals holds hundreds of megabytes).
    public func takeReport() -> UsageReport {
        let report = makeReport()
        state = TallyState(plan: state.plan, maximumInternedBytes: state.interner.maximumBytes)
        return report
    }

    /// The committed counts as a mergeable report (rows and facts; the
    /// caller fills in the file totals).
    public func makeReport() -> UsageReport {
        var report = UsageReport()
        report.records = state.committed.records
        report.kmsRecords = state.committed.kmsRecords
        report.selectedRecords = state.committed.selectedRecords
        report.latestEventTime = state.committed.latestTime == .min ? nil : state.committed.latestTime
        report.rows = RowTable(values: state.interner, table: state.committed.table)
        report.facts = state.committed.facts
        for (pair, span) in state.committedAliasObservations {
            report.facts.aliasObservations.append(
                AliasObservation(
                    alias: state.interner.string(UInt32(truncatingIfNeeded: pair >> 32)),
                    key: state.interner.string(UInt32(truncatingIfNeeded: pair)), first: span.first, last: span.last))
        }
        return report
    }
}

/// The counts of one file, or of every committed file.
struct TallyCounts {
    var table = CountTable()
    var records: UInt64 = 0
    var kmsRecords: UInt64 = 0
    var selectedRecords: UInt64 = 0
    /// The latest `eventTime` of a selected record (when times are tracked).
    var latestTime = Int64.min
    var facts = AuditFacts()

    mutating func add(_ other: TallyCounts) {
        latestTime = max(latestTime, other.latestTime)
        table.merge(other.table)
        records &+= other.records
        kmsRecords &+= other.kmsRecords
        selectedRecords &+= other.selectedRecords
        facts.merge(other.facts)
    }

    mutating func removeAll() {
        table.removeAll()
        records = 0
        kmsRecords = 0
        selectedRecords = 0
        latestTime = .min
        if !facts.isEmpty { facts.removeAll() }
    }
}

/// The counting state of one worker (see `UsageTally`).
struct TallyState {
    let plan: ScanPlan
    let rules: PlanRules
    var interner: ByteInterner
    var committed = TallyCounts()
    var pending = TallyCounts()
    /// The eventIDs of the dedup group being scanned; nil outside one (the
    /// usual case: one check per KMS record).
    var deliveries: DeliveryGroupIDs?

    /// The keys of the record being counted, and which of them are alias
    /// ARNs (bit i for key i; rule 3 names at most four keys).
    var keyIDs: [UInt32] = []
    var aliasKeys: UInt64 = 0
    /// Alias → key spans that calls showed (`AliasObservation`), by
    /// (alias id << 32 | key id): one entry per pair, of the file in
    /// progress and of the committed files.
    var pendingAliasObservations: [UInt64: (first: Int64, last: Int64)] = [:]
    var committedAliasObservations: [UInt64: (first: Int64, last: Int64)] = [:]
    var normalized: [UInt8] = []
    let valueScratch = PaddedBuffer(capacity: 256)
    let regionScratch = PaddedBuffer(capacity: 64)
    let accountScratch = PaddedBuffer(capacity: 64)
    let extraScratch = PaddedBuffer(capacity: 256)

    init(plan: ScanPlan, maximumInternedBytes: Int) {
        self.plan = plan
        rules = PlanRules(plan)
        interner = ByteInterner(maximumBytes: maximumInternedBytes)
        _ = interner.intern("")  // id 0: the empty string (unused slots)
        keyIDs.reserveCapacity(8)
        normalized.reserveCapacity(256)
    }

    mutating func commitFile() {
        committed.add(pending)
        pending.removeAll()
        if deliveries != nil { deliveries!.commitFile() }
        if !pendingAliasObservations.isEmpty {
            committedAliasObservations.merge(pendingAliasObservations) { (min($0.first, $1.first), max($0.last, $1.last)) }
            pendingAliasObservations.removeAll(keepingCapacity: true)
        }
    }

    mutating func discardFile() {
        pending.removeAll()
        if deliveries != nil { deliveries!.discardFile() }
        if !pendingAliasObservations.isEmpty { pendingAliasObservations.removeAll(keepingCapacity: true) }
    }

    /// The report row of interned slots.
    func rowKey(_ slots: RowSlots) -> UsageReport.RowKey {
        RowTable.rowKey(slots, in: interner)
    }

    // MARK: - Counting

    /// Counts one record. Returns false when a value could not be interned
    /// (the interner is full): the caller fails the file.

    mutating func count(_ fields: RecordFields, in bytes: JSONBytes) -> Bool {
        pending.records &+= 1
        guard fields.eventSource.isPresent else { return true }
        let source = view(fields.eventSource, bytes, valueScratch)
        let isKMS = Self.equals(source, "kms.amazonaws.com")
        // Decided before the side notes below, which reuse the scratch
        // buffer `source` may point into.
        let isCounted = rules.countsKMS ? isKMS : Self.equals(source, rules.source)
        if isKMS { pending.kmsRecords &+= 1 }
        // A copy of an event another trail delivered (DeliveryDedup.swift):
        // folded before it counts or adds a fact. Checked for every record
        // `needsRecord` lets through, so side facts are not doubled either.
        if deliveries != nil && (isKMS || isCounted || Self.equals(source, "cloudtrail.amazonaws.com"))
            && !isFirstDelivery(fields, bytes)
        {
            return true
        }
        if isKMS {
            // (Raw length 11 = CreateAlias, UpdateAlias, DeleteAlias, unless escaped.)
            // Collected even without resolution: `--key alias/x` needs them.
            if fields.eventName.count == 11 || fields.eventName.escaped {
                noteAliasChange(fields, bytes)
            }
            // A request that names its key by an alias may show the key it
            // resolved to: learnt, like alias changes, from every KMS record.
            if rules.learnsAliases && fields.requestKeyId.count > 6 && Self.mayBeAlias(fields.requestKeyId, bytes) {
                guard noteAliasObservation(fields, bytes) else { return false }
            }
        } else if (fields.eventName.count == 17 || fields.eventName.count == 11 || fields.eventName.count == 12
            || fields.eventName.escaped) && Self.equals(source, "cloudtrail.amazonaws.com")
        {
            // (Raw lengths of PutEventSelectors, StopLogging / DeleteTrail,
            // StartLogging, unless escaped.)
            noteSelectorChange(fields, bytes)
        }
        guard isCounted else { return true }

        // A failed call is one whose errorCode is a non-empty string. Raw
        // length > 0 means decoded length > 0: every escape yields a byte.
        let isError = fields.errorCode.isPresent && fields.errorCode.count > 0
        var time: Int64?
        if rules.needsTime { time = eventTime(fields, bytes) }
        if rules.filters {
            guard passesFilters(fields, bytes, time: time, isError: isError) else { return true }
        }
        pending.selectedRecords &+= 1

        var slots = RowSlots()
        if fields.eventName.isPresent {
            guard let id = interner.intern(view(fields.eventName, bytes, valueScratch)) else { return false }
            slots[RowSlots.eventSlot] = id
        }
        if rules.extraSlots {
            guard fillExtraSlots(&slots, fields, bytes, time: time) else { return false }
        }

        keyIDs.removeAll(keepingCapacity: true)
        aliasKeys = 0
        if rules.countsKMS {
            guard attributeKeys(fields, bytes) else { return false }
        }
        // Rule 4 (and every record of another source): no key.
        if keyIDs.isEmpty { keyIDs.append(0) }

        var counts = CallCounts(calls: 1, errors: isError ? 1 : 0)
        if rules.tracksTimes, let time {
            counts.firstSeen = time
            counts.lastSeen = time
            pending.latestTime = max(pending.latestTime, time)
        }
        let isLifecycle =
            rules.collectsLifecycle && isKMS && fields.eventName.isPresent
            && LifecycleEvents.matches(view(fields.eventName, bytes, valueScratch))
        if plan.foldsDuplicates && isKMS && fields.sharedEventID.count > 0 {
            // Possibly a second copy of a cross-account call: counted, or
            // folded, once every copy has been seen.
            noteSharedCopy(slots, counts, fields, bytes, time: time, lifecycle: isLifecycle)
            return true
        }
        if aliasKeys == 0 {
            for key in keyIDs {
                slots[RowSlots.keySlot] = key
                pending.table.add(slots, counts)
            }
        } else {
            pending.facts.aliasUses.append(deferredCall(slots, counts, fields, bytes, time: time))
        }
        if isLifecycle { pending.facts.lifecycle += lifecycleEvents(fields, bytes, time: time) }
        return true
    }

    /// docs/counting.md rules 1–3 into `keyIDs` (and `aliasKeys`).
    mutating func attributeKeys(_ fields: RecordFields, _ bytes: JSONBytes) -> Bool {
        // Rule 1: every resources[].ARN that is a KMS key ARN, deduplicated.
        for arn in fields.resourceARNs {
            let value = view(arn, bytes, valueScratch)
            if KMSKeyReference.isKeyARN(value) {
                guard appendKey(value) else { return false }
            }
        }
        // Rule 2: responseElements.keyId when it is a key ARN.
        if keyIDs.isEmpty && fields.responseKeyId.isPresent {
            let value = view(fields.responseKeyId, bytes, valueScratch)
            if KMSKeyReference.isKeyARN(value) {
                guard appendKey(value) else { return false }
            }
        }
        // Rule 3: the request's key fields, normalized, in order, deduplicated.
        if keyIDs.isEmpty {
            // (Four calls rather than a loop over an array literal, which
            // would allocate per record.) Empty strings name no key.
            guard appendNormalized(fields.requestKeyId, fields, bytes),
                appendNormalized(fields.requestTargetKeyId, fields, bytes),
                appendNormalized(fields.requestSourceKeyId, fields, bytes),
                appendNormalized(fields.requestDestinationKeyId, fields, bytes)
            else { return false }
        }
        return true
    }

    mutating func appendKey(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let id = interner.intern(value) else { return false }
        if !keyIDs.contains(id) { keyIDs.append(id) }
        return true
    }

    mutating func appendNormalized(_ slice: ByteSlice, _ fields: RecordFields, _ bytes: JSONBytes) -> Bool {
        guard slice.count > 0 else { return true }
        normalize(slice, fields, bytes)
        let before = keyIDs.count
        guard normalized.withUnsafeBytes({ appendKey($0) }) else { return false }
        if keyIDs.count > before && plan.resolvesAliases
            && normalized.withUnsafeBytes({ KMSKeyReference.isAliasARN($0) })
        {
            aliasKeys |= 1 << UInt64(before)
        }
        return true
    }

    /// `normalized` = the request key field `slice` as an ARN (rule 3).
    mutating func normalize(_ slice: ByteSlice, _ fields: RecordFields, _ bytes: JSONBytes) {
        let value = view(slice, bytes, valueScratch)
        let region = fields.awsRegion.isPresent ? view(fields.awsRegion, bytes, regionScratch) : Self.emptyBytes
        // The key's account: recipientAccountId, else userIdentity.accountId.
        let accountSlice = fields.recipientAccountId.isPresent ? fields.recipientAccountId : fields.userAccountId
        let account = accountSlice.isPresent ? view(accountSlice, bytes, accountScratch) : Self.emptyBytes
        normalized.removeAll(keepingCapacity: true)
        KMSKeyReference.appendNormalized(value, region: region, account: account, to: &normalized)
    }

    // MARK: - Byte helpers

    /// The decoded bytes of `slice`: straight from the buffer when it has no
    /// escapes, else decoded into `scratch` (valid until `scratch` is reused).

    func view(_ slice: ByteSlice, _ bytes: JSONBytes, _ scratch: PaddedBuffer) -> UnsafeRawBufferPointer {
        let raw = UnsafeRawBufferPointer(start: bytes.base + slice.start, count: slice.count)
        guard slice.escaped else { return raw }
        scratch.removeAll()
        JSONString.decode(raw, into: scratch)
        return scratch.withUnsafeBytes { $0 }  // storage is stable until the next mutation
    }

    /// The decoded value of `slice` as a String (absent = empty).
    func string(_ slice: ByteSlice, _ bytes: JSONBytes) -> String {
        guard slice.isPresent else { return "" }
        return String(decoding: view(slice, bytes, extraScratch), as: UTF8.self)
    }

    static var emptyBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    static func equals(_ value: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        value.count == text.utf8CodeUnitCount
            && (value.count == 0 || memoryEquals(value.baseAddress!, text.utf8Start, value.count))
    }

    static func equals(_ value: UnsafeRawBufferPointer, _ bytes: [UInt8]) -> Bool {
        value.count == bytes.count && bytes.withUnsafeBytes { value.elementsEqual($0) }
    }
}
