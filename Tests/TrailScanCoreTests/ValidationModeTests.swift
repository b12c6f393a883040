// `--validate used` against `--validate full` (RecordSkimming.swift): on
// every valid document the same answer, whatever the plan, the style, the
// share of records skimmed or the chunking; what each mode checks in a
// record the plan does not need; the duplicate and escaped `eventSource`
// names the skim must not miss; and the structural skipper's instruction
// sets against each other and against a byte-at-a-time model.

import CJSONKernel
import Testing
import TrailScanCore
import TrailScanGenerator
import TrailScanTestSupport

/// Scans `document` into a fresh tally with `plan` in `validation` mode.
private func scan(
    _ document: [UInt8], plan: ScanPlan, _ validation: ValidationMode, chunking: Chunking,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Result<UsageReport, ScanError> {
    let tally = UsageTally(plan: plan.validating(validation))
    return scanInChunks(document, chunking: chunking, into: tally, sourceLocation: sourceLocation)
        .map { tally.makeReport() }
}

/// Plans that need different records: the engine's, the audit default
/// (alias resolution, folded copies: rare facts), another source, and
/// extra dimensions with times.
private let plans: [(String, ScanPlan)] = {
    var s3 = ScanPlan.engine
    s3.source = "s3.amazonaws.com"
    var dimensions = ScanPlan()
    dimensions.dimensions = [.principal, .region, .day, .errorCode]
    dimensions.tracksTimes = true
    dimensions.collectsLifecycle = true
    return [("engine", .engine), ("audit", ScanPlan()), ("s3", s3), ("dimensions", dimensions)]
}()

/// An S3 data event (a record no KMS plan needs) with `extra` members.
private func s3Record(_ extra: String = "") -> String {
    let members = [
        #""eventVersion":"1.09""#, #""userIdentity":{"type":"AssumedRole","accountId":"111122223333"}"#,
        #""eventTime":"2026-10-01T00:00:00Z""#, #""eventSource":"s3.amazonaws.com""#, #""eventName":"GetObject""#,
        #""requestParameters":{"bucketName":"b","key":"k"}"#,
    ]
    return "{" + (members + (extra.isEmpty ? [] : [extra])).joined(separator: ",") + "}"
}

private let arn1 = keyARN("1234abcd-12ab-34cd-56ef-1234567890ab")

@Suite struct ValidationModes {
    // MARK: - Same answers on valid documents

    @Test(arguments: [
        (TrailGenerator.JSONStyle.compact, nil), (.compact, 0.9), (.pretty, 0.5), (.adversarial, nil),
        (.adversarial, 0.9),
    ] as [(TrailGenerator.JSONStyle, Double?)])
    func generatedTrailsGiveTheSameAnswer(style: TrailGenerator.JSONStyle, dataEvents: Double?) {
        var options = TrailGenerator.Options(seed: 14, targetBytes: 600_000, style: style, includeDigests: false)
        options.dataEventShare = dataEvents
        var generator = TrailGenerator(options)
        var files = 0
        var records = 0
        while let file = generator.next() {
            files += 1
            records += file.records
            let chunkings = [Chunking([4093]), .whole, Chunking([65536, 17]), Chunking([7, 1000], separateFinalCall: true)]
            for (name, plan) in plans {
                let chunking = chunkings[(files + name.count) % chunkings.count]
                let full = scan(file.json, plan: plan, .full, chunking: .whole)
                let used = scan(file.json, plan: plan, .used, chunking: chunking)
                if case .failure(let error) = full { Issue.record("\(style) \(file.relativePath): full rejected: \(error)") }
                if let difference = chunkingDifference(full, used) {
                    Issue.record("\(style) \(file.relativePath), plan \(name), used \(chunking): \(difference)")
                }
            }
        }
        #expect(files >= 3 && records > 100)
    }

    @Test func everyChunkingOfSmallTrails() {
        // Small files (two of ~50 KB per style), the standard chunkings of
        // 7 bytes and more (a record cut by a chunk is scanned again from its
        // start per chunk: smaller ones cost minutes in a debug build).
        for style in TrailGenerator.JSONStyle.allCases {
            var options = TrailGenerator.Options(seed: 7, targetBytes: 100_000, style: style, includeDigests: false)
            options.dataEventShare = 0.8
            var generator = TrailGenerator(options)
            var checked = 0
            while let file = generator.next(), checked < 2 {
                checked += 1
                let full = scan(file.json, plan: .engine, .full, chunking: .whole)
                for chunking in Chunking.standard where chunking.sizes.min()! >= 7 {
                    let used = scan(file.json, plan: .engine, .used, chunking: chunking)
                    if let difference = chunkingDifference(full, used) {
                        Issue.record("\(style) \(file.relativePath), used \(chunking): \(difference)")
                    }
                }
            }
            #expect(checked == 2)
        }
    }

    // MARK: - Which eventSource counts

    @Test func aSecondEventSourceIsFound() {
        // The last eventSource wins, in both modes (checkDocument scans both).
        let plainLater = s3Record(#""eventSource":"kms.amazonaws.com","resources":[{"ARN":"\#(arn1)"}]"#)
        let escapedLater = s3Record(#""event\u0053ource":"kms.amazonaws.com","resources":[{"ARN":"\#(arn1)"}]"#)
        let spacedLater = s3Record(#""readOnly":true,  "eventSource"  :  "kms.amazonaws.com""#)
        checkDocument(
            trail(plainLater, escapedLater, spacedLater), [Row(arn1, "GetObject", calls: 2), Row("", "GetObject")],
            records: 3, kmsRecords: 3)
        // KMS first, S3 last: not a KMS record.
        let kmsFirst = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(arn1)"}],"eventSource":"s3.amazonaws.com""#)
        checkDocument(trail(kmsFirst), [], records: 1, kmsRecords: 0)
        // Three of them, in an S3 record: the last.
        let three = s3Record(#""eventSource":"ec2.amazonaws.com","x":1,"eventSource":"kms.amazonaws.com""#)
        checkDocument(trail(three), [Row("", "GetObject")], records: 1, kmsRecords: 1)
    }

    @Test func lookAlikesAreNotEventSource() {
        // Nested, as a value, longer or shorter, or a name followed by a
        // value at another depth: none is the record's eventSource.
        let lookAlikes = [
            s3Record(#""additionalEventData":{"eventSource":"kms.amazonaws.com"}"#),
            s3Record(#""x":"eventSource","y":["eventSource",{"eventSource":"kms.amazonaws.com"}]"#),
            s3Record(#""eventSourceArn":"kms.amazonaws.com","eventSourc":"kms.amazonaws.com""#),
            s3Record(#""x":"a\"eventSource\":\"kms.amazonaws.com""#),
            s3Record(#""x":"\\","eventSourceX":"kms.amazonaws.com""#),
        ]
        checkDocument(trail(lookAlikes), [], records: UInt64(lookAlikes.count), kmsRecords: 0)
    }

    @Test func eventSourceAnywhereOrNowhere() {
        let last = #"{"eventName":"Decrypt","userIdentity":{"accountId":"1"},"resources":[{"ARN":"\#(arn1)"}],"eventSource":"kms.amazonaws.com"}"#
        let none = #"{"eventName":"Decrypt","resources":[{"ARN":"\#(arn1)"}]}"#
        let notAString = #"{"eventSource":null,"eventName":"Decrypt","resources":[{"ARN":"\#(arn1)"}]}"#
        let nullThenKMS = #"{"eventSource":["kms.amazonaws.com"],"eventName":"Decrypt","eventSource":"kms.amazonaws.com"}"#
        let empty = "{}"
        checkDocument(
            trail(last, none, notAString, nullThenKMS, empty, " { } "),
            [Row(arn1, "Decrypt"), Row("", "Decrypt")], records: 6, kmsRecords: 2)
    }

    @Test func deepNestingInASkippedRecord() {
        // Beyond the kernel's 64 levels in a word and its first spill room:
        // the spill stack grows and the skip restarts. (JSONSerialization
        // stops at 512 levels, so no reference.)
        for depth in [63, 64, 65, 129, 5000] {
            let nested = String(repeating: "[{\"a\":", count: depth) + "1" + String(repeating: "}]", count: depth)
            let document = Array(trail(s3Record(#""deep":\#(nested)"#), kmsRecord("Encrypt")).utf8)
            checkDocument(
                document, expected: ReferenceResult([Row("", "Encrypt")], records: 2, kmsRecords: 1),
                chunkings: [.whole, Chunking([4096]), Chunking([1000, 3])], reference: false)
        }
    }

    // MARK: - What `used` checks in a record the plan does not need

    /// Invalid JSON in a value the answer does not read: rejected by `full`
    /// with `reason`, counted by `used`, whether the record is skipped (S3)
    /// or counted (KMS: its unread members are skimmed); in a CloudTrail
    /// record (read whole: PutEventSelectors) rejected by both.
    @Test(arguments: [
        (#""x":"caf¤""#, ScanError.Reason.invalidUTF8),  // ¤: a lone 0xFF byte
        (#""x":{"y":"\q"}"#, .invalidEscape),
        (#""x":["\u12G4"]"#, .invalidEscape),
        (#""x":{"y":"a\#u{01}b"}"#, .controlCharacterInString),
        (#""x":[1.]"#, .invalidNumber),
        (#""x":{"y":tru}"#, .invalidLiteral),
        (#""x":{"y" 1}"#, .unexpectedByte),
        (#""x":[1,,2]"#, .unexpectedByte),
        (#""requestParameters":{"keyId":"k","x":"caf¤"}"#, .invalidUTF8),
        (#""resources":[{"ARN":"\#(arn1)","x":[1.]}]"#, .invalidNumber),
    ])
    func unreadValuesAreNotValidated(_ member: String, _ reason: ScanError.Reason) {
        for record in [s3Record(member), kmsRecord("Encrypt", member)] {
            let document = withInvalidByte(trail(record, kmsRecord("Encrypt")))
            checkRejected(document, reason, validation: .full)
            switch scanAllChunkings(document, validation: .used) {
            case .success(let report):
                #expect(report.records == 2 && report.kmsRecords == (record.contains("s3.") ? 1 : 2))
            case .failure(let error):
                Issue.record("--validate used rejected invalid bytes in an unread value: \(error)\n\(record)")
            }
        }
        let cloudTrail = #"{"eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors",\#(member)}"#
        let document = withInvalidByte(trail(cloudTrail))
        checkRejected(document, reason, validation: .full)
        checkRejected(document, reason, validation: .used)
    }

    /// A lifecycle call's requestParameters is read whole under the
    /// lifecycle report (its detail and flags: the policy, the grantee...),
    /// so `used` validates it then, and skims it otherwise (issue #12 item 7).
    @Test func lifecycleRequestsAreValidatedWhenTheLifecycleReportReadsThem() {
        let document = withInvalidByte(trail(kmsRecord("PutKeyPolicy", #""requestParameters":{"keyId":"k","policy":"caf¤"}"#)))
        var lifecycle = ScanPlan()
        lifecycle.collectsLifecycle = true
        for validation in ValidationMode.allCases {
            let result = scan(document, plan: lifecycle, validation, chunking: .whole)
            guard case .failure(let error) = result else {
                Issue.record("\(validation) accepted invalid bytes the lifecycle report reads")
                continue
            }
            #expect(error.reason == .invalidUTF8)
        }
        // Without the lifecycle report the member is not read: skimmed by `used`.
        guard case .success(let report) = scan(document, plan: ScanPlan(), .used, chunking: .whole) else {
            Issue.record("--validate used rejected a value no answer reads")
            return
        }
        #expect(report.kmsRecords == 1)
    }

    /// Invalid bytes in a value the answer reads: rejected by both modes.
    @Test(arguments: [
        (#""eventName":"Enc¤""#, ScanError.Reason.invalidUTF8),
        (#""requestParameters":{"keyId":"k\q"}"#, .invalidEscape),
        (#""resources":[{"ARN":"a\#u{01}b"}]"#, .controlCharacterInString),
        (#""userIdentity":{"accountId":"1¤"}"#, .invalidUTF8),
        (#""eventSource":"kms.amazonaws.com¤""#, .invalidUTF8),
        (#""readOnly":tru"#, .invalidLiteral),
    ])
    func readValuesAreValidated(_ member: String, _ reason: ScanError.Reason) {
        let document = withInvalidByte(trail(kmsRecord("Encrypt", member)))
        for validation in ValidationMode.allCases {
            checkRejected(document, reason, validation: validation)
        }
        // eventSource is read in every record, skipped or not.
        let source = withInvalidByte(trail(#"{"eventName":"GetObject","eventSource":"s3.amazonaws.com¤"}"#))
        checkRejected(source, .invalidUTF8, validation: .used)
    }

    @Test func structureIsAlwaysChecked() {
        let cases: [(String, ScanError.Reason)] = [
            (s3Record(#""x":{"y":[1,2}}"#), .unexpectedByte),  // ] expected
            (s3Record(#""x":[{"y":1]]"#), .unexpectedByte),  // } expected
        ]
        let documents = cases.map { (trail($0.0), $0.1) } + [
            (#"{"Records":[{"eventSource":"s3.amazonaws.com","x":"unclosed}]}"#, .truncated),
            // The escaped quote does not close the string.
            (#"{"Records":[{"eventSource":"s3.amazonaws.com","x":"a\"}]}"#, .truncated),
        ]
        for (record, reason) in documents {
            let document = Array(record.utf8)
            for validation in ValidationMode.allCases {
                let whole = scanInChunks(document, chunkSizes: [Int.max], validation: validation)
                guard case .failure(let error) = whole else {
                    Issue.record("--validate \(validation) accepted \(record)")
                    continue
                }
                if validation == .used { #expect(error.reason == reason, "\(record): \(error)") }
                _ = scanAllChunkings(document, validation: validation)  // same error at every chunking
            }
        }
        // Not an object, and the top level, in both modes.
        for validation in ValidationMode.allCases {
            checkRejected(Array(#"{"Records":[{"eventSource":"s3.amazonaws.com"},[1]]}"#.utf8), .recordNotObject, validation: validation)
            checkRejected(Array(#"{"Records":[{"eventSource":"s3.amazonaws.com"}]"#.utf8), .truncated, validation: validation)
            checkRejected(Array(#"{"Records":[{"eventSource":"s3.amazonaws.com"}]}x"#.utf8), .trailingData, validation: validation)
        }
    }

    @Test func topLevelNamesAreStillValidatedUntilEventSource() {
        // Names before eventSource are matched, so scanned: an invalid one
        // is an error in both modes.
        let document = Array(trail(#"{"ev\#u{01}":1,"eventSource":"s3.amazonaws.com"}"#).utf8)
        checkRejected(document, .controlCharacterInString, validation: .used)
    }

    // MARK: - The structural skipper's instruction sets

    @Test func everyInstructionSetAgreesWithTheByteModel() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]"\\ :,aS"#.utf8) + Array("eventSource".utf8)
        let isas = (0...3).filter { cjk_skip_isa_supported(Int32($0)) != 0 }
        #expect(isas.contains(Int(cjk_skip_isa())))
        var ended = 0
        for round in 0..<3000 {
            var bytes: [UInt8] = [UInt8(ascii: round % 2 == 0 ? "{" : "[")]
            let length = Int.random(in: 1...300, using: &rng)
            for _ in 0..<length {
                // Mostly balanced-looking text, with every special byte.
                if Int.random(in: 0..<6, using: &rng) == 0 {
                    bytes += Array(#""eventSource":"#.utf8)
                } else {
                    bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)])
                }
            }
            let buffer = PaddedBuffer(copying: bytes)
            for depth: Int32 in [0, 1] {
                let start = depth == 0 ? 0 : 1
                let model = skipModel(bytes, start: start, depth: Int(depth))
                for watch: Int32 in [0, 1] {
                    var results: [(Int32, Int)] = []
                    for isa in isas {
                        var end = 0
                        var spill = [UInt64](repeating: 0, count: 8)
                        let status = buffer.withUnsafeBytes { raw in
                            cjk_skip_with(
                                Int32(isa), raw.baseAddress!.assumingMemoryBound(to: UInt8.self), start, bytes.count,
                                depth, watch, &spill, spill.count, &end)
                        }
                        results.append((status, end))
                    }
                    for (index, result) in results.enumerated() where result != results[0] {
                        Issue.record("ISA \(isas[index]) gave \(result), portable \(results[0]): \(describeDocument(bytes))")
                    }
                    if watch == 0 && results[0] != model {
                        Issue.record("kernel \(results[0]), model \(model): \(describeDocument(bytes))")
                    }
                    if results[0].0 == Int32(CJK_SKIP_END) { ended += 1 }
                }
            }
        }
        #expect(ended > 100, "too few inputs reached the end of their container")
    }
}

/// The UTF-8 of `text` with every `¤` (C2 A4) replaced by a lone 0xFF.
private func withInvalidByte(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
        if bytes[i] == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA4 {
            out.append(0xFF)
            i += 2
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    return out
}

/// `cjk_skip` without watching, a byte at a time: the status and position.
/// A backslash escapes the byte after it, in a string or not (outside
/// strings, where JSON has none, the kernel still skips an escaped quote
/// but counts an escaped bracket).
private func skipModel(_ bytes: [UInt8], start: Int, depth initial: Int) -> (Int32, Int) {
    var stack: [UInt8] = initial == 1 ? [UInt8(ascii: "{")] : []
    var inString = false
    var k = start
    while k < bytes.count {
        let c = bytes[k]
        if inString {
            if c == UInt8(ascii: "\\") {
                k += 2
                continue
            }
            if c == UInt8(ascii: "\"") { inString = false }
        } else if c == UInt8(ascii: "\\") {
            let next = k + 1 < bytes.count ? bytes[k + 1] : 0
            k += next | 0x20 == UInt8(ascii: "{") || next | 0x20 == UInt8(ascii: "}") ? 1 : 2
            continue
        } else if c == UInt8(ascii: "\"") {
            inString = true
        } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            stack.append(c)
        } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
            guard let open = stack.popLast(), open == (c == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")) else {
                return (Int32(CJK_SKIP_MISMATCH), k)
            }
            if stack.isEmpty { return (Int32(CJK_SKIP_END), k + 1) }
        }
        k += 1
    }
    return (Int32(CJK_SKIP_NEED_MORE), bytes.count)
}
