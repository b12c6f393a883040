// The rows of a report as the scan counted them: interned dimension values
// (ids into a byte-string pool) and their counts in a flat hash table. A row
// costs its ids and counts, not nine Strings; the values are turned into text
// only when a row is rendered.
//
// Merging is deferred: a merged table keeps its parts (each worker's pool and
// table as the worker left them) and `GroupedRows` ranks the values of all
// parts at once, so a scan of a million distinct principals per worker never
// re-interns them one by one. Paths that need one row per key (lookups,
// iteration: tests, the key/event report, the store) consolidate a copy.

/// Rows keyed by their dimension values (`UsageReport.RowKey`), with counts.
public struct RowTable: Sendable {
    /// One pool of values (id 0 is the empty string) and the rows naming
    /// them. The same row may appear in several parts: its counts are the
    /// sum.
    struct Part: Sendable {
        var values: ByteInterner
        var table: CountTable
        /// The part that `add` writes to (never a worker's: those are shared
        /// copy-on-write and large).
        var takesAdds = false

        static func empty() -> Part {
            var values = ByteInterner(maximumBytes: .max)
            _ = values.intern("")
            return Part(values: values, table: CountTable(), takesAdds: true)
        }
    }

    var parts: [Part]

    public init() { parts = [] }

    /// A worker's table as it stands (`values` interned "" as id 0).
    init(values: ByteInterner, table: CountTable) {
        parts = table.rows.isEmpty ? [] : [Part(values: values, table: table)]
    }

    /// One part holding every row once.
    var consolidated: Part {
        guard parts.count != 1 else { return parts[0] }
        var whole = Part.empty()
        let total = parts.reduce(0) { $0 + $1.table.rows.count }
        whole.table.reserveCapacity(total)
        for part in parts { Self.merge(part, into: &whole) }
        return whole
    }

    /// Adds `part`'s rows to `whole`, re-interning the values they name.
    static func merge(_ part: Part, into whole: inout Part) {
        var map = [UInt32](repeating: .max, count: part.values.count)
        map[0] = 0
        for row in part.table.rows {
            var slots = row.slots
            for slot in RowSlots.valueSlots {
                let id = Int(slots[slot])
                if map[id] == .max { map[id] = part.values.withBytes(UInt32(id)) { whole.values.intern($0)! } }
                slots[slot] = map[id]
            }
            whole.table.add(slots, row.counts)
        }
    }

    /// Distinct rows (consolidates a copy when there are several parts).
    public var count: Int { consolidated.table.rows.count }
    public var isEmpty: Bool { parts.allSatisfy { $0.table.rows.isEmpty } }

    /// The counts of `row`, nil when it has none. Setting replaces them
    /// (nil: zero counts; a convenience for small tables: it consolidates).
    public subscript(row: UsageReport.RowKey) -> CallCounts? {
        get {
            var sum: CallCounts?
            for part in parts {
                guard let slots = Self.existingSlots(row, in: part.values), let index = part.table.index(of: slots) else { continue }
                sum = sum ?? CallCounts()
                sum!.add(part.table.rows[index].counts)
            }
            return sum
        }
        set {
            var whole = parts.isEmpty ? .empty() : consolidated
            whole.takesAdds = true
            let slots = Self.slots(row, interning: &whole.values)
            if let index = whole.table.index(of: slots) {
                whole.table.rows[index].counts = newValue ?? CallCounts()
            } else {
                whole.table.add(slots, newValue ?? CallCounts())
            }
            parts = [whole]
        }
    }

    /// Calls `body` with the counts of every row of every part (a row that
    /// several parts hold comes once per part: for minimums and maximums).
    func forEachCounts(_ body: (CallCounts) -> Void) {
        for part in parts {
            for row in part.table.rows { body(row.counts) }
        }
    }

    /// Every distinct row (small tables: tests, the store).
    public var keys: [UsageReport.RowKey] { map(\.key) }
    public var values: [CallCounts] { map(\.value) }
    public var first: (key: UsageReport.RowKey, value: CallCounts)? { first { _ in true } }

    /// Adds `counts` to `row` (creating it).
    public mutating func add(_ row: UsageReport.RowKey, _ counts: CallCounts) {
        if parts.last?.takesAdds != true { parts.append(.empty()) }
        let last = parts.count - 1
        let slots = Self.slots(row, interning: &parts[last].values)
        parts[last].table.add(slots, counts)
    }

    /// Adds every row of `other` (its parts join ours: nothing is copied).
    public mutating func merge(_ other: RowTable) {
        for var part in other.parts where !part.table.rows.isEmpty {
            part.takesAdds = false
            parts.append(part)
        }
    }

    /// The rows that `isIncluded` keeps.
    public func filter(_ isIncluded: (UsageReport.RowKey, CallCounts) -> Bool) -> RowTable {
        filterSlots { slots, counts, _, values in isIncluded(Self.rowKey(slots, in: values), counts) }
    }

    /// The rows whose interned slots `isIncluded` keeps (given the part's
    /// index and values: filters that decide per distinct value build no
    /// String per row). Rows repeated across parts are judged by each copy.
    func filterSlots(_ isIncluded: (RowSlots, CallCounts, Int, ByteInterner) -> Bool) -> RowTable {
        var kept = RowTable()
        for (index, part) in parts.enumerated() {
            var table = CountTable()
            for row in part.table.rows where isIncluded(row.slots, row.counts, index, part.values) {
                table.add(row.slots, row.counts)
            }
            if !table.rows.isEmpty { kept.parts.append(Part(values: part.values, table: table)) }
        }
        return kept
    }

    /// The rows summed over every slot but `kept`, in one part.
    func projected(onto kept: [Int]) -> RowTable {
        var mask = RowSlots()
        for slot in kept { mask[slot] = .max }
        var projected = RowTable()
        for part in parts {
            var table = CountTable()
            for row in part.table.rows { table.add(row.slots & mask, row.counts) }
            projected.parts.append(Part(values: part.values, table: table))
        }
        if projected.parts.count > 1 { projected.parts = [projected.consolidated] }
        return projected
    }

    // MARK: - Values and slots

    /// The row of `slots` whose ids are `values`' (a worker's interner too).
    static func rowKey(_ slots: RowSlots, in values: ByteInterner) -> UsageReport.RowKey {
        var row = UsageReport.RowKey(
            key: values.string(slots[RowSlots.keySlot]), eventName: values.string(slots[RowSlots.eventSlot]))
        row.principal = values.string(slots[RowSlots.principalSlot])
        row.identityType = values.string(slots[RowSlots.identityTypeSlot])
        row.callerAccount = values.string(slots[RowSlots.callerAccountSlot])
        row.region = values.string(slots[RowSlots.regionSlot])
        row.errorCode = values.string(slots[RowSlots.errorCodeSlot])
        row.via = values.string(slots[RowSlots.viaSlot])
        row.role = values.string(slots[RowSlots.roleSlot])
        row.resource = values.string(slots[RowSlots.resourceSlot])
        let day = slots[RowSlots.daySlot]
        row.day = day == 0 ? "" : UTCTime.date(day: RowSlots.day(fromValue: day))
        return row
    }

    /// The slots of `row`, interning its values.
    static func slots(_ row: UsageReport.RowKey, interning values: inout ByteInterner) -> RowSlots {
        var slots = RowSlots()
        for (slot, value) in slotValues(row) { slots[slot] = values.intern(value)! }
        slots[RowSlots.daySlot] = dayValue(row.day)
        return slots
    }

    /// The slots of `row` when every value is interned already, else nil.
    static func existingSlots(_ row: UsageReport.RowKey, in values: ByteInterner) -> RowSlots? {
        var slots = RowSlots()
        for (slot, value) in slotValues(row) {
            guard let id = values.find(value) else { return nil }
            slots[slot] = id
        }
        slots[RowSlots.daySlot] = dayValue(row.day)
        return slots
    }

    static func slotValues(_ row: UsageReport.RowKey) -> [(Int, String)] {
        [
            (RowSlots.keySlot, row.key), (RowSlots.eventSlot, row.eventName), (RowSlots.principalSlot, row.principal),
            (RowSlots.identityTypeSlot, row.identityType), (RowSlots.callerAccountSlot, row.callerAccount),
            (RowSlots.regionSlot, row.region), (RowSlots.errorCodeSlot, row.errorCode), (RowSlots.viaSlot, row.via),
            (RowSlots.roleSlot, row.role), (RowSlots.resourceSlot, row.resource),
        ]
    }

    /// The day slot of a `YYYY-MM-DD` day (0 when empty or not a date).
    static func dayValue(_ day: String) -> UInt32 {
        guard !day.isEmpty, let time = UTCTime.parse(day, allowDateOnly: true) else { return 0 }
        return RowSlots.dayValue(UTCTime.day(time))
    }
}

extension RowTable: Sequence {
    /// Each distinct row once, in no particular order.
    public struct Iterator: IteratorProtocol {
        let part: Part
        var index = 0

        public mutating func next() -> (key: UsageReport.RowKey, value: CallCounts)? {
            guard index < part.table.rows.count else { return nil }
            defer { index += 1 }
            return (RowTable.rowKey(part.table.rows[index].slots, in: part.values), part.table.rows[index].counts)
        }
    }

    public func makeIterator() -> Iterator { Iterator(part: parts.isEmpty ? .empty() : consolidated) }
}

extension RowTable: Equatable {
    /// The same rows with the same counts (however the values were interned).
    public static func == (a: RowTable, b: RowTable) -> Bool {
        a.count == b.count && a.allSatisfy { b[$0.key] == $0.value }
    }
}

extension RowTable: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (UsageReport.RowKey, CallCounts)...) {
        self.init()
        for (row, counts) in elements { add(row, counts) }
    }
}
