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
    return text.withUTF8 { bytes in
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
}
