// Writing to stdout and stderr with write(2), with a broken pipe on stdout
// treated as "the reader has had enough": exit 0 quietly (ripgrep does the
// same). Reports are written whole, so there is no stdio buffering to manage.

#if canImport(Glibc)
import Glibc
#endif

enum StandardOutput {
    /// Writes `text` to stdout; on EPIPE exits 0 at once.
    static func write(_ text: String) {
        if !writeAll(STDOUT_FILENO, text) && errno == EPIPE { exit(0) }
    }

    /// Writes `bytes` to stdout; on EPIPE exits 0 at once.
    static func write(bytes: [UInt8]) {
        if !bytes.withUnsafeBytes({ writeAll(STDOUT_FILENO, $0) }) && errno == EPIPE { exit(0) }
    }
}

enum StandardInput {
    /// All of stdin's bytes, read with read(2) (retrying EINTR); stops at
    /// end of file or at the first other error.
    static func readAll() -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return bytes }
            bytes += chunk[..<n]
        }
    }
}

enum StandardError {
    static func write(_ text: String) {
        _ = writeAll(STDERR_FILENO, text)
    }

    /// True when stderr is a terminal.
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Writes all of `text` to `fd`, retrying short writes and EINTR; false on
/// any other error (errno tells which).
private func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
}

private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += n
    }
    return true
}

extension StandardInput {
    /// The paths in `bytes` (stdin of `trailscan scan -`): NUL-separated
    /// when `nullSeparated` (`-0`, for `find -print0`), else one per line
    /// (a final "\r" is dropped, as `readLine` does). Empty entries are
    /// ignored. Newline-separated input holding a NUL byte is `-print0`
    /// output read without `-0`: a usage error that says so, rather than one
    /// long path that does not exist.
    static func paths(_ bytes: [UInt8], nullSeparated: Bool) throws -> [String] {
        if !nullSeparated && bytes.contains(0) {
            throw CommandFailure.usage(
                "the paths on standard input are separated by NUL bytes (find -print0): add -0 (--null)")
        }
        let separator = nullSeparated ? 0 : UInt8(ascii: "\n")
        return bytes.split(separator: separator).compactMap { entry in
            var path = entry
            if !nullSeparated && path.last == UInt8(ascii: "\r") { path = path.dropLast() }
            return path.isEmpty ? nil : String(decoding: path, as: UTF8.self)
        }
    }
}
