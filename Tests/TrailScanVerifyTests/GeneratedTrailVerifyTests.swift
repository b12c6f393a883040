// `TrailGenerator` with a sealer writes digests that verify: every log file
// listed once and verified, chains intact with no hour gap, every signature
// but the newest of each chain valid; in every JSON style (the signed
// string is built from the decoded field values, as CloudTrail's is).

import Testing
import TrailScanGenerator
import TrailScanTestSupport
import TrailScanVerify

@Suite struct GeneratedTrailVerifyTests {
    @Test(arguments: TrailGenerator.JSONStyle.allCases)
    func sealedGeneratedTrailVerifies(style: TrailGenerator.JSONStyle) throws {
        let files = Array(
            TrailGenerator(.init(seed: 7, targetBytes: 2 << 20, style: style, digestSealer: DigestSigner.test.sealer)))
        var facts = VerificationFacts()
        for file in files {
            if file.kind == .digest {
                file.json.withUnsafeBytes { facts.addDigest(path: "/gen/" + file.relativePath, uncompressed: $0) }
            } else {
                facts.addLog(path: "/gen/" + file.relativePath, sha256: SHA256Stream.hex(file.json))
            }
        }
        let keys = try DigestPublicKeys.parse(
            listPublicKeysJSON: Array(DigestSigner.test.listPublicKeysJSON(validity: 0...2_000_000_000).utf8))
        let report = DigestVerifier.verify(facts, publicKeys: keys)
        #expect(report.failedFiles == [])
        #expect(report.isIntact)
        let t = report.totals
        let logs = files.filter { $0.kind == .log }.count
        let digests = files.filter { $0.kind == .digest }.count
        #expect(t.logFilesVerified == logs)
        #expect(t.digestsRead == digests)
        #expect(t.hourGaps.isEmpty && t.loggingGaps.isEmpty && t.chainBreaks.isEmpty && t.extra.isEmpty)
        #expect(t.notCoveredByDigests == 0 && report.logsWithoutDigests.isEmpty)
        // One chain per stream; all but each chain's newest signature checked.
        #expect(t.signaturesValid == digests - report.trails.count)
        #expect(t.signaturesUnchecked.count == report.trails.count)
        #expect(report.trails.count >= 5)
    }

    @Test func unsealedDigestsHaveTheShapeButDoNotVerify() {
        let files = Array(TrailGenerator(.init(seed: 7, targetBytes: 1 << 20)))
        var facts = VerificationFacts()
        for file in files where file.kind == .digest {
            file.json.withUnsafeBytes { facts.addDigest(path: "/gen/" + file.relativePath, uncompressed: $0) }
        }
        #expect(facts.failures.isEmpty)
        #expect(!DigestVerifier.verify(facts).totals.chainBreaks.isEmpty)
    }
}
