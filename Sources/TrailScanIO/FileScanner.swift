// One worker's pipeline for one file: read → inflate (streaming, every gzip
// member) → scan the complete records in the window → carry the unfinished
// tail → repeat. Memory is the window plus the largest single record.

import TrailScanCore

/// The limits and strategies of a scan.
public struct ScanOptions: Sendable {
    /// Worker threads.
    public var jobs: Int
    /// How files are read.
    public var readStrategy: ReadStrategy
    /// Bytes of decoded JSON scanned per step (grows only for a larger record).
    public var windowBytes: Int
    /// A single record (or other top-level member) larger than this fails its file.
    public var maximumRecordBytes: Int
    /// Inflate only, without scanning (benchmarks: shows the scanner's share).
    public var inflateOnly: Bool
    /// The gzip inflater; one that is not available (`Inflater.isAvailable`)
    /// runs as zlib, and `FileScanner.inflaterKind` says so.
    public var inflater: Inflater
    /// What each record is counted by (docs/audit.md); the engine's
    /// docs/counting.md counts by default.
    public var plan: ScanPlan = .engine

    public init(
        jobs: Int = 1, readStrategy: ReadStrategy = .read, windowBytes: Int = 256 << 10,
        maximumRecordBytes: Int = 256 << 20, inflateOnly: Bool = false, inflater: Inflater = .zlib
    ) {
        self.jobs = jobs
        self.readStrategy = readStrategy
        self.windowBytes = windowBytes
        self.maximumRecordBytes = maximumRecordBytes
        self.inflateOnly = inflateOnly
        self.inflater = inflater
    }
}

/// What happened to one file.
public struct FileOutcome: Sendable {
    public var path: String
    public var bytesCompressed: UInt64 = 0
    public var bytesUncompressed: UInt64 = 0
    /// Records scanned (all of them when the file succeeded, those before
    /// the failure otherwise).
    public var records: UInt64 = 0
    /// Why the file failed, or nil when it was counted.
    public var failure: String?
}

/// Scans files one after the other with reusable buffers. One per worker.
public final class FileScanner {
    public let tally: UsageTally
    private let options: ScanOptions
    private let source: InputSource
    private let inflater: any GzipDecoder
    /// The inflater that runs: `options.inflater`, or zlib when that is not available.
    public let inflaterKind: Inflater
    private var window: PaddedBuffer

    public init(options: ScanOptions, tally: UsageTally? = nil) {
        self.options = options
        self.tally = tally ?? UsageTally(plan: options.plan)
        self.source = InputSource(strategy: options.readStrategy)
        self.window = PaddedBuffer(capacity: options.windowBytes)
        if let decoder = options.inflater.makeDecoder() {
            (inflater, inflaterKind) = (decoder, options.inflater)
        } else {
            (inflater, inflaterKind) = (GzipInflater(), .zlib)
        }
    }

    /// Scans `path`, committing its counts to `tally` only if the whole file
    /// was read and parsed. `size`: the size the directory walk saw (spares
    /// a stat and an end-of-file read per file; see `InputSource.open`).
    public func scan(path: String, size: Int? = nil) -> FileOutcome {
        var outcome = FileOutcome(path: path)
        defer {
            source.close()
            // A record far larger than the window grew it; give that memory back.
            if window.capacity > 4 * options.windowBytes { window = PaddedBuffer(capacity: options.windowBytes) }
        }
        do {
            try source.open(path, knownSize: size)
            outcome.bytesCompressed = UInt64(source.size)
            try scanOpenFile(path: path, &outcome)
            outcome.records = tally.pendingRecords
            tally.commitFile()
        } catch {
            outcome.records = tally.pendingRecords
            // A file cut while it was read fails on whatever its bytes ran
            // into (truncated gzip, zero pages, garbage JSON): say why.
            outcome.failure = (source.shrinkage() ?? error).description
            tally.discardFile()
        }
        return outcome
    }

    /// Test hook: see `InputSource.beforePiece`.
    package var beforePiece: ((Int) -> Void)? {
        get { source.beforePiece }
        set { source.beforePiece = newValue }
    }

    private func scanOpenFile(path: String, _ outcome: inout FileOutcome) throws(InputError) {
        var input = try source.next()
        guard input.count > 0 else { throw InputError("empty file") }
        // (A file cut after the first magic byte is a truncated gzip file.)
        let isGzip = input[0] == 0x1F && (input.count < 2 || input[1] == 0x8B)
        if !isGzip && path.hasSuffix(".gz") {
            throw InputError("not a gzip file (the name ends in .gz but the data does not start with the gzip magic bytes)")
        }
        if isGzip { try inflater.startMember() }

        var stream = RecordStream()
        var endOfData = false
        var compressedBefore = 0  // compressed bytes of the chunks already used up
        var chunkStartCount = input.count
        window.removeAll()
        while true {
            // Fill the window.
            while !endOfData && window.spareCapacity > 0 {
                if input.isEmpty {
                    compressedBefore += chunkStartCount
                    input = try source.next()
                    chunkStartCount = input.count
                    if input.isEmpty {
                        if isGzip {
                            throw InputError(
                                "truncated gzip data: the file ends inside a gzip member (after \(compressedBefore) bytes)")
                        }
                        endOfData = true
                        break
                    }
                }
                if isGzip {
                    var progress = GzipProgress.progressed
                    let written = try window.withUnsafeSpareCapacity { (out) throws(InputError) in
                        let result = try inflater.inflate(&input, into: out)
                        progress = result.progress
                        return result.written
                    }
                    outcome.bytesUncompressed &+= UInt64(written)
                    if progress == .memberEnded {
                        endOfData = try startNextMember(&input, &compressedBefore, &chunkStartCount)
                    }
                } else {
                    let n = min(input.count, window.spareCapacity)
                    window.append(UnsafeRawBufferPointer(rebasing: input[..<n]))
                    input = UnsafeRawBufferPointer(rebasing: input[n...])
                    outcome.bytesUncompressed &+= UInt64(n)
                }
            }

            if options.inflateOnly {
                window.removeAll()
                if endOfData { return }
                continue
            }
            let recordDoesNotFit: Bool
            do {
                recordDoesNotFit = try stream.advance(window, isFinal: endOfData, into: tally)
            } catch {
                // Well-formed JSON that is not a trail log is not "invalid JSON".
                throw InputError(error.reason == .notATrail ? "\(error)" : "invalid JSON: \(error)")
            }
            if endOfData { return }
            if recordDoesNotFit {
                // One record does not fit in the window: grow it (doubling keeps
                // the rescans of that record linear), up to the limit.
                guard window.capacity < options.maximumRecordBytes else {
                    throw InputError(
                        "\(ScanError.Reason.recordTooLarge) (\(options.maximumRecordBytes) bytes) at byte \(stream.streamOffset)")
                }
                window.reserveCapacity(min(window.capacity * 2, options.maximumRecordBytes))
            }
        }
    }

    /// After a member ended: true at the end of the file, or starts the next
    /// member; anything else after a member is an error.
    private func startNextMember(
        _ input: inout UnsafeRawBufferPointer, _ compressedBefore: inout Int, _ chunkStartCount: inout Int
    ) throws(InputError) -> Bool {
        if input.isEmpty {
            compressedBefore += chunkStartCount
            input = try source.next()
            chunkStartCount = input.count
            if input.isEmpty { return true }
        }
        // Another member must follow. Its header may straddle two read()
        // chunks; both inflaters parse headers incrementally and reject a bad
        // magic ("incorrect header check"), so checking what is here is enough.
        guard input[0] == 0x1F, input.count < 2 || input[1] == 0x8B else {
            throw trailingData(compressedBefore + chunkStartCount - input.count)
        }
        try inflater.startMember()
        return false
    }

    private func trailingData(_ offset: Int) -> InputError {
        InputError("data after the end of the gzip stream at byte \(offset) (not a gzip member)")
    }
}

