// The content of one CloudTrail digest file, parsed and checked for shape.
//
// Fields and their meaning: AWS CloudTrail User Guide, "CloudTrail digest
// file structure" (Digest file field descriptions; Starting digest file;
// 'Empty' digest files). What the AWS CLI requires before validating a
// digest: `DigestTraverser.required_digest_keys` in
// awscli/customizations/cloudtrail/validation.py (digestPublicKeyFingerprint,
// digestS3Bucket, digestS3Object, previousDigestSignature, digestEndTime,
// digestStartTime), and that digestS3Bucket/digestS3Object name the object
// it was read from ("has been moved from its original location").

import TrailScanCore

/// A parsed digest file.
public struct DigestFile: Sendable, Hashable, Codable {
    /// The digest's own key, from `AWSLogs/` on (from its path).
    public var key: String
    public var trail: TrailID
    /// A `_backfill.json.gz` digest: lists log files an earlier digest
    /// missed; backfill digests chain among themselves.
    public var isBackfill: Bool
    public var startTime: Int64
    public var endTime: Int64
    /// `digestEndTime` exactly as written: it is part of the signed string.
    public var endTimeText: String
    /// `digestS3Bucket` and `digestS3Object` as written (signed string).
    public var bucket: String
    public var object: String
    public var publicKeyFingerprint: String
    public var signatureAlgorithm: String
    /// nil in a starting digest (all five `previous*` fields null).
    public var previous: PreviousDigest?
    public var logFiles: [ListedLogFile]

    /// The link to the digest before this one.
    public struct PreviousDigest: Sendable, Hashable, Codable {
        /// `previousDigestS3Object` from `AWSLogs/` on.
        public var key: String
        public var bucket: String
        /// `previousDigestHashValue`, lowercased: SHA-256 of the previous
        /// digest's uncompressed content.
        public var hashValue: String
        /// `previousDigestSignature` as written: the previous digest's signature (hex).
        public var signature: String
    }

    /// One entry of `logFiles`.
    public struct ListedLogFile: Sendable, Hashable, Codable {
        /// `s3Object` from `AWSLogs/` on.
        public var key: String
        /// `hashValue`, lowercased: SHA-256 of the uncompressed log file.
        public var hashValue: String
    }

    /// Parses the uncompressed bytes of the digest stored at `key`.
    ///
    /// - Parameters:
    ///   - bytes: the digest's JSON (after gunzip).
    ///   - key: where it was found, from `AWSLogs/` on (`canonicalObjectKey`).
    /// - Throws: `DigestFormatError` with a one-line reason: not JSON, a
    ///   field missing or of the wrong type, a hash that is not 64 hex
    ///   digits, an algorithm other than SHA-256 / SHA256withRSA, a digest
    ///   that names another location than its own, a log file or previous
    ///   digest outside its trail's folders.
    public static func parse(_ bytes: UnsafeRawBufferPointer, key: String) throws(DigestFormatError) -> DigestFile {
        let name = try DigestKey(key)
        let json = try DigestJSON.parse(bytes)
        guard case .object = json else { throw DigestFormatError("not a digest: the JSON is not an object") }

        func string(_ field: String, in object: DigestJSON, _ context: String = "") throws(DigestFormatError) -> String {
            guard let value = object[field] else { throw DigestFormatError("not a digest: \(context)\(field) is missing") }
            guard case .string(let text) = value, !text.isEmpty else {
                throw DigestFormatError("not a digest: \(context)\(field) is not a non-empty string")
            }
            return text
        }
        func time(_ field: String) throws(DigestFormatError) -> (Int64, String) {
            let text = try string(field, in: json)
            guard let t = UTCTime.parse(text) else {
                throw DigestFormatError("not a digest: \(field) '\(shown(text))' is not a UTC time YYYY-MM-DDTHH:MM:SSZ")
            }
            return (t, text)
        }
        func sha256(_ field: String, in object: DigestJSON, _ context: String = "") throws(DigestFormatError) -> String {
            let text = try string(field, in: object, context)
            guard Hex.isSHA256(text) else {
                throw DigestFormatError("not a digest: \(context)\(field) is not a SHA-256 value (64 hex digits)")
            }
            return text.lowercased()
        }

        let account = try string("awsAccountId", in: json)
        guard account == name.trail.account else {
            throw DigestFormatError("awsAccountId \(shown(account)) differs from the account \(name.trail.account) of its path")
        }
        let (start, _) = try time("digestStartTime")
        let (end, endText) = try time("digestEndTime")
        guard start <= end else { throw DigestFormatError("not a digest: digestStartTime is after digestEndTime") }
        let bucket = try string("digestS3Bucket", in: json)
        let object = try string("digestS3Object", in: json)
        guard canonicalObjectKey(object) == key else {
            throw DigestFormatError(
                "digestS3Object names \(shown(object)), not this file: the digest was moved from its original location or altered")
        }
        let fingerprint = try string("digestPublicKeyFingerprint", in: json)
        let algorithm = try string("digestSignatureAlgorithm", in: json)
        guard algorithm == "SHA256withRSA" else {
            throw DigestFormatError("digestSignatureAlgorithm is \(shown(algorithm)), not SHA256withRSA")
        }

        // Starting digest: all five previous* fields null (and present, as
        // CloudTrail writes them; a missing one is the wrong shape).
        let previousFields = [
            "previousDigestS3Bucket", "previousDigestS3Object", "previousDigestHashValue",
            "previousDigestHashAlgorithm", "previousDigestSignature",
        ]
        var nulls = 0
        for field in previousFields {
            guard let value = json[field] else { throw DigestFormatError("not a digest: \(field) is missing") }
            if value == .null { nulls += 1 }
        }
        var previous: PreviousDigest?
        switch nulls {
        case previousFields.count:
            previous = nil
        case 0:
            let previousObject = try string("previousDigestS3Object", in: json)
            guard let previousKey = canonicalObjectKey(previousObject), let previousName = try? DigestKey(previousKey)
            else { throw DigestFormatError("previousDigestS3Object \(shown(previousObject)) is not a digest key") }
            guard previousName.trail == name.trail, previousName.isBackfill == name.isBackfill else {
                throw DigestFormatError("previousDigestS3Object \(shown(previousObject)) is a digest of another trail or region")
            }
            let hashAlgorithm = try string("previousDigestHashAlgorithm", in: json)
            guard hashAlgorithm == "SHA-256" else {
                throw DigestFormatError("previousDigestHashAlgorithm is \(shown(hashAlgorithm)), not SHA-256")
            }
            let signature = try string("previousDigestSignature", in: json)
            guard signature.utf8.count % 2 == 0, Hex.decode(signature) != nil else {
                throw DigestFormatError("not a digest: previousDigestSignature is not hexadecimal")
            }
            previous = PreviousDigest(
                key: previousKey, bucket: try string("previousDigestS3Bucket", in: json),
                hashValue: try sha256("previousDigestHashValue", in: json), signature: signature)
        default:
            throw DigestFormatError(
                "not a digest: some previousDigest* fields are null and some are not (a starting digest has all five null)")
        }

        guard let logValue = json["logFiles"] else { throw DigestFormatError("not a digest: logFiles is missing") }
        guard case .array(let entries) = logValue else { throw DigestFormatError("not a digest: logFiles is not an array") }
        let folder = logFolder(of: name.trail)
        var logs: [ListedLogFile] = []
        logs.reserveCapacity(entries.count)
        for (n, entry) in entries.enumerated() {
            let context = "logFiles[\(n)]."
            guard case .object = entry else { throw DigestFormatError("not a digest: logFiles[\(n)] is not an object") }
            let s3Object = try string("s3Object", in: entry, context)
            _ = try string("s3Bucket", in: entry, context)
            guard let logKey = canonicalObjectKey(s3Object), logKey.hasPrefix(folder), LogKey(logKey) != nil else {
                throw DigestFormatError("\(context)s3Object \(shown(s3Object)) is outside the trail's log folder \(folder)")
            }
            let hashAlgorithm = try string("hashAlgorithm", in: entry, context)
            guard hashAlgorithm == "SHA-256" else {
                throw DigestFormatError("\(context)hashAlgorithm is \(shown(hashAlgorithm)), not SHA-256")
            }
            logs.append(ListedLogFile(key: logKey, hashValue: try sha256("hashValue", in: entry, context)))
        }

        return DigestFile(
            key: key, trail: name.trail, isBackfill: name.isBackfill, startTime: start, endTime: end,
            endTimeText: endText, bucket: bucket, object: object, publicKeyFingerprint: fingerprint,
            signatureAlgorithm: algorithm, previous: previous, logFiles: logs)
    }

    /// The string CloudTrail signs for this digest (AWS CloudTrail User
    /// Guide, "Custom implementations of CloudTrail log file integrity
    /// validation", D. Recreate the data signing string; the AWS CLI's
    /// `Sha256RSADigestValidator._create_string_to_sign`):
    ///
    ///     digestEndTime \n digestS3Bucket/digestS3Object \n
    ///     hex(SHA-256(uncompressed digest)) \n previousDigestSignature
    ///
    /// with the literal `null` for a starting digest's signature.
    public func stringToSign(sha256 digestHash: String) -> [UInt8] {
        Array("\(endTimeText)\n\(bucket)/\(object)\n\(digestHash)\n\(previous?.signature ?? "null")".utf8)
    }
}

/// A value from a file as it may appear in a one-line reason: control
/// characters escaped, at most 200 characters.
func shown(_ value: String) -> String {
    var out = ""
    var count = 0
    for scalar in value.unicodeScalars {
        if count == 200 {
            out += "…"
            break
        }
        if scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.value < 0xA0)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
        {
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        } else {
            out.unicodeScalars.append(scalar)
        }
        count += 1
    }
    return out
}
