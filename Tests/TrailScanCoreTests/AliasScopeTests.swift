// Aliases are scoped, and learnt from every call that shows both names
// (issue #12 item 6; docs/audit.md "Alias resolution"), on hand-made trails:
// - "The alias and its associated KMS key must be in the same AWS account
//   and Region. The alias name must be unique in the AWS account and
//   Region" (AWS CloudFormation User Guide, AWS::KMS::Alias,
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-alias.html;
//   AWS KMS Developer Guide, "Aliases in AWS KMS",
//   https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html);
// - a call that names its key by alias records the key KMS resolved it to
//   in resources[] (and, for management operations since December 2022, in
//   responseElements.keyId): AWS KMS Developer Guide, CloudTrail log entry
//   examples, e.g. https://docs.aws.amazon.com/kms/latest/developerguide/ct-encrypt.html
//   and ct-createalias.html.

import Testing
import TrailScanCore
import TrailScanTestSupport

private let a = "111122223333"
private let b = "444455556666"
private func key(_ id: String, account: String = a, region: String = "us-east-1") -> String {
    "arn:aws:kms:\(region):\(account):key/\(id)"
}
private func aliasARN(_ name: String, account: String = a, region: String = "us-east-1") -> String {
    "arn:aws:kms:\(region):\(account):alias/\(name)"
}

private func record(
    _ event: String, _ time: String, account: String = a, region: String = "us-east-1", keyId: String,
    resources: [String] = [], error: String? = nil
) -> String {
    let list = resources.map { #"{"ARN":"\#($0)"}"# }.joined(separator: ",")
    let failure = error.map { #","errorCode":"\#($0)""# } ?? ""
    return #"{"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(event)","awsRegion":"\#(region)","recipientAccountId":"\#(account)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/u","accountId":"\#(account)"},"requestParameters":{"keyId":"\#(keyId)"},"resources":[\#(list)]\#(failure)}"#
}

private func change(_ event: String, _ time: String, account: String = a, region: String = "us-east-1", alias: String, target: String?) -> String {
    let targetMember = target.map { #","targetKeyId":"\#($0)""# } ?? ""
    return #"{"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(event)","awsRegion":"\#(region)","recipientAccountId":"\#(account)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/u","accountId":"\#(account)"},"requestParameters":{"aliasName":"alias/\#(alias)"\#(targetMember)}}"#
}

private func resolve(_ files: [[String]], edit: (inout ScanPlan) -> Void = { _ in }) throws -> AuditResult {
    var plan = ScanPlan()
    edit(&plan)
    let merged = try scanDocuments(files, plan: plan)
    // Through the partial file format and back, as shards, merge and --db see it.
    var partial = Partial(request: ReportRequest())
    partial.report = merged
    var text = partial.json()
    let back = try text.withUTF8 { try Partial(json: UnsafeRawBufferPointer($0)) }
    #expect(back.report.facts == merged.facts)
    return AuditResolver.resolve(back.report, plan: plan)
}

private func calls(_ result: AuditResult, _ key: String, _ event: String? = nil) -> UInt64 {
    result.rows.filter { $0.key.key == key && (event == nil || $0.key.eventName == event!) }.map(\.value.calls).reduce(0, +)
}

@Suite struct AliasScopeTests {
    /// alias/app exists in account A (us-east-1 → k1, us-west-2 → kw) and in account B (→ kb).
    let changes = [
        change("CreateAlias", "2026-10-01T00:00:00Z", alias: "app", target: "k1"),
        change("CreateAlias", "2026-10-01T00:00:00Z", region: "us-west-2", alias: "app", target: "kw"),
        change("CreateAlias", "2026-10-01T00:00:00Z", account: b, alias: "app", target: "kb"),
    ]

    @Test func anAliasIsOneAccountAndRegions() throws {
        let uses = [
            record("Encrypt", "2026-10-02T00:00:00Z", keyId: "alias/app"),
            record("Encrypt", "2026-10-02T00:00:00Z", region: "us-west-2", keyId: "alias/app"),
            record("Encrypt", "2026-10-02T00:00:00Z", account: b, keyId: "alias/app"),
        ]
        let all = try resolve([changes, uses])
        #expect(calls(all, key("k1"), "Encrypt") == 1)
        #expect(calls(all, key("kw", region: "us-west-2"), "Encrypt") == 1)
        #expect(calls(all, key("kb", account: b), "Encrypt") == 1)
        // The alias ARN names one account and region.
        let one = try resolve([changes, uses]) { $0.keyFilter.keys = [aliasARN("app")] }
        #expect(Set(one.rows.keys.map(\.key)) == [key("k1")])
        // The name alone names the alias in each account and region, each resolved on its own.
        let named = try resolve([changes, uses]) { $0.keyFilter.keys = ["alias/app"] }
        #expect(Set(named.rows.keys.map(\.key)) == [key("k1"), key("kw", region: "us-west-2"), key("kb", account: b)])
    }

    @Test func directCallsOnAKeyTheAliasNoLongerPointsToDoNotMatch() throws {
        let history = changes + [change("UpdateAlias", "2026-10-05T00:00:00Z", alias: "app", target: "k2")]
        let uses = [
            record("Encrypt", "2026-10-02T00:00:00Z", keyId: "alias/app"),  // through the alias, then k1
            record("Decrypt", "2026-10-03T00:00:00Z", keyId: "k1", resources: [key("k1")]),  // direct on k1
            record("Decrypt", "2026-10-06T00:00:00Z", keyId: "k1", resources: [key("k1")]),  // direct on k1, after the move
            record("Encrypt", "2026-10-06T00:00:00Z", keyId: "alias/app"),  // through the alias, now k2
            record("Decrypt", "2026-10-07T00:00:00Z", keyId: "k2", resources: [key("k2")]),  // direct on k2, its key now
        ]
        let result = try resolve([history, uses]) { $0.keyFilter.keys = [aliasARN("app")] }
        #expect(calls(result, key("k1"), "Encrypt") == 1)
        #expect(calls(result, key("k1"), "Decrypt") == 0)
        #expect(calls(result, key("k2"), "Encrypt") == 1)
        #expect(calls(result, key("k2"), "Decrypt") == 1)
        // Without the filter every call counts under its key.
        let unfiltered = try resolve([history, uses])
        #expect(calls(unfiltered, key("k1"), "Decrypt") == 2 && calls(unfiltered, key("k2"), "Decrypt") == 1)
    }

    @Test func callsThatShowBothNamesTeachTheMappingWhenTheCreateAliasIsOlderThanTheTrail() throws {
        // No alias change in the trail. An Encrypt by alias records its key in resources[];
        // a denied call by alias records none.
        let uses = [
            record("Encrypt", "2026-10-02T00:00:00Z", keyId: "alias/app", resources: [key("k1")]),
            record("Decrypt", "2026-10-03T00:00:00Z", keyId: "alias/app", error: "AccessDenied"),
            record("Decrypt", "2026-10-01T00:00:00Z", keyId: "alias/app", error: "AccessDenied"),  // before: the first seen after
            // The same alias name in another region was never seen with a key: it stays unresolved.
            record("Decrypt", "2026-10-03T00:00:00Z", region: "us-west-2", keyId: "alias/app", error: "AccessDenied"),
        ]
        for files in [[uses], [Array(uses.reversed())], [[uses[1]], [uses[0]], Array(uses[2...])]] {
            let result = try resolve(files)
            #expect(calls(result, key("k1"), "Encrypt") == 1)
            #expect(calls(result, key("k1"), "Decrypt") == 2)
            #expect(result.unresolvedAliases.map(\.alias) == [aliasARN("app", region: "us-west-2")])
            let learned = result.aliasIntervals.filter { $0.alias == aliasARN("app") }
            #expect(learned.count == 1)
            #expect(learned.first?.key == key("k1") && learned.first?.until == nil)
            #expect(learned.first?.from == UTCTime.parse("2026-10-02T00:00:00Z"))
            // And `--key alias/app` finds the key it points to.
            let filtered = try resolve(files) { $0.keyFilter.keys = ["alias/app"] }
            #expect(calls(filtered, key("k1")) == 3)
        }
    }

    @Test func changesGovernWhereTheyExistAndObservationsOnlyBeforeThem() throws {
        let uses = [
            // Seen on k0 before the first change in the trail, then the alias is updated to k2.
            record("Encrypt", "2026-10-01T00:00:00Z", keyId: "alias/app", resources: [key("k0")]),
            change("UpdateAlias", "2026-10-04T00:00:00Z", alias: "app", target: "k2"),
            record("Decrypt", "2026-10-02T00:00:00Z", keyId: "alias/app", error: "AccessDenied"),  // k0
            record("Decrypt", "2026-10-05T00:00:00Z", keyId: "alias/app", error: "AccessDenied"),  // k2
            // A stray observation after the change does not override it (and another account's key never teaches).
            record("Encrypt", "2026-10-06T00:00:00Z", keyId: "alias/app", resources: [key("k0")]),
            record("Encrypt", "2026-10-06T00:00:00Z", keyId: "alias/other", resources: [key("kb", account: b)]),
            record("Decrypt", "2026-10-07T00:00:00Z", keyId: "alias/app", error: "AccessDenied"),  // k2
            record("Decrypt", "2026-10-07T00:00:00Z", keyId: "alias/other", error: "AccessDenied"),  // unresolved
        ]
        let result = try resolve([uses])
        #expect(calls(result, key("k0"), "Decrypt") == 1)
        #expect(calls(result, key("k2"), "Decrypt") == 2)
        #expect(result.unresolvedAliases.map(\.alias) == [aliasARN("other")])
        #expect(result.aliasIntervals.filter { $0.alias == aliasARN("app") }.map(\.key) == [key("k0"), key("k2")])
        #expect(result.aliasIntervals.first?.until == UTCTime.parse("2026-10-04T00:00:00Z"))
    }
}
