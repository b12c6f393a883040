// Values deeper than the scanner's one level, read only when a request needs
// them: `userIdentity.sessionContext.sessionIssuer.arn` (`--by role`) and
// `requestParameters.encryptionContext` (`--by resource`). The scanner keeps
// where `userIdentity` and `requestParameters` lie; this walks those bytes
// again for the records that need it, so the extra dimensions cost nothing
// in scans that do not ask for them.
//
// The bytes were scanned already (strings closed, brackets matched), but the
// walk still checks every index and gives up (nil) on anything unexpected:
// it must never trap on hostile input.

enum MemberLookup {
    /// The string at `path` (member names, outermost first) in the object
    /// `range` of `bytes` holds, as a slice of `bytes`; nil when absent or
    /// not a string. A repeated member name: the last one wins, as in the
    /// scanner.
    static func string(at path: [StaticString], in bytes: JSONBytes, range: Range<Int>, scratch: PaddedBuffer) -> ByteSlice? {
        guard !path.isEmpty, var walker = ObjectWalker(bytes, range) else { return nil }
        return walker.string(at: path[...], scratch: scratch)
    }

    /// The members of the object at `path` in the object `range` holds
    /// (the last object of that name), in order: each name with its string
    /// value, or nil when the value is not a string.
    static func members(at path: [StaticString], in bytes: JSONBytes, range: Range<Int>, scratch: PaddedBuffer)
        -> [(name: ByteSlice, value: ByteSlice?)]
    {
        guard var walker = ObjectWalker(bytes, range), let object = walker.object(at: path[...], scratch: scratch) else {
            return []
        }
        var inner = walker
        inner.i = object
        var members: [(name: ByteSlice, value: ByteSlice?)] = []
        let complete = inner.forEachMember { name, walker in
            if walker.peek == UInt8(ascii: "\"") {
                guard let value = walker.string() else { return false }
                members.append((name, value))
                return true
            }
            members.append((name, nil))
            return walker.skipValue()
        }
        return complete ? members : []
    }
}

/// A cursor over JSON bytes (positions are offsets into the scan buffer).
struct ObjectWalker {
    let base: UnsafePointer<UInt8>
    let end: Int
    var i: Int

    init?(_ bytes: JSONBytes, _ range: Range<Int>) {
        guard !range.isEmpty else { return nil }
        base = bytes.base
        end = range.upperBound
        i = range.lowerBound
    }

    var peek: UInt8? { i < end ? base[i] : nil }

    mutating func skipWhitespace() {
        while i < end, base[i] == 0x20 || base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x09 { i += 1 }
    }

    /// The string at `i` (which must be a `"`), its content as a slice.
    mutating func string() -> ByteSlice? {
        guard peek == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var j = start
        var escaped = false
        while j < end {
            let c = base[j]
            if c == UInt8(ascii: "\"") {
                i = j + 1
                return ByteSlice(start: start, count: j - start, escaped: escaped)
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                j += 2
            } else {
                j += 1
            }
        }
        return nil
    }

    /// Skips the value at `i` (after whitespace); false on malformed bytes.
    mutating func skipValue() -> Bool {
        skipWhitespace()
        guard let c = peek else { return false }
        if c == UInt8(ascii: "\"") { return string() != nil }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            var depth = 0
            while i < end {
                let b = base[i]
                if b == UInt8(ascii: "\"") {
                    guard string() != nil else { return false }
                    continue
                }
                if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        return true
                    }
                }
                i += 1
            }
            return false
        }
        // A number or a literal: up to the next delimiter.
        while i < end, base[i] != UInt8(ascii: ","), base[i] != UInt8(ascii: "}"), base[i] != UInt8(ascii: "]"),
            base[i] > 0x20
        {
            i += 1
        }
        return true
    }

    /// Calls `body` for each member of the object at `i` with its name and
    /// the walker at its value; `body` consumes the value. False when the
    /// object is malformed or `body` says so.
    mutating func forEachMember(_ body: (ByteSlice, inout ObjectWalker) -> Bool) -> Bool {
        skipWhitespace()
        guard peek == UInt8(ascii: "{") else { return false }
        i += 1
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            i += 1
            return true
        }
        while true {
            skipWhitespace()
            guard let name = string() else { return false }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { return false }
            i += 1
            skipWhitespace()
            guard body(name, &self) else { return false }
            skipWhitespace()
            guard let c = peek else { return false }
            i += 1
            if c == UInt8(ascii: "}") { return true }
            guard c == UInt8(ascii: ",") else { return false }
        }
    }

    func nameEquals(_ name: ByteSlice, _ expected: StaticString, scratch: PaddedBuffer) -> Bool {
        let raw = UnsafeRawBufferPointer(start: base + name.start, count: name.count)
        guard name.escaped else {
            return raw.count == expected.utf8CodeUnitCount && raw.elementsEqual(UnsafeRawBufferPointer(start: expected.utf8Start, count: raw.count))
        }
        scratch.removeAll()
        JSONString.decode(raw, into: scratch)
        return scratch.withUnsafeBytes {
            $0.count == expected.utf8CodeUnitCount && $0.elementsEqual(UnsafeRawBufferPointer(start: expected.utf8Start, count: $0.count))
        }
    }

    /// Where the object at `path` starts (its `{`), the last of that name.
    mutating func object(at path: ArraySlice<StaticString>, scratch: PaddedBuffer) -> Int? {
        guard let first = path.first else { return nil }
        var found: Int?
        let ok = forEachMember { name, walker in
            walker.skipWhitespace()
            if walker.nameEquals(name, first, scratch: scratch) {
                if path.count == 1 {
                    found = walker.peek == UInt8(ascii: "{") ? walker.i : nil
                } else if walker.peek == UInt8(ascii: "{") {
                    var inner = walker
                    found = inner.object(at: path.dropFirst(), scratch: scratch)
                } else {
                    found = nil
                }
            }
            return walker.skipValue()
        }
        return ok ? found : nil
    }

    /// The string at `path`, the last member of that name.
    mutating func string(at path: ArraySlice<StaticString>, scratch: PaddedBuffer) -> ByteSlice? {
        guard let last = path.last else { return nil }
        var walker = self
        if path.count > 1 {
            guard let object = walker.object(at: path.dropLast(), scratch: scratch) else { return nil }
            walker.i = object
        }
        var found: ByteSlice?
        let ok = walker.forEachMember { name, walker in
            walker.skipWhitespace()
            if walker.nameEquals(name, last, scratch: scratch) {
                if walker.peek == UInt8(ascii: "\"") {
                    found = walker.string()
                    return found != nil
                }
                found = nil
            }
            return walker.skipValue()
        }
        return ok ? found : nil
    }
}
