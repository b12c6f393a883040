// Tests of gzip compression (checked against the system `gzip -dc` and
// against our own inflater) and of writing a generated trail to disk.

import Foundation
import Testing
import TrailScanGenerator
import TrailScanIO
import TrailScanWriter

@Suite struct GzipTests {
    /// Decompresses with the system's gzip, an independent implementation.
    static func gunzip(_ data: [UInt8]) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.gz")
        try Data(data).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc \"$0\"", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -dc failed")
        return [UInt8](output)
    }

    /// Decompresses with trailscan's own GzipInflater.
    static func inflate(_ data: [UInt8]) throws -> [UInt8] {
        let inflater = GzipInflater()
        try inflater.startMember()
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        try data.withUnsafeBytes { raw in
            var input = raw
            while true {
                let (written, progress) = try chunk.withUnsafeMutableBytes { try inflater.inflate(&input, into: $0) }
                out += chunk[0..<written]
                if case .memberEnded = progress { break }
                if written == 0 && input.isEmpty { Issue.record("truncated gzip stream"); break }
            }
        }
        return out
    }

    static func sample(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var out: [UInt8] = []
        out.reserveCapacity(count)
        let words = Array("{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\"} ".utf8)
        while out.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            if state >> 62 == 0 {
                out.append(UInt8(truncatingIfNeeded: state >> 33))  // incompressible noise
            } else {
                out.append(words[Int(state >> 40) % words.count])
            }
        }
        return out
    }

    @Test(arguments: [0, 1, 100, 65_536, 1_000_003])
    func roundTripsThroughSystemGzip(count: Int) throws {
        let data = Self.sample(count, seed: UInt64(count))
        let gz = try Gzip.compress(data)
        #expect(gz.count >= 18)
        #expect(Array(gz.prefix(3)) == [0x1F, 0x8B, 0x08], "gzip magic and deflate method")
        #expect(try Self.gunzip(gz) == data)
    }

    @Test func multiMegabyteInputRoundTrips() throws {
        var generator = TrailGenerator(.init(seed: 3, targetBytes: 12 << 20, includeDigests: false))
        var document: [UInt8] = []
        while let file = generator.next() { document += file.json }
        #expect(document.count >= 12 << 20)
        let gz = try Gzip.compress(document)
        #expect(gz.count < document.count / 4, "CloudTrail JSON compresses well")
        #expect(try Self.gunzip(gz) == document)
        #expect(try Self.inflate(gz) == document)
    }

    @Test(arguments: [Int32(0), 1, 6, 9])
    func everyLevelRoundTrips(level: Int32) throws {
        let data = Self.sample(300_000, seed: 11)
        let gz = try Gzip.compress(data, level: level)
        #expect(try Self.inflate(gz) == data)
        if level == 0 { #expect(gz.count > data.count) }
    }

    @Test func anInvalidLevelThrows() {
        #expect(throws: GzipError.self) { try Gzip.compress([1, 2, 3], level: 42) }
    }

    @Test func compressionIsDeterministic() throws {
        let data = Self.sample(200_000, seed: 5)
        #expect(try Gzip.compress(data) == Gzip.compress(data))
    }

    // MARK: - TrailWriter

    @Test func writesEveryFileGzippedAtItsPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TrailGenerator.Options(seed: 4, targetBytes: 1 << 20)
        var generator = TrailGenerator(options)
        var reported: [String] = []
        let totals = try TrailWriter.write(&generator, to: folder.path + "/nested/root", jobs: 2) { (file: GeneratedFile) in
            reported.append(file.relativePath)
        }
        let expected = Array(TrailGenerator(options))
        #expect(reported == expected.map(\.relativePath), "progress in generation order")
        #expect(totals.files == expected.count)
        #expect(totals.records == expected.reduce(0) { $0 + $1.records })
        #expect(totals.jsonBytes == expected.reduce(0) { $0 + $1.json.count })
        var gzipBytes = 0
        for file in expected {
            let path = folder.path + "/nested/root/" + file.relativePath
            let gz = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            gzipBytes += gz.count
            #expect(try Self.inflate(gz) == file.json, "\(file.relativePath)")
        }
        #expect(totals.gzipBytes == gzipBytes)
    }

    @Test func anUnwritableDirectoryNamesThePathAndTheReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        var generator = TrailGenerator(.init(seed: 1, targetBytes: 64 << 10))
        do {
            _ = try TrailWriter.write(&generator, to: blocker.path + "/trail")
            Issue.record("writing below a regular file succeeded")
        } catch let error as TrailWriteError {
            #expect(error.description.contains(blocker.path))
            #expect(error.description.contains("Not a directory"), "\(error)")
        }
    }
}
