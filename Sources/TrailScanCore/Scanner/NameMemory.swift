// Member names repeat: trail records, and their userIdentity,
// requestParameters, responseElements and resources[] objects, list the same
// names in the same order record after record. So the scanner remembers,
// for each name, the name that followed it last time, and first compares the
// bytes at the cursor with that prediction (three word loads). On a hit it
// steps over `"name":` and reuses the field matched last time; on a miss it
// scans and matches the name as usual and updates the prediction.
//
// A hit needs the bytes to equal exactly `"`, the remembered raw name, `"`
// and `:`, and only names that were scanned without escapes and followed at
// once by `:` are remembered. The remembered bytes passed the full scan
// (no control byte, valid UTF-8), so equal bytes pass it again with the same
// end and the same field: a hit changes no result and no error. The bytes
// never contain a zero, so a prediction cannot match across the end of the
// data (the byte at `count` is zero): a name cut by the buffer misses.

/// One remembered name: the raw bytes of `"name":` as three little-endian
/// words, with masks that keep only the bytes of its `length` (1...24).
struct NameSlot {
    var words: (UInt64, UInt64, UInt64)
    var masks: (UInt64, UInt64, UInt64)
    var length: UInt8
    /// The `RecordField` or `NestedField` raw value matched for the name.
    var field: UInt8
    /// The slot of the name that followed this one last time (0: none yet).
    var next: UInt8

    /// Matches nothing: its first byte must be a zero, never a quote.
    static let empty = NameSlot(words: (0, 0, 0), masks: (0xFF, 0, 0), length: 0, field: 0, next: 0)
}

/// The kinds of object whose names are remembered, each in its own region
/// of slots (the same name is followed by different ones in each).
enum NameRegion: Int, CaseIterable {
    case record, userIdentity, requestParameters, responseElements, resource
}

/// The remembered names of one scanner, kept from record to record and
/// from buffer to buffer (only predictions: any content is correct).
final class NameMemory {
    /// Per region: slot 0 stands before the first member of an object;
    /// slots 1...64 hold names, placed by a hash of their bytes (a name
    /// that collides replaces the other, which costs misses only).
    static let slotsPerRegion = 65

    let slots: UnsafeMutablePointer<NameSlot>

    init() {
        let count = NameRegion.allCases.count * Self.slotsPerRegion
        slots = UnsafeMutablePointer<NameSlot>.allocate(capacity: count)
        slots.initialize(repeating: .empty, count: count)
    }

    deinit {
        // NameSlot is trivial: nothing to deinitialize.
        slots.deallocate()
    }

    func chain(_ region: NameRegion) -> NameChain {
        NameChain(region: slots + region.rawValue * Self.slotsPerRegion)
    }
}

/// The walk through the names of one object: which name came last.
struct NameChain {
    let region: UnsafeMutablePointer<NameSlot>
    var previous = 0

    init(region: UnsafeMutablePointer<NameSlot>) {
        self.region = region
    }

    /// The longest `"name":` remembered: three words.
    static let maxLength = 24

    /// If the bytes at `i` (an opening quote) are the name that followed the
    /// previous one last time, with its `:`, steps `i` over them and returns
    /// the field matched for it then.
    @inline(__always)
    mutating func recall(_ bytes: JSONBytes, at i: inout Int) -> UInt8? {
        let index = Int(region[previous].next)
        let slot = region + index
        // Safe: i < count (it holds a quote), so i + 24 <= count + padding.
        let a = (bytes.word(at: i) ^ slot.pointee.words.0) & slot.pointee.masks.0
        let b = (bytes.word(at: i &+ 8) ^ slot.pointee.words.1) & slot.pointee.masks.1
        let c = (bytes.word(at: i &+ 16) ^ slot.pointee.words.2) & slot.pointee.masks.2
        guard a | b | c == 0 else { return nil }
        i &+= Int(slot.pointee.length)  // cannot overflow: i + 24 is in the buffer
        previous = index
        return slot.pointee.field
    }

    /// Remembers the name scanned from the quote at `quote` to `end` (just
    /// past its `:`) as the successor of the previous one.
    @inline(__always)
    mutating func learn(_ bytes: JSONBytes, from quote: Int, to end: Int, name: ByteSlice, field: UInt8) {
        let length = end &- quote
        // Escapes or whitespace before the ':' make the bytes no prediction
        // can compare; such a name starts the chain again.
        guard !name.escaped && length == name.count &+ 3 && length <= Self.maxLength else {
            previous = 0
            return
        }
        let masks = (Self.mask(length), Self.mask(length &- 8), Self.mask(length &- 16))
        let words = (
            bytes.word(at: quote) & masks.0, bytes.word(at: quote &+ 8) & masks.1,
            bytes.word(at: quote &+ 16) & masks.2
        )
        let index = Self.place(words, in: region)
        let slot = region + index
        // A name seen before keeps its successor: only a new one starts blank.
        if slot.pointee.words != words {
            slot.pointee = NameSlot(
                words: words, masks: masks, length: UInt8(truncatingIfNeeded: length), field: field, next: 0)
        }
        region[previous].next = UInt8(truncatingIfNeeded: index)
        previous = index
    }

    /// The slot for the name `words` in `region`: where it is already, else
    /// the first free one of up to 8 from its hash, else (a crowded
    /// region) the first of those, whose name is forgotten. The masked
    /// words tell names apart: the closing quote ends each one.
    @inline(__always)
    static func place(_ words: (UInt64, UInt64, UInt64), in region: UnsafeMutablePointer<NameSlot>) -> Int {
        // Fibonacci hashing: the top 6 bits of the product pick one of 64 slots.
        let hash = (words.0 ^ words.1 ^ words.2) &* 0x9E37_79B9_7F4A_7C15
        let home = Int(truncatingIfNeeded: hash &>> 58)
        for probe in 0..<8 {
            let index = 1 &+ (home &+ probe) & 63
            if region[index].length == 0 || region[index].words == words { return index }
        }
        return 1 &+ home
    }

    /// The mask of the first `n` bytes of a word (`n` clamped to 0...8):
    /// `>>` shifts by 64 or more to zero.
    @inline(__always)
    static func mask(_ n: Int) -> UInt64 {
        UInt64.max >> (64 &- 8 &* min(n, 8))
    }
}
