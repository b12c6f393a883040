// `--format csv`: the per-(key, event name) counts as RFC 4180 CSV.
//
//     key,event_name,calls,errors
//     ,ListAliases,3,0
//     arn:aws:kms:us-east-1:111122223333:key/abcd,Decrypt,12,1
//
// One row per (key, event name) with at least one call, sorted by key, then
// event name, in byte order of the UTF-8 (so the empty key comes first).
// Lines end with LF. No summary: that goes to stderr.

extension ReportRenderer {
    /// The CSV header line's fields.
    static let csvHeader = "key,event_name,calls,errors"

    static func csv(report: UsageReport) -> String {
        var out = csvHeader + "\n"
        for row in sortedRows(report) {
            appendCSVField(row.key, to: &out)
            out.append(",")
            appendCSVField(row.eventName, to: &out)
            out.append(",")
            out.append(String(row.counts.calls))
            out.append(",")
            out.append(String(row.counts.errors))
            out.append("\n")
        }
        return out
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
