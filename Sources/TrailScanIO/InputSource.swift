// Reads one input file's stored bytes, either through a memory map or with
// read() into a reusable chunk buffer.

#if canImport(Glibc)
import Glibc
#endif

/// How input files are read.
public enum ReadStrategy: String, Sendable, CaseIterable {
    /// `mmap` the whole file (MADV_SEQUENTIAL). A file truncated by another
    /// process while mapped raises SIGBUS on access; see the README.
    case mmap
    /// `read()` into a reusable per-worker buffer.
    case read
}

/// One worker's reader: opens a file and hands out its bytes in chunks.
final class InputSource {
    let strategy: ReadStrategy
    private let chunk: UnsafeMutableRawBufferPointer
    private var fd: Int32 = -1
    private var mapping: UnsafeRawPointer?
    private var mappedLength = 0
    private var mappingHandedOut = false

    /// Size of the open file, from fstat.
    private(set) var size = 0

    init(strategy: ReadStrategy, chunkBytes: Int = 1 << 20) {
        self.strategy = strategy
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
    }

    deinit {
        close()
        chunk.deallocate()
    }

    /// Opens `path` (a regular file), closing any file open before.
    func open(_ path: String) throws(InputError) {
        close()
        switch Syscall.open(path, O_RDONLY | O_NONBLOCK) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error): throw .system("cannot open", error)
        }
        let info: FileStatus
        switch Syscall.fstat(fd) {
        case .success(let value): info = value
        case .failure(let error): throw .system("cannot stat", error)
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw InputError("not a regular file") }
        size = Int(info.st_size)
        if strategy == .mmap && size > 0 {
            switch Syscall.mapReadOnly(fd, length: size) {
            case .success(let address):
                mapping = address
                mappedLength = size
                Syscall.adviseSequential(address, length: size)
            case .failure:
                break  // fall back to read(): a map is an optimization only
            }
        }
    }

    /// The next bytes of the file; empty at end of file. Valid until the
    /// next call or `close`.
    func next() throws(InputError) -> UnsafeRawBufferPointer {
        if let mapping {
            if mappingHandedOut { return UnsafeRawBufferPointer(start: nil, count: 0) }
            mappingHandedOut = true
            return UnsafeRawBufferPointer(start: mapping, count: mappedLength)
        }
        switch Syscall.read(fd, into: chunk) {
        case .success(let n): return UnsafeRawBufferPointer(rebasing: chunk[..<n])
        case .failure(let error): throw .system("cannot read", error)
        }
    }

    func close() {
        if let mapping { Syscall.unmap(mapping, length: mappedLength) }
        mapping = nil
        mappedLength = 0
        mappingHandedOut = false
        if fd >= 0 { Syscall.close(fd) }
        fd = -1
    }
}
