// What both inflaters need to judge a gzip member's trailer: the last 8
// bytes they consumed. At the end of a member these are the trailer itself,
// CRC-32 then ISIZE, little-endian (RFC 1952).

/// The last 8 bytes an inflater consumed, oldest in the low byte.
struct GzipTrailer {
    private var bytes: UInt64 = 0

    /// Keeps the last 8 of `consumed` (with the ones before, when fewer).
    mutating func append(_ consumed: UnsafeRawBufferPointer) {
        if consumed.count >= 8 {
            bytes = UInt64(littleEndian: consumed.loadUnaligned(fromByteOffset: consumed.count - 8, as: UInt64.self))
        } else {
            for byte in consumed { bytes = (bytes >> 8) | (UInt64(byte) << 56) }
        }
    }

    /// The trailer's CRC-32 field, once the member has ended.
    var crc: UInt32 { UInt32(truncatingIfNeeded: bytes) }

    /// The trailer's ISIZE field (the output size modulo 2^32).
    var size: UInt32 { UInt32(truncatingIfNeeded: bytes >> 32) }
}
