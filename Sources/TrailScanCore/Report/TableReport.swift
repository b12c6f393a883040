// `--format table` (the default): the report for people. Not a stable
// interface; tools should use csv, json or ndjson.
//
//     account       region          KMS key / event                                calls  errors
//     111122223333  us-east-1       key/1234abcd-12ab-34cd-56ef-1234567890ab       2,005       8
//                                     Decrypt                                      1,000       3
//                                     Encrypt                                      1,000       0
//                                     Sign                                             5       5
//     111122223333  us-gov-west-1   key/mrk-1234abcd12ab34cd56ef1234567890ab           5       0
//                                     Decrypt                                          5       0
//     (no key)                                                                        12       0
//                                     ListAliases                                     12       0
//
//     Files:     12 found: 9 read, 2 skipped, 1 failed
//     ...
//
// Keys busiest first (ties: byte order), each key's events indented below
// it, busiest first; numbers right-aligned with thousands separators. A key
// ARN is shown as its account, region and resource (`key/<id>`,
// `alias/<name>`) in their own columns, which is unambiguous when the ARN's
// partition is the one its region implies (`aws-cn` for `cn-*`,
// `aws-us-gov` for `us-gov-*`, else `aws`); any other value is shown whole
// on a line of its own. Rows fit in `tableWidth` columns. Text from the
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

    /// A key ARN's account, region and resource, when the three say it all
    /// (the partition is the one the region implies); nil otherwise.
    static func arnColumns(_ arn: String) -> (account: String, region: String, resource: String)? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "kms", !parts[3].isEmpty, !parts[4].isEmpty,
            !parts[5].isEmpty
        else { return nil }
        let region = String(parts[3])
        let expected = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
        guard parts[1] == expected[...] else { return nil }
        return (String(parts[4]), region, String(parts[5]))
    }

    static func appendKeyTable(_ keys: [ReportKey], to out: inout String) {
        struct Line {
            var account = ""
            var region = ""
            var label: String
            var calls: String
            var errors: String
            /// A value shown whole on a line of its own, above this one.
            var whole: String?
        }
        var lines: [Line] = []
        for key in keys {
            var line = Line(
                label: "", calls: NumberText.grouped(key.totals.calls), errors: NumberText.grouped(key.totals.errors))
            if key.key.isEmpty {
                line.account = "(no key)"
            } else if let columns = arnColumns(key.key) {
                line.account = TerminalText.sanitize(columns.account)
                line.region = TerminalText.sanitize(columns.region)
                line.label = TerminalText.sanitize(columns.resource)
            } else {
                line.whole = TerminalText.sanitize(key.key)
            }
            lines.append(line)
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

        let header = Line(account: "account", region: "region", label: "KMS key / event", calls: "calls", errors: "errors")
        func widest(_ value: (Line) -> String) -> Int {
            ([header] + lines).reduce(0) { max($0, TerminalText.width(value($1))) }
        }
        // "(no key)" may spill into the region column: it has no region.
        let accountWidth = max(12, lines.filter { $0.account != "(no key)" }.reduce(7) { max($0, TerminalText.width($1.account)) })
        let regionWidth = widest(\.region)
        let callsWidth = widest(\.calls)
        let errorsWidth = widest(\.errors)
        // account, region, label, calls, errors, two spaces between each.
        let labelCap = max(tableWidth - accountWidth - regionWidth - callsWidth - errorsWidth - 8, TerminalText.width(header.label))
        let labelWidth = ([header] + lines).reduce(0) { width, line in
            let w = TerminalText.width(line.label)
            return w <= labelCap ? max(width, w) : width
        }

        for line in [header] + lines {
            if let whole = line.whole {
                out.append(whole)
                out.append("\n")
            }
            var label = line.label
            if TerminalText.width(label) > labelWidth {
                out.append(label)
                out.append("\n")
                label = ""
            }
            var text = ""
            if line.account == "(no key)" {
                text = TerminalText.padRight(line.account, to: accountWidth + 2 + regionWidth)
            } else {
                text = TerminalText.padRight(line.account, to: accountWidth) + "  " + TerminalText.padRight(line.region, to: regionWidth)
            }
            text += "  " + TerminalText.padRight(label, to: labelWidth)
            text += "  " + TerminalText.padLeft(line.calls, to: callsWidth)
            text += "  " + TerminalText.padLeft(line.errors, to: errorsWidth)
            while text.hasSuffix(" ") { text.removeLast() }
            out.append(text)
            out.append("\n")
        }
    }

    /// `text` broken at spaces into lines of at most `tableWidth` columns,
    /// each after the first indented by `indent` spaces.
    static func wrapped(_ text: String, indent: Int = 2) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TerminalText.width(candidate) > tableWidth && !current.isEmpty {
                lines.append(current)
                current = String(repeating: " ", count: indent) + word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
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
        if !summary.deliveryCopiesFolded.isEmpty {
            out.append("Folded:    \(NumberText.grouped(summary.deliveryCopiesFoldedTotal)) copies of events two trails delivered ")
            out.append("(same eventID, counted once; --no-dedup counts both): \(deliveryTrailsText(summary))\n")
        }
        out.append("Bytes:     \(NumberText.bytes(summary.bytesCompressed)) read → ")
        out.append("\(NumberText.bytes(summary.bytesUncompressed)) of JSON\n")
        out.append("Time:      \(NumberText.seconds(summary.seconds))")
        if let rate = NumberText.throughput(bytes: summary.throughputBytes, seconds: summary.seconds) {
            out.append(", \(rate) of JSON")
        }
        out.append(", \(summary.jobs) \(summary.jobs == 1 ? "job" : "jobs"), \(TerminalText.sanitize(summary.inflater))\n")
    }

    /// "prefixB/AWSLogs 3, AWSLogs 1": the trail prefixes whose copies were folded.
    static func deliveryTrailsText(_ summary: ScanSummary) -> String {
        summary.deliveryCopiesFolded.sorted { bytesPrecede($0.key, $1.key) }
            .map { "\(TerminalText.sanitize($0.key)) \(NumberText.grouped($0.value))" }.joined(separator: ", ")
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
