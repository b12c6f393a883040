// `--shard K/N`, or `--shard N` with K from the array-job runner.

import ArgumentParser
import Foundation

/// Which shard of a trail to scan: K of N, 1-based.
struct ShardOption: ExpressibleByArgument, CustomStringConvertible {
    /// 1-based shard number; nil when it comes from the environment.
    var index: Int?
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let n = Int(parts[0]) else { return nil }
            index = nil
            count = n
        case 2:
            guard let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
            index = k
            count = n
        default:
            return nil
        }
    }

    var description: String { "\(index.map(String.init) ?? "auto")/\(count)" }

    /// The environment variables array-job runners set, with the value of the
    /// first task (the index trailscan reports as shard 1).
    static let runners: [(variable: String, first: String?, name: String)] = [
        ("JOB_COMPLETION_INDEX", nil, "Kubernetes Indexed Job"),  // 0-based
        ("AWS_BATCH_JOB_ARRAY_INDEX", nil, "AWS Batch array job"),  // 0-based
        ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "Slurm job array"),  // from its min
    ]

    /// The 0-based shard index, from the option or from the environment.
    func resolvedIndex(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        guard count >= 1 else { throw ValidationError("--shard: the number of shards must be at least 1 (got \(count)).") }
        if let index {
            guard index >= 1 && index <= count else {
                throw ValidationError("--shard \(index)/\(count): K must be between 1 and \(count).")
            }
            return index - 1
        }
        for runner in Self.runners {
            guard let text = environment[runner.variable] else { continue }
            let first = runner.first.flatMap { environment[$0] }.flatMap { Int($0) } ?? 0
            guard let value = Int(text), value - first >= 0, value - first < count else {
                throw ValidationError(
                    "--shard \(count): \(runner.variable)=\(text) (\(runner.name)) is not an index from \(first) to \(first + count - 1).")
            }
            return value - first
        }
        throw ValidationError(
            "--shard \(count) needs the shard index: give --shard K/\(count), or run as an array job "
                + "(JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or SLURM_ARRAY_TASK_ID).")
    }
}
