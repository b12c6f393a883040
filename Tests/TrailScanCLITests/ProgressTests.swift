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
        #expect(result.stderr.contains(" read, "))
    }

    @Test func quietWinsOverProgress() throws {
        let trail = try CLITests.makeTrail(bytes: 512 << 10)
        let result = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "--progress", "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }
}
