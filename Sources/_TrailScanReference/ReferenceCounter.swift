// The reference implementation of docs/counting.md: Foundation's JSONSerialization
// builds a DOM, and the counting rules are applied to it in the plainest
// possible way. It is slow and allocates per value on purpose: it is the
// independent check the byte-level scanner is compared against, written from
// the design document, not from the scanner's code.
//
// JSONSerialization on this toolchain (Swift 6.3.1, swift-corelibs-foundation,
// Linux) differs from RFC 8259 and from the trail dialect in a few places.
// Each difference is closed here, before or after the parse, and listed so
// that the differential tests can tell a scanner bug from a Foundation quirk:
//
// 1. Trailing commas are ACCEPTED: `{"a":1,}` and `[1,]` parse. The lexical
//    pre-pass below rejects a `,` followed (after whitespace) by `}` or `]`.
// 2. The encoding is sniffed: bytes starting with a UTF-16/32 byte order mark
//    or containing 0x00 in the first bytes are decoded as UTF-16/32
//    (`{\0}\0` parses as `{}`). The trail dialect is UTF-8 only, where a raw
//    0x00 byte can never be valid, so a document containing 0x00 or starting
//    with 0xFE/0xFF is rejected before the parse.
// 3. Unpaired surrogate escapes (`"\ud800"`, `"\udc00"`, `"\ud800\u0041"`)
//    are REJECTED; the trail dialect decodes each to U+FFFD. The pre-pass
//    rewrites an unpaired surrogate escape to `\uFFFD` (same length) inside
//    strings before the parse, which implements the dialect's decision.
// 4. Nesting deeper than 512 arrays/objects is rejected ("Too many nested
//    arrays or dictionaries"); RFC 8259 allows any depth and the scanner must.
//    Such documents throw `.unsupported` (the reference cannot judge them).
// 5. Numbers outside Double's range (`1e309`, `1E400`) are rejected ("not
//    representable in Swift"); RFC 8259 allows them. `.unsupported` as well.
//    (Tiny numbers such as `1e-999` parse, as 0.)
// 6. Duplicate member names: the LAST one wins, whole value replaced
//    (`{"a":{"x":1},"a":{"y":2}}` gives `a = {"y":2}`), which is the dialect's
//    decision. Duplicate `Records` members at the top level are detected by
//    the pre-pass, since the dictionary hides them.
// 7. Member names are Swift `String` dictionary keys, so canonically
//    equivalent names collapse into one entry (`"e\u0301"` and `"\u00e9"`;
//    also the Kelvin sign: `"target\u212AeyId"` == `"targetKeyId"`). Lookups
//    below compare UTF-8 bytes, so a lone look-alike name is not taken for a
//    field; a record holding BOTH a field name and a canonically equivalent
//    spelling of it cannot be judged, and no differential input contains one.
// 8. A leading UTF-8 byte order mark is accepted by JSONSerialization; it is
//    stripped here anyway (once: a second BOM is rejected).

import Foundation
import TrailScanCore

/// What the reference counts in one document.
public struct ReferenceResult: Equatable, Sendable, CustomStringConvertible {
    public var rows: [UsageReport.RowKey: CallCounts]
    public var records: UInt64
    public var kmsRecords: UInt64

    public init(rows: [UsageReport.RowKey: CallCounts] = [:], records: UInt64 = 0, kmsRecords: UInt64 = 0) {
        self.rows = rows
        self.records = records
        self.kmsRecords = kmsRecords
    }

    /// The scanner's report as a reference result (same fields).
    public init(_ report: UsageReport) {
        self.init(
            rows: Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, $0.value) }), records: report.records,
            kmsRecords: report.kmsRecords)
    }

    public var description: String {
        var lines = ["records: \(records), kmsRecords: \(kmsRecords), rows: \(rows.count)"]
        for (key, counts) in rows.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(describeRow(key)) calls \(counts.calls) errors \(counts.errors)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Why the reference refused a document.
public struct ReferenceRejection: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Not RFC 8259 JSON (as judged by JSONSerialization plus the pre-pass).
        case invalidJSON
        /// Valid JSON, but not an object with one `Records` array.
        case notATrail
        /// Valid JSON with two `Records` members at the top level.
        case duplicateRecords
        /// Valid JSON whose `Records` array holds a non-object.
        case recordNotObject
        /// Valid JSON the reference cannot judge (a JSONSerialization limit:
        /// nesting deeper than 512, a number outside Double's range).
        case unsupported
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// True when the document is well-formed JSON but not a trail log.
    public var isStructural: Bool {
        kind == .notATrail || kind == .duplicateRecords || kind == .recordNotObject
    }

    public var description: String { "\(kind): \(message)" }
}

/// The counting rules of docs/counting.md applied to a JSONSerialization DOM.
public enum ReferenceCounter {
    /// Counts one document.
    ///
    /// - Throws: `ReferenceRejection` when the document is not
    ///   `{"Records":[objects...]}` (or cannot be judged: `.unsupported`).
    public static func count(_ document: [UInt8]) throws -> ReferenceResult {
        var bytes = document
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Quirks 2 and 8: UTF-8 only, one BOM.
        if bytes.contains(0) { throw ReferenceRejection(.invalidJSON, "raw 0x00 byte") }
        if let first = bytes.first, first == 0xFE || first == 0xFF || first == 0xEF {
            throw ReferenceRejection(.invalidJSON, "byte order mark or invalid UTF-8 at the start")
        }

        let lexical = LexicalPass(&bytes)
        if lexical.trailingComma { throw ReferenceRejection(.invalidJSON, "trailing comma") }
        if lexical.maxDepth > 500 { throw ReferenceRejection(.unsupported, "nesting depth \(lexical.maxDepth)") }

        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            if text.contains("not representable") { throw ReferenceRejection(.unsupported, text) }
            throw ReferenceRejection(.invalidJSON, text)
        }

        guard let top = root as? [String: Any] else {
            throw ReferenceRejection(.notATrail, "the top-level value is not an object")
        }
        let recordsMembers = lexical.topLevelNames.filter { decodedName($0, in: bytes) == "Records" }.count
        if recordsMembers > 1 { throw ReferenceRejection(.duplicateRecords, "\(recordsMembers) Records members") }
        guard let recordsValue = member(top, "Records") else {
            throw ReferenceRejection(.notATrail, "no Records member")
        }
        guard let records = recordsValue as? [Any] else {
            throw ReferenceRejection(.notATrail, "Records is not an array")
        }

        var result = ReferenceResult()
        for (index, element) in records.enumerated() {
            guard let record = element as? [String: Any] else {
                throw ReferenceRejection(.recordNotObject, "record \(index) is not an object")
            }
            result.records += 1
            guard let source = member(record, "eventSource") as? String, same(source, "kms.amazonaws.com") else {
                continue
            }
            result.kmsRecords += 1
            let eventName = member(record, "eventName") as? String ?? ""
            let failed = (member(record, "errorCode") as? String).map { !$0.isEmpty } ?? false
            for key in keys(of: record) {
                result.rows[UsageReport.RowKey(key: key, eventName: eventName), default: CallCounts()]
                    .add(CallCounts(calls: 1, errors: failed ? 1 : 0))
            }
        }
        return result
    }

    /// The KMS keys a KMS record concerns, by the first rule of §3 that
    /// yields any; `[""]` (the empty key) when none does.
    public static func keys(of record: [String: Any]) -> [String] {
        // Rule 1: resources[].ARN that are key ARNs, whatever their type.
        var found: [String] = []
        if let resources = member(record, "resources") as? [Any] {
            for case let resource as [String: Any] in resources {
                if let arn = member(resource, "ARN") as? String, isKeyARN(arn) {
                    appendUnique(arn, to: &found)
                }
            }
        }
        if !found.isEmpty { return found }

        // Rule 2: responseElements.keyId when it is a key ARN.
        if let response = member(record, "responseElements") as? [String: Any],
            let keyId = member(response, "keyId") as? String, isKeyARN(keyId)
        {
            return [keyId]
        }

        // Rule 3: the request's key fields, normalized, deduplicated.
        if let request = member(record, "requestParameters") as? [String: Any] {
            let region = member(record, "awsRegion") as? String ?? ""
            let account =
                member(record, "recipientAccountId") as? String
                ?? (member(record, "userIdentity") as? [String: Any]).flatMap { member($0, "accountId") as? String }
                ?? ""
            for field in ["keyId", "targetKeyId", "sourceKeyId", "destinationKeyId"] {
                guard let value = member(request, field) as? String, !value.isEmpty else { continue }
                appendUnique(normalize(value, region: region, account: account), to: &found)
            }
        }
        if !found.isEmpty { return found }

        // Rule 4: no key.
        return [""]
    }

    /// `arn:` + non-empty partition (up to the next colon) + `:kms:` + region
    /// (no colon) + `:` + account (no colon) + `:key/` + non-empty rest.
    public static func isKeyARN(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.starts(with: Array("arn:".utf8)) else { return false }
        var i = 4
        guard let partitionEnd = bytes[i...].firstIndex(of: UInt8(ascii: ":")), partitionEnd > i else { return false }
        i = partitionEnd + 1
        guard bytes[i...].starts(with: Array("kms:".utf8)) else { return false }
        i += 4
        guard let regionEnd = bytes[i...].firstIndex(of: UInt8(ascii: ":")) else { return false }
        i = regionEnd + 1
        guard let accountEnd = bytes[i...].firstIndex(of: UInt8(ascii: ":")) else { return false }
        i = accountEnd + 1
        return bytes[i...].starts(with: Array("key/".utf8)) && bytes.count > i + 4
    }

    /// Rule 3's normalization of one request key value.
    public static func normalize(_ value: String, region: String, account: String) -> String {
        if value.utf8.starts(with: "arn:".utf8) { return value }
        let partition =
            region.utf8.starts(with: "cn-".utf8) ? "aws-cn"
            : region.utf8.starts(with: "us-gov-".utf8) ? "aws-us-gov" : "aws"
        let prefix = "arn:" + partition + ":kms:" + region + ":" + account + ":"
        if value.utf8.starts(with: "alias/".utf8) { return prefix + value }
        return prefix + "key/" + value
    }

    // MARK: - DOM helpers

    /// The member whose name is exactly `name`, byte for byte (quirk 7).
    static func member(_ object: [String: Any], _ name: String) -> Any? {
        if let value = object[name], object.keys.contains(where: { same($0, name) }) { return value }
        return nil
    }

    /// Byte equality (Swift `==` on String is canonical equivalence).
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func appendUnique(_ value: String, to list: inout [String]) {
        if !list.contains(where: { same($0, value) }) { list.append(value) }
    }

    /// Decodes a member name (its bytes, quotes included) with
    /// JSONSerialization itself; nil when it does not decode.
    static func decodedName(_ range: Range<Int>, in bytes: [UInt8]) -> String? {
        let wrapped = [UInt8(ascii: "[")] + bytes[range] + [UInt8(ascii: "]")]
        return (try? JSONSerialization.jsonObject(with: Data(wrapped)) as? [Any])?.first as? String
    }
}

/// One pass over the bytes outside and inside strings that finds what
/// JSONSerialization hides or gets wrong (quirks 1, 3, 4, 6). It is exact for
/// well-formed JSON; on malformed JSON it may see nonsense, but then
/// JSONSerialization rejects the document anyway (the rewrite only ever
/// touches the hex digits of a well-formed `\u` escape).
struct LexicalPass {
    var trailingComma = false
    var maxDepth = 0
    /// Ranges (quotes included) of the member names of the top-level object.
    var topLevelNames: [Range<Int>] = []

    init(_ bytes: inout [UInt8]) {
        var containers: [UInt8] = []
        var lastToken: UInt8 = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                let start = i
                let isTopLevelName =
                    containers.count == 1 && containers[0] == UInt8(ascii: "{")
                    && (lastToken == UInt8(ascii: "{") || lastToken == UInt8(ascii: ","))
                i += 1
                while i < n && bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") {
                        if let unit = Self.hexEscape(bytes, at: i) {
                            if (0xD800...0xDBFF).contains(unit),
                                let low = Self.hexEscape(bytes, at: i + 6), (0xDC00...0xDFFF).contains(low)
                            {
                                i += 12  // a well-formed pair
                                continue
                            }
                            if (0xD800...0xDFFF).contains(unit) {
                                bytes.replaceSubrange(i + 2..<i + 6, with: Array("FFFD".utf8))
                            }
                            i += 6
                        } else {
                            i += 2
                        }
                    } else {
                        i += 1
                    }
                }
                i += 1
                if isTopLevelName { topLevelNames.append(start..<min(i, n)) }
                lastToken = UInt8(ascii: "\"")
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                containers.append(b)
                maxDepth = max(maxDepth, containers.count)
                lastToken = b
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if lastToken == UInt8(ascii: ",") { trailingComma = true }
                _ = containers.popLast()
                lastToken = b
            case 0x20, 0x0A, 0x0D, 0x09:
                break
            default:
                lastToken = b
            }
            i += 1
        }
    }

    /// The code unit of a `\uXXXX` escape starting at `i`, if well-formed.
    static func hexEscape(_ bytes: [UInt8], at i: Int) -> Int? {
        guard i + 5 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            return nil
        }
        var value = 0
        for b in bytes[i + 2..<i + 6] {
            guard let digit = hexDigit(b) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    static func hexDigit(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

/// A row key printed so that invisible differences show: the key and event
/// name as Swift string literals (escapes for control and non-ASCII
/// characters would be lost by plain printing).
public func describeRow(_ key: UsageReport.RowKey) -> String {
    "key \(visible(key.key)) event \(visible(key.eventName))"
}

func visible(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" {
            out.unicodeScalars.append(scalar)
        } else {
            out += "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }
    return out + "\""
}
