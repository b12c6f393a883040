// Duplicate deliveries (docs/audit.md, "Duplicate deliveries"): the same
// event delivered by two trails into one bucket (an organization trail and
// an account trail, or two trails under different S3 prefixes) has the same
// `eventID` in every copy, and counts once. Copies can only come from files
// of the same account, region and day delivered under different trail
// prefixes, so the scan remembers eventIDs only for such a group, only
// while the group is being scanned (its files go to one worker in a row),
// and forgets them when the group is done: memory is bounded by the
// eventIDs of one account-region-day that several trails deliver, not by
// the trail.

/// A 128-bit hash of an eventID (two independent 64-bit lanes): a false
/// match between two different eventIDs of one group has a probability
/// around n² / 2¹²⁹.
struct EventIDHash: Hashable {
    var high: UInt64
    var low: UInt64

    init(_ bytes: UnsafeRawBufferPointer) {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F &+ UInt64(bytes.count)
        var word: UInt64 = 0
        var filled: UInt64 = 0
        for byte in bytes {
            word |= UInt64(byte) << (filled &* 8)
            filled &+= 1
            if filled == 8 {
                a = Self.mix(a ^ word)
                b = Self.mix((b &+ word) &* 0xFF51_AFD7_ED55_8CCD)
                word = 0
                filled = 0
            }
        }
        if filled > 0 {
            a = Self.mix(a ^ word)
            b = Self.mix((b &+ word) &* 0xFF51_AFD7_ED55_8CCD)
        }
        high = a
        low = b
    }

    /// The splitmix64 finalizer (a bijection of 64-bit words).
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 30
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 27
        x &*= 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }
}

/// The eventIDs of the dedup group being scanned, with the file in
/// progress kept apart (like the counts): a file that fails half-way
/// leaves none of its eventIDs behind to fold another trail's copy.
struct DeliveryGroupIDs {
    var committed: Set<EventIDHash> = []
    var pending: Set<EventIDHash> = []
    /// Copies folded in the file in progress, and in the group's committed files.
    var pendingFolded: UInt64 = 0
    var committedFolded: UInt64 = 0

    /// True for the first copy of the event (count it), false for a copy
    /// already seen in the group (fold it).
    mutating func isFirstCopy(_ eventID: UnsafeRawBufferPointer) -> Bool {
        let hash = EventIDHash(eventID)
        if committed.contains(hash) || !pending.insert(hash).inserted {
            pendingFolded &+= 1
            return false
        }
        return true
    }

    mutating func commitFile() {
        committed.formUnion(pending)
        pending.removeAll(keepingCapacity: true)
        committedFolded &+= pendingFolded
        pendingFolded = 0
    }

    mutating func discardFile() {
        pending.removeAll(keepingCapacity: true)
        pendingFolded = 0
    }
}

extension UsageTally {
    /// Starts a dedup group (files of one account, region and day that
    /// several trails deliver): until `endDeliveryGroup`, a record whose
    /// `eventID` a committed file or the file in progress of the group
    /// already had is folded (not counted, no facts).
    public func beginDeliveryGroup() { state.deliveries = DeliveryGroupIDs() }

    /// Ends the group and frees its eventIDs.
    public func endDeliveryGroup() { state.deliveries = nil }

    /// Copies folded in the committed files of the current group (0
    /// outside a group).
    public var deliveryCopiesFolded: UInt64 { state.deliveries?.committedFolded ?? 0 }
}

extension TallyState {
    /// False when the record is a copy of an event already counted in the
    /// current dedup group. A record without an eventID is always counted.
    mutating func isFirstDelivery(_ fields: RecordFields, _ bytes: JSONBytes) -> Bool {
        guard fields.eventID.count > 0 else { return true }
        // extraScratch: `count` may still read a value in valueScratch.
        let id = view(fields.eventID, bytes, extraScratch)
        return deliveries!.isFirstCopy(id)
    }
}
