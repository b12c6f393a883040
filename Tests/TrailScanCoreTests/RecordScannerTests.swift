// Unit tests of the scanner's counting, one behaviour per test, on
// hand-written records. Every document is checked three ways: the expected
// rows written here by hand, the reference implementation (which must agree
// with the hand-written rows), and the scanner run with every chunking of
// `Chunking.standard` (which must agree with both).

import Testing
import TrailScanCore
import TrailScanTestSupport

private let account = "111122223333"
private let otherAccount = "444455556666"
private let k1 = "1234abcd-12ab-34cd-56ef-1234567890ab"
private let k2 = "0987dcba-09fe-87dc-65ba-ab0987654321"
private let k3 = "mrk-1234abcd12ab34cd56ef1234567890ab"
private let arn1 = keyARN(k1)
private let arn2 = keyARN(k2)
private let aliasARN = "arn:aws:kms:us-east-1:\(account):alias/app"

// MARK: - Rule 1: resources[].ARN

@Suite struct ResourcesRule {
    @Test func keyARNWithType() {
        let record = kmsRecord(
            "Decrypt", #""resources":[{"accountId":"\#(account)","type":"AWS::KMS::Key","ARN":"\#(arn1)"}]"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func keyARNWithoutType() {
        let record = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)","accountId":"\#(account)"}]"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func aliasARNTypedAsKeyIsNotAKey() {
        let record = kmsRecord(
            "CreateAlias",
            #""resources":[{"type":"AWS::KMS::Key","ARN":"\#(aliasARN)"},{"type":"AWS::KMS::Key","ARN":"\#(arn1)"}]"#)
        checkDocument(trail(record), [Row(arn1, "CreateAlias")], records: 1, kmsRecords: 1)
    }

    @Test func onlyAliasInResourcesFallsThroughToRequest() {
        let record = kmsRecord(
            "DeleteAlias",
            #""requestParameters":{"aliasName":"alias/app","keyId":"\#(k2)"},"resources":[{"type":"AWS::KMS::Key","ARN":"\#(aliasARN)"}]"#
        )
        checkDocument(trail(record), [Row(arn2, "DeleteAlias")], records: 1, kmsRecords: 1)
    }

    @Test func reEncryptNamesTwoKeys() {
        let record = kmsRecord(
            "ReEncrypt",
            #""requestParameters":{"sourceKeyId":"alias/old","destinationKeyId":"alias/new"},"resources":[{"type":"AWS::KMS::Key","ARN":"\#(arn1)"},{"type":"AWS::KMS::Key","ARN":"\#(arn2)"}]"#
        )
        checkDocument(trail(record), [Row(arn1, "ReEncrypt"), Row(arn2, "ReEncrypt")], records: 1, kmsRecords: 1)
    }

    @Test func duplicatesWithinResourcesCountOnce() {
        let record = kmsRecord(
            "ReEncrypt", #""resources":[{"ARN":"\#(arn1)"},{"ARN":"\#(arn2)"},{"ARN":"\#(arn1)"},{"ARN":"\#(arn2)"}]"#)
        checkDocument(trail(record), [Row(arn1, "ReEncrypt"), Row(arn2, "ReEncrypt")], records: 1, kmsRecords: 1)
    }

    @Test func resourcesBeatResponseAndRequest() {
        let record = kmsRecord(
            "Encrypt",
            #""requestParameters":{"keyId":"\#(k3)"},"responseElements":{"keyId":"\#(arn2)"},"resources":[{"ARN":"\#(arn1)"}]"#
        )
        checkDocument(trail(record), [Row(arn1, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func nonObjectAndNonStringEntriesAreIgnored() {
        let record = kmsRecord(
            "Encrypt",
            #""resources":["\#(arn1)",null,5,[{"ARN":"\#(arn1)"}],{"ARN":5},{"ARN":null},{"arn":"\#(arn1)"}],"requestParameters":{"keyId":"\#(k2)"}"#
        )
        checkDocument(trail(record), [Row(arn2, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func resourcesThatIsNotAnArrayIsIgnored() {
        let record = kmsRecord(
            "Encrypt", #""resources":{"ARN":"\#(arn1)"},"requestParameters":{"keyId":"\#(k2)"}"#)
        checkDocument(trail(record), [Row(arn2, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test(arguments: [
        ("arn:aws:kms:::key/x", true),
        ("arn:aws-cn:kms:cn-north-1:\(account):key/\(k1)", true),
        ("arn:p:kms:r:a:key/with:colons/and/slashes", true),
        ("arn::kms:us-east-1:\(account):key/\(k1)", false),  // empty partition
        ("arn:aws:kms:us-east-1:\(account):key/", false),  // empty id
        ("arn:aws:kms:us-east-1:\(account):alias/app", false),
        ("arn:aws:kms:us-east-1:extra:\(account):key/\(k1)", false),  // a colon in the account
        ("arn:aws:s3:::bucket/key/x", false),
        ("ARN:aws:kms:us-east-1:\(account):key/\(k1)", false),
        ("arn:aws:KMS:us-east-1:\(account):key/\(k1)", false),
        ("arn:aws:kms:us-east-1:\(account):Key/\(k1)", false),
        (k1, false),
    ])
    func keyARNShapes(arn: String, isKey: Bool) {
        // A resource ARN counts only when it is a key ARN; otherwise the
        // record falls through to its request key.
        let record = kmsRecord(
            "Encrypt", #""resources":[{"type":"AWS::KMS::Key","ARN":"\#(arn)"}],"requestParameters":{"keyId":"\#(k2)"}"#)
        checkDocument(trail(record), [Row(isKey ? arn : arn2, "Encrypt")], records: 1, kmsRecords: 1)
    }
}

// MARK: - Rule 2: responseElements.keyId

@Suite struct ResponseRule {
    @Test func keyARNInResponse() {
        let record = kmsRecord(
            "CreateKey",
            #""requestParameters":{"description":"x","keySpec":"SYMMETRIC_DEFAULT"},"responseElements":{"keyMetadata":{"keyId":"\#(k1)","arn":"\#(arn2)"},"keyId":"\#(arn1)"}"#
        )
        checkDocument(trail(record), [Row(arn1, "CreateKey")], records: 1, kmsRecords: 1)
    }

    @Test func responseBeatsRequest() {
        let record = kmsRecord(
            "DisableKey", #""requestParameters":{"keyId":"\#(k2)"},"responseElements":{"keyId":"\#(arn1)"}"#)
        checkDocument(trail(record), [Row(arn1, "DisableKey")], records: 1, kmsRecords: 1)
    }

    @Test func aliasInResponseFallsThrough() {
        let record = kmsRecord(
            "Encrypt", #""requestParameters":{"keyId":"\#(k2)"},"responseElements":{"keyId":"\#(aliasARN)"}"#)
        checkDocument(trail(record), [Row(arn2, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func bareIdInResponseFallsThrough() {
        let record = kmsRecord(
            "Encrypt", #""requestParameters":{"keyId":"alias/app"},"responseElements":{"keyId":"\#(k1)"}"#)
        checkDocument(trail(record), [Row(aliasARN, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func responseAloneWithoutRequest() {
        let record = kmsRecord("ScheduleKeyDeletion", #""responseElements":{"keyId":"\#(arn2)","keyState":"PendingDeletion"}"#)
        checkDocument(trail(record), [Row(arn2, "ScheduleKeyDeletion")], records: 1, kmsRecords: 1)
    }

    @Test func nestedKeyIdInResponseIsData() {
        let record = kmsRecord("CreateKey", #""responseElements":{"keyMetadata":{"keyId":"\#(arn1)"}}"#)
        checkDocument(trail(record), [Row("", "CreateKey")], records: 1, kmsRecords: 1)
    }
}

// MARK: - Rule 3: request key fields

@Suite struct RequestRule {
    @Test(arguments: [
        (arn1, arn1),  // key ARN: as is
        (aliasARN, aliasARN),  // alias ARN: as is
        ("alias/app", aliasARN),  // alias name
        (k1, arn1),  // UUID
        (k3, keyARN(k3)),  // multi-Region key id
        ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket"),  // any ARN: as is
        ("arn:", "arn:"),
        ("alias/", "arn:aws:kms:us-east-1:\(account):alias/"),
        ("Alias/app", keyARN("Alias/app")),
        ("ключ-🔑", keyARN("ключ-🔑")),
    ])
    func keyIdForms(value: String, normalized: String) {
        let record = kmsRecord("GenerateDataKey", #""requestParameters":{"keyId":"\#(value)","keySpec":"AES_256"}"#)
        checkDocument(trail(record), [Row(normalized, "GenerateDataKey")], records: 1, kmsRecords: 1)
    }

    @Test func allFourFieldsInOrder() {
        let record = kmsRecord(
            "CreateGrant",
            #""requestParameters":{"destinationKeyId":"d","sourceKeyId":"s","targetKeyId":"t","keyId":"k"}"#)
        checkDocument(
            trail(record),
            [
                Row(keyARN("k"), "CreateGrant"), Row(keyARN("t"), "CreateGrant"), Row(keyARN("s"), "CreateGrant"),
                Row(keyARN("d"), "CreateGrant"),
            ], records: 1, kmsRecords: 1)
    }

    @Test func deduplicatedAfterNormalization() {
        let record = kmsRecord(
            "UpdateAlias",
            #""requestParameters":{"keyId":"\#(k1)","targetKeyId":"\#(arn1)","sourceKeyId":"\#(k1)","destinationKeyId":"alias/app"}"#
        )
        checkDocument(
            trail(record), [Row(arn1, "UpdateAlias"), Row(aliasARN, "UpdateAlias")], records: 1, kmsRecords: 1)
    }

    @Test func sourceAndDestinationOfReEncrypt() {
        let record = kmsRecord(
            "ReEncrypt", #""requestParameters":{"sourceKeyId":"\#(k1)","destinationKeyId":"\#(k2)"}"#)
        checkDocument(trail(record), [Row(arn1, "ReEncrypt"), Row(arn2, "ReEncrypt")], records: 1, kmsRecords: 1)
    }

    @Test func emptyAndNonStringValuesAreIgnored() {
        let record = kmsRecord(
            "Encrypt",
            #""requestParameters":{"keyId":"","targetKeyId":null,"sourceKeyId":5,"destinationKeyId":{"keyId":"x"}}"#)
        checkDocument(trail(record), [Row("", "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func requestParametersThatIsNotAnObject() {
        let record = kmsRecord("Encrypt", #""requestParameters":["keyId","\#(k1)"]"#)
        checkDocument(trail(record), [Row("", "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test(arguments: [
        ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"),
        ("us-east-1", "aws"), ("cnx-1", "aws"), ("us-gov", "aws"), ("eu-central-1", "aws"), ("", "aws"),
    ])
    func partitionFromRegion(region: String, partition: String) {
        let record = kmsRecord("Decrypt", region: region, #""requestParameters":{"keyId":"\#(k1)"}"#)
        checkDocument(
            trail(record), [Row(keyARN(k1, region: region, partition: partition), "Decrypt")], records: 1,
            kmsRecords: 1)
    }

    @Test func aliasNameInChinaRegion() {
        let record = kmsRecord("Encrypt", region: "cn-north-1", #""requestParameters":{"keyId":"alias/app"}"#)
        checkDocument(
            trail(record), [Row("arn:aws-cn:kms:cn-north-1:\(account):alias/app", "Encrypt")], records: 1,
            kmsRecords: 1)
    }

    @Test func missingRecipientAccountUsesUserIdentity() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":"eu-west-1","userIdentity":{"type":"IAMUser","accountId":"\#(otherAccount)"},"requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(
            trail(record), [Row(keyARN(k1, region: "eu-west-1", account: otherAccount), "Sign")], records: 1,
            kmsRecords: 1)
    }

    @Test func recipientAccountBeatsUserIdentity() {
        let record =
            #"{"userIdentity":{"accountId":"\#(otherAccount)"},"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":"eu-west-1","recipientAccountId":"\#(account)","requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(trail(record), [Row(keyARN(k1, region: "eu-west-1"), "Sign")], records: 1, kmsRecords: 1)
    }

    @Test func nonStringRecipientAccountUsesUserIdentity() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":"eu-west-1","recipientAccountId":444455556666,"userIdentity":{"accountId":"\#(otherAccount)"},"requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(
            trail(record), [Row(keyARN(k1, region: "eu-west-1", account: otherAccount), "Sign")], records: 1,
            kmsRecords: 1)
    }

    @Test func noAccountAtAll() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":"eu-west-1","userIdentity":{"type":"AWSService","invokedBy":"s3.amazonaws.com","sessionContext":{"accountId":"\#(account)"}},"requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(
            trail(record), [Row("arn:aws:kms:eu-west-1::key/\(k1)", "Sign")], records: 1, kmsRecords: 1)
    }

    @Test func missingRegionGivesEmptyRegion() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","recipientAccountId":"\#(account)","requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(trail(record), [Row("arn:aws:kms::\(account):key/\(k1)", "Sign")], records: 1, kmsRecords: 1)
    }

    @Test func nonStringRegionGivesEmptyRegion() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":["cn-north-1"],"recipientAccountId":"\#(account)","requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(trail(record), [Row("arn:aws:kms::\(account):key/\(k1)", "Sign")], records: 1, kmsRecords: 1)
    }

    @Test func emptyRecipientAccountIsStillUsed() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":"us-east-1","recipientAccountId":"","userIdentity":{"accountId":"\#(otherAccount)"},"requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(trail(record), [Row("arn:aws:kms:us-east-1::key/\(k1)", "Sign")], records: 1, kmsRecords: 1)
    }

    @Test func fieldsAfterRequestParametersStillApply() {
        // Region and account come after the request: normalization must not
        // depend on the member order.
        let record =
            #"{"requestParameters":{"keyId":"\#(k1)"},"eventName":"Sign","userIdentity":{"accountId":"\#(otherAccount)"},"awsRegion":"cn-north-1","eventSource":"kms.amazonaws.com"}"#
        checkDocument(
            trail(record),
            [Row(keyARN(k1, region: "cn-north-1", account: otherAccount, partition: "aws-cn"), "Sign")],
            records: 1, kmsRecords: 1)
    }
}

// MARK: - Rule 4, event names and errors

@Suite struct NoKeyAndErrors {
    @Test func listKeysHasTheEmptyKey() {
        let record = kmsRecord("ListKeys", #""requestParameters":{"limit":100},"responseElements":null"#)
        checkDocument(trail(record), [Row("", "ListKeys")], records: 1, kmsRecords: 1)
    }

    @Test func generateRandomWithNullRequest() {
        let record = kmsRecord("GenerateRandom", #""requestParameters":null,"resources":null"#)
        checkDocument(trail(record), [Row("", "GenerateRandom")], records: 1, kmsRecords: 1)
    }

    @Test func failedCallIsAnError() {
        let record = kmsRecord(
            "Decrypt",
            #""errorCode":"AccessDenied","errorMessage":"User is not authorized","requestParameters":{"keyId":"\#(k1)"}"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt", calls: 1, errors: 1)], records: 1, kmsRecords: 1)
    }

    @Test(arguments: [#""errorCode":null"#, #""errorCode":"""#, #""errorCode":5"#, #""errorCode":true"#,
        #""errorCode":{"code":"AccessDenied"}"#, #""errorCode":["AccessDenied"]"#, #""errorMessage":"denied""#,
        #""responseElements":{"errorCode":"AccessDenied"}"#])
    func notAnError(member: String) {
        let record = kmsRecord("Decrypt", #""requestParameters":{"keyId":"\#(k1)"},\#(member)"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func failedCallWithTwoKeysIsOneErrorPerKey() {
        let record = kmsRecord(
            "ReEncrypt",
            #""errorCode":"KMSInvalidStateException","requestParameters":{"sourceKeyId":"\#(k1)","destinationKeyId":"\#(k2)"}"#
        )
        checkDocument(
            trail(record), [Row(arn1, "ReEncrypt", errors: 1), Row(arn2, "ReEncrypt", errors: 1)], records: 1,
            kmsRecords: 1)
    }

    @Test func callsAndErrorsAddUp() {
        let ok = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}]"#)
        let denied = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}],"errorCode":"AccessDenied""#)
        let other = kmsRecord("Encrypt", #""resources":[{"ARN":"\#(arn1)"}]"#)
        checkDocument(
            trail(ok, denied, ok, denied, denied, other),
            [Row(arn1, "Decrypt", calls: 5, errors: 3), Row(arn1, "Encrypt")], records: 6, kmsRecords: 6)
    }

    @Test(arguments: [#""eventName":null"#, #""eventName":42"#, #""eventName":{"n":"Decrypt"}"#, ""])
    func missingOrNonStringEventNameIsEmpty(member: String) {
        let record =
            "{" + [#""eventSource":"kms.amazonaws.com""#, member, #""requestParameters":{"keyId":"\#(k1)"}"#,
                #""awsRegion":"us-east-1","recipientAccountId":"\#(account)""#].filter { !$0.isEmpty }
            .joined(separator: ",") + "}"
        checkDocument(trail(record), [Row(arn1, "")], records: 1, kmsRecords: 1)
    }

    @Test func emptyEventName() {
        checkDocument(trail(kmsRecord("")), [Row("", "")], records: 1, kmsRecords: 1)
    }
}

// MARK: - Which records count

@Suite struct RecordSelection {
    @Test(arguments: [
        #""eventSource":"s3.amazonaws.com""#, #""eventSource":"KMS.amazonaws.com""#,
        #""eventSource":"kms.amazonaws.com ""#, #""eventSource":" kms.amazonaws.com""#,
        #""eventSource":"kms.amazonaws.co""#, #""eventSource":"kms.amazonaws.com.""#, #""eventSource":null"#,
        #""eventSource":["kms.amazonaws.com"]"#, #""eventSource":{"eventSource":"kms.amazonaws.com"}"#,
        #""userIdentity":{"eventSource":"kms.amazonaws.com"}"#, #""eventsource":"kms.amazonaws.com""#,
    ])
    func notKMS(member: String) {
        let record = #"{\#(member),"eventName":"Decrypt","requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(trail(record), [], records: 1, kmsRecords: 0)
    }

    @Test func mixedSources() {
        let s3 = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","resources":[{"ARN":"\#(arn1)"}]}"#
        let kms = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}]"#)
        checkDocument(trail(s3, kms, s3, s3, kms, "{}"), [Row(arn1, "Decrypt", calls: 2)], records: 6, kmsRecords: 2)
    }

    @Test func emptyRecords() {
        checkDocument(#"{"Records":[]}"#, [], records: 0, kmsRecords: 0)
    }

    @Test func emptyRecordObjects() {
        checkDocument(trail("{}", "{ }", "{\n}"), [], records: 3, kmsRecords: 0)
    }

    @Test func nullFieldsEverywhere() {
        let record =
            #"{"eventVersion":null,"userIdentity":null,"eventTime":null,"eventSource":"kms.amazonaws.com","eventName":null,"awsRegion":null,"sourceIPAddress":null,"userAgent":null,"errorCode":null,"requestParameters":null,"responseElements":null,"resources":null,"recipientAccountId":null}"#
        checkDocument(trail(record), [Row("", "")], records: 1, kmsRecords: 1)
    }

    @Test func nullRegionAndAccountInNormalization() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":null,"recipientAccountId":null,"userIdentity":{"accountId":null},"requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(trail(record), [Row("arn:aws:kms:::key/\(k1)", "Sign")], records: 1, kmsRecords: 1)
    }
}

// MARK: - Only top-level fields count

@Suite struct NestedLookAlikes {
    @Test func keyIdInEncryptionContextIsData() {
        let record = kmsRecord(
            "Decrypt",
            #""requestParameters":{"encryptionContext":{"keyId":"\#(k1)","targetKeyId":"x","aws:s3:arn":"arn:aws:s3:::b"},"encryptionAlgorithm":"SYMMETRIC_DEFAULT"}"#
        )
        checkDocument(trail(record), [Row("", "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func keyIdInAdditionalEventDataIsData() {
        let record = kmsRecord(
            "Decrypt", #""additionalEventData":{"keyId":"\#(arn1)","requestParameters":{"keyId":"\#(k1)"}}"#)
        checkDocument(trail(record), [Row("", "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func nestedFieldsInsideRequestAreData() {
        let record = kmsRecord(
            "Decrypt",
            #""requestParameters":{"grantTokens":[{"keyId":"\#(k1)"}],"constraints":{"keyId":"\#(k2)","resources":[{"ARN":"\#(arn1)"}]}}"#
        )
        checkDocument(trail(record), [Row("", "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func nestedEventFieldsAreData() {
        let record =
            #"{"eventSource":"s3.amazonaws.com","eventName":"PutObject","requestParameters":{"eventSource":"kms.amazonaws.com","keyId":"\#(k1)"},"additionalEventData":{"eventSource":"kms.amazonaws.com","errorCode":"x"},"userIdentity":{"sessionContext":{"eventSource":"kms.amazonaws.com"}}}"#
        checkDocument(trail(record), [], records: 1, kmsRecords: 0)
    }

    @Test func nestedNamesDoNotOverrideTopLevelOnes() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","userIdentity":{"eventName":"Nested","errorCode":"Nested","awsRegion":"cn-north-1","recipientAccountId":"\#(otherAccount)"},"eventName":"Decrypt","awsRegion":"us-east-1","recipientAccountId":"\#(account)","requestParameters":{"keyId":"\#(k1)","awsRegion":"eu-west-1"}}"#
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func deeplyNestedAccountIdIsData() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":"us-east-1","userIdentity":{"sessionContext":{"sessionIssuer":{"accountId":"\#(account)"}}},"requestParameters":{"keyId":"\#(k1)"}}"#
        checkDocument(trail(record), [Row("arn:aws:kms:us-east-1::key/\(k1)", "Sign")], records: 1, kmsRecords: 1)
    }

    @Test func recordsMemberInsideARecordIsData() {
        let record = kmsRecord("Decrypt", #""Records":[{"eventSource":"kms.amazonaws.com"}],"resources":[{"ARN":"\#(arn1)"}]"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }
}

// MARK: - String escapes

@Suite struct Escapes {
    @Test func escapedEventName() {
        let record = kmsRecord(#"Re\"Enc\\rypt\/\u0041\n"#)
        checkDocument(trail(record), [Row("", "Re\"Enc\\rypt/A\n")], records: 1, kmsRecords: 1)
    }

    @Test func allSimpleEscapes() {
        let record = kmsRecord(#"\"\\\/\b\f\n\r\t"#)
        checkDocument(trail(record), [Row("", "\"\\/\u{08}\u{0C}\n\r\t")], records: 1, kmsRecords: 1)
    }

    @Test func surrogatePairInKeyId() {
        let record = kmsRecord("Encrypt", #""requestParameters":{"keyId":"k\ud83d\ude00\uD83D\uDE00"}"#)
        checkDocument(trail(record), [Row(keyARN("k😀😀"), "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func unicodeEscapesOfEveryWidth() {
        let record = kmsRecord(#"\u0041\u00e9\u0416\u4e2d\uFFFF\u0000"#)
        checkDocument(trail(record), [Row("", "Aé\u{416}中\u{FFFF}\u{0}")], records: 1, kmsRecords: 1)
    }

    @Test func rawUTF8InValues() {
        let record = kmsRecord("Entschlüsseln-解密-😀", #""requestParameters":{"keyId":"ключ"}"#)
        checkDocument(trail(record), [Row(keyARN("ключ"), "Entschlüsseln-解密-😀")], records: 1, kmsRecords: 1)
    }

    @Test func escapedMemberNames() {
        let record =
            #"{"event\u0053ource":"kms.amazonaws.com","\u0065ventName":"Decrypt","aws\u0052egion":"eu-west-1","recipient\u0041ccountId":"\#(account)","request\u0050arameters":{"key\u0049d":"\#(k1)"}}"#
        checkDocument(trail(record), [Row(keyARN(k1, region: "eu-west-1"), "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func escapedResourceMemberNames() {
        let record = kmsRecord("Decrypt", #""re\u0073ources":[{"\u0041RN":"\#(arn1)"}]"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func escapedEventSourceValue() {
        let record =
            #"{"eventSource":"\u006bms\u002Eamazonaws.com","eventName":"Decrypt","resources":[{"ARN":"\#(arn1)"}]}"#
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func escapedSlashInARN() {
        let record = kmsRecord("Decrypt", #""resources":[{"ARN":"arn:aws:kms:us-east-1:\#(account):key\/\#(k1)"}]"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func escapedAliasPrefixInRequest() {
        let record = kmsRecord("Encrypt", #""requestParameters":{"keyId":"\u0061lias\/app"}"#)
        checkDocument(trail(record), [Row(aliasARN, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func escapedRecordsMemberName() {
        let document = #"{"Rec\u006Frds":[\#(kmsRecord("Decrypt"))]}"#
        checkDocument(document, [Row("", "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func escapedKeyARNDedupesWithPlainOne() {
        let record = kmsRecord(
            "ReEncrypt", #""resources":[{"ARN":"\#(arn1)"},{"ARN":"arn:aws:kms:us-east-1:\#(account):key\/\#(k1)"}]"#)
        checkDocument(trail(record), [Row(arn1, "ReEncrypt")], records: 1, kmsRecords: 1)
    }

    @Test func backslashBeforeClosingQuoteOfSkippedValue() {
        // `"\\"` ends at the second quote; `"\""` does not.
        let record = kmsRecord(
            "Decrypt", #""userAgent":"\\","sourceIPAddress":"\"","x":"\\\"\\","resources":[{"ARN":"\#(arn1)"}]"#)
        checkDocument(trail(record), [Row(arn1, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func loneSurrogatesDecodeToReplacementCharacter() {
        // The dialect decodes an unpaired surrogate escape to U+FFFD. (The
        // reference rewrites it before JSONSerialization, which rejects it.)
        let record = kmsRecord(#"a\ud800b\udc00c\ud800\u0041\udbff"#, #""requestParameters":{"keyId":"\uDFFF"}"#)
        checkDocument(
            trail(record), [Row(keyARN("\u{FFFD}"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}A\u{FFFD}")], records: 1,
            kmsRecords: 1)
    }

    @Test func highSurrogateFollowedByHighSurrogatePair() {
        let record = kmsRecord(#"\ud800\ud83d\ude00"#)
        checkDocument(trail(record), [Row("", "\u{FFFD}😀")], records: 1, kmsRecords: 1)
    }
}

// MARK: - Strings at every alignment, long values, look-alike names

@Suite struct StringAlignment {
    static let escapes: [(json: String, decoded: String)] = [
        (#"\\"#, "\\"), (#"\""#, "\""), (#"\\\\"#, "\\\\"), (#"\\\""#, "\\\""), (#"\"\\"#, "\"\\"),
        (#"\u0041"#, "A"), (#"\ud83d\ude00"#, "😀"), (#"\/"#, "/"), ("é", "é"), ("😀", "😀"),
    ]

    @Test(arguments: 0..<18)
    func escapesAtEveryOffset(filler: Int) {
        // The escape lands at every offset modulo 8 and 16, in a field the
        // scanner decodes and in strings it skips; a wrong end-of-string
        // would shift every field after it.
        let pad = String(repeating: "p", count: filler)
        var records: [String] = []
        var rows: [Row] = []
        for (json, decoded) in Self.escapes {
            let value = pad + json + "z"
            records.append(
                #"{"userAgent":"\#(value)","\#(value)":"\#(value)","eventSource":"kms.amazonaws.com","eventName":"\#(value)","x":["\#(json)"],"requestParameters":{"keyId":"\#(value)"}}"#
            )
            rows.append(Row("arn:aws:kms:::key/" + pad + decoded + "z", pad + decoded + "z"))
        }
        checkDocument(trail(records), rows, records: UInt64(records.count), kmsRecords: UInt64(records.count))
    }

    @Test func longValues() {
        let longKey = String(repeating: "0123456789abcdef", count: 700) + #"\u00e9"#
        let longName = String(repeating: #"Na\\me\""#, count: 120)
        let decodedName = String(repeating: "Na\\me\"", count: 120)
        let longAgent = String(repeating: "x", count: 100_000)
        let record =
            #"{"userAgent":"\#(longAgent)","eventSource":"kms.amazonaws.com","eventName":"\#(longName)","requestParameters":{"keyId":"\#(longKey)"},"awsRegion":"us-east-1","recipientAccountId":"1"}"#
        let key = "arn:aws:kms:us-east-1:1:key/" + String(repeating: "0123456789abcdef", count: 700) + "é"
        checkDocument(
            Array(trail(record, record).utf8),
            expected: ReferenceResult([Row(key, decodedName, calls: 2)], records: 2, kmsRecords: 2),
            chunkings: [Chunking([4095]), Chunking([4096]), .whole, Chunking([65536, 1])])
    }

    @Test(arguments: [
        "eventSourceX", "eventSourc", "EventSource", "event_source", "eventSource\\u0000", " eventSource", "eventSource ",
    ])
    func lookAlikeEventSourceNames(name: String) {
        let record = #"{"\#(name)":"kms.amazonaws.com","eventName":"Decrypt"}"#
        checkDocument(trail(record), [], records: 1, kmsRecords: 0)
    }

    @Test(arguments: ["keyIdX", "keyI", "KeyId", "keyid", "targetKeyID", "sourceKeyIdd", "destinationKey", "key\\u0000Id"])
    func lookAlikeRequestKeyNames(name: String) {
        let record = kmsRecord("Encrypt", #""requestParameters":{"\#(name)":"k"}"#)
        checkDocument(trail(record), [Row("", "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test(arguments: ["resource", "resourcesX", "Resources", "responseElement", "responseElementsX", "requestParameter"])
    func lookAlikeContainerNames(name: String) {
        let record = kmsRecord(
            "Decrypt", #""\#(name)":{"keyId":"\#(arn1)","ARN":"\#(arn1)","0":{"ARN":"\#(arn1)"}},"requestParameters":{"keyId":"alias/app"}"#)
        checkDocument(trail(record), [Row(aliasARN, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test(arguments: ["arn", "Arn", "ARNx", "AR"])
    func lookAlikeARNNames(name: String) {
        let record = kmsRecord("Decrypt", #""resources":[{"\#(name)":"\#(arn1)"}],"requestParameters":{"keyId":"alias/app"}"#)
        checkDocument(trail(record), [Row(aliasARN, "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func escapedARNPrefix() {
        let resource = kmsRecord("Decrypt", #""resources":[{"ARN":"\u0061rn:aws:kms:us-east-1:\#(account):key\/\#(k1)"}]"#)
        let request = kmsRecord("Encrypt", #""requestParameters":{"keyId":"\u0061rn:aws:kms:us-east-1:\#(account):key/\#(k1)"}"#)
        checkDocument(trail(resource, request), [Row(arn1, "Decrypt"), Row(arn1, "Encrypt")], records: 2, kmsRecords: 2)
    }

    @Test func sameKeySpelledDifferentlyAcrossRecords() {
        let plain = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}]"#)
        let escaped = kmsRecord("Decrypt", #""resources":[{"ARN":"arn:aws:kms:us-east-1:\#(account):key/\u0031234abcd-12ab-34cd-56ef-1234567890ab"}]"#)
        let request = kmsRecord("Decrypt", #""requestParameters":{"keyId":"\#(k1)"}"#)
        checkDocument(trail(plain, escaped, request), [Row(arn1, "Decrypt", calls: 3)], records: 3, kmsRecords: 3)
    }
}

// MARK: - Layout: whitespace, order, duplicates, top level

@Suite struct Layout {
    static let sample = trail(
        kmsRecord("Decrypt", #""resources":[{"type":"AWS::KMS::Key","ARN":"\#(arn1)"}],"readOnly":true"#),
        kmsRecord("Encrypt", #""requestParameters":{"keyId":"alias/app","n":[1,-2.5e+3,0,null,false]}"#),
        #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}"#,
        kmsRecord("ListKeys", #""errorCode":"ThrottlingException""#))
    static let sampleRows = [Row(arn1, "Decrypt"), Row(aliasARN, "Encrypt"), Row("", "ListKeys", errors: 1)]

    @Test func compact() {
        checkDocument(Self.sample, Self.sampleRows, records: 4, kmsRecords: 3)
    }

    @Test(arguments: [" ", "\n", "\t", "\r", "\r\n", "  \n\t  \r"])
    func whitespaceBetweenEveryToken(whitespace: String) {
        checkDocument(
            addingWhitespace(Self.sample, whitespace), Self.sampleRows, records: 4, kmsRecords: 3)
    }

    @Test func prettyPrintedEqualsCompact() {
        let pretty = """
            {
              "Records" : [
                {
                  "eventSource" : "kms.amazonaws.com",
                  "eventName" : "Decrypt",
                  "resources" : [ { "type" : "AWS::KMS::Key", "ARN" : "\(arn1)" } ]
                } ,
                {
                    "eventSource": "kms.amazonaws.com",
                    "eventName": "Encrypt",
                    "awsRegion": "us-east-1",
                    "recipientAccountId": "\(account)",
                    "requestParameters": {
                        "keyId": "alias/app",
                        "n": [ 1, -2.5e+3, 0, null, false ]
                    }
                },
                { "eventSource": "s3.amazonaws.com", "eventName": "GetObject" },
            \t{"eventSource":"kms.amazonaws.com","eventName":"ListKeys","errorCode":"ThrottlingException"}
              ]
            }

            """
        checkDocument(pretty, Self.sampleRows, records: 4, kmsRecords: 3)
    }

    @Test func memberOrderDoesNotMatter() {
        let record =
            #"{"resources":[{"ARN":"\#(arn1)","type":"AWS::KMS::Key"}],"errorCode":"AccessDenied","recipientAccountId":"\#(account)","requestParameters":{"keyId":"\#(k2)"},"eventName":"Decrypt","awsRegion":"us-east-1","eventSource":"kms.amazonaws.com"}"#
        checkDocument(trail(record), [Row(arn1, "Decrypt", errors: 1)], records: 1, kmsRecords: 1)
    }

    @Test func duplicateEventNameLastWins() {
        let record = #"{"eventName":"First","eventSource":"kms.amazonaws.com","eventName":"Second"}"#
        checkDocument(trail(record), [Row("", "Second")], records: 1, kmsRecords: 1)
    }

    @Test func duplicateEventSourceLastWins() {
        let kmsLast = #"{"eventSource":"s3.amazonaws.com","eventName":"A","eventSource":"kms.amazonaws.com"}"#
        let kmsFirst = #"{"eventSource":"kms.amazonaws.com","eventName":"B","eventSource":"s3.amazonaws.com"}"#
        checkDocument(trail(kmsLast, kmsFirst), [Row("", "A")], records: 2, kmsRecords: 1)
    }

    @Test func duplicateUserIdentityReplacesTheWholeObject() {
        let record =
            #"{"eventSource":"kms.amazonaws.com","eventName":"Sign","awsRegion":"us-east-1","userIdentity":{"accountId":"\#(otherAccount)"},"requestParameters":{"keyId":"\#(k1)"},"userIdentity":{"type":"AWSService"}}"#
        checkDocument(trail(record), [Row("arn:aws:kms:us-east-1::key/\(k1)", "Sign")], records: 1, kmsRecords: 1)
    }

    @Test func duplicateRequestParametersReplacesTheWholeObject() {
        let record = kmsRecord(
            "Encrypt", #""requestParameters":{"keyId":"\#(k1)","targetKeyId":"\#(k3)"},"requestParameters":{"sourceKeyId":"\#(k2)"}"#)
        checkDocument(trail(record), [Row(arn2, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func duplicateResourcesLastWins() {
        let record = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}],"resources":[]"#)
        checkDocument(trail(record), [Row("", "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func duplicateErrorCodeLastWins() {
        let failed = kmsRecord("Decrypt", #""errorCode":null,"errorCode":"AccessDenied""#)
        let succeeded = kmsRecord("Decrypt", #""errorCode":"AccessDenied","errorCode":"""#)
        checkDocument(trail(failed, succeeded), [Row("", "Decrypt", calls: 2, errors: 1)], records: 2, kmsRecords: 2)
    }

    @Test func duplicateKeyIdInRequestLastWins() {
        let record = kmsRecord("Encrypt", #""requestParameters":{"keyId":"\#(k1)","keyId":"\#(k2)"}"#)
        checkDocument(trail(record), [Row(arn2, "Encrypt")], records: 1, kmsRecords: 1)
    }

    @Test func byteOrderMark() {
        checkDocument(
            [0xEF, 0xBB, 0xBF] + Array(Self.sample.utf8),
            expected: ReferenceResult(Self.sampleRows, records: 4, kmsRecords: 3))
    }

    @Test func byteOrderMarkThenWhitespace() {
        checkDocument(
            [0xEF, 0xBB, 0xBF] + Array(" \n".utf8) + Array(Self.sample.utf8) + Array(" \r\n\t".utf8),
            expected: ReferenceResult(Self.sampleRows, records: 4, kmsRecords: 3))
    }

    @Test func otherTopLevelMembersBeforeAndAfter() {
        let document =
            #"{"a":1,"b":{"Records":[{"eventSource":"kms.amazonaws.com"}]},"c":["x",{"y":null}],"Records":[\#(kmsRecord("Decrypt"))],"d":"Records","e":[[[]]],"f":-0.5E-7,"g":true}"#
        checkDocument(document, [Row("", "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test(arguments: [
        (#"{"Records":[{}],"g":true,"h":false,"i":null,"s":"str","a":[1,2.5],"o":{"x":-1}}"#, 1),
        (#"{"g":true,"h":false,"i":null,"s":"str","a":[1],"o":{"x":1},"Records":[{}]}"#, 1),
        ("{ \"g\" : true , \"h\" : null , \"Records\" : [ { } , { } ] , \"z\" : false }  ", 2),
        (#"{"Records":[{"a":1},{"b":[true,false,null,12,-3.5e+2]}]}"#, 2),
        (#"{"n":12345,"Records":[{}],"m":-0.25E+2}"#, 1),
    ])
    func topLevelMembersOfEveryKind(document: String, records: Int) {
        checkDocument(document, [], records: UInt64(records), kmsRecords: 0)
    }

    @Test func recordsIsTheLastMember() {
        let document = #"{"version":"1","Records":[\#(kmsRecord("Decrypt"))]}"#
        checkDocument(document, [Row("", "Decrypt")], records: 1, kmsRecords: 1)
    }

    @Test func trailingWhitespaceAfterTheDocument() {
        checkDocument(Self.sample + " \n\r\t\n", Self.sampleRows, records: 4, kmsRecords: 3)
    }
}

// MARK: - Aggregation across records and files

@Suite struct Aggregation {
    @Test func manyRecordsManyKeys() {
        var records: [String] = []
        var expected: [Row] = []
        for i in 0..<1500 {
            let id = "key-\(i % 97)"
            switch i % 5 {
            case 0:
                records.append(kmsRecord("Decrypt", #""resources":[{"ARN":"\#(keyARN(id))"}]"#))
                expected.append(Row(keyARN(id), "Decrypt"))
            case 1:
                records.append(kmsRecord("Encrypt", #""requestParameters":{"keyId":"\#(id)"},"errorCode":"E\#(i % 3)""#))
                expected.append(Row(keyARN(id), "Encrypt", errors: 1))
            case 2:
                records.append(kmsRecord("Op\(i % 13)"))
                expected.append(Row("", "Op\(i % 13)"))
            case 3:
                records.append(#"{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}"#)
            default:
                records.append(
                    kmsRecord("ReEncrypt", #""resources":[{"ARN":"\#(keyARN(id))"},{"ARN":"\#(keyARN("x\(i % 7)"))"}]"#))
                expected += [Row(keyARN(id), "ReEncrypt"), Row(keyARN("x\(i % 7)"), "ReEncrypt")]
            }
        }
        checkDocument(
            Array(trail(records).utf8), expected: ReferenceResult(expected, records: 1500, kmsRecords: 1200),
            chunkings: [Chunking([3]), Chunking([64]), Chunking([4096]), .whole, Chunking([5, 1, 13, 2, 64, 3])])
    }

    @Test func canonicallyEquivalentEventNamesStayApart() {
        // "\u00e9" and "e\u0301" are different bytes but equal Swift Strings:
        // report rows are keyed by bytes, so they stay two rows and no call
        // is lost.
        let document = trail(kmsRecord(#"\u00e9"#), kmsRecord(#"e\u0301"#), kmsRecord("\u{e9}"))
        checkDocument(
            document, [Row("", "\u{e9}", calls: 2), Row("", "e\u{301}", calls: 1)], records: 3, kmsRecords: 3)
    }

    @Test func failedFileIsDiscardedAndTheTallyGoesOn() {
        let tally = UsageTally()
        let buffer = PaddedBuffer(capacity: 64)
        let good = Array(trail(kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}]"#)).utf8)
        // Three complete records are counted into the pending file before the
        // garbage is found; they must not reach the totals.
        let bad = Array((#"{"Records":["# + [kmsRecord("Decrypt"), kmsRecord("Encrypt"), kmsRecord("Sign")].joined(separator: ",") + ",x]}").utf8)
        for chunking in [Chunking([7]), .whole] {
            #expect(throws: Never.self) { try scanInChunks(good, chunking: chunking, into: tally, buffer: buffer).get() }
            #expect(throws: ScanError.self) { try scanInChunks(bad, chunking: chunking, into: tally, buffer: buffer).get() }
            #expect(tally.pendingRecords == 0)
        }
        #expect(throws: Never.self) { try scanInChunks(good, chunking: Chunking([1]), into: tally, buffer: buffer).get() }
        expectMatches(tally.makeReport(), ReferenceResult([Row(arn1, "Decrypt", calls: 3)], records: 3, kmsRecords: 3))
    }

    @Test func reportsOfSplitFilesMerge() {
        let a = Array(trail(kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}]"#), kmsRecord("ListKeys")).utf8)
        let b = Array(trail(kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}],"errorCode":"X""#)).utf8)
        guard case .success(var merged) = scanAllChunkings(a), case .success(let second) = scanAllChunkings(b) else {
            Issue.record("a valid document was rejected")
            return
        }
        merged.merge(second)
        expectMatches(
            merged,
            ReferenceResult([Row(arn1, "Decrypt", calls: 2, errors: 1), Row("", "ListKeys")], records: 3, kmsRecords: 3))
    }
}

/// `text` with `whitespace` inserted before and after every structural
/// character outside strings.
private func addingWhitespace(_ text: String, _ whitespace: String) -> String {
    var out = ""
    var inString = false
    var escaped = false
    for c in text {
        if inString {
            out.append(c)
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "\"" {
                inString = false
                out += whitespace
            }
            continue
        }
        switch c {
        case "\"":
            out += whitespace
            out.append(c)
            inString = true
        case "{", "}", "[", "]", ",", ":":
            out += whitespace + String(c) + whitespace
        default:
            out.append(c)
        }
    }
    return out
}

// MARK: - Streaming boundary regressions
//
// Each test is named for a scanner bug found by the chunked harness: the
// result of a scan must not depend on where the buffer boundaries fall.

@Suite struct ChunkBoundaryRegressions {
    static func accepts(_ document: [UInt8], _ sizes: [Int]) -> UsageReport? {
        try? scanInChunks(document, chunkSizes: sizes).get()
    }

    @Test func byteOrderMarkSplitAcrossChunks() {
        // Bug: with fewer than 3 bytes in the first buffer, the BOM is not
        // recognized and the document is rejected as "not a CloudTrail log".
        let document: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"Records":[{}]}"#.utf8)
        for sizes in [[1], [2], [1, 100], [2, 100]] {
            #expect(Self.accepts(document, sizes)?.records == 1, "chunks \(sizes)")
        }
    }

    @Test func byteOrderMarkPrefixIsTruncated() {
        // The same bug seen on a final call: a prefix of a BOM could still be
        // completed, so it is truncated, not "not a trail".
        for prefix: [UInt8] in [[0xEF], [0xEF, 0xBB]] {
            #expect {
                try scanInChunks(prefix, chunkSizes: [Int.max]).get()
            } throws: { error in
                (error as? ScanError)?.reason == .truncated
            }
        }
    }

    @Test func emptyRecordsSplitAfterOpeningBracket() {
        // Bug: when the buffer ends right after `[` (or after whitespace that
        // follows it), the scanner decides "a record follows" on the padding
        // byte; the `]` in the next buffer is then "record is not a JSON object".
        #expect(Self.accepts(Array(#"{"Records":[]}"#.utf8), [12, 100])?.records == 0)
        #expect(Self.accepts(Array(#"{"Records":[ ]}"#.utf8), [13, 100])?.records == 0)
    }

    @Test func topLevelNumberSplitAcrossChunks() {
        // Bug: a number that is the value of a top-level member (not
        // Records) ends at the end of the buffer as if complete; its next
        // digit, in the next buffer, is then an "unexpected byte".
        #expect(Self.accepts(Array(#"{"Records":[],"n":12}"#.utf8), [19, 100])?.records == 0)
        #expect(Self.accepts(Array(#"{"n":12,"Records":[{}]}"#.utf8), [6, 100])?.records == 1)
        #expect(Self.accepts(Array(#"{"n":-0.5e-7,"Records":[{}]}"#.utf8), [7, 100])?.records == 1)
    }

    @Test func emptyTopLevelObjectSplitAfterOpeningBrace() {
        // Bug (reason only): `{}` is "not a CloudTrail log" when whole, but
        // "unexpected byte" when the buffer ends after `{`.
        let whole = scanInChunks(Array("{}".utf8), chunkSizes: [Int.max])
        let split = scanInChunks(Array("{}".utf8), chunkSizes: [1])
        #expect(chunkingDifference(whole, split) == nil)
    }
}
