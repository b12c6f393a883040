// Finding the files to scan: walk the roots, classify by name, stat sizes.

#if canImport(Glibc)
import Glibc
#endif

import TrailScanCore

/// A file to scan.
public struct DiscoveredFile: Sendable, Hashable {
    /// The path as given or as found below a root.
    public var path: String
    /// Stored size in bytes (compressed for .gz).
    public var size: Int
    /// Last modification time, nanoseconds since the epoch (for `--db`
    /// change detection).
    public var modified: Int64 = 0

    public init(path: String, size: Int, modified: Int64 = 0) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// The result of walking the roots.
public struct Discovery: Sendable {
    /// Files to scan, largest first (ties by path), each file once.
    public var files: [DiscoveredFile] = []
    /// Files under CloudTrail-Digest/ or CloudTrail-Insight/, not opened.
    public var skipped: [String] = []
    /// Log-named entries that cannot be scanned (unreadable directories,
    /// FIFOs, sockets, dangling links...), with why.
    public var failures: [FileFailure] = []
    /// Roots that do not exist or cannot be examined: usage errors.
    public var rootErrors: [String] = []
    /// Folders of the S3 layout not walked because the filters rule them
    /// out (`LayoutPruning`).
    public var foldersPruned = 0

    public init() {}
}

/// Walks roots the way docs/counting.md ("Which files") says.
///
/// - A root that is a file is always read, whatever its name.
/// - In a directory walk, files named `*.json.gz` or `*.json` are read,
///   except below a `CloudTrail-Digest` or `CloudTrail-Insight` directory,
///   where they are skipped and counted. Other names are ignored.
/// - Symbolic links are followed; a directory reached twice (a link cycle, or
///   overlapping roots) is walked once, and a file reached twice is read once.
public enum TrailDiscovery {
    /// - Parameter pruning: layout folders it rules out are not walked (a
    ///   root is always walked).
    public static func discover(roots: [String], pruning: LayoutPruning? = nil) -> Discovery {
        var walker = Walker()
        walker.pruning = pruning
        for root in roots { walker.visitRoot(root) }
        var discovery = walker.discovery
        discovery.files.sort { a, b in a.size != b.size ? a.size > b.size : a.path < b.path }
        discovery.skipped.sort()
        discovery.failures.sort { $0.path < $1.path }
        return discovery
    }

    /// True for names a directory walk reads.
    public static func isLogName(_ name: String) -> Bool {
        name.hasSuffix(".json.gz") || name.hasSuffix(".json")
    }

    /// True for the folders whose files are skipped.
    public static func isSkippedFolder(_ name: String) -> Bool {
        name == "CloudTrail-Digest" || name == "CloudTrail-Insight"
    }
}

private struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ info: FileStatus) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

private struct Walker {
    var discovery = Discovery()
    var seenFiles: Set<FileIdentity> = []
    var seenDirectories: Set<FileIdentity> = []
    var pruning: LayoutPruning?

    mutating func visitRoot(_ root: String) {
        let info: FileStatus
        switch Syscall.status(root) {
        case .success(let value): info = value
        case .failure(let error):
            discovery.rootErrors.append("\(root): \(error)")
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            // A root that cannot be listed is the user's mistake (exit 2),
            // unlike an unreadable folder found during the walk.
            guard let handle = opendir(root) else {
                discovery.rootErrors.append("\(root): cannot open directory: \(Errno.current)")
                return
            }
            closedir(handle)
            let skipping = root.split(separator: "/").contains { TrailDiscovery.isSkippedFolder(String($0)) }
            walk(directory: root, info: info, skipping: skipping)
        case S_IFREG:
            addFile(root, info)
        default:
            discovery.failures.append(FileFailure(path: root, error: "not a regular file or directory"))
        }
    }

    mutating func addFile(_ path: String, _ info: FileStatus) {
        guard seenFiles.insert(FileIdentity(info)).inserted else { return }
        let modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        discovery.files.append(DiscoveredFile(path: path, size: Int(info.st_size), modified: modified))
    }

    /// Walks a directory tree with an explicit stack (no recursion).
    mutating func walk(directory root: String, info rootInfo: FileStatus, skipping rootSkipping: Bool) {
        guard seenDirectories.insert(FileIdentity(rootInfo)).inserted else { return }
        var stack: [(path: String, skipping: Bool)] = [(root, rootSkipping)]
        while let (directory, skipping) = stack.popLast() {
            guard let handle = opendir(directory) else {
                discovery.failures.append(FileFailure(path: directory, error: "cannot open directory: \(Errno.current)"))
                continue
            }
            defer { closedir(handle) }
            var subdirectories: [(String, Bool)] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                let isLog = TrailDiscovery.isLogName(name)
                let type = entry.pointee.d_type
                // Only stat what can matter: directories, links, unknown
                // types, and log-named entries.
                if type != UInt8(DT_DIR) && type != UInt8(DT_LNK) && type != UInt8(DT_UNKNOWN) && !isLog {
                    continue
                }
                let info: FileStatus
                switch Syscall.status(path) {
                case .success(let value): info = value
                case .failure(let error):
                    if isLog { discovery.failures.append(FileFailure(path: path, error: "cannot stat: \(error)")) }
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    if let pruning, !pruning.admitsFolder(path) {
                        discovery.foldersPruned += 1
                        continue
                    }
                    guard seenDirectories.insert(FileIdentity(info)).inserted else { continue }
                    subdirectories.append((path, skipping || TrailDiscovery.isSkippedFolder(name)))
                case S_IFREG where isLog:
                    if skipping {
                        if seenFiles.insert(FileIdentity(info)).inserted { discovery.skipped.append(path) }
                    } else {
                        addFile(path, info)
                    }
                case S_IFREG:
                    continue
                default:
                    if isLog && !skipping {
                        discovery.failures.append(FileFailure(path: path, error: "not a regular file"))
                    }
                }
            }
            // Reverse so that the walk visits subdirectories in name order.
            stack.append(contentsOf: subdirectories.sorted { $0.0 > $1.0 })
        }
    }
}
