// gzip compression with zlib: the writing side of the trail generator and
// of tests that need .json.gz inputs. (Reading is GzipInflater's job.)

import CZlib

/// A zlib failure while compressing.
public struct GzipError: Error, Sendable, CustomStringConvertible {
    /// The zlib call that failed (`deflateInit2`, `deflate`, `deflateEnd`).
    public let operation: String
    /// zlib's return code.
    public let code: Int32
    public let description: String

    init(_ operation: String, code: Int32, stream: UnsafeMutablePointer<z_stream>) {
        self.operation = operation
        self.code = code
        let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
        description = "gzip: \(operation) failed: \(message)"
    }
}

/// One-shot gzip compression.
public enum Gzip {
    /// Compresses `bytes` into a single gzip member (RFC 1952).
    ///
    /// - Parameters:
    ///   - bytes: the data; any size (fed to zlib in chunks below 4 GiB).
    ///   - level: zlib level, 0 (store) ... 9 (smallest); 6 is zlib's and gzip's default.
    /// - Returns: the gzip member.
    /// - Throws: `GzipError` when zlib reports an error (an invalid level, out of memory).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        // zlib keeps the stream's address in its internal state: the stream
        // gets its own heap allocation that does not move.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        // 15 + 16: a 32 KiB window with a gzip header and trailer.
        let rc = czlib_deflateInit2(stream, level, 15 + 16)
        guard rc == Z_OK else { throw GzipError("deflateInit2", code: rc, stream: stream) }
        var ended = false
        defer { if !ended { deflateEnd(stream) } }  // error paths: free zlib's state

        // deflateBound is exact enough that one pass suffices; the loop
        // still grows the output if zlib ever asks for more.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))) + 64)
        var produced = 0
        try bytes.withUnsafeBufferPointer { input in
            var consumed = 0
            while true {
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count / 2 + 4096)) }
                // zlib counts in UInt32: feed and drain at most 1 GiB per call.
                let inCount = Swift.min(input.count - consumed, 1 << 30)
                let outCount = Swift.min(output.count - produced, 1 << 30)
                let flush = consumed + inCount == input.count ? Z_FINISH : Z_NO_FLUSH
                let code = output.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                    stream.pointee.avail_in = uInt(inCount)
                    stream.pointee.next_out = out.baseAddress! + produced
                    stream.pointee.avail_out = uInt(outCount)
                    return deflate(stream, flush)
                }
                let progress = (inCount - Int(stream.pointee.avail_in)) + (outCount - Int(stream.pointee.avail_out))
                consumed += inCount - Int(stream.pointee.avail_in)
                produced += outCount - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                switch code {
                case Z_STREAM_END:
                    return
                case Z_OK, Z_BUF_ERROR:
                    // Progress, or none possible because the output is full
                    // (the next round grows it). No progress with room left
                    // would loop forever: zlib is in a state we do not expect.
                    if progress == 0 && produced < output.count {
                        throw GzipError("deflate", code: code, stream: stream)
                    }
                    continue
                default:
                    throw GzipError("deflate", code: code, stream: stream)
                }
            }
        }
        ended = true
        let endCode = deflateEnd(stream)
        guard endCode == Z_OK else { throw GzipError("deflateEnd", code: endCode, stream: stream) }
        output.removeSubrange(produced...)
        return output
    }
}
