// A streaming SHA-256 for the uncompressed bytes of a file, fed chunk by
// chunk as they leave the inflater (the AWS CLI's validate-logs does the
// same: it inflates and updates a rolling hash chunk by chunk). swift-crypto
// hashes with BoringSSL, which uses the CPU's SHA extensions where present.

import Crypto

/// SHA-256 over bytes given in any number of chunks.
public struct SHA256Stream {
    private var hasher = SHA256()
    /// Bytes hashed so far.
    public private(set) var count = 0

    public init() {}

    /// Adds `chunk` to the hash.
    public mutating func update(_ chunk: UnsafeRawBufferPointer) {
        guard chunk.count > 0 else { return }
        hasher.update(bufferPointer: chunk)
        count &+= chunk.count
    }

    /// Adds `bytes` to the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lowercase hex digits (the form digest files use).
    public func finalizeHex() -> String {
        Hex.encode(hasher.finalize())
    }

    /// The 32-byte digest.
    public func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// SHA-256 of `bytes`, as 64 lowercase hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        var s = SHA256Stream()
        s.update(bytes)
        return s.finalizeHex()
    }
}

/// Lowercase hexadecimal, as digest files write hashes and signatures.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex digits.
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text` (hex digits of either case, even length), or nil.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var k = 0
        while k < utf8.count {
            guard let hi = value(utf8[k]), let lo = value(utf8[k + 1]) else { return nil }
            out.append(hi << 4 | lo)
            k += 2
        }
        return out
    }

    /// True for exactly 64 hex digits (a SHA-256 value).
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { value($0) != nil }
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
