// Combining partials that came from separate runs (shards on other
// machines, files given to `trailscan merge`). Combining is only right when
// the parts answer the same question about disjoint sets of files that
// together are the whole; this checks what the partials record about
// themselves and refuses anything else, naming the part.

/// Why parts cannot be merged into an answer.
public struct MergeRefusal: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Parts that must not be combined (other requests, other
        /// versions, the same files twice): a usage error.
        case incompatible
        /// Shards of a split scan are missing: the answer would be
        /// partial.
        case missingShards([Int])
    }

    public var kind: Kind
    public var description: String
}

public enum PartialMerge {
    /// Combines named parts into one partial.
    ///
    /// Refuses (`.incompatible`): parts scanned for different requests or
    /// written by different trailscan versions; a shard given twice; shards
    /// of splits of different sizes or of different file sets; shards mixed
    /// with whole scans; parts that share a file (wherever mounted). Refuses (`.missingShards`) a split scan with shards
    /// missing, unless `allowMissing`.
    ///
    /// - Returns: the combined partial, and the shards missing (empty
    ///   unless `allowMissing` let some be).
    public static func combine(
        _ parts: [(name: String, partial: Partial)], allowMissing: Bool = false
    ) throws(MergeRefusal) -> (partial: Partial, missingShards: [Int]) {
        guard let first = parts.first else {
            throw MergeRefusal(kind: .incompatible, description: "no parts to merge")
        }
        func refuse(_ text: String) -> MergeRefusal { MergeRefusal(kind: .incompatible, description: text) }

        for part in parts.dropFirst() {
            let differences = first.partial.request.differences(from: part.partial.request)
            if !differences.isEmpty {
                throw refuse(
                    "\(part.name) was scanned with other options than \(first.name) (\(differences.joined(separator: "; "))); scan every part with the same options")
            }
            if part.partial.trailscanVersion != first.partial.trailscanVersion {
                throw refuse(
                    "\(part.name) was written by trailscan \(part.partial.trailscanVersion), \(first.name) by \(first.partial.trailscanVersion); scan every part with one version")
            }
        }

        var missing: [Int] = []
        let sharded = parts.filter { $0.partial.coverage.shardCount != nil }
        if !sharded.isEmpty {
            if let whole = parts.first(where: { $0.partial.coverage.shardCount == nil }) {
                throw refuse(
                    "\(whole.name) is a scan of every file, \(sharded[0].name) a shard: they overlap; merge the shards of one split only")
            }
            let n = first.partial.coverage.shardCount!
            var owner: [Int: String] = [:]
            for part in parts {
                let coverage = part.partial.coverage
                if coverage.shardCount != n {
                    throw refuse(
                        "\(part.name) is from a split into \(coverage.shardCount!) shards, \(first.name) into \(n): merge the shards of one split only")
                }
                if coverage.trailFingerprint != first.partial.coverage.trailFingerprint {
                    throw refuse(
                        "\(part.name) and \(first.name) are shards of different file sets (another trail, other roots, or files added or changed between the runs): scan every shard of the same files")
                }
                for shard in coverage.shards {
                    if let other = owner[shard] {
                        throw refuse("shard \(shard)/\(n) is in both \(other) and \(part.name): each shard may be merged once")
                    }
                    owner[shard] = part.name
                }
            }
            missing = (1...n).filter { owner[$0] == nil }
            if !missing.isEmpty && !allowMissing {
                throw MergeRefusal(
                    kind: .missingShards(missing),
                    description:
                        "shard(s) \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing: the merged answer would leave out their files (give them, or --allow-missing to merge what is there)")
            }
        }
        // No file in two parts, however their roots were spelled or
        // mounted (the file identities are the S3 key and the size).
        var seen: [UInt64: Int] = [:]
        for (index, part) in parts.enumerated() {
            for hash in part.partial.coverage.fileHashes {
                if let other = seen[hash] {
                    throw refuse(
                        other == index
                            ? "\(part.name) lists a file twice"
                            : "\(parts[other].name) and \(part.name) overlap (a file is in both): their files would be counted twice")
                }
                seen[hash] = index
            }
        }

        var combined = first.partial
        for part in parts.dropFirst() { combined.combine(part.partial) }
        combined.summary.jsonBytesThisRun = 0  // the parts were read by other runs: no throughput
        return (combined, missing)
    }

}
