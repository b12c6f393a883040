// A small JSON tree for the few records whose nested content matters as a
// whole (PutEventSelectors' selectors). Only ever run on bytes the scanner
// has already validated, and only for those rare records: the hot path
// never builds one.

/// A parsed JSON value. Numbers are kept as their text.
indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The member `name` of an object (the last one when repeated).
    subscript(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == name }?.1
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The value in `bytes` (valid JSON), or nil if it is not.
    static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = 64) -> JSONValue? {
        var parser = Parser(bytes: bytes, maximumDepth: maximumDepth)
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipWhitespace()
        return parser.i == bytes.count ? value : nil
    }

    /// Like `parse`, but the elements of the array member `streamed` of an
    /// object whose earlier member is `marker` (a partial's "rows", after
    /// its "trailscanPartial") are handed to `sink` one at a time instead of
    /// being kept (that member is then an empty array in the tree): a part
    /// of millions of rows is never held as a tree. `sink` returns false to
    /// reject the document. Such a member given twice in one object is
    /// rejected.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, maximumDepth: Int, streaming streamed: String, after marker: String,
        into sink: (JSONValue) -> Bool
    ) -> JSONValue? {
        withoutActuallyEscaping(sink) { sink in
            var parser = Parser(bytes: bytes, maximumDepth: maximumDepth)
            parser.streaming = (streamed, marker, sink)
            guard let value = parser.value(depth: 0) else { return nil }
            parser.skipWhitespace()
            return parser.i == bytes.count ? value : nil
        }
    }

    struct Parser {
        let bytes: UnsafeRawBufferPointer
        let maximumDepth: Int
        var i = 0
        var streaming: (member: String, marker: String, sink: (JSONValue) -> Bool)?

        mutating func skipWhitespace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func value(depth: Int) -> JSONValue? {
            // Selectors and partials are shallow; deeper is not one of them.
            guard depth < maximumDepth else { return nil }
            skipWhitespace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, JSONValue)] = []
                skipWhitespace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(members)
                }
                var sawMarker = false
                var streamedOnce = false
                while true {
                    skipWhitespace()
                    guard let name = string() else { return nil }
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    if let streaming, name == streaming.marker { sawMarker = true }
                    let member: JSONValue
                    if let streaming, sawMarker, name == streaming.member {
                        guard !streamedOnce, streamElements(depth: depth + 1, into: streaming.sink) else { return nil }
                        streamedOnce = true
                        member = .array([])
                    } else {
                        guard let value = value(depth: depth + 1) else { return nil }
                        member = value
                    }
                    members.append((name, member))
                    skipWhitespace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "}") else { return nil }
                    i += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                i += 1
                var elements: [JSONValue] = []
                skipWhitespace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(elements)
                }
                while true {
                    guard let element = value(depth: depth + 1) else { return nil }
                    elements.append(element)
                    skipWhitespace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "]") else { return nil }
                    i += 1
                    return .array(elements)
                }
            case UInt8(ascii: "\""):
                return string().map(JSONValue.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default:
                let start = i
                while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
                guard i > start else { return nil }
                return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
            }
        }

        /// The array at `i`, each element handed to `sink` as it is read.
        mutating func streamElements(depth: Int, into sink: (JSONValue) -> Bool) -> Bool {
            guard depth < maximumDepth else { return false }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return false }
            i += 1
            skipWhitespace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                i += 1
                return true
            }
            while true {
                guard let element = value(depth: depth + 1), sink(element) else { return false }
                skipWhitespace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "]") else { return false }
                i += 1
                return true
            }
        }

        mutating func literal(_ text: String, _ value: JSONValue) -> JSONValue? {
            let n = text.utf8.count
            guard i + n <= bytes.count, bytes[i..<(i + n)].elementsEqual(text.utf8) else { return nil }
            i += n
            return value
        }

        /// A string at `i`, decoded (escapes included).
        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            let start = i + 1
            var j = start
            var escaped = false
            while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
                if bytes[j] == UInt8(ascii: "\\") {
                    escaped = true
                    j += 1
                }
                j += 1
            }
            guard j < bytes.count else { return nil }
            i = j + 1
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<j])
            guard escaped else { return String(decoding: raw, as: UTF8.self) }
            let decoded = PaddedBuffer(capacity: raw.count)
            JSONString.decode(raw, into: decoded)
            return decoded.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
    }
}
