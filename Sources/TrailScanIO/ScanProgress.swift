// Live progress counters of a scan, updated by the workers once per file
// (never per record) and read by whoever displays them.

import Synchronization

/// Files and bytes done so far; safe to read from any thread while a scan runs.
public final class ScanProgress: Sendable {
    /// Files and stored bytes the scan will read.
    public let totalFiles: Int
    public let totalBytes: Int
    private let files = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    public init(totalFiles: Int, totalBytes: Int) {
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
    }

    /// Convenience: the totals of a discovery.
    public convenience init(_ discovery: Discovery) {
        self.init(totalFiles: discovery.files.count, totalBytes: discovery.files.reduce(0) { $0 + $1.size })
    }

    func fileDone(storedBytes: Int, failed isFailure: Bool) {
        files.add(1, ordering: .relaxed)
        bytes.add(storedBytes, ordering: .relaxed)
        if isFailure { failed.add(1, ordering: .relaxed) }
    }

    public var filesDone: Int { files.load(ordering: .relaxed) }
    public var bytesDone: Int { bytes.load(ordering: .relaxed) }
    public var filesFailed: Int { failed.load(ordering: .relaxed) }
}
