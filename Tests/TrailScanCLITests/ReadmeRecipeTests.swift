// The README's examples are true (issue #15): every `$ trailscan scan
// /tmp/at ...` command shown in it runs, on the trail the README says it
// was made from, and every output line printed under it is a line of what
// the command prints now (the README shows a few rows of each: lines of
// "..." stand for the rest).

import Foundation
import Testing
import TrailScanGenerator
import TrailScanTestSupport
import TrailScanWriter

@Suite struct ReadmeRecipeTests {
    /// (command arguments after `trailscan`, the output lines shown).
    static func examples() throws -> [(arguments: [String], shown: [String])] {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [(arguments: [String], shown: [String])] = []
        var inBlock = false
        var current: Int?  // the example whose output lines follow
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inBlock.toggle()
                current = nil
                continue
            }
            guard inBlock else { continue }
            if line.hasPrefix("$ trailscan scan /tmp/at") {
                out.append((Array(line.dropFirst(12).split(separator: " ").map(String.init)), []))
                current = out.count - 1
            } else if line.hasPrefix("$ ") {
                current = nil  // another command: not checked here
            } else if let current, line.trimmingCharacters(in: .whitespaces) != "...", !line.isEmpty {
                out[current].shown.append(line)
            }
        }
        return out
    }

    @Test func theExamplesPrintWhatTheReadmeShows() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 7, "the README's examples were not found")
        // `trailscan generate --out /tmp/at --bytes 3M --seed 5`, as the README says.
        let trail = try TemporaryFolder()
        var generator = TrailGenerator(.init(seed: 5, targetBytes: 3 << 20))
        _ = try TrailWriter.write(&generator, to: trail.path)
        for example in examples {
            let arguments = example.arguments.map { $0 == "/tmp/at" ? trail.path : $0 }
            let result = try TrailscanBinary.run(arguments)
            #expect(result.status == 0, "\(example.arguments): \(result.stderr)")
            let printed = Set((result.stdout + result.stderr).split(separator: "\n").map { String($0) })
            for line in example.shown {
                // Summary lines hold timings; the README shows them as printed once.
                if line.hasPrefix("Time:") || line.hasPrefix("Bytes:") { continue }
                #expect(printed.contains(line), "\(example.arguments.joined(separator: " ")): not printed: \(line)")
            }
        }
    }
}
