// Runs the built `trailscan` binary, the way a user does
// (swift-argument-parser's example tests style).

import Foundation
import Testing

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum TrailscanBinary {
    /// The `trailscan` next to this test bundle (same build folder and
    /// configuration). `swift build --build-tests` builds both.
    static var url: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // The test bundle may be nested (…/debug/trailscanPackageTests.xctest).
        while !folder.path.isEmpty && folder.path != "/" {
            let candidate = folder.appendingPathComponent("trailscan")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent("trailscan")
    }

    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil) throws
        -> CommandResult
    {
        try runProcess(url.path, arguments, stdin: stdin.map { Data($0.utf8) }, environment: environment)
    }
}

/// Runs `executable` with `arguments` (and `environment` added to this
/// process's), writes `stdin` to it and closes it, and captures both streams.
func runProcess(
    _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a large output
    // cannot fill a pipe and deadlock.
    let group = DispatchGroup()
    let errData = DataBox()
    group.enter()
    DispatchQueue.global().async {
        errData.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.data, as: UTF8.self))
}

/// Carries the stderr bytes from the reading thread; the DispatchGroup
/// orders the write before the read.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// The repository's root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
