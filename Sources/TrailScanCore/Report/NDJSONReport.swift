// `--format ndjson`: one compact JSON object per CSV row, in CSV order,
// each on its own line (LF):
//
//     {"key":"arn:aws:kms:us-east-1:111122223333:key/abcd","event_name":"Decrypt","calls":12,"errors":1}
//
// Nothing else: no summary, no failures. An empty report is empty output.

extension ReportRenderer {
    static func ndjson(report: UsageReport) -> String {
        var out = ""
        for row in sortedRows(report) {
            out.append("{\"key\":")
            JSONText.appendString(row.key, to: &out)
            out.append(",\"event_name\":")
            JSONText.appendString(row.eventName, to: &out)
            out.append(",\"calls\":")
            out.append(String(row.counts.calls))
            out.append(",\"errors\":")
            out.append(String(row.counts.errors))
            out.append("}\n")
        }
        return out
    }
}
