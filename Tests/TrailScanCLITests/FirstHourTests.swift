// What a new user runs into in the first hour (issue 15), through the built
// binary: paths from `find -print0`, digest files named on stdin, `generate`
// over existing files, `-o -` and formats from file names, usage errors that
// list the valid values, `-j1`, completions, the manual page's text, and the
// summary's throughput only where it means something.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanIO
import TrailScanWriter

@Suite struct FirstHourTests {
    /// Every file below `folder` (digests included), by path.
    static func allFiles(_ folder: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder).map { folder + "/" + $0 }
            .filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
            .sorted()
    }

    /// The JSON report's summary.
    static func summary(_ stdout: String) throws -> [String: Int] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let summary = try #require(root["summary"] as? [String: Any])
        return summary.compactMapValues { $0 as? Int }
    }

    // MARK: - find -print0 | trailscan scan -0 -

    @Test func nulSeparatedPathsFromStdinEqualTheFolderScan() throws {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 11)
        // A name with a newline in it: only -0 can carry it.
        let odd = #"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/odd"}]}]}"#
        try trail.write("AWSLogs/odd\nname.json.gz", try Gzip.compress(Array(odd.utf8)))
        let files = try Self.allFiles(trail.path)
        #expect(files.contains { $0.contains("/CloudTrail-Digest/") })

        let direct = try TrailscanBinary.run(["scan", trail.path, "-f", "json"])
        #expect(direct.status == 0, "\(direct.stderr)")
        let listed = try TrailscanBinary.run(
            ["scan", "-0", "-", "-f", "json"], stdin: files.joined(separator: "\0") + "\0")
        #expect(listed.status == 0, "\(listed.stderr)")
        let (a, b) = (try Self.summary(direct.stdout), try Self.summary(listed.stdout))
        for field in ["files", "filesSkipped", "filesFailed", "records", "kmsRecords"] {
            #expect(a[field] == b[field], "\(field): folder \(a[field] ?? -1), stdin \(b[field] ?? -1)")
        }
        #expect((b["filesSkipped"] ?? 0) >= 1)
        #expect(listed.stdout.contains("key/odd"))

        // The same list without -0: a usage error that names the fix.
        let withoutFlag = try TrailscanBinary.run(["scan", "-", "-f", "csv"], stdin: files.joined(separator: "\0"))
        #expect(withoutFlag.status == 2)
        #expect(withoutFlag.stdout.isEmpty)
        #expect(withoutFlag.stderr == "trailscan: the paths on standard input are separated by NUL bytes (find -print0): add -0 (--null)\n")
    }

    /// `find DIR -name '*.json.gz' | trailscan scan -` (the README recipe):
    /// the digest files it lists are skipped and counted, not failed.
    @Test func newlineSeparatedPathsWithDigestsAreSkippedNotFailed() throws {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 12)
        let logs = try Self.allFiles(trail.path).filter { $0.hasSuffix(".json.gz") }
        let digests = logs.filter { $0.contains("/CloudTrail-Digest/") }
        #expect(!digests.isEmpty)
        let result = try TrailscanBinary.run(["scan", "-", "-f", "json"], stdin: logs.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Self.summary(result.stdout)
        #expect(summary["filesSkipped"] == digests.count)
        #expect(summary["filesFailed"] == 0)
        #expect(summary["files"] == logs.count - digests.count)
    }

    @Test func nullWithoutDashIsAUsageError() throws {
        let result = try TrailscanBinary.run(["scan", "-0", "/tmp"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("-0 (--null) applies to the paths read from standard input"))
    }

    // MARK: - generate

    @Test func generateRefusesANonEmptyFolderUnlessForced() throws {
        let folder = try TemporaryFolder()
        try folder.write("notes.txt", Array("mine".utf8))
        let refused = try TrailscanBinary.run(["generate", "--out", folder.path, "--bytes", "64K"])
        #expect(refused.status == 2)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("\(folder.path) is not empty (1 entry)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"))
        #expect(try Self.allFiles(folder.path) == [folder.path + "/notes.txt"])

        let forced = try TrailscanBinary.run(["generate", "--out", folder.path, "--bytes", "64K", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Self.allFiles(folder.path).count > 1)

        // An empty folder, or a new one, needs no --force.
        let empty = try TemporaryFolder()
        #expect(try TrailscanBinary.run(["generate", "--out", empty.path, "--bytes", "64K"]).status == 0)
        #expect(try TrailscanBinary.run(["generate", "--out", empty.path + "/new", "--bytes", "64K"]).status == 0)
    }

    // MARK: - -o - and formats from file names

    @Test func dashOutputIsStandardOutputForScanAndMerge() throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 13)
        let plain = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "-q"])
        let dash = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "-q", "-o", "-"])
        #expect(dash.status == 0)
        #expect(!dash.stdout.isEmpty)
        #expect(Self.withoutSeconds(dash.stdout) == Self.withoutSeconds(plain.stdout))
        #expect(!FileManager.default.fileExists(atPath: "-"))

        let folder = try TemporaryFolder()
        let part = folder.path + "/part.json"
        #expect(try TrailscanBinary.run(["scan", trail.path, "-f", "partial", "-q", "-o", part]).status == 0)
        let merged = try TrailscanBinary.run(["merge", part, "-f", "csv", "-o", "-"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.hasPrefix("key,event_name,calls,errors\n"))
    }

    static func withoutSeconds(_ json: String) -> String {
        json.split(separator: "\n").filter { !$0.contains("econds\"") }.joined(separator: "\n")  // seconds, cpuSeconds
    }

    @Test(arguments: [
        ("kms.csv", "key,event_name,calls,errors\n"),
        ("kms.json", "{\n"),
        ("kms.ndjson", "{\"key\":"),
        ("trailscan.prom", "# HELP "),
        ("kms.html", "<!DOCTYPE html>"),
        ("kms.txt", "account "),
    ])
    func formatFollowsTheOutputFileName(name: String, start: String) throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 14)
        let folder = try TemporaryFolder()
        let path = folder.path + "/" + name
        let result = try TrailscanBinary.run(["scan", trail.path, "-q", "-o", path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(start), "\(name): \(text.prefix(80))")
    }

    @Test func anExplicitFormatWinsOverTheFileName() throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 14)
        let folder = try TemporaryFolder()
        let path = folder.path + "/kms.csv"
        #expect(try TrailscanBinary.run(["scan", trail.path, "-q", "-o", path, "-f", "json"]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{\n"))
    }

    // MARK: - usage errors

    @Test(arguments: [
        ("--report", "'usage', 'idle', 'lifecycle', 'aliases', 'blind-spots' or 'gaps'"),
        ("--format", "'table', 'csv', 'json', 'ndjson', 'prometheus', 'html' or 'partial'"),
        ("--inflater", "'auto', 'zlib' or 'isal'"),
        ("--read", "'read' and 'mmap'"),
    ])
    func aBadValueListsTheValidOnes(option: String, values: String) throws {
        let result = try TrailscanBinary.run(["scan", option, "foo", "/tmp"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == "trailscan: The value 'foo' is invalid for '\(option) <\(option.dropFirst(2))>'. "
                + "Please provide one of \(values). See 'trailscan scan --help'.\n")
    }

    @Test func jobsJoinedToTheFlagAndNegativeJobs() throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 15)
        let spaced = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "-q", "-j", "1"])
        let joined = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "-q", "-j1"])
        #expect(joined.status == 0, "\(joined.stderr)")
        #expect(joined.stdout == spaced.stdout)
        for arguments in [["--jobs", "-1"], ["-j", "-1"], ["-j-1"]] {
            let negative = try TrailscanBinary.run(["scan", trail.path] + arguments)
            #expect(negative.status == 2)
            #expect(
                negative.stderr == "trailscan: --jobs must be at least 1 (got -1). See 'trailscan scan --help'.\n",
                "\(arguments)")
        }
    }

    @Test func aTopLevelArrayIsNotACloudTrailLogRatherThanInvalidJSON() throws {
        let folder = try TemporaryFolder()
        try folder.write("AWSLogs/array.json", Array(#"[{"eventSource":"kms.amazonaws.com"}]"#.utf8))
        let result = try TrailscanBinary.run(["scan", folder.path, "-f", "csv"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("array.json: not a CloudTrail log (top level is an array) at byte 0\n"), "\(result.stderr)")
        #expect(!result.stderr.contains("invalid JSON"))
    }

    @Test func aMissingMergeInputIsNamed() throws {
        let result = try TrailscanBinary.run(["merge", "/nonexistent/part1.json"])
        #expect(result.status == 2)
        #expect(result.stderr == "trailscan: no such file: /nonexistent/part1.json\n")
        let folder = try TemporaryFolder()
        let directory = try TrailscanBinary.run(["merge", folder.path])
        #expect(directory.stderr == "trailscan: cannot read \(folder.path): it is a directory\n")
    }

    // MARK: - throughput

    /// The summary line in `stderr` (other lines hold paths, which may
    /// contain anything).
    static func summaryLine(_ stderr: String) -> String {
        String(stderr.split(separator: "\n").last { $0.hasPrefix("trailscan: ") && $0.contains(" files (") } ?? "")
    }

    /// The summary line's throughput is of the JSON this run inflated: a
    /// merge and a `--db` run that rescanned nothing show none.
    @Test func noThroughputForAMergeOrAStoreRunThatReadNothing() throws {
        let trail = try CLITests.makeTrail(bytes: 512 << 10, seed: 16)
        let folder = try TemporaryFolder()
        let scan = try TrailscanBinary.run(["scan", trail.path, "-f", "partial", "-o", folder.path + "/p.json"])
        #expect(Self.summaryLine(scan.stderr).contains("/s of JSON, "), "\(scan.stderr)")

        let merge = try TrailscanBinary.run(["merge", folder.path + "/p.json", "-f", "csv"])
        #expect(merge.status == 0)
        #expect(!Self.summaryLine(merge.stderr).contains("B/s"), "\(merge.stderr)")

        let db = folder.path + "/state.db"
        let first = try TrailscanBinary.run(["scan", trail.path, "--db", db, "-f", "csv"])
        guard first.status == 0 else {
            // No libsqlite3 on this machine: --db is a usage error (tested elsewhere).
            #expect(first.stderr.contains("cannot use the store"), "\(first.stderr)")
            return
        }
        #expect(Self.summaryLine(first.stderr).contains("/s of JSON, "), "\(first.stderr)")
        let again = try TrailscanBinary.run(["scan", trail.path, "--db", db, "-f", "table"])
        #expect(again.stderr.contains("0 folder(s) scanned (0 file(s))"), "\(again.stderr)")
        #expect(!Self.summaryLine(again.stderr).contains("B/s"), "\(again.stderr)")
        let time = again.stdout.split(separator: "\n").first { $0.hasPrefix("Time:") } ?? ""
        #expect(time.hasPrefix("Time: ") && !time.contains("B/s"), "the table's Time line: \(time)")
    }

    // MARK: - completions and the manual page

    /// Runs the bash completion script the binary generates, with the
    /// binary on PATH, for the command line `words` (the last is completed).
    static func bashCompletions(_ words: [String]) throws -> [String] {
        let script = try TrailscanBinary.run(["--generate-completion-script", "bash"]).stdout
        let folder = try TemporaryFolder()
        try folder.write("trailscan.bash", Array(script.utf8))
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let harness = """
            source '\(folder.path)/trailscan.bash'
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1)
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _trailscan trailscan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let path = TrailscanBinary.url.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        let result = try runProcess("/bin/bash", ["-c", harness], environment: ["PATH": path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    static let bash = FileManager.default.isExecutableFile(atPath: "/bin/bash")

    @Test(.enabled(if: bash, "/bin/bash is not installed"))
    func completionsOfferTheValuesOfByReportAndFormat() throws {
        #expect(try Self.bashCompletions(["trailscan", "scan", "--report", "b"]) == ["blind-spots"])
        #expect(try Self.bashCompletions(["trailscan", "scan", "--format", "n"]) == ["ndjson"])
        #expect(try Self.bashCompletions(["trailscan", "scan", "-f", ""]).count == 7)
        #expect(try Self.bashCompletions(["trailscan", "scan", "--by", "ca"]) == ["caller-account"])
        // A comma list: the dimensions not given yet, after the ones given.
        #expect(try Self.bashCompletions(["trailscan", "scan", "--by", "key,e"]) == ["key,error-code", "key,event"])
        let all = try Self.bashCompletions(["trailscan", "scan", "--by", ""])
        #expect(all.contains("key") && all.contains("event") && all.contains("day"), "\(all)")
        let afterTwo = try Self.bashCompletions(["trailscan", "scan", "--by", "key,event,"])
        #expect(afterTwo == all.filter { $0 != "key" && $0 != "event" }.map { "key,event," + $0 }, "\(afterTwo)")
    }

    /// `swift package plugin generate-manual` copies the text of the help
    /// (from `--experimental-dump-help`) into mdoc as is: a blank line there
    /// is a warning of `man --warnings` ("Empty input line"), and characters
    /// outside ASCII are dropped. The texts it reads have neither.
    @Test func theManualPageTextHasNoBlankLinesAndIsASCII() throws {
        let dump = try TrailscanBinary.run(["--experimental-dump-help"])
        #expect(dump.status == 0)
        var texts: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, inner) in object {
                    if ["abstract", "discussion"].contains(key), let text = inner as? String { texts.append(text) }
                    collect(inner)
                }
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)))
        #expect(texts.count > 20)
        for text in texts {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(!lines.contains { line in line.allSatisfy { $0.isWhitespace } }, "a blank line in: \(text.prefix(60))")
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "not ASCII: \(text.prefix(60))")
        }
        // The paragraphs are still there, as mdoc paragraph macros.
        #expect(texts.contains { $0.contains("\n.Pp\n") })
    }
}
