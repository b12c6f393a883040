// `--format json`: the whole result as one JSON object, pretty-printed with
// two-space indentation and a trailing newline. Layout (stable; members
// always in this order):
//
//     {
//       "summary": {
//         "files": 9,
//         "filesSkipped": 0,
//         "filesFailed": 0,
//         "records": 615,
//         "kmsRecords": 87,
//         "recordsInFailedFiles": 0,
//         "bytesCompressed": 913000,
//         "bytesUncompressed": 1200000,
//         "seconds": 0.012,
//         "cpuSeconds": 0.020,
//         "inflater": "zlib",
//         "jobs": 2
//       },
//       "keys": [
//         {
//           "key": "arn:aws:kms:us-east-1:111122223333:key/abcd",
//           "calls": 12,
//           "errors": 1,
//           "events": {
//             "Decrypt": {"calls": 10, "errors": 1},
//             "Encrypt": {"calls": 2, "errors": 0}
//           }
//         }
//       ],
//       "failures": [
//         {"file": "a.json.gz", "error": "truncated gzip stream", "recordsBeforeFailure": 0}
//       ]
//     }
//
// `keys` is busiest first (ties: key in byte order), the empty key being the
// calls with no key; each `events` object has its members in byte order of
// event name; `failures` is sorted by file path in byte order, so the
// output is the same for any `--jobs`. Integers are plain digits (exact up to UInt64.max); `seconds`
// has three decimals. Empty arrays are written `[]`.

extension ReportRenderer {
    static func json(
        report: UsageReport, summary: ScanSummary, failures: [FileFailure], blindSpots: [BlindSpot] = [],
        unresolvedAliases: [(alias: String, calls: UInt64)] = []
    ) -> String {
        var out = "{\n  \"summary\": " + summaryObject(summary, indent: "  ") + ",\n"
        let keys = keysByCalls(report)
        if keys.isEmpty {
            out.append("  \"keys\": [],\n")
        } else {
            out.append("  \"keys\": [\n")
            for (i, key) in keys.enumerated() {
                out.append("    {\n      \"key\": ")
                JSONText.appendString(key.key, to: &out)
                out.append(",\n      \"calls\": \(key.totals.calls),\n      \"errors\": \(key.totals.errors),\n")
                out.append("      \"events\": {\n")
                for (j, event) in key.events.enumerated() {
                    out.append("        ")
                    JSONText.appendString(event.name, to: &out)
                    out.append(": {\"calls\": \(event.counts.calls), \"errors\": \(event.counts.errors)}")
                    out.append(j == key.events.count - 1 ? "\n" : ",\n")
                }
                out.append("      }\n")
                out.append(i == keys.count - 1 ? "    }\n" : "    },\n")
            }
            out.append("  ],\n")
        }

        out.append("  \"unresolvedAliases\": ")
        out.append(jsonArray(unresolvedAliases.map { "{\"alias\": \(JSONText.string($0.alias)), \"calls\": \($0.calls)}" }))
        out.append(",\n  \"blindSpots\": " + jsonArray(blindSpots.map(blindSpotObject)) + ",\n")
        out.append("  \"failures\": " + jsonArray(sortedFailures(failures).map(failureObject)) + "\n")
        out.append("}\n")
        return out
    }
}

extension ReportRenderer {
    /// The `summary` object, its members one per line below `indent`.
    static func summaryObject(_ summary: ScanSummary, indent: String) -> String {
        let members: [(String, String)] = [
            ("files", String(summary.files)),
            ("filesSkipped", String(summary.filesSkipped)),
            ("filesFailed", String(summary.filesFailed)),
            ("records", String(summary.records)),
            ("kmsRecords", String(summary.kmsRecords)),
            ("recordsInFailedFiles", String(summary.recordsInFailedFiles)),
            ("bytesCompressed", String(summary.bytesCompressed)),
            ("bytesUncompressed", String(summary.bytesUncompressed)),
            ("seconds", NumberText.fixed(summary.seconds, decimals: 3)),
            ("cpuSeconds", NumberText.fixed(summary.cpuSeconds, decimals: 3)),
            ("inflater", JSONText.string(summary.inflater)),
            ("jobs", String(summary.jobs)),
            ("selectedRecords", String(summary.selectedRecords)),
            ("duplicatesFolded", String(summary.duplicatesFolded)),
            ("deliveryCopiesFolded", String(summary.deliveryCopiesFoldedTotal)),
            ("deliveryCopiesFoldedByTrail", countsObject(summary.deliveryCopiesFolded)),
            ("notes", "[" + summary.notes.map(JSONText.string).joined(separator: ", ") + "]"),
        ]
        return "{\n" + members.map { "\(indent)  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n\(indent)}"
    }

    /// `{"name": count, ...}` on one line, names in byte order.
    static func countsObject(_ counts: [String: UInt64]) -> String {
        let members = counts.sorted { bytesPrecede($0.key, $1.key) }.map { "\(JSONText.string($0.key)): \($0.value)" }
        return "{" + members.joined(separator: ", ") + "}"
    }
}
