// scripts/distributed/dask_scan.py runs the shards as Dask tasks on a local
// cluster and merges them: its result must equal one scan of the trail.
// Dask is installed from PyPI by this test when missing; without python3 or
// when the install fails (no network), the test is skipped.

import Foundation
import Testing

@Suite struct DaskDriverTests {
    static let daskAvailable: Bool = {
        guard let python = CLITests.python else { return false }
        if (try? ToolLoadingTests.run(python, ["-c", "import dask.distributed"]).status) == 0 { return true }
        _ = try? ToolLoadingTests.run(python, ["-m", "pip", "install", "-q", "dask[distributed]"])
        return (try? ToolLoadingTests.run(python, ["-c", "import dask.distributed"]).status) == 0
    }()

    // One case at a time: each starts its own local cluster. Default mode
    // (aliases resolved, copies folded) and an audit grouping, at several
    // shard counts: the driver's answer is the plain scan's.
    @Test(
        .enabled(if: daskAvailable, "python3 with dask.distributed is not available"), .serialized,
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
}
