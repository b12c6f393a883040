// Synthetic CloudTrail trails: the public iterator. It plans one log file at
// a time (stream, delivery time, record count), fills it with records from
// RecordFactory-style event code, and hands it out with its S3 key; memory
// holds one file, however large the trail.
//
// SEED CONTRACT
// - The output is a pure function of `Options` (and of this generator's
//   version): same options, byte-identical files and paths, in the same
//   order, on every machine. No clock, no environment, no hashing seeds, no
//   floating point, no stdlib random algorithms are involved.
// - Log-file *content* (paths, record count, and the JSON value of every
//   record) depends on `seed` and `targetBytes` only. `style` changes only
//   the bytes: the n-th log file of a `.pretty` or `.adversarial` trail
//   decodes to the same JSON value as the n-th file of the `.compact` trail.
//   Because `targetBytes` counts the bytes actually written, a more verbose
//   style stops after fewer files; its files are a prefix of the compact
//   trail's (not always the whole of it).
// - `includeDigests` adds digest files between log files and changes
//   nothing in the log files.
// - `targetBytes` sets the density of the trail (files per hour), not its
//   time span: every trail covers about four days from 2026-10-01.

/// A deterministic, streaming generator of a synthetic CloudTrail trail.
public struct TrailGenerator: IteratorProtocol, Sequence {
    /// What to generate.
    public struct Options: Sendable {
        /// Selects the trail; see the seed contract in TrailGenerator.swift.
        public var seed: UInt64
        /// Total uncompressed JSON bytes of the log files to produce; the
        /// generator stops after the file that reaches it (so it overshoots
        /// by less than one file; files are capped near targetBytes / 12).
        public var targetBytes: Int
        /// How the JSON is spelled (never what it says).
        public var style: JSONStyle
        /// Also emit CloudTrail-Digest files (hourly per stream, chained),
        /// which scanners skip; they do not count towards `targetBytes`.
        public var includeDigests: Bool
        /// Hashes and signs the digests so that they verify; without it
        /// their hash and signature fields are placeholders (DigestFiles.swift).
        public var digestSealer: DigestSealer?
        /// When set (0...1), about this share of the records (those not
        /// placed by the coverage lists) are S3 data events (GetObject,
        /// PutObject, HeadObject, ListObjects, DeleteObject), the rest as
        /// usual: a trail with data-event logging on. `nil` leaves every
        /// seed's output as it was.
        public var dataEventShare: Double?

        public init(
            seed: UInt64 = 1, targetBytes: Int = 64 << 20, style: JSONStyle = .compact, includeDigests: Bool = true,
            digestSealer: DigestSealer? = nil
        ) {
            self.seed = seed
            self.targetBytes = targetBytes
            self.style = style
            self.includeDigests = includeDigests
            self.digestSealer = digestSealer
        }
    }

    /// How the JSON of each file is written.
    public enum JSONStyle: String, Sendable, CaseIterable {
        /// CloudTrail's own compact JSON, no whitespace.
        case compact
        /// Console-download style: newlines and 2- or 4-space indentation.
        case pretty
        /// Legal but hostile RFC 8259 JSON: random whitespace, shuffled
        /// members, `\uXXXX` / `\/` / surrogate-pair escapes, numbers in
        /// equivalent forms. Decodes to the same values as `.compact`.
        case adversarial
    }

    // MARK: - State

    private let options: Options
    private let world: World
    private var plan: RandomSource  // stream, timing, sizes, names
    private let contentSeed: UInt64  // record content, per file
    private let styleSeed: UInt64  // serialization choices, per file
    private var digests: DigestTracker

    private let step: Int64  // mean seconds between deliveries
    private let recordCap: Int
    private var clock: Int64
    private var fileIndex = 0
    private var recordsGenerated = 0
    private var logBytes = 0
    private var kmsCoverage = 0
    private var otherCoverage = 0
    private var pending: [[PendingCopy]]
    private var pendingOrder: [Int] = []  // streams with copies waiting, oldest first
    private var ready: [GeneratedFile] = []
    private var finished = false
    private let initialOrder: [Int]

    private enum Exclusion { case before, excluded, after }
    private var exclusion = Exclusion.before
    private let excludeAt: Int
    private let includeAt: Int

    /// The key owner's copy of a cross-account call, waiting for the next
    /// file of the owner's stream.
    private struct PendingCopy {
        var call: KMSCall
        var callerStream: Int
        var eventTime: Int64
    }

    /// Every trail starts here (the example path of the brief).
    static let startTime = CivilDate.epochSeconds(year: 2026, month: 10, day: 1)
    /// ...and spans about this long, whatever its size (the delivery rate
    /// is planned from estimated file sizes; the realized end varies).
    static let spanSeconds: Int64 = 4 * 86_400
    /// Mean compact bytes of one record, measured on generated trails; only
    /// used to plan delivery times and the file-size cap (never to stop).
    static let estimatedRecordBytes = 1_450

    public init(_ options: Options) {
        self.options = options
        var root = RandomSource(seed: options.seed)
        var worldRNG = root.fork(0x574F_524C_44)  // "WORLD"
        let world = World(rng: &worldRNG)
        self.world = world
        plan = root.fork(0x504C_414E)  // "PLAN"
        contentSeed = RandomSource.mix(root.next(), 0x434F_4E54)  // "CONT"
        styleSeed = RandomSource.mix(root.next(), 0x5354_594C)  // "STYL"
        digests = DigestTracker(
            streams: world.streams.count, rng: root.fork(0x4449_4745), sealer: options.digestSealer)  // "DIGE"

        let target = Swift.max(0, options.targetBytes)
        recordCap = Swift.max(40, target / TrailGenerator.estimatedRecordBytes / 12)
        // Plan the delivery rate from the mean file size of this cap, by
        // sampling the size distribution (integers only, seed-independent).
        var sampler = RandomSource(seed: 0x5A4D_504C)
        var total = 0
        for _ in 0..<4096 { total += Swift.min(recordCap, TrailGenerator.recordCount(&sampler)) }
        let meanFileBytes = Swift.max(1, total / 4096 * TrailGenerator.estimatedRecordBytes)
        // At least one file per stream: a tiny trail still stays inside the span.
        let expectedFiles = Swift.max(world.streams.count, target / meanFileBytes)
        step = Swift.max(1, TrailGenerator.spanSeconds / Int64(expectedFiles))
        clock = TrailGenerator.startTime

        pending = Array(repeating: [], count: world.streams.count)
        // First one file per account home region (so that small trails
        // still contain the aws-cn and aws-us-gov accounts), then the rest.
        let homes = world.streams.indices.filter { world.accounts[world.streams[$0].account].homeRegion == world.streams[$0].region }
        let others = world.streams.indices.filter { !homes.contains($0) }
        initialOrder = homes + others

        let expectedRecords = target / TrailGenerator.estimatedRecordBytes
        excludeAt = Swift.max(400, expectedRecords / 4)
        includeAt = Swift.max(excludeAt + 300, expectedRecords * 2 / 5)
    }

    /// The next file, or nil once the log files reached `targetBytes`
    /// (digest files that are due are still handed out).
    public mutating func next() -> GeneratedFile? {
        if !ready.isEmpty { return ready.removeFirst() }
        guard logBytes < options.targetBytes else {
            // The last hour of every stream gets its digest too.
            if options.includeDigests && !finished {
                finished = true
                ready = digests.finish(world: world, style: options.style)
                return ready.isEmpty ? nil : ready.removeFirst()
            }
            return nil
        }
        let file = makeLogFile()
        logBytes += file.json.count
        return file
    }

    // MARK: - Planning

    /// Records in one file: most files small (tens to hundreds), some
    /// thousands, a few tens of thousands. Roughly log-uniform per band.
    static func recordCount(_ rng: inout RandomSource) -> Int {
        let r = rng.below(1000)
        if r < 780 { return rng.logUniform(5, 300) }
        if r < 960 { return rng.logUniform(300, 3000) }
        if r < 996 { return rng.logUniform(3000, 12_000) }
        return rng.logUniform(12_000, 30_000)
    }

    private mutating func chooseStream() -> (stream: Int, selector: OtherForm?) {
        let excluder = world.excludingAccount
        let home = world.stream(account: excluder, region: world.accounts[excluder].homeRegion)!
        if exclusion == .before && recordsGenerated >= excludeAt { return (home, .excludeKMS) }
        if exclusion == .excluded && recordsGenerated >= includeAt { return (home, .includeKMS) }
        if fileIndex < initialOrder.count { return (initialOrder[fileIndex], nil) }
        if let waiting = pendingOrder.first, plan.chance(1, in: 2) { return (waiting, nil) }
        var r = plan.below(world.streamWeightTotal)
        for (i, s) in world.streams.enumerated() {
            if r < s.weight { return (i, nil) }
            r -= s.weight
        }
        return (world.streams.count - 1, nil)
    }

    private mutating func makeLogFile() -> GeneratedFile {
        clock += step / 2 + Int64(plan.below(Int(step) + 1))
        let (stream, selector) = chooseStream()
        let count = Swift.min(recordCap, TrailGenerator.recordCount(&plan))
        let delivery = clock - clock % 60
        let unique = randomString(&plan, count: 16, alphabet: mixedAlnum)
        let path = TrailLayout.logPath(world, stream: stream, delivery: delivery, unique: unique)
        let account = world.streams[stream].account

        var rng = RandomSource(seed: RandomSource.mix(contentSeed, UInt64(fileIndex)))
        var w = JSONWriter(
            style: options.style, rng: RandomSource(seed: RandomSource.mix(styleSeed, UInt64(fileIndex))),
            capacity: count * 1_600 + 256)

        // Owner copies of cross-account calls go at random places.
        var copies = pending[stream]
        pending[stream] = []
        pendingOrder.removeAll { $0 == stream }
        if account == world.excludingAccount && exclusion == .excluded { copies.removeAll() }
        var positions = copies.map { _ in rng.below(count + 1) }
        var order = Array(copies.indices)
        order.sort { positions[$0] < positions[$1] || (positions[$0] == positions[$1] && $0 < $1) }
        positions = order.map { positions[$0] }
        var nextCopy = 0

        var oldest = Int64.max
        var newest = Int64.min
        var records = 0
        w.beginObject()
        w.key("Records")
        w.beginArray()
        for i in 0...count {
            while nextCopy < order.count && positions[nextCopy] == i {
                let copy = copies[order[nextCopy]]
                KMSEvents.write(
                    &w, copy.call, world: world, stream: copy.callerStream, eventTime: copy.eventTime, role: .owner)
                oldest = Swift.min(oldest, copy.eventTime)
                newest = Swift.max(newest, copy.eventTime)
                records += 1
                nextCopy += 1
            }
            if i == count { break }

            let eventTime = delivery - lag(&rng)
            oldest = Swift.min(oldest, eventTime)
            newest = Swift.max(newest, eventTime)
            var recordRNG = rng.fork(UInt64(i))

            var otherForm: OtherForm? = nil
            var kmsForm: KMSForm? = nil
            var isKMS: Bool
            if i == 0, let selector {
                otherForm = selector
                isKMS = false
                exclusion = selector == .excludeKMS ? .excluded : .after
            } else {
                let excluded = account == world.excludingAccount && exclusion == .excluded
                if !excluded && recordsGenerated % 3 == 1 && kmsCoverage < KMSForm.coverage.count
                    && applicable(KMSForm.coverage[kmsCoverage], stream: stream)
                {
                    kmsForm = KMSForm.coverage[kmsCoverage]
                    kmsCoverage += 1
                    isKMS = true
                } else if recordsGenerated % 5 == 3 && otherCoverage < OtherForm.coverage.count {
                    otherForm = OtherForm.coverage[otherCoverage]
                    otherCoverage += 1
                    isKMS = false
                } else if let share = options.dataEventShare, Double(recordRNG.below(1 << 20)) < share * Double(1 << 20) {
                    otherForm = .operation(OtherOp.drawS3DataEvent(&recordRNG))
                    isKMS = false
                } else {
                    isKMS = recordRNG.chance(1, in: 3) && !excluded
                }
            }
            if isKMS {
                let call = KMSEvents.draw(kmsForm, rng: &recordRNG, world: world, stream: stream)
                KMSEvents.write(&w, call, world: world, stream: stream, eventTime: eventTime, role: .caller)
                if call.crossAccount {
                    if pending[call.ownerStream].isEmpty { pendingOrder.append(call.ownerStream) }
                    pending[call.ownerStream].append(
                        PendingCopy(call: call, callerStream: stream, eventTime: eventTime))
                }
            } else {
                OtherEvents.write(&w, otherForm, rng: &recordRNG, world: world, stream: stream, eventTime: eventTime)
            }
            records += 1
            recordsGenerated += 1
        }
        w.endArray()
        w.endObject()
        fileIndex += 1

        let json = w.takeOutput()
        if options.includeDigests {
            ready += digests.add(
                .init(path: path, json: json, oldest: oldest, newest: newest), stream: stream, delivery: delivery,
                world: world, style: options.style)
        }
        return GeneratedFile(
            relativePath: String(decoding: path, as: UTF8.self), json: json, kind: .log, records: records)
    }

    /// How long before its file's delivery a record happened: usually
    /// minutes, sometimes up to an hour, rarely several hours.
    private func lag(_ rng: inout RandomSource) -> Int64 {
        let r = rng.below(100)
        if r < 90 { return Int64(rng.below(900)) }
        if r < 99 { return Int64(rng.int(900, 3600)) }
        return Int64(rng.int(3600, 6 * 3600))
    }

    private func applicable(_ form: KMSForm, stream: Int) -> Bool {
        switch form {
        case .crossAccount, .crossAccountDenied:
            return !world.peers(of: world.streams[stream].account, region: world.streams[stream].region).isEmpty
        default:
            return true
        }
    }
}

/// One file of a generated trail.
public struct GeneratedFile: Sendable {
    public enum Kind: Sendable { case log, digest }

    /// The S3 object key, relative to the trail's root directory.
    public var relativePath: String
    /// The uncompressed JSON document.
    public var json: [UInt8]
    public var kind: Kind
    /// Records in `json` (0 for digests).
    public var records: Int

    public init(relativePath: String, json: [UInt8], kind: Kind, records: Int) {
        self.relativePath = relativePath
        self.json = json
        self.kind = kind
        self.records = records
    }
}
