// `--format table` (the default): the report for people. Not a stable
// interface; tools should use csv, json or ndjson.
//
//     KMS key / event                                                                  calls  errors
//     arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab1234
//                                                                                  1,234,567      89
//       Decrypt                                                                    1,234,567      89
//     arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab      2,005       8
//       Decrypt                                                                        1,000       3
//       Encrypt                                                                        1,000       0
//       Sign                                                                               5       5
//     (no key)                                                                            12       0
//       ListAliases                                                                       12       0
//
//     Files:     12 found: 9 read, 2 skipped, 1 failed
//     Records:   615,000 counted, 87,123 of them KMS; 40 left out from failed files
//     Bytes:     913 MB read → 9.1 GB of JSON
//     Time:      3.20 s, 2.9 GB/s of JSON, 2 jobs, zlib
//
//     1 file failed; its records are not counted:
//       logs/x.json.gz: gzip: unexpected end of stream at byte 4096 (40 records read before the failure)
//
// Keys busiest first (ties: byte order), each key's events indented below it,
// busiest first; numbers right-aligned with thousands separators. Rows fit
// in `tableWidth` columns: a label too long for its column (a long key ARN)
// gets a line of its own and its numbers go on the next line. Text from the
// input is passed through `TerminalText.sanitize`.

extension ReportRenderer {
    /// The terminal width the table is laid out for.
    static let tableWidth = 100

    static func table(
        report: UsageReport, summary: ScanSummary, failures: [FileFailure], blindSpots: [BlindSpot] = []
    ) -> String {
        var out = ""
        let keys = keysByCalls(report)
        if keys.isEmpty {
            out.append("No KMS records found.\n")
        } else {
            appendKeyTable(keys, to: &out)
        }
        appendTrailer(summary: summary, failures: failures, blindSpots: blindSpots, to: &out)
        return out
    }

    /// What follows the rows of every table report: the blind-spot
    /// warnings, the summary block and the failed files.
    static func appendTrailer(
        summary: ScanSummary, failures: [FileFailure], blindSpots: [BlindSpot], to out: inout String
    ) {
        out.append("\n")
        appendBlindSpotWarnings(blindSpots, to: &out)
        appendSummaryBlock(summary, to: &out)
        if !failures.isEmpty {
            out.append("\n")
            appendFailures(failures, to: &out)
        }
    }

    static func appendKeyTable(_ keys: [ReportKey], to out: inout String) {
        struct Line {
            var label: String
            var calls: String
            var errors: String
        }
        var lines: [Line] = []
        for key in keys {
            let label = key.key.isEmpty ? "(no key)" : TerminalText.sanitize(key.key)
            lines.append(
                Line(
                    label: label,
                    calls: NumberText.grouped(key.totals.calls),
                    errors: NumberText.grouped(key.totals.errors)))
            let events = key.events.enumerated().sorted { a, b in
                a.element.counts.calls != b.element.counts.calls
                    ? a.element.counts.calls > b.element.counts.calls : a.offset < b.offset  // offset: byte order
            }
            for (_, event) in events {
                lines.append(
                    Line(
                        label: "  " + TerminalText.sanitize(event.name),
                        calls: NumberText.grouped(event.counts.calls),
                        errors: NumberText.grouped(event.counts.errors)))
            }
        }

        let header = Line(label: "KMS key / event", calls: "calls", errors: "errors")
        let callsWidth = lines.reduce(TerminalText.width(header.calls)) { max($0, TerminalText.width($1.calls)) }
        let errorsWidth = lines.reduce(TerminalText.width(header.errors)) { max($0, TerminalText.width($1.errors)) }
        // Label, two spaces, calls, two spaces, errors.
        let labelCap = max(tableWidth - callsWidth - errorsWidth - 4, TerminalText.width(header.label))
        let labelWidth = lines.reduce(TerminalText.width(header.label)) { width, line in
            let w = TerminalText.width(line.label)
            return w <= labelCap ? max(width, w) : width
        }

        for line in [header] + lines {
            let label: String
            if TerminalText.width(line.label) > labelWidth {
                out.append(line.label)
                out.append("\n")
                label = ""
            } else {
                label = line.label
            }
            out.append(TerminalText.padRight(label, to: labelWidth))
            out.append("  ")
            out.append(TerminalText.padLeft(line.calls, to: callsWidth))
            out.append("  ")
            out.append(TerminalText.padLeft(line.errors, to: errorsWidth))
            out.append("\n")
        }
    }

    static func appendSummaryBlock(_ summary: ScanSummary, to out: inout String) {
        let found = saturatingSum(summary.files, summary.filesSkipped, summary.filesFailed)
        out.append("Files:     \(found) found: \(summary.files) read, ")
        out.append("\(summary.filesSkipped) skipped, \(summary.filesFailed) failed\n")
        out.append("Records:   \(NumberText.grouped(summary.records)) counted, ")
        out.append("\(NumberText.grouped(summary.kmsRecords)) of them KMS; ")
        out.append("\(NumberText.grouped(summary.recordsInFailedFiles)) left out from failed files\n")
        if summary.duplicatesFolded > 0 {
            out.append("Folded:    \(NumberText.grouped(summary.duplicatesFolded)) second copies of cross-account calls ")
            out.append("(counted once; --no-dedup counts both)\n")
        }
        out.append("Bytes:     \(NumberText.bytes(summary.bytesCompressed)) read → ")
        out.append("\(NumberText.bytes(summary.bytesUncompressed)) of JSON\n")
        out.append("Time:      \(NumberText.seconds(summary.seconds))")
        if let rate = NumberText.throughput(bytes: summary.throughputBytes, seconds: summary.seconds) {
            out.append(", \(rate) of JSON")
        }
        out.append(", \(summary.jobs) \(summary.jobs == 1 ? "job" : "jobs"), \(TerminalText.sanitize(summary.inflater))\n")
    }

    static func appendFailures(_ failures: [FileFailure], to out: inout String) {
        out.append(
            failures.count == 1
                ? "1 file failed; its records are not counted:\n"
                : "\(failures.count) files failed; their records are not counted:\n")
        for failure in sortedFailures(failures) {
            out.append("  \(TerminalText.sanitize(failure.path)): \(TerminalText.sanitize(failure.error))")
            if failure.recordsBeforeFailure > 0 {
                let n = failure.recordsBeforeFailure
                out.append(" (\(NumberText.grouped(n)) \(n == 1 ? "record" : "records") read before the failure)")
            }
            out.append("\n")
        }
    }

    /// The sum of file counts, saturating instead of trapping.
    static func saturatingSum(_ values: Int...) -> Int {
        values.reduce(0) { sum, value in
            let (total, overflow) = sum.addingReportingOverflow(value)
            return overflow ? (value > 0 ? .max : .min) : total
        }
    }
}
