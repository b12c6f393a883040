// A reusable zlib inflater for gzip data, fed and drained in chunks.

import CZlib

/// Inflates gzip members with zlib, one reusable `z_stream` per worker.
///
/// zlib keeps the address of the stream in its internal state, so the
/// stream lives in its own heap allocation whose address never changes
/// (swift-nio-extras HTTPDecompression does the same).
public final class GzipInflater: GzipDecoder {
    private let stream: UnsafeMutablePointer<z_stream>
    private var isInitialized = false

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
    }

    /// Inflates from `input` into `output`, advancing `input` past what was
    /// consumed.
    ///
    /// - Returns: bytes written to `output`, and whether the member ended.
    public func inflate(
        _ input: inout UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(InputError) -> (written: Int, progress: Progress) {
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
        input = UnsafeRawBufferPointer(rebasing: input[consumed...])
        switch rc {
        case Z_STREAM_END:
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

    /// Compressed bytes consumed in the current member, for error offsets.
    public var totalIn: Int { Int(stream.pointee.total_in) }
}
