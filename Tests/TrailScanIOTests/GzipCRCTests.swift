// The folded CRC-32 (CGzipCRC) against zlib's crc32 on the same bytes:
// every length from 0 to 4 KiB at every alignment in a 16-byte line, with
// and without a running CRC carried in, and one large buffer in pieces.

import CGzipCRC
import CZlib
import Testing

@Suite struct GzipCRCTests {
    /// Pseudo-random bytes (xorshift), the same every run.
    static let bytes: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<(1 << 20) + 64).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }()

    static let folds = gzcrc_available() != 0

    @Test(.enabled(if: folds, "no PCLMULQDQ on this CPU: the zlib path keeps zlib's CRC"))
    func matchesZlibAtEveryLengthAndAlignment() {
        var mismatches: [String] = []
        Self.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            for offset in 0..<16 {
                for count in 0...4096 {
                    let seed = UInt32(truncatingIfNeeded: count &* 2_654_435_761)
                    let folded = gzcrc_update(seed, base + offset, count)
                    let reference = UInt32(crc32(uLong(seed), base + offset, uInt(count)))
                    if folded != reference { mismatches.append("offset \(offset), \(count) bytes") }
                }
            }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test(.enabled(if: folds, "no PCLMULQDQ on this CPU: the zlib path keeps zlib's CRC"))
    func aLargeBufferInUnevenPiecesMatchesZlibInOne() {
        Self.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let total = 1 << 20
            var crc: UInt32 = 0
            var done = 0
            var piece = 1
            while done < total {
                let count = min(piece, total - done)
                crc = gzcrc_update(crc, base + done, count)
                done += count
                piece = piece * 3 + 7  // 1, 10, 37, 118, ... up to whole-window sizes
            }
            #expect(crc == UInt32(crc32(0, base, uInt(total))))
        }
    }
}
