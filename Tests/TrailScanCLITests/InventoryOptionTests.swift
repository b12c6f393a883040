// `--inventory FILE` on the command line (issue #12 item 5; docs/audit.md
// "Idle keys"): the idle report lists inventory keys with no event, the same
// through `scan` and `merge` of shards, and as the Python peer lists them; a
// file that is not an inventory, or the option on another report, is a
// usage error (exit 2) naming the file. The inventory is `aws kms
// describe-key` output as the AWS CLI prints it
// (https://docs.aws.amazon.com/cli/latest/reference/kms/describe-key.html).

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct InventoryOptionTests {
    static let account = "111122223333"
    static func key(_ id: String) -> String { "arn:aws:kms:us-east-1:\(account):key/\(id)" }

    static func record(_ event: String, _ time: String, _ key: String) -> String {
        #"{"eventTime":"\#(time)","eventSource":"kms.amazonaws.com","eventName":"\#(event)","awsRegion":"us-east-1","recipientAccountId":"\#(account)","resources":[{"ARN":"\#(key)"}]}"#
    }

    static func makeFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let days = [
            ("01", [record("Decrypt", "2026-07-31T00:00:00Z", key("old")), record("DescribeKey", "2026-08-01T00:00:00Z", key("seen"))]),
            ("02", [record("Encrypt", "2026-10-30T00:00:00Z", key("busy")), record("GetPublicKey", "2026-10-29T00:00:00Z", key("old"))]),
        ]
        for (day, records) in days {
            _ = try folder.write(
                "trail/AWSLogs/\(account)/CloudTrail/us-east-1/2026/10/\(day)/\(account)_CloudTrail_us-east-1_202610\(day)T0000Z_a.json",
                Array(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8))
        }
        _ = try folder.write(
            "inventory.json",
            Array("""
                [{"KeyMetadata": {"AWSAccountId": "\(account)", "KeyId": "unused", "Arn": "\(key("unused"))", "KeyState": "Disabled", "KeyManager": "CUSTOMER"}},
                 {"KeyMetadata": {"AWSAccountId": "\(account)", "KeyId": "busy", "Arn": "\(key("busy"))", "KeyState": "Enabled", "KeyManager": "CUSTOMER"}}]
                """.utf8))
        _ = try folder.write("records.json", Array(#"{"Records": []}"#.utf8))
        return folder
    }

    @Test func theIdleReportListsInventoryKeysThroughScanAndMerge() throws {
        let folder = try Self.makeFolder()
        let trail = folder.path + "/trail"
        let inventory = folder.path + "/inventory.json"
        let scan = try TrailscanBinary.run(["scan", trail, "--report", "idle", "--inventory", inventory, "-f", "csv", "-q"])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout == """
            key,last_crypto_use,last_seen,calls,verdict,key_manager,key_state,note
            \(Self.key("old")),2026-07-31T00:00:00Z,2026-10-29T00:00:00Z,2,idle,,,"public key possibly used outside KMS (GetPublicKey, last 2026-10-29T00:00:00Z)"
            \(Self.key("seen")),,2026-08-01T00:00:00Z,1,idle,,,no cryptographic call in the scanned period; earlier use unknown
            \(Self.key("unused")),,,0,idle,CUSTOMER,Disabled,no event in the scanned period

            """)
        // The period (91 days) is said, even with -q.
        #expect(scan.stderr.contains("note: the scanned period is 91.0 days"), "\(scan.stderr)")

        var parts: [String] = []
        for k in 1...2 {
            let part = folder.path + "/part\(k).json"
            let result = try TrailscanBinary.run(
                ["scan", trail, "--report", "idle", "--shard", "\(k)/2", "-f", "partial", "-o", part, "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            parts.append(part)
        }
        let merged = try TrailscanBinary.run(["merge"] + parts + ["--inventory", inventory, "-f", "csv", "-q"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == scan.stdout)

        if let python = AuditReferenceTests.python {
            let peer = try runProcess(
                python, [AuditReferenceTests.script, trail, "--report", "idle", "--inventory", inventory, "--quiet"])
            #expect(peer.stdout == scan.stdout, "\(peer.stderr)")
        }
    }

    @Test func aBadInventoryIsAUsageErrorNamingTheFile() throws {
        let folder = try Self.makeFolder()
        let trail = folder.path + "/trail"
        for (file, reason) in [
            (folder.path + "/records.json", "not a key inventory"),
            (folder.path + "/missing.json", "no such file"),
        ] {
            let result = try TrailscanBinary.run(["scan", trail, "--report", "idle", "--inventory", file, "-f", "csv"])
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(file.split(separator: "/").last!) && result.stderr.contains(reason), "\(result.stderr)")
        }
        let usage = try TrailscanBinary.run(["scan", trail, "--inventory", folder.path + "/inventory.json", "-f", "csv"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--inventory applies to --report idle only"), "\(usage.stderr)")
    }
}
