// Text from the input (key ARNs, event names, paths, error messages) made
// safe to print on a terminal.

enum TerminalText {
    /// `text` with every control character written as an escape: `\n`,
    /// `\r`, `\t`, or `\u001B`-style for the other C0 controls, DEL, the C1
    /// controls and the Unicode bidirectional controls (U+200E, U+200F,
    /// U+202A–U+202E, U+2066–U+2069).
    ///
    /// A key ARN is attacker-influenced input in a security tool's report
    /// (`requestParameters.keyId` can be any string): printed raw, an escape
    /// sequence could rewrite the terminal, a newline could forge a row and a
    /// bidi override could reorder what the reader sees. A backslash already
    /// in the text is left as it is, so the escaping is for reading, not
    /// reversible; the CSV and JSON formats carry the exact bytes.
    static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                var hex = String(scalar.value, radix: 16, uppercase: true)
                while hex.utf8.count < 4 { hex = "0" + hex }
                out.append("\\u" + hex)
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0: return true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Columns `text` takes, counted as grapheme clusters: right for ASCII
    /// and most scripts, short for East Asian wide characters (the core has
    /// no width tables).
    static func width(_ text: String) -> Int { text.count }

    /// `text` followed by spaces up to `width` columns.
    static func padRight(_ text: String, to width: Int) -> String {
        let missing = width - self.width(text)
        return missing > 0 ? text + String(repeating: " ", count: missing) : text
    }

    /// Spaces up to `width` columns, then `text`.
    static func padLeft(_ text: String, to width: Int) -> String {
        let missing = width - self.width(text)
        return missing > 0 ? String(repeating: " ", count: missing) + text : text
    }
}
