// Per-(key, event) counters keyed by interned ids.

/// Calls and errors of one (key, event name) row.
public struct CallCounts: Hashable, Sendable {
    public var calls: UInt64
    public var errors: UInt64

    public init(calls: UInt64 = 0, errors: UInt64 = 0) {
        self.calls = calls
        self.errors = errors
    }

    /// Adds `other`. Counters are 64-bit: 2^64 records cannot occur, so the
    /// wrapping add never wraps.
    public mutating func add(_ other: CallCounts) {
        calls &+= other.calls
        errors &+= other.errors
    }
}

/// A hash table from (key id, event id) to `CallCounts`, with a dense row
/// list so that clearing and merging cost the number of rows, not the
/// table's capacity.

struct CountTable {
    struct Row {
        var key: UInt32
        var event: UInt32
        var counts: CallCounts
        /// The slot pointing at this row, so `removeAll` can clear it.
        var slot: Int
    }

    var rows: [Row] = []
    /// Slot -> row index + 1 (0 = empty).
    var slots: [Int32] = Array(repeating: 0, count: 256)

    init() {}

    @inline(__always)
    static func slotHash(_ key: UInt32, _ event: UInt32) -> Int {
        let combined = UInt64(key) << 32 | UInt64(event)
        return Int(truncatingIfNeeded: (combined &* 0x9E37_79B9_7F4A_7C15) >> 17)
    }

    
    mutating func add(key: UInt32, event: UInt32, _ counts: CallCounts) {
        let mask = slots.count &- 1
        var slot = Self.slotHash(key, event) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let index = entry &- 1
            if rows[index].key == key && rows[index].event == event {
                rows[index].counts.add(counts)
                return
            }
            slot = (slot &+ 1) & mask
        }
        slots[slot] = Int32(rows.count &+ 1)
        rows.append(Row(key: key, event: event, counts: counts, slot: slot))
        if rows.count &* 2 > slots.count { grow() }
    }

    /// Adds every row of `other` (which uses the same interner).

    mutating func merge(_ other: CountTable) {
        for row in other.rows { add(key: row.key, event: row.event, row.counts) }
    }

    /// Empties the table, keeping its capacity.

    mutating func removeAll() {
        for row in rows { slots[row.slot] = 0 }
        rows.removeAll(keepingCapacity: true)
    }


    mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        let mask = size - 1
        for index in rows.indices {
            var slot = Self.slotHash(rows[index].key, rows[index].event) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(index + 1)
            rows[index].slot = slot
        }
    }
}
