// The CSV loads unchanged with DuckDB's read_csv_auto and SQLite's .import,
// with the same totals as the report (skipped when the tools are absent).

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct ToolLoadingTests {
    /// Runs a tool; `output` is its stdout (trimmed), `errors` its stderr.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("trailscan-tool-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines), stderr)
    }

    /// A CSV with awkward keys (a comma, a quote) and its expected totals.
    static func csvWithTotals() throws -> (folder: TemporaryFolder, path: String, rows: Int, calls: Int) {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 31)
        let odd = #"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","requestParameters":{"keyId":"alias/a,\"b\""}}]}"#
        try trail.write("AWSLogs/odd.json", Array(odd.utf8))
        let folder = try TemporaryFolder()
        let path = folder.path + "/kms.csv"
        _ = try TrailscanBinary.run(["scan", trail.path, "-f", "csv", "-o", path, "-q"])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        let calls = lines.map { Int($0.split(separator: ",").reversed()[1])! }.reduce(0, +)
        #expect(lines.contains { $0.contains(#""arn:aws:kms:::alias/a,""b""""#) })
        return (folder, path, lines.count, calls)
    }

    static let sqlite = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: sqlite != nil, "sqlite3 is not installed"))
    func sqliteImportsTheCSV() throws {
        let (folder, path, rows, calls) = try Self.csvWithTotals()
        let result = try Self.run(
            Self.sqlite!, [folder.path + "/k.db", ".import --csv \(path) kms", "SELECT count(*), sum(calls) FROM kms"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "\(rows)|\(calls)")
    }

    static let duckdbAvailable: Bool = {
        guard let python = CLITests.python else { return false }
        return (try? run(python, ["-c", "import duckdb"]).status) == 0
    }()

    @Test(.enabled(if: duckdbAvailable, "python3 with duckdb is not installed (scripts/test.sh installs it into .build/venv)"))
    func duckdbReadsTheCSV() throws {
        let (folder, path, rows, calls) = try Self.csvWithTotals()
        defer { withExtendedLifetime(folder) {} }  // the folder holds the CSV
        let query = "import duckdb; print(*duckdb.sql(\"SELECT count(*), sum(calls) FROM read_csv_auto('\(path)')\").fetchall()[0], sep='|')"
        let result = try Self.run(CLITests.python!, ["-c", query])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "\(rows)|\(calls)")
    }
}
