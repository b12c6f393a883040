// `--report lifecycle` covers what attackers use (issue #12 item 7;
// docs/audit.md "Lifecycle"): grants, rotation, imported key material,
// aliases, multi-Region keys, key creation with the policy lockout safety
// check bypassed, key policies that allow everyone or other accounts, and
// failed attempts of each. The records follow the CloudTrail log entries
// of the AWS KMS Developer Guide ("Examples of AWS KMS log entries"):
//   https://docs.aws.amazon.com/kms/latest/developerguide/ct-creategrant.html
//     (requestParameters.granteePrincipal, operations; responseElements.keyId since December 2022)
//   https://docs.aws.amazon.com/kms/latest/developerguide/ct-put-key-policy.html
//     (requestParameters.policy is the policy as a JSON string; bypassPolicyLockoutSafetyCheck)
//   https://docs.aws.amazon.com/kms/latest/developerguide/ct-replicate-key.html (replicaRegion)
//   https://docs.aws.amazon.com/kms/latest/developerguide/ct-schedule-key-deletion.html (pendingWindowInDays)
//   https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html (BypassPolicyLockoutSafetyCheck)
//   https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html
//     (failed attempts are logged too: a denied ScheduleKeyDeletion is a record with errorCode AccessDenied)

import Testing
import TrailScanCore
import TrailScanTestSupport

private let owner = "111122223333"
private let other = "444455556666"
private let keyA = "arn:aws:kms:us-east-1:\(owner):key/aaaa"
private let keyB = "arn:aws:kms:us-east-1:\(owner):key/bbbb"
private let alice = #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"}"#

private func kmsRecord(_ event: String, time: String, _ extra: String) -> String {
    #"{"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(event)","awsRegion":"us-east-1","recipientAccountId":"\#(owner)","userIdentity":\#(alice),\#(extra)}"#
}

/// A JSON string literal of `text` (for a policy inside requestParameters).
private func quoted(_ text: String) -> String {
    var out = "\""
    for c in text.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}

private func lifecycle(_ files: [[String]], plan edit: (inout ScanPlan) -> Void = { _ in }) throws -> [LifecycleEvent] {
    try resolved(files, plan: edit).lifecycle
}

private func resolved(_ files: [[String]], plan edit: (inout ScanPlan) -> Void = { _ in }) throws -> AuditResult {
    var plan = ScanPlan()
    plan.collectsLifecycle = true
    edit(&plan)
    let merged = try scanDocuments(files, plan: plan)
    return AuditResolver.resolve(merged, plan: plan)
}

private func event(_ events: [LifecycleEvent], _ name: String) -> LifecycleEvent? {
    events.first { $0.eventName == name }
}

@Suite struct LifecycleCoverageTests {
    @Test func grantsNameTheGranteeAndFlagOtherAccounts() throws {
        let records = [
            kmsRecord(
                "CreateGrant", time: "2026-10-01T00:00:00Z",
                #""requestParameters":{"keyId":"\#(keyA)","operations":["Decrypt","ReEncryptFrom"],"granteePrincipal":"arn:aws:iam::\#(other):role/Exfil"},"responseElements":{"grantId":"g1","keyId":"\#(keyA)"}"#),
            kmsRecord(
                "CreateGrant", time: "2026-10-01T00:01:00Z",
                #""requestParameters":{"keyId":"\#(keyB)","operations":["Encrypt"],"granteePrincipal":"arn:aws:iam::\#(owner):role/App","retiringPrincipal":"\#(other)"},"responseElements":{"grantId":"g2","keyId":"\#(keyB)"}"#),
            kmsRecord(
                "CreateGrant", time: "2026-10-01T00:02:00Z",
                #""requestParameters":{"keyId":"\#(keyB)","operations":["Encrypt","RetireGrant"],"granteePrincipal":"s3.amazonaws.com"},"responseElements":{"keyId":"\#(keyB)"}"#),
            kmsRecord("RetireGrant", time: "2026-10-02T00:00:00Z", #""requestParameters":{"keyId":"\#(keyA)","grantId":"g1"}"#),
            kmsRecord("RevokeGrant", time: "2026-10-02T00:01:00Z", #""requestParameters":{"keyId":"\#(keyB)","grantId":"g2"}"#),
        ]
        let rows = try lifecycle([records])
        #expect(rows.map(\.eventName) == ["CreateGrant", "CreateGrant", "CreateGrant", "RetireGrant", "RevokeGrant"])
        #expect(rows[0].key == keyA)
        #expect(rows[0].detail == "grantee=arn:aws:iam::\(other):role/Exfil; operations=Decrypt|ReEncryptFrom")
        #expect(rows[0].flags == "grantee-outside-account")
        #expect(rows[1].detail == "grantee=arn:aws:iam::\(owner):role/App; retiring=\(other); operations=Encrypt")
        #expect(rows[1].flags == "retiring-principal-outside-account")
        // A service principal is no account: not "outside".
        #expect(rows[2].flags == "")
        #expect(rows[3].detail == "grantId=g1")
        #expect(rows[4].key == keyB && rows[4].detail == "grantId=g2")
    }

    @Test func keyPoliciesAllowingEveryoneOrOtherAccountsAreFlagged() throws {
        let open = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(owner):root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":["\(other)","arn:aws:iam::999988887777:role/X","arn:aws:iam::\(owner):role/Y"]},"Action":"kms:Decrypt","Resource":"*"},
              {"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"},
              {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"kms:*","Resource":"*"}
            ]}
            """
        let closed = """
            {\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "arn:aws:iam::\(owner):root"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}
            """
        let everyoneAlone = #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}}"#
        let records = [
            kmsRecord(
                "PutKeyPolicy", time: "2026-10-01T00:00:00Z",
                #""requestParameters":{"keyId":"aaaa","policyName":"default","policy":\#(quoted(open)),"bypassPolicyLockoutSafetyCheck":false},"resources":[{"ARN":"\#(keyA)"}]"#),
            kmsRecord(
                "PutKeyPolicy", time: "2026-10-01T00:01:00Z",
                #""requestParameters":{"keyId":"bbbb","policyName":"default","policy":\#(quoted(closed)),"bypassPolicyLockoutSafetyCheck":true}"#),
            kmsRecord(
                "PutKeyPolicy", time: "2026-10-01T00:02:00Z",
                #""requestParameters":{"keyId":"bbbb","policyName":"default","policy":\#(quoted(everyoneAlone))}"#),
            kmsRecord(
                "PutKeyPolicy", time: "2026-10-01T00:03:00Z",
                #""requestParameters":{"keyId":"bbbb","policyName":"default","policy":"not json"}"#),
        ]
        let rows = try lifecycle([records])
        #expect(rows.count == 4)
        #expect(rows[0].key == keyA)
        #expect(rows[0].flags == "policy-principal-*; policy-principal-outside-account=\(other)|999988887777")
        // The default policy (the documented example's) allows only the key's account; the bypass is flagged.
        #expect(rows[1].key == keyB)
        #expect(rows[1].flags == "bypass-policy-lockout-safety-check")
        #expect(rows[2].flags == "policy-principal-*")
        #expect(rows[3].flags == "policy-unreadable")
    }

    @Test func creationRotationMaterialAliasesAndRegionsAreLifecycle() throws {
        let records = [
            kmsRecord(
                "CreateKey", time: "2026-10-01T00:00:00Z",
                #""requestParameters":{"keySpec":"SYMMETRIC_DEFAULT","keyUsage":"ENCRYPT_DECRYPT","origin":"EXTERNAL","bypassPolicyLockoutSafetyCheck":true},"responseElements":{"keyMetadata":{"keyId":"aaaa"}},"resources":[{"ARN":"\#(keyA)"}]"#),
            kmsRecord("DisableKeyRotation", time: "2026-10-01T01:00:00Z", #""requestParameters":{"keyId":"aaaa"}"#),
            kmsRecord("EnableKeyRotation", time: "2026-10-01T02:00:00Z", #""requestParameters":{"keyId":"aaaa","rotationPeriodInDays":180}"#),
            kmsRecord("RotateKeyOnDemand", time: "2026-10-01T03:00:00Z", #""requestParameters":{"keyId":"aaaa"}"#),
            kmsRecord(
                "ImportKeyMaterial", time: "2026-10-01T04:00:00Z",
                #""requestParameters":{"keyId":"aaaa","expirationModel":"KEY_MATERIAL_EXPIRES","validTo":"Dec 1, 2026, 12:00:00 AM"}"#),
            kmsRecord("DeleteImportedKeyMaterial", time: "2026-10-01T05:00:00Z", #""requestParameters":{"keyId":"aaaa"}"#),
            kmsRecord(
                "CreateAlias", time: "2026-10-01T06:00:00Z",
                #""requestParameters":{"aliasName":"alias/app","targetKeyId":"aaaa"},"resources":[{"ARN":"arn:aws:kms:us-east-1:\#(owner):alias/app"},{"ARN":"\#(keyA)"}]"#),
            kmsRecord(
                "UpdateAlias", time: "2026-10-01T07:00:00Z",
                #""requestParameters":{"aliasName":"alias/app","targetKeyId":"bbbb"},"resources":[{"ARN":"arn:aws:kms:us-east-1:\#(owner):alias/app"},{"ARN":"\#(keyB)"}]"#),
            kmsRecord(
                "DeleteAlias", time: "2026-10-01T08:00:00Z",
                #""requestParameters":{"aliasName":"alias/app"},"resources":[{"ARN":"arn:aws:kms:us-east-1:\#(owner):alias/app"},{"ARN":"\#(keyB)"}]"#),
            kmsRecord(
                "ReplicateKey", time: "2026-10-01T09:00:00Z",
                #""requestParameters":{"keyId":"mrk-1","replicaRegion":"us-west-2","bypassPolicyLockoutSafetyCheck":false,"description":""}"#),
            kmsRecord("UpdatePrimaryRegion", time: "2026-10-01T10:00:00Z", #""requestParameters":{"keyId":"mrk-1","primaryRegion":"eu-west-1"}"#),
            kmsRecord("Encrypt", time: "2026-10-01T11:00:00Z", #""requestParameters":{"keyId":"aaaa"}"#),
            kmsRecord("DescribeKey", time: "2026-10-01T12:00:00Z", #""requestParameters":{"keyId":"aaaa"}"#),
        ]
        let rows = try lifecycle([records])
        #expect(rows.map(\.eventName) == [
            "CreateKey", "DisableKeyRotation", "EnableKeyRotation", "RotateKeyOnDemand", "ImportKeyMaterial",
            "DeleteImportedKeyMaterial", "CreateAlias", "UpdateAlias", "DeleteAlias", "ReplicateKey", "UpdatePrimaryRegion",
        ])
        #expect(rows[0].key == keyA)
        #expect(rows[0].detail == "keySpec=SYMMETRIC_DEFAULT; keyUsage=ENCRYPT_DECRYPT; origin=EXTERNAL")
        #expect(rows[0].flags == "bypass-policy-lockout-safety-check")
        #expect(rows[2].detail == "rotationPeriodInDays=180")
        #expect(rows[4].detail == "expirationModel=KEY_MATERIAL_EXPIRES; validTo=Dec 1, 2026, 12:00:00 AM")
        #expect(rows[6].key == keyA && rows[6].detail == "alias=alias/app")
        #expect(rows[7].key == keyB && rows[8].key == keyB)
        #expect(rows[9].key == "arn:aws:kms:us-east-1:\(owner):key/mrk-1" && rows[9].detail == "replicaRegion=us-west-2")
        #expect(rows[9].flags == "")
        #expect(rows[10].detail == "primaryRegion=eu-west-1")
    }

    @Test func failedAttemptsAreRowsWithTheirErrorCode() throws {
        let records = [
            kmsRecord(
                "ScheduleKeyDeletion", time: "2026-10-01T00:00:00Z",
                #""errorCode":"AccessDenied","errorMessage":"User is not authorized","requestParameters":{"keyId":"aaaa","pendingWindowInDays":7}"#),
            kmsRecord(
                "ScheduleKeyDeletion", time: "2026-10-01T00:05:00Z",
                #""requestParameters":{"keyId":"aaaa","pendingWindowInDays":7},"responseElements":{"keyId":"\#(keyA)","keyState":"PendingDeletion"}"#),
            kmsRecord(
                "PutKeyPolicy", time: "2026-10-01T00:06:00Z",
                #""errorCode":"MalformedPolicyDocumentException","requestParameters":{"keyId":"bbbb","policy":\#(quoted(#"{"Statement":[{"Effect":"Allow","Principal":"*"}]}"#))}"#),
            kmsRecord("CreateGrant", time: "2026-10-01T00:07:00Z", #""errorCode":"AccessDenied","requestParameters":{"keyId":"bbbb","granteePrincipal":"\#(other)"}"#),
        ]
        let rows = try lifecycle([records])
        #expect(rows.count == 4)
        #expect(rows[0].eventName == "ScheduleKeyDeletion" && rows[0].errorCode == "AccessDenied" && rows[0].key == keyA)
        #expect(rows[0].detail == "pendingWindowInDays=7")
        #expect(rows[1].errorCode == "")
        #expect(rows[2].errorCode == "MalformedPolicyDocumentException" && rows[2].flags == "policy-principal-*")
        #expect(rows[3].errorCode == "AccessDenied" && rows[3].flags == "grantee-outside-account")
        // `--errors-only` keeps only the failed ones.
        let failed = try lifecycle([records]) { $0.filter.errorsOnly = true }
        #expect(failed.map(\.errorCode) == ["AccessDenied", "MalformedPolicyDocumentException", "AccessDenied"])
    }

    /// The table's columns, and the same rows whatever the order of files.
    @Test func theTableHasErrorDetailAndFlagColumns() throws {
        let a = [kmsRecord("DisableKey", time: "2026-10-01T00:00:00Z", #""errorCode":"AccessDenied","requestParameters":{"keyId":"aaaa"}"#)]
        let b = [kmsRecord("CreateGrant", time: "2026-10-01T00:00:00Z", #""requestParameters":{"keyId":"aaaa","granteePrincipal":"\#(other)"}"#)]
        #expect(try lifecycle([a, b]) == lifecycle([b, a]))
        let table = try resolved([a, b]).lifecycleTable()
        #expect(table.columns.map { $0.csvName } == ["time", "key", "event_name", "principal", "error_code", "detail", "flags"])
        #expect(table.rows[0][2] == ReportCell.text("CreateGrant"))
        #expect(table.rows[0][6] == ReportCell.text("grantee-outside-account"))
        #expect(table.rows[1][4] == ReportCell.text("AccessDenied"))
    }
}
