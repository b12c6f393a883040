// The partial file format: a JSON document that `trailscan scan --format
// partial` writes, `trailscan merge` reads and the `--db` store keeps per
// folder. Versioned, and complete: it holds the request it answers, the
// files it covers, the raw rows and every fact resolution needs. Strings
// are written exactly (JSON escapes), integers as digits, times as Unix
// seconds, so a partial read back is equal to the one written.
//
//     {
//       "trailscanPartial": 1,                  <- format version
//       "trailscanVersion": "0.2.0",
//       "request": {"report": "usage", "by": ["key", "event"], ...},
//       "coverage": {"roots": [...], "shardCount": 3, "shards": [1], "filesSeen": 12,
//                    "filesFingerprint": "9f...", "trailFingerprint": "e1..."},
//       "summary": {"files": 9, ..., "deliveryCopiesFolded": {"prefixB/AWSLogs": 3}},
//       "selectedRecords": 80, "latestEventTime": 1790000000,
//       "rows": [[key, event, principal, identityType, callerAccount, region, errorCode, day, via,
//                 role, resource, calls, errors, first, last], ...],
//       "aliasChanges": [[time, alias, target|null], ...],
//       "aliasObservations": [[alias, key, first, last], ...],
//       "aliasUses": [deferred call, ...],
//       "sharedCopies": [{"eventID": ..., "recipientAccount": ..., "callerAccount": ..., "call": deferred call,
//                         "lifecycle": [...]}, ...],
//       "selectorChanges": [[time, trail, account, region, cause, logsReads, logsWrites], ...],
//       "lifecycle": [[time|null, key, eventName, principal, callerAccount, errorCode, detail, flags], ...],
//       "deliveredDays": [[account, region, day], ...],
//       "failures": [[file, error, recordsBeforeFailure], ...]
//     }
//
// A deferred call is {"row": [11 strings], "keys": [...], "time": t|null,
// "counts": [calls, errors, first|null, last|null]}. A report written by
// `--format json` is not a partial: it has no "trailscanPartial" member,
// and reading one says so.

/// Why bytes are not a partial this program can read.
public struct PartialFormatError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}

extension Partial {
    // MARK: - Writing

    /// The partial as a JSON document (UTF-8), ending with a newline.
    public func json() -> String { ReportStream.collect { write(to: $0) } }

    /// Writes `json()` into `stream`, the rows one at a time (a part of
    /// millions of rows is never held as text).
    public func write(to stream: ReportStream) {
        var out = "{\n"
        out += "  \"trailscanPartial\": \(Self.formatVersion),\n"
        out += "  \"trailscanVersion\": \(JSONText.string(trailscanVersion)),\n"
        out += "  \"request\": \(Self.requestJSON(request)),\n"
        out += "  \"coverage\": \(Self.coverageJSON(coverage)),\n"
        out += "  \"summary\": \(Self.summaryJSON(summary)),\n"
        out += "  \"selectedRecords\": \(report.selectedRecords),\n"
        out += "  \"latestEventTime\": \(report.latestEventTime.map { String($0) } ?? "null"),\n"
        // Every dimension, in RowKey order: the rows sorted as RowKey sorts them.
        let all: [GroupingDimension] = [
            .key, .event, .principal, .identityType, .callerAccount, .region, .errorCode, .day, .via, .role, .resource,
        ]
        let grouped = GroupedRows(report.rows, by: all)
        if grouped.order.isEmpty {
            out += "  \"rows\": [],\n"
        } else {
            out += "  \"rows\": [\n    "
            grouped.withReader { reader in
                for (n, row) in grouped.order.enumerated() {
                    if n > 0 { out += ",\n    " }
                    out += "[" + all.indices.map { JSONText.string(reader.string(row: row, column: $0)) }.joined(separator: ", ")
                    out += ", " + Self.countsFields(grouped.counts[row]) + "]"
                    if out.utf8.count >= 1 << 20 {
                        stream.append(out)
                        out = ""
                    }
                }
            }
            out += "\n  ],\n"
        }
        let facts = report.facts
        Self.appendArray(
            "aliasChanges",
            facts.aliasChanges.map { "[\($0.time), \(JSONText.string($0.alias)), \($0.target.map(JSONText.string) ?? "null")]" }
                .sorted(), to: &out)
        Self.appendArray(
            "aliasObservations",
            facts.aliasObservations.map { "[\(JSONText.string($0.alias)), \(JSONText.string($0.key)), \($0.first), \($0.last)]" }
                .sorted(), to: &out)
        Self.appendArray("aliasUses", facts.aliasUses.map(Self.deferredJSON).sorted(), to: &out)
        Self.appendArray(
            "sharedCopies",
            facts.sharedCopies.map { copy in
                "{\"eventID\": \(JSONText.string(copy.eventID)), \"recipientAccount\": \(JSONText.string(copy.recipientAccount)), "
                    + "\"callerAccount\": \(JSONText.string(copy.callerAccount)), "
                    + "\"call\": \(Self.deferredJSON(copy.call)), \"lifecycle\": ["
                    + copy.lifecycle.map(Self.lifecycleJSON).joined(separator: ", ") + "]}"
            }.sorted(), to: &out)
        Self.appendArray(
            "selectorChanges",
            facts.selectorChanges.map {
                "[\($0.time), \(JSONText.string($0.trail)), \(JSONText.string($0.account)), \(JSONText.string($0.region)), "
                    + "\(JSONText.string($0.cause.rawValue)), \($0.logsReads), \($0.logsWrites)]"
            }.sorted(), to: &out)
        Self.appendArray("lifecycle", facts.lifecycle.map(Self.lifecycleJSON).sorted(), to: &out)
        Self.appendArray(
            "deliveredDays",
            deliveredDays.map { "[\(JSONText.string($0.account)), \(JSONText.string($0.region)), \($0.day)]" }.sorted(),
            to: &out)
        Self.appendArray(
            "failures",
            failures.map { "[\(JSONText.string($0.path)), \(JSONText.string($0.error)), \($0.recordsBeforeFailure)]" },
            to: &out, last: true)
        out += "}\n"
        stream.append(out)
    }

    static func appendArray(_ name: String, _ elements: [String], to out: inout String, last: Bool = false) {
        let end = last ? "\n" : ",\n"
        if elements.isEmpty {
            out += "  \"\(name)\": []" + end
            return
        }
        out += "  \"\(name)\": [\n    " + elements.joined(separator: ",\n    ") + "\n  ]" + end
    }

    static func countsFields(_ counts: CallCounts) -> String {
        let first = counts.hasTimes ? String(counts.firstSeen) : "null"
        let last = counts.hasTimes ? String(counts.lastSeen) : "null"
        return "\(counts.calls), \(counts.errors), \(first), \(last)"
    }

    static func deferredJSON(_ call: DeferredCall) -> String {
        "{\"row\": [" + call.row.values.map(JSONText.string).joined(separator: ", ") + "], \"keys\": ["
            + call.keys.map(JSONText.string).joined(separator: ", ") + "], \"time\": "
            + (call.time.map { String($0) } ?? "null") + ", \"counts\": [" + countsFields(call.counts) + "]}"
    }

    static func lifecycleJSON(_ event: LifecycleEvent) -> String {
        "[" + (event.time.map { String($0) } ?? "null") + ", \(JSONText.string(event.key)), "
            + "\(JSONText.string(event.eventName)), \(JSONText.string(event.principal)), \(JSONText.string(event.callerAccount)), "
            + "\(JSONText.string(event.errorCode)), \(JSONText.string(event.detail)), \(JSONText.string(event.flags))]"
    }

    static func stringArray(_ values: [String]) -> String {
        "[" + values.map(JSONText.string).joined(separator: ", ") + "]"
    }

    /// The request as one line of JSON: its identity in partials and in the
    /// `--db` store.
    public static func requestJSON(_ request: ReportRequest) -> String {
        let f = request.filter
        var members = [
            "\"report\": \(JSONText.string(request.report.rawValue))",
            "\"by\": \(stringArray(request.grouping.map(\.rawValue)))",
            "\"times\": \(request.times)",
            "\"idleDays\": \(request.idleDays)",
            "\"source\": \(JSONText.string(request.source))",
            "\"since\": \(f.since.map { String($0) } ?? "null")",
            "\"until\": \(f.until.map { String($0) } ?? "null")",
            "\"accounts\": \(stringArray(f.accounts))",
            "\"regions\": \(stringArray(f.regions))",
            "\"eventNames\": \(stringArray(f.eventNames))",
            "\"principals\": \(stringArray(f.principals))",
            "\"errorsOnly\": \(f.errorsOnly)",
            "\"readOnly\": \(f.readOnly.map { String($0) } ?? "null")",
        ]
        members += [
            "\"keys\": \(stringArray(request.keyFilter.keys))",
            "\"crossAccount\": \(request.keyFilter.crossAccountOnly)",
            "\"resolveAliases\": \(request.resolvesAliases)",
            "\"dedup\": \(request.foldsDuplicates)",
        ]
        // Written only when set: a request without it (and every partial
        // and store written before it existed) keeps the same identity.
        if request.detail { members.append("\"detail\": true") }
        if request.validation != .used { members.append("\"validate\": \(JSONText.string(request.validation.rawValue))") }
        if request.maximumRecordBytes != ReportRequest.defaultMaximumRecordBytes {
            members.append("\"maxRecordSize\": \(request.maximumRecordBytes)")
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    static func coverageJSON(_ coverage: Coverage) -> String {
        "{\"roots\": \(stringArray(coverage.roots)), \"shardCount\": \(coverage.shardCount.map { String($0) } ?? "null"), "
            + "\"shards\": [\(coverage.shards.map { String($0) }.joined(separator: ", "))], "
            + "\"filesSeen\": \(coverage.filesSeen), \"filesFingerprint\": \"\(String(coverage.filesFingerprint, radix: 16))\", "
            + "\"trailFingerprint\": \"\(String(coverage.trailFingerprint, radix: 16))\", "
            + "\"files\": [" + coverage.fileHashes.map { "\"" + String($0, radix: 16) + "\"" }.joined(separator: ", ") + "]}"
    }

    static func summaryJSON(_ s: ScanSummary) -> String {
        "{\"files\": \(s.files), \"filesSkipped\": \(s.filesSkipped), \"filesFailed\": \(s.filesFailed), "
            + "\"records\": \(s.records), \"kmsRecords\": \(s.kmsRecords), \"recordsInFailedFiles\": \(s.recordsInFailedFiles), "
            + "\"bytesCompressed\": \(s.bytesCompressed), \"bytesUncompressed\": \(s.bytesUncompressed), "
            + "\"seconds\": \(s.seconds), \"cpuSeconds\": \(s.cpuSeconds), \"inflater\": \(JSONText.string(s.inflater)), "
            + "\"jobs\": \(s.jobs), \"deliveryCopiesFolded\": \(ReportRenderer.countsObject(s.deliveryCopiesFolded))}"
    }

    // MARK: - Reading

    /// Reads a partial written by `json()`.
    ///
    /// - Throws: `PartialFormatError` naming what is wrong: not JSON, a
    ///   trailscan report rather than a partial, another format version, or
    ///   a member missing or of the wrong type.
    public init(json bytes: UnsafeRawBufferPointer) throws(PartialFormatError) {
        let reader = Reader()
        // The rows go straight into a table as they are read (a part may
        // hold millions): 11 values and 4 counts each; parts written before
        // role and resource existed have 9 values (those two empty).
        var rows = RowTable()
        var rowError: PartialFormatError?
        let parsed = JSONValue.parse(bytes, maximumDepth: 17, streaming: "rows", after: "trailscanPartial") { row in
            // The first bad row is kept and said after the version check
            // (another version's rows may differ); the JSON is read on.
            guard rowError == nil else { return true }
            do throws(PartialFormatError) {
                let fields = try reader.tuple(row, "rows", counts: [15, 13])
                let values = fields.count - 4
                rows.add(try reader.rowKey(Array(fields[0..<values])), try reader.counts(Array(fields[values...])))
            } catch {
                rowError = error
            }
            return true
        }
        guard var root = parsed else {
            throw PartialFormatError("not JSON (or nested deeper than a partial)")
        }
        guard case .object = root else { throw PartialFormatError("not a JSON object") }
        // A shard's JSON report (`scan --shard K/N -f json`) carries its
        // part as the member "partial" (`ReportAnswer.render(embeddingPartial:)`).
        if root["trailscanPartial"] == nil, let embedded = root["partial"], case .object = embedded { root = embedded }
        guard let versionValue = root["trailscanPartial"] else {
            if root["summary"] != nil {
                throw PartialFormatError(
                    "a trailscan report, not a partial: reports are answers and cannot be merged (a shard's `--shard K/N -f json` report carries its part, other reports do not); write parts with `trailscan scan --format partial`")
            }
            throw PartialFormatError("not a trailscan partial (no \"trailscanPartial\" member)")
        }
        let version = try reader.int(versionValue, "trailscanPartial")
        guard version == Self.formatVersion else {
            throw PartialFormatError(
                "partial format version \(version), but this trailscan (\(TrailScanVersion.current)) reads version \(Self.formatVersion) only")
        }
        if let rowError { throw rowError }
        self.init(request: try reader.request(try reader.member(root, "request")))
        trailscanVersion = try reader.string(try reader.member(root, "trailscanVersion"), "trailscanVersion")
        coverage = try reader.coverage(try reader.member(root, "coverage"))
        summary = try reader.summary(try reader.member(root, "summary"))
        _ = try reader.array(root, "rows")  // read above, as it streamed past; it must be there
        report.rows = rows
        report.records = summary.records
        report.kmsRecords = summary.kmsRecords
        report.selectedRecords = try reader.uint64(try reader.member(root, "selectedRecords"), "selectedRecords")
        report.latestEventTime = try reader.optionalTime(try reader.member(root, "latestEventTime"), "latestEventTime")
        for change in try reader.array(root, "aliasChanges") {
            let f = try reader.tuple(change, "aliasChanges", count: 3)
            report.facts.aliasChanges.append(
                AliasChange(
                    time: try reader.time(f[0], "aliasChanges"), alias: try reader.string(f[1], "aliasChanges"),
                    target: try reader.optionalString(f[2], "aliasChanges")))
        }
        for observation in try reader.array(root, "aliasObservations") {
            let f = try reader.tuple(observation, "aliasObservations", count: 4)
            let first = try reader.time(f[2], "aliasObservations")
            let last = try reader.time(f[3], "aliasObservations")
            guard first <= last else { throw PartialFormatError("an alias observation ends (\(last)) before it starts (\(first))") }
            report.facts.aliasObservations.append(
                AliasObservation(
                    alias: try reader.string(f[0], "aliasObservations"), key: try reader.string(f[1], "aliasObservations"),
                    first: first, last: last))
        }
        for call in try reader.array(root, "aliasUses") { report.facts.aliasUses.append(try reader.deferred(call)) }
        for copy in try reader.array(root, "sharedCopies") {
            var lifecycle: [LifecycleEvent] = []
            for event in try reader.array(copy, "lifecycle") { lifecycle.append(try reader.lifecycle(event)) }
            report.facts.sharedCopies.append(
                SharedCopy(
                    eventID: try reader.string(try reader.member(copy, "eventID"), "eventID"),
                    recipientAccount: try reader.string(try reader.member(copy, "recipientAccount"), "recipientAccount"),
                    callerAccount: try reader.string(try reader.member(copy, "callerAccount"), "callerAccount"),
                    call: try reader.deferred(try reader.member(copy, "call")), lifecycle: lifecycle))
        }
        for change in try reader.array(root, "selectorChanges") {
            let f = try reader.tuple(change, "selectorChanges", count: 7)
            let causeName = try reader.string(f[4], "selectorChanges")
            guard let cause = SelectorChange.Cause(rawValue: causeName) else {
                throw PartialFormatError("\"selectorChanges\": unknown cause \"\(causeName)\"")
            }
            report.facts.selectorChanges.append(
                SelectorChange(
                    time: try reader.time(f[0], "selectorChanges"), trail: try reader.string(f[1], "selectorChanges"),
                    account: try reader.string(f[2], "selectorChanges"), region: try reader.string(f[3], "selectorChanges"),
                    cause: cause, logsReads: try reader.bool(f[5], "selectorChanges"),
                    logsWrites: try reader.bool(f[6], "selectorChanges")))
        }
        for event in try reader.array(root, "lifecycle") { report.facts.lifecycle.append(try reader.lifecycle(event)) }
        for day in try reader.array(root, "deliveredDays") {
            let f = try reader.tuple(day, "deliveredDays", count: 3)
            deliveredDays.insert(
                DeliveredDay(
                    account: try reader.string(f[0], "deliveredDays"), region: try reader.string(f[1], "deliveredDays"),
                    day: try reader.day(f[2], "deliveredDays")))
        }
        for failure in try reader.array(root, "failures") {
            let f = try reader.tuple(failure, "failures", count: 3)
            failures.append(
                FileFailure(
                    path: try reader.string(f[0], "failures"), error: try reader.string(f[1], "failures"),
                    recordsBeforeFailure: try reader.uint64(f[2], "failures")))
        }
        failures = Self.sortedFailures(failures)
    }

    /// Typed access to the parsed document, each miss a `PartialFormatError`.
    private struct Reader {
        func member(_ object: JSONValue, _ name: String) throws(PartialFormatError) -> JSONValue {
            guard case .object = object, let value = object[name] else {
                throw PartialFormatError("missing member \"\(name)\"")
            }
            return value
        }

        func array(_ object: JSONValue, _ name: String) throws(PartialFormatError) -> [JSONValue] {
            guard let array = try member(object, name).array else { throw PartialFormatError("\"\(name)\" is not an array") }
            return array
        }

        func tuple(_ value: JSONValue, _ name: String, count: Int) throws(PartialFormatError) -> [JSONValue] {
            try tuple(value, name, counts: [count])
        }

        func tuple(_ value: JSONValue, _ name: String, counts: [Int]) throws(PartialFormatError) -> [JSONValue] {
            guard let array = value.array, counts.contains(array.count) else {
                throw PartialFormatError("an entry of \"\(name)\" is not an array of \(counts[0]) values")
            }
            return array
        }

        func string(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> String {
            guard let string = value.string else { throw PartialFormatError("\"\(name)\": a string was expected") }
            return string
        }

        func optionalString(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> String? {
            if case .null = value { return nil }
            return try string(value, name)
        }

        func strings(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> [String] {
            guard let array = value.array else { throw PartialFormatError("\"\(name)\" is not an array") }
            var out: [String] = []
            for element in array { out.append(try string(element, name)) }
            return out
        }

        func bool(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Bool {
            guard case .bool(let b) = value else { throw PartialFormatError("\"\(name)\": true or false was expected") }
            return b
        }

        func uint64(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> UInt64 {
            guard case .number(let text) = value, let n = UInt64(text) else {
                throw PartialFormatError("\"\(name)\": a non-negative integer was expected")
            }
            return n
        }

        func int64(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Int64 {
            guard case .number(let text) = value, let n = Int64(text) else {
                throw PartialFormatError("\"\(name)\": an integer was expected")
            }
            return n
        }

        func optionalInt64(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Int64? {
            if case .null = value { return nil }
            return try int64(value, name)
        }

        /// A time in Unix seconds between the years 1 and 9999 (what an
        /// `eventTime` can say); anything else is not a partial this
        /// program wrote, and would overflow day arithmetic.
        func time(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Int64 {
            let t = try int64(value, name)
            guard t >= -62_135_596_800 && t <= 253_402_300_799 else {
                throw PartialFormatError("\"\(name)\": \(t) is not a time between the years 1 and 9999")
            }
            return t
        }

        /// A day number (days since 1970) of the same range as `time`.
        func day(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Int64 {
            let d = try int64(value, name)
            guard d >= -719_162 && d <= 2_932_896 else {
                throw PartialFormatError("\"\(name)\": \(d) is not a day between the years 1 and 9999")
            }
            return d
        }

        func optionalTime(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Int64? {
            if case .null = value { return nil }
            return try time(value, name)
        }

        func int(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Int {
            let n = try int64(value, name)
            guard n >= 0, n <= Int64(Int32.max) else { throw PartialFormatError("\"\(name)\": \(n) is out of range") }
            return Int(n)
        }

        func double(_ value: JSONValue, _ name: String) throws(PartialFormatError) -> Double {
            guard case .number(let text) = value, let n = Double(text), n >= 0, n.isFinite else {
                throw PartialFormatError("\"\(name)\": a non-negative number was expected")
            }
            return n
        }

        func counts(_ f: [JSONValue]) throws(PartialFormatError) -> CallCounts {
            var counts = CallCounts(calls: try uint64(f[0], "calls"), errors: try uint64(f[1], "errors"))
            guard counts.errors <= counts.calls else {
                throw PartialFormatError("a row has more errors (\(counts.errors)) than calls (\(counts.calls))")
            }
            if let first = try optionalTime(f[2], "firstSeen"), let last = try optionalTime(f[3], "lastSeen") {
                counts.firstSeen = first
                counts.lastSeen = last
            }
            return counts
        }

        func rowKey(_ f: [JSONValue]) throws(PartialFormatError) -> UsageReport.RowKey {
            var key = UsageReport.RowKey(key: try string(f[0], "row"), eventName: try string(f[1], "row"))
            key.principal = try string(f[2], "row")
            key.identityType = try string(f[3], "row")
            key.callerAccount = try string(f[4], "row")
            key.region = try string(f[5], "row")
            key.errorCode = try string(f[6], "row")
            key.day = try string(f[7], "row")
            key.via = try string(f[8], "row")
            if f.count > 9 {
                key.role = try string(f[9], "row")
                key.resource = try string(f[10], "row")
            }
            return key
        }

        func deferred(_ value: JSONValue) throws(PartialFormatError) -> DeferredCall {
            let row = try tuple(try member(value, "row"), "row", counts: [11, 9])
            let counts = try tuple(try member(value, "counts"), "counts", count: 4)
            return DeferredCall(
                row: try rowKey(row), keys: try strings(try member(value, "keys"), "keys"),
                time: try optionalTime(try member(value, "time"), "time"), counts: try self.counts(counts))
        }

        func lifecycle(_ value: JSONValue) throws(PartialFormatError) -> LifecycleEvent {
            let f = try tuple(value, "lifecycle", count: 8)
            return LifecycleEvent(
                time: try optionalTime(f[0], "lifecycle"), key: try string(f[1], "lifecycle"),
                eventName: try string(f[2], "lifecycle"), principal: try string(f[3], "lifecycle"),
                callerAccount: try string(f[4], "lifecycle"), errorCode: try string(f[5], "lifecycle"),
                detail: try string(f[6], "lifecycle"), flags: try string(f[7], "lifecycle"))
        }

        func request(_ value: JSONValue) throws(PartialFormatError) -> ReportRequest {
            var request = ReportRequest()
            let reportName = try string(try member(value, "report"), "report")
            guard let kind = ReportKind(rawValue: reportName) else {
                throw PartialFormatError("unknown report \"\(reportName)\"")
            }
            request.report = kind
            request.grouping = []
            for name in try strings(try member(value, "by"), "by") {
                guard let dimension = GroupingDimension(rawValue: name) else {
                    throw PartialFormatError("unknown --by dimension \"\(name)\"")
                }
                request.grouping.append(dimension)
            }
            request.times = try bool(try member(value, "times"), "times")
            request.idleDays = try int(try member(value, "idleDays"), "idleDays")
            request.source = try string(try member(value, "source"), "source")
            request.filter.since = try optionalInt64(try member(value, "since"), "since")
            request.filter.until = try optionalInt64(try member(value, "until"), "until")
            request.filter.accounts = try strings(try member(value, "accounts"), "accounts")
            request.filter.regions = try strings(try member(value, "regions"), "regions")
            request.filter.eventNames = try strings(try member(value, "eventNames"), "eventNames")
            request.filter.principals = try strings(try member(value, "principals"), "principals")
            request.filter.errorsOnly = try bool(try member(value, "errorsOnly"), "errorsOnly")
            let readOnly = try member(value, "readOnly")
            if case .null = readOnly {} else { request.filter.readOnly = try bool(readOnly, "readOnly") }
            request.keyFilter.keys = try strings(try member(value, "keys"), "keys")
            request.keyFilter.crossAccountOnly = try bool(try member(value, "crossAccount"), "crossAccount")
            request.resolvesAliases = try bool(try member(value, "resolveAliases"), "resolveAliases")
            request.foldsDuplicates = try bool(try member(value, "dedup"), "dedup")
            if case .object = value, let detail = value["detail"] { request.detail = try bool(detail, "detail") }
            if case .object = value, let validate = value["validate"] {
                let name = try string(validate, "validate")
                guard let mode = ValidationMode(rawValue: name) else {
                    throw PartialFormatError("unknown validation mode \"\(name)\"")
                }
                request.validation = mode
            }
            if case .object = value, let size = value["maxRecordSize"] {
                guard case .number(let text) = size, let bytes = Int(text), bytes > 0 else {
                    throw PartialFormatError("\"maxRecordSize\": a positive whole number was expected")
                }
                request.maximumRecordBytes = bytes
            }
            return request
        }

        func coverage(_ value: JSONValue) throws(PartialFormatError) -> Coverage {
            var coverage = Coverage()
            coverage.roots = try strings(try member(value, "roots"), "roots")
            let count = try member(value, "shardCount")
            if case .null = count {} else { coverage.shardCount = try int(count, "shardCount") }
            guard let shards = try member(value, "shards").array else { throw PartialFormatError("\"shards\" is not an array") }
            for shard in shards { coverage.shards.append(try int(shard, "shards")) }
            if let n = coverage.shardCount {
                guard n >= 1, !coverage.shards.isEmpty, coverage.shards.allSatisfy({ $0 >= 1 && $0 <= n }) else {
                    throw PartialFormatError("\"coverage\": shard numbers outside 1...\(n)")
                }
            } else if !coverage.shards.isEmpty {
                throw PartialFormatError("\"coverage\": shards without a shard count")
            }
            let filesSeen = try int(try member(value, "filesSeen"), "filesSeen")
            let fingerprint = try string(try member(value, "filesFingerprint"), "filesFingerprint")
            guard let hash = UInt64(fingerprint, radix: 16) else {
                throw PartialFormatError("\"filesFingerprint\" is not hexadecimal")
            }
            let trail = try string(try member(value, "trailFingerprint"), "trailFingerprint")
            guard let trailHash = UInt64(trail, radix: 16) else {
                throw PartialFormatError("\"trailFingerprint\" is not hexadecimal")
            }
            coverage.trailFingerprint = trailHash
            for hash in try strings(try member(value, "files"), "files") {
                guard let value = UInt64(hash, radix: 16) else { throw PartialFormatError("\"files\": not hexadecimal") }
                coverage.fileHashes.append(value)
            }
            coverage.fileHashes.sort()
            guard coverage.filesSeen == filesSeen, coverage.filesFingerprint == hash
            else { throw PartialFormatError("\"coverage\": the file list does not match its count and fingerprint") }
            return coverage
        }

        func summary(_ value: JSONValue) throws(PartialFormatError) -> ScanSummary {
            var s = ScanSummary()
            s.files = try int(try member(value, "files"), "files")
            s.filesSkipped = try int(try member(value, "filesSkipped"), "filesSkipped")
            s.filesFailed = try int(try member(value, "filesFailed"), "filesFailed")
            s.records = try uint64(try member(value, "records"), "records")
            s.kmsRecords = try uint64(try member(value, "kmsRecords"), "kmsRecords")
            s.recordsInFailedFiles = try uint64(try member(value, "recordsInFailedFiles"), "recordsInFailedFiles")
            s.bytesCompressed = try uint64(try member(value, "bytesCompressed"), "bytesCompressed")
            s.bytesUncompressed = try uint64(try member(value, "bytesUncompressed"), "bytesUncompressed")
            s.seconds = try double(try member(value, "seconds"), "seconds")
            s.cpuSeconds = try double(try member(value, "cpuSeconds"), "cpuSeconds")
            s.inflater = try string(try member(value, "inflater"), "inflater")
            s.jobs = try int(try member(value, "jobs"), "jobs")
            // Absent in a partial that folded no duplicate delivery.
            if let folded = value["deliveryCopiesFolded"] {
                guard case .object(let trails) = folded else {
                    throw PartialFormatError("\"deliveryCopiesFolded\" is not an object")
                }
                for (trail, count) in trails {
                    s.deliveryCopiesFolded[trail, default: 0] &+= try uint64(count, "deliveryCopiesFolded")
                }
            }
            return s
        }
    }
}
