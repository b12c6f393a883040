// JSON string literals, written by hand (the core does not import Foundation).

enum JSONText {
    /// Appends `value` to `out` as a JSON string literal, quotes included.
    ///
    /// Escapes `"` and `\`, writes control characters as `\n` `\r` `\t`
    /// `\b` `\f` or `\u00XX`, and everything else as its UTF-8 (a Swift
    /// `String` is always valid UTF-8, so the output is valid JSON). `/`
    /// and DEL are not escaped: JSON does not require it.
    static func appendString(_ value: String, to out: inout String) {
        out.append("\"")
        // Fast path: most keys and event names need no escape at all.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(value)
            out.append("\"")
            return
        }
        var run = value.utf8.startIndex  // start of the bytes not yet written
        var index = run
        let utf8 = value.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            let escape: String?
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0x00..<0x20: escape = "\\u00" + hexByte(byte)
            default: escape = nil
            }
            if let escape {
                // `run` and `index` sit on ASCII bytes, so both are
                // scalar boundaries and the slice is valid UTF-8.
                out.append(contentsOf: value[run..<index])
                out.append(escape)
                index = utf8.index(after: index)
                run = index
            } else {
                index = utf8.index(after: index)
            }
        }
        out.append(contentsOf: value[run..<utf8.endIndex])
        out.append("\"")
    }

    /// `value` as a JSON string literal, quotes included.
    static func string(_ value: String) -> String {
        var out = ""
        appendString(value, to: &out)
        return out
    }

    /// Two uppercase hex digits.
    static func hexByte(_ byte: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
