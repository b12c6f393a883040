// Live progress: only on stderr, only for a terminal unless forced, never
// with --quiet, and never mixed into the report.

import Foundation
import Testing

@Suite struct ProgressTests {
    @Test func offWhenStderrIsNotATerminal() throws {
        let trail = try CLITests.makeTrail(bytes: 512 << 10)
        let result = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "-j", "1"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("\r"))
        #expect(result.stderr.split(separator: "\n").count == 1)  // just the summary line
    }

    @Test func forcedWithProgressAndOnlyOnStderr() throws {
        // The line is drawn once at the start, then four times a second.
        let trail = try CLITests.makeTrail(bytes: 2 << 20, seed: 3)
        let plain = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "-j", "1"])
        let result = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "-j", "1", "--progress"])
        #expect(result.status == 0)
        #expect(result.stdout == plain.stdout)
        #expect(result.stderr.contains("\r\u{1B}[K"))  // the line is erased at the end
        #expect(result.stderr.contains(" files, "))
        #expect(result.stderr.contains(" stored read"))
    }

    /// The progress line counts the files the summary line counts (skipped
    /// and failed included), and its throughput is of JSON, as the summary's.
    @Test func progressAndSummaryCountTheSameFiles() throws {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 5)  // with digests: skipped files
        try trail.write("AWSLogs/bad.json.gz", Array("not gzip".utf8))
        let result = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "-j", "1", "--progress"])
        #expect(result.status == 1)
        let lines = result.stderr.split(whereSeparator: { $0 == "\r" || $0 == "\n" })
        let summary = try #require(lines.last { $0.hasPrefix("trailscan: ") && $0.contains(" skipped, ") })
        let found = try #require(Int(summary.dropFirst("trailscan: ".count).prefix { $0.isNumber }))
        #expect(summary.contains(" 1 failed)") && !summary.contains(" (0 skipped"), "\(summary)")
        let progress = lines.filter { $0.contains(" files, ") && $0.contains(" stored read") }
        #expect(!progress.isEmpty)
        for line in progress {
            let total = line.split(separator: " ")[1].split(separator: "/").last.flatMap { Int($0) }
            #expect(total == found, "\(line) vs \(summary)")
        }
        #expect(summary.contains("/s of JSON"))
        #expect(progress.allSatisfy { !$0.contains("/s") || $0.contains("/s of JSON") })
    }

    @Test func quietWinsOverProgress() throws {
        let trail = try CLITests.makeTrail(bytes: 512 << 10)
        let result = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "--progress", "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }
}
