// Byte strings -> dense UInt32 ids, so the hot path counts by integers and
// builds a String only once per distinct value, at report time.

/// An append-only set of byte strings, each with a dense id (0, 1, 2...).
///
/// A struct, so the hot path reaches its arrays through `inout` with no
/// dynamic exclusivity checks (a class's stored properties get a
/// `swift_beginAccess` per access). Open addressing with linear probing over a power-of-two table, and a
/// cheap multiplicative hash (not DoS-resistant: the vocabulary is CloudTrail's
/// key ARNs and event names; `maximumBytes` caps what hostile input can make
/// it hold).
public struct ByteInterner: Sendable {
    /// Storage for all interned bytes, back to back.
    var arena: [UInt8] = []
    /// Per id: where its bytes lie in `arena`.
    var spans: [(offset: Int, count: Int)] = []
    private var hashes: [UInt64] = []
    /// Slot -> id + 1 (0 = empty).
    private var slots: [UInt32]
    private var mask: Int

    /// Upper bound on the total bytes held; `intern` returns nil past it.
    public let maximumBytes: Int

    public init(maximumBytes: Int = 1 << 30) {
        self.maximumBytes = maximumBytes
        self.slots = Array(repeating: 0, count: 1024)
        self.mask = 1023
    }

    /// Number of distinct values.
    public var count: Int { spans.count }

    /// The id of `bytes`, adding it if new; nil when the interner is full.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry &- 1)  // entry > 0 here
            if hashes[id] == hash && equals(id, bytes) { return UInt32(id) }
            slot = (slot &+ 1) & mask
        }
        guard arena.count + bytes.count <= maximumBytes, spans.count < Int(UInt32.max - 1) else { return nil }
        let id = spans.count
        spans.append((arena.count, bytes.count))
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        slots[slot] = UInt32(id + 1)
        if spans.count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    /// The id of `bytes` when interned, without adding it.
    public func find(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry &- 1)
            if hashes[id] == hash && equals(id, bytes) { return UInt32(id) }
            slot = (slot &+ 1) & mask
        }
    }

    /// The id of a Swift string's UTF-8 bytes, when interned.
    public func find(_ string: String) -> UInt32? {
        var s = string
        return s.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    /// Calls `body` with the bytes of `id` (valid only inside `body`).
    public func withBytes<R>(_ id: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let span = spans[Int(id)]
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[span.offset..<(span.offset + span.count)])) }
    }

    /// The id of a Swift string's UTF-8 bytes (merge and test paths).
    public mutating func intern(_ string: String) -> UInt32? {
        var s = string
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The bytes of `id`.
    public func bytes(_ id: UInt32) -> ArraySlice<UInt8> {
        let span = spans[Int(id)]
        return arena[span.offset..<(span.offset + span.count)]
    }

    /// The value of `id` as a String (invalid UTF-8 is repaired).
    public func string(_ id: UInt32) -> String {
        String(decoding: bytes(id), as: UTF8.self)
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let span = spans[id]
        guard span.count == bytes.count else { return false }
        return arena.withUnsafeBytes { arenaBytes in
            guard span.count > 0 else { return true }
            return memoryEquals(arenaBytes.baseAddress! + span.offset, bytes.baseAddress!, span.count)
        }
    }

    private mutating func grow() { rehash(slots.count * 2) }

    private mutating func rehash(_ newSize: Int) {
        slots = Array(repeating: 0, count: newSize)
        mask = newSize - 1
        for id in 0..<spans.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = UInt32(id + 1)
        }
    }

    /// A word-at-a-time multiplicative hash with a final avalanche.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* k
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h
    }
}

@inline(__always)
func memoryEquals(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
