// Helpers for tests built on hand-written records: scanning documents given
// as JSON text.

import TrailScanCore

/// Scans each element of `files` as one `{"Records":[...]}` document (its
/// records' JSON texts joined) with `plan`, one tally per file as the
/// workers do, and merges the tallies in order: the raw report that
/// `AuditResolver.resolve` (or a partial) takes.
public func scanDocuments(_ files: [[String]], plan: ScanPlan) throws -> UsageReport {
    var merged = UsageReport()
    for records in files {
        let tally = UsageTally(plan: plan)
        var scanner = TrailScanner()
        let buffer = PaddedBuffer()
        buffer.append(contentsOf: Array(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8))
        _ = try scanner.scan(buffer, isFinal: true, into: tally)
        tally.commitFile()
        merged.merge(tally.makeReport())
    }
    return merged
}
