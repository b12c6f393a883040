// `trailscan verify` as the engine runs it: discover the files under the
// roots, read digests and log files across the workers (each hashing the
// uncompressed bytes as they leave the inflater into its own
// VerificationFacts), merge the facts, and judge them once
// (docs/verify.md). The facts are what a shard would carry: the verdict is
// only ever computed from merged facts.

import Dispatch
import Synchronization
import TrailScanCore
import TrailScanIO
import TrailScanVerify

public enum VerifyJob {
    /// What a verification read and concluded.
    public struct Outcome: Sendable {
        public var report: VerificationReport
        /// The merged facts the report was computed from.
        public var facts: VerificationFacts
        /// Files read (digests and log files).
        public var files: Int
        public var storedBytes: Int
        public var uncompressedBytes: Int
    }

    /// The largest digest file accepted (real ones are KiB to a few MiB).
    public static let maximumDigestBytes = 256 << 20

    /// True for a path below a `CloudTrail-Digest` folder.
    public static func isDigestPath(_ path: String) -> Bool {
        path.split(separator: "/").contains("CloudTrail-Digest")
    }

    /// Reads everything `discovery` found (digests: the files it skipped
    /// under `CloudTrail-Digest/`, or named ones in that folder; Insight
    /// files are not verified) and judges it.
    public static func run(
        _ discovery: Discovery, jobs: Int, inflater: Inflater, publicKeys: DigestPublicKeys?
    ) -> Outcome {
        var work: [(path: String, isDigest: Bool)] = []
        for file in discovery.files { work.append((file.path, isDigestPath(file.path))) }
        for path in discovery.skipped where isDigestPath(path) { work.append((path, true)) }
        var (facts, stored, uncompressed) = read(work, jobs: jobs, inflater: inflater)
        for failure in discovery.failures { facts.addFailure(path: failure.path, reason: failure.error) }
        return Outcome(
            report: DigestVerifier.verify(facts, publicKeys: publicKeys), facts: facts, files: work.count,
            storedBytes: stored, uncompressedBytes: uncompressed)
    }

    /// Reads every file on `jobs` threads; each worker keeps its own facts,
    /// merged at the end (a set union: the order does not matter).
    static func read(
        _ work: [(path: String, isDigest: Bool)], jobs: Int, inflater: Inflater
    ) -> (VerificationFacts, Int, Int) {
        final class WorkerResult: @unchecked Sendable {
            // Written by one worker only, read after concurrentPerform returns.
            var facts = VerificationFacts()
            var stored = 0
            var uncompressed = 0
        }
        let workers = max(1, min(jobs, work.count))
        let results = (0..<workers).map { _ in WorkerResult() }
        let cursor = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let result = results[w]
            let reader = UncompressedReader(inflater: inflater)
            while true {
                let i = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < work.count else { break }
                let (path, isDigest) = work[i]
                var hash = SHA256Stream()
                var kept: [UInt8] = []
                var tooLarge = false
                do {
                    let counts = try reader.read(path: path) { chunk in
                        hash.update(chunk)
                        if isDigest && !tooLarge {
                            if kept.count + chunk.count > maximumDigestBytes { tooLarge = true } else { kept += chunk }
                        }
                    }
                    result.stored += counts.stored
                    result.uncompressed += counts.uncompressed
                } catch {
                    result.facts.addFailure(path: path, reason: "\(error)")
                    continue
                }
                if !isDigest {
                    result.facts.addLog(path: path, sha256: hash.finalizeHex())
                } else if tooLarge {
                    result.facts.addFailure(
                        path: path, reason: "digest file larger than \(maximumDigestBytes >> 20) MiB uncompressed")
                } else {
                    let sha = hash.finalizeHex()
                    kept.withUnsafeBytes { result.facts.addDigest(path: path, uncompressed: $0, sha256: sha) }
                }
            }
        }
        let facts = VerificationFacts.merged(results.map(\.facts))
        return (facts, results.reduce(0) { $0 + $1.stored }, results.reduce(0) { $0 + $1.uncompressed })
    }

    /// Loads the JSON saved from `aws cloudtrail list-public-keys`.
    /// - Throws: a one-line reason (cannot read, not that JSON, bad key).
    public static func loadPublicKeys(_ path: String) throws -> DigestPublicKeys {
        var bytes: [UInt8] = []
        _ = try UncompressedReader().read(path: path) { bytes += $0 }
        return try DigestPublicKeys.parse(listPublicKeysJSON: bytes)
    }
}
