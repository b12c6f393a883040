// The byte-level JSON primitives the scanner is built from: whitespace,
// strings (word at a time), numbers, literals. Every function here validates
// what it walks over and never reads past the padding.
//
// The contract with the caller: the `count` bytes at `base` are followed by at
// least `PaddedBuffer.padding` (64) zero bytes. The loops below stop at any
// zero byte, so an index never moves past `count`, and an 8-byte load at an
// index <= `count` stays inside the padded allocation.

import CJSONKernel

/// A view of padded bytes with the JSON grammar primitives.
///
/// Positions are plain `Int` offsets from `base`. Functions take the position
/// `inout` and leave it just past what they consumed.

struct JSONBytes {
    let base: UnsafePointer<UInt8>
    /// Number of real bytes; `base[count]` and the 63 bytes after are zero.
    let count: Int

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    subscript(_ i: Int) -> UInt8 {
        // Unchecked: every caller holds i <= count (see file header), and the
        // padding makes base[count] readable.
        base[i]
    }

    /// Loads 8 bytes at `i`, little-endian (byte `i` is the low byte).
    @inline(__always)
    func word(at i: Int) -> UInt64 {
        // Safe: i <= count, and count + 8 <= count + padding.
        UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
    }

    // MARK: - Stops

    /// The error for a byte that cannot appear at `i`: "need more input" when
    /// `i` is at the end of the buffer (the unit continues in data not yet
    /// read), otherwise a real error.
    @inline(__always)
    func stop(_ reason: ScanError.Reason, at i: Int) -> ScanStop {
        i >= count
            ? ScanStop(code: ScanStop.needMoreInput, position: i)
            : ScanStop(code: reason.code, position: i)
    }

    /// Stops with "need more input" when `i` is at the end of the data:
    /// for decisions made by peeking at a byte, which must not be made on
    /// the padding.
    @inline(__always)
    func requireByte(at i: Int) throws(ScanStop) {
        if i >= count { throw ScanStop(code: ScanStop.needMoreInput, position: i) }
    }

    // MARK: - Whitespace

    @inline(__always)
    func skipWhitespace(_ i: inout Int) {
        // Compact JSON has no whitespace, so the first test usually exits.
        while true {
            let b = self[i]
            if b > 0x20 { return }
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i &+= 1  // cannot overflow: i < count here, since base[count] == 0
        }
    }

    /// Consumes `expected` (after optional whitespace) or stops.
    @inline(__always)
    func expect(_ expected: UInt8, _ i: inout Int) throws(ScanStop) {
        skipWhitespace(&i)
        guard self[i] == expected else { throw stop(.unexpectedByte, at: i) }
        i &+= 1
    }

    // MARK: - Strings

    /// Scans a string whose opening quote is at `i`; leaves `i` after the
    /// closing quote and returns the contents (between the quotes).
    @inline(__always)
    func scanString(_ i: inout Int) throws(ScanStop) -> ByteSlice {
        #if arch(x86_64) || arch(i386)
        let start = i &+ 1
        // Fast path, 32 bytes per step: the first quote ends the string
        // unless a byte that needs a closer look (an escape, a control
        // byte, UTF-8) comes before it. Only the quote mask is on the path
        // from one token to the next (compare, movemask, trailing zeros).
        var k = start
        while true {
            // Safe: k <= count (every earlier step held no zero byte, and
            // base[count] is zero), so k + 32 <= count + padding.
            let masks = cjk_string_masks32(base + k)
            let quotes = UInt32(truncatingIfNeeded: masks)
            let special = UInt32(truncatingIfNeeded: masks &>> 32)
            // The bits below the first quote (all 32 when there is none).
            let before = (quotes & (0 &- quotes)) &- 1
            if special & before != 0 { break }
            if quotes != 0 {
                let end = k &+ quotes.trailingZeroBitCount
                i = end &+ 1
                return ByteSlice(start: start, count: end &- start, escaped: false)
            }
            k &+= 32
        }
        return try scanStringSlowly(&i, from: k)
        #else
        return try scanStringLoop(&i, from: i &+ 1)
        #endif
    }

    /// The rest of `scanString` from `k` (no quote or special byte between
    /// the opening quote and `k`), one special byte at a time.
    @inline(never)
    func scanStringSlowly(_ i: inout Int, from k: Int) throws(ScanStop) -> ByteSlice {
        try scanStringLoop(&i, from: k)
    }

    @inline(__always)
    func scanStringLoop(_ i: inout Int, from k: Int) throws(ScanStop) -> ByteSlice {
        let start = i &+ 1
        var j = k
        var escaped = false
        while true {
            j &+= distanceToSpecialByte(at: j)
            if self[j] == UInt8(ascii: "\"") {
                i = j &+ 1
                return ByteSlice(start: start, count: j &- start, escaped: escaped)
            }
            if self[j] == UInt8(ascii: "\\") { escaped = true }
            j = try stringSlowPath(at: j)
        }
    }

    /// The distance from `j` to the first byte that ends the fast path of a
    /// string: `"`, `\`, below 0x20 (this includes the zero padding at
    /// `count`), or >= 0x80. On x86, 32 bytes per step with a movemask from
    /// CJSONKernel (SSE2). Elsewhere 16 bytes per step with SIMD compares
    /// (NEON) whose lane masks are read back as two words, as Swift's SIMD
    /// has no movemask.
    @inline(__always)
    func distanceToSpecialByte(at j: Int) -> Int {
        var k = j
        #if arch(x86_64) || arch(i386)
        while true {
            // Safe: k <= count (every earlier step held no zero byte, and
            // base[count] is zero), so k + 32 <= count + padding.
            let masks = cjk_string_masks32(base + k)
            let stops = UInt32(truncatingIfNeeded: masks) | UInt32(truncatingIfNeeded: masks &>> 32)
            if stops != 0 { return k &- j &+ stops.trailingZeroBitCount }
            k &+= 32
        }
        #else
        while true {
            // Safe: k <= count (every earlier block held no zero byte, and
            // base[count] is zero), so k + 16 <= count + padding.
            let v = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<UInt8>.self)
            let quote = v .== SIMD16<UInt8>(repeating: 0x22)
            let backslash = v .== SIMD16<UInt8>(repeating: 0x5C)
            // Signed: bytes >= 0x80 are negative, so one compare finds both
            // control characters and non-ASCII bytes.
            let outside = unsafeBitCast(v, to: SIMD16<Int8>.self) .< SIMD16<Int8>(repeating: 0x20)
            let lanes = unsafeBitCast(quote .| backslash .| outside, to: SIMD2<UInt64>.self)
            if lanes[0] != 0 { return k &- j &+ lanes[0].trailingZeroBitCount &>> 3 }
            if lanes[1] != 0 { return k &- j &+ 8 &+ lanes[1].trailingZeroBitCount &>> 3 }
            k &+= 16
        }
        #endif
    }

    /// Handles the escape, control byte or UTF-8 sequence at `j` (not a
    /// quote) and returns the position after it.
    @inline(never)
    func stringSlowPath(at j: Int) throws(ScanStop) -> Int {
        let b = self[j]
        if b == UInt8(ascii: "\\") {
            switch self[j &+ 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"),
                UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                UInt8(ascii: "r"), UInt8(ascii: "t"):
                return j &+ 2
            case UInt8(ascii: "u"):
                for k in 2..<6 where Self.hexValue(self[j &+ k]) == nil {
                    throw stop(.invalidEscape, at: j &+ k)
                }
                return j &+ 6
            default:
                throw stop(.invalidEscape, at: j &+ 1)
            }
        }
        if b < 0x20 { throw stop(.controlCharacterInString, at: j) }
        return j &+ (try utf8SequenceLength(at: j))
    }

    /// Validates the UTF-8 sequence starting with the non-ASCII byte at `j`
    /// (Unicode Table 3-7: no overlongs, no surrogates, at most U+10FFFF) and
    /// returns its length.
    
    func utf8SequenceLength(at j: Int) throws(ScanStop) -> Int {
        let lead = self[j]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw ScanStop(code: ScanError.Reason.invalidUTF8.code, position: j)
        }
        for k in 1..<length {
            let c = self[j &+ k]
            let (lo, hi) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard c >= lo && c <= hi else { throw stop(.invalidUTF8, at: j &+ k) }
        }
        return length
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    // MARK: - Scalars

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// Scans a number starting at `i` (a `-` or a digit), RFC 8259 grammar.
    
    func scanNumber(_ i: inout Int) throws(ScanStop) {
        var j = i
        if self[j] == UInt8(ascii: "-") { j &+= 1 }
        if self[j] == UInt8(ascii: "0") {
            j &+= 1
        } else if Self.isDigit(self[j]) {
            while Self.isDigit(self[j]) { j &+= 1 }
        } else {
            throw stop(.invalidNumber, at: j)
        }
        if self[j] == UInt8(ascii: ".") {
            j &+= 1
            guard Self.isDigit(self[j]) else { throw stop(.invalidNumber, at: j) }
            while Self.isDigit(self[j]) { j &+= 1 }
        }
        if self[j] | 0x20 == UInt8(ascii: "e") {
            j &+= 1
            if self[j] == UInt8(ascii: "+") || self[j] == UInt8(ascii: "-") { j &+= 1 }
            guard Self.isDigit(self[j]) else { throw stop(.invalidNumber, at: j) }
            while Self.isDigit(self[j]) { j &+= 1 }
        }
        // A number that reaches the end of the buffer may go on in the next
        // one. (No valid document ends with a number, so this never turns a
        // complete document into a truncated one.)
        try requireByte(at: j)
        i = j
    }

    /// Scans `true`, `false` or `null` at `i`. Inlined (literals are common
    /// values); the error path is not.
    @inline(__always)
    func scanLiteral(_ i: inout Int) throws(ScanStop) {
        // Little-endian words of "true", "fals" + "e", "null".
        let w = word(at: i)
        let four = w & 0xFFFF_FFFF
        if four == 0x6575_7274 || four == 0x6C6C_756E {  // "true", "null"
            i &+= 4
        } else if four == 0x736C_6166 && (w >> 32) & 0xFF == 0x65 {  // "fals" "e"
            i &+= 5
        } else {
            throw literalError(at: i)
        }
    }

    /// The error for a literal that is not `true`, `false` or `null`: at the
    /// first byte that differs (or "need more input" when the literal is
    /// cut by the end of the buffer).
    @inline(never)
    func literalError(at i: Int) -> ScanStop {
        let text: [UInt8] =
            switch self[i] {
            case UInt8(ascii: "t"): Array("true".utf8)
            case UInt8(ascii: "f"): Array("false".utf8)
            default: Array("null".utf8)
            }
        var k = 0
        while k < text.count && self[i &+ k] == text[k] { k += 1 }
        return stop(.invalidLiteral, at: i &+ k)
    }

    /// Skips a string, number or literal at `i`; stops on anything else.
    @inline(__always)
    func skipScalar(_ i: inout Int) throws(ScanStop) {
        switch self[i] {
        case UInt8(ascii: "\""): _ = try scanString(&i)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): try scanLiteral(&i)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber(&i)
        default: throw stop(.unexpectedByte, at: i)
        }
    }

    // MARK: - Any value

    /// Skips any JSON value at `i`, validating it. Inlined into every caller
    /// so that the common case, a string, costs no call; containers go to
    /// `skipContainer`.
    @inline(__always)
    func skipValue(_ i: inout Int, nesting: inout NestingStack) throws(ScanStop) {
        let first = self[i]
        if first == UInt8(ascii: "\"") {
            _ = try scanString(&i)
        } else if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            try skipContainer(&i, nesting: &nesting)
        } else {
            try skipScalar(&i)
        }
    }

    /// Skips the object or array at `i`, validating it. Nesting is tracked on
    /// an explicit stack, never on the call stack, so depth is bounded only by
    /// the input size: the innermost 64 levels are bits of a local word
    /// (1 = object), deeper ones spill to `nesting`.
    @inline(never)
    func skipContainer(_ i: inout Int, nesting: inout NestingStack) throws(ScanStop) {
        let first = self[i]
        var j = i &+ 1
        var bits: UInt64 = first == UInt8(ascii: "{") ? 1 : 0
        var depth = 1
        skipWhitespace(&j)
        // An empty container closes at once.
        if self[j] == (first == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            i = j &+ 1
            return
        }
        // Each turn: one member (name and value) of an object, or one element
        // of an array, at j; then the punctuation after it, closing as many
        // containers as end there.
        while true {
            if bits & 1 == 1 { try scanMemberName(&j) }
            let v = self[j]
            if v == UInt8(ascii: "\"") {
                _ = try scanString(&j)
            } else if v == UInt8(ascii: "{") || v == UInt8(ascii: "[") {
                let isObject = v == UInt8(ascii: "{")
                j &+= 1
                skipWhitespace(&j)
                if self[j] != (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    // Descend: the container's first member or element is next.
                    if depth & 63 == 0 {
                        nesting.spilled.append(bits)
                        bits = 0
                    }
                    bits = bits << 1 | (isObject ? 1 : 0)
                    depth &+= 1  // cannot overflow: depth <= bytes scanned
                    continue
                }
                j &+= 1  // an empty container is a complete value
            } else {
                try skipScalar(&j)
            }
            // After a value: a comma, or closers until one is followed by a comma.
            while true {
                skipWhitespace(&j)
                let c = self[j]
                if c == UInt8(ascii: ",") {
                    j &+= 1
                    skipWhitespace(&j)
                    break
                }
                guard c == (bits & 1 == 1 ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw stop(.unexpectedByte, at: j)
                }
                j &+= 1
                depth &-= 1
                if depth == 0 {
                    i = j
                    return
                }
                bits >>= 1
                if depth & 63 == 0 { bits = nesting.spilled.removeLast() }
            }
        }
    }

    /// Scans `"name"` `:` and the whitespace after it, at `i`.
    @inline(__always)
    func scanMemberName(_ i: inout Int) throws(ScanStop) {
        guard self[i] == UInt8(ascii: "\"") else { throw stop(.unexpectedByte, at: i) }
        _ = try scanString(&i)
        try expect(UInt8(ascii: ":"), &i)
        skipWhitespace(&i)
    }
}

/// Where a string's contents lie in the buffer (between its quotes).

struct ByteSlice: Sendable {
    var start: Int
    /// Raw length; -1 means "absent".
    var count: Int
    /// True when the raw bytes contain a backslash escape to decode.
    var escaped: Bool

    init(start: Int, count: Int, escaped: Bool) {
        self.start = start
        self.count = count
        self.escaped = escaped
    }

    static let absent = ByteSlice(start: 0, count: -1, escaped: false)

    var isPresent: Bool { count >= 0 }
}

/// Storage for nesting levels deeper than 64 (see `skipValue`), kept
/// between values so deep input does not allocate again.
struct NestingStack {
    var spilled: [UInt64] = []
    /// The same for `cjk_skip` (RecordSkimming.swift), which needs its
    /// room up front: grown on demand, never shrunk.
    var skipSpill: [UInt64] = []

    init() {}
}
