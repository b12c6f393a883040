// Errors the scanner reports, and the internal stop signal of its hot loops.

/// Why the scanner rejected its input, with the byte offset where it noticed.
///
/// An extensible struct rather than a public enum (swift-nio `IOError`
/// style), so new reasons do not break anyone's `switch`.
public struct ScanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        let code: UInt8
        init(_ code: UInt8) { self.code = code }

        /// The data ended in the middle of the document.
        public static let truncated = Reason(1)
        /// A byte that the JSON grammar does not allow at this place.
        public static let unexpectedByte = Reason(2)
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        public static let invalidEscape = Reason(3)
        /// A raw control character (below U+0020) inside a string.
        public static let controlCharacterInString = Reason(4)
        /// Bytes inside a string that are not well-formed UTF-8.
        public static let invalidUTF8 = Reason(5)
        /// A number that does not follow the JSON number grammar.
        public static let invalidNumber = Reason(6)
        /// Something that starts like `true`, `false` or `null` but is not.
        public static let invalidLiteral = Reason(7)
        /// The document is not an object with a `Records` array.
        public static let notATrail = Reason(8)
        /// An element of `Records` is not an object.
        public static let recordNotObject = Reason(9)
        /// Non-whitespace bytes after the end of the document.
        public static let trailingData = Reason(10)
        /// The document has two `Records` members.
        public static let duplicateRecords = Reason(11)
        /// One record is larger than the configured per-record limit.
        public static let recordTooLarge = Reason(12)
        /// The table of distinct keys and event names is full.
        public static let tooManyDistinctValues = Reason(13)

        public var description: String {
            switch code {
            case 1: "unexpected end of data"
            case 2: "unexpected byte"
            case 3: "invalid escape sequence in string"
            case 4: "unescaped control character in string"
            case 5: "invalid UTF-8 in string"
            case 6: "invalid number"
            case 7: "invalid literal"
            case 8: "not a CloudTrail log"
            case 9: "record is not a JSON object"
            case 10: "data after the end of the JSON document"
            case 11: "duplicate \"Records\" member"
            case 12: "record larger than the per-record limit"
            case 13: "too many distinct keys and event names"
            default: "scan error \(code)"
            }
        }
    }

    /// What went wrong.
    public let reason: Reason
    /// Offset in the decoded (uncompressed) byte stream where it was noticed.
    public let offset: Int
    /// A few words of context (the byte found, what was expected...).
    public let detail: String

    public init(_ reason: Reason, offset: Int, detail: String = "") {
        self.reason = reason
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        // The detail of `notATrail` says what the document is instead.
        if reason == .notATrail && !detail.isEmpty { return "\(reason) (\(detail)) at byte \(offset)" }
        let base = "\(reason) at byte \(offset)"
        return detail.isEmpty ? base : "\(base): \(detail)"
    }
}

/// How the hot loops stop. It carries no strings so that throwing it costs
/// two registers; `TrailDocumentScanner` turns it into a `ScanError`.

struct ScanStop: Error {
    /// `needMoreInput` is not an error: the unit being scanned runs past the
    /// end of the buffer and will be scanned again once more data is in.
    static let needMoreInput: UInt8 = 0

    var code: UInt8
    var position: Int

    init(code: UInt8, position: Int) {
        self.code = code
        self.position = position
    }

    var needsMoreInput: Bool { code == Self.needMoreInput }
}
