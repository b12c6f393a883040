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
    /// (`seconds`, `cpuSeconds`, `jobs`).
    static func comparable(_ json: String) throws -> NSDictionary {
        var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        var summary = object["summary"] as! [String: Any]
        summary["seconds"] = nil
        summary["cpuSeconds"] = nil
        summary["jobs"] = nil
        object["summary"] = summary
        return object as NSDictionary
    }

    /// Scans every shard of `shards` into a part file; returns their paths.
    static func writeParts(_ trail: String, shards: Int, options: [String] = [], in folder: TemporaryFolder) throws
        -> [String]
    {
        try (1...shards).map { k in
            let path = folder.path + "/part\(k).partial.json"
            let part = try TrailscanBinary.run(
                ["scan", trail, "--shard", "\(k)/\(shards)", "--format", "partial", "--output", path, "--quiet"] + options)
            #expect(part.status == 0 || part.status == 1, "\(part.stderr)")
            return path
        }
    }

    /// The end-to-end path (the Engine tests cover every report at library
    /// level): parts written by the binary, merged by the binary, equal the
    /// plain scan in default mode, in raw mode and with an audit grouping.
    @Test(arguments: [(1, [String]()), (2, ["--no-resolve-aliases", "--no-dedup"]), (3, ["--by", "key,principal", "--times"]),
                      (7, ["--report", "aliases"])])
    func shardsMergeToTheWholeScan(shards: Int, options: [String]) throws {
        let trail = try Self.makeTrail()
        let folder = try TemporaryFolder()
        let parts = try Self.writeParts(trail.path, shards: shards, options: options, in: folder)
        for format in ["json", "csv", "ndjson", "table", "prometheus"] {
            let merged = try TrailscanBinary.run(["merge", "--format", format, "--quiet"] + parts.reversed())
            let direct = try TrailscanBinary.run(["scan", trail.path, "--format", format, "--quiet"] + options)
            #expect(merged.status == 1, "\(merged.stderr)")  // the corrupt file, as the scan says
            #expect(direct.status == 1)
            if format == "json" {
                #expect(try Self.comparable(merged.stdout) == Self.comparable(direct.stdout))
            } else if format == "csv" || format == "ndjson" {
                #expect(merged.stdout == direct.stdout, "\(format)")
            }
        }
    }

    /// A shard's JSON report carries its part (member `partial`), so the
    /// recipe `--shard K/N -f json` then `merge` gives one scan's answer;
    /// a report that is not a shard's still is no part.
    @Test func shardJSONReportsAreParts() throws {
        let trail = try Self.makeTrail()
        let folder = try TemporaryFolder()
        var parts: [String] = []
        for k in 1...3 {
            let path = folder.path + "/part\(k).json"
            let part = try TrailscanBinary.run(["scan", trail.path, "--shard", "\(k)/3", "-f", "json", "-o", path, "-q"])
            #expect(part.status == 0 || part.status == 1, "\(part.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            #expect(object["partial"] is [String: Any])
            parts.append(path)
        }
        for format in ["csv", "json"] {
            let merged = try TrailscanBinary.run(["merge", "-f", format, "-q"] + parts)
            let direct = try TrailscanBinary.run(["scan", trail.path, "-f", format, "-q"])
            #expect(merged.status == direct.status, "\(merged.stderr)")
            if format == "json" {
                #expect(try Self.comparable(merged.stdout) == Self.comparable(direct.stdout))
            } else {
                #expect(merged.stdout == direct.stdout)
            }
        }
    }

    /// Each refusal of `merge`: exit status and the line that says why.
    @Test func mergeRefusesWhatWouldGiveAnotherAnswer() throws {
        let trail = try Self.makeTrail()
        let other = try CLITests.makeTrail(bytes: 256 << 10, seed: 77)
        let folder = try TemporaryFolder()
        let parts = try Self.writeParts(trail.path, shards: 3, in: folder)
        // (Each set in a folder of its own, kept until the end of the test.)
        let folders = try (0..<4).map { _ in try TemporaryFolder() }
        let sinceParts = try Self.writeParts(trail.path, shards: 3, options: ["--since", "2026-10-02"], in: folders[0])
        let otherSplit = try Self.writeParts(trail.path, shards: 2, in: folders[1])
        let otherTrail = try Self.writeParts(other.path, shards: 3, in: folders[2])
        // A smaller record limit can fail files the others counted.
        let otherLimit = try Self.writeParts(trail.path, shards: 3, options: ["--max-record-size", "1M"], in: folders[3])
        let whole = folder.path + "/whole.partial.json"
        _ = try TrailscanBinary.run(["scan", trail.path, "-f", "partial", "-o", whole, "-q"])
        let report = folder.path + "/report.json"
        _ = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "-o", report, "-q"])
        let byPrincipal = folder.path + "/by-principal.json"
        _ = try TrailscanBinary.run(["scan", trail.path, "--by", "principal", "-f", "json", "-o", byPrincipal, "-q"])
        let future = folder.path + "/future.partial.json"
        let text = try String(contentsOfFile: parts[0], encoding: .utf8)
        try text.replacingOccurrences(of: "\"trailscanPartial\": 2", with: "\"trailscanPartial\": 99")
            .write(toFile: future, atomically: true, encoding: .utf8)

        let cases: [(String, [String], Int32, String)] = [
            ("the same shard twice", [parts[0], parts[0], parts[1], parts[2]], 2, "shard 1/3 is in both"),
            ("a shard missing", [parts[0], parts[1]], 1, "shard(s) 3/3 missing"),
            ("other options", [sinceParts[0], parts[1], parts[2]], 2, "--since"),
            ("another record size limit", [otherLimit[0], parts[1], parts[2]], 2, "--max-record-size 1048576 vs (not set)"),
            ("another split", [otherSplit[0], parts[1], parts[2]], 2, "split into"),
            ("another trail", [otherTrail[0], parts[1], parts[2]], 2, "different file sets"),
            ("a whole scan and shards", [whole, parts[0]], 2, "overlap"),
            ("the same whole scan twice", [whole, whole], 2, "overlap"),
            ("an unknown format version", [future], 2, "format version 99"),
            ("a JSON report", [report], 2, "not a partial"),
            ("a --by JSON report", [byPrincipal], 2, "not a partial"),
            ("a missing file", [folder.path + "/nope.json"], 2, "no such file"),
        ]
        for (name, inputs, status, message) in cases {
            let result = try TrailscanBinary.run(["merge", "-f", "csv"] + inputs)
            #expect(result.status == status, "\(name): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(name)")
        }
        // --allow-missing merges what is there, and says what is missing
        // even with --quiet.
        let partialMerge = try TrailscanBinary.run(["merge", "-f", "csv", "--allow-missing", "-q", parts[0], parts[1]])
        #expect(partialMerge.status == 0 || partialMerge.status == 1, "\(partialMerge.stderr)")
        #expect(partialMerge.stderr.contains("merged without shard(s) 3/3"))
        #expect(!partialMerge.stdout.isEmpty)
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
        let parts = try Self.writeParts(trail.path, shards: 2, in: folder)
        _ = try TrailscanBinary.run(["merge"] + parts + ["-f", "json", "-o", merged, "-q"])
        let shardReport = folder.path + "/shard.json"
        _ = try TrailscanBinary.run(["scan", trail.path, "--shard", "1/2", "-f", "json", "-o", shardReport, "-q"])
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
            ["-c", script, repositoryRoot.appendingPathComponent("docs/report.schema.json").path, report, merged, shardReport]
                + audits
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }
}
