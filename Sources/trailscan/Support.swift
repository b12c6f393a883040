// Small adapters between the command line and the libraries.

import ArgumentParser
import TrailScanIO
import TrailScanCore

#if canImport(Glibc)
import Glibc
#endif

/// A byte count written as a number with an optional K, M or G suffix
/// (binary multiples: 1K = 1024), e.g. `64M`, `1.5G`.
struct ByteSize: ExpressibleByArgument, CustomStringConvertible {
    var bytes: Int

    init(_ bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        guard let parsed = Self.parse(argument) else { return nil }
        bytes = parsed
    }

    static func parse(_ text: String) -> Int? {
        var number = Substring(text)
        var multiplier = 1.0
        switch text.last?.uppercased() {
        case "K": multiplier = 1024
        case "M": multiplier = 1024 * 1024
        case "G": multiplier = 1024 * 1024 * 1024
        default: break
        }
        if multiplier != 1 { number = number.dropLast() }
        guard let value = Double(number), value >= 0, value * multiplier < Double(Int.max / 2) else { return nil }
        return Int(value * multiplier)
    }

    var description: String {
        for (suffix, size) in [("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)] where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(suffix)"
        }
        return "\(bytes)"
    }

    var defaultValueDescription: String { description }
}

enum ProcessorCount {
    /// CPUs this process may use: online cores, narrowed by the affinity
    /// mask and a container's cgroup CPU quota (see CPUBudget).
    static var active: Int { CPUBudget.available }
}

enum MonotonicClock {
    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// Where a rendered report goes: `--output FILE`, or stdout.
enum ReportOutput {
    /// Writes `text` to `output` (replacing it), or to stdout when nil or
    /// `-` (as in `-o -`); a file that cannot be written is a usage error.
    static func emit(_ text: String, to output: String?) throws {
        guard let output, output != "-" else {
            StandardOutput.write(text)
            return
        }
        do {
            try OutputFile.write(text, to: output)
        } catch {
            throw CommandFailure.usage("cannot write \(output): \(error)")
        }
    }
}

extension ReportOutput {
    /// Writes a report to `output` (replacing it), or to stdout when nil or
    /// `-`, piece by piece as `body` renders it into the stream.
    static func stream(to output: String?, _ body: (ReportStream) -> Void) throws {
        guard let output, output != "-" else {
            let stream = ReportStream { StandardOutput.write(bytes: $0) }
            body(stream)
            stream.flush()
            return
        }
        guard let file = fopen(output, "w") else {
            throw CommandFailure.usage("cannot write \(output): \(String(cString: strerror(errno)))")
        }
        var failure: Int32 = 0
        let stream = ReportStream { chunk in
            if failure == 0 && fwrite(chunk, 1, chunk.count, file) != chunk.count { failure = errno }
        }
        body(stream)
        stream.flush()
        if failure == 0 && fflush(file) != 0 { failure = errno }
        fclose(file)
        if failure != 0 { throw CommandFailure.usage("cannot write \(output): \(String(cString: strerror(failure)))") }
    }
}

enum InputFile {
    /// Why `path` could not be read, in one line: "no such file: PATH",
    /// "cannot read PATH: it is a directory", or the system's reason.
    static func whyUnreadable(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? "no such file: \(path)" : "cannot read \(path): \(String(cString: strerror(errno)))"
        }
        if info.st_mode & S_IFMT == S_IFDIR { return "cannot read \(path): it is a directory" }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "cannot read \(path): \(String(cString: strerror(errno)))" }
        close(fd)
        return "cannot read \(path)"
    }
}

enum OutputFile {
    /// Writes `text` to `path`, replacing it.
    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw OutputError(errno: errno) }
        defer { fclose(file) }
        var text = text
        let ok = text.withUTF8 { bytes in
            bytes.count == 0 || fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count
        }
        if !ok || fflush(file) != 0 { throw OutputError(errno: errno) }
    }

    struct OutputError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { String(cString: strerror(errno)) }
    }
}
