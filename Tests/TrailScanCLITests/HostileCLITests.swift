// Hostile input through the built binary (issue 4): per-file errors on
// stderr naming the file, exit status 1, the JSON summary's accounting
// identities, `--strict`, an unreadable file (run as `nobody` when the tests
// run as root), and a low descriptor limit.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanIO
import TrailScanWriter

#if canImport(Glibc)
import Glibc
#endif

private let record =
    #"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k1"}]}"#

private func trail(_ count: Int) -> [UInt8] {
    Array((#"{"Records":["# + Array(repeating: record, count: count).joined(separator: ",") + "]}").utf8)
}

/// The JSON report's summary and failures.
private func parse(_ stdout: String) throws -> (summary: [String: Any], failures: [[String: Any]]) {
    let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    return (json["summary"] as? [String: Any] ?? [:], json["failures"] as? [[String: Any]] ?? [])
}

private func int(_ value: Any?) -> Int { (value as? Int) ?? -1 }

@Suite struct HostileCLITests {
    /// A bad-input corpus next to good files: every bad file is named on
    /// stderr with its reason, the good ones are counted, exit status 1, and
    /// files seen = files + filesFailed + filesSkipped, records read =
    /// records + recordsInFailedFiles.
    @Test func aBadInputCorpusIsReportedFileByFile() throws {
        let folder = try TemporaryFolder()
        let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/"
        for i in 0..<4 { try folder.write(day + "good\(i).json.gz", try Gzip.compress(trail(5))) }
        try folder.write(day + "zero.json.gz", try Gzip.compress(Array(#"{"Records":[]}"#.utf8)))
        let gz = try Gzip.compress(trail(3))
        var cutRecords = trail(3)
        cutRecords.removeLast(30)
        let bad: [(String, [UInt8], String)] = [
            ("header.json.gz", Array(gz.prefix(4)), "truncated gzip data: the file ends inside a gzip member (after 4 bytes)"),
            ("trailer.json.gz", Array(gz.dropLast(3)), "truncated gzip data"),
            ("midrecord.json.gz", try Gzip.compress(cutRecords), "invalid JSON: unexpected end of data at byte"),
            ("array.json.gz", try Gzip.compress(Array("[]".utf8)), "not a CloudTrail log (top level is an array) at byte 0"),
            ("norecords.json.gz", try Gzip.compress(Array(#"{"a":1}"#.utf8)), "not a CloudTrail log (no Records array) at byte 6"),
            ("notobject.json.gz", try Gzip.compress(Array(#"{"Records":[true]}"#.utf8)), "record is not a JSON object at byte 12"),
            ("utf8.json.gz", try Gzip.compress(Array(#"{"Records":[{"a":""#.utf8) + [0xFF] + Array(#""}]}"#.utf8)), "invalid UTF-8 in string at byte 18"),
            ("nul.json", [UInt8](repeating: 0, count: 100), "not a CloudTrail log (top level is not a JSON object, found 0x00) at byte 0"),
            ("text.json.gz", Array("hello".utf8), "not a gzip file"),
        ]
        for (name, bytes, _) in bad { try folder.write(day + name, bytes) }
        try folder.write(day + "x.json.gz/inner.json", trail(2))  // a directory named like a log
        #expect(mkfifo(folder.path + "/" + day + "pipe.json.gz", 0o644) == 0)
        try folder.write("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01/d.json.gz", [1, 2, 3])

        // --validate full: utf8.json.gz has invalid UTF-8 in a record no
        // report reads, which the default --validate used only skips.
        for strategy in ["read", "mmap"] {
            let result = try TrailscanBinary.run([
                "scan", folder.path, "--format", "json", "--read", strategy, "--jobs", "3", "--validate", "full",
            ])
            #expect(result.status == 1, "\(result.stderr)")
            for (name, _, reason) in bad {
                let line = result.stderr.split(separator: "\n").first { $0.contains("/" + name + ": ") }
                #expect(line?.contains(reason) == true, "\(name): \(line ?? "no line")")
            }
            #expect(result.stderr.contains("pipe.json.gz: not a regular file"))
            let (summary, failures) = try parse(result.stdout)
            let seen = 4 + 1 + bad.count + 1 + 1 + 1  // good, zero, bad, inner, fifo, digest
            #expect(int(summary["files"]) + int(summary["filesFailed"]) + int(summary["filesSkipped"]) == seen)
            #expect(int(summary["files"]) == 6)
            #expect(int(summary["filesFailed"]) == bad.count + 1)
            #expect(int(summary["filesSkipped"]) == 1)
            #expect(int(summary["records"]) == 4 * 5 + 2)
            #expect(failures.count == bad.count + 1)
            #expect(failures.reduce(0) { $0 + int($1["recordsBeforeFailure"]) } == int(summary["recordsInFailedFiles"]))
        }
    }

    /// `--strict`: the first failure stops the scan; the error is printed
    /// (even with --quiet), no report is written, exit status 1. Without a
    /// failure, --strict changes nothing.
    /// `--validate`: invalid UTF-8 in an S3 record, which the default
    /// report never reads, fails the file only with `--validate full`.
    @Test func validateFullRejectsWhatUsedSkips() throws {
        let folder = try TemporaryFolder()
        let document = Array(#"{"Records":[{"eventSource":"s3.amazonaws.com","userAgent":""#.utf8) + [0xFF]
            + Array(#""}]}"#.utf8)
        try folder.write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/s3.json.gz", try Gzip.compress(document))
        let used = try TrailscanBinary.run(["scan", folder.path, "--format", "csv"])
        #expect(used.status == 0, "\(used.stderr)")
        #expect(used.stderr.contains(", 1 record, "), "\(used.stderr)")
        let full = try TrailscanBinary.run(["scan", folder.path, "--format", "csv", "--validate", "full"])
        #expect(full.status == 1)
        #expect(full.stderr.contains("s3.json.gz: invalid JSON: invalid UTF-8 in string at byte 59"), "\(full.stderr)")
        let wrong = try TrailscanBinary.run(["scan", folder.path, "--validate", "some"])
        #expect(wrong.status != 0 && wrong.stderr.contains("--validate"), "\(wrong.stderr)")
    }

    @Test func strictStopsAtTheFirstFailure() throws {
        let folder = try TemporaryFolder()
        for i in 0..<40 { try folder.write("AWSLogs/f\(String(format: "%02d", i)).json.gz", try Gzip.compress(trail(3))) }
        let clean = try TrailscanBinary.run(["scan", folder.path, "--strict", "--format", "csv"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("Decrypt,120,0"))

        // The largest file is scanned first: make the bad one the largest.
        try folder.write("AWSLogs/bad.json.gz", Array(repeating: UInt8(ascii: "x"), count: 100_000))
        let output = folder.path + "/report.csv"
        for extra in [[String](), ["--quiet"]] {
            let result = try TrailscanBinary.run(
                ["scan", folder.path + "/AWSLogs", "--strict", "--jobs", "1", "--format", "csv", "--output", output] + extra)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(result.stderr.contains("bad.json.gz: not a gzip file"))
            #expect(
                result.stderr.contains(
                    "stopped at the first failed file (--strict); no report written, 40 file(s) not scanned"),
                "\(result.stderr)")
        }
        // Without --strict the same trail is scanned whole.
        let lenient = try TrailscanBinary.run(["scan", folder.path + "/AWSLogs", "--format", "csv", "--quiet"])
        #expect(lenient.status == 1)
        #expect(lenient.stdout.contains("Decrypt,120,0"))
    }

    /// Why the permission case cannot run as root here, or nil: root
    /// ignores file permissions, so as root the binary is run as `nobody`
    /// (setpriv), which must be able to reach it.
    static let permissionCaseObstacle: String? = {
        guard geteuid() == 0 else { return nil }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            return "running as root without /usr/bin/setpriv to run the binary as nobody"
        }
        var ancestor = TrailscanBinary.url.deletingLastPathComponent()
        while ancestor.path != "/" {
            var info = stat()
            if stat(ancestor.path, &info) == 0 && info.st_mode & 0o001 == 0 {
                return "running as root, and nobody cannot reach the binary (\(ancestor.path) is not traversable)"
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
        return nil
    }()

    /// Permission denied. Root ignores file permissions, so when the tests
    /// run as root the binary is run as `nobody` (setpriv); when that cannot
    /// be done the case is skipped, and says why.
    @Test(.enabled(if: permissionCaseObstacle == nil, Comment(rawValue: permissionCaseObstacle ?? "")))
    func anUnreadableFileIsReported() throws {
        let folder = try TemporaryFolder()
        try folder.write("AWSLogs/good.json.gz", try Gzip.compress(trail(4)))
        try folder.write("AWSLogs/locked.json.gz", try Gzip.compress(trail(4)))
        chmod(folder.path + "/AWSLogs/locked.json.gz", 0)
        var arguments = ["scan", folder.path, "--format", "json"]
        if geteuid() == 0 {
            chmod(folder.path, 0o755)
            chmod(folder.path + "/AWSLogs", 0o755)
            arguments = [
                "--reuid=65534", "--regid=65534", "--clear-groups", TrailscanBinary.url.path,
            ] + arguments
            let result = try runProcess("/usr/bin/setpriv", arguments)
            check(result)
        } else {
            check(try TrailscanBinary.run(arguments))
        }

        func check(_ result: CommandResult) {
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("locked.json.gz: cannot open: Permission denied"), "\(result.stderr)")
            let summary = (try? parse(result.stdout).summary) ?? [:]
            #expect(int(summary["files"]) == 1 && int(summary["filesFailed"]) == 1)
            #expect(int(summary["records"]) == 4)
        }
    }

    /// Thousands of files under `ulimit -n 64`: no descriptor leak, so every
    /// file is opened (a leak would fail files with "Too many open files").
    @Test func thousandsOfFilesUnderALowDescriptorLimit() throws {
        let folder = try TemporaryFolder()
        let good = try Gzip.compress(trail(1))
        for i in 0..<3000 {
            let name = "AWSLogs/\(i % 30)/f\(i).json.gz"
            try folder.write(name, i % 100 == 99 ? Array(good.dropLast(2)) : good)
        }
        for strategy in ["read", "mmap"] {
            let binary = TrailscanBinary.url.path
            let result = try runProcess(
                "/bin/sh", ["-c", "ulimit -n 64 && exec \"$0\" scan \"$1\" --format json --jobs 4 --read \(strategy)", binary, folder.path])
            #expect(result.status == 1)
            #expect(!result.stderr.contains("Too many open files"))
            let (summary, failures) = try parse(result.stdout)
            #expect(int(summary["files"]) == 2970, "\(strategy)")
            #expect(int(summary["filesFailed"]) == 30)
            #expect(failures.allSatisfy { ($0["error"] as? String)?.hasPrefix("truncated gzip data") == true })
        }
    }

    /// The per-worker memory bound, seen from outside: a 2 GiB gzip bomb of
    /// valid records (release) or 256 MiB (debug) is scanned in full, and
    /// the process's peak RSS stays far below what it inflates to.
    @Test func aGzipBombIsScannedWithBoundedMemory() throws {
        #if DEBUG
        var target = 256 << 20
        #else
        var target = 2 << 30
        #endif
        if ProcessInfo.processInfo.environment["TRAILSCAN_SANITIZER"] != nil { target = 16 << 20 }
        let chunk = Array(String(repeating: record + ",", count: 8192).utf8)
        let member = try Gzip.compress(chunk, level: 9)
        let repeats = target / chunk.count
        var file = try Gzip.compress(Array(#"{"Records":["#.utf8))
        for _ in 0..<repeats { file += member }
        file += try Gzip.compress(Array((record + "]}").utf8))
        let folder = try TemporaryFolder()
        try folder.write("bomb.json.gz", file)
        let result = try runProcess(
            "/bin/sh", ["-c", "command -v /usr/bin/time >/dev/null && exec /usr/bin/time -f 'maxrss %M' \"$0\" scan \"$1\" --format json --jobs 1 || exec \"$0\" scan \"$1\" --format json --jobs 1", TrailscanBinary.url.path, folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let (summary, _) = try parse(result.stdout)
        #expect(int(summary["records"]) == repeats * 8192 + 1)
        if let line = result.stderr.split(separator: "\n").first(where: { $0.hasPrefix("maxrss ") }),
            let kilobytes = Int(line.dropFirst(7))
        {
            #expect(kilobytes < 200 * 1024, "peak RSS \(kilobytes) KiB")
        }
    }
}
