// The document level of a trail log, `{"Records":[ {...}, {...} ]}`, scanned
// as a stream: the caller hands in a buffer of decoded bytes, the scanner
// consumes every complete unit (a record, a top-level member, punctuation)
// and says how many bytes that was; the caller keeps the rest, appends more
// data and calls again. A unit cut by the end of the buffer is scanned again
// from its start next time, so no state is kept inside a record.

/// Scans one trail log document, streaming, into a `UsageTally`.
///
/// The accepted dialect is RFC 8259 JSON (UTF-8, an optional leading byte
/// order mark) whose top-level value is an object with exactly one `Records`
/// member holding an array of objects. Other top-level members are validated
/// and ignored. With the plan's `ValidationMode.full`, everything is
/// validated, skipped values included: a file is counted only if it is
/// well-formed JSON. With `.used` (the default), a record whose eventSource
/// the plan does not need is only checked for structure (RecordSkimming.swift).
public struct TrailScanner {
    enum Phase {
        case start, firstMember, member, afterMember, firstRecord, record, afterRecord, end
    }

    var phase = Phase.start
    var sawRecords = false
    var fields = RecordFields()
    var scratch = KeyScratch()
    var nesting = NestingStack()

    /// Offset in the decoded stream of the first byte of the next buffer.
    public private(set) var streamOffset = 0

    public init() {}

    /// True once the document's closing brace has been scanned.
    public var isComplete: Bool { phase == .end }

    /// Scans the complete units at the start of `buffer`, counting records
    /// into `tally`'s pending file.
    ///
    /// - Parameters:
    ///   - buffer: the decoded bytes not consumed yet, followed by new data.
    ///   - isFinal: true when no more data follows `buffer`: then the document
    ///     must end in it.
    /// - Returns: how many bytes at the front of `buffer` were consumed; the
    ///   caller drops them before the next call.
    /// - Throws: `ScanError` when the data is not a trail log.
    public mutating func scan(_ buffer: PaddedBuffer, isFinal: Bool, into tally: UsageTally) throws(ScanError) -> Int {
        let result: Result<Int, ScanStop> = buffer.withUnsafeBytes { raw in
            let bytes = JSONBytes(
                base: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: raw.count)
            var consumed = 0
            do throws(ScanStop) {
                try tally.withState { (state) throws(ScanStop) in
                    try scanUnits(bytes, consumed: &consumed, tally: &state)
                }
                return .success(consumed)
            } catch {
                // Out of data: fine mid-document unless this is the final
                // call, and always fine once the document has ended.
                if error.needsMoreInput && (!isFinal || phase == .end) { return .success(consumed) }
                return .failure(error)
            }
        }
        switch result {
        case .success(let consumed):
            streamOffset += consumed
            return consumed
        case .failure(let stop):
            throw makeError(stop, buffer)
        }
    }

    /// Every phase starts by skipping whitespace and committing it: a run
    /// of whitespace is a unit of its own, so it never counts toward the
    /// size of the unit after it (a gzip bomb of spaces between records
    /// streams through the window instead of hitting the record cap).
    mutating func scanUnits(_ bytes: JSONBytes, consumed: inout Int, tally: inout TallyState) throws(ScanStop) {
        var i = 0
        while true {
            switch phase {
            case .start:
                if streamOffset == 0 && i == 0 && bytes[0] == 0xEF {
                    // A UTF-8 byte order mark, which RFC 8259 lets parsers
                    // ignore; it may be cut by the end of the buffer.
                    if bytes[1] == 0xBB && bytes[2] == 0xBF {
                        i = 3
                    } else if bytes.count < 3 && (bytes.count < 2 || bytes[1] == 0xBB) {
                        throw ScanStop(code: ScanStop.needMoreInput, position: bytes.count)
                    }
                }
                bytes.skipWhitespace(&i)
                consumed = i
                guard bytes[i] == UInt8(ascii: "{") else { throw bytes.stop(.notATrail, at: i) }
                i += 1
                phase = .firstMember
            case .firstMember:
                // Peeking decides the phase: never decide on the padding.
                bytes.skipWhitespace(&i)
                consumed = i
                try bytes.requireByte(at: i)
                guard bytes[i] != UInt8(ascii: "}") else { throw bytes.stop(.notATrail, at: i) }
                phase = .member
            case .member:
                bytes.skipWhitespace(&i)
                consumed = i
                guard bytes[i] == UInt8(ascii: "\"") else { throw bytes.stop(.unexpectedByte, at: i) }
                let name = try bytes.scanString(&i)
                try bytes.expect(UInt8(ascii: ":"), &i)
                bytes.skipWhitespace(&i)
                if scratch.match(name, in: bytes, FieldNames.isRecords) {
                    guard !sawRecords else { throw bytes.stop(.duplicateRecords, at: name.start) }
                    guard bytes[i] == UInt8(ascii: "[") else { throw bytes.stop(.notATrail, at: i) }
                    i += 1
                    sawRecords = true
                    phase = .firstRecord
                } else {
                    try bytes.skipValue(&i, nesting: &nesting)
                    phase = .afterMember
                }
            case .afterMember:
                bytes.skipWhitespace(&i)
                consumed = i
                switch bytes[i] {
                case UInt8(ascii: ","): phase = .member
                case UInt8(ascii: "}") where sawRecords: phase = .end
                case UInt8(ascii: "}"): throw bytes.stop(.notATrail, at: i)
                default: throw bytes.stop(.unexpectedByte, at: i)
                }
                i += 1
            case .firstRecord:
                bytes.skipWhitespace(&i)
                consumed = i
                try bytes.requireByte(at: i)
                if bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    phase = .afterMember
                } else {
                    phase = .record
                }
            case .record:
                bytes.skipWhitespace(&i)
                consumed = i
                if tally.rules.skimsRecords {
                    // --validate used: a record the plan does not need is
                    // skipped structurally (RecordSkimming.swift).
                    let start = i
                    var source = ByteSlice.absent
                    let needed = try bytes.skimRecord(
                        &i, source: &source, scratch: &scratch, nesting: &nesting, tally: &tally)
                    if needed {
                        // Scanned again, extracting its fields; the values
                        // it does not read are skimmed too, unless the
                        // record is read whole (see readsWholeRecord).
                        i = start
                        if tally.readsWholeRecord(source: source, bytes) {
                            try bytes.scanRecord(&i, into: &fields, scratch: &scratch, nesting: &nesting, ValidatedUnread.self)
                        } else {
                            try bytes.scanRecord(&i, into: &fields, scratch: &scratch, nesting: &nesting, SkimmedUnread.self)
                            // A lifecycle call's requestParameters is parsed whole for
                            // its detail and flags (LifecycleDetail): validated in full.
                            if tally.rules.collectsLifecycle && tally.readsLifecycleDetail(fields, bytes) {
                                i = start
                                try bytes.scanRecord(&i, into: &fields, scratch: &scratch, nesting: &nesting, ValidatedUnread.self)
                            }
                        }
                    } else {
                        fields.reset()
                        fields.eventSource = source
                    }
                } else {
                    try bytes.scanRecord(&i, into: &fields, scratch: &scratch, nesting: &nesting, ValidatedUnread.self)
                }
                guard tally.count(fields, in: bytes) else {
                    throw ScanStop(code: ScanError.Reason.tooManyDistinctValues.code, position: i)
                }
                phase = .afterRecord
            case .afterRecord:
                bytes.skipWhitespace(&i)
                consumed = i
                switch bytes[i] {
                case UInt8(ascii: ","): phase = .record
                case UInt8(ascii: "]"): phase = .afterMember
                default: throw bytes.stop(.unexpectedByte, at: i)
                }
                i += 1
            case .end:
                bytes.skipWhitespace(&i)
                consumed = i
                guard i >= bytes.count else { throw ScanStop(code: ScanError.Reason.trailingData.code, position: i) }
                consumed = i
                // Nothing more can come: a final call must end here, and a
                // non-final one reports everything consumed.
                throw ScanStop(code: ScanStop.needMoreInput, position: i)
            }
            consumed = i
        }
    }

    func makeError(_ stop: ScanStop, _ buffer: PaddedBuffer) -> ScanError {
        let offset = streamOffset + stop.position
        if stop.needsMoreInput {
            return ScanError(.truncated, offset: offset, detail: "the document is not closed")
        }
        let reason = ScanError.Reason(stop.code)
        var detail = ""
        if stop.position < buffer.count, reason != .tooManyDistinctValues {
            let byte = buffer.withUnsafeBytes { $0[stop.position] }
            detail = reason == .notATrail ? notATrailDetail(byte) : "found " + Self.describe(byte)
        }
        return ScanError(reason, offset: offset, detail: detail)
    }

    /// What the document is instead of a trail log, from the phase and the
    /// byte the scanner stopped at (`ScanError.description` puts it in
    /// parentheses: "not a CloudTrail log (top level is an array)").
    func notATrailDetail(_ byte: UInt8) -> String {
        switch phase {
        case .start:
            switch byte {
            case UInt8(ascii: "["): return "top level is an array"
            case UInt8(ascii: "\""): return "top level is a string"
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "top level is a number"
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): return "top level is true, false or null"
            default: return "top level is not a JSON object, found " + Self.describe(byte)
            }
        case .member: return "Records is not an array"
        default: return "no Records array"
        }
    }

    static func describe(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        let code = "0x" + (hex.count == 1 ? "0" + hex : hex)
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))' (\(code))" }
        return code
    }
}
