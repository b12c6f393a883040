// The audit options of `trailscan scan` (docs/audit.md) against the
// independent Python reference scripts/peers/kms_audit.py: both run on the
// same trail with the same options and must print the same CSV. Inputs are
// generated trails, the real samples in ../shared/samples/cloudtrail (when
// present) and a hand-built trail aimed at each rule, on which a few values
// are also checked literally, so the tests do not only compare two
// implementations.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanGenerator
import TrailScanIO
import TrailScanWriter

@Suite struct AuditReferenceTests {
    static let python = CLITests.python
    static let script = repositoryRoot.appendingPathComponent("scripts/peers/kms_audit.py").path
    static let samples = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/cloudtrail")

    // MARK: running both sides

    static func reference(_ paths: [String], _ options: [String]) throws -> CommandResult {
        try runProcess(python!, [script] + paths + options + ["--quiet"])
    }

    /// The reference on many option sets in one process (`--batch`: each
    /// file is parsed once).
    static func referenceBatch(_ paths: [String], _ matrix: [[String]]) throws -> [CommandResult] {
        let input = try JSONSerialization.data(withJSONObject: matrix.map { paths + $0 + ["--quiet"] })
        let result = try runProcess(python!, [script, "--batch"], stdin: input)
        guard result.status == 0,
              let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]],
              list.count == matrix.count
        else {
            Issue.record("kms_audit.py --batch failed: \(result.stderr)")
            return []
        }
        return list.map {
            CommandResult(status: Int32($0["status"] as! Int), stdout: $0["stdout"] as! String,
                          stderr: $0["stderr"] as! String)
        }
    }

    static func trailscan(_ paths: [String], _ options: [String]) throws -> CommandResult {
        try TrailscanBinary.run(["scan"] + paths + ["--format", "csv", "--quiet"] + options)
    }

    /// The first lines where two CSV outputs differ (nil when equal), short
    /// enough for a test failure message.
    static func difference(_ ours: String, _ theirs: String) -> String? {
        if ours == theirs { return nil }
        let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
        let b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
        let onlyOurs = Set(a).subtracting(b).sorted().prefix(6)
        let onlyTheirs = Set(b).subtracting(a).sorted().prefix(6)
        var text = "trailscan \(a.count) lines, reference \(b.count) lines"
        if onlyOurs.isEmpty && onlyTheirs.isEmpty { text += "; same lines, different order" }
        for line in onlyOurs { text += "\n  trailscan only: \(line)" }
        for line in onlyTheirs { text += "\n  reference only: \(line)" }
        return text
    }

    /// Runs every option set on both sides and expects equal stdout.
    static func compareAll(_ paths: [String], _ matrix: [[String]], label: String) throws {
        let references = try referenceBatch(paths, matrix)
        for (options, theirs) in zip(matrix, references) {
            #expect(theirs.status == 0, "reference \(options): \(theirs.stderr)")
            let ours = try trailscan(paths, options)
            #expect(ours.status == 0, "trailscan \(label) \(options): \(ours.stderr)")
            let diff = difference(ours.stdout, theirs.stdout)
            #expect(diff == nil, "\(label) \(options.joined(separator: " ")): \(diff ?? "")")
        }
    }

    /// TRAILSCAN_AUDIT_KEEP=DIR keeps a copy of the trail in DIR+suffix (to
    /// rerun a failing option set by hand).
    static func keep(_ trail: TemporaryFolder, as suffix: String) throws {
        guard let keep = ProcessInfo.processInfo.environment["TRAILSCAN_AUDIT_KEEP"], !keep.isEmpty else { return }
        try? FileManager.default.removeItem(atPath: keep + suffix)
        try FileManager.default.copyItem(atPath: trail.path, toPath: keep + suffix)
    }

    // MARK: option sets

    /// Parses RFC 4180 CSV (enough for the reference's own output).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Data rows (no header) of the reference's CSV for `options`.
    static func referenceRows(_ paths: [String], _ options: [String]) throws -> [[String]] {
        Array(parseCSV(try reference(paths, options).stdout).dropFirst())
    }

    /// Option sets run on every input.
    static let baseMatrix: [[String]] = [
        [],
        ["--no-resolve-aliases", "--no-dedup"],
        ["--no-resolve-aliases"],
        ["--no-dedup"],
        ["--by", "key,principal"],
        ["--by", "principal,identity-type"],
        ["--by", "key,event,error-code", "--errors-only"],
        ["--by", "key,caller-account", "--cross-account"],
        ["--by", "key", "--cross-account", "--no-dedup"],
        ["--by", "owner-account,caller-account,region,day"],
        ["--by", "key,event", "--times"],
        ["--by", "event"],
        ["--by", "day,error-code", "--times", "--no-dedup"],
        ["--by", "key,role,resource"],
        ["--by", "role,via", "--times"],
        ["--by", "resource,principal", "--no-dedup"],
        ["--by", "key,resource-service", "--times"],
        ["--errors-only"],
        ["--read-only"],
        ["--no-read-only"],
        ["--report", "idle", "--idle-days", "30"],
        ["--report", "idle"],
        ["--report", "idle", "--idle-days", "1"],
        ["--report", "lifecycle"],
        ["--report", "aliases"],
        ["--report", "blind-spots"],
        ["--report", "gaps"],
        ["--source", "s3.amazonaws.com", "--by", "event"],
        ["--source", "cloudtrail.amazonaws.com", "--by", "event,principal"],
    ]

    /// The option matrix, with dates, accounts, keys, aliases and
    /// principals taken from the trail itself (through the reference), so
    /// every filter selects something.
    static func matrix(for paths: [String]) throws -> [[String]] {
        let probes: [[String]] = [
            ["--by", "day"], ["--by", "caller-account"], ["--by", "region"], ["--by", "principal"], ["--by", "key"],
            ["--report", "aliases"],
        ]
        var found: [String: [[String]]] = [:]
        for (probe, result) in zip(probes, try referenceBatch(paths, probes)) {
            found[probe.joined(separator: " ")] = Array(parseCSV(result.stdout).dropFirst())
        }
        func referenceRows(_ paths: [String], _ probe: [String]) throws -> [[String]] {
            found[probe.joined(separator: " ")] ?? []
        }
        var m = baseMatrix
        let days = try referenceRows(paths, ["--by", "day"]).map { $0[0] }.filter { !$0.isEmpty }
        if !days.isEmpty {
            let middle = days[days.count / 2]
            m.append(["--since", middle])
            m.append(["--until", middle])
            m.append(["--since", days[0] + "T12:00:00Z", "--until", middle + "T06:30:00Z"])
            m.append(["--since", middle, "--report", "aliases"])
            m.append(["--since", middle, "--report", "gaps"])
        }
        let accounts = try referenceRows(paths, ["--by", "caller-account"]).map { $0[0] }.filter { !$0.isEmpty }
        if let first = accounts.first {
            m.append(["--account", first])
            m.append(["--account", accounts.suffix(2).joined(separator: ","), "--by", "key,caller-account"])
        }
        let regions = try referenceRows(paths, ["--by", "region"]).map { $0[0] }.filter { !$0.isEmpty }
        if regions.count >= 2 {
            m.append(["--region", regions[0], "--region", regions[1], "--by", "region,event"])
        }
        m.append(["--event-name", "Decrypt,Encrypt", "--by", "key,event,principal"])
        let principals = try referenceRows(paths, ["--by", "principal"]).filter { !$0[0].isEmpty }
        if let busiest = principals.max(by: { Int($0[1])! < Int($1[1])! }) {
            m.append(["--principal", busiest[0]])
        }
        let keys = try referenceRows(paths, ["--by", "key"]).map { $0[0] }.filter { $0.contains(":key/") }
        if let key = keys.first {
            m.append(["--key", key])
            m.append(["--key", String(key.split(separator: "/", maxSplits: 1).last!), "--by", "key,event"])
        }
        let aliases = try referenceRows(paths, ["--report", "aliases"]).filter { !$0[1].isEmpty }
        if let alias = aliases.first {
            let arn = alias[0]
            let name = "alias/" + arn.components(separatedBy: ":alias/").last!
            m.append(["--key", name, "--by", "key,event"])
            m.append(["--key", arn, "--by", "key"])
            m.append(["--key", name, "--no-resolve-aliases", "--by", "key"])
            m.append(["--key", name, "--report", "lifecycle"])
        }
        return m
    }

    // MARK: generated trails

    @Test(
        .enabled(if: python != nil, "python3 is not installed"),
        arguments: [
            (UInt64(7), TrailGenerator.JSONStyle.compact),
            (UInt64(11), TrailGenerator.JSONStyle.adversarial),
        ])
    func generatedTrailsAgree(seed: UInt64, style: TrailGenerator.JSONStyle) throws {
        let trail = try CLITests.makeTrail(bytes: 3 << 19, seed: seed, style: style)
        try Self.keep(trail, as: "-seed\(seed)")
        let paths = [trail.path]
        // The generator emits what the audit rules are about.
        let events = Set(try Self.referenceRows(paths, ["--by", "event"]).map { $0[0] })
        for name in ["CreateAlias", "UpdateAlias", "DeleteAlias", "Decrypt"] {
            #expect(events.contains(name), "seed \(seed): no \(name)")
        }
        let trailEvents = Set(
            try Self.referenceRows(paths, ["--source", "cloudtrail.amazonaws.com", "--by", "event"]).map { $0[0] })
        #expect(trailEvents.contains("PutEventSelectors"), "seed \(seed): no PutEventSelectors")
        let deduped = try Self.reference(paths, ["--by", "key"]).stdout
        let counted = try Self.reference(paths, ["--by", "key", "--no-dedup"]).stdout
        #expect(deduped != counted, "seed \(seed): no cross-account copies folded")
        try Self.compareAll(paths, try Self.matrix(for: paths), label: "seed \(seed) \(style)")
    }

    // MARK: real samples

    @Test(
        .enabled(if: python != nil, "python3 is not installed"),
        .enabled(if: FileManager.default.fileExists(atPath: samples.path), "../shared/samples/cloudtrail is absent"))
    func realSamplesAgree() throws {
        let paths = [Self.samples.path]
        try Self.compareAll(paths, try Self.matrix(for: paths), label: "samples")
    }

    // MARK: hand-built trail

    static let owner = "111122223333"
    static let caller = "444455556666"
    static let k1 = "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111"
    static let k2 = "arn:aws:kms:us-east-1:111122223333:key/22222222-2222-2222-2222-222222222222"
    static let k3 = "arn:aws:kms:us-east-1:111122223333:key/33333333-3333-3333-3333-333333333333"
    static let k4 = "arn:aws:kms:eu-west-1:111122223333:key/mrk-44444444444444444444444444444444"
    static let k5 = "arn:aws:kms:us-east-1:111122223333:key/55555555-5555-5555-5555-555555555555"
    static let appAlias = "arn:aws:kms:us-east-1:111122223333:alias/app"
    static let tieAlias = "arn:aws:kms:us-east-1:111122223333:alias/tie"
    static let tie2Alias = "arn:aws:kms:us-east-1:111122223333:alias/tie2"
    static var alice: [String: Any] { [
        "type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": owner, "userName": "alice",
    ] }
    static var reader: [String: Any] { [
        "type": "AssumedRole", "arn": "arn:aws:sts::444455556666:assumed-role/reader/s1", "accountId": caller,
    ] }

    /// One record; `nil` values are left out.
    static func record(
        _ name: String, source: String = "kms.amazonaws.com", time: String?, account: String = owner,
        region: String = "us-east-1", identity: [String: Any]? = alice, request: [String: Any]? = nil,
        resources: [String]? = nil, error: String? = nil, readOnly: Any? = nil, shared: String? = nil
    ) -> [String: Any] {
        var r: [String: Any] = [
            "eventVersion": "1.08", "eventSource": source, "eventName": name, "awsRegion": region,
            "recipientAccountId": account, "eventID": UUID().uuidString,
        ]
        if let time { r["eventTime"] = time }
        if let identity { r["userIdentity"] = identity }
        if let request { r["requestParameters"] = request }
        if let resources {
            r["resources"] = resources.map { ["accountId": owner, "type": "AWS::KMS::Key", "ARN": $0] }
        }
        if let error { r["errorCode"] = error; r["errorMessage"] = "denied" }
        if let readOnly { r["readOnly"] = readOnly }
        if let shared { r["sharedEventID"] = shared }
        return r
    }

    static func selectors(_ trail: String, time: String, basic: [[String: Any]]? = nil,
                          advanced: [[String: Any]]? = nil, error: String? = nil) -> [String: Any] {
        var request: [String: Any] = ["trailName": trail]
        if let basic { request["eventSelectors"] = basic }
        if let advanced { request["advancedEventSelectors"] = advanced }
        return record("PutEventSelectors", source: "cloudtrail.amazonaws.com", time: time, request: request, error: error)
    }

    static func write(_ folder: TemporaryFolder, account: String, region: String = "us-east-1", day: String,
                      stamp: String, _ records: [[String: Any]]) throws {
        let parts = day.split(separator: "-")
        let path = "AWSLogs/\(account)/CloudTrail/\(region)/\(parts[0])/\(parts[1])/\(parts[2])/"
            + "\(account)_CloudTrail_\(region)_\(stamp)_x.json.gz"
        let json = try JSONSerialization.data(withJSONObject: ["Records": records], options: [.sortedKeys])
        try folder.write(path, try Gzip.compress(Array(json)))
    }

    /// The hand-built trail (see the comments for what each record is for).
    static func handBuiltTrail() throws -> TemporaryFolder {
        let f = try TemporaryFolder()
        let app = ["keyId": "alias/app"]
        let id2 = "22222222-2222-2222-2222-222222222222"
        let basicIncludingKMS: [[String: Any]] = [
            ["readWriteType": "All", "includeManagementEvents": true, "excludeManagementEventSources": []]
        ]
        // us-east-1 of the owner: days 01, 02, 04, 05, 08 (gaps 03 and 06-07).
        try write(f, account: owner, day: "2026-10-01", stamp: "20261001T1205Z", [
            // Newest first: resolution must not depend on record order.
            record("Encrypt", time: "2026-10-01T12:00:00Z", request: app),  // -> k1
            record("CreateAlias", time: "2026-10-01T10:00:00Z",
                   request: ["aliasName": "alias/app", "targetKeyId": "11111111-1111-1111-1111-111111111111"],
                   resources: [appAlias, k1]),
            record("GenerateDataKey", time: "2026-10-01T08:00:00Z", request: app),  // before Create: unresolved
        ])
        try write(f, account: owner, day: "2026-10-02", stamp: "20261002T1505Z", [
            record("Encrypt", time: "2026-10-02T12:00:00Z", request: app, readOnly: true),  // same second as Update: k2
            record("Encrypt", time: "2026-10-02T11:59:59.500Z", request: app, readOnly: true),  // just before: k1
            selectors("main", time: "2026-10-02T06:00:00Z", basic: basicIncludingKMS),
            selectors("main", time: "2026-10-02T00:00:00Z", basic: [
                ["readWriteType": "All", "includeManagementEvents": true,
                 "excludeManagementEventSources": ["kms.amazonaws.com"]]
            ]),
            // The key owner's copy of a cross-account call (folded: the
            // caller's copy, with the caller's whole identity, is kept).
            record("Decrypt", time: "2026-10-02T09:00:00Z",
                   identity: ["type": "AWSAccount", "principalId": "AROAEXAMPLE:s1", "accountId": caller],
                   resources: [k1], readOnly: true, shared: "shared-1"),
            // Same-account records sharing an ID: not folded.
            record("GenerateMac", time: "2026-10-02T10:00:00Z", resources: [k2], shared: "shared-2"),
            record("GenerateMac", time: "2026-10-02T10:00:00Z", resources: [k2], shared: "shared-2"),
            // Internal operations.
            record("RotateKey", time: "2026-10-02T03:00:00Z",
                   identity: ["type": "AWSService", "accountId": owner, "invokedBy": "AWS Internal"], resources: [k1]),
            record("Decrypt", time: "2026-10-02T14:00:00Z",
                   identity: ["type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/app/x",
                              "accountId": owner, "invokedBy": "dynamodb.amazonaws.com"],
                   resources: [k2], readOnly: "true"),
        ])
        try write(f, account: owner, region: "eu-west-1", day: "2026-10-02", stamp: "20261002T1805Z", [
            record("Encrypt", time: "2026-10-02T18:00:00Z", region: "eu-west-1", resources: [k4], readOnly: false)
        ])
        // The caller's account: days 02 and 04 (gap 03).
        try write(f, account: caller, day: "2026-10-02", stamp: "20261002T1605Z", [
            // The caller's copy of the cross-account call (folded).
            record("Decrypt", time: "2026-10-02T09:00:00Z", account: caller, identity: reader,
                   resources: [k1], readOnly: true, shared: "shared-1"),
            // Denied cross-account call: logged in the caller's account only.
            record("Decrypt", time: "2026-10-02T15:00:00Z", account: caller, identity: reader,
                   request: ["keyId": k2], error: "AccessDenied", readOnly: true),
            record("GetObject", source: "s3.amazonaws.com", time: "2026-10-02T15:30:00Z", account: caller, identity: reader),
        ])
        try write(f, account: owner, day: "2026-10-04", stamp: "20261004T2305Z", [
            record("GenerateDataKey", time: "2026-10-04 09:00:00.123", request: app),  // k2
            record("ScheduleKeyDeletion", time: "2026-10-04T10:00:00Z", resources: [k3]),
            record("CancelKeyDeletion", time: "2026-10-04T11:00:00Z", resources: [k3]),
            record("DisableKey", time: "2026-10-04T12:00:00Z", resources: [k3], error: "AccessDeniedException"),
            selectors("data", time: "2026-10-04T00:00:00Z", basic: [
                ["readWriteType": "All", "includeManagementEvents": false]
            ]),
            selectors("data", time: "2026-10-04T01:00:00Z", advanced: [
                ["name": "mgmt", "fieldSelectors": [["field": "eventCategory", "equals": ["Management"]]]]
            ]),
            selectors("adv", time: "2026-10-04T02:00:00Z", advanced: [
                ["name": "kms", "fieldSelectors": [
                    ["field": "eventCategory", "equals": ["Management"]],
                    ["field": "eventSource", "startsWith": ["kms."]],
                ]]
            ]),
            record("Encrypt", time: "2026-10-04T03:00:00Z", request: ["keyId": id2], readOnly: "true"),  // k2
            record("Encrypt", time: nil, request: app),  // no time: unresolved
            // Same-second changes: Delete after Create.
            record("DeleteAlias", time: "2026-10-04T05:00:00Z", request: ["aliasName": "alias/tie"],
                   resources: [tieAlias, k1]),
            record("CreateAlias", time: "2026-10-04T05:00:00Z",
                   request: ["aliasName": "alias/tie", "targetKeyId": k1], resources: [tieAlias, k1]),
            record("Sign", time: "2026-10-04T05:00:00Z", request: ["keyId": "alias/tie"]),  // unresolved
            // Same-second mappings: by target in byte order (k2 last).
            record("UpdateAlias", time: "2026-10-04T06:00:00Z",
                   request: ["aliasName": "alias/tie2", "targetKeyId": k2], resources: [tie2Alias, k2]),
            record("CreateAlias", time: "2026-10-04T06:00:00Z",
                   request: ["aliasName": "alias/tie2", "targetKeyId": k1], resources: [tie2Alias, k1]),
            record("Verify", time: "2026-10-04T06:00:00Z", request: ["keyId": "alias/tie2"]),  // k2
        ])
        try write(f, account: caller, day: "2026-10-04", stamp: "20261004T0905Z", [
            record("Decrypt", time: "2026-10-04T08:00:00Z", account: caller,
                   identity: ["type": "FederatedUser", "arn": "arn:aws:sts::444455556666:federated-user/bob",
                              "accountId": caller],
                   resources: [k1], readOnly: true)
        ])
        // A late delivery: holds the UpdateAlias of 10-02.
        try write(f, account: owner, day: "2026-10-05", stamp: "20261005T0905Z", [
            record("UpdateAlias", time: "2026-10-02T12:00:00Z",
                   request: ["aliasName": "alias/app", "targetKeyId": id2], resources: [appAlias, k2]),
            record("DeleteAlias", time: "2026-10-05T00:00:00Z", request: ["aliasName": "alias/app"],
                   resources: [appAlias, k2]),
            selectors("arn:aws:cloudtrail:us-east-1:111122223333:trail/org", time: "2026-10-05T00:00:00Z", advanced: [
                ["name": "no-kms", "fieldSelectors": [
                    ["field": "eventCategory", "equals": ["Management"]],
                    ["field": "eventSource", "notEquals": ["kms.amazonaws.com"]],
                ]]
            ]),
            selectors("org", time: "2026-10-05T01:00:00Z", basic: basicIncludingKMS, error: "TrailNotFoundException"),
            record("GenerateDataKey", time: "2026-10-05T06:00:00Z", request: app),  // after Delete: unresolved
            record("PutKeyPolicy", time: "2026-10-05T07:00:00Z", resources: [k1]),
            record("EnableKey", time: "2026-10-05T08:00:00Z", resources: [k3]),
        ])
        try write(f, account: owner, day: "2026-10-08", stamp: "20261008T0105Z", [
            // KMS deleting the key itself: no userIdentity.type.
            record("DeleteKey", time: "2026-10-08T00:00:00Z", identity: ["accountId": owner], resources: [k3]),
            record("Decrypt", time: "2026-10-08T00:30:00Z",
                   identity: ["type": "Root", "arn": "arn:aws:iam::111122223333:root", "accountId": owner],
                   resources: [k1], readOnly: true),
            record("Decrypt", time: "2026-10-07T23:59:59Z", resources: [k1], error: "InvalidCiphertextException",
                   readOnly: true),
        ])
        // Written by hand: names with JSON escapes (decoded before any
        // comparison), an alias and a key naming the same key in one record,
        // and a time without its Z (no time).
        let escaped = #"""
            {"Records":[
            {"eventSource":"kms.amazonaws.com","eventName":"\u0043reateAlias","eventTime":"2026-10-05T02:00:00Z",
             "awsRegion":"us-east-1","recipientAccountId":"111122223333",
             "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user\/alice","accountId":"111122223333"},
             "requestParameters":{"aliasName":"alias\/esc","targetKeyId":"55555555-5555-5555-5555-555555555555"}},
            {"eventSource":"kms.amazonaws.com","eventName":"Encrypt","eventTime":"2026-10-05T03:00:00Z",
             "awsRegion":"us-east-1","recipientAccountId":"111122223333",
             "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},
             "requestParameters":{"keyId":"alias/esc"}},
            {"eventSource":"kms.amazonaws.com","eventName":"\u0044isableKey","eventTime":"2026-10-05T04:00:00Z",
             "awsRegion":"us-east-1","recipientAccountId":"111122223333",
             "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},
             "resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/55555555-5555-5555-5555-555555555555"}]},
            {"eventSource":"kms.amazonaws.com","eventName":"GenerateDataKey","eventTime":"2026-10-05T04:30:00.5",
             "awsRegion":"us-east-1","recipientAccountId":"111122223333",
             "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},
             "resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/55555555-5555-5555-5555-555555555555"}]},
            {"eventSource":"kms.amazonaws.com","eventName":"ReEncrypt","eventTime":"2026-10-03T00:00:00Z",
             "awsRegion":"us-east-1","recipientAccountId":"111122223333",
             "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},
             "requestParameters":{"sourceKeyId":"alias/app",
               "destinationKeyId":"arn:aws:kms:us-east-1:111122223333:key/22222222-2222-2222-2222-222222222222"}}
            ]}
            """#
        try f.write(
            "AWSLogs/\(owner)/CloudTrail/us-east-1/2026/10/05/\(owner)_CloudTrail_us-east-1_20261005T0505Z_y.json.gz",
            try Gzip.compress(Array(escaped.utf8)))
        // A digest folder is never read.
        try f.write(
            "AWSLogs/\(owner)/CloudTrail-Digest/us-east-1/2026/10/03/d.json.gz",
            try Gzip.compress(Array(
                try JSONSerialization.data(withJSONObject: ["Records": [
                    record("DisableKey", time: "2026-10-03T00:00:00Z", resources: [k3])
                ]])))
        )
        return f
    }

    // MARK: edge cases (compared with the reference only)

    /// A KMS record of account A (111122223333) in us-east-1 with an IAM user
    /// identity; `fields` are set over it (`NSNull()` removes one).
    static func edge(_ name: String, _ time: String?, _ fields: [String: Any] = [:]) -> [String: Any] {
        var r: [String: Any] = [
            "eventSource": "kms.amazonaws.com", "eventName": name, "awsRegion": "us-east-1",
            "recipientAccountId": owner,
            "userIdentity": ["type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/u", "accountId": owner],
        ]
        if let time { r["eventTime"] = time }
        for (field, value) in fields {
            if value is NSNull { r[field] = nil } else { r[field] = value }
        }
        return r
    }

    static func edgeKey(_ id: String, account: String = owner, region: String = "us-east-1") -> String {
        "arn:aws:kms:\(region):\(account):key/\(id)"
    }

    static func edgeResources(_ arns: String...) -> [[String: String]] { arns.map { ["ARN": $0] } }

    /// Records at the edges of the rules: time forms, identity types,
    /// readOnly and errorCode values, copies of one call in three accounts,
    /// alias changes without a time, target or success, an alias and its key
    /// in one record, pruned folders, a late copy, lifecycle calls without a
    /// key or in a folded copy.
    static func edgeTrail() throws -> TemporaryFolder {
        let f = try TemporaryFolder()
        let c = "777788889999"
        let byB: [String: Any] = ["type": "AWSAccount", "accountId": caller]
        let roleB: [String: Any] = [
            "type": "AssumedRole", "arn": "arn:aws:sts::444455556666:assumed-role/r/s", "accountId": caller,
        ]
        var a: [[String: Any]] = []
        let times = [
            "2026-10-01T12:00:00.123456Z", "2026-10-01 12:00:01", "2026-02-30T00:00:00Z", "2026-10-01T24:00:00Z",
            "2026-10-01T12:00:60Z", "2026-10-01t12:00:00z", "2026-10-01T12:00:00+00:00", "2026-10-01T12:00Z",
            "2026-10-01T12:00:03.Z", "20261001T120000Z", " 2026-10-01T12:00:04Z", "2026-10-01T12:00:05.5",
        ]
        for (i, time) in times.enumerated() {
            a.append(edge("Encrypt", time, ["resources": edgeResources(edgeKey("t\(i)"))]))
        }
        a.append(edge("Encrypt", nil, ["eventTime": 12345, "resources": edgeResources(edgeKey("tnum"))]))
        for type in ["SAMLUser", "WebIdentityUser", "FederatedUser", "Foo", "", "Root", "AWSService"] {
            a.append(edge("Decrypt", "2026-10-01T13:00:00Z", [
                "userIdentity": ["type": type, "accountId": owner], "resources": edgeResources(edgeKey("id")),
            ]))
        }
        a.append(edge("DeleteKey", "2026-10-01T13:00:00Z", ["userIdentity": NSNull(), "resources": edgeResources(edgeKey("del"))]))
        a.append(edge("DeleteKey", "2026-10-01T13:00:00Z", [
            "userIdentity": ["type": NSNull()], "resources": edgeResources(edgeKey("del2")),
        ]))
        a.append(edge("DeleteKey", "2026-10-01T13:00:00Z", [
            "userIdentity": "not an object", "resources": edgeResources(edgeKey("del3")),
        ]))
        a.append(edge("SynchronizeMultiRegionKey", "2026-10-01T13:00:00Z", [
            "userIdentity": ["accountId": owner, "invokedBy": "kms.amazonaws.com"],
            "resources": edgeResources(edgeKey("mrk-1")),
        ]))
        a.append(edge("Decrypt", "2026-10-01T13:00:00Z", [
            "userIdentity": ["type": "AssumedRole", "invokedBy": "", "arn": "", "accountId": ""],
            "resources": edgeResources(edgeKey("empty")),
        ]))
        for readOnly: Any in [true, false, "true", "false", "TRUE", 1, NSNull(), "yes"] {
            a.append(edge("GetKeyPolicy", "2026-10-01T14:00:00Z", [
                "readOnly": readOnly, "resources": edgeResources(edgeKey("ro")),
            ]))
        }
        for code: Any in ["", NSNull(), 5, "X"] {
            a.append(edge("Sign", "2026-10-01T14:00:00Z", ["errorCode": code, "resources": edgeResources(edgeKey("ec"))]))
        }
        a.append(edge("ListKeys", nil))
        // CSV quoting and byte order of non-ASCII text.
        for name in ["Odd,\"name\"\nline", "Ünïcode", "Zed", "éa", "a\rb", "\u{1F511}Key"] {
            a.append(edge(name, "2026-10-01T14:30:00Z", [
                "userIdentity": ["type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/o,dd \"q\"", "accountId": owner],
                "resources": edgeResources(edgeKey("quote,\"key\"")),
            ]))
        }
        // Copies of one call: in three accounts; owner not among the recipients;
        // through an alias; failed; a caller without accountId; an empty ID.
        a.append(edge("Decrypt", "2026-10-01T16:00:00Z", [
            "userIdentity": byB, "resources": edgeResources(edgeKey("x1")), "sharedEventID": "three",
        ]))
        a.append(edge("Decrypt", "2026-10-01T16:00:00Z", [
            "userIdentity": byB, "resources": edgeResources(edgeKey("x2", account: c)), "sharedEventID": "no-owner",
        ]))
        a.append(edge("Encrypt", "2026-10-01T16:00:00Z", [
            "userIdentity": byB, "requestParameters": ["keyId": "alias/shared"], "sharedEventID": "alias",
        ]))
        a.append(edge("Decrypt", "2026-10-01T16:00:00Z", [
            "userIdentity": byB, "resources": edgeResources(edgeKey("err")), "sharedEventID": "failed",
            "errorCode": "AccessDenied",
        ]))
        a.append(edge("Decrypt", "2026-10-01T16:00:00Z", [
            "userIdentity": ["type": "AWSAccount"], "resources": edgeResources(edgeKey("nocaller")),
        ]))
        a.append(edge("Decrypt", "2026-10-01T16:00:00Z", ["resources": edgeResources(edgeKey("x1")), "sharedEventID": ""]))
        // Alias changes: alias from resources[], failed, without time, without target.
        a.append(edge("CreateAlias", "2026-10-01T01:00:00Z", [
            "resources": edgeResources("arn:aws:kms:us-east-1:111122223333:alias/fromres", edgeKey("ar1")),
        ]))
        a.append(edge("CreateAlias", "2026-10-01T01:00:00Z", [
            "requestParameters": ["aliasName": "alias/shared", "targetKeyId": "sh1"],
        ]))
        a.append(edge("CreateAlias", "2026-10-01T01:00:00Z", [
            "requestParameters": ["aliasName": "alias/failed", "targetKeyId": "f1"], "errorCode": "AlreadyExists",
        ]))
        a.append(edge("CreateAlias", nil, ["requestParameters": ["aliasName": "alias/notime", "targetKeyId": "n1"]]))
        a.append(edge("CreateAlias", "2026-10-01T01:00:00Z", ["requestParameters": ["aliasName": "alias/notarget"]]))
        for alias in ["arn:aws:kms:us-east-1:111122223333:alias/fromres", "alias/failed", "alias/notime", "alias/notarget"] {
            a.append(edge("Encrypt", "2026-10-01T17:00:00Z", ["requestParameters": ["keyId": alias]]))
        }
        // An alias and the key it points to, and two aliases, in one record.
        a.append(edge("ReEncrypt", "2026-10-01T17:00:00Z", [
            "requestParameters": ["sourceKeyId": "alias/shared", "destinationKeyId": "sh1"],
        ]))
        a.append(edge("ReEncrypt", "2026-10-01T17:00:00Z", [
            "requestParameters": ["sourceKeyId": "alias/shared", "destinationKeyId": "alias/fromres"],
        ]))
        a.append(edge("Encrypt", "2026-10-01T17:00:00Z", [
            "awsRegion": "cn-north-1", "requestParameters": ["keyId": "alias/cn"],
        ]))
        a.append(edge("CreateAlias", "2026-10-01T01:00:00Z", [
            "awsRegion": "cn-north-1", "requestParameters": ["aliasName": "alias/cn", "targetKeyId": "cn1"],
        ]))
        a.append(edge("PutKeyPolicy", "2026-10-01T15:00:00Z", ["requestParameters": ["policyName": "default"]]))
        // A copy in the owner's account whose caller's copy is logged 8 days later.
        a.append(edge("Decrypt", "2026-10-01T10:00:00Z", [
            "userIdentity": byB, "resources": edgeResources(edgeKey("k1")), "sharedEventID": "late",
        ]))
        a.append(edge("Encrypt", "2026-10-01T09:00:00Z", ["resources": edgeResources(edgeKey("k1"))]))
        // Both copies own their first key (a key id normalized with each recipient).
        a.append(edge("Decrypt", "2026-10-01T07:00:00Z", [
            "userIdentity": byB, "requestParameters": ["keyId": "kid"], "sharedEventID": "both",
        ]))
        a.append(edge("ScheduleKeyDeletion", "2026-10-01T06:00:00Z", [
            "userIdentity": byB, "resources": edgeResources(edgeKey("lc")), "sharedEventID": "lifecycle",
        ]))
        // The owner of a copy's first key is taken after alias resolution: alias/y
        // of account A points to a key of account B, so B's copy is kept.
        a.append(edge("CreateAlias", "2026-10-01T01:00:00Z", [
            "requestParameters": ["aliasName": "alias/y", "targetKeyId": edgeKey("yk", account: caller)],
        ]))
        a.append(edge("Encrypt", "2026-10-01T18:00:00Z", [
            "userIdentity": byB, "requestParameters": ["keyId": "alias/y"], "sharedEventID": "resolved-owner",
        ]))
        try write(f, account: owner, day: "2026-10-01", stamp: "20261001T2305Z", a)

        let inB: [String: Any] = ["recipientAccountId": caller, "userIdentity": roleB]
        func b(_ name: String, _ time: String, _ fields: [String: Any]) -> [String: Any] {
            edge(name, time, inB.merging(fields) { $1 })
        }
        try write(f, account: caller, day: "2026-10-01", stamp: "20261001T2305Z", [
            b("Decrypt", "2026-10-01T16:00:00Z", ["resources": edgeResources(edgeKey("x1")), "sharedEventID": "three"]),
            b("Decrypt", "2026-10-01T16:00:00Z", [
                "resources": edgeResources(edgeKey("x2", account: c)), "sharedEventID": "no-owner",
            ]),
            b("Encrypt", "2026-10-01T16:00:00Z", ["requestParameters": ["keyId": "alias/shared"], "sharedEventID": "alias"]),
            b("Decrypt", "2026-10-01T16:00:00Z", [
                "resources": edgeResources(edgeKey("err")), "sharedEventID": "failed", "errorCode": "AccessDenied",
            ]),
            b("Decrypt", "2026-10-09T10:00:05Z", ["resources": edgeResources(edgeKey("k1")), "sharedEventID": "late"]),
            b("Decrypt", "2026-10-01T07:00:00Z", ["requestParameters": ["keyId": "kid"], "sharedEventID": "both"]),
            b("Encrypt", "2026-10-01T18:00:00Z", [
                "requestParameters": ["keyId": "arn:aws:kms:us-east-1:444455556666:alias/y"],
                "sharedEventID": "resolved-owner",
            ]),
            b("ScheduleKeyDeletion", "2026-10-01T06:00:00Z", [
                "resources": edgeResources(edgeKey("lc")), "sharedEventID": "lifecycle",
            ]),
        ])
        // A third account in an organization trail.
        try f.write(
            "AWSLogs/o-abc123/\(c)/CloudTrail/us-east-1/2026/10/01/\(c)_CloudTrail_us-east-1_20261001T2305Z_x.json.gz",
            try Gzip.compress(Array(try JSONSerialization.data(withJSONObject: ["Records": [
                edge("Decrypt", "2026-10-01T16:00:00Z", [
                    "recipientAccountId": c, "userIdentity": byB, "resources": edgeResources(edgeKey("x1")),
                    "sharedEventID": "three",
                ])
            ]]))))
        try f.write(
            "AWSLogs/o-abc123/\(c)/CloudTrail/us-east-1/2026/09/25/\(c)_CloudTrail_us-east-1_20260925T2305Z_x.json.gz",
            try Gzip.compress(Array(try JSONSerialization.data(withJSONObject: ["Records": [
                edge("Decrypt", "2026-09-25T16:00:00Z", ["recipientAccountId": c, "resources": edgeResources(edgeKey("c", account: c))])
            ]]))))
        // Pruning: a later record in an earlier day folder, an alias change there.
        try write(f, account: owner, day: "2026-09-30", stamp: "20260930T2305Z", [
            edge("Encrypt", "2026-10-02T00:00:00Z", ["resources": edgeResources(edgeKey("late-delivery"))]),
            edge("UpdateAlias", "2026-09-30T10:00:00Z", ["requestParameters": ["aliasName": "alias/shared", "targetKeyId": "sh0"]]),
            edge("Encrypt", "2026-09-30T11:00:00Z", ["requestParameters": ["keyId": "alias/shared"]]),
        ])
        for day in ["2026-09-28", "2026-10-01"] {
            try write(f, account: owner, region: "eu-west-1", day: day, stamp: day.replacingOccurrences(of: "-", with: "") + "T2305Z", [
                edge("Encrypt", day + "T00:00:00Z", [
                    "awsRegion": "eu-west-1", "resources": edgeResources(edgeKey("eu", region: "eu-west-1")),
                ])
            ])
        }
        // Event selector variants (all of one second), and a cloudtrail.amazonaws.com
        // record whose eventSource and eventName are both written with escapes.
        let selectors = #"""
            {"Records":[
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"empty-basic","eventSelectors":[]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"none"}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"basic-nullinclude","eventSelectors":[{"includeManagementEvents":null}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"basic-strfalse","eventSelectors":[{"includeManagementEvents":"false"}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"basic-two","eventSelectors":[{"includeManagementEvents":false},{"excludeManagementEventSources":[]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-noeventsource","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-nomgmt","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Data"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-eq","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","equals":["s3.amazonaws.com"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-eq-kms","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","equals":["kms.amazonaws.com","s3.amazonaws.com"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-ends","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","endsWith":[".amazonaws.com"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-notends","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notEndsWith":["amazonaws.com"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-notstarts","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notStartsWith":["kms"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-notstarts-other","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notStartsWith":["s3"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-two-conds","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","startsWith":["kms"]},{"field":"eventSource","notEquals":["kms.amazonaws.com"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-multi-ops","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","startsWith":["km"],"notEndsWith":[".com"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-mgmt-multi","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Data","Management"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"adv-second","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Data"]}]},{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T00:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"mixed","eventSelectors":[{"includeManagementEvents":false}],"advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]}]}},
            {"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventTime":"2026-10-01T01:00:00Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","requestParameters":{"trailName":"arn:aws:cloudtrail:us-east-1:111122223333:trail/empty-basic","eventSelectors":[{}]}},
            {"eventSource":"c\u006Coudtrail.amazonaws.com","eventName":"Look\u0075pEvents","eventTime":"2026-10-01T02:00:00Z"}
            ]}
            """#
        try f.write("AWSLogs/\(owner)/CloudTrail/us-east-1/2026/10/01/\(owner)_CloudTrail_us-east-1_20261001T2310Z_s.json",
                    Array(selectors.utf8))
        // Outside the layout.
        try f.write("loose/x.json", Array(try JSONSerialization.data(withJSONObject: ["Records": [
            edge("Encrypt", "2026-10-03T00:00:00Z", ["resources": edgeResources(edgeKey("loose"))])
        ]])))
        return f
    }

    @Test(.enabled(if: python != nil, "python3 is not installed"))
    func edgeCasesAgree() throws {
        let trail = try Self.edgeTrail()
        try Self.keep(trail, as: "-edge")
        let matrix: [[String]] = Self.baseMatrix + [
            ["--by", "key,day", "--times"],
            ["--by", "key,event,principal,identity-type"],
            ["--read-only", "--by", "key"],
            ["--no-read-only", "--by", "key"],
            ["--by", "key,error-code"],
            ["--since", "2026-10-01T12:00:00Z", "--by", "key"],
            ["--until", "2026-10-01T12:00:01Z", "--by", "key"],
            ["--since", "2026-10-02", "--by", "key"],
            ["--since", "2026-10-01", "--report", "aliases"],
            ["--account", Self.owner, "--by", "key"],
            ["--account", Self.caller, "--by", "key"],
            ["--account", "777788889999", "--report", "gaps"],
            ["--region", "eu-west-1", "--report", "gaps"],
            ["--cross-account", "--by", "key,caller-account,owner-account"],
            ["--report", "idle", "--idle-days", "0"],
            ["--report", "idle", "--idle-days", "7"],
            ["--key", "alias/shared", "--by", "key"],
            ["--key", "alias/cn", "--by", "key"],
            ["--by", "owner-account,caller-account"],
            ["--source", "cloudtrail.amazonaws.com", "--by", "event,region"],
            ["--by", "event,principal", "--times"],
        ]
        try Self.compareAll([trail.path], matrix, label: "edge")
    }

    static func handBuiltMatrix() -> [[String]] {
        [
            ["--since", "2026-10-02"],
            ["--since", "2026-10-02T12:00:00Z"],
            ["--until", "2026-10-04"],
            ["--until", "2026-10-02T12:00:00Z"],
            ["--since", "2026-10-04", "--report", "aliases"],
            ["--since", "2026-10-04", "--report", "gaps"],
            ["--since", "2026-10-02", "--until", "2026-10-05", "--by", "key,event", "--times"],
            ["--account", owner],
            ["--account", caller, "--by", "key,principal"],
            ["--account", "\(owner),\(caller)", "--by", "key,caller-account"],
            ["--region", "eu-west-1"],
            ["--region", "eu-west-1", "--region", "us-east-1", "--by", "region"],
            ["--event-name", "Decrypt"],
            ["--event-name", "Encrypt", "--event-name", "GenerateDataKey", "--by", "key,event,day"],
            ["--principal", "AWS Internal", "--by", "key,event,identity-type"],
            ["--principal", "dynamodb.amazonaws.com,444455556666", "--by", "key,principal"],
            ["--principal", "arn:aws:iam::111122223333:role/service/app", "--by", "key,principal,via"],
            ["--key", "alias/app", "--by", "key"],
            ["--key", "alias/app", "--no-resolve-aliases", "--by", "key"],
            ["--key", appAlias, "--by", "key,event"],
            ["--key", "alias/tie", "--by", "key"],
            ["--key", "22222222-2222-2222-2222-222222222222"],
            ["--key", k1, "--report", "lifecycle"],
            ["--key", "\(k3),\(k4)", "--report", "idle", "--idle-days", "1"],
            ["--errors-only", "--by", "key,error-code"],
            ["--read-only", "--by", "key,event"],
            ["--no-read-only", "--by", "key,event"],
            ["--cross-account", "--by", "key,caller-account,owner-account"],
            ["--cross-account", "--no-dedup", "--by", "key,caller-account"],
            ["--report", "idle", "--idle-days", "2"],
            ["--report", "idle", "--idle-days", "0"],
            ["--report", "aliases", "--no-dedup"],
            ["--report", "aliases", "--event-name", "Encrypt"],
            ["--by", "principal,identity-type", "--no-dedup"],
        ]
    }

    @Test(.enabled(if: python != nil, "python3 is not installed"))
    func handBuiltTrailAgrees() throws {
        let trail = try Self.handBuiltTrail()
        try Self.keep(trail, as: "")
        let paths = [trail.path]
        let matrix = Self.baseMatrix + Self.handBuiltMatrix()
        try Self.compareAll(paths, matrix, label: "hand-built")
    }

    /// Literal expectations on the hand-built trail, run on both sides.
    @Test(.enabled(if: python != nil, "python3 is not installed"), arguments: ["trailscan", "reference"])
    func handBuiltTrailLiterally(side: String) throws {
        let trail = try Self.handBuiltTrail()
        let run: ([String]) throws -> String = { options in
            let result = side == "trailscan"
                ? try Self.trailscan([trail.path], options) : try Self.reference([trail.path], options)
            #expect(result.status == 0, "\(side) \(options): \(result.stderr)")
            return result.stdout
        }
        let (k1, k2, k3) = (Self.k1, Self.k2, Self.k3)
        let app = Self.appAlias

        // Default: aliases resolved by time, cross-account copies folded.
        let usage = try run([])
        #expect(usage.hasPrefix("key,event_name,calls,errors\n"), "\(side)")
        for line in [
            "\(k1),Decrypt,4,1",  // the cross-account pair counts once
            "\(k1),Encrypt,2,0",  // uses before the Update (12:00:00 and 11:59:59.5 of 10-02)
            "\(k2),Encrypt,2,0",  // the use at the Update's second, and a bare key id
            "\(k2),GenerateMac,2,0",  // same-account records sharing an ID: not folded
            "\(k2),GenerateDataKey,1,0",  // space-separated time with a fraction
            "\(k2),Verify,1,0",  // same-second mappings: the larger target wins
            "\(k2),Decrypt,2,1",
            "\(app),GenerateDataKey,2,0",  // before Create, after Delete
            "\(app),Encrypt,1,0",  // no time
            "\(Self.tieAlias),Sign,1,0",  // Delete after Create at the same second
            "\(k2),ReEncrypt,1,0",  // alias/app and k2 itself in one record: the key counts once
            "\(Self.k5),Encrypt,1,0",  // alias/esc, created by an escaped "\u0043reateAlias"
        ] {
            #expect(usage.contains("\n" + line + "\n"), "\(side): missing \(line)\n\(usage)")
        }
        // The DisableKey in the digest folder is not counted.
        #expect(usage.contains("\n\(k3),DisableKey,1,1\n"), "\(side): the digest file was read\n\(usage)")

        let raw = try run(["--no-dedup", "--no-resolve-aliases"])
        #expect(raw.contains("\n\(k1),Decrypt,5,1\n"), "\(side)\n\(raw)")
        #expect(raw.contains("\n\(app),Encrypt,4,0\n"), "\(side)\n\(raw)")

        // The caller's copy is the one kept: its principal is the role
        // session that called, not just the caller's account (issue #12).
        let byPrincipal = try run(["--event-name", "Decrypt", "--by", "key,principal,identity-type"])
        #expect(
            byPrincipal.contains("\n\(k1),arn:aws:sts::444455556666:assumed-role/reader/s1,AssumedRole,1,0\n"),
            "\(side)\n\(byPrincipal)")
        #expect(!byPrincipal.contains("\(k1),444455556666,AWSAccount"), "\(side)")
        #expect(byPrincipal.contains("\n\(k1),arn:aws:sts::444455556666:federated-user/bob,Federated,1,0\n"))
        // A service calling on a role's behalf: the role session is the
        // principal, the service is `via` (issue #12, finding 3).
        #expect(byPrincipal.contains("\n\(k2),arn:aws:sts::111122223333:assumed-role/app/x,AssumedRole,1,0\n"), "\(side)")
        let byVia = try run(["--event-name", "Decrypt", "--by", "key,via"])
        #expect(byVia.contains("\n\(k2),dynamodb.amazonaws.com,1,0\n"), "\(side)\n\(byVia)")

        let byInternal = try run(["--principal", "AWS Internal", "--by", "key,event,identity-type"])
        #expect(byInternal == "key,event_name,identity_type,calls,errors\n"
            + "\(k1),RotateKey,Internal,1,0\n\(k3),DeleteKey,Internal,1,0\n", "\(side)\n\(byInternal)")

        let cross = try run(["--cross-account", "--by", "key,caller-account"])
        #expect(cross == "key,caller_account,calls,errors\n\(k1),444455556666,2,0\n\(k2),444455556666,1,1\n",
                "\(side)\n\(cross)")

        let aliases = try run(["--report", "aliases"])
        for line in [
            "alias,key,from,until,calls",
            "\(app),,,,3",
            "\(app),\(k1),2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,2",
            "\(app),\(k2),2026-10-02T12:00:00Z,2026-10-05T00:00:00Z,3",
            "\(Self.tieAlias),,,,1",
            "\(Self.tie2Alias),\(k2),2026-10-04T06:00:00Z,,1",
        ] {
            #expect(aliases.split(separator: "\n").contains(Substring(line)), "\(side): missing \(line)\n\(aliases)")
        }

        let byKey = try run(["--key", "alias/app", "--by", "key"])
        #expect(Set(byKey.split(separator: "\n").map { String($0.split(separator: ",")[0]) })
                == ["key", k1, k2, app], "\(side)\n\(byKey)")
        let byId = try run(["--key", "22222222-2222-2222-2222-222222222222", "--by", "key"])
        #expect(byId == "key,calls,errors\n\(k2),12,1\n", "\(side)\n\(byId)")

        // Alias changes and the failed (denied) DisableKey are lifecycle rows too (issue #12 item 7).
        let alice = "arn:aws:iam::111122223333:user/alice"
        let lifecycle = try run(["--report", "lifecycle"])
        #expect(lifecycle == """
            time,key,event_name,principal,error_code,detail,flags
            2026-10-01T10:00:00Z,\(k1),CreateAlias,\(alice),,alias=alias/app,
            2026-10-02T12:00:00Z,\(k2),UpdateAlias,\(alice),,alias=alias/app,
            2026-10-04T05:00:00Z,\(k1),CreateAlias,\(alice),,alias=alias/tie,
            2026-10-04T05:00:00Z,\(k1),DeleteAlias,\(alice),,alias=alias/tie,
            2026-10-04T06:00:00Z,\(k1),CreateAlias,\(alice),,alias=alias/tie2,
            2026-10-04T06:00:00Z,\(k2),UpdateAlias,\(alice),,alias=alias/tie2,
            2026-10-04T10:00:00Z,\(k3),ScheduleKeyDeletion,\(alice),,,
            2026-10-04T11:00:00Z,\(k3),CancelKeyDeletion,\(alice),,,
            2026-10-04T12:00:00Z,\(k3),DisableKey,\(alice),AccessDeniedException,,
            2026-10-05T00:00:00Z,\(k2),DeleteAlias,\(alice),,alias=alias/app,
            2026-10-05T02:00:00Z,\(Self.k5),CreateAlias,\(alice),,alias=alias/esc,
            2026-10-05T04:00:00Z,\(Self.k5),DisableKey,\(alice),,,
            2026-10-05T07:00:00Z,\(k1),PutKeyPolicy,\(alice),,,
            2026-10-05T08:00:00Z,\(k3),EnableKey,\(alice),,,
            2026-10-08T00:00:00Z,\(k3),DeleteKey,AWS Internal,,,

            """, "\(side)\n\(lifecycle)")

        let idle = try run(["--report", "idle", "--idle-days", "30"])
        // k3 has no cryptographic call, but KMS deleted it (DeleteKey) in the trail: not idle (issue #12 item 5).
        #expect(idle == "key,last_crypto_use,last_seen,calls,verdict,key_manager,key_state,note\n", "\(side)\n\(idle)")

        let blind = Set(try run(["--report", "blind-spots"]).split(separator: "\n").map(String.init))
        #expect(blind == [
            "trail,account,region,from,until,missing,cause",
            "main,111122223333,us-east-1,2026-10-02T00:00:00Z,2026-10-02T06:00:00Z,all,PutEventSelectors",
            "data,111122223333,us-east-1,2026-10-04T00:00:00Z,2026-10-04T01:00:00Z,all,PutEventSelectors",
            "org,111122223333,us-east-1,2026-10-05T00:00:00Z,,all,PutEventSelectors",
        ], "\(side) \(blind)")

        let gaps = try run(["--report", "gaps"])
        #expect(gaps == """
            account,region,from,until
            111122223333,us-east-1,2026-10-03,2026-10-03
            111122223333,us-east-1,2026-10-06,2026-10-07
            444455556666,us-east-1,2026-10-03,2026-10-03

            """, "\(side)\n\(gaps)")

        // Filters: time bounds (date and time), pruning of earlier days.
        let since = try run(["--since", "2026-10-02T12:00:00Z", "--until", "2026-10-04", "--by", "key,event"])
        #expect(since == "key,event_name,calls,errors\n\(Self.k4),Encrypt,1,0\n\(k2),Decrypt,2,1\n\(k2),Encrypt,1,0\n\(k2),ReEncrypt,1,0\n\(k2),UpdateAlias,1,0\n",
               "\(side)\n\(since)")
        let s3 = try run(["--source", "s3.amazonaws.com", "--by", "event"])
        #expect(s3 == "event_name,calls,errors\nGetObject,1,0\n", "\(side)\n\(s3)")
        // A time without its Z is no time.
        let k5Days = try run(["--key", Self.k5, "--by", "key,day"])
        #expect(k5Days == "key,day,calls,errors\n\(Self.k5),,1,0\n\(Self.k5),2026-10-05,3,0\n", "\(side)\n\(k5Days)")
        let region = try run(["--region", "eu-west-1"])
        #expect(region == "key,event_name,calls,errors\n\(Self.k4),Encrypt,1,0\n", "\(side)\n\(region)")
    }
}
