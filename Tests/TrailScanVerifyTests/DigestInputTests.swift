// Bad digests are bad input: a failed file with a one-line reason, never a
// crash; the public-keys file in the forms `aws cloudtrail list-public-keys`
// writes; and the merge laws that let shards each read some files.

import Foundation
import Testing
import TrailScanTestSupport
@testable import TrailScanVerify

@Suite struct DigestInputTests {
    let builder = DigestTrailBuilder()

    func reason(_ text: String, key: String? = nil) -> String? {
        var facts = VerificationFacts()
        let k = key ?? builder.digestKey(endTime: builder.start + 3600)
        Array(text.utf8).withUnsafeBytes { facts.addDigest(path: "/root/" + k, uncompressed: $0) }
        #expect(facts.digests.isEmpty)
        return facts.failures.first?.reason
    }

    var good: String {
        String(decoding: builder.build().files.first(where: \.isDigest)!.json, as: UTF8.self)
    }

    @Test func notJSON() {
        #expect(reason("<html>not json")?.hasPrefix("not valid JSON: unexpected byte") == true)
        #expect(reason("{\"a\":1")?.contains("unexpected end of data") == true)
        #expect(reason("{\"a\":01}")?.contains("expected ',' or '}'") == true)
        #expect(reason("{\"a\":\"\u{01}\"}")?.contains("control character") == true)
        #expect(reason("{\"a\":\"\\ud800\"}")?.contains("lone surrogate") == true)
        #expect(reason(String(repeating: "[", count: 100))?.contains("nesting deeper") == true)
        #expect(reason(good + "x")?.contains("data after the JSON document") == true)
    }

    @Test func wrongShape() {
        #expect(reason("[1,2]") == "not a digest: the JSON is not an object")
        #expect(reason(good.replacingOccurrences(of: "\"logFiles\":[", with: "\"logFilez\":["))
            == "not a digest: logFiles is missing")
        #expect(reason(good.replacingOccurrences(of: "\"digestEndTime\":\"", with: "\"digestEndTime\":\"x"))?
            .contains("is not a UTC time") == true)
        #expect(reason(good.replacingOccurrences(of: "SHA256withRSA", with: "MD5withRSA"))
            == "digestSignatureAlgorithm is MD5withRSA, not SHA256withRSA")
        #expect(reason(good.replacingOccurrences(of: "\"previousDigestHashValue\":null", with: "\"previousDigestHashValue\":\"ab\""))?
            .contains("some previousDigest* fields are null") == true)
        let listed = builder.build().files.first { !$0.isDigest }!
        let shortHash = good.replacingOccurrences(of: SHA256Stream.hex(listed.json), with: "abc")
        #expect(reason(shortHash) == "not a digest: logFiles[0].hashValue is not a SHA-256 value (64 hex digits)")
    }

    @Test func pathsOutsideTheTrail() {
        let listed = builder.build().files.first { !$0.isDigest }!.path
        let elsewhere = listed.replacingOccurrences(of: "111122223333", with: "999999999999")
        #expect(reason(good.replacingOccurrences(of: listed, with: elsewhere))?.contains("is outside the trail's log folder") == true)
        let key = builder.digestKey(endTime: builder.start + 3600)
        // Read from another place than it names: moved.
        var other = builder
        other.trail = "other"
        #expect(reason(good, key: other.digestKey(endTime: builder.start + 3600))?.contains("moved from its original location") == true)
        #expect(reason(good, key: "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/x.json.gz")?.contains("not in the digest layout") == true)
        #expect(reason(good.replacingOccurrences(of: key, with: key.replacingOccurrences(of: "2026/10/01", with: "2026/10/02")), key: key.replacingOccurrences(of: "2026/10/01", with: "2026/10/02"))?.contains("date folder") == true)
    }

    @Test func optionalPrefixAndOrganizationKeysParse() throws {
        var b = builder
        b.organization = "o-abc123def4"
        let (files, _) = b.build()
        let digest = files.first(where: \.isDigest)!
        // The S3 prefix is dropped by the sync: the key matches from AWSLogs/ on.
        let text = String(decoding: digest.json, as: UTF8.self).replacingOccurrences(of: "\"AWSLogs/", with: "\"prefix/x/AWSLogs/")
        var facts = VerificationFacts()
        Array(text.utf8).withUnsafeBytes { facts.addDigest(path: "/synced/" + digest.path, uncompressed: $0) }
        #expect(facts.failures.isEmpty)
        let parsed = try #require(facts.digests[digest.path]?.first?.digest)
        #expect(parsed.trail.organization == "o-abc123def4" && parsed.trail.trail == "audit_trail")
        #expect(parsed.logFiles.allSatisfy { $0.key.hasPrefix("AWSLogs/o-abc123def4/111122223333/CloudTrail/eu-west-1/") })
    }

    @Test func backfillDigestsChainAmongThemselves() {
        var (files, _) = builder.build()
        // A backfill digest listing one more log file of hour 2.
        var backfill = builder
        backfill.hours = 1
        backfill.start = builder.start + 2 * 3600
        var built = backfill.build().files
        let d = built.firstIndex(where: \.isDigest)!
        let key = built[d].path.replacingOccurrences(of: ".json.gz", with: "_backfill.json.gz")
        built[d].json = Array(String(decoding: built[d].json, as: UTF8.self).replacingOccurrences(of: built[d].path, with: key).utf8)
        built[d].path = key
        // With the two log files it lists, delivered late.
        files += built
        let report = DigestVerifier.verify(.reading(files))
        #expect(report.isIntact)
        #expect(report.trails[0].backfillDigestsRead == 1 && report.trails[0].digestsRead == builder.hours + 1)
        #expect(report.trails[0].logFilesVerified == (builder.hours + 1) * builder.logsPerHour)
        #expect(report.trails[0].hourGaps.isEmpty && report.trails[0].loggingGaps.isEmpty)
    }

    /// FuzzDigest found it (FuzzTesting/FailCases/FuzzDigest-newline-in-account):
    /// a value with an escaped newline went into the reason verbatim.
    @Test func reasonsStayOnOneLineWhateverTheValues() {
        let r = reason(good.replacingOccurrences(of: "\"awsAccountId\":\"111122223333\"", with: "\"awsAccountId\":\"1111\\n2222\\u2028\"", options: []))
        #expect(r == "awsAccountId 1111\\u000a2222\\u2028 differs from the account 111122223333 of its path")
        let long = reason(good.replacingOccurrences(of: "SHA256withRSA", with: String(repeating: "x", count: 500)))
        #expect(long?.count ?? 0 < 300 && long?.contains("…") == true)
    }

    @Test func randomDamageNeverCrashes() {
        // Byte flips, truncations and insertions on a good digest: each
        // input is a parsed digest or a failure, never a trap.
        let base = Array(good.utf8)
        var rng = SystemRandomNumberGenerator()
        var failures = 0
        for _ in 0..<2000 {
            var bytes = base
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeLast(Int.random(in: 1..<bytes.count, using: &rng))
            default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0..<bytes.count, using: &rng))
            }
            var facts = VerificationFacts()
            bytes.withUnsafeBytes { facts.addDigest(path: "/r/" + builder.digestKey(endTime: builder.start + 3600), uncompressed: $0) }
            #expect(facts.digests.count + facts.failures.count == 1)
            failures += facts.failures.count
            if let f = facts.failures.first { #expect(!f.reason.contains("\n")) }
        }
        #expect(failures > 0)
    }

    @Test func publicKeysInEveryFormTheCLIWrites() throws {
        let signer = DigestSigner.test
        let json = signer.listPublicKeysJSON(validity: 0...1)
        let keys = try DigestPublicKeys.parse(listPublicKeysJSON: Array(json.utf8))
        let der = try #require(keys.keys[signer.fingerprint])
        #expect(der.first == 0x30)
        // Value as single base64 (the User Guide's sample), PKCS#1 and SPKI.
        let single = "{\"publicKeyList\":[{\"Fingerprint\":\"aa\",\"Value\":\"\(Base64.encode(der))\"}]}"
        #expect(try DigestPublicKeys.parse(listPublicKeysJSON: Array(single.utf8)).keys["aa"] == der)
        // The User Guide's own sample keys (PKCS#1 and SubjectPublicKeyInfo).
        let sample = """
            [{"Fingerprint":"8eba5db5bea9b640d1c96a77256fe7f2","Value":"MIIBCgKCAQEAn11L2YZ9h7onug2ILi1MWyHiMRsTQjfWE+pHVRLk1QjfWhirG+lpOa8NrwQ/r7Ah5bNL6HepznOU9XTDSfmmnP97mqyc7z/upfZdS/AHhYcGaz7n6Wc/RRBU6VmiPCrAUojuSk6/GjvA8iOPFsYDuBtviXarvuLPlrT9kAd4Lb+rFfR5peEgBEkhlzc5HuWO7S0y+KunqxX6jQBnXGMtxmPBPP0FylgWGNdFtks/4YSKcgqwH0YDcawP9GGGDAeCIqPWIXDLG1jOjRRzWfCmD0iJUkz8vTsn4hq/5ZxRFE7UBAUiVcGbdnDdvVfhF9C3dQiDq3k7adQIziLT0cShgQIDAQAB"},
             {"Fingerprint":"31e8b5433410dfb61a9dc45cc65b22ff","Value":"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqlzPJbvZJ42UdcmLfPUqXYNfOs6I8lCfao/tOs8CmzPOEdtLWugB9xoIUz78qVHdKIqxbaG4jWHfJBiOSSFBM0lt8cdVo4TnRa7oG9io5pysS6DJhBBAeXsicufsiFJR+wrUNh8RSLxL4k6G1+BhLX20tJkZ/erT97tDGBujAelqseGg3vPZbTx9SMfOLN65PdLFudLP7Gat0Z9p5jw/rjpclKfo9Bfc3heeBxWGKwBBOKnFAaN9V57pOaosCvPKmHd9bg7jsQkI9Xp22IzGLsTFJZYVA3KiTAElDMu80iFXPHEq9hKNbt9e4URFam+1utKVEiLkR2disdCmPTK0VQIDAQAB"}]
            """
        #expect(try DigestPublicKeys.parse(listPublicKeysJSON: Array(sample.utf8)).keys.count == 2)
        #expect(throws: DigestFormatError.self) { try DigestPublicKeys.parse(listPublicKeysJSON: Array("{}".utf8)) }
        #expect(throws: DigestFormatError.self) {
            try DigestPublicKeys.parse(listPublicKeysJSON: Array("[{\"Fingerprint\":\"a\",\"Value\":\"AAAA\"}]".utf8))
        }
    }

    @Test func mergeIsAUnionWhateverTheSplit() throws {
        var b = builder
        b.hours = 12
        b.stopAfter = 4
        b.restartAt = 6
        var (files, _) = b.build()
        files.remove(at: files.firstIndex { !$0.isDigest && $0.path.contains("h8f1") }!)
        let whole = VerificationFacts.reading(files)
        let keys = try DigestPublicKeys.parse(listPublicKeysJSON: Array(DigestSigner.test.listPublicKeysJSON(validity: 0...1).utf8))
        let expected = DigestVerifier.verify(whole, publicKeys: keys)
        #expect(expected.totals.missing.count == 1 && expected.totals.loggingGaps.count == 1)
        var rng = SystemRandomNumberGenerator()
        for parts in [2, 3, 7] {
            // Random shards (chains cross every boundary), merged in a random order.
            var shards = Array(repeating: [DigestTrailBuilder.File](), count: parts)
            for f in files { shards[Int.random(in: 0..<parts, using: &rng)].append(f) }
            let facts = shards.map { VerificationFacts.reading($0) }
            let merged = VerificationFacts.merged(facts.shuffled(using: &rng))
            #expect(merged == whole)
            #expect(DigestVerifier.verify(merged, publicKeys: keys) == expected)
            // Associative, commutative, idempotent.
            var left = facts[0]
            left.merge(facts[1])
            var right = facts[1]
            right.merge(facts[0])
            #expect(left == right)
            var twice = merged
            twice.merge(merged)
            #expect(twice == merged)
            // A shard alone judges only what it holds.
            #expect(parts == 2 || DigestVerifier.verify(facts[0]) != expected)
        }
    }

    @Test func factsAndReportsRoundTripThroughCodable() throws {
        var (files, _) = builder.build()
        files.removeFirst()
        var facts = VerificationFacts.reading(files)
        facts.addFailure(path: "/x", reason: "not valid JSON: unexpected byte 0x74 at byte 0")
        let data = try JSONEncoder().encode(facts)
        #expect(try JSONDecoder().decode(VerificationFacts.self, from: data) == facts)
        let report = DigestVerifier.verify(facts)
        #expect(try JSONDecoder().decode(VerificationReport.self, from: JSONEncoder().encode(report)) == report)
    }
}
