// Tests of the reference itself: "learning tests" that pin what
// JSONSerialization does on this toolchain (so that a Foundation change shows
// up here, not as a mysterious differential failure), and the reference's
// rule helpers on their own.

import Foundation
import Testing
import TrailScanCore
import TrailScanTestSupport

@Suite struct JSONSerializationQuirks {
    static func parses(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil
    }

    static func parses(_ text: String) -> Bool { parses(Array(text.utf8)) }

    @Test func acceptsTrailingCommasButTheReferenceDoesNot() {
        #expect(Self.parses(#"{"a":1,}"#))
        #expect(Self.parses(#"[1,]"#))
        #expect(throws: ReferenceRejection.self) { try ReferenceCounter.count(Array(#"{"Records":[{},]}"#.utf8)) }
        #expect(throws: ReferenceRejection.self) { try ReferenceCounter.count(Array(#"{"Records":[{"a":1,}]}"#.utf8)) }
        #expect(throws: ReferenceRejection.self) { try ReferenceCounter.count(Array(#"{"Records":[],}"#.utf8)) }
        #expect(throws: ReferenceRejection.self) {
            try ReferenceCounter.count(Array(#"{"Records":[{"a":[1, ]}]}"#.utf8))
        }
    }

    @Test func commaInsideStringIsNotATrailingComma() throws {
        let result = try ReferenceCounter.count(Array(#"{"Records":[{"a":",]","b":",}"}]}"#.utf8))
        #expect(result.records == 1)
    }

    @Test func sniffsUTF16ButTheReferenceDoesNot() {
        #expect(Self.parses([0x7B, 0x00, 0x7D, 0x00]))  // "{}" in UTF-16LE
        #expect(Self.parses([0xFE, 0xFF, 0x00, 0x7B, 0x00, 0x7D]))  // "{}" in UTF-16BE with BOM
        let utf16 = Array(#"{"Records":[]}"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: ReferenceRejection.self) { try ReferenceCounter.count(utf16) }
        #expect(throws: ReferenceRejection.self) { try ReferenceCounter.count([0xFF, 0xFE] + utf16) }
    }

    @Test func rejectsLoneSurrogatesWhichTheReferenceDecodesToFFFD() throws {
        #expect(!Self.parses(#"["\ud800"]"#))
        #expect(!Self.parses(#"["\udc00"]"#))
        #expect(!Self.parses(#"["\ud800\u0041"]"#))
        #expect(Self.parses(#"["\ud83d\ude00"]"#))
        let result = try ReferenceCounter.count(
            Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"\ud800\ud800\udc00\udc00\\ud800"}]}"#.utf8))
        #expect(result.rows.keys.map(\.eventName) == ["\u{FFFD}\u{10000}\u{FFFD}\\ud800"])
    }

    @Test func depthLimitIs512() {
        let deep = { (n: Int) in Array(repeating: UInt8(ascii: "["), count: n) + Array(repeating: UInt8(ascii: "]"), count: n) }
        #expect(Self.parses(deep(512)))
        #expect(!Self.parses(deep(513)))
        let document = Array(#"{"Records":[{"x":"#.utf8) + deep(600) + Array("}]}".utf8)
        #expect {
            try ReferenceCounter.count(document)
        } throws: { error in
            (error as? ReferenceRejection)?.kind == .unsupported
        }
    }

    @Test func numbersOutsideDoubleRangeAreUnsupported() {
        #expect(!Self.parses(#"[1e309]"#))
        #expect(Self.parses(#"[1e308]"#))
        #expect(Self.parses(#"[1e-999]"#))
        #expect(Self.parses(#"[123456789012345678901234567890]"#))
        #expect {
            try ReferenceCounter.count(Array(#"{"Records":[{"x":1E400}]}"#.utf8))
        } throws: { error in
            (error as? ReferenceRejection)?.kind == .unsupported
        }
    }

    @Test func duplicateMembersLastOneWinsWhole() throws {
        let object = try JSONSerialization.jsonObject(with: Data(#"{"a":{"x":1},"a":{"y":2}}"#.utf8)) as? [String: Any]
        let a = object?["a"] as? [String: Any]
        #expect(a?["x"] == nil)
        #expect(a?["y"] != nil)
    }

    @Test func duplicateRecordsIsDetectedByTheReference() {
        for text in [#"{"Records":[],"Records":[]}"#, #"{"Records":[{}],"x":{"Records":1},"Rec\u006Frds":[]}"#] {
            #expect {
                try ReferenceCounter.count(Array(text.utf8))
            } throws: { error in
                (error as? ReferenceRejection)?.kind == .duplicateRecords
            }
        }
        // Nested Records members are not duplicates.
        #expect(throws: Never.self) { try ReferenceCounter.count(Array(#"{"x":{"Records":[]},"Records":[]}"#.utf8)) }
    }

    @Test func canonicallyEquivalentNamesCollapse() throws {
        // Kelvin sign U+212A is canonically equivalent to "K".
        let object = try JSONSerialization.jsonObject(with: Data(#"{"targetKeyId":"a","target\u212AeyId":"b"}"#.utf8))
        #expect((object as? [String: Any])?.count == 1)
        // A lone look-alike name is not taken for the field by the reference.
        let document = #"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"E","requestParameters":{"target\u212AeyId":"k"}}]}"#
        let result = try ReferenceCounter.count(Array(document.utf8))
        #expect(result.rows == [UsageReport.RowKey(key: "", eventName: "E"): CallCounts(calls: 1)])
    }

    @Test func byteOrderMarkOnceOnly() throws {
        let body = Array(#"{"Records":[{}]}"#.utf8)
        #expect(Self.parses([0xEF, 0xBB, 0xBF] + body))
        #expect(!Self.parses([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + body))
        #expect(try ReferenceCounter.count([0xEF, 0xBB, 0xBF] + body).records == 1)
        #expect(throws: ReferenceRejection.self) { try ReferenceCounter.count([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + body) }
    }

    @Test func strictWhereRFC8259IsStrict() {
        for text in [#"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":tru}"#, "{\"a\":\"\u{1}\"}", #"{"a":"\x"}"#,
            #"{"a":1} x"#, "\u{C}{\"a\":1}", #"{"a":+1}"#]
        {
            #expect(!Self.parses(text), "\(text)")
        }
        for bytes: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            #expect(!Self.parses(Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)))
        }
    }
}

@Suite struct ReferenceRules {
    @Test(arguments: [
        ("arn:aws:kms:us-east-1:111122223333:key/k", true), ("arn:aws:kms:::key/k", true),
        ("arn:x:kms:r:a:key/a:b/c", true), ("arn::kms:r:a:key/k", false), ("arn:aws:kms:r:a:key/", false),
        ("arn:aws:kms:r:a:alias/k", false), ("arn:aws:kms:r:a:b:key/k", false), ("arn:aws:kms:r:key/k", false),
        ("arn:aws:s3:::key/k", false), ("key/k", false), ("", false),
    ])
    func keyARN(_ value: String, _ isKey: Bool) {
        #expect(ReferenceCounter.isKeyARN(value) == isKey)
    }

    @Test(arguments: [
        ("k", "us-east-1", "1", "arn:aws:kms:us-east-1:1:key/k"),
        ("alias/a", "cn-north-1", "1", "arn:aws-cn:kms:cn-north-1:1:alias/a"),
        ("k", "us-gov-east-1", "", "arn:aws-us-gov:kms:us-gov-east-1::key/k"),
        ("arn:aws:kms:r:a:alias/x", "cn-north-1", "1", "arn:aws:kms:r:a:alias/x"),
        ("arn:anything", "", "", "arn:anything"),
        ("k", "", "", "arn:aws:kms:::key/k"),
    ])
    func normalization(_ value: String, _ region: String, _ account: String, _ expected: String) {
        #expect(ReferenceCounter.normalize(value, region: region, account: account) == expected)
    }

    @Test func keysByRule() {
        let arn = "arn:aws:kms:r:a:key/k"
        let response: [String: Any] = ["keyId": arn]
        #expect(ReferenceCounter.keys(of: ["resources": [["ARN": arn], ["ARN": arn]]]) == [arn])
        #expect(ReferenceCounter.keys(of: ["responseElements": response, "requestParameters": ["keyId": "x"]]) == [arn])
        #expect(ReferenceCounter.keys(of: ["requestParameters": ["keyId": "x", "targetKeyId": "x"]]) == ["arn:aws:kms:::key/x"])
        #expect(ReferenceCounter.keys(of: [:]) == [""])
    }

    @Test func rejectionKinds() {
        let cases: [(String, ReferenceRejection.Kind)] = [
            ("[]", .notATrail), ("{}", .notATrail), (#"{"Records":{}}"#, .notATrail), (#"{"Records":[1]}"#, .recordNotObject),
            (#"{"Records":[}"#, .invalidJSON), ("", .invalidJSON), (#"{"Records":[]}x"#, .invalidJSON),
        ]
        for (text, kind) in cases {
            #expect {
                try ReferenceCounter.count(Array(text.utf8))
            } throws: { error in
                (error as? ReferenceRejection)?.kind == kind
            }
        }
    }
}
