// Splitting a scan: `--shard K/N` over the same trail, merged with
// `trailscan merge`, must give exactly what one scan gives (issue 6), and the
// JSON report must follow the published schema (docs/report.schema.json).

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanGenerator
import TrailScanIO

@Suite struct ShardMergeTests {
    /// A generated trail with digests (skipped) and one corrupt file (failed),
    /// so every part of the summary is split across shards.
    static func makeTrail() throws -> TemporaryFolder {
        let trail = try CLITests.makeTrail(bytes: 3 << 20, seed: 23)
        try trail.write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/02/broken.json.gz", Array("nope".utf8))
        return trail
    }

    /// The JSON report without the members that legitimately differ
    /// (`seconds`, `jobs`).
    static func comparable(_ json: String) throws -> NSDictionary {
        var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        var summary = object["summary"] as! [String: Any]
        summary["seconds"] = nil
        summary["jobs"] = nil
        object["summary"] = summary
        return object as NSDictionary
    }

    @Test(arguments: [1, 2, 3, 7])
    func shardsMergeToTheWholeScan(shards: Int) throws {
        let trail = try Self.makeTrail()
        let whole = try TrailscanBinary.run(["scan", trail.path, "--no-resolve-aliases", "--no-dedup", "--format", "json", "--quiet"])
        #expect(whole.status == 1)  // the corrupt file
        let folder = try TemporaryFolder()
        var parts: [String] = []
        var filesInShards = 0
        for k in 1...shards {
            let path = folder.path + "/part\(k).json"
            let part = try TrailscanBinary.run(
                ["scan", trail.path, "--shard", "\(k)/\(shards)", "--format", "json", "--output", path, "--quiet"])
            #expect(part.status == 0 || part.status == 1, "\(part.stderr)")
            let summary = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
                as! [String: Any])["summary"] as! [String: Any]
            filesInShards += (summary["files"] as! Int) + (summary["filesSkipped"] as! Int) + (summary["filesFailed"] as! Int)
            parts.append(path)
        }
        for format in ["json", "csv", "ndjson", "table"] {
            let merged = try TrailscanBinary.run(["merge", "--format", format, "--quiet"] + parts)
            let direct = try TrailscanBinary.run(["scan", trail.path, "--no-resolve-aliases", "--no-dedup", "--format", format, "--quiet"])
            #expect(merged.status == 1, "\(merged.stderr)")
            if format == "json" {
                #expect(try Self.comparable(merged.stdout) == Self.comparable(direct.stdout))
            } else if format != "table" {
                #expect(merged.stdout == direct.stdout, "\(format)")
            }
        }
        let wholeSummary = (try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as! [String: Any])["summary"]
            as! [String: Any]
        let seen = (wholeSummary["files"] as! Int) + (wholeSummary["filesSkipped"] as! Int)
            + (wholeSummary["filesFailed"] as! Int)
        #expect(filesInShards == seen)
    }

    @Test func theShardIndexComesFromArrayJobRunners() throws {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 5)
        let explicit = try TrailscanBinary.run(["scan", trail.path, "--shard", "2/3", "-f", "csv", "-q"])
        for environment in [
            ["JOB_COMPLETION_INDEX": "1"], ["AWS_BATCH_JOB_ARRAY_INDEX": "1"],
            ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1"],
        ] {
            let fromEnvironment = try TrailscanBinary.run(
                ["scan", trail.path, "--shard", "3", "-f", "csv", "-q"], environment: environment)
            #expect(fromEnvironment.status == 0, "\(environment): \(fromEnvironment.stderr)")
            #expect(fromEnvironment.stdout == explicit.stdout, "\(environment)")
        }
    }

    @Test(arguments: [["--shard", "0/3"], ["--shard", "4/3"], ["--shard", "x"], ["--shard", "3"], ["--shard", "1/0"]])
    func badShardsAreUsageErrors(arguments: [String]) throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 5)
        let result = try TrailscanBinary.run(["scan", trail.path] + arguments, environment: [:])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func malformedPartialsAreUsageErrors() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.json", Array(#"{"summary":{}}"#.utf8))
        try folder.write("b.json", Array("not json".utf8))
        for name in ["a.json", "b.json", "missing.json"] {
            let result = try TrailscanBinary.run(["merge", folder.path + "/" + name])
            #expect(result.status == 2, "\(name)")
            #expect(result.stderr.contains(name))
            #expect(result.stdout.isEmpty)
        }
    }

    static let jsonschemaAvailable: Bool = {
        guard let python = CLITests.python else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import jsonschema"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// The report (of a scan, of a merge, and of every audit report)
    /// validates against the schema, and the schema rejects a report with a
    /// negative count.
    @Test(.enabled(if: jsonschemaAvailable, "python3 with jsonschema is not installed"))
    func jsonReportsFollowThePublishedSchema() throws {
        let trail = try Self.makeTrail()
        let folder = try TemporaryFolder()
        let report = folder.path + "/report.json"
        _ = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "-o", report, "-q"])
        let merged = folder.path + "/merged.json"
        _ = try TrailscanBinary.run(["merge", report, report, "-f", "json", "-o", merged, "-q"])
        // Every audit report's JSON too (docs/audit.md).
        var audits: [String] = []
        for (i, options) in [
            ["--by", "key,principal,identity-type,day", "--times"], ["--report", "idle"], ["--report", "lifecycle"],
            ["--report", "aliases"], ["--report", "blind-spots"], ["--report", "gaps"],
        ].enumerated() {
            let path = folder.path + "/audit\(i).json"
            _ = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "-o", path, "-q"] + options)
            audits.append(path)
        }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for path in sys.argv[2:]:
                jsonschema.validate(json.load(open(path)), schema)
            bad = json.load(open(sys.argv[2])); bad["summary"]["records"] = -1
            try:
                jsonschema.validate(bad, schema)
                sys.exit("a negative count was accepted")
            except jsonschema.ValidationError:
                pass
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.python!)
        process.arguments =
            ["-c", script, repositoryRoot.appendingPathComponent("docs/report.schema.json").path, report, merged] + audits
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }
}
