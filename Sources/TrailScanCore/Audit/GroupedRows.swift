// The rows of a `--by` report: the resolved rows summed over every dimension
// but the chosen ones, in the byte order of their values, still as interned
// ids. A million distinct principals cost their ids and counts here, and
// text only as each row is written out (ReportTable's renderers stream them).
//
// Order without comparing strings per row: each dimension's distinct values
// are sorted once (ByteOrder.swift) into ranks, and rows are sorted by their
// ranks, integers only.

import CJSONKernel

/// Rows grouped by some dimensions, sorted, ready to render.
public struct GroupedRows: Sendable {
    public let dimensions: [GroupingDimension]
    /// The value pools of the rows' parts, then one of owner accounts
    /// derived from key ARNs (`owner-account`).
    let pools: [ByteInterner]
    /// Per column, per rank: where the value of that rank lies (pool index
    /// and id; for `day`, the day slot value).
    let valuesByRank: [[ValueLocation]]
    /// Per row, the rank of each column's value (row-major): equal ranks,
    /// equal values.
    let references: [UInt32]
    let counts: [CallCounts]
    /// The rows to show, in order (indices of `counts`).
    public private(set) var order: [Int]
    /// Per row: how many rows share its first dimension's value (before
    /// `keepBusiest`), e.g. the distinct principals of a key.
    let groupSizes: [UInt32]

    struct ValueLocation: Sendable {
        var pool: UInt32
        var id: UInt32
    }

    /// Groups `rows` by `dimensions` (at least one).
    ///
    /// Sort, then sum neighbours: each dimension's distinct values are
    /// ranked in byte order (each part's sorted on its own, then merged),
    /// rows are sorted by their ranks (integers), and rows with equal ranks
    /// in every dimension are adjacent and summed.
    init(_ rows: RowTable, by dimensions: [GroupingDimension]) {
        precondition(!dimensions.isEmpty)
        self.dimensions = dimensions
        var parts = rows.parts
        // Ranking merges the parts' sorted values by comparing heads: a few
        // workers' parts, yes; a hundred merged shards are consolidated.
        if parts.count > 8 { parts = [rows.consolidated] }
        let width = dimensions.count
        let derivedPool = parts.count

        // Derived dimensions (owner-account from the key, resource-service
        // from the resource): derived once per distinct value of each part,
        // into one pool of their own.
        var derived = ByteInterner(maximumBytes: .max)
        _ = derived.intern("")
        var derivedOf = [GroupingDimension: [[UInt32: UInt32]]]()
        for dimension in Set(dimensions) {
            guard let derive = dimension.derivation else { continue }
            var maps = [[UInt32: UInt32]](repeating: [:], count: parts.count)
            for (p, part) in parts.enumerated() {
                for row in part.table.rows where maps[p][row.slots[dimension.slot]] == nil {
                    let id = row.slots[dimension.slot]
                    maps[p][id] = derived.intern(derive(part.values.string(id)))!
                }
            }
            derivedOf[dimension] = maps
        }
        pools = parts.map(\.values) + [derived]
        func reference(_ p: Int, _ row: Int, _ dimension: GroupingDimension) -> UInt32 {
            let id = parts[p].table.rows[row].slots[dimension.slot]
            guard let maps = derivedOf[dimension] else { return id }
            return maps[p][id]!
        }

        // Ranks of every row's values, row-major over the parts' rows.
        var source: [(part: Int, row: Int)] = []
        for (p, part) in parts.enumerated() {
            for row in part.table.rows.indices { source.append((p, row)) }
        }
        let rowCount = source.count
        var ranks = [UInt32](repeating: 0, count: rowCount * width)
        var valuesByRank: [[ValueLocation]] = []
        for (column, dimension) in dimensions.enumerated() {
            switch dimension {
            case .day:
                // Day numbers: their dates sort the same way (0, no day, first).
                let days = Set(source.map { reference($0.part, $0.row, .day) }).sorted()
                var rankOfDay: [UInt32: UInt32] = [:]
                for (rank, day) in days.enumerated() { rankOfDay[day] = UInt32(rank) }
                for (i, entry) in source.enumerated() {
                    ranks[i * width + column] = rankOfDay[reference(entry.part, entry.row, .day)]!
                }
                valuesByRank.append(days.map { ValueLocation(pool: 0, id: $0) })
            case _ where dimension.derivation != nil:
                var sorted = Array(Set(source.map { reference($0.part, $0.row, dimension) }))
                derived.sortByBytes(&sorted)
                var rankOf = [UInt32](repeating: .max, count: derived.count)
                for (rank, id) in sorted.enumerated() { rankOf[Int(id)] = UInt32(rank) }
                for (i, entry) in source.enumerated() {
                    ranks[i * width + column] = rankOf[Int(reference(entry.part, entry.row, dimension))]
                }
                valuesByRank.append(sorted.map { ValueLocation(pool: UInt32(derivedPool), id: $0) })
            default:
                let (rankOf, locations) = Self.rank(slot: dimension.slot, of: parts)
                for (i, entry) in source.enumerated() {
                    ranks[i * width + column] = rankOf[entry.part][Int(parts[entry.part].table.rows[entry.row].slots[dimension.slot])]
                }
                valuesByRank.append(locations)
            }
        }
        self.valuesByRank = valuesByRank

        let sorted = Self.sortedRows(ranks, width: width, rowCount: rowCount)
        var references: [UInt32] = []
        references.reserveCapacity(rowCount * width)
        var counts: [CallCounts] = []
        counts.reserveCapacity(rowCount)
        var last = -1
        for row in sorted {
            let entry = source[row]
            let rowCounts = parts[entry.part].table.rows[entry.row].counts
            if last >= 0 && ranks[(last * width)..<(last * width + width)] == ranks[(row * width)..<(row * width + width)] {
                counts[counts.count - 1].add(rowCounts)
                continue
            }
            references += ranks[(row * width)..<(row * width + width)]
            counts.append(rowCounts)
            last = row
        }
        self.references = references
        self.counts = counts
        order = Array(counts.indices)

        // Rows of one first-dimension value are adjacent.
        var sizes = [UInt32](repeating: 0, count: counts.count)
        var start = 0
        while start < counts.count {
            var end = start + 1
            while end < counts.count && references[end * width] == references[start * width] { end += 1 }
            for i in start..<end { sizes[i] = UInt32(end - start) }
            start = end
        }
        groupSizes = sizes
    }

    /// The ranks of the values in `slot` of the parts' rows: each part's
    /// distinct values sorted by bytes, then merged (equal values across
    /// parts get one rank). Returns, per part, id -> rank, and per rank
    /// where its value lies.
    static func rank(slot: Int, of parts: [RowTable.Part]) -> ([[UInt32]], [ValueLocation]) {
        var rankOf: [[UInt32]] = []
        var lists: [[UInt32]] = []
        for part in parts {
            var marks = [UInt32](repeating: .max, count: part.values.count)
            var distinct: [UInt32] = []
            for row in part.table.rows {
                let id = row.slots[slot]
                if marks[Int(id)] == .max {
                    marks[Int(id)] = 0
                    distinct.append(id)
                }
            }
            part.values.sortByBytes(&distinct)
            rankOf.append(marks)
            lists.append(distinct)
        }
        var locations: [ValueLocation] = []
        locations.reserveCapacity(lists.reduce(0) { max($0, $1.count) })
        var heads = [Int](repeating: 0, count: parts.count)
        func precedes(_ a: ValueLocation, _ b: ValueLocation) -> Bool {
            parts[Int(a.pool)].values.withBytes(a.id) { x in
                parts[Int(b.pool)].values.withBytes(b.id) { y in x.lexicographicallyPrecedes(y) }
            }
        }
        while true {
            var smallest: ValueLocation?
            for p in parts.indices where heads[p] < lists[p].count {
                let candidate = ValueLocation(pool: UInt32(p), id: lists[p][heads[p]])
                if let current = smallest, !precedes(candidate, current) { continue }
                smallest = candidate
            }
            guard let value = smallest else { break }
            // A new rank unless the last ranked value has the same bytes.
            if let previous = locations.last, !precedes(previous, value) {
                rankOf[Int(value.pool)][Int(value.id)] = UInt32(locations.count - 1)
            } else {
                rankOf[Int(value.pool)][Int(value.id)] = UInt32(locations.count)
                locations.append(value)
            }
            heads[Int(value.pool)] += 1
        }
        return (rankOf, locations)
    }

    public var count: Int { order.count }

    /// Row indices in the order of their ranks, first column first.
    static func sortedRows(_ ranks: [UInt32], width: Int, rowCount: Int) -> [Int] {
        if width <= 2 {
            // One integer per row: the ranks side by side.
            var keyed = (0..<rowCount).map { row -> (key: UInt64, row: Int) in
                let high = UInt64(ranks[row * width])
                return (width == 1 ? high : high << 32 | UInt64(ranks[row * width + 1]), row)
            }
            keyed.sort { $0.key < $1.key }
            return keyed.map(\.row)
        }
        return (0..<rowCount).sorted { a, b in
            for column in 0..<width where ranks[a * width + column] != ranks[b * width + column] {
                return ranks[a * width + column] < ranks[b * width + column]
            }
            return false
        }
    }

    /// Keeps the `top` busiest rows of each value of the first dimension
    /// (ties in display order), in display order.
    mutating func keepBusiest(_ top: Int) {
        let width = dimensions.count
        var kept: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && references[order[end] * width] == references[order[start] * width] { end += 1 }
            if end - start <= top {
                kept += order[start..<end]
            } else {
                let busiest = (start..<end).sorted {
                    counts[order[$0]].calls != counts[order[$1]].calls
                        ? counts[order[$0]].calls > counts[order[$1]].calls : $0 < $1
                }
                kept += busiest.prefix(top).sorted().map { order[$0] }
            }
            start = end
        }
        order = kept
    }

    /// The rows in order as values, for small groupings (the HTML page).
    public var materialized: [(values: [String], counts: CallCounts)] {
        withReader { reader in
            order.map { row in ((0..<dimensions.count).map { reader.string(row: row, column: $0) }, counts[row]) }
        }
    }
}

extension GroupingDimension {
    /// For a dimension derived from another's value (the slot's), how.
    var derivation: ((String) -> String)? {
        switch self {
        case .ownerAccount: KMSKeyReference.ownerAccount(ofARN:)
        case .resourceService: ResourceContext.service(ofResource:)
        default: nil
        }
    }

    /// The row slot holding this dimension (or the one it is derived from).
    var slot: Int {
        switch self {
        case .key, .ownerAccount: RowSlots.keySlot
        case .resource, .resourceService: RowSlots.resourceSlot
        case .event: RowSlots.eventSlot
        case .principal: RowSlots.principalSlot
        case .identityType: RowSlots.identityTypeSlot
        case .callerAccount: RowSlots.callerAccountSlot
        case .region: RowSlots.regionSlot
        case .errorCode: RowSlots.errorCodeSlot
        case .day: RowSlots.daySlot
        case .via: RowSlots.viaSlot
        case .role: RowSlots.roleSlot
        }
    }
}

extension GroupedRows {
    /// Direct views of the storage the row writers read, for the length of
    /// one `withReader` call: the loop over millions of rows then touches
    /// no array (no reference counting, no bounds-check traps past the
    /// ones below). The one way a grouping's values are read.
    struct Reader {
        let dimensions: [GroupingDimension]
        let width: Int
        let references: UnsafeBufferPointer<UInt32>
        let valuesByRank: [UnsafeBufferPointer<ValueLocation>]
        let arenas: [UnsafeRawBufferPointer]
        let spans: [UnsafeBufferPointer<(offset: Int, count: Int)>]

        /// Calls `body` with the bytes of the value of `column` in row `row`
        /// (an index of `counts`), or with the date text of a day.
        @inline(__always)
        func withValue<R>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
            let location = valuesByRank[column][Int(references[row * width + column])]
            guard dimensions[column] != .day else {
                var text = location.id == 0 ? "" : UTCTime.date(day: RowSlots.day(fromValue: location.id))
                return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
            }
            let span = spans[Int(location.pool)][Int(location.id)]
            return body(UnsafeRawBufferPointer(rebasing: arenas[Int(location.pool)][span.offset..<(span.offset + span.count)]))
        }

        /// The value of `column` in row `row` as text.
        func string(row: Int, column: Int) -> String {
            withValue(row: row, column: column) { String(decoding: $0, as: UTF8.self) }
        }

        /// Fetches what row `row` needs in three steps a few rows apart:
        /// 0, where its values' locations lie; 1, where their bytes lie;
        /// 2, the bytes (rows are read in value order, their values lie in
        /// arrival order).
        @inline(__always)
        func prefetch(row: Int, step: Int) {
            for column in 0..<width where dimensions[column] != .day {
                let rank = Int(references[row * width + column])
                switch step {
                case 0: cjk_prefetch(valuesByRank[column].baseAddress.map { $0 + rank })
                case 1:
                    let location = valuesByRank[column][rank]
                    cjk_prefetch(spans[Int(location.pool)].baseAddress.map { $0 + Int(location.id) })
                default:
                    let location = valuesByRank[column][rank]
                    let span = spans[Int(location.pool)][Int(location.id)]
                    cjk_prefetch(arenas[Int(location.pool)].baseAddress.map { $0 + span.offset })
                }
            }
        }
    }

    /// Calls `body` with a `Reader` of these rows.
    func withReader<R>(_ body: (Reader) -> R) -> R {
        references.withUnsafeBufferPointer { references in
            Self.withViews(of: valuesByRank[...], []) { ranks in
                Self.withViews(of: pools[...], [], []) { arenas, spans in
                    body(Reader(
                        dimensions: dimensions, width: dimensions.count, references: references, valuesByRank: ranks,
                        arenas: arenas, spans: spans))
                }
            }
        }
    }

    private static func withViews<R>(
        of columns: ArraySlice<[ValueLocation]>, _ views: [UnsafeBufferPointer<ValueLocation>],
        _ body: ([UnsafeBufferPointer<ValueLocation>]) -> R
    ) -> R {
        guard let first = columns.first else { return body(views) }
        return first.withUnsafeBufferPointer { withViews(of: columns.dropFirst(), views + [$0], body) }
    }

    private static func withViews<R>(
        of pools: ArraySlice<ByteInterner>, _ arenas: [UnsafeRawBufferPointer],
        _ spans: [UnsafeBufferPointer<(offset: Int, count: Int)>],
        _ body: ([UnsafeRawBufferPointer], [UnsafeBufferPointer<(offset: Int, count: Int)>]) -> R
    ) -> R {
        guard let first = pools.first else { return body(arenas, spans) }
        return first.arena.withUnsafeBytes { arena in
            first.spans.withUnsafeBufferPointer { span in
                withViews(of: pools.dropFirst(), arenas + [arena], spans + [span], body)
            }
        }
    }
}
