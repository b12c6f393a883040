// What a scan read, for the summary line and the report's `summary` object.

/// Totals of one scan. The accounting identities the reports rely on:
/// files seen = `files + filesFailed + filesSkipped`, and records read =
/// `records + recordsInFailedFiles`.
public struct ScanSummary: Sendable, Equatable {
    /// Files read whole and counted.
    public var files = 0
    /// Files not opened: under `CloudTrail-Digest/` or `CloudTrail-Insight/`.
    public var filesSkipped = 0
    /// Files that could not be read, inflated or parsed; none of their
    /// records are counted.
    public var filesFailed = 0
    /// Records counted (in files read whole).
    public var records: UInt64 = 0
    /// Of those, records whose eventSource is kms.amazonaws.com.
    public var kmsRecords: UInt64 = 0
    /// Records read from failed files before they failed, left out of the counts.
    public var recordsInFailedFiles: UInt64 = 0
    /// Bytes of the files as stored (compressed for .gz), counted and failed.
    public var bytesCompressed: UInt64 = 0
    /// Bytes of JSON after inflating, counted and failed.
    public var bytesUncompressed: UInt64 = 0
    /// Wall-clock seconds of the scan; for merged parts, those of the
    /// longest part (parts run side by side).
    public var seconds: Double = 0
    /// Processor seconds (user + system) the scan used; for merged parts,
    /// their sum.
    public var cpuSeconds: Double = 0
    /// The inflater that ran (e.g. "zlib").
    public var inflater = "zlib"
    /// Worker threads used.
    public var jobs = 1
    /// Records of the counted event source that passed the record filters.
    public var selectedRecords: UInt64 = 0
    /// Copies of cross-account calls folded into the other copy.
    public var duplicatesFolded: UInt64 = 0
    /// Copies of events that two trails delivered into the scanned files
    /// (same `eventID`, same account, region and day, other trail
    /// prefixes), folded: per trail prefix of the copies not counted
    /// ("prefixB/AWSLogs", or "AWSLogs" beside an organization trail's
    /// "AWSLogs/o-…"). Filled in by the scan; merged by adding.
    public var deliveryCopiesFolded: [String: UInt64] = [:]

    /// All copies folded as duplicate deliveries.
    public var deliveryCopiesFoldedTotal: UInt64 { deliveryCopiesFolded.values.reduce(0, &+) }
    /// Why an answer is empty or partial, one sentence each ("no log file
    /// was found", "no record matched --account 1111"). Set when the answer
    /// is resolved (`ReportAnswer`); never merged.
    public var notes: [String] = []

    /// Bytes of JSON this run inflated itself in `seconds`, the basis of the
    /// throughput the summary shows: nil means all of `bytesUncompressed` (a
    /// plain scan). A merge of summaries sets 0 (its parts were read by
    /// other runs, at other times; no throughput is shown), and `--db` the
    /// bytes of the folders it rescanned. Not part of the JSON report.
    public var jsonBytesThisRun: UInt64?

    /// The bytes the throughput is computed from (see `jsonBytesThisRun`).
    public var throughputBytes: UInt64 { jsonBytesThisRun ?? bytesUncompressed }

    public init() {}
}

/// A file that was not counted, and why.
public struct FileFailure: Sendable, Equatable {
    /// The path as discovered (as given on the command line or found below a root).
    public var path: String
    /// What went wrong, with the byte offset where known.
    public var error: String
    /// Records scanned before the failure; they are not in the counts.
    public var recordsBeforeFailure: UInt64

    public init(path: String, error: String, recordsBeforeFailure: UInt64 = 0) {
        self.path = path
        self.error = error
        self.recordsBeforeFailure = recordsBeforeFailure
    }
}

extension ScanSummary {
    /// Adds the totals of `other`, a scan of other files (a shard of the
    /// same trail, another process or machine). Counts add; `seconds` and
    /// `jobs` take the larger (shards run side by side); an inflater name
    /// that differs becomes "mixed" (an empty name, as in a summary that
    /// has merged nothing yet, takes the other's).
    public mutating func merge(_ other: ScanSummary) {
        files += other.files
        filesSkipped += other.filesSkipped
        filesFailed += other.filesFailed
        records &+= other.records
        kmsRecords &+= other.kmsRecords
        recordsInFailedFiles &+= other.recordsInFailedFiles
        selectedRecords &+= other.selectedRecords
        duplicatesFolded &+= other.duplicatesFolded
        deliveryCopiesFolded.merge(other.deliveryCopiesFolded, uniquingKeysWith: &+)
        bytesCompressed &+= other.bytesCompressed
        bytesUncompressed &+= other.bytesUncompressed
        seconds = max(seconds, other.seconds)
        cpuSeconds += other.cpuSeconds
        jobs = max(jobs, other.jobs)
        jsonBytesThisRun = 0  // a rate of parts read elsewhere means nothing
        if inflater.isEmpty {
            inflater = other.inflater
        } else if inflater != other.inflater && !other.inflater.isEmpty {
            inflater = "mixed"
        }
    }
}
