// `--validate used` (the default), simdjson's On-Demand principle: the
// document's structure is always checked, every value the answer reads is
// validated in full, and a record whose eventSource the plan does not need
// is only skipped, at the speed of a scan for quotes, backslashes and
// brackets (`cjk_skip`, CJSONKernel), without walking its tokens.
//
// A record is skimmed member by member until its eventSource is known: each
// member name is matched (predicted, or scanned and validated, escapes
// decoded), each value before eventSource is skipped structurally (strings
// by their quotes, containers by cjk_skip; numbers and literals are short and
// checked). eventSource's own value is validated in full. Then:
// - when the plan needs the record, it is scanned again from its start by
//   the record walk (RecordScanner.swift), which extracts and validates the
//   fields the answer reads and skims the values it does not read
//   (`SkimmedUnread`; CloudTrail records, whose requestParameters may be
//   parsed again whole, are validated in full: `readsWholeRecord`);
// - otherwise the rest of the record is skipped by cjk_skip, which also
//   watches for a second top-level `"eventSource"` name (duplicate names:
//   the last one wins, as in the full scan) and for backslashes at the
//   record's top level (a name may be spelled with escapes): after either,
//   the skim goes back to walking the members, so the record's eventSource
//   is the one the full scan would find.
//
// So, on every valid document, both modes find the same record and value
// ends, the same eventSource for every record, and extract the same fields
// from the needed records: the same answer (Tests/TrailScanCoreTests/
// ValidationModeTests.swift, FuzzTesting/Sources/FuzzValidation).

import CJSONKernel

/// How much of each document the scanner validates (`--validate`).
public enum ValidationMode: String, Sendable, CaseIterable {
    /// Structure always; values only where the answer reads them: a record
    /// whose eventSource the plan does not need is skipped structurally.
    case used
    /// RFC 8259 validation of every byte.
    case full
}

/// How `JSONBytes.skipRest` stopped.
enum RestOfRecord {
    /// The record's closing brace was found.
    case end
    /// A second `"eventSource"` name is next (at the position returned).
    case name
    /// A backslash at the record's top level: walk the members instead.
    case escape
}

extension JSONBytes {
    /// Skims the record object at `i` (see the file header). Returns true
    /// when `tally` needs the record (`needsRecord` of its eventSource,
    /// `source`): then the caller scans it again in full; else `i` is past
    /// the record. (`tally` is `inout` only so that it is not copied: a
    /// closure capturing it copied the whole state per record.)
    func skimRecord(
        _ i: inout Int, source: inout ByteSlice, scratch: inout KeyScratch, nesting: inout NestingStack,
        tally: inout TallyState
    ) throws(ScanStop) -> Bool {
        guard self[i] == UInt8(ascii: "{") else { throw stop(.recordNotObject, at: i) }
        source = .absent
        var j = i &+ 1
        skipWhitespace(&j)
        if self[j] == UInt8(ascii: "}") {
            i = j &+ 1
            return false
        }
        var names = scratch.names.chain(.record)
        // After a backslash at the top level, the members are walked to the end.
        var walks = false
        while true {
            let raw = try memberName(&j, names: &names, scratch: scratch) { FieldNames.recordField($0, $1).rawValue }
            if RecordField(matched: raw) == .eventSource {
                if self[j] == UInt8(ascii: "\"") {
                    source = try scanString(&j)
                } else {
                    try skimValue(&j, nesting: &nesting)
                    source = .absent
                }
                if source.isPresent && tally.needsRecord(source: source, self) { return true }
                if !walks {
                    let afterValue = j
                    switch try skipRest(&j, nesting: &nesting) {
                    case .end:
                        i = j
                        return false
                    case .name:
                        continue  // j is at the second eventSource's name
                    case .escape:
                        walks = true
                        j = afterValue
                    }
                }
            } else {
                try skimValue(&j, nesting: &nesting)
            }
            skipWhitespace(&j)
            let c = self[j]
            if c == UInt8(ascii: ",") {
                j &+= 1
                skipWhitespace(&j)
            } else if c == UInt8(ascii: "}") {
                i = j &+ 1
                return false
            } else {
                throw stop(.unexpectedByte, at: j)
            }
        }
    }

    /// Skips the value at `i` structurally: a string by its quotes, a
    /// container by cjk_skip; a number or literal (a few bytes) is checked.
    @inline(__always)
    func skimValue(_ i: inout Int, nesting: inout NestingStack) throws(ScanStop) {
        let first = self[i]
        if first == UInt8(ascii: "\"") {
            try skimString(&i)
        } else if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            _ = try skim(&i, inside: false, watch: false, nesting: &nesting)
        } else {
            try skipScalar(&i)
        }
    }

    /// Skips the string whose opening quote is at `i` by finding its closing
    /// quote (escapes honoured, contents not checked); `i` ends after it.
    @inline(__always)
    func skimString(_ i: inout Int) throws(ScanStop) {
        var k = i &+ 1
        while true {
            // Safe: k <= count + 1 (a step past a backslash at count - 1 at
            // most; every other step stops at the zero at count), so
            // k + 32 <= count + padding.
            let mask = cjk_skim_mask32(base + k)
            if mask == 0 {
                k &+= 32
                continue
            }
            k &+= mask.trailingZeroBitCount
            let c = self[k]
            if c == UInt8(ascii: "\"") {
                i = k &+ 1
                return
            }
            if c == UInt8(ascii: "\\") {
                k &+= 2
            } else {
                // A zero byte: the end of the data, or a NUL inside the string.
                if k >= count { throw ScanStop(code: ScanStop.needMoreInput, position: count) }
                k &+= 1
            }
        }
    }

    /// Skips the rest of the record from `i` (just after a value at its top
    /// level) to its closing brace, watching for a second eventSource.
    @inline(__always)
    func skipRest(_ i: inout Int, nesting: inout NestingStack) throws(ScanStop) -> RestOfRecord {
        switch try skim(&i, inside: true, watch: true, nesting: &nesting) {
        case Int32(CJK_SKIP_NAME): .name
        case Int32(CJK_SKIP_ESCAPE): .escape
        default: .end
        }
    }

    /// Runs cjk_skip from `i` (see CJSONKernel.h): on `CJK_SKIP_END`,
    /// `CJK_SKIP_NAME` or `CJK_SKIP_ESCAPE`, moves `i` to the position it
    /// returns and returns the status; throws for a mismatched bracket or
    /// the end of the data; grows the spill stack when nesting needs it.
    func skim(_ i: inout Int, inside: Bool, watch: Bool, nesting: inout NestingStack) throws(ScanStop) -> Int32 {
        while true {
            var end = 0
            let status: Int32
            if nesting.skipSpill.isEmpty {
                // No spill room until nesting needs it (an empty array's
                // mutable buffer would be a new allocation per call).
                status = cjk_skip(base, i, count, inside ? 1 : 0, watch ? 1 : 0, nil, 0, &end)
            } else {
                status = nesting.skipSpill.withUnsafeMutableBufferPointer { spill in
                    cjk_skip(base, i, count, inside ? 1 : 0, watch ? 1 : 0, spill.baseAddress, spill.count, &end)
                }
            }
            switch status {
            case Int32(CJK_SKIP_END), Int32(CJK_SKIP_NAME), Int32(CJK_SKIP_ESCAPE):
                i = end
                return status
            case Int32(CJK_SKIP_NEED_MORE):
                throw ScanStop(code: ScanStop.needMoreInput, position: end)
            case Int32(CJK_SKIP_MISMATCH):
                throw ScanStop(code: ScanError.Reason.unexpectedByte.code, position: end)
            default:
                // CJK_SKIP_DEEP: nesting beyond 64 × (capacity + 1) levels,
                // which only bytes scanned can build: double and rescan.
                nesting.skipSpill = Array(repeating: 0, count: max(64, nesting.skipSpill.count * 2))
            }
        }
    }
}
