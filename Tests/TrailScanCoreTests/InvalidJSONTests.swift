// Malformed input: every case is rejected by the scanner with the expected
// reason (with every chunking, and the same reason and offset whatever the
// chunking), and by the reference. A few cases pin the exact byte offset.
// Also: truncation at every byte, and nesting 100,000 levels deep (the
// scanner must not recurse).

import Testing
import TrailScanCore
import TrailScanTestSupport

/// One malformed document and the reasons the scanner may give. Most cases
/// allow exactly one reason; a few where two readings are defensible (a `]`
/// where a record should start: "unexpected byte" or "not an object") list
/// both, and say so.
struct MalformedDocument: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var reasons: [ScanError.Reason]

    init(_ name: String, _ text: String, _ reasons: ScanError.Reason...) {
        self.init(name, Array(text.utf8), reasons)
    }

    init(_ name: String, bytes: [UInt8], _ reasons: ScanError.Reason...) {
        self.init(name, bytes, reasons)
    }

    init(_ name: String, _ bytes: [UInt8], _ reasons: [ScanError.Reason]) {
        self.name = name
        self.bytes = bytes
        self.reasons = reasons
    }

    var testDescription: String { name }
}

/// `{"Records":[{<prefix>"x":<value>}]}` — a bad value in a skipped member.
private func inRecord(_ value: String) -> String {
    #"{"Records":[{"eventSource":"kms.amazonaws.com","x":\#(value),"eventName":"Decrypt"}]}"#
}

/// The same bad bytes inside a string of a field the scanner extracts.
private func inField(_ stringBytes: [UInt8]) -> [UInt8] {
    Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":""#.utf8) + stringBytes
        + Array(#"","requestParameters":{"keyId":"k"}}]}"#.utf8)
}

/// ... inside a skipped string.
private func inSkipped(_ stringBytes: [UInt8]) -> [UInt8] {
    Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","userAgent":""#.utf8) + stringBytes
        + Array(#"","eventName":"Decrypt"}]}"#.utf8)
}

/// ... inside a member name.
private func inName(_ stringBytes: [UInt8]) -> [UInt8] {
    Array(#"{"Records":[{"eventSource":"kms.amazonaws.com",""#.utf8) + stringBytes
        + Array(#"":1}]}"#.utf8)
}

/// ... inside a string in a top-level member other than Records.
private func inTopLevel(_ stringBytes: [UInt8]) -> [UInt8] {
    Array(#"{"meta":{"a":[""#.utf8) + stringBytes + Array(#""]},"Records":[]}"#.utf8)
}

private let badStrings: [(String, [UInt8], ScanError.Reason)] = [
    ("raw 0x01", [0x61, 0x01, 0x62], .controlCharacterInString),
    ("raw 0x1F", [0x1F], .controlCharacterInString),
    ("raw tab", [0x61, 0x09], .controlCharacterInString),
    ("raw newline", [0x0A], .controlCharacterInString),
    ("raw NUL", [0x61, 0x00, 0x62], .controlCharacterInString),
    ("escape \\x", Array(#"a\x41"#.utf8), .invalidEscape),
    ("escape \\U", Array(#"\U0041"#.utf8), .invalidEscape),
    ("escape \\'", Array(#"\'"#.utf8), .invalidEscape),
    ("escape \\ then newline", [0x5C, 0x0A], .invalidEscape),
    ("short \\u", Array(#"\u12"#.utf8), .invalidEscape),
    ("bad hex \\u12G4", Array(#"\u12G4"#.utf8), .invalidEscape),
    ("bad hex in low surrogate", Array(#"\ud83d\udeZZ"#.utf8), .invalidEscape),
    ("overlong 2-byte C0 AF", [0xC0, 0xAF], .invalidUTF8),
    ("overlong 2-byte C1 BF", [0xC1, 0xBF], .invalidUTF8),
    ("overlong 3-byte E0 80 80", [0xE0, 0x80, 0x80], .invalidUTF8),
    ("overlong 3-byte E0 9F BF", [0xE0, 0x9F, 0xBF], .invalidUTF8),
    ("overlong 4-byte F0 80 80 80", [0xF0, 0x80, 0x80, 0x80], .invalidUTF8),
    ("overlong 4-byte F0 8F BF BF", [0xF0, 0x8F, 0xBF, 0xBF], .invalidUTF8),
    ("surrogate ED A0 80", [0xED, 0xA0, 0x80], .invalidUTF8),
    ("surrogate ED BF BF", [0xED, 0xBF, 0xBF], .invalidUTF8),
    ("above U+10FFFF F4 90 80 80", [0xF4, 0x90, 0x80, 0x80], .invalidUTF8),
    ("F5 lead", [0xF5, 0x80, 0x80, 0x80], .invalidUTF8),
    ("0xFF", [0x61, 0xFF, 0x62], .invalidUTF8),
    ("0xFE", [0xFE], .invalidUTF8),
    ("lone continuation 0x80", [0x80], .invalidUTF8),
    ("lone continuation 0xBF after ASCII", [0x61, 0x62, 0x63, 0xBF], .invalidUTF8),
    ("truncated 2-byte C3", [0xC3], .invalidUTF8),
    ("truncated 3-byte E2 82", [0xE2, 0x82], .invalidUTF8),
    ("truncated 4-byte F0 9F 98", [0xF0, 0x9F, 0x98], .invalidUTF8),
    ("truncated sequence then ASCII", [0xE2, 0x82, 0x61], .invalidUTF8),
    ("two lead bytes", [0xC3, 0xC3, 0xA9], .invalidUTF8),
    // Long runs, so word-at-a-time loops meet the bad byte in every lane.
    ("bad byte after 7 ASCII", Array("abcdefg".utf8) + [0xFF], .invalidUTF8),
    ("bad byte after 8 ASCII", Array("abcdefgh".utf8) + [0xFF], .invalidUTF8),
    ("bad byte after 15 ASCII", Array("abcdefghijklmno".utf8) + [0x80], .invalidUTF8),
    ("control after 9 ASCII", Array("abcdefghi".utf8) + [0x1F], .controlCharacterInString),
    ("truncated sequence after 8 ASCII", Array("abcdefgh".utf8) + [0xE2, 0x82], .invalidUTF8),
]

private let structural: [MalformedDocument] = [
    MalformedDocument("empty document", "", .truncated),
    MalformedDocument("whitespace only", " \n\t ", .truncated),
    MalformedDocument("BOM only", bytes: [0xEF, 0xBB, 0xBF], .truncated),
    MalformedDocument("top-level array", #"[{"Records":[]}]"#, .notATrail),
    MalformedDocument("top-level string", #""Records""#, .notATrail),
    MalformedDocument("top-level number", "1", .notATrail),
    MalformedDocument("top-level null", "null", .notATrail),
    MalformedDocument("empty object", "{}", .notATrail),
    MalformedDocument("no Records", #"{"a":1,"b":[{}]}"#, .notATrail),
    MalformedDocument("lower-case records", #"{"records":[]}"#, .notATrail),
    MalformedDocument("Records with a space", #"{"Records ":[]}"#, .notATrail),
    MalformedDocument("Records nested only", #"{"a":{"Records":[]}}"#, .notATrail),
    MalformedDocument("Records is an object", #"{"Records":{}}"#, .notATrail),
    MalformedDocument("Records is null", #"{"Records":null}"#, .notATrail),
    MalformedDocument("Records is a string", #"{"Records":"[]"}"#, .notATrail),
    MalformedDocument("Records is a number", #"{"Records":0}"#, .notATrail),
    MalformedDocument("duplicate Records", #"{"Records":[],"Records":[]}"#, .duplicateRecords),
    MalformedDocument("duplicate Records, other member between", #"{"Records":[{}],"x":1,"Records":[{}]}"#, .duplicateRecords),
    MalformedDocument("duplicate Records, escaped name", #"{"Records":[],"Rec\u006frds":[]}"#, .duplicateRecords),
    MalformedDocument("record is a number", #"{"Records":[1]}"#, .recordNotObject),
    MalformedDocument("record is a string", #"{"Records":[{},"x"]}"#, .recordNotObject),
    MalformedDocument("record is null", #"{"Records":[null]}"#, .recordNotObject),
    MalformedDocument("record is an array", #"{"Records":[[]]}"#, .recordNotObject),
    MalformedDocument("record is true", #"{"Records":[{},true]}"#, .recordNotObject),
    MalformedDocument("trailing garbage", #"{"Records":[]}x"#, .trailingData),
    MalformedDocument("second document", #"{"Records":[]}{"Records":[]}"#, .trailingData),
    MalformedDocument("trailing bracket", #"{"Records":[]} ]"#, .trailingData),
    MalformedDocument("trailing NUL", bytes: Array(#"{"Records":[]}"#.utf8) + [0x00], .trailingData),
    MalformedDocument("trailing BOM", bytes: Array(#"{"Records":[]}"#.utf8) + [0xEF, 0xBB, 0xBF], .trailingData),
    MalformedDocument("trailing form feed", bytes: Array(#"{"Records":[]}"#.utf8) + [0x0C], .trailingData),
    MalformedDocument("two BOMs", bytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array(#"{"Records":[]}"#.utf8), .notATrail, .unexpectedByte),
    MalformedDocument("UTF-16 BOM", bytes: [0xFF, 0xFE] + Array(#"{"Records":[]}"#.utf8), .notATrail, .unexpectedByte),
    MalformedDocument("missing colon", #"{"Records" []}"#, .unexpectedByte),
    MalformedDocument("missing colon in record", #"{"Records":[{"a" 1}]}"#, .unexpectedByte),
    MalformedDocument("missing comma in record", #"{"Records":[{"a":1 "b":2}]}"#, .unexpectedByte),
    MalformedDocument("missing comma between records", #"{"Records":[{} {}]}"#, .unexpectedByte),
    MalformedDocument("missing comma in skipped array", inRecord("[1 2]"), .unexpectedByte),
    MalformedDocument("missing comma at top level", #"{"a":1 "Records":[]}"#, .unexpectedByte),
    MalformedDocument("trailing comma in record", #"{"Records":[{"a":1,}]}"#, .unexpectedByte),
    MalformedDocument("trailing comma in skipped object", inRecord(#"{"a":1,}"#), .unexpectedByte),
    MalformedDocument("trailing comma in skipped array", inRecord("[1,]"), .unexpectedByte),
    MalformedDocument("trailing comma at top level", #"{"Records":[],}"#, .unexpectedByte),
    // After a comma, `]` is where a record should start: either reading is fine.
    MalformedDocument("trailing comma in Records", #"{"Records":[{},]}"#, .unexpectedByte, .recordNotObject),
    MalformedDocument("leading comma in Records", #"{"Records":[,{}]}"#, .unexpectedByte, .recordNotObject),
    MalformedDocument("double comma in record", #"{"Records":[{"a":1,,"b":2}]}"#, .unexpectedByte),
    MalformedDocument("empty member name then nothing", #"{"Records":[{:1}]}"#, .unexpectedByte),
    MalformedDocument("unquoted member name", #"{"Records":[{a:1}]}"#, .unexpectedByte),
    MalformedDocument("single-quoted string", inRecord("'x'"), .unexpectedByte),
    MalformedDocument("unquoted top-level name", #"{Records:[]}"#, .unexpectedByte),
    MalformedDocument("closing bracket for an object", inRecord(#"{"a":1]"#), .unexpectedByte),
    MalformedDocument("closing brace for an array", inRecord("[1}"), .unexpectedByte),
    MalformedDocument("closing brace for Records", #"{"Records":[{}}}"#, .unexpectedByte),
    MalformedDocument("extra closing brace in record", #"{"Records":[{"a":1}}]}"#, .unexpectedByte),
    MalformedDocument("value missing", inRecord(""), .unexpectedByte),
    MalformedDocument("NUL between tokens", bytes: Array(#"{"Records":[{"a":"#.utf8) + [0x00] + Array(#"1}]}"#.utf8), .unexpectedByte),
    MalformedDocument("form feed between tokens", bytes: Array(#"{"Records":[{"a":"#.utf8) + [0x0C] + Array(#"1}]}"#.utf8), .unexpectedByte),
    MalformedDocument("vertical tab between tokens", bytes: Array(#"{"Records":[{"a":"#.utf8) + [0x0B] + Array(#"1}]}"#.utf8), .unexpectedByte),
    MalformedDocument("NBSP between tokens", bytes: Array(#"{"Records":[{"a":"#.utf8) + [0xC2, 0xA0] + Array(#"1}]}"#.utf8), .unexpectedByte),
    MalformedDocument("invalid UTF-8 between tokens", bytes: Array(#"{"Records":[{"a":1"#.utf8) + [0xFF] + Array("}]}".utf8), .unexpectedByte),
    MalformedDocument("unterminated record at end", #"{"Records":[{"a":1"#, .truncated),
    MalformedDocument("unterminated string at end", #"{"Records":[{"a":"xyz"#, .truncated),
    MalformedDocument("unterminated escape at end", #"{"Records":[{"a":"x\"#, .truncated),
    MalformedDocument("Records never closed", #"{"Records":[{}"#, .truncated),
    MalformedDocument("document never closed", #"{"Records":[]"#, .truncated),
]

private let badNumbers: [MalformedDocument] =
    // The bad byte is inside what any number lexer consumes.
    ["1.", "-1.", "1.e5", "-", "1e", "1e+", "1E-", "--1", "-a", "1ee5", "1e+-5", "-.5", "1.}"].map {
        MalformedDocument("number \($0)", inRecord($0), .invalidNumber)
    }
    // A valid number followed by a byte that cannot follow it: "invalid
    // number" or "unexpected byte" after the number are both fair.
    + ["01", "-01", "00", "-00", "012.5", "0x10", "1.5.5", "1e5e5", "1e5.5", "0.1.2", "1-2", "2+2"].map {
        MalformedDocument("number \($0)", inRecord($0), .invalidNumber, .unexpectedByte)
    }
    // These do not start a value at all.
    + [".5", "+1", "Infinity", "NaN", "-Infinity", "\u{2212}1", "e5"].map {
        MalformedDocument("number \($0)", inRecord($0), .unexpectedByte, .invalidNumber, .invalidLiteral)
    }

private let badLiterals: [MalformedDocument] =
    ["tru", "tru}", "trUe", "nul", "nil", "fals", "falsy", "t", "n", "f", "nulL", "nu ll", "t rue"].map {
        MalformedDocument("literal \($0)", inRecord($0), .invalidLiteral)
    }
    // A whole literal followed by more letters: either reading is fair.
    + ["truex", "nulll", "falsee", "true1", "nullnull"].map {
        MalformedDocument("literal \($0)", inRecord($0), .invalidLiteral, .unexpectedByte)
    }
    + ["True", "NULL", "FALSE", "undefined"].map {
        MalformedDocument("literal \($0)", inRecord($0), .unexpectedByte, .invalidLiteral)
    }

private let badStringCases: [MalformedDocument] = badStrings.flatMap { name, bytes, reason in
    [
        MalformedDocument("\(name) in a field", inField(bytes), [reason]),
        MalformedDocument("\(name) in a skipped string", inSkipped(bytes), [reason]),
        MalformedDocument("\(name) in a member name", inName(bytes), [reason]),
        MalformedDocument("\(name) in a top-level member", inTopLevel(bytes), [reason]),
    ]
}

@Suite struct InvalidJSONTests {
    @Test(arguments: structural)
    func structuralErrors(_ malformed: MalformedDocument) {
        checkReasons(malformed)
    }

    @Test(arguments: badNumbers)
    func numbers(_ malformed: MalformedDocument) {
        checkReasons(malformed)
    }

    @Test(arguments: badLiterals)
    func literals(_ malformed: MalformedDocument) {
        checkReasons(malformed)
    }

    @Test(arguments: badStringCases)
    func strings(_ malformed: MalformedDocument) {
        checkReasons(malformed)
    }

    @Test(arguments: [
        "1.0", "-0", "0", "-0.0e-0", "1E+5", "1e-5", "1e400", "-1E400", "123456789012345678901234567890",
        "0.000001e-999", "[1,-1,0.5,2e10,0e0,-0.0]", "9007199254740993", "[0,1,2,3,4,5,6,7,8,9]",
    ])
    func validNumbersAreAccepted(_ number: String) {
        // 1e400 is valid JSON that JSONSerialization cannot represent: checked
        // on the scanner alone.
        let document = Array(inRecord(number).utf8)
        guard case .success(let report) = scanAllChunkings(document) else {
            Issue.record("valid number \(number) rejected")
            return
        }
        expectMatches(report, ReferenceResult([Row("", "Decrypt")], records: 1, kmsRecords: 1))
    }

    // MARK: Exact offsets

    @Test func offsetOfTrailingData() {
        checkRejected(Array(#"{"Records":[]}x"#.utf8), .trailingData, offset: 14)
        checkRejected(Array(#"{"Records":[]}   x"#.utf8), .trailingData, offset: 17)
    }

    @Test func offsetCountsTheByteOrderMark() {
        checkRejected([0xEF, 0xBB, 0xBF] + Array(#"{"Records":[]}x"#.utf8), .trailingData, offset: 17)
    }

    @Test func offsetOfMissingColon() {
        // {"Records":[{"a" 1}]}: the `1` is byte 17.
        checkRejected(Array(#"{"Records":[{"a" 1}]}"#.utf8), .unexpectedByte, offset: 17)
    }

    @Test func offsetOfRawControlCharacter() {
        checkRejected(Array(#"{"Records":[{"a":"x"#.utf8) + [0x01] + Array(#""}]}"#.utf8), .controlCharacterInString, offset: 19)
    }

    @Test func offsetOfRecordThatIsNotAnObject() {
        checkRejected(Array(#"{"Records":[{},{}, 7]}"#.utf8), .recordNotObject, offset: 19)
    }

    @Test func offsetOfInvalidUTF8InSecondRecord() {
        // The offset is in the stream, not in the record.
        let document = Array(#"{"Records":[{"eventName":"Decrypt"},{"userAgent":"a"#.utf8)
        checkRejected(document + [0xFF] + Array(#""}]}"#.utf8), .invalidUTF8, offset: document.count)
    }

    @Test func offsetFarIntoALargeDocument() {
        let record = kmsRecord("Decrypt", #""resources":[{"ARN":"\#(keyARN("k"))"}]"#)
        let prefix = Array((#"{"Records":["# + Array(repeating: record, count: 300).joined(separator: ",") + #",{"a":tru"#).utf8)
        checkRejected(
            prefix + Array("x}]}".utf8), .invalidLiteral, chunkings: [Chunking([7]), Chunking([4096]), .whole])
    }

    // MARK: Truncation at every byte

    static let small = Array(
        trail(
            kmsRecord("Decrypt", #""resources":[{"ARN":"\#(keyARN("k\u{e9}"))"}],"n":[-1.5e+3,true,false,null,{}]"#),
            #"{"eventSource":"s3.amazonaws.com","x":"\ud83d\ude00 é 😀 \"\\\/"}"#
        ).utf8)

    @Test func truncatedAtEveryByte() {
        checkEveryPrefix(Self.small)
    }

    @Test func truncatedAtEveryByteWithByteOrderMark() {
        checkEveryPrefix([0xEF, 0xBB, 0xBF] + Array(#" {"Records":[{"eventSource":"kms.amazonaws.com"}]}"#.utf8))
    }

    @Test func truncatedPrettyPrintedAtEveryByte() {
        let pretty = """
            {
              "Records": [
                { "eventSource": "kms.amazonaws.com", "eventName": "Sign", "requestParameters": { "keyId": "alias/x" } }
              ]
            }
            """
        checkEveryPrefix(Array(pretty.utf8))
    }

    /// Every proper prefix of a valid document could still be completed, so
    /// the only right answer for it is "truncated". Failures are summarized
    /// (a broken case tends to break every prefix after it).
    func checkEveryPrefix(_ document: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .success = scanAllChunkings(document, sourceLocation: sourceLocation) else {
            Issue.record("the whole document was rejected", sourceLocation: sourceLocation)
            return
        }
        var failures: [String] = []
        for length in 0..<document.count {
            let prefix = Array(document[..<length])
            for chunking in [Chunking.whole, Chunking([1]), Chunking([7]), Chunking([Int.max], separateFinalCall: true)] {
                let result = scanInChunks(prefix, chunkSizes: chunking.sizes, separateFinalCall: chunking.separateFinalCall)
                switch result {
                case .success:
                    failures.append("prefix of \(length) bytes accepted (\(chunking))")
                case .failure(let error) where error.reason != .truncated:
                    failures.append("prefix of \(length) bytes (\(chunking)): \(error)")
                case .failure:
                    break
                }
            }
        }
        if !failures.isEmpty {
            let first = failures.prefix(6).joined(separator: "\n")
            let message = "\(failures.count) prefixes of \(describeDocument(document)) were not reported as truncated; "
                + "first ones:\n\(first)"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }

    // MARK: Deep nesting (no recursion)

    static let depth = 100_000

    static func deepRecord(_ open: String, _ close: String, depth: Int = depth, extraClose: Int = 0) -> [UInt8] {
        var bytes = Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Deep","x":"#.utf8)
        bytes += Array(repeating: Array(open.utf8), count: depth).flatMap { $0 }
        bytes += Array("1".utf8)
        bytes += Array(repeating: Array(close.utf8), count: depth - extraClose).flatMap { $0 }
        bytes += Array(#","requestParameters":{"keyId":"k"}}]}"#.utf8)
        return bytes
    }

    @Test(arguments: [("[", "]"), (#"{"a":"#, "}"), (#"[{"a":"#, "}]")])
    func deepNestingIsAccepted(open: String, close: String) {
        let document = Self.deepRecord(open, close)
        guard case .success(let report) = scanAllChunkings(document, chunkings: Chunking.huge) else {
            Issue.record("a well-formed document nested \(Self.depth) deep was rejected")
            return
        }
        expectMatches(report, ReferenceResult([Row(keyARN("k", region: "", account: ""), "Deep")], records: 1, kmsRecords: 1))
    }

    @Test func deepNestingInsideRequestParameters() {
        var bytes = Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Deep","requestParameters":{"encryptionContext":"#.utf8)
        bytes += Array(repeating: UInt8(ascii: "["), count: Self.depth) + Array(repeating: UInt8(ascii: "]"), count: Self.depth)
        bytes += Array(#","keyId":"k"}}]}"#.utf8)
        guard case .success(let report) = scanAllChunkings(bytes, chunkings: Chunking.huge) else {
            Issue.record("deep nesting inside requestParameters was rejected")
            return
        }
        expectMatches(report, ReferenceResult([Row(keyARN("k", region: "", account: ""), "Deep")], records: 1, kmsRecords: 1))
    }

    @Test func deepNestingInOtherTopLevelMember() {
        var bytes = Array(#"{"meta":"#.utf8)
        bytes += Array(repeating: UInt8(ascii: "["), count: Self.depth) + Array(repeating: UInt8(ascii: "]"), count: Self.depth)
        bytes += Array(#","Records":[{"eventSource":"kms.amazonaws.com","eventName":"E"}]}"#.utf8)
        guard case .success(let report) = scanAllChunkings(bytes, chunkings: Chunking.huge) else {
            Issue.record("deep nesting in a top-level member was rejected")
            return
        }
        expectMatches(report, ReferenceResult([Row("", "E")], records: 1, kmsRecords: 1))
    }

    @Test(arguments: [("[", "]"), (#"{"a":"#, "}")])
    func deepNestingMissingOneCloser(open: String, close: String) {
        checkRejectedScannerOnly(Self.deepRecord(open, close, extraClose: 1), [.unexpectedByte])
    }

    @Test func deepNestingNeverClosed() {
        var bytes = Array(#"{"Records":[{"x":"#.utf8)
        bytes += Array(repeating: UInt8(ascii: "["), count: Self.depth)
        checkRejectedScannerOnly(bytes, [.truncated])
    }

    @Test func deepNestingWithOneExtraCloser() {
        var bytes = Array(#"{"Records":[{"x":"#.utf8)
        bytes += Array(repeating: UInt8(ascii: "["), count: Self.depth)
        bytes += Array(repeating: UInt8(ascii: "]"), count: Self.depth + 1)
        bytes += Array("}]}".utf8)
        checkRejectedScannerOnly(bytes, [.unexpectedByte])
    }

    @Test func deepNestingWithMismatchedCloserAtTheBottom() {
        var bytes = Array(#"{"Records":[{"x":"#.utf8)
        bytes += Array(repeating: UInt8(ascii: "["), count: Self.depth)
        bytes += Array("}".utf8)
        bytes += Array(repeating: UInt8(ascii: "]"), count: Self.depth - 1)
        bytes += Array("}]}".utf8)
        checkRejectedScannerOnly(bytes, [.unexpectedByte])
    }

    @Test(arguments: [63, 64, 65, 127, 128, 129, 4095, 4096, 4097])
    func nestingAroundStackWordBoundaries(depth: Int) {
        // A mix of arrays and objects, so the stack must remember which is
        // which across any internal word or page boundary.
        var open: [UInt8] = []
        var close: [UInt8] = []
        for level in 0..<depth {
            if level % 3 == 0 {
                open += Array(#"{"a":"#.utf8)
                close.insert(UInt8(ascii: "}"), at: 0)
            } else {
                open += Array("[".utf8)
                close.insert(UInt8(ascii: "]"), at: 0)
            }
        }
        let document =
            Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","x":"#.utf8) + open + Array("0".utf8) + close
            + Array(#","eventName":"N"}]}"#.utf8)
        checkDocument(
            document, expected: ReferenceResult([Row("", "N")], records: 1, kmsRecords: 1),
            chunkings: depth > 500 ? Chunking.large : Chunking.standard, reference: depth <= 500)
        // The same with the closers swapped at the bottom must fail.
        var swapped = close
        if let i = swapped.firstIndex(where: { $0 == UInt8(ascii: "}") }), i + 1 < swapped.count, swapped[i + 1] == UInt8(ascii: "]") {
            swapped.swapAt(i, i + 1)
            let bad =
                Array(#"{"Records":[{"eventSource":"kms.amazonaws.com","x":"#.utf8) + open + Array("0".utf8) + swapped
                + Array(#","eventName":"N"}]}"#.utf8)
            checkRejectedScannerOnly(bad, [.unexpectedByte], chunkings: depth > 500 ? Chunking.large : Chunking.standard)
        }
    }

    // MARK: Helpers

    func checkReasons(_ malformed: MalformedDocument, sourceLocation: SourceLocation = #_sourceLocation) {
        if let accepted = try? ReferenceCounter.count(malformed.bytes) {
            Issue.record("the reference accepted \(malformed.name): \(accepted)", sourceLocation: sourceLocation)
        }
        checkRejectedScannerOnly(malformed.bytes, malformed.reasons, sourceLocation: sourceLocation)
    }

    func checkRejectedScannerOnly(
        _ document: [UInt8], _ reasons: [ScanError.Reason], chunkings: [Chunking] = Chunking.standard,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let chunkings = document.count > 50_000 ? Chunking.huge : chunkings
        switch scanAllChunkings(document, chunkings: chunkings, sourceLocation: sourceLocation) {
        case .success(let report):
            Issue.record(
                "accepted: \(ReferenceResult(report))\ndocument: \(describeDocument(document))",
                sourceLocation: sourceLocation)
        case .failure(let error):
            if !reasons.contains(error.reason) {
                let expected = reasons.map(\.description).joined(separator: " or ")
                Issue.record(
                    "expected \(expected), got \(error)\ndocument: \(describeDocument(document))",
                    sourceLocation: sourceLocation)
            }
        }
    }
}
