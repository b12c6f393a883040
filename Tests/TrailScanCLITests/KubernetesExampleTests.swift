// examples/kubernetes-indexed-job.yaml, run locally: its volumes' access
// modes, its image (the Dockerfile's), and its commands with the mount
// paths pointed at temporary folders: every shard index exits 0 even with a
// corrupt log file, and the merge Job's script prints the whole trail's CSV.
// Reading YAML needs python3 with PyYAML (in .build/venv: dask brings it).

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct KubernetesExampleTests {
    static let example = repositoryRoot.appendingPathComponent("examples/kubernetes-indexed-job.yaml").path

    /// The example's documents as JSON text, through PyYAML; nil without it.
    static let documentsJSON: String? = {
        guard let python = CLITests.python,
            let result = try? runProcess(
                python, ["-c", "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))", example]),
            result.status == 0
        else { return nil }
        return result.stdout
    }()

    static var documents: [[String: Any]]? {
        documentsJSON.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [[String: Any]] }
    }

    static func document(kind: String, name: String) throws -> [String: Any] {
        let found = documents?.first {
            $0["kind"] as? String == kind && ($0["metadata"] as? [String: Any])?["name"] as? String == name
        }
        return try #require(found, "no \(kind) \(name) in the example")
    }

    /// The first container of a Job.
    static func container(ofJob name: String) throws -> [String: Any] {
        let job = try document(kind: "Job", name: name)
        let spec = try #require(job["spec"] as? [String: Any])
        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        return try #require((template["containers"] as? [[String: Any]])?.first)
    }

    @Test(.enabled(if: documentsJSON != nil, "python3 with PyYAML is not available (scripts/test.sh installs dask, which brings it, into .build/venv)"))
    func volumesAndImage() throws {
        let trail = try Self.document(kind: "PersistentVolumeClaim", name: "trail-bucket")
        let parts = try Self.document(kind: "PersistentVolumeClaim", name: "trailscan-parts")
        #expect((trail["spec"] as? [String: Any])?["accessModes"] as? [String] == ["ReadOnlyMany"])
        #expect((parts["spec"] as? [String: Any])?["accessModes"] as? [String] == ["ReadWriteMany"])

        let scan = try Self.container(ofJob: "trailscan-shards")
        let merge = try Self.container(ofJob: "trailscan-merge")
        let image = try #require(scan["image"] as? String)
        #expect(merge["image"] as? String == image)
        // The image the header builds from the repository's Dockerfile.
        let text = try String(contentsOfFile: Self.example, encoding: .utf8)
        #expect(text.contains("docker build -t \(image) ."), "\(image)")
        #expect(FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("Dockerfile").path))

        // --jobs follows the pod's CPU limit: no explicit --jobs, a CPU limit set.
        let args = try #require(scan["args"] as? [String])
        #expect(!args.contains("--jobs") && !args.contains("-j"))
        #expect(((scan["resources"] as? [String: Any])?["limits"] as? [String: Any])?["cpu"] != nil)
        #expect(args.contains("--failed-files-exit-zero"))
    }

    @Test(.enabled(if: documentsJSON != nil, "python3 with PyYAML is not available (scripts/test.sh installs dask, which brings it, into .build/venv)"))
    func theJobsCommandsRunLocally() throws {
        let trail = try ShardMergeTests.makeTrail()  // includes a corrupt file
        let parts = try TemporaryFolder()
        let job = try Self.document(kind: "Job", name: "trailscan-shards")
        let completions = try #require((job["spec"] as? [String: Any])?["completions"] as? Int)
        let args = try #require(try Self.container(ofJob: "trailscan-shards")["args"] as? [String])
        // The mount paths, pointed at the temporary folders.
        let local = { (argument: String) -> String in
            for (mount, folder) in [("/trail", trail.path), ("/parts", parts.path)] where argument.hasPrefix(mount) {
                return folder + argument.dropFirst(mount.count)
            }
            return argument
        }
        for index in 0..<completions {
            let result = try TrailscanBinary.run(
                args.map { local($0).replacingOccurrences(of: "$(JOB_COMPLETION_INDEX)", with: String(index)) },
                environment: ["JOB_COMPLETION_INDEX": String(index)])
            #expect(result.status == 0, "index \(index): \(result.stderr)")
        }

        let merge = try Self.container(ofJob: "trailscan-merge")
        let script = try #require((merge["args"] as? [String])?.first)
            .replacingOccurrences(of: "/parts", with: parts.path)
        let path = TrailscanBinary.url.deletingLastPathComponent().path + ":/usr/bin:/bin"
        let merged = try runProcess("/bin/sh", ["-c", script], environment: ["PATH": path])
        #expect(merged.status == 0, "\(merged.stderr)")
        // The shards' options (none: the default report) on the whole trail.
        let direct = try TrailscanBinary.run(["scan", trail.path, "--format", "csv", "--quiet"])
        #expect(merged.stdout == direct.stdout)
        #expect(merged.stdout.split(separator: "\n").count > 10)
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: parts.path + "/kms-usage.json"))) as? [String: Any]
        #expect((json?["failures"] as? [Any])?.count == 1)

        // A missing part: the merge refuses, in one line.
        try FileManager.default.removeItem(atPath: parts.path + "/part-3.partial")
        let incomplete = try runProcess("/bin/sh", ["-c", script], environment: ["PATH": path])
        #expect(incomplete.status == 2)
        #expect(incomplete.stderr.hasPrefix("trailscan-merge: 7 of 8 parts"), "\(incomplete.stderr)")
    }
}
