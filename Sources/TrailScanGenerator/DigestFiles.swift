// CloudTrail-Digest files: one per stream and hour with log files in it,
// listing those files with (synthetic) SHA-256 hashes, chained to the
// previous digest. Scanners skip them by folder; they exist so that a walk
// over a generated trail meets them where a real one would.

struct DigestTracker {
    struct LogEntry {
        var path: [UInt8]
        var oldest: Int64
        var newest: Int64
    }

    private var hour: [Int64?]
    private var entries: [[LogEntry]]
    private var previous: [[UInt8]?]
    private var rng: RandomSource

    init(streams: Int, rng: RandomSource) {
        hour = Array(repeating: nil, count: streams)
        entries = Array(repeating: [], count: streams)
        previous = Array(repeating: nil, count: streams)
        self.rng = rng
    }

    /// Records a delivered log file; returns the digest of the stream's
    /// previous hour when this file starts a new hour.
    mutating func add(
        _ entry: LogEntry, stream: Int, delivery: Int64, world: World, style: TrailGenerator.JSONStyle
    ) -> GeneratedFile? {
        let h = delivery / 3600
        var digest: GeneratedFile? = nil
        if let current = hour[stream], h > current, !entries[stream].isEmpty {
            digest = makeDigest(stream: stream, hour: current, world: world, style: style)
            entries[stream].removeAll()
        }
        if hour[stream] == nil || h > hour[stream]! { hour[stream] = h }
        entries[stream].append(entry)
        return digest
    }

    private mutating func makeDigest(
        stream: Int, hour: Int64, world: World, style: TrailGenerator.JSONStyle
    ) -> GeneratedFile {
        let account = world.streams[stream].account
        let end = (hour + 1) * 3600 + Int64(rng.int(60, 1500))
        let start = end - 3600
        let path = TrailLayout.digestPath(world, stream: stream, stamp: end)
        let bucket = TrailLayout.bucket(world, account: account)
        let list = entries[stream]
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
        w.beginString()
        w.text(hex: rng.next(), digits: 16)
        w.text(hex: rng.next(), digits: 16)
        w.endString()
        w.member("digestSignatureAlgorithm", "SHA256withRSA")
        w.key("newestEventTime")
        w.timestamp(list.map(\.newest).max() ?? start)
        w.key("oldestEventTime")
        w.timestamp(list.map(\.oldest).min() ?? start)
        if let prev = previous[stream] {
            w.member("previousDigestS3Bucket", bucket)
            w.member("previousDigestS3Object", prev)
            w.key("previousDigestHashValue")
            hash(&w)
            w.member("previousDigestHashAlgorithm", "SHA-256")
            w.key("previousDigestSignature")
            w.beginString()
            for _ in 0..<16 { w.text(hex: rng.next(), digits: 16) }
            w.endString()
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
            w.key("hashValue")
            hash(&w)
            w.member("hashAlgorithm", "SHA-256")
            w.key("newestEventTime")
            w.timestamp(entry.newest)
            w.key("oldestEventTime")
            w.timestamp(entry.oldest)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        previous[stream] = path
        return GeneratedFile(
            relativePath: String(decoding: path, as: UTF8.self), json: w.takeOutput(), kind: .digest, records: 0)
    }

    private mutating func hash(_ w: inout JSONWriter) {
        w.beginString()
        for _ in 0..<4 { w.text(hex: rng.next(), digits: 16) }
        w.endString()
    }
}
