// Reads one input file's stored bytes, either through a memory map or with
// read() into a reusable chunk buffer.
//
// A mapped file that another process truncates raises SIGBUS when a page past
// its new end is touched. `MappingGuard` makes that an error of the file, not
// a crash: a SIGBUS handler checks whether the faulting address lies in the
// mapping the current thread is reading, and if so maps a zero page over it
// and marks the mapping as faulted; the mapping is handed out in pieces, and
// before each piece (and at the end) the file's size is checked with fstat
// and the mark is read, so a file that shrank fails with "the file shrank
// while being read" before anything of it is counted.

#if canImport(Glibc)
import Glibc
#endif

/// How input files are read.
public enum ReadStrategy: String, Sendable, CaseIterable {
    /// `mmap` the whole file (MADV_SEQUENTIAL). A file truncated by another
    /// process while mapped fails ("the file shrank while being read"): the
    /// SIGBUS this raises is caught by `MappingGuard`; see the README.
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
    /// Bytes of the mapping handed out so far.
    private var mappedHandedOut = 0
    /// This source's entry in the SIGBUS guard (nil: mmap is not used).
    private let guardRecord: UnsafeMutablePointer<MappingGuard.Record>?

    /// Size of the open file, from fstat (or as the directory walk found it).
    private(set) var size = 0
    /// With the size known from the walk (read strategy): bytes read so
    /// far, so that the read that would only return end of file is not made.
    private var knownSizeRead: Int?

    /// Test hook: called with each piece's index (0, 1, ...) just before
    /// `next()` hands that piece out (after the mapping's checks of the
    /// pieces before it; before the read() that fills it), so a test can
    /// change the file at a known point of the read, with no timing.
    package var beforePiece: ((Int) -> Void)?
    private var piecesHandedOut = 0

    init(strategy: ReadStrategy, chunkBytes: Int = 1 << 20) {
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        // Without the SIGBUS guard, mapping is not safe: read instead.
        if strategy == .mmap && MappingGuard.isInstalled {
            self.strategy = .mmap
            guardRecord = .allocate(capacity: 1)
            guardRecord!.initialize(to: MappingGuard.Record())
        } else {
            self.strategy = .read
            guardRecord = nil
        }
    }

    deinit {
        close()
        chunk.deallocate()
        if let guardRecord {
            MappingGuard.forget(guardRecord)
            guardRecord.deinitialize(count: 1)
            guardRecord.deallocate()
        }
    }

    /// Opens `path` (a regular file), closing any file open before.
    ///
    /// `knownSize`: the size the directory walk saw for this regular file.
    /// With the read strategy it spares two system calls per file, the
    /// fstat and the read that only returns end of file (real trails are
    /// millions of small files): the file is read up to that size. A file
    /// rewritten since the walk is then read as far as the walk saw it (a
    /// file still being written is a truncated gzip stream, which fails
    /// with that reason).
    func open(_ path: String, knownSize: Int? = nil) throws(InputError) {
        close()
        switch Syscall.open(path, O_RDONLY | O_NONBLOCK) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error): throw .system("cannot open", error)
        }
        if strategy == .read, let knownSize, knownSize >= 0 {
            size = knownSize
            knownSizeRead = 0
            return
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
                guardRecord!.pointee = MappingGuard.Record(
                    start: UInt(bitPattern: address), end: UInt(bitPattern: address) + UInt(size))
                Syscall.adviseSequential(address, length: size)
            case .failure:
                break  // fall back to read(): a map is an optimization only
            }
        }
    }

    /// The next bytes of the file; empty at end of file. Valid until the
    /// next call or `close`.
    func next() throws(InputError) -> UnsafeRawBufferPointer {
        if let mapping, let guardRecord {
            // The pieces before this one have been read: was a page of them
            // gone (SIGBUS), or is the file shorter than the mapping now?
            if let shrank = shrinkage() { throw shrank }
            if mappedHandedOut == mappedLength { return UnsafeRawBufferPointer(start: nil, count: 0) }
            // The reading thread is the one a SIGBUS is delivered to.
            MappingGuard.watch(guardRecord)
            let piece = min(chunk.count, mappedLength - mappedHandedOut)
            beforePiece?(piecesHandedOut)
            piecesHandedOut += 1
            defer { mappedHandedOut += piece }
            return UnsafeRawBufferPointer(start: mapping + mappedHandedOut, count: piece)
        }
        if let done = knownSizeRead, done >= size { return UnsafeRawBufferPointer(start: nil, count: 0) }
        beforePiece?(piecesHandedOut)
        piecesHandedOut += 1
        // With a known size, at most what is left of it (no byte past it).
        let room = knownSizeRead.map { UnsafeMutableRawBufferPointer(rebasing: chunk[..<min(chunk.count, size - $0)]) } ?? chunk
        switch Syscall.read(fd, into: room) {
        case .success(let n):
            if let done = knownSizeRead { knownSizeRead = n == 0 ? size : done + n }
            return UnsafeRawBufferPointer(rebasing: chunk[..<n])
        case .failure(let error): throw .system("cannot read", error)
        }
    }

    /// The error of a file that shrank since `open`: a page of its mapping
    /// was gone (SIGBUS, caught by `MappingGuard`), or fstat finds it shorter
    /// than it was. Nil while it is whole (or no file is open).
    func shrinkage() -> InputError? {
        guard fd >= 0 else { return nil }
        if mapping != nil, let guardRecord, guardRecord.pointee.faulted != 0 {
            return InputError("the file shrank while being read (memory-mapped; pages past its new end were gone)")
        }
        if case .success(let info) = Syscall.fstat(fd), Int(info.st_size) < size {
            return InputError("the file shrank while being read (from \(size) to \(info.st_size) bytes)")
        }
        return nil
    }

    func close() {
        if let mapping {
            guardRecord!.pointee = MappingGuard.Record()
            Syscall.unmap(mapping, length: mappedLength)
        }
        mapping = nil
        mappedLength = 0
        mappedHandedOut = 0
        piecesHandedOut = 0
        knownSizeRead = nil
        if fd >= 0 { Syscall.close(fd) }
        fd = -1
    }
}

/// Turns a SIGBUS in a mapped input file (truncated by another process while
/// mapped) into an error of that file.
///
/// Each mmap `InputSource` owns a `Record` (its mapping's address range and a
/// fault mark) and, before handing out a piece of the mapping, makes it the
/// current thread's watched record (a pthread key: SIGBUS is delivered to
/// the thread that touched the page). The handler only reads the current
/// thread's record, maps an anonymous zero page over the faulting page, sets
/// the mark and returns, so the read goes on with zeros; `InputSource.next()`
/// then fails the file before it can be counted. A SIGBUS anywhere else is
/// passed to the handler installed before ours (Swift's backtracer, a
/// sanitizer, or the default action). The handler calls only mmap,
/// sigaction and pthread_getspecific, and touches no Swift object.
enum MappingGuard {
    struct Record {
        var start: UInt = 0
        var end: UInt = 0
        var faulted: UInt = 0
    }

    /// Installed once, on first use; false if sigaction or the key failed.
    static let isInstalled: Bool = install()

    nonisolated(unsafe) private static var key = pthread_key_t()
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
    nonisolated(unsafe) private static var pageMask: UInt = 0

    private static func install() -> Bool {
        guard pthread_key_create(&key, nil) == 0 else { return false }
        pageMask = ~(UInt(sysconf(Int32(_SC_PAGESIZE))) - 1)
        previous.initialize(to: sigaction())
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in
            MappingGuard.handle(info)
        }
        action.sa_flags = SA_SIGINFO | SA_NODEFER
        sigemptyset(&action.sa_mask)
        return sigaction(SIGBUS, &action, previous) == 0
    }

    /// Makes `record` the calling thread's watched mapping.
    static func watch(_ record: UnsafeMutablePointer<Record>) {
        if pthread_getspecific(key) != UnsafeMutableRawPointer(record) { pthread_setspecific(key, record) }
    }

    /// Stops watching `record` on the calling thread (it is being freed).
    static func forget(_ record: UnsafeMutablePointer<Record>) {
        if pthread_getspecific(key) == UnsafeMutableRawPointer(record) { pthread_setspecific(key, nil) }
    }

    private static func handle(_ info: UnsafeMutablePointer<siginfo_t>?) {
        if let info, let raw = pthread_getspecific(key) {
            let record = raw.assumingMemoryBound(to: Record.self)
            let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
            if address >= record.pointee.start && address < record.pointee.end {
                let page = UnsafeMutableRawPointer(bitPattern: address & pageMask)
                let zero = mmap(page, Int(~pageMask + 1), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                if zero != MAP_FAILED {
                    record.pointee.faulted = 1
                    return
                }
            }
        }
        // Not ours: restore the previous handler; returning re-runs the
        // faulting access, which then reaches it.
        sigaction(SIGBUS, previous, nil)
    }
}
