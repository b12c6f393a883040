// `--db FILE`: incremental scans over a SQLite store of partials.
//
// The store keeps one partial per (request, folder): the raw counts and
// facts of the files directly in that folder (a day folder of the S3
// layout, typically), with a fingerprint of the folder's entries (names,
// sizes, modification times). The day folders of one account, region and
// day that two trails deliver (an organization trail and an account
// trail, two S3 prefixes) are one part, named by the first folder: their
// duplicate copies are folded inside it, as in a scan. A run walks the roots, rescans the folders
// that are new or whose fingerprint changed, drops the stored folders under
// the roots that the walk no longer finds, and answers from the partials of
// exactly the folders the walk found — the same partials, combined the same
// way, as a full scan of the roots, so the same answer. Each folder is
// replaced in its own transaction: a run killed at any moment leaves every
// folder either as it was or as it is now, and the next run rescans what
// is stale.
//
// Partials are kept per request (the options that change the answer), so
// runs with other filters or groupings share one store without mixing.
//
// Schema (version 2; query it with sqlite3 or DuckDB):
//   meta(key PRIMARY KEY, value)                    -- schema_version = 2
//   parts(request, folder, fingerprint, files, files_skipped, files_failed,
//         records, kms_records, scanned_at, partial,
//         PRIMARY KEY (request, folder))             -- partial: the folder's partial (JSON)
//   usage(request, folder, key, event_name, calls, errors)
//                                                    -- raw key/event counts per folder
//   kms_usage VIEW: request, key, event_name, sum(calls), sum(errors)

#if canImport(Glibc)
import Glibc
#endif

import TrailScanCore
import TrailScanIO

/// Why a `--db` run was refused or failed: a usage error, before anything
/// is written (`refused`), or the store's own failure.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// True when the run was refused before touching the store.
    public var refused: Bool
}

public enum IncrementalStore {
    static let schemaVersion = "2"

    static let schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS parts (
            request TEXT NOT NULL,
            folder TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            files INTEGER NOT NULL,
            files_skipped INTEGER NOT NULL,
            files_failed INTEGER NOT NULL,
            records INTEGER NOT NULL,
            kms_records INTEGER NOT NULL,
            scanned_at TEXT NOT NULL,
            partial TEXT NOT NULL,
            PRIMARY KEY (request, folder)
        );
        CREATE TABLE IF NOT EXISTS usage (
            request TEXT NOT NULL,
            folder TEXT NOT NULL,
            key TEXT NOT NULL,
            event_name TEXT NOT NULL,
            calls INTEGER NOT NULL,
            errors INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS usage_by_folder ON usage(request, folder);
        CREATE VIEW IF NOT EXISTS kms_usage AS
            SELECT request, key, event_name, sum(calls) AS calls, sum(errors) AS errors
            FROM usage GROUP BY request, key, event_name;
        """

    /// What a run did, for the stderr note.
    public struct Activity: Sendable {
        public var foldersRescanned = 0
        public var filesRescanned = 0
        public var foldersUnchanged = 0
        public var foldersRemoved = 0
        /// True when an older store layout was found and replaced.
        public var upgradedSchema = false
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
            lines += failures.map { "x\u{0}\($0.path)\u{0}\($0.error)" }
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            let sorted = lines.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for byte in sorted.joined(separator: "\n").utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return String(hash, radix: 16)
        }

        var discovery: Discovery {
            var part = Discovery()
            part.files = files
            part.skipped = skipped
            part.failures = failures
            return part
        }
    }

    /// Checks what `--db` cannot answer exactly; nothing is written when
    /// this throws.
    public static func validate(roots: [String]) throws(StoreError) {
        for root in roots {
            var info = stat()
            if stat(root, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR {
                throw StoreError(
                    description:
                        "--db keeps results per folder, and \(root) is a file: give the folders that hold it (or scan files without --db)",
                    refused: true)
            }
        }
    }

    /// Runs the incremental scan of `discovery` (the walk of `roots`) for
    /// `request`, and returns the partial of every folder the walk found.
    public static func run(
        database path: String, roots: [String], discovery: Discovery, request: ReportRequest, options: ScanOptions,
        progress: ScanProgress?, clock: () -> Double
    ) throws -> (partial: Partial, activity: Activity) {
        try validate(roots: roots)
        let start = clock()
        let cpuBefore = ProcessTime.cpuSeconds()
        let db: SQLiteDatabase
        do { db = try SQLiteDatabase(path: path) } catch { throw StoreError(description: "\(error)", refused: true) }
        var activity = Activity()
        var jsonBytesRead: UInt64 = 0  // this run's, for the throughput
        activity.upgradedSchema = try prepareSchema(db)
        let requestKey = Partial.requestJSON(request)

        // The walk, by absolute folder (realpath once per folder).
        var resolved: [String: String] = [:]
        func folderKey(_ path: String) -> String {
            let parent = Self.parent(of: path)
            if let known = resolved[parent] { return known }
            let key = AbsolutePath.of(parent)
            resolved[parent] = key
            return key
        }
        // A folder's part; the folders of one dedup group that several
        // trails deliver (DeliveryGroups: one account, region and day under
        // two trail prefixes) share one part, named by the first of them in
        // byte order, so their duplicate copies are compared as in a scan.
        let groups = request.foldsDuplicates ? DeliveryGroups(discovery.files) : DeliveryGroups()
        let partOfFolder = Self.joinedFolders(discovery.files, groups, folderKey: folderKey)
        func partKey(_ path: String) -> String {
            let folder = folderKey(path)
            return partOfFolder[folder] ?? folder
        }
        var folders: [String: Folder] = [:]
        for file in discovery.files { folders[partKey(file.path), default: Folder()].files.append(file) }
        for skipped in discovery.skipped { folders[partKey(skipped), default: Folder()].skipped.append(skipped) }
        for failure in discovery.failures { folders[partKey(failure.path), default: Folder()].failures.append(failure) }

        // What the store holds for this request under the roots.
        var stored: [String: String] = [:]
        for root in Set(roots.map(AbsolutePath.of)) {
            try db.query(
                """
                SELECT folder, fingerprint FROM parts WHERE request = ?1
                AND (folder = ?2 OR substr(folder, 1, length(?2) + 1) = ?2 || '/')
                """,
                [.text(requestKey), .text(root)]
            ) { row in stored[row.text(0)] = row.text(1) }
        }

        var combined = Partial(request: request)
        // Largest folders first, like files.
        let order = folders.keys.sorted {
            let a = folders[$0]!.files.reduce(0) { $0 + $1.size }
            let b = folders[$1]!.files.reduce(0) { $0 + $1.size }
            return a != b ? a > b : $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        for name in order {
            let folder = folders[name]!
            let fingerprint = folder.fingerprint
            // A folder whose files failed is read again: the cause may be
            // gone (permissions, an option) while its files are the same.
            if stored[name] == fingerprint, let partial = try load(db, request: requestKey, folder: name),
                partial.failures.isEmpty
            {
                combined.combine(partial)
                activity.foldersUnchanged += 1
                progress?.filesUnchanged(folder.files.count, storedBytes: folder.files.reduce(0) { $0 + $1.size })
                continue
            }
            var (partial, _) = ScanJob.run(
                folder.discovery, roots: [name], request: request, options: options, progress: progress, clock: clock)
            partial.summary.seconds = 0  // a folder's own time means nothing once stored
            partial.summary.cpuSeconds = 0
            try save(partial, request: requestKey, folder: name, fingerprint: fingerprint, in: db)
            jsonBytesRead &+= partial.summary.bytesUncompressed
            combined.combine(partial)
            activity.foldersRescanned += 1
            activity.filesRescanned += folder.files.count
        }
        for name in stored.keys where folders[name] == nil {
            try db.transaction {
                try db.query("DELETE FROM usage WHERE request = ?1 AND folder = ?2", [.text(requestKey), .text(name)])
                try db.query("DELETE FROM parts WHERE request = ?1 AND folder = ?2", [.text(requestKey), .text(name)])
            }
            activity.foldersRemoved += 1
        }

        // The answer covers the roots as a scan of them would.
        let whole = ScanJob.coverage(of: discovery, in: discovery, roots: roots, shard: nil)
        combined.coverage = whole
        combined.coverage.trailFingerprint = whole.filesFingerprint
        combined.summary.seconds = clock() - start
        combined.summary.jsonBytesThisRun = jsonBytesRead
        combined.summary.cpuSeconds = max(0, ProcessTime.cpuSeconds() - cpuBefore)
        combined.summary.jobs = options.jobs
        if combined.summary.inflater.isEmpty { combined.summary.inflater = options.inflater.rawValue }
        return (combined, activity)
    }

    /// Creates the tables; replaces a store of the earlier layout (which
    /// held rendered reports rather than partials). Returns true when it did.
    static func prepareSchema(_ db: SQLiteDatabase) throws -> Bool {
        var tables = Set<String>()
        try db.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')") { tables.insert($0.text(0)) }
        var upgraded = false
        if tables.contains("folders") && !tables.contains("meta") {
            try db.execute(
                "DROP VIEW IF EXISTS kms_usage; DROP TABLE IF EXISTS usage; DROP TABLE IF EXISTS failures; DROP TABLE IF EXISTS folders;")
            upgraded = true
        }
        try db.execute(schema)
        var version: String?
        try db.query("SELECT value FROM meta WHERE key = 'schema_version'") { version = $0.text(0) }
        if let version, version != schemaVersion {
            throw StoreError(
                description: "the store has layout version \(version); this trailscan reads version \(schemaVersion): use a new --db file",
                refused: true)
        }
        if version == nil {
            try db.query("INSERT INTO meta VALUES ('schema_version', ?1)", [.text(schemaVersion)])
        }
        return upgraded
    }

    static func load(_ db: SQLiteDatabase, request: String, folder: String) throws -> Partial? {
        var text: String?
        try db.query("SELECT partial FROM parts WHERE request = ?1 AND folder = ?2", [.text(request), .text(folder)]) {
            text = $0.text(0)
        }
        guard var text else { return nil }
        // A partial that does not read back (a damaged row) is rescanned.
        return text.withUTF8 { try? Partial(json: UnsafeRawBufferPointer($0)) }
    }

    /// Replaces one folder's partial in one transaction.
    static func save(_ partial: Partial, request: String, folder: String, fingerprint: String, in db: SQLiteDatabase) throws {
        let s = partial.summary
        try db.transaction {
            try db.query("DELETE FROM usage WHERE request = ?1 AND folder = ?2", [.text(request), .text(folder)])
            try db.query(
                "INSERT OR REPLACE INTO parts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, datetime('now'), ?9)",
                [
                    .text(request), .text(folder), .text(fingerprint), .integer(Int64(s.files)),
                    .integer(Int64(s.filesSkipped)), .integer(Int64(s.filesFailed)), .integer(Int64(s.records)),
                    .integer(Int64(s.kmsRecords)), .text(partial.json()),
                ])
            TestHooks.folderHalfWritten()
            var keyEvent: [UsageReport.RowKey: CallCounts] = [:]
            for (row, counts) in partial.report.rows {
                keyEvent[UsageReport.RowKey(key: row.key, eventName: row.eventName), default: CallCounts()].add(counts)
            }
            for (row, counts) in keyEvent {
                try db.query(
                    "INSERT INTO usage VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    [.text(request), .text(folder), .text(row.key), .text(row.eventName), .integer(Int64(counts.calls)),
                     .integer(Int64(counts.errors))])
            }
        }
    }

    /// The part each folder of a multi-trail dedup group belongs to: the
    /// folders linked by a group (transitively) share the part named by
    /// the first of them in byte order. Folders in no group are absent.
    static func joinedFolders(
        _ files: [DiscoveredFile], _ groups: DeliveryGroups, folderKey: (String) -> String
    ) -> [String: String] {
        var parent: [String: String] = [:]
        func root(_ folder: String) -> String {
            var node = folder
            while let up = parent[node], up != node { node = up }
            return node
        }
        for group in groups.groups {
            let folders = Set(group.files.map { folderKey(files[$0].path) })
            for folder in folders where parent[folder] == nil { parent[folder] = folder }
            let roots = Set(folders.map(root))
            let first = roots.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }!
            for other in roots { parent[other] = first }
        }
        var part: [String: String] = [:]
        for folder in parent.keys { part[folder] = root(folder) }
        return part
    }

    /// The folder part of `path` ("." for a bare name).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == path.utf8.startIndex { return "/" }
        return String(path[..<slash])
    }
}
