// Sorting interned values into the byte order of their UTF-8, which is the
// order every report lists rows in. Millions of values (one per role
// session, one per S3 object) share long prefixes ("arn:aws:sts::<account>:
// assumed-role/<role>/"), so a comparison sort re-reads those prefixes in
// every one of its n log n comparisons, each a pair of cache misses. This is
// a multikey quicksort (Bentley & Sedgewick, "Fast algorithms for sorting and
// searching strings", 1997) on eight bytes at a time: ranges that agree on
// their next bytes skip their common prefix in one pass, and each pass reads
// the values once, in order of the array being sorted.

extension ByteInterner {
    /// Sorts `ids` (distinct ids of this interner) into the byte order of
    /// their values (a value that is a prefix of another comes first).
    public func sortByBytes(_ ids: inout [UInt32]) {
        guard ids.count > 1 else { return }
        var keys = [ChunkKey](repeating: ChunkKey(chunk: 0, length: 0), count: ids.count)
        arena.withUnsafeBytes { arena in
            spans.withUnsafeBufferPointer { spans in
                ids.withUnsafeMutableBufferPointer { ids in
                    keys.withUnsafeMutableBufferPointer { keys in
                        var sorter = MultikeySorter(arena: arena, spans: spans, ids: ids, keys: keys)
                        sorter.sort()
                    }
                }
            }
        }
    }
}

/// Eight bytes of a value from some depth on, big-endian (so that integer
/// order is byte order), zero-padded, and how many of them exist: 0...8,
/// or 9 when the value goes on past them.
struct ChunkKey: Comparable {
    var chunk: UInt64
    var length: UInt8

    static func < (a: ChunkKey, b: ChunkKey) -> Bool {
        a.chunk != b.chunk ? a.chunk < b.chunk : a.length < b.length
    }
}

/// The sort's working state: views of the interner's storage and of the
/// arrays being sorted, valid for the duration of one `sortByBytes`.
private struct MultikeySorter {
    let arena: UnsafeRawBufferPointer
    let spans: UnsafeBufferPointer<(offset: Int, count: Int)>
    let ids: UnsafeMutableBufferPointer<UInt32>
    /// keys[i] is ids[i]'s chunk at the depth of the range holding i.
    let keys: UnsafeMutableBufferPointer<ChunkKey>

    /// A range of `ids` whose values agree on their first `depth` bytes;
    /// `keysReady`: `keys` already hold the chunks at `depth`.
    struct Task {
        var low: Int
        var high: Int
        var depth: Int
        var keysReady: Bool
    }

    mutating func sort() {
        var tasks = [Task(low: 0, high: ids.count, depth: 0, keysReady: false)]
        while var task = tasks.popLast() {
            guard task.high - task.low > 1 else { continue }
            if task.high - task.low <= 16 {
                insertionSort(task.low, task.high, from: task.depth)
                continue
            }
            if !task.keysReady {
                task.depth += commonPrefix(task.low, task.high, from: task.depth)
                for i in task.low..<task.high { keys[i] = key(ids[i], at: task.depth) }
            }
            let (less, greater, pivot) = partition(task.low, task.high)
            tasks.append(Task(low: task.low, high: less, depth: task.depth, keysReady: true))
            tasks.append(Task(low: greater, high: task.high, depth: task.depth, keysReady: true))
            // Equal chunks of values that go on: sort them on what follows.
            // (Equal chunks of values that end here are equal values: ids
            // are distinct, so at most one.)
            if pivot.length == 9 {
                tasks.append(Task(low: less, high: greater, depth: task.depth + 8, keysReady: false))
            }
        }
    }

    /// Dijkstra's three-way partition of low..<high on a median-of-three
    /// pivot: [low, less) below it, [less, greater) equal, [greater, high)
    /// above.
    mutating func partition(_ low: Int, _ high: Int) -> (Int, Int, ChunkKey) {
        let a = keys[low], b = keys[low + (high - low) / 2], c = keys[high - 1]
        let pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b))
        var less = low, i = low, greater = high
        while i < greater {
            let k = keys[i]
            if k < pivot {
                swapAt(less, i)
                less += 1
                i += 1
            } else if pivot < k {
                greater -= 1
                swapAt(i, greater)
            } else {
                i += 1
            }
        }
        return (less, greater, pivot)
    }

    @inline(__always)
    func swapAt(_ i: Int, _ j: Int) {
        ids.swapAt(i, j)
        keys.swapAt(i, j)
    }

    /// The value of `id` from byte `depth` on.
    @inline(__always)
    func suffix(_ id: UInt32, from depth: Int) -> UnsafeRawBufferPointer {
        let span = spans[Int(id)]
        let start = min(depth, span.count)
        return UnsafeRawBufferPointer(rebasing: arena[(span.offset + start)..<(span.offset + span.count)])
    }

    func key(_ id: UInt32, at depth: Int) -> ChunkKey {
        let bytes = suffix(id, from: depth)
        var chunk: UInt64 = 0
        if bytes.count >= 8 {
            chunk = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        } else {
            for (i, byte) in bytes.enumerated() { chunk |= UInt64(byte) << UInt64(56 - 8 * i) }
        }
        return ChunkKey(chunk: chunk, length: UInt8(min(bytes.count, 9)))
    }

    /// How many bytes from `depth` on every value of the range shares with
    /// the first (one pass; long shared prefixes are skipped at once).
    func commonPrefix(_ low: Int, _ high: Int, from depth: Int) -> Int {
        let first = suffix(ids[low], from: depth)
        var common = first.count
        for i in (low + 1)..<high where common > 0 {
            let other = suffix(ids[i], from: depth)
            var n = 0
            let limit = min(common, other.count)
            while n + 8 <= limit
                && first.loadUnaligned(fromByteOffset: n, as: UInt64.self)
                    == other.loadUnaligned(fromByteOffset: n, as: UInt64.self)
            {
                n += 8
            }
            while n < limit && first[n] == other[n] { n += 1 }
            common = n
        }
        return common
    }

    mutating func insertionSort(_ low: Int, _ high: Int, from depth: Int) {
        for i in (low + 1)..<high {
            var j = i
            while j > low && precedes(ids[j], ids[j - 1], from: depth) {
                ids.swapAt(j, j - 1)
                j -= 1
            }
        }
    }

    func precedes(_ a: UInt32, _ b: UInt32, from depth: Int) -> Bool {
        suffix(a, from: depth).lexicographicallyPrecedes(suffix(b, from: depth))
    }
}
