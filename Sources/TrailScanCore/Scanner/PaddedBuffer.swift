// A growable byte buffer that always keeps `PaddedBuffer.padding` zero bytes
// readable past its end.
//
// The padding is what lets the scanner run without bounds checks (simdjson's
// SIMDJSON_PADDING idea): every inner loop stops at a zero byte, because NUL is
// never a legal byte in the places those loops run (inside a string it is an
// unescaped control character, between tokens it is not whitespace). Only when
// a loop stops does the scanner ask whether it stopped at the real end of the
// data or at a real NUL. Word-at-a-time loads up to 8 bytes past any in-bounds
// index are therefore always inside the allocation.

/// A reusable byte buffer with zeroed padding after its contents.
///
/// One buffer is owned by each worker and reused for every file: it grows
/// geometrically and never shrinks during a run.
public final class PaddedBuffer {
    /// Readable zero bytes kept after `count`. Must be at least 8 (one word load).
    public static let padding = 64

    internal private(set) var storage: UnsafeMutableRawPointer
    /// Bytes of allocation usable for contents (the padding is extra).
    public private(set) var capacity: Int
    /// Bytes of valid contents.
    public private(set) var count: Int = 0

    public init(capacity: Int = 256 * 1024) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.storage = UnsafeMutableRawPointer.allocate(
            byteCount: capacity + Self.padding, alignment: 16)
        self.storage.initializeMemory(as: UInt8.self, repeating: 0, count: Self.padding)
    }

    /// Creates a buffer holding a copy of `bytes`.
    public convenience init(copying bytes: some Collection<UInt8>) {
        self.init(capacity: max(bytes.count, 1))
        self.append(contentsOf: bytes)
    }

    deinit {
        storage.deallocate()
    }

    /// Free bytes after `count` that `withUnsafeSpareCapacity` can fill.
    public var spareCapacity: Int { capacity - count }

    /// Drops the first `n` bytes, moving the rest to the front.
    public func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count)
        if n == 0 { return }
        let remaining = count - n
        if remaining > 0 {
            storage.copyMemory(from: storage + n, byteCount: remaining)
        }
        setCount(remaining)
    }

    public func removeAll() { setCount(0) }

    /// Grows the allocation so that at least `minimumCapacity` bytes fit, at
    /// least doubling it (so rescans after growth stay amortized linear).
    public func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity <= capacity { return }
        let newCapacity = max(minimumCapacity, capacity * 2)
        let newStorage = UnsafeMutableRawPointer.allocate(
            byteCount: newCapacity + Self.padding, alignment: 16)
        newStorage.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
        setCount(count)
    }

    public func append(contentsOf bytes: some Collection<UInt8>) {
        reserveCapacity(count + bytes.count)
        var i = count
        for b in bytes {
            storage.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
            i += 1
        }
        setCount(i)
    }

    public func append(_ bytes: UnsafeRawBufferPointer) {
        reserveCapacity(count + bytes.count)
        if let base = bytes.baseAddress {
            (storage + count).copyMemory(from: base, byteCount: bytes.count)
        }
        setCount(count + bytes.count)
    }

    /// Lets `body` write into the spare capacity; `body` returns how many
    /// bytes it wrote, which must not exceed the pointer's count.
    ///
    /// The pointer must not escape `body`. The padding is re-zeroed afterwards.
    public func withUnsafeSpareCapacity<E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        let spare = UnsafeMutableRawBufferPointer(start: storage + count, count: capacity - count)
        let written = try body(spare)
        precondition(written >= 0 && written <= spare.count, "wrote past the spare capacity")
        setCount(count + written)
        return written
    }

    /// Calls `body` with the contents; `count + padding` bytes are readable,
    /// and the padding is zero.
    public func withUnsafeBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage, count: count))
    }

    /// A copy of the contents (tests and diagnostics).
    public var bytes: [UInt8] {
        Array(UnsafeRawBufferPointer(start: storage, count: count))
    }

    private func setCount(_ newCount: Int) {
        count = newCount
        (storage + newCount).initializeMemory(as: UInt8.self, repeating: 0, count: Self.padding)
    }
}
