// What readers found, before any verdict: each digest file (parsed, with the
// SHA-256 of its uncompressed bytes), each log file (with the SHA-256 of its
// uncompressed bytes), and each digest that could not be used. Facts from
// any split of the files (workers, folders, shards, machines) combine with
// `merge`, which is a set union: associative, commutative and idempotent,
// so `DigestVerifier.verify(merge of parts)` is the same whatever the split.
// A chain that crosses a shard boundary is only judged after the merge.

/// A digest file as read: where, its hash, its content.
public struct DigestObservation: Sendable, Hashable, Codable, Comparable {
    /// The local path it was read from.
    public var path: String
    /// SHA-256 of its uncompressed bytes, 64 lowercase hex digits.
    public var sha256: String
    public var digest: DigestFile

    public init(path: String, sha256: String, digest: DigestFile) {
        self.path = path
        self.sha256 = sha256
        self.digest = digest
    }

    public static func < (a: DigestObservation, b: DigestObservation) -> Bool {
        (a.path, a.sha256) < (b.path, b.sha256)
    }
}

/// A log file as read.
public struct LogObservation: Sendable, Hashable, Codable, Comparable {
    public var path: String
    /// SHA-256 of its uncompressed bytes, 64 lowercase hex digits.
    public var sha256: String

    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }

    public static func < (a: LogObservation, b: LogObservation) -> Bool { (a.path, a.sha256) < (b.path, b.sha256) }
}

/// A digest (or log file) that could not be used, and why, in one line.
public struct VerifyFailure: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public static func < (a: VerifyFailure, b: VerifyFailure) -> Bool { (a.path, a.reason) < (b.path, b.reason) }

    public var description: String { "\(path): \(reason)" }
}

/// The mergeable facts of a verification.
public struct VerificationFacts: Sendable, Equatable, Codable {
    /// Digest observations by canonical key, each list sorted and unique.
    public private(set) var digests: [String: [DigestObservation]] = [:]
    /// Log observations by canonical key (or by path when the path is not
    /// in the S3 layout), each list sorted and unique.
    public private(set) var logs: [String: [LogObservation]] = [:]
    /// Sorted and unique.
    public private(set) var failures: [VerifyFailure] = []

    public init() {}

    /// True when nothing was recorded.
    public var isEmpty: Bool { digests.isEmpty && logs.isEmpty && failures.isEmpty }

    /// Records the digest file read from `path`.
    ///
    /// - Parameters:
    ///   - path: the local path (its key is taken from `AWSLogs/` on).
    ///   - uncompressed: its bytes after gunzip.
    ///   - sha256: SHA-256 of `uncompressed` (hashed while inflating), or
    ///     nil to hash here.
    /// A digest that cannot be parsed becomes a failure naming `path`.
    public mutating func addDigest(path: String, uncompressed: UnsafeRawBufferPointer, sha256: String? = nil) {
        guard let key = canonicalObjectKey(path) else {
            addFailure(path: path, reason: "not in the digest layout (no AWSLogs/ folder in the path)")
            return
        }
        let digest: DigestFile
        do {
            digest = try DigestFile.parse(uncompressed, key: key)
        } catch {
            addFailure(path: path, reason: error.description)
            return
        }
        let hash: String
        if let sha256 {
            hash = sha256
        } else {
            var stream = SHA256Stream()
            stream.update(uncompressed)
            hash = stream.finalizeHex()
        }
        insert(DigestObservation(path: path, sha256: hash, digest: digest), into: &digests[key, default: []])
    }

    /// Records a digest observation already parsed.
    public mutating func add(_ observation: DigestObservation) {
        insert(observation, into: &digests[observation.digest.key, default: []])
    }

    /// Records the log file read from `path` and the SHA-256 of its
    /// uncompressed bytes.
    public mutating func addLog(path: String, sha256: String) {
        insert(LogObservation(path: path, sha256: sha256), into: &logs[canonicalObjectKey(path) ?? path, default: []])
    }

    /// Records a file that could not be read or used.
    public mutating func addFailure(path: String, reason: String) {
        insert(VerifyFailure(path: path, reason: reason), into: &failures)
    }

    /// Adds everything `other` recorded (set union).
    public mutating func merge(_ other: VerificationFacts) {
        for (key, list) in other.digests {
            for o in list { insert(o, into: &digests[key, default: []]) }
        }
        for (key, list) in other.logs {
            for o in list { insert(o, into: &logs[key, default: []]) }
        }
        for f in other.failures { insert(f, into: &failures) }
    }

    /// The union of `parts`.
    public static func merged<S: Sequence>(_ parts: S) -> VerificationFacts where S.Element == VerificationFacts {
        var all = VerificationFacts()
        for part in parts { all.merge(part) }
        return all
    }

    private func insert<T: Comparable>(_ value: T, into list: inout [T]) {
        // Binary search for the place; equal values are kept once.
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < value { low = mid + 1 } else { high = mid }
        }
        if low < list.count && list[low] == value { return }
        list.insert(value, at: low)
    }
}
