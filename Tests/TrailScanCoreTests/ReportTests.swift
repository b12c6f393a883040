// The report renderers: exact text for the tool formats (CSV, NDJSON), JSON
// parsed back and checked field by field, the table's lines, and the edge
// cases every format must survive (quoting, escaping, byte order, empty
// reports, counts near UInt64.max).

import Foundation
import Testing
import TrailScanCore

// MARK: - Fixtures

private let keyA = "arn:aws:kms:us-east-1:111122223333:key/abcd"
private let keyB = "arn:aws:kms:eu-west-1:444455556666:key/mrk-1"

/// Three keys (one the empty key), four rows with calls and one without.
private func smallReport() -> UsageReport {
    var report = UsageReport()
    report.rows = [
        .init(key: keyA, eventName: "Decrypt"): CallCounts(calls: 12, errors: 1),
        .init(key: keyA, eventName: "Encrypt"): CallCounts(calls: 3, errors: 0),
        .init(key: "", eventName: "ListAliases"): CallCounts(calls: 2, errors: 0),
        .init(key: keyB, eventName: "GenerateDataKey"): CallCounts(calls: 20, errors: 0),
        // No calls: left out of every format.
        .init(key: "arn:aws:kms:us-east-1:111122223333:key/idle", eventName: "Decrypt"): CallCounts(),
    ]
    report.records = 615
    report.kmsRecords = 37
    return report
}

private func smallSummary() -> ScanSummary {
    var summary = ScanSummary()
    summary.files = 9
    summary.filesSkipped = 1
    summary.filesFailed = 1
    summary.records = 615
    summary.kmsRecords = 37
    summary.recordsInFailedFiles = 40
    summary.bytesCompressed = 913_000
    summary.bytesUncompressed = 1_234_567
    summary.seconds = 0.012
    summary.inflater = "zlib"
    summary.jobs = 2
    return summary
}

private let smallFailures = [
    FileFailure(path: "logs/b.json.gz", error: "truncated gzip stream at byte 4096", recordsBeforeFailure: 40)
]

private func report(_ rows: [(String, String, UInt64, UInt64)]) -> UsageReport {
    var report = UsageReport()
    for (key, event, calls, errors) in rows {
        report.rows[.init(key: key, eventName: event)] = CallCounts(calls: calls, errors: errors)
    }
    return report
}

private func render(
    _ format: ReportFormat,
    _ report: UsageReport,
    _ summary: ScanSummary = ScanSummary(),
    _ failures: [FileFailure] = []
) -> String {
    ReportRenderer.render(format, report: report, summary: summary, failures: failures)
}

/// One line of the key table: account, region and label left-aligned,
/// calls and errors right-aligned, in columns of `widths`, two spaces
/// apart, trailing spaces trimmed.
private func keyTableLine(
    _ account: String, _ region: String, _ label: String, _ calls: String, _ errors: String,
    widths: (account: Int, region: Int, label: Int, calls: Int, errors: Int)
) -> String {
    var line = account.padding(toLength: widths.account, withPad: " ", startingAt: 0) + "  "
        + region.padding(toLength: widths.region, withPad: " ", startingAt: 0) + "  "
        + label.padding(toLength: widths.label, withPad: " ", startingAt: 0) + "  "
        + String(repeating: " ", count: widths.calls - calls.count) + calls + "  "
        + String(repeating: " ", count: widths.errors - errors.count) + errors
    while line.hasSuffix(" ") { line.removeLast() }
    return line
}

/// The JSON output parsed with Foundation (an independent parser).
private func parseJSON(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
    return try #require(object as? [String: Any])
}

private func int(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }

// MARK: - Formats on a small report

@Suite("Report formats")
struct ReportTests {
    @Test func formatNamesAreTheCommandLineValues() {
        #expect(ReportFormat.allCases.map(\.rawValue) == ["table", "csv", "json", "ndjson", "prometheus", "html"])
        #expect(ReportFormat(rawValue: "ndjson") == .ndjson)
    }

    @Test func prometheusOfSmallReport() {
        let text = render(.prometheus, smallReport(), smallSummary(), smallFailures)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "# HELP trailscan_kms_calls_total KMS API calls recorded by CloudTrail, by key and event name.")
        #expect(lines.contains("# TYPE trailscan_kms_calls_total counter"))
        #expect(lines.contains(#"trailscan_kms_calls_total{key="",event_name="ListAliases"} 2"#))
        #expect(lines.contains(#"trailscan_kms_calls_total{key="arn:aws:kms:us-east-1:111122223333:key/abcd",event_name="Decrypt"} 12"#))
        #expect(lines.contains(#"trailscan_kms_errors_total{key="arn:aws:kms:us-east-1:111122223333:key/abcd",event_name="Decrypt"} 1"#))
        #expect(lines.contains(#"trailscan_records{source="kms"} \#(smallSummary().kmsRecords)"#))
        #expect(text.hasSuffix("\n"))
    }

    @Test func prometheusLabelValuesAreEscaped() {
        var report = UsageReport()
        report.rows[UsageReport.RowKey(key: "a\"b\\c\nd", eventName: "E")] = CallCounts(calls: 1, errors: 0)
        let text = render(.prometheus, report)
        #expect(text.contains(#"trailscan_kms_calls_total{key="a\"b\\c\nd",event_name="E"} 1"#))
    }

    @Test func csvOfSmallReport() {
        let expected = """
            key,event_name,calls,errors
            ,ListAliases,2,0
            arn:aws:kms:eu-west-1:444455556666:key/mrk-1,GenerateDataKey,20,0
            arn:aws:kms:us-east-1:111122223333:key/abcd,Decrypt,12,1
            arn:aws:kms:us-east-1:111122223333:key/abcd,Encrypt,3,0

            """
        #expect(render(.csv, smallReport(), smallSummary(), smallFailures) == expected)
    }

    @Test func ndjsonOfSmallReport() {
        let expected = """
            {"key":"","event_name":"ListAliases","calls":2,"errors":0}
            {"key":"arn:aws:kms:eu-west-1:444455556666:key/mrk-1","event_name":"GenerateDataKey","calls":20,"errors":0}
            {"key":"arn:aws:kms:us-east-1:111122223333:key/abcd","event_name":"Decrypt","calls":12,"errors":1}
            {"key":"arn:aws:kms:us-east-1:111122223333:key/abcd","event_name":"Encrypt","calls":3,"errors":0}

            """
        let text = render(.ndjson, smallReport(), smallSummary(), smallFailures)
        #expect(text == expected)
        // Each line is a JSON object on its own.
        for line in text.split(separator: "\n") {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8))
            #expect((object as? [String: Any])?.count == 4)
        }
    }

    @Test func jsonOfSmallReportFieldByField() throws {
        let text = render(.json, smallReport(), smallSummary(), smallFailures)
        let root = try parseJSON(text)
        #expect(Set(root.keys) == ["summary", "keys", "unresolvedAliases", "blindSpots", "failures"])

        let summary = try #require(root["summary"] as? [String: Any])
        #expect(
            Set(summary.keys) == [
                "files", "filesSkipped", "filesFailed", "records", "kmsRecords", "recordsInFailedFiles",
                "bytesCompressed", "bytesUncompressed", "seconds", "cpuSeconds", "inflater", "jobs", "selectedRecords",
                "duplicatesFolded", "deliveryCopiesFolded", "deliveryCopiesFoldedByTrail", "notes",
            ])
        #expect(int(summary["files"]) == 9)
        #expect(int(summary["filesSkipped"]) == 1)
        #expect(int(summary["filesFailed"]) == 1)
        #expect(int(summary["records"]) == 615)
        #expect(int(summary["kmsRecords"]) == 37)
        #expect(int(summary["recordsInFailedFiles"]) == 40)
        #expect(int(summary["bytesCompressed"]) == 913_000)
        #expect(int(summary["bytesUncompressed"]) == 1_234_567)
        #expect((summary["seconds"] as? NSNumber)?.doubleValue == 0.012)
        #expect(summary["inflater"] as? String == "zlib")
        #expect(int(summary["jobs"]) == 2)
        #expect(text.contains("\"seconds\": 0.012,"))

        let keys = try #require(root["keys"] as? [[String: Any]])
        #expect(keys.map { $0["key"] as? String } == [keyB, keyA, ""])  // busiest first
        #expect(keys.map { int($0["calls"]) } == [20, 15, 2])
        #expect(keys.map { int($0["errors"]) } == [0, 1, 0])
        for key in keys { #expect(Set(key.keys) == ["key", "calls", "errors", "events"]) }
        let eventsA = try #require(keys[1]["events"] as? [String: [String: Any]])
        #expect(Set(eventsA.keys) == ["Decrypt", "Encrypt"])
        #expect(int(eventsA["Decrypt"]?["calls"]) == 12)
        #expect(int(eventsA["Decrypt"]?["errors"]) == 1)
        #expect(int(eventsA["Encrypt"]?["calls"]) == 3)
        #expect(int(eventsA["Encrypt"]?["errors"]) == 0)
        #expect(eventsA["Decrypt"]?.count == 2)

        let failures = try #require(root["failures"] as? [[String: Any]])
        #expect(failures.count == 1)
        #expect(failures[0]["file"] as? String == "logs/b.json.gz")
        #expect(failures[0]["error"] as? String == "truncated gzip stream at byte 4096")
        #expect(int(failures[0]["recordsBeforeFailure"]) == 40)
        #expect(failures[0].count == 3)
    }

    /// The documented layout, pinned: member order, indentation, events in
    /// byte order of name, the trailing newline.
    @Test func jsonLayoutIsExact() {
        let expected = """
            {
              "summary": {
                "files": 9,
                "filesSkipped": 1,
                "filesFailed": 1,
                "records": 615,
                "kmsRecords": 37,
                "recordsInFailedFiles": 40,
                "bytesCompressed": 913000,
                "bytesUncompressed": 1234567,
                "seconds": 0.012,
                "cpuSeconds": 0.000,
                "inflater": "zlib",
                "jobs": 2,
                "selectedRecords": 0,
                "duplicatesFolded": 0,
                "deliveryCopiesFolded": 0,
                "deliveryCopiesFoldedByTrail": {},
                "notes": []
              },
              "keys": [
                {
                  "key": "arn:aws:kms:eu-west-1:444455556666:key/mrk-1",
                  "calls": 20,
                  "errors": 0,
                  "events": {
                    "GenerateDataKey": {"calls": 20, "errors": 0}
                  }
                },
                {
                  "key": "arn:aws:kms:us-east-1:111122223333:key/abcd",
                  "calls": 15,
                  "errors": 1,
                  "events": {
                    "Decrypt": {"calls": 12, "errors": 1},
                    "Encrypt": {"calls": 3, "errors": 0}
                  }
                },
                {
                  "key": "",
                  "calls": 2,
                  "errors": 0,
                  "events": {
                    "ListAliases": {"calls": 2, "errors": 0}
                  }
                }
              ],
              "unresolvedAliases": [],
              "blindSpots": [],
              "failures": [
                {"file": "logs/b.json.gz", "error": "truncated gzip stream at byte 4096", "recordsBeforeFailure": 40}
              ]
            }

            """
        #expect(render(.json, smallReport(), smallSummary(), smallFailures) == expected)
    }

    @Test func tableOfSmallReport() {
        let text = render(.table, smallReport(), smallSummary(), smallFailures)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // account (12), region (9), label (17: "  GenerateDataKey"), calls (5), errors (6).
        func row(_ account: String, _ region: String, _ label: String, _ calls: String, _ errors: String) -> String {
            keyTableLine(account, region, label, calls, errors, widths: (12, 9, 17, 5, 6))
        }
        let expectedTop = [
            row("account", "region", "KMS key / event", "calls", "errors"),
            row("444455556666", "eu-west-1", "key/mrk-1", "20", "0"),
            row("", "", "  GenerateDataKey", "20", "0"),
            row("111122223333", "us-east-1", "key/abcd", "15", "1"),
            row("", "", "  Decrypt", "12", "1"),
            row("", "", "  Encrypt", "3", "0"),
            row("(no key)", "", "", "2", "0"),
            row("", "", "  ListAliases", "2", "0"),
            "",
            "Files:     11 found: 9 read, 1 skipped, 1 failed",
            "Records:   615 counted, 37 of them KMS; 40 left out from failed files",
            "Bytes:     913 KB read → 1.2 MB of JSON",
            "Time:      0.01 s, 103 MB/s of JSON, 2 jobs, zlib",
            "",
            "1 file failed; its records are not counted:",
            "  logs/b.json.gz: truncated gzip stream at byte 4096 (40 records read before the failure)",
            "",
        ]
        #expect(lines == expectedTop)
    }

    @Test func summaryLineOfSmallScan() {
        #expect(
            ReportRenderer.summaryLine(smallSummary())
                == "trailscan: 11 files (1 skipped, 1 failed), 615 records, 37 KMS, "
                + "40 records in failed files not counted, 913 KB → 1.2 MB, 0.01 s, 103 MB/s of JSON, zlib")
    }

    /// The example line of the issue, reproduced.
    @Test func summaryLineOfCleanScan() {
        var summary = ScanSummary()
        summary.files = 9
        summary.records = 615
        summary.kmsRecords = 87
        summary.bytesCompressed = 913_000
        summary.bytesUncompressed = 1_200_000
        summary.seconds = 0.01
        let line = ReportRenderer.summaryLine(summary)
        #expect(line == "trailscan: 9 files (0 skipped, 0 failed), 615 records, 87 KMS, 913 KB → 1.2 MB, 0.01 s, 120 MB/s of JSON, zlib")
        #expect(!line.contains("\n"))
    }

    /// The throughput is of the JSON this run inflated: none for a merge of
    /// reports (read by other runs) or a run that read nothing; a `--db`
    /// run's is of the folders it rescanned, not of the store's totals.
    @Test func throughputOnlyOfWhatThisRunRead() {
        var summary = ScanSummary()
        summary.bytesCompressed = 913_000
        summary.bytesUncompressed = 1_200_000
        summary.seconds = 0.01
        #expect(ReportRenderer.summaryLine(summary).contains(", 120 MB/s of JSON, "))

        var merged = ScanSummary()
        merged.merge(summary)
        merged.merge(summary)
        #expect(merged.jsonBytesThisRun == 0)
        #expect(!ReportRenderer.summaryLine(merged).contains("/s"), "\(ReportRenderer.summaryLine(merged))")
        #expect(!render(.table, UsageReport(), merged, []).contains("/s"))

        var store = merged
        store.jsonBytesThisRun = 300_000
        #expect(ReportRenderer.summaryLine(store).contains(", 30.0 MB/s of JSON, "))

        var nothing = ScanSummary()
        nothing.seconds = 0.5
        #expect(!ReportRenderer.summaryLine(nothing).contains("/s"))
    }
}

// MARK: - Quoting, escaping, ordering

@Suite("Report edge cases")
struct ReportEdgeCaseTests {
    @Test func csvQuotesCommaQuoteAndNewline() {
        let tricky = "arn:aws:kms:us-east-1:1:key/a,\"b\"\nc\rd"
        let text = render(.csv, report([(tricky, "Decrypt", 1, 0), ("plain", "Odd,Name", 2, 1)]))
        #expect(
            text == "key,event_name,calls,errors\n"
                + "\"arn:aws:kms:us-east-1:1:key/a,\"\"b\"\"\nc\rd\",Decrypt,1,0\n"
                + "plain,\"Odd,Name\",2,1\n")
    }

    @Test func csvQuotesAQuoteFollowedByACombiningMark() {
        // `"` + U+0301 is one Character; quoting must still double the quote byte.
        let text = render(.csv, report([("k\"\u{301}", "E", 1, 0)]))
        #expect(text == "key,event_name,calls,errors\n\"k\"\"\u{301}\",E,1,0\n")
    }

    @Test func csvLeavesOtherPunctuationUnquoted() {
        let text = render(.csv, report([("a b;c'd\te", "E", 1, 0)]))
        #expect(text == "key,event_name,calls,errors\na b;c'd\te,E,1,0\n")
    }

    @Test func emptyKeySortsFirst() {
        let text = render(.csv, report([("arn:b", "Decrypt", 1, 0), ("", "ListKeys", 5, 0), ("arn:a", "Encrypt", 1, 0)]))
        #expect(
            text == "key,event_name,calls,errors\n,ListKeys,5,0\narn:a,Encrypt,1,0\narn:b,Decrypt,1,0\n")
    }

    @Test func sortingIsByteOrderNotLocale() {
        let rows: [(String, String, UInt64, UInt64)] = [
            ("é", "x", 1, 0), ("a", "b", 1, 0), ("Z", "x", 1, 0), ("a", "B", 1, 0), ("a", "é", 1, 0),
            ("a", "Á", 1, 0), ("~", "x", 1, 0), ("", "x", 1, 0),
        ]
        let expected = """
            key,event_name,calls,errors
            ,x,1,0
            Z,x,1,0
            a,B,1,0
            a,b,1,0
            a,Á,1,0
            a,é,1,0
            ~,x,1,0
            é,x,1,0

            """
        #expect(render(.csv, report(rows)) == expected)
        // NDJSON follows the same order.
        let ndjsonKeys = render(.ndjson, report(rows)).split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["key"] as? String
        }
        #expect(ndjsonKeys == ["", "Z", "a", "a", "a", "a", "~", "é"])
    }

    /// Canonically equivalent strings with different bytes are different
    /// keys: the renderers compare bytes, never `String` equality.
    @Test func canonicallyEquivalentKeysStayApart() {
        let composed = "k\u{E9}"  // é as one scalar
        let decomposed = "ke\u{301}"  // e + combining acute
        var report = UsageReport()
        report.rows[.init(key: composed, eventName: "A")] = CallCounts(calls: 1, errors: 0)
        report.rows[.init(key: decomposed, eventName: "B")] = CallCounts(calls: 1, errors: 0)
        // UsageReport's Dictionary may merge the two (String == is canonical
        // equivalence); whatever rows it holds, the CSV keys must be the
        // bytes given, in byte order.
        let csvKeys = render(.csv, report).split(separator: "\n").dropFirst().map {
            Array($0.split(separator: ",", omittingEmptySubsequences: false)[0].utf8)
        }
        for key in csvKeys { #expect(key == Array(composed.utf8) || key == Array(decomposed.utf8)) }
        #expect(csvKeys == csvKeys.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func jsonEscapesControlCharactersAndKeepsNonASCII() throws {
        let key = "k\u{0}\u{1}\u{1F}\"\\\n\r\t\u{8}\u{C}/\u{7F}é😀\u{2028}"
        let message = "bad byte \u{1B}[31m at offset 7: \"\\\" \u{9}ü"
        let text = render(
            .json, report([(key, "Ev\"\n", 1, 1)]), ScanSummary(),
            [FileFailure(path: "dir/ü\nx.json.gz", error: message)])
        #expect(text.contains(#""key": "k\u0000\u0001\u001F\"\\\n\r\t\b\f/\#u{7F}é😀\#u{2028}","#))
        #expect(text.contains(#""Ev\"\n": {"calls": 1, "errors": 1}"#))
        #expect(text.contains(#""error": "bad byte \u001B[31m at offset 7: \"\\\" \tü""#))
        #expect(text.contains(#""file": "dir/ü\nx.json.gz""#))

        let root = try parseJSON(text)
        let keys = try #require(root["keys"] as? [[String: Any]])
        #expect((keys.first?["key"] as? String).map { Array($0.utf8) } == Array(key.utf8))
        let events = try #require(keys.first?["events"] as? [String: Any])
        #expect(Array(events.keys) == ["Ev\"\n"])
        let failures = try #require(root["failures"] as? [[String: Any]])
        #expect((failures.first?["error"] as? String).map { Array($0.utf8) } == Array(message.utf8))
        #expect(failures.first?["file"] as? String == "dir/ü\nx.json.gz")
    }

    @Test func ndjsonEscapesLikeJSON() throws {
        let key = "a\u{0}\n\"é"
        let text = render(.ndjson, report([(key, "E\t", 3, 2)]))
        #expect(text == #"{"key":"a\u0000\n\"é","event_name":"E\t","calls":3,"errors":2}"# + "\n")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect((object?["key"] as? String).map { Array($0.utf8) } == Array(key.utf8))
    }

    @Test func jsonInflaterIsEscaped() throws {
        var summary = ScanSummary()
        summary.inflater = "zlib \"1.3\""
        let root = try parseJSON(render(.json, UsageReport(), summary))
        #expect((root["summary"] as? [String: Any])?["inflater"] as? String == "zlib \"1.3\"")
    }

    @Test func failuresAreSortedByPath() throws {
        let failures = [
            FileFailure(path: "b.json.gz", error: "e2"), FileFailure(path: "a.json.gz", error: "e1"),
            FileFailure(path: "B.json.gz", error: "e3"),
        ]
        let root = try parseJSON(render(.json, UsageReport(), ScanSummary(), failures))
        let files = (root["failures"] as? [[String: Any]])?.map { $0["file"] as? String }
        #expect(files == ["B.json.gz", "a.json.gz", "b.json.gz"])
        let table = render(.table, UsageReport(), ScanSummary(), failures)
        #expect(table.contains("3 files failed; their records are not counted:\n  B.json.gz: e3\n  a.json.gz: e1\n  b.json.gz: e2\n"))
    }

    /// Busiest key first; equal totals in byte order of key. Events in the
    /// table busiest first, ties by name; in JSON by name.
    @Test func tiesAreBrokenByByteOrder() throws {
        let rows: [(String, String, UInt64, UInt64)] = [
            ("b", "Encrypt", 5, 0), ("a", "Zed", 5, 0), ("B", "x", 5, 0), ("c", "Decrypt", 9, 0),
            ("c", "Alpha", 9, 0), ("c", "Beta", 10, 0),
        ]
        let root = try parseJSON(render(.json, report(rows)))
        let keys = (root["keys"] as? [[String: Any]])?.map { $0["key"] as? String }
        #expect(keys == ["c", "B", "a", "b"])
        let json = render(.json, report(rows))
        #expect(json.contains(#""Alpha": {"calls": 9, "errors": 0},\#n        "Beta""#))

        // (Keys that are not ARNs are shown whole, on a line of their own
        // above their numbers.)
        let table = render(.table, report(rows)).split(separator: "\n").map(String.init)
        let labels = table.dropFirst().prefix(13).compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { !$0.allSatisfy(\.isNumber) }
        #expect(labels == ["c", "Beta", "Alpha", "Decrypt", "B", "x", "a", "Zed", "b"])
    }
}

// MARK: - Empty reports and large numbers

@Suite("Report extremes")
struct ReportExtremeTests {
    @Test func emptyReportInEveryFormat() throws {
        let empty = UsageReport()
        #expect(render(.csv, empty) == "key,event_name,calls,errors\n")
        #expect(render(.ndjson, empty) == "")

        let json = render(.json, empty)
        let root = try parseJSON(json)
        #expect((root["keys"] as? [Any])?.isEmpty == true)
        #expect((root["failures"] as? [Any])?.isEmpty == true)
        #expect(int((root["summary"] as? [String: Any])?["files"]) == 0)
        #expect((root["summary"] as? [String: Any])?["seconds"] as? NSNumber == 0)
        #expect(json.contains("  \"keys\": [],\n  \"unresolvedAliases\": [],\n  \"blindSpots\": [],\n  \"failures\": []\n}\n"))
        #expect(json.contains("\"seconds\": 0.000,"))

        let table = render(.table, empty)
        #expect(table.hasPrefix("No KMS records found.\n\nFiles:     0 found: 0 read, 0 skipped, 0 failed\n"))
        #expect(table.contains("Time:      0.00 s, 1 job, zlib\n"))
        #expect(!table.contains("KMS key / event"))
        #expect(!table.contains("failed; "))

        #expect(
            ReportRenderer.summaryLine(ScanSummary())
                == "trailscan: 0 files (0 skipped, 0 failed), 0 records, 0 KMS, 0 B → 0 B, 0.00 s, zlib")
    }

    /// Rows with no calls are not rows: a report holding only those is empty.
    @Test func rowsWithoutCallsAreLeftOut() {
        let idle = report([("k", "E", 0, 0)])
        #expect(render(.csv, idle) == "key,event_name,calls,errors\n")
        #expect(render(.ndjson, idle) == "")
        #expect(render(.table, idle).hasPrefix("No KMS records found.\n"))
    }

    @Test func countsNearUInt64MaxRenderExactly() throws {
        let max = UInt64.max
        let rows: [(String, String, UInt64, UInt64)] = [("k", "Decrypt", max, max - 1)]
        #expect(render(.csv, report(rows)) == "key,event_name,calls,errors\nk,Decrypt,18446744073709551615,18446744073709551614\n")
        #expect(
            render(.ndjson, report(rows))
                == #"{"key":"k","event_name":"Decrypt","calls":18446744073709551615,"errors":18446744073709551614}"# + "\n")

        var summary = ScanSummary()
        summary.records = max
        summary.kmsRecords = max - 2
        summary.recordsInFailedFiles = max
        summary.bytesCompressed = max
        summary.bytesUncompressed = max
        let json = render(.json, report(rows), summary)
        #expect(json.contains(#""calls": 18446744073709551615,"#))
        #expect(json.contains(#""errors": 18446744073709551614,"#))
        #expect(json.contains(#""Decrypt": {"calls": 18446744073709551615, "errors": 18446744073709551614}"#))
        #expect(json.contains(#""records": 18446744073709551615,"#))
        #expect(json.contains(#""kmsRecords": 18446744073709551613,"#))
        #expect(json.contains(#""bytesUncompressed": 18446744073709551615,"#))
        _ = try parseJSON(json)  // still valid JSON

        let table = render(.table, report(rows), summary)
        #expect(
            table.hasPrefix(
                """
                account       region  KMS key / event                       calls                      errors
                k
                                                       18,446,744,073,709,551,615  18,446,744,073,709,551,614
                                        Decrypt        18,446,744,073,709,551,615  18,446,744,073,709,551,614

                """))
        #expect(table.contains("Records:   18,446,744,073,709,551,615 counted, 18,446,744,073,709,551,613 of them KMS"))
        #expect(table.contains("Bytes:     18.4 EB read → 18.4 EB of JSON\n"))
        #expect(ReportRenderer.summaryLine(summary).contains("18,446,744,073,709,551,615 records"))
    }

    /// A key's total is the sum of its events; it saturates rather than traps.
    @Test func keyTotalsSaturate() throws {
        let rows: [(String, String, UInt64, UInt64)] = [("k", "A", .max, 1), ("k", "B", .max, 2)]
        let json = render(.json, report(rows))
        #expect(json.contains("\"calls\": 18446744073709551615,\n      \"errors\": 3,"))
        #expect(render(.table, report(rows)).contains("18,446,744,073,709,551,615"))
    }

    @Test func humanUnitsInTheSummaryLine() {
        func bytes(_ n: UInt64) -> String {
            var summary = ScanSummary()
            summary.bytesCompressed = n
            let line = ReportRenderer.summaryLine(summary)
            let afterKMS = line.split(separator: ", ")[4]  // "<in> → 0 B"
            return String(afterKMS.split(separator: " → ")[0])
        }
        #expect(bytes(0) == "0 B")
        #expect(bytes(999) == "999 B")
        #expect(bytes(1000) == "1.0 KB")
        #expect(bytes(1049) == "1.0 KB")
        #expect(bytes(1050) == "1.1 KB")
        #expect(bytes(99_949) == "99.9 KB")
        #expect(bytes(99_950) == "100 KB")
        #expect(bytes(913_000) == "913 KB")
        #expect(bytes(999_499) == "999 KB")
        #expect(bytes(999_500) == "1.0 MB")
        #expect(bytes(1_200_000) == "1.2 MB")
        #expect(bytes(5_000_000_000) == "5.0 GB")
        #expect(bytes(2_000_000_000_000) == "2.0 TB")
        #expect(bytes(UInt64.max) == "18.4 EB")
    }

    @Test func secondsAndThroughputInTheSummaryLine() {
        func tail(_ seconds: Double, _ bytes: UInt64 = 1_000_000) -> String {
            var summary = ScanSummary()
            summary.bytesUncompressed = bytes
            summary.seconds = seconds
            summary.inflater = ""  // no inflater name: the line ends with the throughput
            let line = ReportRenderer.summaryLine(summary)
            return String(line.split(separator: " → ")[1].drop { $0 != "," }.dropFirst(2))
        }
        #expect(tail(0.004) == "0.00 s, 250 MB/s of JSON")
        #expect(tail(1.5) == "1.50 s, 667 KB/s of JSON")
        #expect(tail(9.999) == "10.0 s, 100 KB/s of JSON")
        #expect(tail(42.06) == "42.1 s, 23.8 KB/s of JSON")
        #expect(tail(1234.4) == "1234 s, 810 B/s of JSON")
        #expect(tail(0) == "0.00 s")
        #expect(tail(.nan) == "0.00 s")
        #expect(tail(1e-300, .max).hasSuffix("/s of JSON"))  // absurd rates still render
    }
}

// MARK: - The table for people

@Suite("Table layout")
struct TableLayoutTests {
    @Test func keyARNsAreSplitIntoColumnsAndRowsFit100Columns() {
        let gov = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
        let short = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        // A partition that does not match its region: shown whole.
        let odd = "arn:aws-cn:kms:us-east-1:111122223333:key/odd"
        let text = render(
            .table,
            report([(gov, "Decrypt", 1_234_567, 89), (short, "Encrypt", 1_000, 0), (short, "Sign", 5, 5), (odd, "Sign", 1, 0)]))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines { #expect(line.count <= 100, "too wide: \(line)") }
        // account (12), region (13: us-gov-west-1), label (40: the key ids),
        // calls (9: 1,234,567), errors (6).
        func row(_ account: String, _ region: String, _ label: String, _ calls: String, _ errors: String) -> String {
            keyTableLine(account, region, label, calls, errors, widths: (12, 13, 40, 9, 6))
        }
        #expect(
            Array(lines.prefix(10)) == [
                row("account", "region", "KMS key / event", "calls", "errors"),
                row("111122223333", "us-gov-west-1", "key/mrk-1234abcd12ab34cd56ef1234567890ab", "1,234,567", "89"),
                row("", "", "  Decrypt", "1,234,567", "89"),
                row("111122223333", "us-east-1", "key/1234abcd-12ab-34cd-56ef-1234567890ab", "1,005", "5"),
                row("", "", "  Encrypt", "1,000", "0"),
                row("", "", "  Sign", "5", "5"),
                odd,  // whole, on a line of its own
                row("", "", "", "1", "0"),
                row("", "", "  Sign", "1", "0"),
                "",
            ])
    }

    @Test func tableEscapesControlCharacters() {
        let hostile = "arn:aws:kms:us-east-1:1:key/x\u{1B}[2J\nforged\u{202E}"
        let text = render(
            .table, report([(hostile, "Decrypt\r", 1, 0)]), ScanSummary(),
            [FileFailure(path: "a\nb", error: "bad\u{7}")])
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{202E}"))
        #expect(!text.contains("\u{7}"))
        #expect(!text.contains("\r"))
        #expect(text.contains(#"key/x\u001B[2J\nforged\u202E "#))
        #expect(text.contains(#"  Decrypt\r "#))
        #expect(text.contains(#"  a\nb: bad\u0007"#))
    }

    @Test func singularsAndNoFailureBlockWhenClean() {
        var summary = smallSummary()
        summary.filesFailed = 0
        summary.recordsInFailedFiles = 0
        summary.jobs = 1
        let text = render(.table, smallReport(), summary, [])
        #expect(!text.contains("failed; "))
        #expect(text.contains(", 1 job, zlib\n"))
        #expect(!ReportRenderer.summaryLine(summary).contains("not counted"))
    }
}
