// The byte-level shape tests and normalization of docs/counting.md: what counts
// as a KMS key ARN, and how a request's key field becomes an ARN.

/// Tests and rewrites of KMS key references, on raw bytes.
public enum KMSKeyReference {
    /// True when `value` is a KMS **key** ARN:
    /// `arn:<partition>:kms:<region>:<account>:key/<id>` with a non-empty
    /// partition and id (alias ARNs, `...:alias/x`, are not keys).
    public static func isKeyARN(_ value: UnsafeRawBufferPointer) -> Bool {
        // Fields are split at the first five colons; the resource (the rest)
        // may itself contain colons or slashes. No allocation: this runs for
        // every resource ARN of every KMS record.
        guard let resource = resourceStart(value) else { return false }
        return value.count - resource > 4 && hasPrefix(value, at: resource, "key/")
    }

    /// True when `value` is a KMS alias ARN, `arn:<p>:kms:<r>:<a>:alias/<name>`.
    public static func isAliasARN(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let resource = resourceStart(value) else { return false }
        return value.count - resource > 6 && hasPrefix(value, at: resource, "alias/")
    }

    /// The account field of an ARN (`arn:p:service:region:ACCOUNT:...`), or
    /// empty when `arn` is not an ARN.
    public static func ownerAccount(ofARN arn: String) -> String {
        guard arn.hasPrefix("arn:") else { return "" }
        let fields = arn.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6 else { return "" }
        return String(decoding: fields[4], as: UTF8.self)
    }

    /// Where the resource part of a KMS ARN starts (after the fifth colon),
    /// or nil when `value` is not `arn:<non-empty>:kms:...`.
    static func resourceStart(_ value: UnsafeRawBufferPointer) -> Int? {
        guard value.count > 4, hasPrefix(value, "arn:") else { return nil }
        var colons = (0, 0, 0, 0)
        var found = 0
        var i = 4
        while i < value.count && found < 4 {
            if value[i] == UInt8(ascii: ":") {
                switch found {
                case 0: colons.0 = i
                case 1: colons.1 = i
                case 2: colons.2 = i
                default: colons.3 = i
                }
                found += 1
            }
            i += 1
        }
        guard found == 4, colons.0 > 4, equals(value, (colons.0 + 1)..<colons.1, "kms") else { return nil }
        return colons.3 + 1
    }

    /// True when `value` starts with `arn:`.
    public static func isARN(_ value: UnsafeRawBufferPointer) -> Bool {
        hasPrefix(value, "arn:")
    }

    /// True when `value` is an alias name, `alias/<name>`.
    public static func isAliasName(_ value: UnsafeRawBufferPointer) -> Bool {
        hasPrefix(value, "alias/")
    }

    /// The partition for a region: `aws-cn` for `cn-*`, `aws-us-gov` for
    /// `us-gov-*`, else `aws`.
    public static func partition(forRegion region: UnsafeRawBufferPointer) -> StaticString {
        if hasPrefix(region, "cn-") { return "aws-cn" }
        if hasPrefix(region, "us-gov-") { return "aws-us-gov" }
        return "aws"
    }

    /// Appends the normalized ARN for a request key field (rule 3) to `out`:
    /// an ARN as is; `alias/x` as `arn:<p>:kms:<region>:<account>:alias/x`;
    /// anything else as a key id, `arn:<p>:kms:<region>:<account>:key/<id>`.
    public static func appendNormalized(
        _ value: UnsafeRawBufferPointer, region: UnsafeRawBufferPointer,
        account: UnsafeRawBufferPointer, to out: inout [UInt8]
    ) {
        if isARN(value) {
            out.append(contentsOf: value)
            return
        }
        out.append(contentsOf: "arn:".utf8)
        let partition = partition(forRegion: region)
        out.append(contentsOf: UnsafeRawBufferPointer(start: partition.utf8Start, count: partition.utf8CodeUnitCount))
        out.append(contentsOf: ":kms:".utf8)
        out.append(contentsOf: region)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: account)
        out.append(UInt8(ascii: ":"))
        if !isAliasName(value) {
            out.append(contentsOf: "key/".utf8)
        }
        out.append(contentsOf: value)
    }

    // MARK: - Byte helpers

    static func hasPrefix(_ value: UnsafeRawBufferPointer, at offset: Int = 0, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard value.count - offset >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n where value[offset + k] != p[k] { return false }
        return true
    }

    static func equals(_ value: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        range.count == text.utf8CodeUnitCount && hasPrefix(value, at: range.lowerBound, text)
    }
}
