// A reusable zlib inflater for gzip data, fed and drained in chunks.

import CGzipCRC
import CZlib

/// Inflates gzip members with zlib, one reusable `z_stream` per worker.
///
/// zlib keeps the address of the stream in its internal state, so the
/// stream lives in its own heap allocation whose address never changes
/// (swift-nio-extras HTTPDecompression does the same).
///
/// zlib checks the trailer's CRC-32 with a byte-table CRC that costs an
/// eighth of a whole scan. Where the CPU can fold it with PCLMULQDQ
/// (CGzipCRC, 8x faster), zlib's checks are turned off for the member
/// (`inflateValidate`) and this class checks the trailer itself, CRC-32
/// first and then ISIZE, in zlib's words. Members with a header CRC
/// (FHCRC, which zlib checks only while validating) keep zlib's checks.
public final class GzipInflater: GzipDecoder {
    private let stream: UnsafeMutablePointer<z_stream>
    private var isInitialized = false
    /// Whether this member's CRC is checked here rather than by zlib.
    private var checksCRC = false
    /// The CRC-32 of the member's output so far (when `checksCRC`).
    private var crc: UInt32 = 0
    /// The last bytes zlib consumed: the trailer once the member ended.
    private var trailer = GzipTrailer()
    private static let foldsCRC = gzcrc_available() != 0

    /// What one `inflate` call achieved (the name predates `GzipDecoder`).
    public typealias Progress = GzipProgress

    public init() {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if isInitialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Prepares for a new gzip member (the first of a file, or the next one
    /// of a multi-member file).
    public func startMember() throws(InputError) {
        let rc: Int32
        if isInitialized {
            rc = inflateReset(stream)
        } else {
            // 15 + 16: a 32 KiB window, gzip header and trailer only.
            rc = czlib_inflateInit2(stream, 15 + 16)
            isInitialized = rc == Z_OK
        }
        guard rc == Z_OK else { throw InputError("zlib could not start inflating (code \(rc))") }
        // zlib validates until the header says it need not (see `inflate`).
        inflateValidate(stream, 1)
        checksCRC = false
        crc = 0
        trailer = GzipTrailer()
    }

    /// Inflates from `input` into `output`, advancing `input` past what was
    /// consumed.
    ///
    /// - Returns: bytes written to `output`, and whether the member ended.
    public func inflate(
        _ input: inout UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(InputError) -> (written: Int, progress: Progress) {
        if stream.pointee.total_in == 0 && Self.foldsCRC { takeOverCRC(input) }
        // zlib counts in UInt32: feed at most 1 GiB per call so both counts fit.
        let inCount = min(input.count, 1 << 30)
        let outCount = min(output.count, 1 << 30)
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(inCount)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(outCount)
        let rc = CZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = inCount - Int(stream.pointee.avail_in)
        let written = outCount - Int(stream.pointee.avail_out)
        if checksCRC {
            crc = gzcrc_update(crc, output.baseAddress?.assumingMemoryBound(to: UInt8.self), written)
            trailer.append(UnsafeRawBufferPointer(rebasing: input[..<consumed]))
        }
        input = UnsafeRawBufferPointer(rebasing: input[consumed...])
        switch rc {
        case Z_STREAM_END:
            if checksCRC { try checkTrailer() }
            return (written, .memberEnded)
        case Z_OK:
            return (written, .progressed)
        case Z_BUF_ERROR:
            // No progress was possible: zlib needs more input than there is.
            // The caller sees 0 written with input left empty.
            return (written, .progressed)
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
            throw InputError("corrupt gzip data: \(message)")
        }
    }

    /// The member's trailer against its output: CRC-32 first, as zlib.
    private func checkTrailer() throws(InputError) {
        if trailer.crc != crc {
            throw InputError("corrupt gzip data: incorrect data check")
        }
        if trailer.size != UInt32(truncatingIfNeeded: stream.pointee.total_out) {
            throw InputError("corrupt gzip data: incorrect length check")
        }
    }

    /// At the start of a member: checks the CRC here instead of in zlib
    /// when the member's first 4 bytes are in `input` and announce a gzip
    /// header without FHCRC. Anything else (a header cut by the end of the
    /// input, a bad header) stays with zlib, which reports it as before.
    private func takeOverCRC(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 4, input[0] == 0x1F, input[1] == 0x8B, input[3] & 0x02 == 0 else { return }
        inflateValidate(stream, 0)
        checksCRC = true
    }

    /// Compressed bytes consumed in the current member, for error offsets.
    public var totalIn: Int { Int(stream.pointee.total_in) }
}
