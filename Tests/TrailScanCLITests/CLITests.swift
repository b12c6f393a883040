// End-to-end tests of the `trailscan` command: exit codes, formats, options,
// and per-file failures, run against the built binary.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanGenerator
import TrailScanIO
import TrailScanWriter

@Suite struct CLITests {
    /// A small generated trail (compact style) in a temporary folder.
    static func makeTrail(bytes: Int = 2 << 20, seed: UInt64 = 7, style: TrailGenerator.JSONStyle = .compact)
        throws -> TemporaryFolder
    {
        let folder = try TemporaryFolder()
        var generator = TrailGenerator(.init(seed: seed, targetBytes: bytes, style: style))
        _ = try TrailWriter.write(&generator, to: folder.path)
        return folder
    }

    @Test func helpExplainsTheCommandAndExitsZero() throws {
        let result = try TrailscanBinary.run(["scan", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--format"))
        #expect(result.stdout.contains("CloudTrail-Digest"))
        #expect(result.stdout.contains("--jobs"))
    }

    @Test(arguments: [
        ["scan", "--jobs", "0", "."],
        ["scan", "--format", "xml", "."],
        ["scan", "/nonexistent/trail/folder"],
        ["scan", "--no-such-option"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let result = try TrailscanBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
    }

    @Test func csvIsIdenticalForAnyNumberOfJobs() throws {
        let trail = try Self.makeTrail()
        let one = try TrailscanBinary.run(["scan", trail.path, "--format", "csv", "--jobs", "1"])
        let four = try TrailscanBinary.run(["scan", trail.path, "--format", "csv", "--jobs", "4"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(four.status == 0, "\(four.stderr)")
        #expect(one.stdout == four.stdout)
        #expect(one.stdout.hasPrefix("key,event_name,calls,errors\n"))
        #expect(one.stdout.split(separator: "\n").count > 10)
    }

    @Test func aCorruptFileIsReportedAndTheRestIsCounted() throws {
        let trail = try Self.makeTrail()
        let clean = try TrailscanBinary.run(["scan", trail.path, "--format", "json"])
        #expect(clean.status == 0)

        let bad = "AWSLogs/999999999999/CloudTrail/us-east-1/2026/10/01/bad.json.gz"
        try trail.write(bad, Array("this is not gzip".utf8))
        let result = try TrailscanBinary.run(["scan", trail.path, "--format", "json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.json.gz"))
        #expect(result.stderr.contains("not a gzip file"))

        let cleanJSON = try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as! [String: Any]
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        // The counts are those of the good files alone.
        #expect(NSDictionary(dictionary: ["keys": json["keys"]!]) == NSDictionary(dictionary: ["keys": cleanJSON["keys"]!]))
        let summary = json["summary"] as! [String: Any]
        let cleanSummary = cleanJSON["summary"] as! [String: Any]
        #expect(summary["filesFailed"] as? Int == 1)
        #expect(summary["files"] as? Int == cleanSummary["files"] as? Int)
        #expect(summary["records"] as? Int == cleanSummary["records"] as? Int)
        let failures = json["failures"] as! [[String: Any]]
        #expect(failures.count == 1)
        #expect((failures.first?["file"] as? String)?.hasSuffix("bad.json.gz") == true)
    }

    @Test func digestFilesAreSkippedButExplicitFilesAreRead() throws {
        let trail = try Self.makeTrail()
        let document = Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"ListKeys"}]}"#.utf8)
        let digest = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01/d.json.gz"
        try trail.write(digest, try Gzip.compress(document))
        let walk = try TrailscanBinary.run(["scan", trail.path, "--format", "json"])
        let summary = (try JSONSerialization.jsonObject(with: Data(walk.stdout.utf8)) as! [String: Any])["summary"]
            as! [String: Any]
        #expect((summary["filesSkipped"] as! Int) >= 1)

        let explicit = try TrailscanBinary.run(["scan", trail.path + "/" + digest, "--format", "csv"])
        #expect(explicit.status == 0)
        #expect(explicit.stdout == "key,event_name,calls,errors\n,ListKeys,1,0\n")
    }

    @Test func pathsFromStandardInput() throws {
        let trail = try Self.makeTrail()
        let direct = try TrailscanBinary.run(["scan", trail.path, "--format", "csv"])
        let viaStdin = try TrailscanBinary.run(["scan", "-", "--format", "csv"], stdin: trail.path + "\n")
        #expect(viaStdin.status == 0)
        #expect(viaStdin.stdout == direct.stdout)
    }

    @Test func outputFileAndFormats() throws {
        let trail = try Self.makeTrail()
        let folder = try TemporaryFolder()
        let csvPath = folder.path + "/report.csv"
        let toFile = try TrailscanBinary.run(["scan", trail.path, "--format", "csv", "--output", csvPath])
        #expect(toFile.status == 0)
        #expect(toFile.stdout.isEmpty)
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        #expect(csv.hasPrefix("key,event_name,calls,errors\n"))

        let ndjson = try TrailscanBinary.run(["scan", trail.path, "--format", "ndjson"])
        let lines = ndjson.stdout.split(separator: "\n")
        #expect(lines.count == csv.split(separator: "\n").count - 1)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(object["key"] is String && object["calls"] is Int)
        }

        let table = try TrailscanBinary.run(["scan", trail.path])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Decrypt"))
        #expect(table.stderr.contains("records"))
    }

    @Test func quietSuppressesTheSummaryLine() throws {
        let trail = try Self.makeTrail(bytes: 256 << 10)
        let result = try TrailscanBinary.run(["scan", trail.path, "--format", "csv", "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    /// The first python3 on PATH (where pip installs), else the system one.
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/python3" } + ["/usr/bin/python3", "/usr/local/bin/python3"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The whole pipeline (walk, gzip, scan, merge, CSV) against the Python
    /// implementation of the same rules, on adversarial and pretty trails.
    @Test(
        .enabled(if: python != nil, "python3 is not installed"),
        arguments: [TrailGenerator.JSONStyle.adversarial, .pretty, .compact])
    func csvEqualsThePythonPeer(style: TrailGenerator.JSONStyle) throws {
        let trail = try Self.makeTrail(bytes: 3 << 20, seed: 11, style: style)
        let ours = try TrailscanBinary.run(["scan", trail.path, "--no-resolve-aliases", "--no-dedup", "--format", "csv", "--quiet"])
        #expect(ours.status == 0, "\(ours.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [repositoryRoot.appendingPathComponent("scripts/peers/kms_counts.py").path, trail.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let theirs = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(ours.stdout == theirs)
        #expect(ours.stdout.split(separator: "\n").count > 20)
    }

    static let conformanceCheck = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/conformance/check")

    /// ../shared/conformance/check on the real samples; skipped when the
    /// shared folder is not beside the repository.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: conformanceCheck.path), "../shared/conformance is absent"))
    func conformanceOnRealSamples() throws {
        let check = Self.conformanceCheck
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [check.path, TrailscanBinary.url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
    }
}
