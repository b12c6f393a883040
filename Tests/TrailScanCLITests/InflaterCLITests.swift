// `trailscan scan --inflater zlib|isal|auto` end to end: the same CSV from
// both inflaters on a generated trail, the summary naming the one that ran,
// and the one-line usage error (exit 2) when ISA-L cannot run.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanGenerator
import TrailScanIO
import TrailScanWriter

@Suite struct InflaterCLITests {
    /// A generated trail (compact JSON, several MB) in a temporary folder.
    static func makeTrail() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        var generator = TrailGenerator(.init(seed: 31, targetBytes: 6 << 20, style: .compact))
        _ = try TrailWriter.write(&generator, to: folder.path)
        return folder
    }

    /// `summary.inflater` of a JSON report.
    static func inflaterName(_ json: String) throws -> String? {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (root?["summary"] as? [String: Any])?["inflater"] as? String
    }

    /// An environment under which the ISA-L library cannot be loaded: the
    /// same state as a machine without libisal2 (a build without ISA-L
    /// ignores it and has no ISA-L anyway).
    static let noIsal = ["TRAILSCAN_ISAL_LIBRARY": "/nonexistent/libisal.so.2"]

    @Test(.enabled(if: IsalInflater.isAvailable))
    func zlibAndIsalGiveByteIdenticalReports() throws {
        let trail = try Self.makeTrail()
        for format in ["csv", "ndjson"] {
            var outputs: [String] = []
            for inflater in ["zlib", "isal"] {
                for jobs in ["1", "2"] {
                    let result = try TrailscanBinary.run(
                        ["scan", trail.path, "--format", format, "--inflater", inflater, "--jobs", jobs, "--quiet"])
                    #expect(result.status == 0, "\(inflater): \(result.stderr)")
                    outputs.append(result.stdout)
                }
            }
            #expect(outputs[0].split(separator: "\n").count > 10)
            #expect(Set(outputs).count == 1, "\(format) differs between inflaters or job counts")
        }
    }

    @Test func theSummaryNamesTheInflaterThatRan() throws {
        let trail = try Self.makeTrail()
        var expected = [("zlib", "zlib"), ("auto", Inflater.fastestAvailable.rawValue)]
        if IsalInflater.isAvailable { expected.append(("isal", "isal")) }
        for (option, name) in expected {
            let json = try TrailscanBinary.run(["scan", trail.path, "--format", "json", "--inflater", option, "-q"])
            #expect(json.status == 0, "\(option): \(json.stderr)")
            #expect(try Self.inflaterName(json.stdout) == name, "\(option)")
            let table = try TrailscanBinary.run(["scan", trail.path, "--inflater", option, "-q"])
            let time = table.stdout.split(separator: "\n").first { $0.hasPrefix("Time:") }
            #expect(time?.hasSuffix(", \(name)") == true, "\(option): \(time ?? "no Time: line")")
        }
    }

    @Test func autoIsIsalWhenAvailable() {
        #expect(Inflater.fastestAvailable == (IsalInflater.isAvailable ? .isal : .zlib))
    }

    /// Always runs: with ISA-L built in, the library is made unloadable; without, it is absent anyway.
    @Test func isalThatCannotRunIsAOneLineUsageError() throws {
        let trail = try Self.makeTrail()
        let result = try TrailscanBinary.run(
            ["scan", trail.path, "--inflater", "isal"], environment: Self.noIsal)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("trailscan: --inflater isal: "), "\(result.stderr)")
        #expect(result.stderr.contains("apt-get install libisal-dev"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")

        // `auto` then quietly runs zlib, and says so.
        let auto = try TrailscanBinary.run(["scan", trail.path, "-f", "json", "-q"], environment: Self.noIsal)
        #expect(auto.status == 0, "\(auto.stderr)")
        #expect(try Self.inflaterName(auto.stdout) == "zlib")
    }

    @Test(.enabled(if: !IsalInflater.isAvailable))
    func withoutIsalTheErrorComesWithoutAnyEnvironment() throws {
        let trail = try Self.makeTrail()
        let result = try TrailscanBinary.run(["scan", trail.path, "--inflater", "isal"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("apt-get install libisal-dev"), "\(result.stderr)")
    }

    @Test func anUnknownInflaterIsAUsageError() throws {
        let result = try TrailscanBinary.run(["scan", ".", "--inflater", "libdeflate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("inflater"), "\(result.stderr)")
    }

    @Test func helpListsTheOption() throws {
        let result = try TrailscanBinary.run(["scan", "--help"])
        #expect(result.stdout.contains("--inflater"))
    }
}
