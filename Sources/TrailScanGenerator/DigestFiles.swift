// CloudTrail-Digest files, the way CloudTrail delivers them (AWS CloudTrail
// User Guide, "CloudTrail digest file structure"): per stream (account and
// region) one digest every hour, from the hour of its first log file to the
// hour of its last, empty hours included; each lists the log files
// delivered in its hour with the SHA-256 of their uncompressed JSON, names
// the previous digest with the SHA-256 of its uncompressed JSON and its
// signature, and the first one of a stream is a starting digest (previous*
// null). Each stream's digest windows start at a fixed second of the hour.
//
// This module is pure and has no cryptography: hashes and RSA signatures
// come from a `DigestSealer` the caller passes (`trailscan generate` and the
// tests pass one built on swift-crypto, see TrailScanVerify.DigestSigner).
// Without one, the hash and signature fields hold placeholders of the right
// shape, and the digests do not verify.

/// The cryptography the generator needs for verifiable digests.
public struct DigestSealer: Sendable {
    /// `digestPublicKeyFingerprint` (hex).
    public var fingerprint: String
    /// SHA-256 of the bytes, as 64 lowercase hex digits.
    public var sha256Hex: @Sendable ([UInt8]) -> String
    /// The signature of a string to sign, as lowercase hex.
    public var signHex: @Sendable ([UInt8]) -> String

    public init(
        fingerprint: String, sha256Hex: @escaping @Sendable ([UInt8]) -> String,
        signHex: @escaping @Sendable ([UInt8]) -> String
    ) {
        self.fingerprint = fingerprint
        self.sha256Hex = sha256Hex
        self.signHex = signHex
    }
}

struct DigestTracker {
    struct LogEntry {
        var path: [UInt8]
        var json: [UInt8]
        var oldest: Int64
        var newest: Int64
    }

    private struct Link {
        var path: [UInt8]
        var hash: [UInt8]
        var signature: [UInt8]
    }

    /// Per stream: the second of the hour its windows start at, the current
    /// window (hours since the epoch), its log files, the last digest.
    private var offset: [Int64]
    private var window: [Int64?]
    private var entries: [[LogEntry]]
    private var previous: [Link?]
    private var rng: RandomSource
    private let sealer: DigestSealer?

    init(streams: Int, rng: RandomSource, sealer: DigestSealer?) {
        var rng = rng
        offset = (0..<streams).map { _ in Int64(rng.int(60, 1500)) }
        window = Array(repeating: nil, count: streams)
        entries = Array(repeating: [], count: streams)
        previous = Array(repeating: nil, count: streams)
        self.rng = rng
        self.sealer = sealer
    }

    /// Records a delivered log file; returns the digests of the stream's
    /// hours that ended before this delivery (empty hours included).
    mutating func add(
        _ entry: LogEntry, stream: Int, delivery: Int64, world: World, style: TrailGenerator.JSONStyle
    ) -> [GeneratedFile] {
        let w = floorDiv(delivery - offset[stream], 3600)
        var out: [GeneratedFile] = []
        if window[stream] == nil { window[stream] = w }
        while window[stream]! < w {
            out.append(makeDigest(stream: stream, world: world, style: style))
            window[stream]! += 1
        }
        entries[stream].append(entry)
        return out
    }

    /// The digests of every stream's last hour (oldest first).
    mutating func finish(world: World, style: TrailGenerator.JSONStyle) -> [GeneratedFile] {
        var due: [(end: Int64, stream: Int)] = []
        for s in window.indices {
            guard let w = window[s] else { continue }
            due.append(((w + 1) * 3600 + offset[s], s))
        }
        var out: [GeneratedFile] = []
        for (_, s) in due.sorted(by: { ($0.end, $0.stream) < ($1.end, $1.stream) }) {
            out.append(makeDigest(stream: s, world: world, style: style))
            window[s] = nil
        }
        return out
    }

    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    private mutating func makeDigest(stream: Int, world: World, style: TrailGenerator.JSONStyle) -> GeneratedFile {
        let account = world.streams[stream].account
        let start = window[stream]! * 3600 + offset[stream]
        let end = start + 3600
        let path = TrailLayout.digestPath(world, stream: stream, stamp: end)
        let bucket = TrailLayout.bucket(world, account: account)
        let list = entries[stream]
        entries[stream].removeAll()
        var w = JSONWriter(style: style, rng: rng.fork(0xD16E57), capacity: 1024 + list.count * 400)
        w.beginObject()
        w.member("awsAccountId", world.accounts[account].id)
        w.key("digestStartTime")
        w.timestamp(start)
        w.key("digestEndTime")
        w.timestamp(end)
        w.member("digestS3Bucket", bucket)
        w.member("digestS3Object", path)
        w.key("digestPublicKeyFingerprint")
        if let sealer {
            w.string(sealer.fingerprint)
        } else {
            w.beginString()
            w.text(hex: rng.next(), digits: 16)
            w.text(hex: rng.next(), digits: 16)
            w.endString()
        }
        w.member("digestSignatureAlgorithm", "SHA256withRSA")
        // Quiet hours: both null, as in the User Guide's 'Empty' digest.
        if list.isEmpty {
            w.nullMember("newestEventTime")
            w.nullMember("oldestEventTime")
        } else {
            w.key("newestEventTime")
            w.timestamp(list.map(\.newest).max()!)
            w.key("oldestEventTime")
            w.timestamp(list.map(\.oldest).min()!)
        }
        if let prev = previous[stream] {
            w.member("previousDigestS3Bucket", bucket)
            w.member("previousDigestS3Object", prev.path)
            w.member("previousDigestHashValue", prev.hash)
            w.member("previousDigestHashAlgorithm", "SHA-256")
            w.member("previousDigestSignature", prev.signature)
        } else {
            w.nullMember("previousDigestS3Bucket")
            w.nullMember("previousDigestS3Object")
            w.nullMember("previousDigestHashValue")
            w.nullMember("previousDigestHashAlgorithm")
            w.nullMember("previousDigestSignature")
        }
        w.key("logFiles")
        w.beginArray()
        for entry in list {
            w.beginObject()
            w.member("s3Bucket", bucket)
            w.member("s3Object", entry.path)
            w.member("hashValue", hash(entry.json))
            w.member("hashAlgorithm", "SHA-256")
            w.key("newestEventTime")
            w.timestamp(entry.newest)
            w.key("oldestEventTime")
            w.timestamp(entry.oldest)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        let json = w.takeOutput()

        let digestHash = hash(json)
        let signature: [UInt8]
        if let sealer {
            // The data signing string ("Custom implementations of CloudTrail
            // log file integrity validation"), from the decoded field values.
            var toSign: [UInt8] = []
            CivilDate(epochSeconds: end).appendISO8601(to: &toSign)
            toSign.append(UInt8(ascii: "\n"))
            toSign += bucket
            toSign.append(UInt8(ascii: "/"))
            toSign += path
            toSign.append(UInt8(ascii: "\n"))
            toSign += digestHash
            toSign.append(UInt8(ascii: "\n"))
            toSign += previous[stream]?.signature ?? Array("null".utf8)
            signature = Array(sealer.signHex(toSign).utf8)
        } else {
            signature = placeholderHex(words: 32)  // 2048 bits, like an RSA-2048 signature
        }
        previous[stream] = Link(path: path, hash: digestHash, signature: signature)
        return GeneratedFile(
            relativePath: String(decoding: path, as: UTF8.self), json: json, kind: .digest, records: 0)
    }

    /// The SHA-256 of `bytes` in hex, or a placeholder without a sealer.
    private mutating func hash(_ bytes: [UInt8]) -> [UInt8] {
        if let sealer { return Array(sealer.sha256Hex(bytes).utf8) }
        return placeholderHex(words: 4)
    }

    /// Random lowercase hex, 16 digits per word.
    private mutating func placeholderHex(words: Int) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(words * 16)
        for _ in 0..<words {
            let v = rng.next()
            for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((v >> UInt64(shift)) & 0xF)]) }
        }
        return out
    }
}
