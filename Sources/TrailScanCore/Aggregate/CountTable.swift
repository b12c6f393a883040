// Per-row counters keyed by interned ids.

/// Calls and errors of one row, and when its calls happened.
public struct CallCounts: Hashable, Sendable {
    public var calls: UInt64
    public var errors: UInt64
    /// The earliest and latest `eventTime` (Unix seconds) of the row's
    /// calls; `Int64.max` / `Int64.min` when none is known (times are
    /// tracked only when a report asks for them).
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(calls: UInt64 = 0, errors: UInt64 = 0, firstSeen: Int64 = .max, lastSeen: Int64 = .min) {
        self.calls = calls
        self.errors = errors
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// True when at least one call had a time.
    public var hasTimes: Bool { firstSeen <= lastSeen }

    /// Adds `other`. Counters are 64-bit: 2^64 records cannot occur, so the
    /// wrapping add never wraps.
    public mutating func add(_ other: CallCounts) {
        calls &+= other.calls
        errors &+= other.errors
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }

    /// Takes away the calls and errors of `other` (a folded duplicate of
    /// calls counted here); the times stay (the kept copy has the same).
    mutating func subtract(_ other: CallCounts) {
        calls &-= min(calls, other.calls)
        errors &-= min(errors, other.errors)
    }
}

/// The interned dimension values of one row: key, event, principal,
/// identity type, caller account, region, error code, via (interner ids,
/// 0 = the empty string) and day (`RowSlots.dayValue`, 0 = none); the last
/// slots are spare (0).
typealias RowSlots = SIMD16<UInt32>

extension RowSlots {
    static let keySlot = 0, eventSlot = 1, principalSlot = 2, identityTypeSlot = 3
    static let callerAccountSlot = 4, regionSlot = 5, errorCodeSlot = 6, daySlot = 7
    static let viaSlot = 8, roleSlot = 9, resourceSlot = 10
    /// The slots that hold interned ids (every used slot but the day).
    static let valueSlots = [keySlot, eventSlot, principalSlot, identityTypeSlot, callerAccountSlot, regionSlot,
                             errorCodeSlot, viaSlot, roleSlot, resourceSlot]

    /// The day slot's value for a day number (never 0 for a real date).
    static func dayValue(_ day: Int64) -> UInt32 { UInt32(truncatingIfNeeded: day &+ 0x4000_0000) }

    /// The day number of a non-zero day slot value.
    static func day(fromValue value: UInt32) -> Int64 { Int64(value) - 0x4000_0000 }
}

/// A hash table from `RowSlots` to `CallCounts`, with a dense row
/// list so that clearing and merging cost the number of rows, not the
/// table's capacity.

struct CountTable {
    struct Row {
        var slots: RowSlots
        var counts: CallCounts
        /// The slot pointing at this row, so `removeAll` can clear it.
        var slot: Int
    }

    var rows: [Row] = []
    /// Slot -> row index + 1 (0 = empty).
    var slots: [Int32] = Array(repeating: 0, count: 256)

    init() {}

    @inline(__always)
    static func slotHash(_ row: RowSlots) -> Int {
        // The eight 64-bit words, each multiplied by its own odd constant,
        // summed, then mixed (the murmur3 finalizer) so that every slot's
        // bits reach the low bits the table uses. By default only the
        // first word (key, event) is non-zero.
        let words = unsafeBitCast(row, to: SIMD8<UInt64>.self)
        let multipliers = SIMD8<UInt64>(
            0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x27D4_EB2F_1656_67C5,
            0x85EB_CA77_C2B2_AE63, 0xFF51_AFD7_ED55_8CCD, 0xC4CE_B9FE_1A85_EC53, 0x8CB9_2BA7_2F3D_8DD7)
        var h = (words &* multipliers).wrappedSum()
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }

    mutating func add(_ row: RowSlots, _ counts: CallCounts) {
        let mask = slots.count &- 1
        var slot = Self.slotHash(row) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let index = entry &- 1
            if rows[index].slots == row {
                rows[index].counts.add(counts)
                return
            }
            slot = (slot &+ 1) & mask
        }
        slots[slot] = Int32(rows.count &+ 1)
        rows.append(Row(slots: row, counts: counts, slot: slot))
        if rows.count &* 2 > slots.count { grow() }
    }

    /// The index in `rows` of `row`, when present.
    func index(of row: RowSlots) -> Int? {
        let mask = slots.count &- 1
        var slot = Self.slotHash(row) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if rows[entry &- 1].slots == row { return entry &- 1 }
            slot = (slot &+ 1) & mask
        }
    }

    /// Adds every row of `other` (which uses the same interner).

    mutating func merge(_ other: CountTable) {
        for row in other.rows { add(row.slots, row.counts) }
    }

    /// Empties the table, keeping its capacity.

    mutating func removeAll() {
        for row in rows { slots[row.slot] = 0 }
        rows.removeAll(keepingCapacity: true)
    }


    /// Makes room for `count` rows in all without rehashing.
    mutating func reserveCapacity(_ count: Int) {
        rows.reserveCapacity(count)
        var size = slots.count
        while count * 2 > size { size *= 2 }
        if size > slots.count { rehash(size) }
    }

    mutating func grow() { rehash(slots.count * 2) }

    mutating func rehash(_ size: Int) {
        slots = Array(repeating: 0, count: size)
        let mask = size - 1
        for index in rows.indices {
            var slot = Self.slotHash(rows[index].slots) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(index + 1)
            rows[index].slot = slot
        }
    }
}
