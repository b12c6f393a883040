// The verdict on trails built from the documented digest format
// (DigestTrailBuilder), intact and damaged one way at a time: each damage is
// found and named, and nothing else is.
//
// Sources for what "correct" is:
// - AWS CloudTrail User Guide, "CloudTrail digest file structure"
//   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html):
//   logFiles.hashValue is "the hexadecimal encoded hash value of the
//   uncompressed log file content"; previousDigestHashValue is "the hash
//   value of the uncompressed contents of the previous digest file"; a
//   starting digest has the five previous* fields null; empty digests are
//   delivered for quiet hours.
// - "Custom implementations of CloudTrail log file integrity validation"
//   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html):
//   the data signing string (end time, bucket/object, hex SHA-256 of the
//   digest, previous signature), SHA256withRSA, and that offline the newest
//   digest's signature (S3 metadata) is not available.
// - The AWS CLI, awscli/customizations/cloudtrail/validation.py (read in
//   awscli 1.45.11): `_download_log` inflates each log file and updates a
//   rolling SHA-256 with the inflated chunks, so hashValue is over the
//   uncompressed bytes; `_create_string_to_sign` hashes the inflated digest
//   and writes 'null' for a starting digest's previous signature.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanVerify

@Suite struct DigestVerifierTests {
    let builder = DigestTrailBuilder()

    func keys(_ signer: DigestSigner = .test, as fingerprint: String? = nil) throws -> DigestPublicKeys {
        let json = signer.listPublicKeysJSON(validity: 0...2_000_000_000)
        var parsed = try DigestPublicKeys.parse(listPublicKeysJSON: Array(json.utf8))
        if let fingerprint, let der = parsed.keys.values.first {
            parsed = DigestPublicKeys()
            try parsed.add(fingerprint: fingerprint, der: der)
        }
        return parsed
    }

    /// Everything a report names, for "nothing else is named".
    struct Findings: Equatable {
        var missing: [String] = []
        var modified: [String] = []
        var extra: [String] = []
        var breaks: [String] = []
        var loggingGaps = 0
        var hourGaps: [Int] = []
        var signatureFailures: [String] = []
        var failed: [String] = []
        var continuesBefore: [String] = []

        init() {}
        init(_ r: VerificationReport) {
            let t = r.totals
            missing = t.missing
            modified = t.modified.map(\.key)
            extra = t.extra
            breaks = t.chainBreaks.map { "\($0.kind.rawValue) \($0.previous)" }
            loggingGaps = t.loggingGaps.count
            hourGaps = t.hourGaps.map(\.hours)
            signatureFailures = t.signatureFailures
            failed = r.failedFiles.map(\.path)
            continuesBefore = t.chainContinuesBefore
        }
    }

    @Test func intactTrailVerifiesEveryLogFileWithZeroFindings() throws {
        let (files, _) = builder.build()
        let report = DigestVerifier.verify(.reading(files), publicKeys: try keys())
        #expect(report.isIntact)
        #expect(Findings(report) == Findings())
        #expect(report.trails.count == 1)
        let t = report.trails[0]
        #expect(t.trail.trail == "audit_trail" && t.trail.homeRegion == "us-east-1" && t.trail.region == "eu-west-1")
        #expect(t.digestsRead == builder.hours)
        #expect(t.logFilesVerified == builder.hours * builder.logsPerHour)
        #expect(t.notCoveredByDigests == 0 && t.logsOfMissingDigests == 0)
        // Every digest but the newest is checked through its successor.
        #expect(t.signaturesValid == builder.hours - 1)
        #expect(t.signaturesUnchecked.map(\.digest) == [files.last { $0.isDigest }!.path])
        #expect(t.signaturesUnchecked[0].reason.contains("S3 object metadata"))
    }

    @Test func withoutKeysNoSignatureIsChecked() {
        let report = DigestVerifier.verify(.reading(builder.build().files))
        #expect(report.isIntact && !report.publicKeysGiven)
        #expect(report.trails[0].signaturesValid == 0 && report.trails[0].signatureFailures.isEmpty)
    }

    @Test func removedLogFileIsMissing() {
        var (files, _) = builder.build()
        let gone = files.remove(at: files.firstIndex { !$0.isDigest && $0.path.contains("h3f1") }!)
        let report = DigestVerifier.verify(.reading(files))
        var expected = Findings()
        expected.missing = [gone.path]
        #expect(Findings(report) == expected)
        #expect(!report.isIntact)
        #expect(report.trails[0].logFilesVerified == builder.hours * builder.logsPerHour - 1)
    }

    @Test func modifiedLogFileIsNamedWithBothHashes() throws {
        var (files, _) = builder.build()
        let i = files.firstIndex { !$0.isDigest && $0.path.contains("h2f0") }!
        let original = files[i].json
        // Still valid JSON, one character of one value changed.
        files[i].json = Array(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "Decrypt", with: "Encrypt").utf8)
        let report = DigestVerifier.verify(.reading(files))
        var expected = Findings()
        expected.modified = [files[i].path]
        #expect(Findings(report) == expected)
        let m = report.trails[0].modified[0]
        #expect(m.expected == SHA256Stream.hex(original) && m.actual == SHA256Stream.hex(files[i].json))
        #expect(m.path == "/trail/" + files[i].path)
    }

    @Test func unlistedLogFileInsideTheDigestsRangeIsExtra() {
        var (files, _) = builder.build()
        let key = builder.logKey(delivered: builder.start + 3 * 3600 + 900, unique: "copiedIn00000000")
        files.append(.init(path: key, json: builder.logJSON(eventTime: builder.start + 3 * 3600, id: "x"), isDigest: false))
        let report = DigestVerifier.verify(.reading(files))
        var expected = Findings()
        expected.extra = ["/trail/" + key]
        #expect(Findings(report) == expected)
    }

    @Test func logFileAfterTheNewestDigestIsNotCoveredNotExtra() {
        var (files, _) = builder.build()
        let late = builder.start + Int64(builder.hours) * 3600 + 600
        files.append(.init(path: builder.logKey(delivered: late, unique: "late"), json: builder.logJSON(eventTime: late, id: "l"), isDigest: false))
        let report = DigestVerifier.verify(.reading(files))
        #expect(report.isIntact)
        #expect(report.trails[0].notCoveredByDigests == 1)
    }

    @Test func deletedDigestBreaksTheChainAndNothingElse() {
        var (files, _) = builder.build()
        let i = files.firstIndex { $0.isDigest && $0.path.contains("T040500Z") }!
        let gone = files.remove(at: i)
        let report = DigestVerifier.verify(.reading(files))
        var expected = Findings()
        expected.breaks = ["previous-digest-missing \(gone.path)"]
        #expect(Findings(report) == expected)
        let t = report.trails[0]
        #expect(t.chainBreaks[0].hoursWithoutDigest == 1)
        // Its two log files are unverifiable, not called extra.
        #expect(t.logsOfMissingDigests == builder.logsPerHour)
        #expect(t.logFilesVerified == (builder.hours - 1) * builder.logsPerHour)
    }

    @Test func alteredDigestWithRewrittenLogFileShowsOnlyInTheChain() throws {
        var (files, _) = builder.build()
        let log = files.firstIndex { !$0.isDigest && $0.path.contains("h4f0") }!
        let digest = files.firstIndex { $0.isDigest && $0.path.contains("T050500Z") }!
        let oldHash = SHA256Stream.hex(files[log].json)
        files[log].json = Array(String(decoding: files[log].json, as: UTF8.self).replacingOccurrences(of: "Decrypt", with: "Encrypt").utf8)
        let newHash = SHA256Stream.hex(files[log].json)
        let text = String(decoding: files[digest].json, as: UTF8.self)
        #expect(text.contains(oldHash))
        files[digest].json = Array(text.replacingOccurrences(of: oldHash, with: newHash).utf8)
        let report = DigestVerifier.verify(.reading(files), publicKeys: try keys())
        var expected = Findings()
        expected.breaks = ["previous-digest-altered \(files[digest].path)"]
        #expect(Findings(report) == expected)
        #expect(report.trails[0].chainBreaks[0].previousPath == "/trail/" + files[digest].path)
        #expect(report.trails[0].logFilesVerified == builder.hours * builder.logsPerHour)
    }

    @Test func stopAndRestartIsALoggingGapNotDamage() throws {
        var b = builder
        b.hours = 10
        b.stopAfter = 3
        b.restartAt = 6
        let (files, _) = b.build()
        let report = DigestVerifier.verify(.reading(files), publicKeys: try keys())
        var expected = Findings()
        expected.loggingGaps = 1
        #expect(Findings(report) == expected)
        #expect(report.isIntact)
        let t = report.trails[0]
        #expect(t.loggingGaps[0].from == b.start + 4 * 3600 && t.loggingGaps[0].to == b.start + 6 * 3600)
        #expect(t.digestsRead == 8 && t.logFilesVerified == 16)
        // The final digest before the stop is linked by no later digest.
        #expect(t.signaturesValid == 6 && t.signaturesUnchecked.count == 2)
    }

    @Test func hourWithoutDigestIsAnHourGap() {
        var b = builder
        b.hourWithoutDigest = 5
        let report = DigestVerifier.verify(.reading(b.build().files))
        var expected = Findings()
        expected.hourGaps = [1]
        #expect(Findings(report) == expected)
        #expect(report.isIntact)
        #expect(report.trails[0].hourGaps[0].from == b.start + 5 * 3600)
    }

    @Test func firstDigestNamingAnUnreadPreviousIsNotABreak() {
        var b = builder
        b.startsChain = false
        let report = DigestVerifier.verify(.reading(b.build().files))
        #expect(report.isIntact)
        #expect(report.trails[0].chainContinuesBefore == [b.digestKey(endTime: b.start)])
    }

    @Test func signaturesFailWithTheWrongKey() throws {
        let other = try DigestSigner(pem: TestKeys.otherPEM)
        let wrong = try keys(other, as: DigestSigner.test.fingerprint)
        let report = DigestVerifier.verify(.reading(builder.build().files), publicKeys: wrong)
        #expect(report.trails[0].signatureFailures.count == builder.hours - 1)
        #expect(!report.isIntact)
        // A key with another fingerprint leaves them unchecked, not failed.
        let unrelated = try keys(other)
        let r2 = DigestVerifier.verify(.reading(builder.build().files), publicKeys: unrelated)
        #expect(r2.trails[0].signatureFailures.isEmpty && r2.trails[0].signaturesUnchecked.count == builder.hours)
        #expect(r2.trails[0].signaturesUnchecked[0].reason.contains("no public key with fingerprint"))
    }

    @Test func signatureOverTheWrongStringFails() throws {
        // Sign each digest as if its previous signature were empty instead
        // of "null": every checked signature must fail.
        var b = builder
        b.hours = 3
        let (files, _) = b.build()
        var facts = VerificationFacts()
        for f in files where !f.isDigest { facts.addLog(path: "/t/" + f.path, sha256: SHA256Stream.hex(f.json)) }
        // Rebuild digest 2 with a signature of digest 1 computed over another string.
        var digests = files.filter(\.isDigest)
        let first = try DigestFile.parse(digests[0].json.withUnsafeBytes { UnsafeRawBufferPointer($0) }, key: digests[0].path)
        let wrong = DigestSigner.test.signatureHex(Array("\(first.endTimeText)\n\(first.bucket)/\(first.object)\n\(SHA256Stream.hex(digests[0].json))\n".utf8))
        var text = String(decoding: digests[1].json, as: UTF8.self)
        let right = String(text.split(separator: "\"previousDigestSignature\":\"")[1].prefix(512))
        text = text.replacingOccurrences(of: right, with: wrong)
        digests[1].json = Array(text.utf8)
        for d in digests { d.json.withUnsafeBytes { facts.addDigest(path: "/t/" + d.path, uncompressed: $0) } }
        let report = DigestVerifier.verify(facts, publicKeys: try keys())
        // Digest 1's signature fails; digest 2 changed, so digest 3's link breaks.
        #expect(report.trails[0].signatureFailures == [digests[0].path])
        #expect(report.trails[0].chainBreaks.map(\.previous) == [digests[1].path])
    }

    @Test func compressedHashIsNotTheDigestHash() throws {
        // hashValue is over the uncompressed bytes (see header): a verifier
        // that hashed the stored gzip bytes would call every file modified.
        let (files, _) = builder.build()
        let log = files.first { !$0.isDigest }!
        let digest = try DigestFile.parse(files.first(where: \.isDigest)!.json.withUnsafeBytes { UnsafeRawBufferPointer($0) }, key: files.first(where: \.isDigest)!.path)
        #expect(digest.logFiles[0].hashValue == SHA256Stream.hex(log.json))
    }
}

enum TestKeys {
    /// A second 2048-bit test key (not the built-in one).
    static let otherPEM = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIEpAIBAAKCAQEAwI3oHOiKznqWs1F+CI8XZ5dzJSCI+K03I55rml6OP7yg/oEH
        7jF0KobXrT34NBdJ2uxSQF1WahFn8uQOFxuQQsk6jBpeAvRzNwuP8bvToYgggjgy
        zN6cdGNN73DqcaNmQkyb2dfjB4RjQNkhgPhkFFoKSSJi0kAM8sLIyzMcdzJt103G
        ENdEeFygh6cjAoEvcuIOPATuzdcx+nTLguxBmKGTIGOyeFJNMxJ2gtM6f3NUjwoh
        QukPCGfULCMuzVc3auDr7fmHVKJ7VIbydOVfFMhTvlHWAb834yidQp019LwrHgXC
        QVDarmeOXcc7ev6tXnRCcjJs0mWMCgWfL0VyXwIDAQABAoIBADZv6A9ELvnw7moD
        v/3rdlJzHrqAWDj1v4DyaLlbwhuC2IEbOYK9uHnNZWw0+NbBPsAFz7siqCuUgC7L
        CrC9uisneMXjLnDnaytEuY097LbeJVKrULFaviCpcn8fDSjTaTWVMvqDbkvRwb2z
        pSUxFBos2nuSnR2TvhVjvCC2cnW/7gZtwjmw1eMb7fME6TvtKH62qSLLXWeqtTHL
        OtQQN2dIvyE/6szn3+djJ0j6QRHUM2hU/0kb/Zq5ThGspSwGWS/EZypGoxvh5IUS
        sylH5I27DDB0Hf9Bqgy5oR8QO1c0q/DzlPgye7SlTYau+N143TgT7Y2OpGZQAB5S
        Flg2/AECgYEA8osEEtVYgoPZLNS5uf72SKULxrxQiZDyZLHSx6KRMO83U6vx5yjd
        fXN3+qiEoo7W+RDytGWrNnNZHmZARH3Cz52h5TmicZISL0MFGSXcdWdCQbndSHZ7
        U4mg39as/qBvlCn9xS6PLLMH3NVX3cg8RMH7Ubip2HjZbvF9qLuMQ48CgYEAyzzf
        BkCJmI91goZz338IaKExQIPXw5fc4v87Q432+45xO8eUjo9PDW/5yJ4ni9XJ01xf
        Y5r8UPkbaSF7lKL8PJvCd7CcwikSR/4sn3GXF1yeB7Bxs0zti7j7Y8SRrNYRTJiD
        tNdoF44moJDiVD3J/5buB7IR1mGqiFafHFV5PDECgYEAo8j8lzs66effYEbGpLNn
        3OaXbTz9pegbx6PNksJVCZaA5h/W2yLdbznqa3ohFyUeRlMLkoaVd8+s/rpN6/KA
        +3KXQRQKfmcFoKTBbJoEpcN1Gq1IoQZhgagO2xk8+TWeI4+3rtAiHy1GwfnPvBTb
        nhLgg+8Pwv7Y1fJ9yNPdhEECgYBlZaw7mU1M0R4mjeAXvHA8i1dgQacPTaAFnKM7
        tANqRAnYcl16tqMRKDGt1sISMQptqiNpNXT3DSGQ1QSsBpjjwC5IutOqxwT46CXp
        MqnYHPw3B9/iPdoyIItDnlmzqmWdGmZzfhjPz7sT1tUkhGNYYjvFmSDvHXEQbm8Z
        msdOsQKBgQDchEPUExhsW27zp/faUhsVbQMAyhBUaWVKkFL5r9l7BajdpbOpQ26i
        ju0fcMTrpK4lZ/rrP65tpw3nCGx6dApXuoN9hlIan3qniSPGGC8uPtg5LH+2uo5k
        qYIG0Lyc1vqzaqjKlWAl3PKrwCEaMlvrlAMxH5qv0/xVOk7wHBlvlQ==
        -----END RSA PRIVATE KEY-----
        """
}
