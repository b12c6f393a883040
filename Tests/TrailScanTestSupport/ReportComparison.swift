// Comparing the scanner's report with the reference's, or with rows written
// by hand, with a readable row-by-row diff in the failure message.

import Testing
import TrailScanCore

/// One expected row, written by hand in a test.
public struct Row: Sendable {
    public var key: String
    public var event: String
    public var calls: UInt64
    public var errors: UInt64

    public init(_ key: String, _ event: String, calls: UInt64 = 1, errors: UInt64 = 0) {
        self.key = key
        self.event = event
        self.calls = calls
        self.errors = errors
    }
}

extension ReferenceResult {
    /// An expected result from hand-written rows (rows with the same key and
    /// event are added up).
    public init(_ rows: [Row], records: UInt64, kmsRecords: UInt64) {
        self.init(records: records, kmsRecords: kmsRecords)
        for row in rows {
            self.rows[UsageReport.RowKey(key: row.key, eventName: row.event), default: CallCounts()]
                .add(CallCounts(calls: row.calls, errors: row.errors))
        }
    }
}

/// nil when `actual` equals `expected`, else a line per difference:
/// totals, rows missing, rows extra, rows with other counts.
public func reportDifference(_ actual: ReferenceResult, expected: ReferenceResult) -> String? {
    var lines: [String] = []
    if actual.records != expected.records {
        lines.append("records: got \(actual.records), expected \(expected.records)")
    }
    if actual.kmsRecords != expected.kmsRecords {
        lines.append("kmsRecords: got \(actual.kmsRecords), expected \(expected.kmsRecords)")
    }
    for (key, want) in expected.rows.sorted(by: { $0.key < $1.key }) {
        guard let got = actual.rows[key] else {
            lines.append("missing row \(describeRow(key)) (calls \(want.calls) errors \(want.errors))")
            continue
        }
        if got != want {
            lines.append(
                "row \(describeRow(key)): got calls \(got.calls) errors \(got.errors), "
                    + "expected calls \(want.calls) errors \(want.errors)")
        }
    }
    for (key, got) in actual.rows.sorted(by: { $0.key < $1.key }) where expected.rows[key] == nil {
        lines.append("unexpected row \(describeRow(key)) (calls \(got.calls) errors \(got.errors))")
    }
    return lines.isEmpty ? nil : lines.joined(separator: "\n")
}

/// Expects the scanner's report to equal the reference result.
public func expectMatches(
    _ report: UsageReport, _ expected: ReferenceResult, _ what: String = "scanner vs reference",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    if let difference = reportDifference(ReferenceResult(report), expected: expected) {
        Issue.record("\(what):\n\(difference)", sourceLocation: sourceLocation)
    }
}

/// The full check of a valid document in a unit test: the reference must
/// count `expected` (so the hand-written expectation and the reference agree),
/// and the scanner must accept the document with every chunking and count
/// the same. `reference: false` skips the reference, for documents beyond
/// JSONSerialization's limits (nesting deeper than 512).
public func checkDocument(
    _ document: [UInt8], expected: ReferenceResult, chunkings: [Chunking] = Chunking.standard,
    reference: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) {
    if reference {
        do {
            let counted = try ReferenceCounter.count(document)
            if let difference = reportDifference(counted, expected: expected) {
                Issue.record("reference vs hand-written expectation:\n\(difference)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("the reference rejected the document: \(error)", sourceLocation: sourceLocation)
        }
    }
    // A valid document: both validation modes must count it the same.
    for validation in ValidationMode.allCases {
        switch scanAllChunkings(document, chunkings: chunkings, validation: validation, sourceLocation: sourceLocation) {
        case .success(let report):
            expectMatches(
                report, expected, "scanner (--validate \(validation)) vs hand-written expectation",
                sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record(
                "the scanner (--validate \(validation)) rejected a valid document: \(error)\ndocument: \(describeDocument(document))",
                sourceLocation: sourceLocation)
        }
    }
}

/// `checkDocument` for a document given as text.
public func checkDocument(
    _ text: String, _ rows: [Row], records: UInt64, kmsRecords: UInt64,
    chunkings: [Chunking] = Chunking.standard, sourceLocation: SourceLocation = #_sourceLocation
) {
    checkDocument(
        Array(text.utf8), expected: ReferenceResult(rows, records: records, kmsRecords: kmsRecords),
        chunkings: chunkings, sourceLocation: sourceLocation)
}

/// Expects the scanner to reject `document` with `reason` (and at `offset`
/// when given) with every chunking, and the reference to reject it too
/// unless `referenceRejects` is false. `validation` is `.full` unless given.
@discardableResult
public func checkRejected(
    _ document: [UInt8], _ reason: ScanError.Reason, offset: Int? = nil, referenceRejects: Bool = true,
    chunkings: [Chunking] = Chunking.standard, validation: ValidationMode = .full,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ScanError? {
    if referenceRejects, let accepted = try? ReferenceCounter.count(document) {
        Issue.record("the reference accepted the document: \(accepted)", sourceLocation: sourceLocation)
    }
    switch scanAllChunkings(document, chunkings: chunkings, validation: validation, sourceLocation: sourceLocation) {
    case .success(let report):
        let message = "the scanner accepted an invalid document: \(ReferenceResult(report))\n"
            + "document: \(describeDocument(document))"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        return nil
    case .failure(let error):
        if error.reason != reason {
            Issue.record(
                "expected \(reason), got \(error)\ndocument: \(describeDocument(document))",
                sourceLocation: sourceLocation)
        } else if let offset, error.offset != offset {
            Issue.record(
                "expected \(reason) at byte \(offset), got \(error)\ndocument: \(describeDocument(document))",
                sourceLocation: sourceLocation)
        }
        return error
    }
}

// MARK: - Building documents

/// `{"Records":[r1,r2,...]}` (compact).
public func trail(_ records: String...) -> String {
    trail(records)
}

/// `{"Records":[r1,r2,...]}` (compact).
public func trail(_ records: [String]) -> String {
    "{\"Records\":[" + records.joined(separator: ",") + "]}"
}

/// A KMS record: `eventSource`, `eventName`, `awsRegion` and
/// `recipientAccountId` first, then the `extra` members (raw JSON, without
/// braces), e.g. `#""requestParameters":{"keyId":"k"}"#`.
public func kmsRecord(
    _ eventName: String, region: String = "us-east-1", account: String = "111122223333", _ extra: String = ""
) -> String {
    var members = [
        #""eventSource":"kms.amazonaws.com""#, #""eventName":"\#(eventName)""#,
        #""awsRegion":"\#(region)""#, #""recipientAccountId":"\#(account)""#,
    ]
    if !extra.isEmpty { members.append(extra) }
    return "{" + members.joined(separator: ",") + "}"
}

/// The key ARN `arn:aws:kms:<region>:<account>:key/<id>`.
public func keyARN(
    _ id: String, region: String = "us-east-1", account: String = "111122223333", partition: String = "aws"
) -> String {
    "arn:\(partition):kms:\(region):\(account):key/\(id)"
}
