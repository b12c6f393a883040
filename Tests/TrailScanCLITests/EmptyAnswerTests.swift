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
}
