// Regression tests for what the fuzzers found (scripts/fuzz.sh, FuzzTesting/).
// Each test is named after its saved input in FuzzTesting/FailCases/ and
// checks the decided behaviour on the minimized input.

import Testing
import TrailScanCore
import TrailScanTestSupport

@Suite struct FuzzRegressionTests {
    /// FailCases/FuzzScanner-bom-inside-string (FuzzScanner, 2026-11-29):
    /// a U+FEFF (bytes EF BB BF) at the start of a string value. RFC 8259
    /// allows a byte order mark only before the text; inside a string it is
    /// an ordinary character, and the scanner keeps it (so this keyId is a
    /// key id, not an alias name). Foundation's JSONSerialization drops it —
    /// a quirk of the reference (ReferenceCounter), not of the scanner — so
    /// the reference and the scanner differ here until ReferenceCounter
    /// closes that quirk; the fuzzer skips such inputs for the comparison.
    @Test func bomInsideString() throws {
        let document: [UInt8] =
            Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","requestParameters":{"keyId":""#.utf8)
            + [0xEF, 0xBB, 0xBF] + Array(#"alias/app"}}]}"#.utf8)
        let expected = ReferenceResult(
            [Row("arn:aws:kms:::key/\u{FEFF}alias/app", "")], records: 1, kmsRecords: 1)
        switch scanAllChunkings(document) {
        case .success(let report): expectMatches(report, expected)
        case .failure(let error): Issue.record("rejected: \(error)")
        }
        withKnownIssue("JSONSerialization drops a U+FEFF at the start of a string (ReferenceCounter quirk)") {
            let reference = try ReferenceCounter.count(document)
            #expect(reportDifference(reference, expected: expected) == nil)
        }
    }
}
