// Live progress counters of a scan, updated by the workers once per file
// (never per record) and read by whoever displays them.

import Synchronization

/// Files and bytes done so far; safe to read from any thread while a scan runs.
///
/// The file counts are those of the summary line: every file the walk found,
/// skipped and failed ones included, so the display ends at the summary's
/// count. Files the walk already settled (skipped, or failed before being
/// opened) are done from the start.
public final class ScanProgress: Sendable {
    /// Files the walk found (scanned, skipped and failed), and the stored
    /// (compressed) bytes of those to scan.
    public let totalFiles: Int
    public let totalBytes: Int
    private let files = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)
    private let bytesScanned = Atomic<Int>(0)
    private let json = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    public init(totalFiles: Int, totalBytes: Int, filesDone: Int = 0, filesFailed: Int = 0) {
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
        files.store(filesDone, ordering: .relaxed)
        failed.store(filesFailed, ordering: .relaxed)
    }

    /// The totals of a discovery; its skipped files and the failures of
    /// the walk are done already.
    public convenience init(_ discovery: Discovery) {
        let settled = discovery.skipped.count + discovery.failures.count
        self.init(
            totalFiles: discovery.files.count + settled, totalBytes: discovery.files.reduce(0) { $0 + $1.size },
            filesDone: settled, filesFailed: discovery.failures.count)
    }

    /// One file scanned: `storedBytes` read, `jsonBytes` inflated.
    func fileDone(storedBytes: Int, jsonBytes: UInt64, failed isFailure: Bool) {
        files.add(1, ordering: .relaxed)
        bytes.add(storedBytes, ordering: .relaxed)
        bytesScanned.add(storedBytes, ordering: .relaxed)
        json.add(Int(truncatingIfNeeded: jsonBytes), ordering: .relaxed)
        if isFailure { failed.add(1, ordering: .relaxed) }
    }

    /// Files settled without reading them (`--db`: a folder unchanged since
    /// the store's last run).
    public func filesUnchanged(_ count: Int, storedBytes: Int) {
        files.add(count, ordering: .relaxed)
        bytes.add(storedBytes, ordering: .relaxed)
    }

    /// Files done, of `totalFiles`.
    public var filesDone: Int { files.load(ordering: .relaxed) }
    /// Stored bytes done, of `totalBytes` (read, or settled unread).
    public var bytesDone: Int { bytes.load(ordering: .relaxed) }
    /// Stored bytes actually read: the basis of the time left.
    public var bytesRead: Int { bytesScanned.load(ordering: .relaxed) }
    /// Bytes of JSON inflated: the basis of the throughput, as in the summary.
    public var jsonBytes: Int { json.load(ordering: .relaxed) }
    public var filesFailed: Int { failed.load(ordering: .relaxed) }
}
