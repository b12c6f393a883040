// `--format prometheus`: the Prometheus text exposition format (version
// 0.0.4), for the node exporter's textfile collector: write it to
// `<dir>/trailscan.prom` (via a temporary file and a rename) from cron.
//
//     # HELP trailscan_kms_calls_total KMS API calls recorded by CloudTrail, by key and event name.
//     # TYPE trailscan_kms_calls_total counter
//     trailscan_kms_calls_total{key="arn:aws:kms:us-east-1:111122223333:key/abcd",event_name="Decrypt"} 12
//     ...
//
// Counters per (key, event name) in CSV order, then the scan's totals as
// gauges. Label values escape `\`, `"` and newline as the format requires.

extension ReportRenderer {
    static func prometheus(report: UsageReport, summary: ScanSummary, blindSpots: [BlindSpot] = []) -> String {
        let rows = sortedRows(report)
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out.append("# HELP \(name) \(help)\n# TYPE \(name) \(type)\n")
        }
        func labels(_ row: ReportRow) -> String {
            "{key=\"\(labelValue(row.key))\",event_name=\"\(labelValue(row.eventName))\"}"
        }
        family("trailscan_kms_calls_total", "counter", "KMS API calls recorded by CloudTrail, by key and event name.")
        for row in rows { out.append("trailscan_kms_calls_total\(labels(row)) \(row.counts.calls)\n") }
        family("trailscan_kms_errors_total", "counter", "Failed KMS API calls (errorCode set), by key and event name.")
        for row in rows { out.append("trailscan_kms_errors_total\(labels(row)) \(row.counts.errors)\n") }
        family("trailscan_files", "gauge", "Files seen by the last scan, by outcome.")
        out.append("trailscan_files{outcome=\"scanned\"} \(summary.files)\n")
        out.append("trailscan_files{outcome=\"skipped\"} \(summary.filesSkipped)\n")
        out.append("trailscan_files{outcome=\"failed\"} \(summary.filesFailed)\n")
        family("trailscan_records", "gauge", "Records counted by the last scan (kms: those from kms.amazonaws.com).")
        out.append("trailscan_records{source=\"all\"} \(summary.records)\n")
        out.append("trailscan_records{source=\"kms\"} \(summary.kmsRecords)\n")
        family("trailscan_records_in_failed_files", "gauge", "Records read from failed files and not counted.")
        out.append("trailscan_records_in_failed_files \(summary.recordsInFailedFiles)\n")
        family("trailscan_scan_seconds", "gauge", "Wall-clock seconds of the last scan.")
        out.append("trailscan_scan_seconds \(NumberText.fixed(summary.seconds, decimals: 3))\n")
        family("trailscan_kms_blind_spots", "gauge", "Windows in which a trail excluded KMS events (see the warnings).")
        out.append("trailscan_kms_blind_spots \(blindSpots.count)\n")
        return out
    }

    /// A label value: `\` → `\\`, `"` → `\"`, newline → `\n`.
    static func labelValue(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append("\\\\")
            case "\"": out.append("\\\"")
            case "\n": out.append("\\n")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
