// The audit options of `trailscan scan` (issue #5; the rules are in
// docs/audit.md): what to report, how to group it, and which records count.

import ArgumentParser
import Foundation
import TrailScanCore

extension ReportKind: ExpressibleByArgument {}

struct AuditOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "What to report: usage (calls and errors, grouped by --by), idle (keys with no cryptographic use in the last --idle-days days; --inventory adds keys with no event), lifecycle (keys created, deleted, disabled, enabled; policy, grant, rotation, key material, alias and replica changes; failed attempts too, with detail and flags), aliases (alias-to-key intervals and unresolved aliases), blind-spots (windows in which a trail excluded KMS events), gaps (days with no log file).",
        valueName: "report"))
    var report: ReportKind = .usage

    @Option(help: ArgumentHelp(
        "Group usage rows by these dimensions, comma-separated: \(GroupingDimension.allCases.map(\.rawValue).joined(separator: ", ")) (default key,event). via: the service that called for the principal; role: the role whose session called; resource: what the call's encryption context names (an S3 object or bucket, a table, a volume...).",
        valueName: "dims"),
        completion: .custom { _, _, prefix in AuditOptions.dimensionCompletions(prefix) })
    var by: [String] = []

    @Flag(help: "Add first_seen and last_seen (from eventTime) to every usage row.")
    var times = false

    @Option(
        name: .customLong("idle-days"),
        help: "With --report idle: a key is idle when it had no cryptographic call in this many days before the latest event of the scan (default 90).")
    var idleDaysOption: Int?

    var idleDays: Int { idleDaysOption ?? 90 }
    var idleDaysGiven: Bool { idleDaysOption != nil }

    @Flag(name: .customLong("no-resolve-aliases"), help: "Keep calls that name an alias under the alias ARN instead of the key it pointed to at the time.")
    var keepAliases = false

    @Flag(name: .customLong("no-dedup"), help: "Count both copies of a cross-account call (one in each account's trail) instead of folding them into one.")
    var keepDuplicates = false

    @Option(help: ArgumentHelp("Count the records of this event source instead of KMS (rows by event name, no key).", valueName: "source"))
    var source = "kms.amazonaws.com"

    @Option(help: ArgumentHelp("Only records at or after this time (eventTime; ISO 8601 UTC or YYYY-MM-DD). Day folders before it are not read.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only records before this time (eventTime; ISO 8601 UTC or YYYY-MM-DD).", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Only records of these accounts (recipientAccountId; comma-separated or repeated). Other account folders are not read.", valueName: "id"))
    var account: [String] = []

    @Option(help: ArgumentHelp("Only records of these regions (awsRegion). Other region folders are not read.", valueName: "region"))
    var region: [String] = []

    @Option(help: ArgumentHelp("Only these event names.", valueName: "name"))
    var eventName: [String] = []

    @Option(help: ArgumentHelp("Only these keys: key ARNs, key ids, or aliases (alias/x or alias ARNs: the keys they pointed to).", valueName: "key"))
    var key: [String] = []

    @Option(help: ArgumentHelp("Only calls by these principals (as reported by --by principal).", valueName: "principal"))
    var principal: [String] = []

    @Flag(help: "Only failed calls (errorCode set).")
    var errorsOnly = false

    @Flag(inversion: .prefixedNo, help: "Only read-only calls (readOnly true), or with --no-read-only only the others.")
    var readOnly: Bool?

    @Flag(help: "Only calls whose caller account differs from the key's owner account.")
    var crossAccount = false

    /// Shell completions for `--by`, a comma list: `prefix` up to its last
    /// comma, followed by each dimension not yet in it that starts like the
    /// rest (`key,e` gives `key,event` and `key,error-code`).
    static func dimensionCompletions(_ prefix: String) -> [String] {
        let head = prefix.lastIndex(of: ",").map { prefix[...$0] } ?? ""
        let partial = prefix.dropFirst(head.count)
        let taken = Set(head.split(separator: ",").map(String.init))
        return GroupingDimension.allCases.map(\.rawValue)
            .filter { !taken.contains($0) && $0.hasPrefix(partial) }
            .map { head + $0 }
    }

    @Flag(help: "Also keep rows by day and error code, for the HTML report's charts (set by --format html; give it with --format partial for parts that `trailscan merge -f html` reads). Other formats print the same with or without it.")
    var htmlDetail = false

    /// The `--by` dimensions.
    func dimensions() throws -> [GroupingDimension] {
        guard !by.isEmpty else { return GroupingDimension.defaultGrouping }
        var dimensions: [GroupingDimension] = []
        // `--by key --by event` is `--by key,event`.
        for name in by.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: true) }) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let dimension = GroupingDimension(rawValue: trimmed) else {
                throw ValidationError(
                    "--by: unknown dimension '\(trimmed)' (one of: \(GroupingDimension.allCases.map(\.rawValue).joined(separator: ", "))).")
            }
            if !dimensions.contains(dimension) { dimensions.append(dimension) }
        }
        guard !dimensions.isEmpty else { throw ValidationError("--by needs at least one dimension.") }
        return dimensions
    }

    func validate() throws {
        _ = try dimensions()
        _ = try request()
        if idleDays < 0 { throw ValidationError("--idle-days must be 0 or more.") }
        // An option that would change nothing is a mistake to point out.
        if idleDaysGiven && report != .idle {
            throw ValidationError("--idle-days applies to --report idle only (this is --report \(report.rawValue)).")
        }
        if times && report != .usage {
            throw ValidationError("--times applies to --report usage only (this is --report \(report.rawValue)).")
        }
        if !by.isEmpty && report != .usage {
            throw ValidationError("--by applies to --report usage only (this is --report \(report.rawValue)).")
        }
        if source.isEmpty { throw ValidationError("--source must not be empty.") }
    }

    /// The report request these options ask for.
    func request() throws -> ReportRequest {
        var request = ReportRequest()
        request.report = report
        request.grouping = try dimensions()
        request.times = times
        request.idleDays = idleDays
        request.source = source
        request.resolvesAliases = !keepAliases
        request.foldsDuplicates = !keepDuplicates
        request.filter.since = try since.map { try Self.time($0, option: "--since") }
        request.filter.until = try until.map { try Self.time($0, option: "--until") }
        if let since = request.filter.since, let until = request.filter.until, since >= until {
            throw ValidationError("--since must be before --until.")
        }
        request.filter.accounts = Self.list(account)
        request.filter.regions = Self.list(region)
        request.filter.eventNames = Self.list(eventName)
        request.filter.principals = Self.list(principal)
        request.filter.errorsOnly = errorsOnly
        request.filter.readOnly = readOnly
        request.keyFilter.keys = Self.list(key)
        request.keyFilter.crossAccountOnly = crossAccount
        request.detail = htmlDetail
        return request
    }

    static func time(_ text: String, option: String) throws -> Int64 {
        guard let time = UTCTime.parse(text, allowDateOnly: true) else {
            throw ValidationError("\(option): '\(text)' is not a UTC time (2026-10-01T12:00:00Z) or date (2026-10-01).")
        }
        return time
    }

    /// Values given repeated and/or comma-separated.
    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}
