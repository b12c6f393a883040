// Writes a generated trail below a directory: every file gzipped, at its S3
// key, with the directories created on the way (mkdir -p).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import TrailScanGenerator
import TrailScanIO

/// A failure to write a trail file, naming the path and the errno message.
public struct TrailWriteError: Error, Sendable, CustomStringConvertible {
    /// The file or directory that could not be written.
    public let path: String
    /// What was attempted: "create directory", "create", "write".
    public let operation: String
    /// The system error, when there is one.
    public let errno: Errno?
    public let description: String

    init(_ operation: String, path: String, errno: Errno?, detail: String? = nil) {
        self.path = path
        self.operation = operation
        self.errno = errno
        description = "cannot \(operation) '\(path)': \(detail ?? errno?.description ?? "unknown error")"
    }
}

/// Writes generated trails to disk.
public struct TrailWriter {
    /// Writes every file of `generator` below `directory` (created if
    /// missing) as `<directory>/<relativePath>`, gzip-compressed.
    ///
    /// `generator` is a `TrailGenerator` or a `CardinalityTrail` (from
    /// TrailScanGenerator): any iterator of `GeneratedFile`s.
    ///
    /// The calling thread generates; up to `jobs` files are compressed and
    /// written at the same time on other threads (zlib is most of the cost).
    /// At most `jobs + 1` files are in memory at once.
    ///
    /// - Parameters:
    ///   - generator: the trail; consumed to its end (or to the first error).
    ///   - directory: the trail root (the folder that will hold `AWSLogs/`).
    ///   - jobs: compression threads; 0 means one per online core.
    ///   - level: zlib compression level, 1 (fastest) ... 9 (smallest).
    ///   - progress: called on the calling thread, in generation order, after
    ///     each file has been written, with that file.
    /// - Returns: `files` written (logs and digests), `records` in the log
    ///   files, `jsonBytes` uncompressed and `gzipBytes` compressed size of
    ///   all files written (logs and digests).
    /// - Throws: `TrailWriteError` naming the path and errno message when a
    ///   directory or file cannot be created or written; `GzipError`. Files
    ///   already in flight are finished first; the first error is thrown.
    public static func write(
        _ generator: inout some IteratorProtocol<GeneratedFile>, to directory: String, jobs: Int = 0, level: Int32 = 6,
        progress: ((GeneratedFile) -> Void)? = nil
    ) throws -> (files: Int, records: Int, jsonBytes: Int, gzipBytes: Int) {
        var directories = DirectoryMaker()
        let root = directory.isEmpty ? "." : directory
        try directories.makeAll(root)
        let limit = jobs > 0 ? jobs : Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var totals = (files: 0, records: 0, jsonBytes: 0, gzipBytes: 0)
        var inFlight: [(file: GeneratedFile, job: WriteJob)] = []

        /// Waits for the oldest file, accounts for it, reports it.
        func finishOldest() throws {
            let oldest = inFlight.removeFirst()
            oldest.job.done.wait()
            if let error = oldest.job.error {
                for other in inFlight { other.job.done.wait() }
                inFlight.removeAll()
                throw error
            }
            totals.files += 1
            totals.records += oldest.file.records
            totals.jsonBytes += oldest.file.json.count
            totals.gzipBytes += oldest.job.gzipBytes
            progress?(oldest.file)
        }

        do {
            while let file = generator.next() {
                guard !file.relativePath.isEmpty, !file.relativePath.hasPrefix("/") else {
                    throw TrailWriteError(
                        "write", path: file.relativePath, errno: nil, detail: "not a relative path")
                }
                let path = root.hasSuffix("/") ? root + file.relativePath : root + "/" + file.relativePath
                if let slash = path.lastIndex(of: "/") { try directories.makeAll(String(path[..<slash])) }
                let job = WriteJob()
                let json = file.json
                DispatchQueue.global().async {
                    do {
                        let gz = try Gzip.compress(json, level: level)
                        try writeFile(path, gz)
                        job.gzipBytes = gz.count
                    } catch {
                        job.error = error
                    }
                    job.done.signal()
                }
                inFlight.append((file, job))
                if inFlight.count > limit { try finishOldest() }
            }
            while !inFlight.isEmpty { try finishOldest() }
        } catch {
            for other in inFlight { other.job.done.wait() }
            throw error
        }
        return totals
    }

    /// Creates (or truncates) `path` and writes `bytes` to it.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd: Int32
        switch Syscall.create(path) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error): throw TrailWriteError("create", path: path, errno: error)
        }
        defer { Syscall.close(fd) }
        let result = bytes.withUnsafeBytes { Syscall.writeAll(fd, $0) }
        if case .failure(let error) = result { throw TrailWriteError("write", path: path, errno: error) }
    }
}

/// One file being compressed and written on a worker thread.
///
/// `@unchecked Sendable`: the worker sets `gzipBytes` / `error` before
/// `done.signal()`, and the calling thread reads them only after
/// `done.wait()`; the semaphore orders the accesses.
private final class WriteJob: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var gzipBytes = 0
    var error: (any Error)?
}

private struct DirectoryMaker {
    private var made: Set<String> = []

    mutating func makeAll(_ directory: String) throws {
        if directory.isEmpty || made.contains(directory) { return }
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            if !prefix.isEmpty && prefix != "/" { prefix += "/" }
            prefix += component
            if component == "." || made.contains(prefix) { continue }
            switch Syscall.makeDirectory(prefix) {
            case .success: break
            case .failure(let error) where error.rawValue == EEXIST:
                // Exists: fine if it is a directory (or a link to one).
                if case .success(let info) = Syscall.status(prefix), (info.st_mode & S_IFMT) == S_IFDIR { break }
                throw TrailWriteError("create directory", path: prefix, errno: Errno(ENOTDIR))
            case .failure(let error):
                throw TrailWriteError("create directory", path: prefix, errno: error)
            }
            made.insert(prefix)
        }
        made.insert(directory)
    }
}

extension Syscall {
    /// `open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)`, retrying EINTR.
    @inline(never)
    static func create(_ path: String) -> Result<Int32, Errno> {
        while true {
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd >= 0 { return .success(fd) }
            let error = Errno.current
            if error != .interrupted { return .failure(error) }
        }
    }

    /// `mkdir(path, 0755)`.
    @inline(never)
    static func makeDirectory(_ path: String) -> Result<Void, Errno> {
        if mkdir(path, 0o755) == 0 { return .success(()) }
        return .failure(.current)
    }
}
