// `--db FILE`: incremental scans with a SQLite state store.
//
// The store keeps one partial report per folder of the trail (a day folder
// of the S3 layout, typically), with a fingerprint of the folder's file set
// (names, sizes, modification times). A run walks the roots, rescans only
// the folders whose fingerprint changed or that are new, drops the folders
// that vanished, and reports the merge of every folder the store holds under
// the roots — which equals a full scan. Each folder is replaced in its own
// transaction, so a run killed at any moment leaves a store whose folders
// are each either the old or the new state; the next run rescans whatever
// is stale.
//
// Schema (query it with sqlite3 or DuckDB):
//   folders(folder PRIMARY KEY, fingerprint, files, files_skipped, files_failed,
//           records, kms_records, records_in_failed_files, bytes_compressed,
//           bytes_uncompressed, scanned_at, report)   -- report: the folder's JSON report
//   usage(folder, key, event_name, calls, errors)     -- one row per folder, key and event
//   failures(folder, file, error, records_before_failure)
//   kms_usage VIEW: key, event_name, sum(calls), sum(errors) over all folders

import Foundation
import TrailScanCore
import TrailScanIO

enum IncrementalScan {
    static let schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS folders (
            folder TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            files INTEGER NOT NULL,
            files_skipped INTEGER NOT NULL,
            files_failed INTEGER NOT NULL,
            records INTEGER NOT NULL,
            kms_records INTEGER NOT NULL,
            records_in_failed_files INTEGER NOT NULL,
            bytes_compressed INTEGER NOT NULL,
            bytes_uncompressed INTEGER NOT NULL,
            scanned_at TEXT NOT NULL,
            report TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS usage (
            folder TEXT NOT NULL,
            key TEXT NOT NULL,
            event_name TEXT NOT NULL,
            calls INTEGER NOT NULL,
            errors INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS usage_by_folder ON usage(folder);
        CREATE TABLE IF NOT EXISTS failures (
            folder TEXT NOT NULL,
            file TEXT NOT NULL,
            error TEXT NOT NULL,
            records_before_failure INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS failures_by_folder ON failures(folder);
        CREATE VIEW IF NOT EXISTS kms_usage AS
            SELECT key, event_name, sum(calls) AS calls, sum(errors) AS errors FROM usage GROUP BY key, event_name;
        """

    /// What a run did, for the stderr note.
    struct Activity {
        var foldersRescanned = 0
        var filesRescanned = 0
        var foldersUnchanged = 0
        var foldersRemoved = 0
    }

    /// One folder's entries from the walk.
    struct Folder {
        var files: [DiscoveredFile] = []
        var skipped: [String] = []
        var failures: [FileFailure] = []

        /// FNV-1a 64 over the sorted (kind, name, size, mtime) entries.
        var fingerprint: String {
            var lines = files.map { "f\u{0}\($0.path)\u{0}\($0.size)\u{0}\($0.modified)" }
            lines += skipped.map { "s\u{0}\($0)" }
            lines += failures.map { "x\u{0}\($0.path)" }
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in lines.sorted().joined(separator: "\n").utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return String(hash, radix: 16)
        }
    }

    /// Runs the incremental scan; returns the merged result of every folder
    /// the store holds under `roots`.
    static func run(
        database path: String, roots: [String], discovery: Discovery, options: ScanOptions,
        progress: ScanProgress?, clock: () -> Double
    ) throws -> (result: ScanResult, activity: Activity) {
        let start = clock()
        let db = try SQLiteDatabase(path: path)
        try db.execute(schema)

        // Group the walk by absolute folder.
        // (realpath once per folder, not once per file.)
        var resolved: [String: String] = [:]
        func folderKey(_ path: String) -> String {
            let parent = (path as NSString).deletingLastPathComponent
            if let known = resolved[parent] { return known }
            let key = absolutePath(parent.isEmpty ? "." : parent)
            resolved[parent] = key
            return key
        }
        var folders: [String: Folder] = [:]
        for file in discovery.files { folders[folderKey(file.path), default: Folder()].files.append(file) }
        for skipped in discovery.skipped { folders[folderKey(skipped), default: Folder()].skipped.append(skipped) }
        for failure in discovery.failures {
            folders[folderKey(failure.path), default: Folder()].failures.append(failure)
        }
        let absoluteRoots = roots.map(absolutePath)

        // What the store holds under the roots.
        var stored: [String: String] = [:]
        for root in absoluteRoots {
            try db.query(
                "SELECT folder, fingerprint FROM folders WHERE folder = ?1 OR substr(folder, 1, length(?1) + 1) = ?1 || '/'",
                [.text(root)]
            ) { row in stored[row.text(0)] = row.text(1) }
        }

        var activity = Activity()
        var jsonBytesRead: UInt64 = 0  // this run's, for the throughput
        // Largest folders first, like files.
        let order = folders.keys.sorted {
            let a = folders[$0]!.files.reduce(0) { $0 + $1.size }
            let b = folders[$1]!.files.reduce(0) { $0 + $1.size }
            return a != b ? a > b : $0 < $1
        }
        for name in order {
            let folder = folders[name]!
            let fingerprint = folder.fingerprint
            if stored[name] == fingerprint {
                activity.foldersUnchanged += 1
                progress?.filesUnchanged(folder.files.count, storedBytes: folder.files.reduce(0) { $0 + $1.size })
                continue
            }
            var part = Discovery()
            part.files = folder.files
            part.skipped = folder.skipped
            part.failures = folder.failures
            let result = ParallelScan.run(part, options: options, progress: progress, clock: clock)
            try save(result, folder: name, fingerprint: fingerprint, in: db)
            jsonBytesRead &+= result.summary.bytesUncompressed
            activity.foldersRescanned += 1
            activity.filesRescanned += folder.files.count
        }
        for name in stored.keys where folders[name] == nil {
            try db.transaction {
                for table in ["usage", "failures", "folders"] {
                    try db.query("DELETE FROM \(table) WHERE folder = ?1", [.text(name)])
                }
            }
            activity.foldersRemoved += 1
        }

        // The report: every folder under the roots, merged.
        var report = UsageReport()
        var summary = ScanSummary()
        summary.inflater = ""
        summary.jobs = 0
        var failures: [FileFailure] = []
        var seen = Set<String>()
        for root in absoluteRoots {
            try db.query(
                "SELECT folder, report FROM folders WHERE folder = ?1 OR substr(folder, 1, length(?1) + 1) = ?1 || '/'",
                [.text(root)]
            ) { row in
                guard seen.insert(row.text(0)).inserted else { return }
                let part = try PartialReport(json: Data(row.text(1).utf8))
                report.merge(part.report)
                summary.merge(part.summary)
                failures += part.failures
            }
        }
        failures.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        summary.seconds = clock() - start
        summary.jsonBytesThisRun = jsonBytesRead
        summary.jobs = options.jobs
        if summary.inflater.isEmpty { summary.inflater = options.inflater.rawValue }
        return (ScanResult(report: report, summary: summary, failures: failures), activity)
    }

    /// Replaces one folder's rows in one transaction.
    static func save(_ result: ScanResult, folder: String, fingerprint: String, in db: SQLiteDatabase) throws {
        let json = ReportRenderer.render(.json, report: result.report, summary: result.summary, failures: result.failures)
        let s = result.summary
        try db.transaction {
            for table in ["usage", "failures", "folders"] {
                try db.query("DELETE FROM \(table) WHERE folder = ?1", [.text(folder)])
            }
            try db.query(
                """
                INSERT INTO folders VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, datetime('now'), ?11)
                """,
                [
                    .text(folder), .text(fingerprint), .integer(Int64(s.files)), .integer(Int64(s.filesSkipped)),
                    .integer(Int64(s.filesFailed)), .integer(Int64(s.records)), .integer(Int64(s.kmsRecords)),
                    .integer(Int64(s.recordsInFailedFiles)), .integer(Int64(s.bytesCompressed)),
                    .integer(Int64(s.bytesUncompressed)), .text(json),
                ])
            TestHooks.folderHalfWritten()
            for (row, counts) in result.report.rows {
                try db.query(
                    "INSERT INTO usage VALUES (?1, ?2, ?3, ?4, ?5)",
                    [.text(folder), .text(row.key), .text(row.eventName), .integer(Int64(counts.calls)),
                     .integer(Int64(counts.errors))])
            }
            for failure in result.failures {
                try db.query(
                    "INSERT INTO failures VALUES (?1, ?2, ?3, ?4)",
                    [.text(folder), .text(failure.path), .text(failure.error),
                     .integer(Int64(failure.recordsBeforeFailure))])
            }
        }
    }

    static func absolutePath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
