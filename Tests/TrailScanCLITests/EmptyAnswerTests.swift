// Nothing empty without a word (issue #12, finding 8): an answer with no
// row says why, on stderr (even with --quiet: it explains the answer) and
// in the JSON summary's `notes`, naming the filter; an option that would
// change nothing in the chosen report is a usage error.

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct EmptyAnswerTests {
    @Test func emptyAnswersSayWhy() throws {
        let trail = try CLITests.makeTrail(bytes: 512 << 10, seed: 3)
        let empty = try TemporaryFolder()
        let cases: [([String], String)] = [
            ([empty.path], "no log file was found under the given paths"),
            ([trail.path, "--account", "1111"], "no log file is left once the filters (--account 1111)"),
            ([trail.path, "--region", "us-east1"], "(--region us-east1)"),
            ([trail.path, "--event-name", "Nope"], "no KMS record matched the filters (--event-name Nope)"),
            ([trail.path, "--key", "arn:aws:kms:us-east-1:1:key/none"], "no call matched the key filters"),
        ]
        for (arguments, note) in cases {
            let csv = try TrailscanBinary.run(["scan"] + arguments + ["-f", "csv", "--quiet"])
            #expect(csv.status == 0, "\(arguments): \(csv.stderr)")
            #expect(csv.stdout == "key,event_name,calls,errors\n", "\(arguments)")
            #expect(csv.stderr.contains("trailscan: note: " + note) || csv.stderr.contains(note), "\(arguments): \(csv.stderr)")
            let json = try TrailscanBinary.run(["scan"] + arguments + ["-f", "json", "--quiet"])
            let root = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
            let notes = (root["summary"] as! [String: Any])["notes"] as! [String]
            #expect(notes.contains { $0.contains(note) }, "\(arguments): \(notes)")
        }
        // A full answer has no note.
        let full = try TrailscanBinary.run(["scan", trail.path, "-f", "csv"])
        #expect(!full.stderr.contains("note:"))
    }

    @Test func optionsThatChangeNothingAreUsageErrors() throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 3)
        let cases: [([String], String)] = [
            (["--idle-days", "30"], "--idle-days applies to --report idle only"),
            (["--report", "lifecycle", "--times"], "--times applies to --report usage only"),
            (["--report", "aliases", "--by", "principal"], "--by applies to --report usage only"),
            (["--report", "idle", "--top", "3"], "--top applies to --report usage"),
            (["--top", "0"], "--top must be at least 1"),
            (["--top", "-1"], "--top must be at least 1 (got -1)"),
        ]
        for (arguments, message) in cases {
            let result = try TrailscanBinary.run(["scan", trail.path] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        // `--by key --by event` is `--by key,event`, not the last one given.
        let repeated = try TrailscanBinary.run(["scan", trail.path, "--by", "key", "--by", "event", "-f", "csv", "-q"])
        let joined = try TrailscanBinary.run(["scan", trail.path, "--by", "key,event", "-f", "csv", "-q"])
        #expect(repeated.status == 0)
        #expect(repeated.stdout == joined.stdout)
    }

    /// Issue #12, finding 4: blind spots are part of the answer, so --quiet
    /// (which silences chatter) does not hide them. CSV, NDJSON and
    /// Prometheus carry them on stderr (Prometheus also as a gauge); JSON
    /// and the table carry them in the report itself.
    @Test func quietDoesNotHideBlindSpots() throws {
        let folder = try TemporaryFolder()
        let records = #"""
            {"Records":[
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"main","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"excludeManagementEventSources":["kms.amazonaws.com"]}]}},
            {"eventSource":"kms.amazonaws.com","eventName":"Decrypt","eventTime":"2026-10-01T01:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k"}]}
            ]}
            """#
        _ = try folder.write(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/111122223333_CloudTrail_us-east-1_20261001T0100Z_a.json",
            Array(records.utf8))
        for format in ["csv", "ndjson", "prometheus"] {
            let result = try TrailscanBinary.run(["scan", folder.path, "-f", format, "--quiet"])
            #expect(result.status == 0)
            #expect(result.stderr.contains("trail main (account 111122223333, us-east-1) did not log all KMS events"), "\(format): \(result.stderr)")
            #expect(!result.stderr.contains("records,"), "\(format): the summary line stays quiet")
        }
        let json = try TrailscanBinary.run(["scan", folder.path, "-f", "json", "--quiet"])
        #expect(json.stderr.isEmpty, "\(json.stderr)")
        let root = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((root["blindSpots"] as! [Any]).count == 1)
        let table = try TrailscanBinary.run(["scan", folder.path, "--quiet"])
        #expect(table.stdout.contains("did not log all KMS events"))
        // With --since, changes before its day are not read: said.
        let since = try TrailscanBinary.run(["scan", folder.path, "--since", "2026-10-01T00:30:00Z", "-f", "csv", "--quiet"])
        #expect(since.stderr.contains("blind spots are known only from the logging changes in the files read (from 2026-10-01 on)"), "\(since.stderr)")
    }
}
