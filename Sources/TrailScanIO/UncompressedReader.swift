// Reads one file's uncompressed bytes in chunks (every gzip member, or the
// bytes as stored when the file is not gzip) and hands each chunk to the
// caller as it leaves the inflater: what a hash over the uncompressed
// content (CloudTrail's digest hashValue) needs, in the same pass as the
// inflate. The same inflaters and read strategies as FileScanner, the same
// error wording; memory is one output chunk, whatever the file size.

/// A reusable reader of uncompressed file content. One per thread.
public final class UncompressedReader {
    private let source: InputSource
    private let inflater: any GzipDecoder
    /// The inflater that runs (zlib when the one asked for is not available).
    public let inflaterKind: Inflater
    private let output: UnsafeMutableRawBufferPointer

    public init(inflater: Inflater = .zlib, readStrategy: ReadStrategy = .read, chunkBytes: Int = 256 << 10) {
        source = InputSource(strategy: readStrategy)
        if let decoder = inflater.makeDecoder() {
            (self.inflater, inflaterKind) = (decoder, inflater)
        } else {
            (self.inflater, inflaterKind) = (GzipInflater(), .zlib)
        }
        output = .allocate(byteCount: Swift.max(4096, chunkBytes), alignment: 16)
    }

    deinit { output.deallocate() }

    /// Reads `path`, calling `body` with each chunk of its uncompressed
    /// bytes, in order. A chunk is valid only during the call.
    ///
    /// - Returns: stored and uncompressed byte counts.
    /// - Throws: `InputError` (cannot open or read, not gzip though named
    ///   .gz, corrupt or truncated gzip data, data after the gzip stream).
    ///   `body` may have seen some chunks before the error.
    public func read(
        path: String, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(InputError) -> (stored: Int, uncompressed: Int) {
        defer { source.close() }
        try source.open(path)
        let stored = source.size
        var uncompressed = 0
        var input = try source.next()
        guard input.count > 0 else { throw InputError("empty file") }
        let isGzip = input[0] == 0x1F && (input.count < 2 || input[1] == 0x8B)
        if !isGzip && path.hasSuffix(".gz") {
            throw InputError("not a gzip file (the name ends in .gz but the data does not start with the gzip magic bytes)")
        }
        if !isGzip {
            while input.count > 0 {
                body(input)
                uncompressed += input.count
                input = try source.next()
            }
            return (stored, uncompressed)
        }
        try inflater.startMember()
        var consumedBefore = 0
        var chunkStart = input.count
        while true {
            if input.isEmpty {
                consumedBefore += chunkStart
                input = try source.next()
                chunkStart = input.count
                if input.isEmpty {
                    throw InputError(
                        "truncated gzip data: the file ends inside a gzip member (after \(consumedBefore) bytes)")
                }
            }
            let (written, progress) = try inflater.inflate(&input, into: output)
            if written > 0 {
                body(UnsafeRawBufferPointer(rebasing: output[..<written]))
                uncompressed += written
            }
            guard progress == .memberEnded else { continue }
            // Another member, or the end of the file.
            if input.isEmpty {
                consumedBefore += chunkStart
                input = try source.next()
                chunkStart = input.count
                if input.isEmpty { return (stored, uncompressed) }
            }
            guard input[0] == 0x1F, input.count < 2 || input[1] == 0x8B else {
                throw InputError(
                    "data after the end of the gzip stream at byte \(consumedBefore + chunkStart - input.count) (not a gzip member)")
            }
            try inflater.startMember()
        }
    }
}
