// A strict RFC 8259 reader for digest files. Digest files are small (a few
// KiB to a few MiB) and untrusted, so this builds a tree, validates every
// byte (string escapes, control characters, number grammar, UTF-8), limits
// nesting, and never traps: a malformed file is a `DigestFormatError`.
// (TrailScanCore's JSONValue is tuned for bytes the scanner has already
// validated; this one is the validator.)

/// A parsed JSON value. Numbers keep their text.
enum DigestJSON: Equatable {
    case object([(String, DigestJSON)])
    case array([DigestJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (a: DigestJSON, b: DigestJSON) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// The member `name` of an object, or nil (also when self is no object).
    subscript(_ name: String) -> DigestJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// Nesting deeper than this is not a digest file.
    static let maximumDepth = 32

    /// Parses one JSON document (surrounding whitespace allowed).
    /// - Throws: a one-line reason with the byte offset.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(DigestFormatError) -> DigestJSON {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.i == bytes.count else { throw reader.error("data after the JSON document") }
        return value
    }

    /// `parse` on an array.
    static func parse(_ bytes: [UInt8]) throws(DigestFormatError) -> DigestJSON {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DigestFormatError) in try parse(raw) }
        }
        return try result.get()
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        func error(_ what: String) -> DigestFormatError {
            DigestFormatError("not valid JSON: \(what) at byte \(i)")
        }

        mutating func skipWhitespace() {
            while i < bytes.count {
                let b = bytes[i]
                guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
                i += 1
            }
        }

        mutating func value(depth: Int) throws(DigestFormatError) -> DigestJSON {
            guard depth < DigestJSON.maximumDepth else { throw error("nesting deeper than \(DigestJSON.maximumDepth)") }
            guard i < bytes.count else { throw error("unexpected end of data") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, DigestJSON)] = []
                skipWhitespace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                    let name = try string()
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipWhitespace()
                    members.append((name, try value(depth: depth + 1)))
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unexpected end of data in an object") }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard bytes[i] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
                    i += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                i += 1
                var elements: [DigestJSON] = []
                skipWhitespace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(elements)
                }
                while true {
                    skipWhitespace()
                    elements.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unexpected end of data in an array") }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard bytes[i] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
                    i += 1
                    return .array(elements)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                throw error("unexpected byte 0x\(String(bytes[i], radix: 16))")
            }
        }

        mutating func literal(_ text: StaticString, _ value: DigestJSON) throws(DigestFormatError) -> DigestJSON {
            let n = text.utf8CodeUnitCount
            guard i + n <= bytes.count else { throw error("unexpected end of data") }
            for k in 0..<n where bytes[i + k] != text.utf8Start[k] { throw error("invalid literal") }
            i += n
            return value
        }

        /// RFC 8259 §6: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
        mutating func number() throws(DigestFormatError) -> String {
            let start = i
            func digits(_ i: inout Int) -> Int {
                let s = i
                while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
                return i - s
            }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count else { throw error("invalid number") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else if digits(&i) == 0 {
                throw error("invalid number")
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&i) > 0 else { throw error("invalid number") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&i) > 0 else { throw error("invalid number") }
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        /// A string at `i` (which is '"'), decoded; rejects control
        /// characters, bad escapes, lone surrogates and invalid UTF-8.
        mutating func string() throws(DigestFormatError) -> String {
            i += 1
            var out: [UInt8] = []
            var plainStart = i
            while true {
                guard i < bytes.count else { throw error("unterminated string") }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<i]))
                    i += 1
                    break
                }
                if b < 0x20 { throw error("control character in a string") }
                if b != UInt8(ascii: "\\") {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<i]))
                i += 1
                guard i < bytes.count else { throw error("unterminated string") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                        else { throw error("lone surrogate escape") }
                        i += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error("lone surrogate escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw error("lone surrogate escape")
                    }
                    // Valid by construction (surrogates excluded above).
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw error("invalid escape")
                }
                plainStart = i
            }
            // String(validating:) rejects ill-formed UTF-8 instead of repairing it.
            guard let text = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in a string") }
            return text
        }

        mutating func hex4() throws(DigestFormatError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw error("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
                default: throw error("invalid \\u escape")
                }
                v = v << 4 | UInt32(d)
                i += 1
            }
            return v
        }
    }
}

/// Why a digest file cannot be used, in one line.
public struct DigestFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
