// The public keys a user saved with `aws cloudtrail list-public-keys`, and
// the RSA check of a digest's signature (PKCS#1 v1.5 with SHA-256, "SHA256withRSA").
//
// The saved JSON is `{"PublicKeyList": [{"Fingerprint": "...", "Value":
// "...", "ValidityStartTime": ..., "ValidityEndTime": ...}]}`. `Value` is
// the key, "The DER encoded public key value in PKCS #1 format" (CloudTrail
// API Reference, ListPublicKeys; the User Guide's custom-validation page
// shows a sample with PKCS#1 and SubjectPublicKeyInfo values). The API
// returns it as a blob, which the AWS CLI prints in base64; the AWS CLI's own
// validator (`Sha256RSADigestValidator.validate`) base64-decodes the blob
// once more before loading it as PKCS#1 DER, that is, the blob holds the key
// in base64 text. So a saved Value is base64 of DER, or base64 of base64 of
// DER: both are accepted (DER is recognised by its leading SEQUENCE tag).

import _CryptoExtras
import Crypto

/// The public keys to check digest signatures with, by fingerprint.
public struct DigestPublicKeys: Sendable {
    /// Key DER bytes (PKCS#1 or SubjectPublicKeyInfo) by fingerprint (lowercase).
    public private(set) var keys: [String: [UInt8]] = [:]

    public init() {}

    /// Adds a key; `der` must load as an RSA public key.
    /// - Throws: `DigestFormatError` when it does not.
    public mutating func add(fingerprint: String, der: [UInt8]) throws(DigestFormatError) {
        do {
            _ = try _RSA.Signing.PublicKey(derRepresentation: der)
        } catch {
            throw DigestFormatError(
                "key \(shown(fingerprint)) is not an RSA public key of 2048 bits or more in DER (PKCS#1 or SubjectPublicKeyInfo)")
        }
        keys[fingerprint.lowercased()] = der
    }

    /// Parses the JSON `aws cloudtrail list-public-keys` prints (a
    /// top-level `PublicKeyList`, or `publicKeyList` as in the User Guide's
    /// sample, or a bare array of keys).
    /// - Throws: `DigestFormatError` naming what is wrong.
    public static func parse(listPublicKeysJSON bytes: [UInt8]) throws(DigestFormatError) -> DigestPublicKeys {
        let json = try DigestJSON.parse(bytes)
        let list: [DigestJSON]
        if case .array(let items) = json {
            list = items
        } else if case .array(let items)? = json["PublicKeyList"] ?? json["publicKeyList"] {
            list = items
        } else {
            throw DigestFormatError("not the output of aws cloudtrail list-public-keys (no PublicKeyList array)")
        }
        var result = DigestPublicKeys()
        for (n, item) in list.enumerated() {
            guard case .string(let fingerprint)? = item["Fingerprint"], case .string(let value)? = item["Value"] else {
                throw DigestFormatError("PublicKeyList[\(n)] has no Fingerprint and Value strings")
            }
            guard let der = decodeKeyValue(value) else {
                throw DigestFormatError("PublicKeyList[\(n)] (\(shown(fingerprint))): Value is not base64 of a DER key")
            }
            try result.add(fingerprint: fingerprint, der: der)
        }
        return result
    }

    /// Base64 of DER, or base64 of base64 of DER.
    static func decodeKeyValue(_ value: String) -> [UInt8]? {
        guard let once = Base64.decode(Array(value.utf8)) else { return nil }
        if once.first == 0x30 { return once }
        guard let twice = Base64.decode(once), twice.first == 0x30 else { return nil }
        return twice
    }

    /// The outcome of checking one signature.
    public enum SignatureCheck: Sendable, Equatable {
        case valid
        case invalid
        /// No key with the digest's fingerprint.
        case noKey
        /// The signature text is not hexadecimal.
        case malformed
    }

    /// Checks `signatureHex` over `digest`'s string to sign.
    public func check(digest: DigestFile, sha256: String, signatureHex: String) -> SignatureCheck {
        guard let der = keys[digest.publicKeyFingerprint.lowercased()] else { return .noKey }
        guard let signature = Hex.decode(signatureHex), !signature.isEmpty else { return .malformed }
        guard let key = try? _RSA.Signing.PublicKey(derRepresentation: der) else { return .noKey }
        let message = digest.stringToSign(sha256: sha256)
        let valid = key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: message, padding: .insecurePKCS1v1_5)
        return valid ? .valid : .invalid
    }
}

/// RFC 4648 base64 (standard alphabet, padding optional, whitespace skipped).
enum Base64 {
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            case 0x20, 0x0A, 0x0D, 0x09: continue
            default: return nil
            }
            guard padding == 0 else { return nil }  // data after '='
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        guard padding <= 2, bits < 6, !out.isEmpty || text.isEmpty else { return nil }
        return out
    }

    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var k = 0
        while k < bytes.count {
            let n = min(3, bytes.count - k)
            var chunk: UInt32 = 0
            for j in 0..<3 { chunk = chunk << 8 | (j < n ? UInt32(bytes[k + j]) : 0) }
            for j in 0..<4 {
                out.append(j <= n ? alphabet[Int(chunk >> UInt32(18 - 6 * j) & 63)] : UInt8(ascii: "="))
            }
            k += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
