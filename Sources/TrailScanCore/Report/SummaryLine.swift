// The one-line summary for stderr:
//
//     trailscan: 9 files (0 skipped, 0 failed), 615 records, 87 KMS, 913 KB → 1.2 MB, 0.01 s, 120 MB/s of JSON, zlib
//
// and, when a file failed, how many records were left out:
//
//     trailscan: 12 files (2 skipped, 1 failed), 615 records, 87 KMS, 40 records in failed files not counted, …

extension ReportRenderer {
    /// The one-line summary of a scan, for stderr, without a trailing newline.
    ///
    /// Fields, in order: files seen (`files + filesSkipped + filesFailed`)
    /// with the skipped and failed ones in parentheses; records counted; KMS
    /// records; when any file failed, the records read from failed files
    /// and not counted; bytes stored → bytes of JSON (human units, powers of
    /// 1000, one decimal below 100); seconds; throughput of the JSON this
    /// run inflated (`ScanSummary.throughputBytes`; omitted when the
    /// duration or those bytes are zero, as for a merge); the inflater that ran.
    ///
    /// - Parameter summary: the scan's totals.
    /// - Returns: one line of text, no newline.
    public static func summaryLine(_ summary: ScanSummary) -> String {
        let found = saturatingSum(summary.files, summary.filesSkipped, summary.filesFailed)
        var line = "trailscan: \(found) \(found == 1 ? "file" : "files") "
        line.append("(\(summary.filesSkipped) skipped, \(summary.filesFailed) failed), ")
        line.append("\(NumberText.grouped(summary.records)) \(summary.records == 1 ? "record" : "records"), ")
        line.append("\(NumberText.grouped(summary.kmsRecords)) KMS, ")
        if summary.filesFailed > 0 || summary.recordsInFailedFiles > 0 {
            let n = summary.recordsInFailedFiles
            line.append("\(NumberText.grouped(n)) \(n == 1 ? "record" : "records") in failed files not counted, ")
        }
        if !summary.deliveryCopiesFolded.isEmpty {
            line.append("\(NumberText.grouped(summary.deliveryCopiesFoldedTotal)) duplicate deliveries folded (")
            line.append(deliveryTrailsText(summary) + "), ")
        }
        line.append("\(NumberText.bytes(summary.bytesCompressed)) → \(NumberText.bytes(summary.bytesUncompressed)), ")
        line.append(NumberText.seconds(summary.seconds))
        if let rate = NumberText.throughput(bytes: summary.throughputBytes, seconds: summary.seconds) {
            line.append(", \(rate) of JSON")
        }
        if !summary.inflater.isEmpty { line.append(", \(summary.inflater)") }
        return line
    }
}
