// scripts/distributed/dask_scan.py runs the shards as Dask tasks on a local
// cluster and merges them: its result must equal one scan of the trail.
// The test installs nothing: scripts/test.sh puts dask[distributed] into the
// virtual environment .build/venv (scripts/python-env.sh); without it, or
// without python3, the test is skipped and says so.

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct DaskDriverTests {
    static let daskAvailable: Bool = {
        guard let python = CLITests.python else { return false }
        return (try? ToolLoadingTests.run(python, ["-c", "import dask.distributed"]).status) == 0
    }()

    // One case at a time: each starts its own local cluster. Default mode
    // (aliases resolved, copies folded) and an audit grouping, at several
    // shard counts: the driver's answer is the plain scan's.
    @Test(
        .enabled(if: daskAvailable, "python3 with dask.distributed is not available (scripts/test.sh installs it into .build/venv)"),
        .serialized,
        arguments: [(1, [String]()), (3, []), (4, ["--by", "key,principal"]), (5, ["--report", "lifecycle"])])
    func daskShardsMergeToOneScan(shards: Int, options: [String]) throws {
        let trail = try ShardMergeTests.makeTrail()  // includes a failed file and digests
        let driver = repositoryRoot.appendingPathComponent("scripts/distributed/dask_scan.py").path
        let viaDask = try ToolLoadingTests.run(
            CLITests.python!,
            [driver, "--trailscan", TrailscanBinary.url.path, "--shards", String(shards), trail.path,
             "--"] + options + ["--format", "csv", "--quiet"])
        let direct = try TrailscanBinary.run(["scan", trail.path] + options + ["--format", "csv", "--quiet"])
        #expect(viaDask.status == 1, "\(viaDask.errors)")  // the failed file, as a scan reports it
        #expect(viaDask.output + "\n" == direct.stdout)
    }

    /// Checked before Dask starts, so it needs only python3.
    @Test(.enabled(if: CLITests.python != nil, "python3 is not installed"))
    func aMissingTrailscanIsOneLineNotATraceback() throws {
        let driver = repositoryRoot.appendingPathComponent("scripts/distributed/dask_scan.py").path
        let folder = try TemporaryFolder()
        _ = try folder.write("not-executable", Array("#!/bin/sh\n".utf8))
        let cases = [
            ("trailscan-not-installed", "'trailscan-not-installed' is not on PATH"),
            (folder.path + "/missing/trailscan", "does not exist"),
            (folder.path + "/not-executable", "is not executable"),
        ]
        for (binary, why) in cases {
            let result = try runProcess(
                CLITests.python!, [driver, "--trailscan", binary, "--shards", "2", folder.path],
                environment: ["PATH": "/usr/bin:/bin"])
            #expect(result.status == 2, "\(binary): \(result.stderr)")
            #expect(result.stderr.hasPrefix("dask_scan.py: cannot run trailscan: "), "\(result.stderr)")
            #expect(result.stderr.contains(why), "\(result.stderr)")
            #expect(!result.stderr.contains("Traceback"))
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }
}
