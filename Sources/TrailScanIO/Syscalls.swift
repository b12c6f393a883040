// The one layer that talks to the kernel (swift-system's Syscalls.swift and
// swift-nio's System.swift style): each wrapper reads errno immediately after
// the call, retries EINTR where that is the right thing, and returns a typed
// error. Nothing else in trailscan calls these libc functions directly.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An errno value with the C library's message for it.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The current thread's errno. Read it right after the failing call.
    package static var current: Errno { Errno(errno) }

    public var description: String { String(cString: strerror(rawValue)) }

    public static let interrupted = Errno(EINTR)
    public static let noSuchFile = Errno(ENOENT)
}

/// The C `struct stat`.
package typealias FileStatus = stat

/// The C function `stat` (its name is shadowed by the struct in Swift).
private let systemStat: @Sendable (UnsafePointer<CChar>, UnsafeMutablePointer<FileStatus>) -> Int32 = { stat($0, $1) }

/// Raw syscalls. `@inline(never)` keeps ARC traffic from running between a
/// call and the errno read (swift-nio System.swift).
package enum Syscall {
    @inline(never)
    package static func open(_ path: String, _ flags: Int32) -> Result<Int32, Errno> {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC)
            if fd >= 0 { return .success(fd) }
            let error = Errno.current
            if error != .interrupted { return .failure(error) }
        }
    }

    /// Closes `fd`. EINTR counts as success: on Linux the descriptor is
    /// released either way and retrying could close a reused number.
    @inline(never)
    package static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    @inline(never)
    package static func fstat(_ fd: Int32) -> Result<FileStatus, Errno> {
        var info = FileStatus()
        if Glibc.fstat(fd, &info) == 0 { return .success(info) }
        return .failure(.current)
    }

    /// stat (follows symlinks) or lstat.
    @inline(never)
    package static func status(_ path: String, followSymlinks: Bool = true) -> Result<FileStatus, Errno> {
        var info = FileStatus()
        let rc: Int32
        if followSymlinks {
            rc = systemStat(path, &info)
        } else {
            rc = lstat(path, &info)
        }
        if rc == 0 { return .success(info) }
        return .failure(.current)
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file. Retries EINTR.
    @inline(never)
    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return .success(n) }
            let error = Errno.current
            if error != .interrupted { return .failure(error) }
        }
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    @inline(never)
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                let error = Errno.current
                if error == .interrupted { continue }
                return .failure(error)
            }
            offset += n
        }
        return .success(())
    }

    /// Maps `length` bytes of `fd` read-only and private.
    @inline(never)
    package static func mapReadOnly(_ fd: Int32, length: Int) -> Result<UnsafeRawPointer, Errno> {
        let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        if address == MAP_FAILED { return .failure(.current) }
        return .success(UnsafeRawPointer(address!))
    }

    @inline(never)
    package static func unmap(_ address: UnsafeRawPointer, length: Int) {
        _ = munmap(UnsafeMutableRawPointer(mutating: address), length)
    }

    /// A hint only: failure is ignored.
    package static func adviseSequential(_ address: UnsafeRawPointer, length: Int) {
        _ = madvise(UnsafeMutableRawPointer(mutating: address), length, MADV_SEQUENTIAL)
    }
}
