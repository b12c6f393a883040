// `--report idle` judges keys from evidence (issue #12 item 5; docs/audit.md
// "Idle keys"), on hand-made trails:
// - every cryptographic operation on a key is use (AWS KMS Developer Guide,
//   "AWS KMS cryptographic operations",
//   https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#cryptographic-operations:
//   Decrypt, DeriveSharedSecret, Encrypt, GenerateDataKey, GenerateDataKeyPair,
//   GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext,
//   GenerateMac, GenerateRandom (no key), ReEncrypt, Sign, Verify, VerifyMac);
//   ReEncrypt uses its source and destination keys, both in resources[];
// - GetPublicKey lets the public key be used outside KMS, where CloudTrail
//   sees nothing ("Perform offline operations with public keys",
//   https://docs.aws.amazon.com/kms/latest/developerguide/offline-public-key.html);
// - a key KMS deleted (DeleteKey, https://docs.aws.amazon.com/kms/latest/developerguide/ct-delete-key.html)
//   is gone, not idle;
// - no use in a period shorter than --idle-days says nothing about the
//   days before it: "unknown", never "never used".
// Inventories follow the AWS CLI's `aws kms list-keys` / `describe-key`
// output (https://docs.aws.amazon.com/cli/latest/reference/kms/describe-key.html:
// {"KeyMetadata": {"AWSAccountId", "KeyId", "Arn", "KeyState", "KeyManager", ...}})
// and AWS Config's configuration items of resource type AWS::KMS::Key
// (configurationItems of a snapshot; Results of select-resource-config, each
// a JSON string).

import Testing
import TrailScanCore

private let account = "111122223333"
private func key(_ id: String, region: String = "us-east-1", account: String = account) -> String {
    "arn:aws:kms:\(region):\(account):key/\(id)"
}

private func record(_ event: String, _ time: String, keys: [String]) -> String {
    let resources = keys.map { #"{"ARN":"\#($0)"}"# }.joined(separator: ",")
    return #"{"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(event)","awsRegion":"us-east-1","recipientAccountId":"\#(account)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/alice","accountId":"\#(account)"},"resources":[\#(resources)]}"#
}

private func answer(_ records: [String], days: Int = 30, inventory: KeyInventory? = nil, edit: (inout ReportRequest) -> Void = { _ in })
    throws -> ReportAnswer
{
    var request = ReportRequest()
    request.report = .idle
    request.idleDays = days
    edit(&request)
    let tally = UsageTally(plan: request.plan)
    var scanner = TrailScanner()
    let buffer = PaddedBuffer()
    buffer.append(contentsOf: Array(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8))
    _ = try scanner.scan(buffer, isFinal: true, into: tally)
    tally.commitFile()
    var partial = Partial(request: request)
    partial.report = tally.makeReport()
    return ReportAnswer(partial, inventory: inventory)
}

/// The idle rows, each cell as text: key, last_crypto_use, last_seen, calls, verdict, key_manager, key_state, note.
private func idleRows(_ answer: ReportAnswer) -> [[String]] {
    let request = answer.partial.request
    let table = answer.result.idleTable(days: request.idleDays, inventory: answer.inventory, filter: request.filter)
    #expect(table.columns.map { $0.csvName } == [
        "key", "last_crypto_use", "last_seen", "calls", "verdict", "key_manager", "key_state", "note",
    ])
    return table.rows.map { row in
        row.map { cell in
            switch cell {
            case .text(let text): text
            case .count(let n): String(n)
            case .time(let t): UTCTime.iso8601(t)
            case .none: ""
            }
        }
    }
}

private func inventory(_ json: String) throws -> KeyInventory {
    var text = json
    return try text.withUTF8 { try KeyInventory(json: UnsafeRawBufferPointer($0)) }
}

@Suite struct IdleEvidenceTests {
    @Test func everyCryptographicOperationIsUse() throws {
        let operations = [
            "Decrypt", "DeriveSharedSecret", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "GenerateMac", "Sign", "Verify",
            "VerifyMac",
        ]
        var records = operations.enumerated().map { index, name in
            record(name, "2026-10-30T00:00:00Z", keys: [key("k\(index)")])
        }
        // ReEncrypt: both keys used. Old use of everything, 60 days earlier, so the period is long enough.
        records.append(record("ReEncrypt", "2026-10-30T00:00:00Z", keys: [key("source"), key("destination")]))
        records.append(record("GenerateRandom", "2026-10-30T00:00:00Z", keys: []))
        records.append(record("DescribeKey", "2026-09-01T00:00:00Z", keys: [key("described-only")]))
        let rows = idleRows(try answer(records))
        // Only the key with no cryptographic call is listed, and the period (59 days) covers 30 days: idle.
        #expect(rows.map { $0[0] } == [key("described-only")])
        #expect(rows.first?[4] == "idle")
        #expect(rows.first?[7] == "no cryptographic call in the scanned period; earlier use unknown")
    }

    @Test func getPublicKeyIsFlaggedAndDeletedKeysAreNotIdle() throws {
        let records = [
            record("Encrypt", "2026-07-01T00:00:00Z", keys: [key("old")]),
            record("GetPublicKey", "2026-10-01T00:00:00Z", keys: [key("old")]),
            record("Decrypt", "2026-07-01T00:00:00Z", keys: [key("deleted")]),
            record("DeleteKey", "2026-09-15T00:00:00Z", keys: [key("deleted")]),
            record("Decrypt", "2026-10-30T00:00:00Z", keys: [key("busy")]),
        ]
        let rows = idleRows(try answer(records))
        #expect(rows.map { $0[0] } == [key("old")])
        #expect(rows.first?[1] == "2026-07-01T00:00:00Z")
        #expect(rows.first?[4] == "idle")
        #expect(rows.first?[7] == "public key possibly used outside KMS (GetPublicKey, last 2026-10-01T00:00:00Z)")
    }

    @Test func aPeriodShorterThanIdleDaysSaysUnknownNotNeverUsed() throws {
        // Ten days of trail, --idle-days 30 (as after --since): the key may have been used before.
        let records = [
            record("DescribeKey", "2026-10-01T00:00:00Z", keys: [key("quiet")]),
            record("Decrypt", "2026-10-11T00:00:00Z", keys: [key("busy")]),
        ]
        let short = try answer(records, days: 30)
        #expect(idleRows(short).map { [$0[0], $0[4]] } == [[key("quiet"), "unknown"]])
        #expect(short.summary.notes.contains { $0.hasPrefix("--idle-days 30 is longer than the scanned period (10.0 days, 2026-10-01T00:00:00Z to 2026-10-11T00:00:00Z)") })
        let long = try answer(records, days: 5)
        #expect(idleRows(long).map { [$0[0], $0[4]] } == [[key("quiet"), "idle"]])
        #expect(long.summary.notes.contains("the scanned period is 10.0 days, 2026-10-01T00:00:00Z to 2026-10-11T00:00:00Z; idle means no cryptographic call in its last 5 days"))
        #expect(!long.summary.notes.contains { $0.contains("longer than the scanned period") })
    }

    @Test func inventoryKeysWithNoEventAreListedWithManagerAndState() throws {
        let keys = try inventory("""
            [{"KeyMetadata": {"AWSAccountId": "\(account)", "KeyId": "unused", "Arn": "\(key("unused"))", "KeyState": "PendingDeletion", "KeyManager": "CUSTOMER"}},
             {"KeyMetadata": {"KeyId": "managed", "Arn": "\(key("managed"))", "KeyState": "Enabled", "KeyManager": "AWS"}},
             {"KeyMetadata": {"KeyId": "busy", "Arn": "\(key("busy"))", "KeyState": "Disabled", "KeyManager": "CUSTOMER"}},
             {"KeyMetadata": {"KeyId": "west", "Arn": "\(key("west", region: "us-west-2"))", "KeyState": "Enabled", "KeyManager": "CUSTOMER"}}]
            """)
        let records = [
            record("Decrypt", "2026-09-01T00:00:00Z", keys: [key("busy")]),
            record("Decrypt", "2026-10-30T00:00:00Z", keys: [key("other")]),
        ]
        let rows = idleRows(try answer(records, inventory: keys))
        #expect(rows.map { $0[0] } == [key("busy"), key("managed"), key("unused"), key("west", region: "us-west-2")])
        #expect(rows[0][1...6] == ["2026-09-01T00:00:00Z", "2026-09-01T00:00:00Z", "1", "idle", "CUSTOMER", "Disabled"])
        #expect(rows[1][3...7] == ["0", "idle", "AWS", "Enabled", "no event in the scanned period"])
        #expect(rows[2][5...6] == ["CUSTOMER", "PendingDeletion"])
        // The record filters that name places apply to inventory keys too; so does --key.
        let west = idleRows(try answer(records, inventory: keys) { $0.filter.regions = ["us-east-1"] })
        #expect(!west.contains { $0[0] == key("west", region: "us-west-2") })
        let one = idleRows(try answer(records, inventory: keys) { $0.keyFilter.keys = ["unused"] })
        #expect(one.map { $0[0] } == [key("unused")])
    }

    @Test func inventoriesOfEveryDocumentedShapeAreRead() throws {
        let listAndDescribe = try inventory("""
            {"Keys": [{"KeyId": "a", "KeyArn": "\(key("a"))"}, {"KeyId": "b", "KeyArn": "\(key("b"))"}],
             "KeyMetadata": [{"KeyId": "b", "Arn": "\(key("b"))", "KeyManager": "AWS", "KeyState": "Enabled"}]}
            """)
        #expect(listAndDescribe.keys == [InventoryKey(arn: key("a")), InventoryKey(arn: key("b"), manager: "AWS", state: "Enabled")])
        let one = try inventory(#"{"KeyMetadata": {"KeyId": "c", "Arn": "\#(key("c"))", "KeyState": "Disabled", "KeyManager": "CUSTOMER"}}"#)
        #expect(one.keys == [InventoryKey(arn: key("c"), manager: "CUSTOMER", state: "Disabled")])
        let snapshot = try inventory("""
            {"fileVersion": "1.0", "configurationItems": [
              {"resourceType": "AWS::KMS::Key", "resourceId": "d", "ARN": "\(key("d"))", "awsAccountId": "\(account)", "awsRegion": "us-east-1",
               "configuration": {"keyId": "d", "arn": "\(key("d"))", "keyManager": "CUSTOMER", "keyState": "PendingDeletion"}},
              {"resourceType": "AWS::S3::Bucket", "resourceId": "bucket", "ARN": "arn:aws:s3:::bucket", "configuration": {}}]}
            """)
        #expect(snapshot.keys == [InventoryKey(arn: key("d"), manager: "CUSTOMER", state: "PendingDeletion")])
        let item = #"{"resourceId":"e","resourceType":"AWS::KMS::Key","arn":"\#(key("e"))","configuration":{"keyManager":"AWS","keyState":"Enabled"}}"#
        var quoted = ""
        for c in item { quoted += c == "\"" ? "\\\"" : String(c) }
        let selected = try inventory(#"{"Results": ["\#(quoted)"], "QueryInfo": {"SelectFields": [{"Name": "resourceId"}]}}"#)
        #expect(selected.keys == [InventoryKey(arn: key("e"), manager: "AWS", state: "Enabled")])
        #expect(try inventory("[]").keys.isEmpty)
    }

    @Test func aDocumentThatIsNoInventoryIsRefusedWithAReason() throws {
        for (text, reason) in [
            ("{\"Records\": []}", "not a key inventory"),
            ("{\"KeyMetadata\": {\"KeyId\": \"x\"}}", "no key ARN"),
            ("[1]", "not an object"),
            ("{\"Keys\": [", "not valid JSON"),
            ("{\"Keys\": [{\"KeyArn\": \"arn:aws:kms:us-east-1:\(account):alias/x\"}]}", "no key ARN"),
        ] {
            #expect {
                try inventory(text)
            } throws: { error in
                "\(error)".contains(reason)
            }
        }
    }
}
