// Reading a `--format json` report back, so that `trailscan merge` can add
// reports of shards of one trail. Foundation's JSON parser is fine here: it
// runs once per report, at the edge.

import Foundation
import TrailScanCore

/// A report decoded from `trailscan scan --format json` output.
struct PartialReport {
    var report = UsageReport()
    var summary = ScanSummary()
    var failures: [FileFailure] = []

    /// Why a file is not a trailscan JSON report.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    init(json data: Data) throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Malformed(description: "not a JSON object")
        }
        guard let summary = root["summary"] as? [String: Any], let keys = root["keys"] as? [[String: Any]],
            let failures = root["failures"] as? [[String: Any]]
        else { throw Malformed(description: "missing \"summary\", \"keys\" or \"failures\"") }

        func count(_ object: [String: Any], _ name: String) throws -> UInt64 {
            guard let number = object[name] as? NSNumber, number.doubleValue >= 0,
                number.doubleValue == number.doubleValue.rounded()
            else { throw Malformed(description: "\"\(name)\" is not a non-negative integer") }
            return number.uint64Value
        }
        self.summary.files = Int(try count(summary, "files"))
        self.summary.filesSkipped = Int(try count(summary, "filesSkipped"))
        self.summary.filesFailed = Int(try count(summary, "filesFailed"))
        self.summary.records = try count(summary, "records")
        self.summary.kmsRecords = try count(summary, "kmsRecords")
        self.summary.recordsInFailedFiles = try count(summary, "recordsInFailedFiles")
        self.summary.bytesCompressed = try count(summary, "bytesCompressed")
        self.summary.bytesUncompressed = try count(summary, "bytesUncompressed")
        self.summary.jobs = Int(try count(summary, "jobs"))
        // Reports written before the audit options lack these two.
        if summary["selectedRecords"] != nil { self.summary.selectedRecords = try count(summary, "selectedRecords") }
        if summary["duplicatesFolded"] != nil { self.summary.duplicatesFolded = try count(summary, "duplicatesFolded") }
        guard let seconds = summary["seconds"] as? NSNumber, let inflater = summary["inflater"] as? String else {
            throw Malformed(description: "\"seconds\" or \"inflater\" missing in \"summary\"")
        }
        self.summary.seconds = seconds.doubleValue
        self.summary.inflater = inflater

        for entry in keys {
            guard let key = entry["key"] as? String, let events = entry["events"] as? [String: Any] else {
                throw Malformed(description: "a \"keys\" entry lacks \"key\" or \"events\"")
            }
            for (name, value) in events {
                guard let counts = value as? [String: Any] else {
                    throw Malformed(description: "event \"\(name)\" of \(key) is not an object")
                }
                let row = UsageReport.RowKey(key: key, eventName: name)
                report.rows[row, default: CallCounts()].add(
                    CallCounts(calls: try count(counts, "calls"), errors: try count(counts, "errors")))
            }
        }
        report.records = self.summary.records
        report.kmsRecords = self.summary.kmsRecords
        // A shard's raw selector changes when it wrote them; else each blind
        // spot back as the two changes that bound it.
        for change in root["selectorChanges"] as? [[String: Any]] ?? [] {
            guard let trail = change["trail"] as? String, let account = change["account"] as? String,
                let region = change["region"] as? String, let timeText = change["time"] as? String,
                let time = UTCTime.parse(timeText), let logsKMS = change["logsKMS"] as? Bool
            else { throw Malformed(description: "a \"selectorChanges\" entry is incomplete") }
            report.facts.selectorChanges.append(
                SelectorChange(time: time, trail: trail, account: account, region: region, logsKMS: logsKMS))
        }
        for spot in root["selectorChanges"] == nil ? root["blindSpots"] as? [[String: Any]] ?? [] : [] {
            guard let trail = spot["trail"] as? String, let account = spot["account"] as? String,
                let region = spot["region"] as? String, let fromText = spot["from"] as? String,
                let from = UTCTime.parse(fromText)
            else { throw Malformed(description: "a \"blindSpots\" entry lacks trail, account, region or from") }
            report.facts.selectorChanges.append(
                SelectorChange(time: from, trail: trail, account: account, region: region, logsKMS: false))
            if let untilText = spot["until"] as? String, let until = UTCTime.parse(untilText) {
                report.facts.selectorChanges.append(
                    SelectorChange(time: until, trail: trail, account: account, region: region, logsKMS: true))
            }
        }
        report.selectedRecords = self.summary.selectedRecords

        for entry in failures {
            guard let file = entry["file"] as? String, let error = entry["error"] as? String else {
                throw Malformed(description: "a \"failures\" entry lacks \"file\" or \"error\"")
            }
            self.failures.append(
                FileFailure(path: file, error: error, recordsBeforeFailure: try count(entry, "recordsBeforeFailure")))
        }
    }
}
