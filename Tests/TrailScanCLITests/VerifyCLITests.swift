// `trailscan verify` end to end: trails built from the documented digest
// format (DigestTrailBuilder) written gzipped to disk, damaged one way at a
// time, verified by the binary. Each damage is named, nothing else is, the
// exit status says whether the trail is intact. (Sources for the format:
// Tests/TrailScanVerifyTests/DigestVerifierTests.swift header.)

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanVerify
import TrailScanWriter

@Suite struct VerifyCLITests {
    enum Damage: String, CaseIterable {
        case none, removeLog, modifyLog, addUnlistedLog, deleteDigest, alterDigestAndLog, stopAndRestart, hourWithoutDigest
    }

    /// Writes the builder's trail, damaged, to a new folder; returns it and
    /// what the damage should be named as.
    static func write(_ damage: Damage) throws -> (TemporaryFolder, expected: [String: [String]]) {
        var b = DigestTrailBuilder()
        if damage == .stopAndRestart {
            b.hours = 10
            b.stopAfter = 3
            b.restartAt = 6
        }
        if damage == .hourWithoutDigest { b.hourWithoutDigest = 5 }
        var files = b.build().files
        var expected: [String: [String]] = [:]
        let folder = try TemporaryFolder()
        switch damage {
        case .none, .stopAndRestart, .hourWithoutDigest: break
        case .removeLog:
            let gone = files.remove(at: files.firstIndex { !$0.isDigest && $0.path.contains("h3f1") }!)
            expected["missing"] = [gone.path]
        case .modifyLog:
            let i = files.firstIndex { !$0.isDigest && $0.path.contains("h2f0") }!
            files[i].json = Array(String(decoding: files[i].json, as: UTF8.self).replacingOccurrences(of: "Decrypt", with: "Encrypt").utf8)
            expected["modified"] = [folder.path + "/" + files[i].path]
        case .addUnlistedLog:
            let key = b.logKey(delivered: b.start + 3 * 3600 + 900, unique: "copiedIn00000000")
            files.append(.init(path: key, json: b.logJSON(eventTime: b.start + 3 * 3600, id: "x"), isDigest: false))
            expected["extra"] = [folder.path + "/" + key]
        case .deleteDigest:
            let gone = files.remove(at: files.firstIndex { $0.isDigest && $0.path.contains("T040500Z") }!)
            expected["chainBreaks"] = ["previous-digest-missing " + gone.path]
        case .alterDigestAndLog:
            let log = files.firstIndex { !$0.isDigest && $0.path.contains("h4f0") }!
            let digest = files.firstIndex { $0.isDigest && $0.path.contains("T050500Z") }!
            let old = SHA256Stream.hex(files[log].json)
            files[log].json = Array(String(decoding: files[log].json, as: UTF8.self).replacingOccurrences(of: "Decrypt", with: "Encrypt").utf8)
            let text = String(decoding: files[digest].json, as: UTF8.self)
            files[digest].json = Array(text.replacingOccurrences(of: old, with: SHA256Stream.hex(files[log].json)).utf8)
            expected["chainBreaks"] = ["previous-digest-altered " + files[digest].path]
        }
        for f in files { _ = try folder.write(f.path, try Gzip.compress(f.json)) }
        return (folder, expected)
    }

    static func keysFile() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        _ = try folder.write("keys.json", Array(DigestSigner.test.listPublicKeysJSON(validity: 0...2_000_000_000).utf8))
        return folder
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: Damage.allCases)
    func eachDamageIsNamedAndNothingElse(damage: Damage) throws {
        let (trail, expected) = try Self.write(damage)
        let keys = try Self.keysFile()
        let result = try TrailscanBinary.run(["verify", trail.path, "--public-keys", keys.path + "/keys.json", "-f", "json"])
        let report = try Self.json(result.stdout)
        let trails = try #require(report["trails"] as? [[String: Any]])
        #expect(trails.count == 1)
        let t = trails[0]
        func list(_ name: String) -> [String] { (t[name] as? [Any] ?? []).map { "\($0)" } }
        let found: [String: [String]] = [
            "missing": list("missing"),
            "modified": (t["modified"] as? [[String: Any]] ?? []).map { $0["path"] as? String ?? "" },
            "extra": list("extra"),
            "chainBreaks": (t["chainBreaks"] as? [[String: Any]] ?? []).map {
                "\($0["kind"] as? String ?? "") \($0["previous"] as? String ?? "")"
            },
        ].filter { !$0.value.isEmpty }
        #expect(found == expected, "\(result.stderr)")
        let signatures = try #require(t["signatures"] as? [String: Any])
        #expect((signatures["failed"] as? [Any])?.isEmpty == true)
        #expect((t["loggingGaps"] as? [Any])?.count == (damage == .stopAndRestart ? 1 : 0))
        #expect((t["hourGaps"] as? [Any])?.count == (damage == .hourWithoutDigest ? 1 : 0))
        #expect((report["failedFiles"] as? [Any])?.isEmpty == true)
        let intact = expected.isEmpty
        #expect(report["intact"] as? Bool == intact)
        #expect(result.status == (intact ? 0 : 1), "\(result.stderr)")
        if damage == .none {
            #expect(t["logFilesVerified"] as? Int == 16 && t["digestsRead"] as? Int == 8)
            #expect(signatures["valid"] as? Int == 7 && (signatures["notCheckable"] as? [Any])?.count == 1)
        }
    }

    @Test func withoutKeysItSaysWhatHashesProve() throws {
        let (trail, _) = try Self.write(.none)
        let table = try TrailscanBinary.run(["verify", trail.path])
        #expect(table.status == 0)
        #expect(table.stdout.contains("verdict: intact"))
        #expect(table.stdout.contains("not that CloudTrail wrote them"))
        #expect(table.stderr.contains("16 log files verified") && table.stderr.contains("signatures not checked"))
        let csv = try TrailscanBinary.run(["verify", trail.path, "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("organization,account,region,trail,home_region,finding,object,detail\r\n"))
        #expect(csv.stdout.contains(",summary,,digests=8 backfill=0 verified=16 intact=true"))
    }

    @Test func badDigestsAreFailedFilesWithAReason() throws {
        let (trail, _) = try Self.write(.none)
        let b = DigestTrailBuilder()
        let late = b.start + 20 * 3600
        let notJSON = b.digestKey(endTime: late)
        _ = try trail.write(notJSON, try Gzip.compress(Array("<html>".utf8)))
        let truncated = b.digestKey(endTime: late + 3600)
        _ = try trail.write(truncated, Array(try Gzip.compress(Array("{}".utf8)).dropLast(5)))
        let shape = b.digestKey(endTime: late + 7200)
        _ = try trail.write(shape, try Gzip.compress(Array("{\"awsAccountId\":\"111122223333\"}".utf8)))
        let result = try TrailscanBinary.run(["verify", trail.path, "-f", "json"])
        #expect(result.status == 1)
        let report = try Self.json(result.stdout)
        let failed = try #require(report["failedFiles"] as? [[String: String]])
        #expect(Set(failed.map { $0["path"]! }) == Set([notJSON, truncated, shape].map { trail.path + "/" + $0 }))
        #expect(result.stderr.contains("\(notJSON): not valid JSON: unexpected byte 0x3c at byte 0"))
        #expect(result.stderr.contains("\(truncated): truncated gzip data"))
        #expect(result.stderr.contains("\(shape): not a digest: digestStartTime is missing"))
        // The rest is still verified.
        let t = try #require((report["trails"] as? [[String: Any]])?.first)
        #expect(t["logFilesVerified"] as? Int == 16 && t["intact"] as? Bool == true)
    }

    @Test func generatedTrailsVerifyWithTheirKeys() throws {
        let folder = try TemporaryFolder()
        let out = folder.path + "/trail"
        let gen = try TrailscanBinary.run(["generate", "--out", out, "--bytes", "1M", "--seed", "3"])
        #expect(gen.status == 0, "\(gen.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + ".public-keys.json"))
        let result = try TrailscanBinary.run(["verify", out, "--public-keys", out + ".public-keys.json", "-f", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Self.json(result.stdout)
        #expect(report["intact"] as? Bool == true)
        let trails = try #require(report["trails"] as? [[String: Any]])
        let verified = trails.reduce(0) { $0 + ($1["logFilesVerified"] as? Int ?? 0) }
        let logs = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.contains("/CloudTrail/") && $0.hasSuffix(".json.gz") }
        #expect(verified == logs.count && verified > 0)
        // The keys file is outside the trail: a scan meets no stray file.
        let scan = try TrailscanBinary.run(["scan", out, "-q"])
        #expect(scan.status == 0, "\(scan.stderr)")
    }

    @Test func usageErrors() throws {
        #expect(try TrailscanBinary.run(["verify"]).status == 2)
        let (trail, _) = try Self.write(.none)
        let bad = try TrailscanBinary.run(["verify", trail.path, "--public-keys", "/nonexistent/keys.json"])
        #expect(bad.status == 2 && bad.stderr.contains("--public-keys /nonexistent/keys.json"))
    }
}
