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
    /// of splits of different sizes or over different roots; shards mixed
    /// with whole scans; whole scans whose roots overlap or whose files are
    /// the same. Refuses (`.missingShards`) a split scan with shards
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
        } else {
            for (i, a) in parts.enumerated() {
                for b in parts[(i + 1)...] {
                    if let (x, y) = overlap(a.partial.coverage.roots, b.partial.coverage.roots) {
                        throw refuse(
                            "\(a.name) and \(b.name) overlap (roots \(x) and \(y)): their files would be counted twice")
                    }
                    let ca = a.partial.coverage
                    let cb = b.partial.coverage
                    if ca.filesSeen > 0 && ca.filesSeen == cb.filesSeen && ca.filesFingerprint == cb.filesFingerprint {
                        throw refuse("\(a.name) and \(b.name) cover the same files: they would be counted twice")
                    }
                }
            }
        }

        var combined = first.partial
        for part in parts.dropFirst() { combined.combine(part.partial) }
        return (combined, missing)
    }

    /// Two roots of which one contains the other (or equal), if any.
    static func overlap(_ a: [String], _ b: [String]) -> (String, String)? {
        func contains(_ outer: String, _ inner: String) -> Bool {
            inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/")
        }
        for x in a {
            for y in b where contains(x, y) || contains(y, x) { return (x, y) }
        }
        return nil
    }
}
