// A scan as the engine runs it: discover the files under the roots, keep
// this shard's, scan them across the workers, and return the partial —
// the raw counts, the facts, what was covered and what failed. Every way
// of running trailscan (one scan, a shard, a folder of the `--db` store)
// produces its partials here and renders them with `ReportAnswer`.

#if canImport(Glibc)
import Glibc
#endif

import TrailScanCore
import TrailScanIO

/// One shard of a split scan: `index` of `count`, 1-based.
public struct ShardSpec: Sendable, Equatable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 1 && index <= count)
        self.index = index
        self.count = count
    }
}

public enum ScanJob {
    /// Walks `roots`, pruning layout folders the request's filters rule out.
    public static func discover(roots: [String], request: ReportRequest) -> Discovery {
        TrailDiscovery.discover(roots: roots, pruning: LayoutPruning(filter: request.filter))
    }

    /// Scans the files of `discovery` (the whole of it, or `shard` of it)
    /// for `request`.
    ///
    /// - Returns: the partial, and how many files `stopAtFirstFailure`
    ///   left unscanned (0 unless it stopped).
    public static func run(
        _ discovery: Discovery, roots: [String], request: ReportRequest, options: ScanOptions, shard: ShardSpec? = nil,
        stopAtFirstFailure: Bool = false, progress: ScanProgress? = nil, clock: () -> Double
    ) -> (partial: Partial, filesNotScanned: Int) {
        let part = shard.map { discovery.shard($0.index - 1, of: $0.count) } ?? discovery
        var options = options
        options.plan = request.plan
        let cpuBefore = ProcessTime.cpuSeconds()
        let result = ParallelScan.run(
            part, options: options, stopAtFirstFailure: stopAtFirstFailure, progress: progress, clock: clock)
        var partial = Partial(request: request)
        partial.report = result.report
        partial.summary = result.summary
        partial.summary.cpuSeconds = max(0, ProcessTime.cpuSeconds() - cpuBefore)
        partial.failures = Partial.sortedFailures(result.failures)
        partial.deliveredDays = part.deliveredDays
        partial.coverage = coverage(of: part, in: discovery, roots: roots, shard: shard)
        partial.coverage.trailFingerprint =
            shard == nil
            ? partial.coverage.filesFingerprint
            : coverage(of: discovery, in: discovery, roots: roots, shard: nil).filesFingerprint
        return (partial, result.filesNotScanned)
    }

    /// What `part` covers: its roots as S3 keys, the shard, and a
    /// fingerprint of every file seen.
    ///
    /// A file is named by its S3 key from `AWSLogs/` on (the same on every
    /// machine, whatever the mount point) and its size; when the files of
    /// `whole` (the trail `part` is a shard of) lie under several trail
    /// prefixes, also by its prefix beyond what they all share
    /// (`prefixA/AWSLogs`), since two trails' prefixes may hold the same
    /// names (a mirrored bucket).
    public static func coverage(of part: Discovery, in whole: Discovery, roots: [String], shard: ShardSpec?) -> Coverage {
        var coverage = Coverage()
        coverage.roots = Array(Set(roots.map { String(Discovery.shardKey(AbsolutePath.of($0))) })).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        coverage.shardCount = shard?.count
        coverage.shards = shard.map { [$0.index] } ?? []
        let label = trailLabels(whole)
        func name(_ path: String) -> Substring {
            let key = Discovery.shardKey(path)
            let prefix = label(path)
            return prefix.isEmpty ? key : Substring(prefix + "\u{0}" + key)
        }
        for file in part.files {
            coverage.fileHashes.append(Coverage.fileHash(key: name(file.path), size: file.size))
        }
        for path in part.skipped + part.failures.map(\.path) {
            coverage.fileHashes.append(Coverage.fileHash(key: name(path), size: -1))
        }
        coverage.fileHashes.sort()
        return coverage
    }

    /// The trail label of a path of `whole`: the folders before its
    /// `AWSLogs/` beyond those every path of `whole` shares ("" when all
    /// paths have one prefix, the usual bucket).
    static func trailLabels(_ whole: Discovery) -> (String) -> String {
        func prefix(_ path: String) -> [Substring] {
            let key = Discovery.shardKey(path)
            guard key.startIndex != path.startIndex else { return [] }  // no AWSLogs/: no trail prefix
            return path[..<key.startIndex].split(separator: "/")
        }
        let paths = whole.files.map(\.path) + whole.skipped + whole.failures.map(\.path)
        var common: [Substring]?
        for path in paths where Discovery.shardKey(path).startIndex != path.startIndex {
            let components = prefix(path)
            guard let shared = common else {
                common = components
                continue
            }
            common = Array(zip(shared, components).prefix { $0.0 == $0.1 }.map(\.0))
        }
        let shared = common?.count ?? 0
        return { path in prefix(path).dropFirst(shared).joined(separator: "/") }
    }
}

/// Absolute, symlink-free paths (for comparing roots and naming folders).
public enum AbsolutePath {
    /// `path` resolved with realpath(3); when that fails (the path does not
    /// exist), joined to the working directory.
    public static func of(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + path
    }
}

/// The process's processor time.
enum ProcessTime {
    /// User + system seconds used by this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
