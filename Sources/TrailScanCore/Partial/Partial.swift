// A partial result: what a scan of some of a trail's files (a worker's, a
// folder's, a shard's) contributes to the answer. It carries the raw counts
// and every fact that resolving them needs (docs/architecture: "one
// answer"), so that
//
//     answer(whole trail) = resolve(combine(partial(part) for each part))
//
// whatever the split. `combine` is associative and commutative; `resolve`
// runs once, on the combined value (`ReportAnswer`). A single scan, shards
// merged with `trailscan merge`, and the `--db` store all take this path.

/// The version of this program, written into partials and printed by
/// `trailscan --version`.
public enum TrailScanVersion {
    public static let current = "0.2.0"
}

/// A day on which a log file was delivered for an account and region (the
/// facts `--report gaps` needs).
public struct DeliveredDay: Hashable, Sendable {
    public var account: String
    public var region: String
    /// Days since 1970-01-01 (UTC).
    public var day: Int64

    public init(account: String, region: String, day: Int64) {
        self.account = account
        self.region = region
        self.day = day
    }
}

/// Which files a partial covers.
public struct Coverage: Sendable, Equatable {
    /// The roots scanned, each as its S3 object key (the path from its last
    /// `AWSLogs/` component on) when it has one, else as given; sorted.
    /// Machines that mount the trail at different places agree on them.
    public var roots: [String] = []
    /// N of `--shard K/N`; nil for a scan of every file under the roots.
    public var shardCount: Int?
    /// The 1-based shard numbers combined in this partial (empty when
    /// `shardCount` is nil), sorted.
    public var shards: [Int] = []
    /// The hash (`fileHash`) of every file seen (counted, failed and
    /// skipped), sorted: two parts overlap exactly when these share a
    /// value, however their roots were spelled or mounted (8 bytes per
    /// file, not per record).
    public var fileHashes: [UInt64] = []
    /// The fingerprint of every file under the roots, this shard's and the
    /// others' (each shard walks the whole trail): shards of one split of
    /// one trail agree on it, wherever the trail is mounted.
    public var trailFingerprint: UInt64 = 0

    /// Files seen: counted, failed and skipped.
    public var filesSeen: Int { fileHashes.count }
    /// An order-independent fingerprint of the files seen (the wrapping
    /// sum of their hashes): equal file sets have equal fingerprints, and
    /// the fingerprint of two disjoint sets is the sum of theirs.
    public var filesFingerprint: UInt64 { fileHashes.reduce(0, &+) }

    public init() {}

    /// The hash of one file for `filesFingerprint`.
    public static func fileHash(key: Substring, size: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for byte in key.utf8 { mix(byte) }
        mix(0)
        for shift in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: UInt64(bitPattern: Int64(size)) >> UInt64(shift))) }
        // A final avalanche (splitmix64) so that sums of hashes of similar
        // names do not cancel.
        hash ^= hash >> 30
        hash &*= 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 27
        hash &*= 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}

/// A partial result and what produced it.
public struct Partial: Sendable, Equatable {
    /// The version of the partial file format this program reads and writes.
    /// 2: lifecycle facts carry errorCode, detail and flags, and failed
    /// lifecycle calls are kept; alias observations (aliasObservations)
    /// are kept. A version-1 partial lacks them.
    public static let formatVersion = 2

    /// The program that wrote it.
    public var trailscanVersion = TrailScanVersion.current
    /// The question it was scanned for.
    public var request: ReportRequest
    public var coverage = Coverage()
    /// Raw counts and facts (aliases unresolved, cross-account copies
    /// unfolded; copies of an event two trails delivered are folded during
    /// the scan, and `summary.deliveryCopiesFolded` says how many).
    public var report = UsageReport()
    /// Totals. `selectedRecords` and `duplicatesFolded` are filled in by
    /// `ReportAnswer` from the combined report.
    public var summary = ScanSummary()
    /// Files not counted, sorted by path.
    public var failures: [FileFailure] = []
    public var deliveredDays: Set<DeliveredDay> = []

    public init(request: ReportRequest) {
        self.request = request
        summary.inflater = ""
        summary.jobs = 0
    }

    /// Adds `other`, a partial of other files scanned for the same request.
    /// Associative and commutative (up to the order of `failures`, which is
    /// kept sorted). Checks that the two may be combined are the caller's
    /// (`PartialSet`).
    public mutating func combine(_ other: Partial) {
        report.merge(other.report)
        summary.merge(other.summary)
        failures = Self.sortedFailures(failures + other.failures)
        deliveredDays.formUnion(other.deliveredDays)
        coverage.roots = Array(Set(coverage.roots + other.coverage.roots)).sorted(by: ReportRenderer.bytesPrecede)
        coverage.shardCount = coverage.shardCount ?? other.coverage.shardCount
        coverage.shards = Array(Set(coverage.shards + other.coverage.shards)).sorted()
        coverage.fileHashes = (coverage.fileHashes + other.coverage.fileHashes).sorted()
        // Equal in parts of one split (checked by PartialMerge); a sum for
        // whole scans of disjoint roots, like the files'.
        if coverage.shardCount == nil { coverage.trailFingerprint &+= other.coverage.trailFingerprint }
    }

    /// Failures in byte order of path (then error), the order every
    /// report lists them in, whatever order the workers found them.
    public static func sortedFailures(_ failures: [FileFailure]) -> [FileFailure] {
        ReportRenderer.sortedFailures(failures)
    }
}
