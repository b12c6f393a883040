// Unit tests of the audit rules (docs/audit.md) on hand-built records:
// each document is scanned with a plan and the resolved answer checked
// against values written here by hand.

import Testing
import TrailScanCore
import TrailScanTestSupport

private let owner = "111122223333"
private let caller = "444455556666"
private let keyA = "arn:aws:kms:us-east-1:\(owner):key/aaaa"
private let keyB = "arn:aws:kms:us-east-1:\(owner):key/bbbb"
private let alias = "arn:aws:kms:us-east-1:\(owner):alias/app"

/// One KMS record; `extra` is spliced in as more members.
private func record(
    _ event: String, time: String, account: String = owner, user: String = #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"}"#,
    _ extra: String = ""
) -> String {
    #"{"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(event)","awsRegion":"us-east-1","recipientAccountId":"\#(account)","userIdentity":\#(user)\#(extra.isEmpty ? "" : "," + extra)}"#
}

/// One tally per "file", merged in the given order: files may arrive in any order.
private func scan(_ documents: [[String]], plan: ScanPlan) throws -> AuditResult {
    AuditResolver.resolve(try scanDocuments(documents, plan: plan), plan: plan)
}

private func calls(_ result: AuditResult, key: String, event: String) -> UInt64 {
    result.rows.filter { $0.key.key == key && $0.key.eventName == event }.map(\.value.calls).reduce(0, +)
}

@Suite struct AliasResolutionRules {
    let changes = [
        record("CreateAlias", time: "2026-10-01T00:00:00Z", #""requestParameters":{"aliasName":"alias/app","targetKeyId":"aaaa"}"#),
        record("UpdateAlias", time: "2026-10-02T00:00:00Z", #""requestParameters":{"aliasName":"alias/app","targetKeyId":"bbbb"}"#),
        record("DeleteAlias", time: "2026-10-03T00:00:00Z", #""requestParameters":{"aliasName":"alias/app"}"#),
    ]

    func use(_ time: String) -> String {
        record("Encrypt", time: time, #""requestParameters":{"keyId":"alias/app"}"#)
    }

    @Test func aUseIsAttributedToTheKeyAtItsTime() throws {
        let uses = [use("2026-09-30T12:00:00Z"), use("2026-10-01T12:00:00Z"), use("2026-10-02T00:00:00Z"), use("2026-10-03T01:00:00Z")]
        // Uses in one file, the alias history in another, read first or last.
        for files in [[uses, changes], [changes, uses]] {
            let result = try scan(files, plan: ScanPlan())
            #expect(calls(result, key: keyA, event: "Encrypt") == 1)
            #expect(calls(result, key: keyB, event: "Encrypt") == 1)  // at the update's second: the new key
            #expect(calls(result, key: alias, event: "Encrypt") == 2)  // before creation and after deletion
            #expect(result.unresolvedAliases.map(\.alias) == [alias])
            #expect(result.aliasIntervals.map(\.key) == [keyA, keyB])
            #expect(result.aliasIntervals.map(\.calls) == [1, 1])
            #expect(result.aliasIntervals.last?.until == UTCTime.parse("2026-10-03T00:00:00Z"))
        }
    }

    @Test func withoutResolutionTheAliasStays() throws {
        var plan = ScanPlan()
        plan.resolvesAliases = false
        let result = try scan([changes, [use("2026-10-01T12:00:00Z")]], plan: plan)
        #expect(calls(result, key: alias, event: "Encrypt") == 1)
        #expect(calls(result, key: keyA, event: "Encrypt") == 0)
    }

    @Test func aFailedAliasChangeChangesNothing() throws {
        let failed = record(
            "UpdateAlias", time: "2026-10-01T06:00:00Z",
            #""errorCode":"AccessDenied","requestParameters":{"aliasName":"alias/app","targetKeyId":"bbbb"}"#)
        let result = try scan([changes + [failed], [use("2026-10-01T12:00:00Z")]], plan: ScanPlan())
        #expect(calls(result, key: keyA, event: "Encrypt") == 1)
    }

    @Test func keyFilterByAliasMatchesEveryTargetKey() throws {
        var plan = ScanPlan()
        plan.keyFilter.keys = ["alias/app"]
        let other = record("Decrypt", time: "2026-10-01T12:00:00Z", #""resources":[{"ARN":"arn:aws:kms:us-east-1:\#(owner):key/cccc"}]"#)
        let result = try scan([changes, [use("2026-10-01T12:00:00Z"), use("2026-10-02T12:00:00Z"), other]], plan: plan)
        #expect(Set(result.rows.keys.map(\.key)) == [keyA, keyB])
    }
}

@Suite struct CrossAccountRules {
    func copy(recipient: String, shared: String = "s-1") -> String {
        record(
            "Decrypt", time: "2026-10-01T00:00:00Z", account: recipient,
            user: #"{"type":"AssumedRole","arn":"arn:aws:sts::444455556666:assumed-role/r/s","accountId":"444455556666"}"#,
            #""sharedEventID":"\#(shared)","resources":[{"ARN":"\#(keyA)"}]"#)
    }

    @Test func twoAccountCopiesCountOnce() throws {
        let result = try scan([[copy(recipient: caller)], [copy(recipient: owner)]], plan: ScanPlan())
        #expect(calls(result, key: keyA, event: "Decrypt") == 1)
        #expect(result.duplicatesFolded == 1)
        var noDedup = ScanPlan()
        noDedup.foldsDuplicates = false
        #expect(calls(try scan([[copy(recipient: caller)], [copy(recipient: owner)]], plan: noDedup), key: keyA, event: "Decrypt") == 2)
    }

    /// Issue #12, finding 2. AWS KMS Developer Guide, "Logging AWS KMS API
    /// calls with AWS CloudTrail": a cross-account call is logged in the
    /// caller's account and in the key owner's; the owner's copy names the
    /// caller only as `{"type":"AWSAccount","accountId":...}`. The fold
    /// keeps the caller's copy, so `--by principal` shows the role session
    /// that called, in either file order.
    @Test func theFoldKeepsTheCallersIdentity() throws {
        let callerCopy = copy(recipient: caller)
        let ownerCopy = record(
            "Decrypt", time: "2026-10-01T00:00:00Z", account: owner,
            user: #"{"type":"AWSAccount","accountId":"444455556666","principalId":"AROAEXAMPLE:s"}"#,
            #""sharedEventID":"s-1","resources":[{"ARN":"\#(keyA)"}]"#)
        var plan = ScanPlan()
        plan.dimensions = [.principal, .identityType]
        for files in [[[callerCopy], [ownerCopy]], [[ownerCopy], [callerCopy]]] {
            let result = try scan(files, plan: plan)
            #expect(result.duplicatesFolded == 1)
            #expect(result.rows.count == 1)
            let row = try #require(result.rows.first)
            #expect(row.key.principal == "arn:aws:sts::444455556666:assumed-role/r/s")
            #expect(row.key.identityType == "AssumedRole")
            #expect(row.value.calls == 1)
        }
        // Without the caller's copy (the caller's trail is not scanned), the
        // owner's copy is the call.
        let alone = try scan([[ownerCopy]], plan: plan)
        #expect(alone.rows.first?.key.principal == "444455556666")
    }

    @Test func sameAccountRepeatsAreNotFolded() throws {
        let result = try scan([[copy(recipient: owner), copy(recipient: owner)]], plan: ScanPlan())
        #expect(calls(result, key: keyA, event: "Decrypt") == 2)
        #expect(result.duplicatesFolded == 0)
    }

    @Test func crossAccountFilterKeepsOnlyForeignCallers() throws {
        var plan = ScanPlan()
        plan.keyFilter.crossAccountOnly = true
        let local = record("Encrypt", time: "2026-10-01T00:00:00Z", #""resources":[{"ARN":"\#(keyB)"}]"#)
        let result = try scan([[copy(recipient: owner), local]], plan: plan)
        #expect(Set(result.rows.keys.map(\.key)) == [keyA])
        #expect(result.rows.keys.first?.callerAccount == caller)
    }
}

@Suite struct PrincipalRules {
    func principal(_ user: String, event: String = "Decrypt") throws -> (String, String) {
        var plan = ScanPlan()
        plan.dimensions = [.principal, .identityType]
        let result = try scan([[record(event, time: "2026-10-01T00:00:00Z", user: user)]], plan: plan)
        let row = try #require(result.rows.keys.first)
        return (row.principal, row.identityType)
    }

    @Test func internalOperationsAreAWSInternal() throws {
        #expect(try principal(#"{"accountId":"111122223333","invokedBy":"AWS Internal"}"#, event: "RotateKey") == ("AWS Internal", "Internal"))
        #expect(try principal(#"{"accountId":"111122223333"}"#, event: "DeleteKey") == ("AWS Internal", "Internal"))
    }

    /// Issue #12, finding 3. AWS CloudTrail User Guide, "CloudTrail
    /// userIdentity element": `invokedBy` names the service that made the
    /// request on the identity's behalf; the principal is the identity.
    @Test func theIdentityIsThePrincipalAndTheServiceIsVia() throws {
        let user = #"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Deployer/mallory","accountId":"1","invokedBy":"cloudformation.amazonaws.com"}"#
        #expect(try principal(user, event: "ScheduleKeyDeletion") == ("arn:aws:sts::1:assumed-role/Deployer/mallory", "AssumedRole"))
        var plan = ScanPlan()
        plan.dimensions = [.principal, .via]
        let result = try scan([[record("ScheduleKeyDeletion", time: "2026-10-01T00:00:00Z", user: user)]], plan: plan)
        #expect(result.rows.keys.first?.via == "cloudformation.amazonaws.com")
        // An AWSService identity is the service itself, with no intermediary.
        let service = #"{"type":"AWSService","invokedBy":"dynamodb.amazonaws.com"}"#
        #expect(try principal(service) == ("dynamodb.amazonaws.com", "AWSService"))
        let direct = try scan([[record("Decrypt", time: "2026-10-01T00:00:00Z", user: service)]], plan: plan)
        #expect(direct.rows.keys.first?.via == "")
    }

    /// `--principal` takes a role ARN (every session of the role, whatever
    /// the role's path), a session ARN, or an account.
    @Test func principalFilterMatchesRolesSessionsAndAccounts() throws {
        let alice = #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/Reader/alice","accountId":"111122223333"}"#
        let bob = #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/Reader/bob","accountId":"111122223333"}"#
        let other = #"{"type":"AssumedRole","arn":"arn:aws:sts::444455556666:assumed-role/ReaderX/carol","accountId":"444455556666"}"#
        let records = [alice, bob, other].map { record("Decrypt", time: "2026-10-01T00:00:00Z", user: $0) }
        func selected(_ principals: [String]) throws -> UInt64 {
            var plan = ScanPlan()
            plan.filter.principals = principals
            return try scan([records], plan: plan).rows.values.map(\.calls).reduce(0, +)
        }
        #expect(try selected(["arn:aws:iam::111122223333:role/team/Reader"]) == 2)
        #expect(try selected(["arn:aws:iam::111122223333:role/Read"]) == 0)  // a prefix of a name is not the role
        #expect(try selected(["arn:aws:sts::111122223333:assumed-role/Reader/bob"]) == 1)
        #expect(try selected(["444455556666"]) == 1)
    }

    @Test func otherwiseTheARNThenTheAccount() throws {
        #expect(try principal(#"{"type":"SAMLUser","arn":"arn:aws:sts::1:assumed-role/x/y"}"#) == ("arn:aws:sts::1:assumed-role/x/y", "Federated"))
        #expect(try principal(#"{"type":"AWSAccount","accountId":"999988887777"}"#) == ("999988887777", "AWSAccount"))
    }
}

@Suite struct BlindSpotRules {
    func selectors(_ time: String, _ request: String) -> String {
        #"{"eventTime":"\#(time)","eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","awsRegion":"us-east-1","recipientAccountId":"\#(owner)","requestParameters":\#(request)}"#
    }

    @Test func basicExclusionOpensAndInclusionCloses() throws {
        let off = selectors("2026-10-01T00:00:00Z", #"{"trailName":"main","eventSelectors":[{"includeManagementEvents":true,"excludeManagementEventSources":["kms.amazonaws.com"]}]}"#)
        let on = selectors("2026-10-02T00:00:00Z", #"{"trailName":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main","eventSelectors":[{"includeManagementEvents":true,"excludeManagementEventSources":[]}]}"#)
        let offAgain = selectors("2026-10-03T00:00:00Z", #"{"trailName":"main","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notEquals":["kms.amazonaws.com"]}]}]}"#)
        let result = try scan([[offAgain], [on, off]], plan: ScanPlan())
        #expect(result.blindSpots.count == 2)
        #expect(result.blindSpots[0].from == UTCTime.parse("2026-10-01T00:00:00Z"))
        #expect(result.blindSpots[0].until == UTCTime.parse("2026-10-02T00:00:00Z"))
        #expect(result.blindSpots[1].until == nil)
        #expect(result.blindSpots.allSatisfy { $0.trail == "main" && $0.account == owner && $0.region == "us-east-1" })
    }

    func trailCall(_ name: String, _ time: String, trail: String = "main") -> String {
        #"{"eventTime":"\#(time)","eventSource":"cloudtrail.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","recipientAccountId":"\#(owner)","requestParameters":{"name":"arn:aws:cloudtrail:us-east-1:\#(owner):trail/\#(trail)"}}"#
    }

    /// Issue #12, finding 4. CloudTrail User Guide, "Logging management
    /// events": `ReadWriteType` `WriteOnly` drops read-only events, and every
    /// KMS cryptographic operation (Encrypt, Decrypt, GenerateDataKey) is a
    /// read-only event (KMS Developer Guide, "Logging AWS KMS API calls with
    /// AWS CloudTrail"). A WriteOnly trail misses every cryptographic call.
    @Test func writeOnlySelectorsMissReadOnlyCalls() throws {
        let writeOnly = selectors("2026-10-01T00:00:00Z", #"{"trailName":"main","eventSelectors":[{"readWriteType":"WriteOnly","includeManagementEvents":true}]}"#)
        let readOnly = selectors("2026-10-02T00:00:00Z", #"{"trailName":"main","eventSelectors":[{"readWriteType":"ReadOnly","includeManagementEvents":true}]}"#)
        let all = selectors("2026-10-03T00:00:00Z", #"{"trailName":"main","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true}]}"#)
        let spots = try scan([[all, writeOnly], [readOnly]], plan: ScanPlan()).blindSpots
        #expect(spots.map(\.missing) == [.readOnly, .write])
        #expect(spots.map(\.until) == [UTCTime.parse("2026-10-02T00:00:00Z"), UTCTime.parse("2026-10-03T00:00:00Z")])
        #expect(spots.allSatisfy { $0.cause == "PutEventSelectors" })
    }

    /// Advanced selectors: a `readOnly` field `equals ["false"]` keeps write
    /// events only (CloudTrail User Guide, "Filtering data and management
    /// events by using advanced event selectors").
    @Test func advancedReadOnlyFalseMissesReadOnlyCalls() throws {
        let request = #"{"trailName":"t","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"readOnly","equals":["false"]}]}]}"#
        let spots = try scan([[selectors("2026-10-01T00:00:00Z", request)]], plan: ScanPlan()).blindSpots
        #expect(spots.count == 1)
        #expect(spots.first?.missing == .readOnly)
        #expect(spots.first?.until == nil)
    }

    /// StopLogging stops every event until StartLogging; DeleteTrail for
    /// good (CloudTrail API Reference, StopLogging / DeleteTrail). A
    /// window whose missing events change is split.
    @Test func stoppedAndDeletedTrailsAreBlind() throws {
        let writeOnly = selectors("2026-10-01T00:00:00Z", #"{"trailName":"main","eventSelectors":[{"readWriteType":"WriteOnly"}]}"#)
        let records = [
            writeOnly, trailCall("StopLogging", "2026-10-02T00:00:00Z"), trailCall("StartLogging", "2026-10-03T00:00:00Z"),
            trailCall("DeleteTrail", "2026-10-04T00:00:00Z", trail: "other"),
        ]
        let spots = try scan([records], plan: ScanPlan()).blindSpots
        let main = spots.filter { $0.trail == "main" }
        #expect(main.map(\.missing) == [.readOnly, .all, .readOnly])
        #expect(main.map(\.cause) == ["PutEventSelectors", "StopLogging", "PutEventSelectors"])
        #expect(main.map(\.from) == ["2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z", "2026-10-03T00:00:00Z"].map { UTCTime.parse($0) })
        #expect(main.last?.until == nil)  // StartLogging restores logging, not the WriteOnly selectors
        let other = try #require(spots.first { $0.trail == "other" })
        #expect(other.missing == .all && other.cause == "DeleteTrail" && other.until == nil)
    }

    @Test func advancedSelectorsThatKeepKMSAreNoBlindSpot() throws {
        let request = #"{"trailName":"t","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notEquals":["s3.amazonaws.com"]}]}]}"#
        #expect(try scan([[selectors("2026-10-01T00:00:00Z", request)]], plan: ScanPlan()).blindSpots.isEmpty)
    }
}

@Suite struct FilterAndTimeRules {
    @Test func sinceIsInclusiveUntilExclusive() throws {
        var plan = ScanPlan()
        plan.filter.since = UTCTime.parse("2026-10-02", allowDateOnly: true)
        plan.filter.until = UTCTime.parse("2026-10-03T00:00:00Z")
        let records = ["2026-10-01T23:59:59Z", "2026-10-02T00:00:00Z", "2026-10-02 23:59:59.500", "2026-10-03T00:00:00Z", "garbage"].map {
            record("Decrypt", time: $0, #""resources":[{"ARN":"\#(keyA)"}]"#)
        }
        #expect(calls(try scan([records], plan: plan), key: keyA, event: "Decrypt") == 2)
    }

    @Test func timesParseInCloudTrailForms() {
        #expect(UTCTime.parse("2026-10-01T00:05:12Z") == 1_790_813_112)
        #expect(UTCTime.parse("2026-10-01 00:05:12.000000000") == 1_790_813_112)
        #expect(UTCTime.parse("2026-02-30T00:00:00Z") == nil)
        #expect(UTCTime.parse("2026-10-01") == nil)
        #expect(UTCTime.iso8601(1_790_813_112) == "2026-10-01T00:05:12Z")
    }

    @Test func idleKeysHaveNoRecentCryptographicCall() throws {
        var plan = ScanPlan()
        plan.tracksTimes = true
        let records = [
            record("Decrypt", time: "2026-07-01T00:00:00Z", #""resources":[{"ARN":"\#(keyA)"}]"#),
            record("DescribeKey", time: "2026-10-01T00:00:00Z", #""resources":[{"ARN":"\#(keyA)"}]"#),
            record("Encrypt", time: "2026-09-30T00:00:00Z", #""resources":[{"ARN":"\#(keyB)"}]"#),
        ]
        let idle = try scan([records], plan: plan).idleTable(days: 30)
        #expect(idle.rows.map { $0[0] } == [.text(keyA)])
        #expect(idle.rows.first?[1] == .time(UTCTime.parse("2026-07-01T00:00:00Z")!))
    }
}

@Suite struct LifecycleRules {
    let records = [
        record("ScheduleKeyDeletion", time: "2026-10-01T00:00:00Z", #""requestParameters":{"keyId":"aaaa"}"#),
        record("DisableKey", time: "2026-10-02T00:00:00Z", #""requestParameters":{"keyId":"bbbb"}"#),
        record("Encrypt", time: "2026-10-03T00:00:00Z", #""requestParameters":{"keyId":"aaaa"}"#),
    ]

    @Test func lifecycleCallsAreKeptOnlyWhenTheReportAsksForThem() throws {
        var plan = ScanPlan()
        #expect(try scan([records], plan: plan).lifecycle.isEmpty)
        plan.collectsLifecycle = true
        let kept = try scan([records], plan: plan).lifecycle
        #expect(kept.map(\.eventName) == ["ScheduleKeyDeletion", "DisableKey"])
        #expect(kept.map(\.key) == [keyA, keyB])
        // The counts do not depend on it.
        #expect(calls(try scan([records], plan: plan), key: keyA, event: "Encrypt") == 1)
        #expect(calls(try scan([records], plan: ScanPlan()), key: keyA, event: "Encrypt") == 1)
    }
}

/// Issue #12 ("role" and "what each key protects") and #16 (the dimensions
/// with millions of values): `--by role` and `--by resource`, read again
/// from the record's `userIdentity` and `requestParameters` only when asked.
@Suite struct RoleAndResourceRules {
    func value(_ dimension: GroupingDimension, user: String = #"{"type":"IAMUser"}"#, _ extra: String = "") throws -> String {
        var plan = ScanPlan()
        plan.dimensions = [dimension]
        let result = try scan([[record("Decrypt", time: "2026-10-01T00:00:00Z", user: user, extra)]], plan: plan)
        let row = try #require(result.rows.keys.first)
        return row.value(of: dimension)
    }

    /// AWS CloudTrail User Guide, "CloudTrail userIdentity element"
    /// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html):
    /// a session's `sessionContext.sessionIssuer` is the role (or user) the
    /// temporary credentials were obtained from; `arn` is its ARN. Every
    /// EC2, Lambda and SSO session of one role shares it.
    @Test func roleIsTheSessionIssuer() throws {
        let session = #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/i-0abc","accountId":"111122223333","sessionContext":{"attributes":{"mfaAuthenticated":"false"},"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/App","userName":"App"}}}"#
        #expect(try value(.role, user: session) == "arn:aws:iam::111122223333:role/App")
        // An IAM user has no session issuer; nor does an AWS service.
        #expect(try value(.role, user: #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}"#) == "")
        #expect(try value(.role, user: #"{"type":"AWSService","invokedBy":"s3.amazonaws.com"}"#) == "")
        // Escaped member names, whitespace, a repeated member (the last
        // wins, as everywhere in the scanner), and a non-string last value.
        let escaped = #"{ "session\u0043ontext" : { "sessionIssuer": {"arn":"arn:aws:iam::1:role/Old"}, "sessionIssuer" : { "\u0061rn" : "arn:aws:iam::1:role/New" } } }"#
        #expect(try value(.role, user: escaped) == "arn:aws:iam::1:role/New")
        #expect(try value(.role, user: #"{"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/A","arn":7}}}"#) == "")
        #expect(try value(.role, user: #"{"sessionContext":null}"#) == "")
        #expect(try value(.role, user: "null") == "")
    }

    /// AWS KMS Developer Guide, "Encryption context"
    /// (https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html):
    /// services put the resource in the context (S3: `aws:s3:arn`, the
    /// object or, with S3 Bucket Keys, the bucket — Amazon S3 User Guide,
    /// "Using server-side encryption with AWS KMS keys"; EBS: `aws:ebs:id`;
    /// DynamoDB: `aws:dynamodb:tableName`...), and CloudTrail logs it in
    /// `requestParameters.encryptionContext`.
    @Test func resourceIsNamedByTheEncryptionContext() throws {
        func context(_ members: String) -> String { #""requestParameters":{"encryptionContext":{\#(members)}}"# }
        #expect(try value(.resource, context(#""aws:s3:arn":"arn:aws:s3:::bucket/key.txt""#)) == "arn:aws:s3:::bucket/key.txt")
        // Not an ARN: said with its context key, so the service shows.
        #expect(try value(.resource, context(#""aws:ebs:id":"vol-0123""#)) == "aws:ebs:id=vol-0123")
        #expect(try value(.resource, context(#""aws:dynamodb:tableName":"Orders","aws:dynamodb:subscriberId":"1""#))
            == "aws:dynamodb:tableName=Orders")
        // Several known keys: the most specific (docs/audit.md's order).
        #expect(try value(.resource, context(#""aws:ebs:id":"vol-1","aws:s3:arn":"arn:aws:s3:::b""#)) == "arn:aws:s3:::b")
        // Unknown keys name no resource; nor does a missing context.
        #expect(try value(.resource, context(#""department":"10103.0""#)) == "")
        #expect(try value(.resource, #""requestParameters":{"keyId":"k"}"#) == "")
        #expect(try value(.resource) == "")
        // A repeated key: the last wins; a non-string last value hides it.
        #expect(try value(.resource, context(#""aws:s3:arn":"arn:aws:s3:::a","aws:s3:arn":"arn:aws:s3:::b""#)) == "arn:aws:s3:::b")
        #expect(try value(.resource, context(#""aws:s3:arn":"arn:aws:s3:::a","aws:s3:arn":{"x":"y"},"aws:ebs:id":"v""#))
            == "aws:ebs:id=v")
        // Escapes in names and values are decoded.
        #expect(try value(.resource, context(#""aws:s3:\u0061rn":"arn:aws:s3:::b\/k\u00e9""#)) == "arn:aws:s3:::b/ké")
        // The service that owns it (`--by resource-service`).
        #expect(try value(.resourceService, context(#""aws:s3:arn":"arn:aws:s3:::bucket/key.txt""#)) == "s3")
        #expect(try value(.resourceService, context(#""aws:ebs:id":"vol-0123""#)) == "ebs")
        #expect(try value(.resourceService, context(#""aws:elasticfilesystem:filesystem:id":"fs-1""#)) == "elasticfilesystem")
        #expect(try value(.resourceService, context(#""SecretARN":"not-an-arn""#)) == "secretsmanager")
        #expect(try value(.resourceService, context(#""department":"10103.0""#)) == "")
        // The last encryptionContext member is the context.
        #expect(try value(.resource, #""requestParameters":{"encryptionContext":{"aws:ebs:id":"v1"},"encryptionContext":{"aws:ebs:id":"v2"}}"#)
            == "aws:ebs:id=v2")
    }
}
