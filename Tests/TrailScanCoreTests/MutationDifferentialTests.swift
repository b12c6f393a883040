// Differential tests: seeded random mutations of valid documents full of the
// hard cases, each judged by the reference (JSONSerialization + docs/counting.md)
// and by the scanner, with several chunkings:
//
// - reference accepts  -> the scanner accepts, with equal rows and totals;
// - reference rejects  -> the scanner rejects; when the reference found
//   well-formed JSON that is not a trail (no Records, a non-object record,
//   two Records), the scanner's reason is one of those structural reasons;
// - reference cannot judge (`.unsupported`: nesting deeper than 512, a number
//   outside Double's range; see ReferenceCounter.swift) -> skipped, counted;
// - every chunking gives the scanner the same answer (report, or reason and
//   offset) as the whole-document scan.
//
// The JSONSerialization quirks (trailing commas, UTF-16 sniffing, lone
// surrogates, duplicate Records, canonically equivalent names) are closed
// inside the reference, not excluded here, so no mutated input is skipped
// for them. A failure names the seed and mutations, and shows the input
// shrunk to a minimal one that still fails the same way.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TrailScanCore
import TrailScanTestSupport

private let arnA = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
private let arnB = "arn:aws:kms:us-east-1:111122223333:key/mrk-0987dcba09fe87dc65baab0987654321"

/// Valid seed documents. Each one is also checked unmutated.
private let differentialSeeds: [(name: String, bytes: [UInt8])] = [
    (
        "realistic compact",
        Array(
            trail(
                #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA:s","arn":"arn:aws:sts::111122223333:assumed-role/R/s","accountId":"111122223333","sessionContext":{"attributes":{"creationDate":"2024-01-01T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2024-01-01T00:00:01Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-sdk","requestParameters":{"encryptionContext":{"keyId":"not-this","aws:s3:arn":"arn:aws:s3:::bucket/obj"},"encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,"requestID":"r1","eventID":"e1","readOnly":true,"resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"\#(arnA)"}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}"#,
                #"{"eventSource":"kms.amazonaws.com","eventName":"ReEncrypt","awsRegion":"us-east-1","requestParameters":{"sourceKeyId":"alias/old","destinationKeyId":"alias/new"},"resources":[{"type":"AWS::KMS::Key","ARN":"\#(arnA)"},{"type":"AWS::KMS::Key","ARN":"\#(arnB)"},{"type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:111122223333:alias/old"}],"recipientAccountId":"111122223333"}"#,
                #"{"eventSource":"kms.amazonaws.com","eventName":"GenerateDataKey","awsRegion":"cn-north-1","errorCode":"AccessDenied","errorMessage":"no","userIdentity":{"accountId":"444455556666"},"requestParameters":{"keyId":"alias/app","keySpec":"AES_256","numberOfBytes":32}}"#,
                #"{"eventSource":"kms.amazonaws.com","eventName":"CreateKey","awsRegion":"us-gov-west-1","requestParameters":{"keyUsage":"ENCRYPT_DECRYPT","keyId":"ignored"},"responseElements":{"keyMetadata":{"keyId":"x","arn":"\#(arnB)","creationDate":"Jan 1, 2024"},"keyId":"\#(arnA)"},"recipientAccountId":"111122223333"}"#,
                #"{"eventSource":"kms.amazonaws.com","eventName":"ListKeys","awsRegion":"eu-west-1","requestParameters":{"limit":1000},"responseElements":null,"errorCode":""}"#,
                #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","requestParameters":{"bucketName":"b","key":"k","keyId":"x"},"resources":[{"ARN":"\#(arnA)"}],"additionalEventData":{"eventSource":"kms.amazonaws.com"}}"#,
                #"{"eventSource":"kms.amazonaws.com","eventName":"Encrypt","awsRegion":"us-west-2","recipientAccountId":"111122223333","requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","targetKeyId":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","sourceKeyId":"mrk-1","destinationKeyId":"mrk-1"}}"#
            ).utf8)
    ),
    (
        "pretty-printed with BOM and extra top-level members",
        [0xEF, 0xBB, 0xBF]
            + Array(
                """
                {
                  "first" : { "Records" : [ 1, 2 ], "s" : "x" },
                  "Records" : [
                    {
                      "eventSource" : "kms.amazonaws.com",
                      "eventName" : "Sign",
                      "awsRegion" : "ap-south-1",
                      "recipientAccountId" : "111122223333",
                      "requestParameters" : { "keyId" : "alias/signing", "message" : "[REDACTED]" },
                      "resources" : [ ]
                    } ,
                \t\t{ "eventSource":"kms.amazonaws.com" , "eventName":"Verify",\r\n"errorCode":"KMSInvalidSignatureException",
                \t\t  "resources":[{"ARN":"\(arnB)"}] },
                    { }
                  ] ,
                  "last" : [ true , false , null , -0.5e-3 , "Records" ]
                }\r\n\t
                """.utf8)
    ),
    (
        "escapes and UTF-8",
        Array(
            trail(
                #"{"event\u0053ource":"\u006bms.amazonaws\u002ecom","\u0065ventName":"D\u00e9crypt-\ud83d\ude00-\"q\"-\\-\/","aws\u0052egion":"eu-central-1","recipientAccountId":"111122223333","requestParameters":{"key\u0049d":"alias\/\u00e9t\u00e9","targetKeyId":"ключ-🔑","x":"\b\f\n\r\t\u0000\u001f"}}"#,
                #"{"eventSource":"kms.amazonaws.com","eventName":"Lone\ud800Surrogate\udc00","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key\/k-\u00e9"},{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k-é"}],"userAgent":"\\\"\\","z":"中文 ☃ 😀 \u4e2d"}"#,
                #"{"eventSource":"kms.amazonaws.com","eventName":"\\","requestParameters":{"keyId":"\\\\","sourceKeyId":"\""},"awsRegion":"\\u0063n-north-1"}"#
            ).utf8)
    ),
    (
        "duplicates, nulls, nesting and numbers",
        Array(
            #"{"a":[[[[[[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]]]]],"Records":[{"eventName":"First","eventSource":"s3.amazonaws.com","eventSource":"kms.amazonaws.com","eventName":"Second","userIdentity":{"accountId":"111122223333"},"userIdentity":{"type":"X"},"awsRegion":null,"requestParameters":{"keyId":"k1"},"requestParameters":{"keyId":"k2","keyId":"k3"}},{"eventSource":"kms.amazonaws.com","eventName":7,"errorCode":null,"errorCode":"E","resources":{"ARN":"\#(arnA)"},"n":[0,-0,1E+5,0.5e-3,-12.75,123456789012345678901234567890,1e-300,{"a":{"b":{"c":[{},[],"",null,true,false]}}}]},{"eventSource":"kms.amazonaws.com","eventName":"N","recipientAccountId":5,"userIdentity":{"accountId":"999988887777","sessionContext":{"accountId":"1"}},"awsRegion":"us-gov-east-1","requestParameters":{"keyId":"","targetKeyId":null,"sourceKeyId":"s","destinationKeyId":["d"]}},{},{"eventSource":null,"eventName":"X"}],"z":{"Records":{}},"n":-12345.678e-2,"t":true}"#
                .utf8)
    ),
    (
        "many small records",
        Array(
            trail(
                (0..<30).map { i -> String in
                    switch i % 6 {
                    case 0: #"{"eventSource":"kms.amazonaws.com","eventName":"E\#(i)","requestParameters":{"keyId":"k\#(i % 4)"}}"#
                    case 1: #"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","resources":[{"ARN":"arn:aws:kms:r:a:key/\#(i % 5)"}],"errorCode":"X"}"#
                    case 2: #"{"eventSource":"ec2.amazonaws.com","eventName":"E"}"#
                    case 3: "{}"
                    case 4: #"{"eventSource":"kms.amazonaws.com","eventName":"L","v":[1,true,null,"s",{"k":-1.5}]}"#
                    default: #"{"eventSource":"kms.amazonaws.com","responseElements":{"keyId":"arn:aws:kms:r:a:key/r"}}"#
                    }
                }
            ).utf8)
    ),
]

/// How a reference verdict and a scanner verdict disagree.
private enum Disagreement: Equatable, CustomStringConvertible {
    case validRejected(ScanError.Reason)
    case invalidAccepted
    case countsDiffer
    case wrongStructuralReason(ScanError.Reason)
    case chunkingDiffers(String)
    /// The document is valid and `--validate used` counts it otherwise.
    case modesDiffer

    var description: String {
        switch self {
        case .validRejected(let reason): "reference accepts, scanner rejects (\(reason))"
        case .invalidAccepted: "reference rejects, scanner accepts"
        case .countsDiffer: "both accept, counts differ"
        case .wrongStructuralReason(let reason): "valid JSON but not a trail, scanner says \(reason)"
        case .chunkingDiffers(let chunking): "\(chunking) differs from the whole-document scan"
        case .modesDiffer: "valid, and --validate used differs from full"
        }
    }

    /// The kind without its parameters, to group disagreements.
    var kind: String {
        switch self {
        case .validRejected: "valid rejected"
        case .invalidAccepted: "invalid accepted"
        case .countsDiffer: "counts differ"
        case .wrongStructuralReason: "wrong structural reason"
        case .chunkingDiffers: "chunking differs"
        case .modesDiffer: "modes differ"
        }
    }
}

private struct Verdict {
    var disagreement: Disagreement?
    var detail: String
    var unsupported: Bool
    var referenceAccepted: Bool
}

/// Judges one document with the reference and the scanner (whole document
/// plus `chunkings`).
private func judge(_ document: [UInt8], chunkings: [Chunking]) -> Verdict {
    let reference: Result<ReferenceResult, ReferenceRejection>
    do {
        reference = .success(try ReferenceCounter.count(document))
    } catch let rejection as ReferenceRejection {
        if rejection.kind == .unsupported {
            return Verdict(disagreement: nil, detail: "", unsupported: true, referenceAccepted: false)
        }
        reference = .failure(rejection)
    } catch {
        fatalError("unexpected error \(error)")
    }
    let whole = scanInChunks(document, chunkSizes: [Int.max])
    let referenceAccepted = (try? reference.get()) != nil
    var verdict = Verdict(disagreement: nil, detail: "", unsupported: false, referenceAccepted: referenceAccepted)
    switch (reference, whole) {
    case (.success(let expected), .success(let report)):
        if let difference = reportDifference(ReferenceResult(report), expected: expected) {
            verdict.disagreement = .countsDiffer
            verdict.detail = difference
        }
    case (.success, .failure(let error)):
        verdict.disagreement = .validRejected(error.reason)
        verdict.detail = "scanner: \(error)"
    case (.failure(let rejection), .success(let report)):
        verdict.disagreement = .invalidAccepted
        verdict.detail = "reference: \(rejection)\nscanner: \(ReferenceResult(report))"
    case (.failure(let rejection), .failure(let error)):
        let structural: [ScanError.Reason] = [.notATrail, .recordNotObject, .duplicateRecords]
        if rejection.isStructural && !structural.contains(error.reason) {
            verdict.disagreement = .wrongStructuralReason(error.reason)
            verdict.detail = "reference: \(rejection)\nscanner: \(error)"
        }
    }
    if verdict.disagreement != nil { return verdict }
    // --validate used: on a valid document the same answer; on any document
    // the same answer (or error) at every chunking.
    let used = scanInChunks(document, chunkSizes: [Int.max], validation: .used)
    if referenceAccepted, let difference = chunkingDifference(whole, used) {
        verdict.disagreement = .modesDiffer
        verdict.detail = difference
        return verdict
    }
    for chunking in chunkings {
        for (validation, expected) in [(ValidationMode.full, whole), (.used, used)] {
            let chunked = scanInChunks(
                document, chunkSizes: chunking.sizes, separateFinalCall: chunking.separateFinalCall, validation: validation)
            if let difference = chunkingDifference(expected, chunked) {
                verdict.disagreement = .chunkingDiffers("\(validation) \(chunking)")
                verdict.detail = difference
                return verdict
            }
        }
    }
    return verdict
}

@Suite struct MutationDifferentialTests {
    /// Mutants per seed; `TRAILSCAN_MUTATIONS=100000 swift test --filter
    /// MutationDifferential` runs a longer search locally.
    static let mutationsPerSeed: Int = {
        if let text = getenv("TRAILSCAN_MUTATIONS"), let count = Int(String(cString: text)), count > 0 { return count }
        return 600
    }()

    @Test(arguments: differentialSeeds.indices)
    func seedIsValidAndCountsAgree(_ index: Int) throws {
        let seed = differentialSeeds[index]
        let expected = try ReferenceCounter.count(seed.bytes)
        #expect(expected.records > 0)
        switch scanAllChunkings(seed.bytes) {
        case .success(let report): expectMatches(report, expected)
        case .failure(let error): Issue.record("seed \(seed.name) rejected: \(error)")
        }
    }

    @Test(arguments: differentialSeeds.indices)
    func mutatedDocumentsAgree(_ index: Int) {
        let seed = differentialSeeds[index]
        var accepted = 0
        var unsupported = 0
        var disagreements: [String: Int] = [:]
        let targets = ByteMutator.Targets(seed.bytes)
        for iteration in 0..<Self.mutationsPerSeed {
            var rng = SplitMix64(seed: UInt64(index) << 32 | UInt64(iteration))
            var document = seed.bytes
            var mutations: [Mutation] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                mutations.append(ByteMutator.mutate(&document, using: &rng, targets: targets))
            }
            // Besides the whole document: one random irregular chunking, and
            // every 8th mutant small chunks. (Small chunks rescan the record
            // being cut once per chunk: the cost is what limits the count.)
            var chunkings = [Chunking((0..<4).map { _ in Int.random(in: 1...400, using: &rng) })]
            if iteration % 8 == 0 {
                chunkings.append(Chunking((0..<3).map { _ in Int.random(in: 1...9, using: &rng) }, separateFinalCall: iteration % 16 == 0))
            }

            let verdict = judge(document, chunkings: chunkings)
            if verdict.unsupported { unsupported += 1 }
            if verdict.referenceAccepted { accepted += 1 }
            guard let disagreement = verdict.disagreement else { continue }
            // Report the first two of each kind in full, shrunk to a minimal
            // input that still disagrees the same way.
            let kind = disagreement.kind + (disagreement == .countsDiffer ? "" : ": " + withoutPositions(verdict.detail))
            disagreements[kind, default: 0] += 1
            guard disagreements[kind]! <= 2 else { continue }
            let minimal = ByteMutator.minimize(document) { candidate in
                judge(candidate, chunkings: chunkings).disagreement == disagreement
            }
            let minimalVerdict = judge(minimal, chunkings: chunkings)
            Issue.record(
                """
                \(disagreement) — seed "\(seed.name)", iteration \(iteration), mutations \(mutations)
                \(verdict.detail)
                minimal input (\(minimal.count) bytes): \(describeDocument(minimal))
                \(minimalVerdict.detail)
                """)
        }
        let total = disagreements.values.reduce(0, +)
        let kinds = disagreements.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
        print(
            "differential \"\(seed.name)\": \(Self.mutationsPerSeed) mutants, \(accepted) valid, "
                + "\(unsupported) unsupported, \(total) disagreements\(total > 0 ? " (\(kinds))" : "")")
        if total > 0 {
            Issue.record("\(total) of \(Self.mutationsPerSeed) mutants disagree: \(kinds)")
        }
        // The mutations must exercise both sides: enough valid mutants to
        // compare counts, and few the reference cannot judge.
        #expect(accepted >= Self.mutationsPerSeed / 20, "only \(accepted) mutants were valid")
        #expect(unsupported <= Self.mutationsPerSeed / 50, "\(unsupported) mutants could not be judged")
    }
}

/// `detail` without byte offsets and found-bytes, to group disagreements of
/// the same shape ("whole: not a CloudTrail log; chunked: unexpected byte").
private func withoutPositions(_ detail: String) -> String {
    var out = ""
    var rest = Substring(detail)
    while let range = rest.range(of: " at byte ") {
        out += rest[..<range.lowerBound]
        rest = rest[range.upperBound...].drop(while: { $0.isNumber })
        if rest.hasPrefix(":") { rest = rest.drop(while: { $0 != ";" && $0 != "\n" }) }
    }
    return (out + rest).split(separator: "\n").joined(separator: " / ")
}
