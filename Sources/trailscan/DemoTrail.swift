// The built-in sample trail: `trailscan scan` with no path generates a small
// synthetic trail once into the user's cache folder and scans it.

import Foundation
import TrailScanGenerator
import TrailScanIO
import TrailScanWriter

enum DemoTrail {
    /// Bump when the generator's output changes, so old caches are not reused.
    static let version = 1
    static let seed: UInt64 = 2026
    static let size = 16 << 20

    /// The sample trail's folder, generated on first use.
    static func prepare() throws -> String {
        let files = FileManager.default
        let folder = cacheFolder() + "/trailscan/sample-trail-v\(version)"
        if files.fileExists(atPath: folder + "/AWSLogs") { return folder }
        let staging = folder + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try files.createDirectory(atPath: staging, withIntermediateDirectories: true)
            var generator = TrailGenerator(.init(seed: seed, targetBytes: size))
            _ = try TrailWriter.write(&generator, to: staging)
            try? files.removeItem(atPath: folder)
            try files.moveItem(atPath: staging, toPath: folder)
        } catch {
            try? files.removeItem(atPath: staging)
            // Another trailscan may have finished the same folder meanwhile.
            if files.fileExists(atPath: folder + "/AWSLogs") { return folder }
            throw CommandFailure(
                message: "cannot create the sample trail in \(folder): \(error)",
                status: TrailScanCommand.Status.someInputFailed)
        }
        return folder
    }

    /// $XDG_CACHE_HOME, else ~/.cache, else the temporary folder.
    static func cacheFolder() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache" }
        return NSTemporaryDirectory()
    }
}
