// `--db FILE`: a rerun reads only folders whose files changed, its totals
// equal a full scan's after adding, changing and deleting objects, and a run
// killed at any moment leaves a store from which the next run is correct.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanIO
import TrailScanWriter

@Suite struct IncrementalStoreTests {
    /// The store's note on stderr: (folders scanned, files scanned).
    static func activity(_ stderr: String) -> (folders: Int, files: Int)? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("folder(s) scanned") }) else {
            return nil
        }
        // "trailscan: store PATH: N folder(s) scanned (M file(s)), ..." (PATH may hold digits).
        let counts = line.split(separator: ": ").last ?? ""
        let numbers = counts.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }

    static func csv(_ trail: String, db: String? = nil) throws -> CommandResult {
        try TrailscanBinary.run(["scan", trail, "--no-resolve-aliases", "--no-dedup", "-f", "csv"] + (db.map { ["--db", $0] } ?? []))
    }

    @Test func rerunsReadOnlyWhatChangedAndEqualAFullScan() throws {
        let trail = try CLITests.makeTrail(bytes: 2 << 20, seed: 41)
        let folder = try TemporaryFolder()
        let db = folder.path + "/state.db"

        let first = try Self.csv(trail.path, db: db)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == (try Self.csv(trail.path)).stdout)
        let initial = try #require(Self.activity(first.stderr))
        #expect(initial.files > 10)

        // Nothing changed: nothing is read.
        let again = try Self.csv(trail.path, db: db)
        #expect(Self.activity(again.stderr)?.files == 0)
        #expect(again.stdout == first.stdout)

        // Add an object to an existing day folder and one in a new folder.
        let logs = try FileManager.default.subpathsOfDirectory(atPath: trail.path)
            .filter { $0.hasSuffix(".json.gz") && !$0.contains("Digest") }.sorted()
        let dayFolder = (logs[0] as NSString).deletingLastPathComponent
        let record = #"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/added"}]}]}"#
        try trail.write(dayFolder + "/added.json.gz", try Gzip.compress(Array(record.utf8)))
        try trail.write("AWSLogs/111122223333/CloudTrail/us-east-1/2030/01/01/new.json.gz", try Gzip.compress(Array(record.utf8)))
        let added = try Self.csv(trail.path, db: db)
        #expect(Self.activity(added.stderr)?.folders == 2)
        #expect(added.stdout == (try Self.csv(trail.path)).stdout)
        #expect(added.stdout.contains("key/added,Decrypt,2,0"))

        // Change an object (same name, other content).
        let changed = #"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Encrypt","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/changed"}]}]}"#
        try trail.write(logs[1], try Gzip.compress(Array(changed.utf8)))
        let afterChange = try Self.csv(trail.path, db: db)
        #expect(Self.activity(afterChange.stderr)?.folders == 1)
        #expect(afterChange.stdout == (try Self.csv(trail.path)).stdout)
        #expect(afterChange.stdout.contains("key/changed,Encrypt,1,0"))

        // Delete an object and a whole folder.
        try FileManager.default.removeItem(atPath: trail.path + "/" + logs[2])
        try FileManager.default.removeItem(atPath: trail.path + "/AWSLogs/111122223333/CloudTrail/us-east-1/2030")
        let afterDelete = try Self.csv(trail.path, db: db)
        #expect(afterDelete.stdout == (try Self.csv(trail.path)).stdout)
        #expect(!afterDelete.stdout.contains("key/added,Decrypt,2,0"))
    }

    /// SIGKILL at several moments of a run, then a run to completion: the
    /// totals equal a full scan, and SQLite finds the store intact.
    @Test func aKilledRunLeavesAUsableStore() throws {
        let trail = try CLITests.makeTrail(bytes: 12 << 20, seed: 43)
        let expected = try Self.csv(trail.path)
        let folder = try TemporaryFolder()
        let db = folder.path + "/state.db"
        for delay in [0.05, 0.2, 0.4, 0.8, 1.5] {
            let process = Process()
            process.executableURL = TrailscanBinary.url
            process.arguments = ["scan", trail.path, "--db", db, "-f", "csv", "-q", "-j", "1"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let finished = try Self.csv(trail.path, db: db)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stdout == expected.stdout)
        if let sqlite = ToolLoadingTests.sqlite {
            let check = try ToolLoadingTests.run(sqlite, [db, "PRAGMA integrity_check"])
            #expect(check.output == "ok")
        }
    }

    @Test func anUnusableStoreIsAUsageError() throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 47)
        let folder = try TemporaryFolder()
        try folder.write("not-a-db", Array("this is not a SQLite database, it is text".utf8))
        let result = try Self.csv(trail.path, db: folder.path + "/not-a-db")
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot use the store"))
    }
}
