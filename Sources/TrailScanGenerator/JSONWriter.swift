// A streaming, byte-level JSON writer with three output styles. Record code
// emits *logical* tokens (begin object, member name, string, number...) and
// the writer alone decides the bytes, so the three styles of one seed decode
// to the same JSON values by construction.
//
// - compact:     CloudTrail's own form, no whitespace at all.
// - pretty:      console-download form, newline + 2 or 4 spaces per level.
// - adversarial: legal but hostile RFC 8259: random whitespace (space, tab,
//                CR, LF) between tokens, members in shuffled order, random
//                `\uXXXX` (either hex case), `\/`, surrogate-pair escapes,
//                and numbers in equivalent forms (1e3, 10E2, 1000.0...).
//
// The adversarial choices come from the writer's own RandomSource, which is
// never the record-content stream: content is identical across styles.

struct JSONWriter {
    /// The document written so far.
    private(set) var out: [UInt8] = []

    private let style: TrailGenerator.JSONStyle
    /// Spaces per nesting level in `.pretty`.
    private let indent: Int
    /// Serialization randomness (`.adversarial` only; also picks `indent`).
    private var rng: RandomSource

    private struct Frame {
        var isObject: Bool
        var count: Int  // members or elements written so far
        var memberBase: Int  // this object's first entry in `members`
        var contentStart: Int  // offset just after the opening bracket
    }

    private var frames: [Frame] = []
    /// `.adversarial`: byte ranges of the members of every open object, in a
    /// stack (an object's entries are above its parent's), used to reorder
    /// the members when the object closes.
    private var members: [(start: Int, end: Int)] = []
    private var afterKey = false
    private var scratch: [UInt8] = []
    /// `.adversarial`: this string's probability (of 64) of `\u`-escaping a
    /// plain character.
    private var escapeRate = 0

    init(style: TrailGenerator.JSONStyle, rng: RandomSource, capacity: Int = 1 << 16) {
        self.style = style
        var rng = rng
        self.indent = rng.chance(1, in: 2) ? 2 : 4
        self.rng = rng
        out.reserveCapacity(capacity)
        frames.reserveCapacity(64)
    }

    /// Hands over the document and leaves the writer empty.
    mutating func takeOutput() -> [UInt8] {
        precondition(frames.isEmpty, "takeOutput() with open containers")
        var result: [UInt8] = []
        swap(&result, &out)
        return result
    }

    /// Bytes written so far.
    var count: Int { out.count }

    // MARK: - Containers

    mutating func beginObject() {
        valuePrefix()
        out.append(UInt8(ascii: "{"))
        frames.append(Frame(isObject: true, count: 0, memberBase: members.count, contentStart: out.count))
    }

    mutating func endObject() {
        let frame = frames.removeLast()
        precondition(frame.isObject && !afterKey, "endObject() outside an object or after a bare key")
        switch style {
        case .compact:
            break
        case .pretty:
            if frame.count > 0 { newline(depth: frames.count) }
        case .adversarial:
            if frame.count > 0 { members[members.count - 1].end = out.count }
            if frame.count > 1 && rng.chance(3, in: 4) { reorderMembers(of: frame) }
            members.removeSubrange(frame.memberBase...)
            whitespace()
        }
        out.append(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        valuePrefix()
        out.append(UInt8(ascii: "["))
        frames.append(Frame(isObject: false, count: 0, memberBase: members.count, contentStart: out.count))
    }

    mutating func endArray() {
        let frame = frames.removeLast()
        precondition(!frame.isObject, "endArray() outside an array")
        switch style {
        case .compact: break
        case .pretty: if frame.count > 0 { newline(depth: frames.count) }
        case .adversarial: whitespace()
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Starts a member of the innermost object; the next value call is its value.
    mutating func key(_ name: StaticString) {
        precondition(frames.last?.isObject == true && !afterKey, "key() outside an object")
        let top = frames.count - 1
        if frames[top].count > 0 {
            if style == .adversarial { members[members.count - 1].end = out.count }
            out.append(UInt8(ascii: ","))
        }
        frames[top].count += 1
        switch style {
        case .compact:
            quoted(name)
            out.append(UInt8(ascii: ":"))
        case .pretty:
            newline(depth: frames.count)
            quoted(name)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: " "))
        case .adversarial:
            members.append((start: out.count, end: -1))
            whitespace()
            quoted(name)
            whitespace()
            out.append(UInt8(ascii: ":"))
        }
        afterKey = true
    }

    // MARK: - Scalars

    mutating func string(_ value: StaticString) {
        valuePrefix()
        quoted(value)
    }

    mutating func string(_ value: [UInt8]) {
        valuePrefix()
        beginQuote()
        text(value)
        out.append(UInt8(ascii: "\""))
    }

    mutating func string(_ value: String) {
        valuePrefix()
        beginQuote()
        text(value)
        out.append(UInt8(ascii: "\""))
    }

    /// Opens a string value assembled from several `text` pieces.
    /// A multi-byte UTF-8 character must not be split between two pieces.
    mutating func beginString() {
        valuePrefix()
        beginQuote()
    }

    mutating func endString() {
        out.append(UInt8(ascii: "\""))
    }

    mutating func text(_ piece: StaticString) {
        piece.withUTF8Buffer { appendEscaped(UnsafeRawBufferPointer($0)) }
    }

    mutating func text(_ piece: [UInt8]) {
        piece.withUnsafeBytes { appendEscaped($0) }
    }

    mutating func text(_ piece: String) {
        var piece = piece
        piece.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0)) }
    }

    /// `value` in decimal inside a string.
    mutating func text(decimal value: Int) {
        scratchDecimal(value)
        appendScratchEscaped()
    }

    /// `value` as `digits` lowercase hex digits inside a string.
    mutating func text(hex value: UInt64, digits: Int) {
        scratch.removeAll(keepingCapacity: true)
        var shift = (digits - 1) * 4
        while shift >= 0 {
            scratch.append(hexDigitsLower[Int(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF)])  // 0...15
            shift -= 4
        }
        appendScratchEscaped()
    }

    /// An ISO 8601 `eventTime` string.
    mutating func timestamp(_ epochSeconds: Int64) {
        beginString()
        scratch.removeAll(keepingCapacity: true)
        CivilDate(epochSeconds: epochSeconds).appendISO8601(to: &scratch)
        appendScratchEscaped()
        endString()
    }

    /// A `keyMetadata.creationDate`-style string (`Oct 1, 2026, 12:05:12 AM`).
    mutating func javaTimestamp(_ epochSeconds: Int64) {
        beginString()
        scratch.removeAll(keepingCapacity: true)
        CivilDate(epochSeconds: epochSeconds).appendJavaStyle(to: &scratch)
        appendScratchEscaped()
        endString()
    }

    mutating func bool(_ value: Bool) {
        valuePrefix()
        out.append(contentsOf: value ? trueBytes : falseBytes)
    }

    mutating func null() {
        valuePrefix()
        out.append(contentsOf: nullBytes)
    }

    /// An integer. `.adversarial` may write it as `1e3`, `10E2`, `1000.0`...
    mutating func number(_ value: Int) {
        valuePrefix()
        if style == .adversarial {
            adversarialNumber(mantissa: value, exponent: 0)
        } else {
            appendDecimal(value, &out)
        }
    }

    /// The number `mantissa × 10^exponent` (`exponent <= 0`), written in
    /// plain decimal form (`-0.5`, `0.0416`) by compact and pretty.
    mutating func decimal(mantissa: Int, exponent: Int) {
        precondition(exponent <= 0)
        valuePrefix()
        if style == .adversarial {
            adversarialNumber(mantissa: mantissa, exponent: exponent)
        } else {
            appendPlainDecimal(mantissa: mantissa, exponent: exponent)
        }
    }

    // MARK: - Internals

    @inline(__always)
    private mutating func valuePrefix() {
        if afterKey {
            afterKey = false
            if style == .adversarial { whitespace() }
            return
        }
        guard let top = frames.indices.last else { return }
        precondition(!frames[top].isObject, "a value inside an object needs key() first")
        if frames[top].count > 0 { out.append(UInt8(ascii: ",")) }
        frames[top].count += 1
        switch style {
        case .compact: break
        case .pretty: newline(depth: frames.count)
        case .adversarial: whitespace()
        }
    }

    private mutating func newline(depth: Int) {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<(depth * indent) { out.append(UInt8(ascii: " ")) }
    }

    /// Random JSON whitespace: usually nothing, sometimes a few of
    /// space/tab/CR/LF, rarely a long run.
    private mutating func whitespace() {
        let r = rng.below(256)
        if r < 176 { return }
        let n = r == 255 ? rng.int(8, 40) : rng.int(1, 3)
        for _ in 0..<n {
            out.append(whitespaceBytes[rng.below(4)])
        }
    }

    private mutating func beginQuote() {
        if style == .adversarial {
            let r = rng.below(8)
            escapeRate = r < 4 ? 0 : (r < 7 ? 4 : 24)
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func quoted(_ value: StaticString) {
        beginQuote()
        text(value)
        out.append(UInt8(ascii: "\""))
    }

    private mutating func scratchDecimal(_ value: Int) {
        scratch.removeAll(keepingCapacity: true)
        appendDecimal(value, &scratch)
    }

    private mutating func appendScratchEscaped() {
        var pending: [UInt8] = []
        swap(&pending, &scratch)
        pending.withUnsafeBytes { appendEscaped($0) }
        swap(&pending, &scratch)
    }

    /// Appends string content, escaped as the style wants. Every style
    /// escapes `"`, `\` and control characters (they must be); only
    /// `.adversarial` escapes anything else.
    private mutating func appendEscaped(_ bytes: UnsafeRawBufferPointer) {
        if style == .adversarial {
            adversarialEscaped(bytes)
            return
        }
        var runStart = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
            appendShortEscape(b)
            i += 1
            runStart = i
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }

    /// The canonical escape of a byte that must be escaped.
    private mutating func appendShortEscape(_ b: UInt8) {
        out.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case 0x0A: out.append(UInt8(ascii: "n"))  // \n
        case 0x0D: out.append(UInt8(ascii: "r"))  // \r
        case 0x09: out.append(UInt8(ascii: "t"))  // \t
        case 0x08: out.append(UInt8(ascii: "b"))  // \b
        case 0x0C: out.append(UInt8(ascii: "f"))  // \f
        default:
            out.append(UInt8(ascii: "u"))
            appendHex4(UInt16(b), upper: false)
        }
    }

    private mutating func appendHex4(_ unit: UInt16, upper: Bool?) {
        var shift: UInt16 = 12
        while true {
            let nibble = Int((unit >> shift) & 0xF)
            let useUpper = upper ?? rng.chance(1, in: 2)
            out.append(useUpper ? hexDigitsUpper[nibble] : hexDigitsLower[nibble])
            if shift == 0 { break }
            shift -= 4
        }
    }

    private mutating func adversarialEscaped(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    if rng.chance(1, in: 4) { unicodeEscape(UInt16(b)) } else { appendShortEscape(b) }
                case 0..<0x20:
                    if rng.chance(1, in: 3) { unicodeEscape(UInt16(b)) } else { appendShortEscape(b) }
                case UInt8(ascii: "/"):
                    let r = rng.below(8)
                    if r < 3 {
                        out.append(UInt8(ascii: "\\"))
                        out.append(UInt8(ascii: "/"))
                    } else if r == 3 {
                        unicodeEscape(UInt16(b))
                    } else {
                        out.append(b)
                    }
                default:
                    if escapeRate > 0 && rng.below(64) < escapeRate {
                        unicodeEscape(UInt16(b))
                    } else {
                        out.append(b)
                    }
                }
                continue
            }
            // A multi-byte UTF-8 character; the generator only ever feeds
            // valid UTF-8, so the length follows from the lead byte.
            let length = b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : 2)
            precondition(i + length <= bytes.count, "a UTF-8 character was split between text pieces")
            if rng.chance(1, in: 2) {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + length)]))
            } else {
                var scalar = UInt32(b) & (length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07))
                for k in 1..<length {
                    scalar = (scalar << 6) | (UInt32(bytes[i + k]) & 0x3F)
                }
                if scalar > 0xFFFF {
                    let v = scalar - 0x10000  // < 2^20
                    unicodeEscape(UInt16(truncatingIfNeeded: 0xD800 + (v >> 10)))  // high surrogate
                    unicodeEscape(UInt16(truncatingIfNeeded: 0xDC00 + (v & 0x3FF)))  // low surrogate
                } else {
                    unicodeEscape(UInt16(truncatingIfNeeded: scalar))  // ≤ 0xFFFF
                }
            }
            i += length
        }
    }

    private mutating func unicodeEscape(_ unit: UInt16) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "u"))
        appendHex4(unit, upper: nil)
    }

    /// Moves the members of the object that just closed into a random order.
    /// Each member's bytes are `[start, end)`; the commas between them are
    /// rewritten, so the object's length (and every enclosing offset) is
    /// unchanged.
    private mutating func reorderMembers(of frame: Frame) {
        let base = frame.memberBase
        let n = members.count - base
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: out[frame.contentStart...])
        out.removeSubrange(frame.contentStart...)
        var order = Array(0..<n)
        rng.shuffle(&order, 0..<n)
        for (k, index) in order.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            let m = members[base + index]
            out.append(contentsOf: scratch[(m.start - frame.contentStart)..<(m.end - frame.contentStart)])
        }
    }

    private mutating func appendPlainDecimal(mantissa: Int, exponent: Int) {
        if exponent == 0 {
            appendDecimal(mantissa, &out)
            return
        }
        if mantissa < 0 { out.append(UInt8(ascii: "-")) }
        scratch.removeAll(keepingCapacity: true)
        appendDecimal(Int(mantissa.magnitude), &scratch)
        let fraction = -exponent
        if scratch.count <= fraction {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            for _ in 0..<(fraction - scratch.count) { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: scratch)
        } else {
            out.append(contentsOf: scratch[0..<(scratch.count - fraction)])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: scratch[(scratch.count - fraction)...])
        }
    }

    /// `mantissa × 10^exponent` in one of several equivalent JSON forms.
    private mutating func adversarialNumber(mantissa: Int, exponent: Int) {
        var m = mantissa
        var e = exponent
        switch rng.below(6) {
        case 0, 1:
            appendPlainDecimal(mantissa: m, exponent: e)
            return
        case 2:
            // Strip trailing zeros into the exponent: 1000 -> 1e3.
            while m != 0 && m % 10 == 0 {
                m /= 10
                e += 1
            }
        case 3:
            // One more digit of precision: 1000 -> 10000e-1.
            if m.magnitude < 1 << 40 {
                m *= 10
                e -= 1
            }
        case 4:
            // Trailing zero after the point: 0.5 -> 0.50, 7 -> 7.0.
            appendPlainDecimal(mantissa: m, exponent: e)
            if e == 0 { out.append(UInt8(ascii: ".")) }
            out.append(UInt8(ascii: "0"))
            return
        default:
            break
        }
        appendDecimal(m, &out)
        out.append(rng.chance(1, in: 2) ? UInt8(ascii: "e") : UInt8(ascii: "E"))
        if e >= 0 && rng.chance(1, in: 3) { out.append(UInt8(ascii: "+")) }
        appendDecimal(e, &out)
    }
}

private let hexDigitsLower: [UInt8] = Array("0123456789abcdef".utf8)
private let hexDigitsUpper: [UInt8] = Array("0123456789ABCDEF".utf8)
private let whitespaceBytes: [UInt8] = [0x20, 0x09, 0x0D, 0x0A]  // space, tab, CR, LF
private let trueBytes: [UInt8] = Array("true".utf8)
private let falseBytes: [UInt8] = Array("false".utf8)
private let nullBytes: [UInt8] = Array("null".utf8)
