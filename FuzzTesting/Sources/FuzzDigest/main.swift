// libFuzzer target: arbitrary bytes as an uncompressed CloudTrail digest
// file (and as a list-public-keys file), through TrailScanVerify.
//
// The digest's key is the first `AWSLogs/….json.gz` string in the input (so
// that seeds from generated trails parse as their own key), else a fixed one.
//
// Checks: no crash, no hang, no memory error; each input is exactly one
// parsed digest or one failure with a one-line reason; merging facts is
// idempotent and order-free; the verdict over a parsed digest (alone, and
// with a log file it lists) runs and counts that log file as verified when
// its hash matches.
//
// Run: scripts/fuzz.sh --target FuzzDigest --seconds 600

import FuzzSupport
import TrailScanVerify

@_cdecl("FuzzDigest_main")
public func fuzzDigestMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzDigestOneInput)
}

private let fallbackKey =
    "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261001T010500Z.json.gz"

/// The first `AWSLogs/…json.gz` run of printable bytes in `input`.
private func embeddedKey(_ input: [UInt8]) -> String? {
    let start = Array("AWSLogs/".utf8)
    let end = Array(".json.gz".utf8)
    guard input.count >= start.count + end.count else { return nil }
    for i in 0...(input.count - start.count) where input[i..<(i + start.count)].elementsEqual(start) {
        var j = i
        while j < input.count && input[j] > 0x20 && input[j] < 0x7F && input[j] != UInt8(ascii: "\"") { j += 1 }
        let candidate = input[i..<j]
        if candidate.count > end.count && candidate.suffix(end.count).elementsEqual(end) {
            return String(decoding: candidate, as: UTF8.self)
        }
    }
    return nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDigestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = count > 0 && start != nil ? Array(UnsafeRawBufferPointer(start: start, count: count)) : []
    let key = embeddedKey(input) ?? fallbackKey
    var facts = VerificationFacts()
    input.withUnsafeBytes { facts.addDigest(path: "/fuzz/" + key, uncompressed: $0) }
    let parsed = facts.digests.values.reduce(0) { $0 + $1.count }
    precondition(parsed + facts.failures.count == 1, "FUZZ CHECK FAILED: not exactly one digest or failure")
    for failure in facts.failures {
        precondition(!failure.reason.isEmpty && !failure.reason.contains("\n"), "FUZZ CHECK FAILED: reason not one line")
    }
    var twice = facts
    twice.merge(facts)
    precondition(twice == facts, "FUZZ CHECK FAILED: merge not idempotent")

    let alone = DigestVerifier.verify(facts)
    if let observation = facts.digests.values.first?.first, let listed = observation.digest.logFiles.first {
        var withLog = facts
        withLog.addLog(path: "/fuzz/" + listed.key, sha256: listed.hashValue)
        var other = VerificationFacts()
        other.addLog(path: "/fuzz/" + listed.key, sha256: listed.hashValue)
        other.merge(facts)
        precondition(other == withLog, "FUZZ CHECK FAILED: merge depends on order")
        let report = DigestVerifier.verify(withLog)
        // Found now: verified (or modified, when the digest lists the same
        // key twice with different hashes), and no longer missing.
        precondition(
            report.totals.logFilesVerified + report.totals.modified.count >= 1,
            "FUZZ CHECK FAILED: a listed log with its hash is neither verified nor modified")
        precondition(
            report.totals.missing.count == alone.totals.missing.count - 1,
            "FUZZ CHECK FAILED: adding the listed log did not remove it from missing")
    }
    _ = VerificationText.json(alone)
    _ = VerificationText.csv(alone)
    _ = try? DigestPublicKeys.parse(listPublicKeysJSON: input)
    return 0
}
