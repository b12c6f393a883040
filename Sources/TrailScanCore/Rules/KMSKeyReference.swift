// The byte-level shape tests and normalization of DESIGN.md §3: what counts
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
        guard value.count > 4, hasPrefix(value, "arn:") else { return false }
        var colons = (0, 0, 0, 0)  // ends of partition, service, region, account
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
        guard found == 4, colons.0 > 4 else { return false }  // non-empty partition
        guard equals(value, (colons.0 + 1)..<colons.1, "kms") else { return false }
        let resource = (colons.3 + 1)..<value.count
        guard resource.count > 4, hasPrefix(value, at: resource.lowerBound, "key/") else { return false }
        return true
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
