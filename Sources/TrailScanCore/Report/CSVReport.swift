// `--format csv`: RFC 4180 CSV, the column names first. For the key/event
// report (the counting contract's output):
//
//     key,event_name,calls,errors
//     ,ListAliases,3,0
//     arn:aws:kms:us-east-1:111122223333:key/abcd,Decrypt,12,1
//
// One row per (key, event name) with at least one call, sorted by key, then
// event name, in byte order of the UTF-8 (so the empty key comes first).
// Lines end with LF. No summary: that goes to stderr. Every report is
// written by the same table renderer (`ReportTable.swift`); the key/event
// report is the table `keyEventTable` builds.

extension ReportRenderer {
    /// The key/event report as a table (CSV and NDJSON render it).
    static func keyEventTable(_ report: UsageReport) -> ReportTable {
        ReportTable(
            name: "rows",
            columns: [
                .init("key", json: "key"), .init("event_name", json: "eventName"), .init("calls", json: "calls"),
                .init("errors", json: "errors"),
            ],
            rows: sortedRows(report).map { [.text($0.key), .text($0.eventName), .count($0.counts.calls), .count($0.counts.errors)] })
    }

    /// Appends `field`, quoted iff it contains `,` `"` CR or LF, with inner
    /// quotes doubled (RFC 4180 §2.6–2.7).
    static func appendCSVField(_ field: String, to out: inout String) {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A
        }
        guard needsQuotes else {
            out.append(field)
            return
        }
        out.append("\"")
        // Split on the quote byte, not on Characters, so that CR LF and
        // combining marks pass through untouched.
        for (i, part) in field.utf8.split(separator: UInt8(ascii: "\""), omittingEmptySubsequences: false).enumerated() {
            if i > 0 { out.append("\"\"") }
            out.append(contentsOf: String(decoding: part, as: UTF8.self))
        }
        out.append("\"")
    }
}
