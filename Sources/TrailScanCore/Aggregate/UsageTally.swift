// Per-worker counting: applies DESIGN.md §3 to each scanned record and keeps
// the counts of the file in progress apart from the committed ones, so that a
// file that fails half-way contributes nothing.

/// One worker's counts: every record it scanned, attributed to KMS keys.
///
/// Not thread-safe: each worker owns one. Workers' tallies are turned into
/// `UsageReport`s and merged once at the end.
public final class UsageTally {
    /// Everything the per-record path touches, in a struct: the scanner
    /// borrows it `inout` once per buffer (`withState`), so the per-record
    /// code has no class property accesses and no dynamic exclusivity checks.
    var state: TallyState

    public init(maximumInternedBytes: Int = 1 << 30) {
        state = TallyState(maximumInternedBytes: maximumInternedBytes)
    }

    /// Records and KMS records of the file in progress.
    public var pendingRecords: UInt64 { state.pendingRecords }
    public var pendingKMSRecords: UInt64 { state.pendingKMSRecords }
    /// Records and KMS records of the files committed so far.
    public var records: UInt64 { state.records }
    public var kmsRecords: UInt64 { state.kmsRecords }

    /// Adds the counts of the file in progress to the committed counts.
    public func commitFile() { state.commitFile() }

    /// Forgets the counts of the file in progress (it failed).
    public func discardFile() { state.discardFile() }

    /// Lends the state to the scanner for one buffer.
    func withState<R, E: Error>(_ body: (inout TallyState) throws(E) -> R) throws(E) -> R {
        try body(&state)
    }

    /// The committed counts as a mergeable report (rows only; the caller
    /// fills in the file totals).
    public func makeReport() -> UsageReport {
        var report = UsageReport()
        report.records = state.records
        report.kmsRecords = state.kmsRecords
        for row in state.committed.rows {
            let key = UsageReport.RowKey(
                key: state.interner.string(row.key), eventName: state.interner.string(row.event))
            report.rows[key, default: CallCounts()].add(row.counts)
        }
        return report
    }
}

/// The counting state of one worker (see `UsageTally`).
struct TallyState {
    var interner: ByteInterner
    var committed = CountTable()
    var pending = CountTable()
    var pendingRecords: UInt64 = 0
    var pendingKMSRecords: UInt64 = 0
    var records: UInt64 = 0
    var kmsRecords: UInt64 = 0

    let emptyID: UInt32
    var keyIDs: [UInt32] = []
    var normalized: [UInt8] = []
    let valueScratch = PaddedBuffer(capacity: 256)
    let regionScratch = PaddedBuffer(capacity: 64)
    let accountScratch = PaddedBuffer(capacity: 64)

    init(maximumInternedBytes: Int) {
        interner = ByteInterner(maximumBytes: maximumInternedBytes)
        emptyID = interner.intern("")!
        keyIDs.reserveCapacity(8)
        normalized.reserveCapacity(256)
    }

    mutating func commitFile() {
        committed.merge(pending)
        records &+= pendingRecords
        kmsRecords &+= pendingKMSRecords
        discardFile()
    }

    mutating func discardFile() {
        pending.removeAll()
        pendingRecords = 0
        pendingKMSRecords = 0
    }

    // MARK: - Attribution (DESIGN.md §3)

    /// Counts one record. Returns false when a value could not be interned
    /// (the interner is full): the caller fails the file.

    mutating func count(_ fields: RecordFields, in bytes: JSONBytes) -> Bool {
        pendingRecords &+= 1
        guard fields.eventSource.isPresent,
            Self.equals(view(fields.eventSource, bytes, valueScratch), "kms.amazonaws.com")
        else { return true }
        pendingKMSRecords &+= 1

        // A failed call is one whose errorCode is a non-empty string. Raw
        // length > 0 means decoded length > 0: every escape yields a byte.
        let isError = fields.errorCode.isPresent && fields.errorCode.count > 0
        let event: UInt32
        if fields.eventName.isPresent {
            guard let id = interner.intern(view(fields.eventName, bytes, valueScratch)) else { return false }
            event = id
        } else {
            event = emptyID
        }

        keyIDs.removeAll(keepingCapacity: true)
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
        // Rule 4: no key.
        if keyIDs.isEmpty { keyIDs.append(emptyID) }

        let counts = CallCounts(calls: 1, errors: isError ? 1 : 0)
        for key in keyIDs { pending.add(key: key, event: event, counts) }
        return true
    }


    mutating func appendKey(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let id = interner.intern(value) else { return false }
        if !keyIDs.contains(id) { keyIDs.append(id) }
        return true
    }


    mutating func appendNormalized(_ slice: ByteSlice, _ fields: RecordFields, _ bytes: JSONBytes) -> Bool {
        guard slice.count > 0 else { return true }
        let value = view(slice, bytes, valueScratch)
        let region = fields.awsRegion.isPresent ? view(fields.awsRegion, bytes, regionScratch) : Self.emptyBytes
        // The key's account: recipientAccountId, else userIdentity.accountId.
        let accountSlice = fields.recipientAccountId.isPresent ? fields.recipientAccountId : fields.userAccountId
        let account = accountSlice.isPresent ? view(accountSlice, bytes, accountScratch) : Self.emptyBytes
        normalized.removeAll(keepingCapacity: true)
        KMSKeyReference.appendNormalized(value, region: region, account: account, to: &normalized)
        return normalized.withUnsafeBytes { appendKey($0) }
    }

    /// The decoded bytes of `slice`: straight from the buffer when it has no
    /// escapes, else decoded into `scratch` (valid until `scratch` is reused).

    func view(_ slice: ByteSlice, _ bytes: JSONBytes, _ scratch: PaddedBuffer) -> UnsafeRawBufferPointer {
        let raw = UnsafeRawBufferPointer(start: bytes.base + slice.start, count: slice.count)
        guard slice.escaped else { return raw }
        scratch.removeAll()
        JSONString.decode(raw, into: scratch)
        return scratch.withUnsafeBytes { $0 }  // storage is stable until the next mutation
    }

    static var emptyBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }


    static func equals(_ value: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        value.count == text.utf8CodeUnitCount
            && (value.count == 0 || memoryEquals(value.baseAddress!, text.utf8Start, value.count))
    }
}
