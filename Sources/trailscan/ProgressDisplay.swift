// The live progress line on stderr: files and bytes done of the total,
// throughput of JSON, ETA and failures so far, redrawn four times a second on one
// terminal line and erased when the scan ends. It only reads the workers'
// atomic counters, so it does not slow the scan.

import Foundation
import TrailScanIO

final class ProgressDisplay: @unchecked Sendable {
    private let progress: ScanProgress
    private let start = MonotonicClock.seconds()
    private let done = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts redrawing on a background thread.
    init(_ progress: ScanProgress) {
        self.progress = progress
        let thread = Thread { [self] in
            // Draw at once, then four times a second until stopped.
            repeat {
                StandardError.write("\r" + line() + "\u{1B}[K")
            } while done.wait(timeout: .now() + .milliseconds(250)) == .timedOut
            StandardError.write("\r\u{1B}[K")
            finished.signal()
        }
        thread.start()
    }

    /// Stops redrawing and erases the line.
    func stop() {
        done.signal()
        finished.wait()
    }

    /// The line: files done of every file the walk found (the summary
    /// line's count, skipped and failed included), stored bytes done,
    /// throughput of JSON (the summary's basis) and the time left at the
    /// rate stored bytes are being read.
    func line() -> String {
        let seconds = max(MonotonicClock.seconds() - start, 0.001)
        let done = progress.bytesDone
        var text = "trailscan: \(progress.filesDone)/\(progress.totalFiles) files, "
            + "\(Self.size(Double(done)))/\(Self.size(Double(progress.totalBytes))) stored read"
        if progress.jsonBytes > 0 { text += ", \(Self.size(Double(progress.jsonBytes) / seconds))/s of JSON" }
        let rate = Double(progress.bytesRead) / seconds
        if rate > 0 && done < progress.totalBytes {
            let remaining = Int(Double(progress.totalBytes - done) / rate)
            text += ", ETA \(remaining / 60):" + String(format: "%02d", remaining % 60)
        }
        if progress.filesFailed > 0 { text += ", \(progress.filesFailed) failed" }
        return text
    }

    static func size(_ bytes: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = bytes
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f %@", value, units[unit])
    }
}
