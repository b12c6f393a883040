// Both gzip inflaters (zlib, and ISA-L when it is available) against the
// same expectations: the same bytes and counts for multi-member files, files
// larger than the window and members cut at odd boundaries, with both read
// strategies; and the same failure, word for word, for truncated, corrupt
// and trailing data. Tests that need ISA-L are skipped when it is absent;
// zlib's side and the "ISA-L unavailable" path always run.

import Foundation
import Testing
import TrailScanTestSupport
import TrailScanCore
import TrailScanIO
import TrailScanWriter

/// The inflaters that can run here: zlib always, ISA-L when installed.
private let availableInflaters = Inflater.allCases.filter(\.isAvailable)
private let readStrategies: [ReadStrategy] = [.read, .mmap]

// MARK: - Helpers

/// A CloudTrail document of `count` Decrypt records whose user agents vary,
/// so it neither compresses to nothing nor repeats with a short period.
private func variedDocument(records count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed
    var records: [String] = []
    records.reserveCapacity(count)
    for index in 0..<count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let agent = String(state >> 20, radix: 36) + String(repeating: "a", count: Int(state >> 58))
        let key = "arn:aws:kms:us-east-1:111122223333:key/k\(index % 7)"
        records.append(
            #"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","#
                + #""userAgent":"\#(agent)","resources":[{"ARN":"\#(key)"}]}"#)
    }
    return Array((#"{"Records":["# + records.joined(separator: ",") + "]}").utf8)
}

/// `document` split at `cuts` into gzip members, compressed at levels that
/// cycle through stored, fast, default and best (so members have stored,
/// fixed and dynamic blocks, and compressed sizes at odd offsets).
private func members(_ document: [UInt8], cuts: [Int], levels: [Int32] = [0, 6, 1, 9]) throws -> [UInt8] {
    let bounds = [0] + cuts.filter { $0 > 0 && $0 < document.count } + [document.count]
    var out: [UInt8] = []
    for (index, (start, end)) in zip(bounds, bounds.dropFirst()).enumerated() {
        out += try Gzip.compress(Array(document[start..<end]), level: levels[index % levels.count])
    }
    return out
}

/// CRC-32 (IEEE, reflected), bit by bit: only for building test headers.
private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// `member` (as Gzip.compress writes it: a bare 10-byte header) rewritten
/// with the optional header fields: FEXTRA, FNAME, FCOMMENT and FHCRC.
private func withHeaderFields(_ member: [UInt8], headerCRCDelta: UInt16 = 0) -> [UInt8] {
    var header = Array(member[0..<10])
    header[3] = 0x04 | 0x08 | 0x10 | 0x02  // FEXTRA, FNAME, FCOMMENT, FHCRC
    let extra: [UInt8] = [0x41, 0x42, 3, 0, 1, 2, 3]
    header += [UInt8(extra.count), 0] + extra
    header += Array("trail.json".utf8) + [0]
    header += Array("a comment".utf8) + [0]
    let hcrc = UInt16(truncatingIfNeeded: crc32(header)) &+ headerCRCDelta
    header += [UInt8(hcrc & 0xFF), UInt8(hcrc >> 8)]
    return header + member[10...]
}

/// Decodes every member of `gz` with a fresh decoder of `kind`, feeding at
/// most `inChunk` new bytes per call and giving `outChunk` bytes of room.
/// `topUp` appends new bytes to an unconsumed rest (the general contract);
/// otherwise new bytes come only when the input is used up (FileScanner's
/// way). Checks that the bytes just past the room are never written.
private func decodeAll(_ kind: Inflater, _ gz: [UInt8], inChunk: Int, outChunk: Int, topUp: Bool = false) throws
    -> [UInt8]
{
    let decoder = try #require(kind.makeDecoder())
    let canary: UInt8 = 0xA5
    var room = [UInt8](repeating: canary, count: outChunk + 64)
    var out: [UInt8] = []
    try gz.withUnsafeBytes { all in
        var fed = 0
        var input = UnsafeRawBufferPointer(rebasing: all[0..<0])
        func refill() {
            let start = fed - input.count
            fed = min(all.count, fed + inChunk)
            input = UnsafeRawBufferPointer(rebasing: all[start..<fed])
        }
        try decoder.startMember()
        var idleCalls = 0
        while true {
            if input.isEmpty || (topUp && input.count < inChunk) {
                if input.isEmpty && fed == all.count { throw InputError("truncated gzip data (test harness)") }
                refill()
            }
            let before = input.count
            let (written, progress) = try room.withUnsafeMutableBytes { raw in
                try decoder.inflate(&input, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<outChunk]))
            }
            #expect(room[outChunk...].allSatisfy { $0 == canary }, "\(kind) wrote past the room it was given")
            out += room[0..<written]
            idleCalls = written == 0 && input.count == before ? idleCalls + 1 : 0
            try #require(idleCalls < 3, "\(kind) made no progress")
            if progress == .memberEnded {
                if input.isEmpty && fed == all.count { return }
                if input.isEmpty { refill() }
                try decoder.startMember()
            }
        }
    }
    return out
}

private func scan(
    _ path: String, _ kind: Inflater, strategy: ReadStrategy = .read, window: Int = 256 << 10
) -> (outcome: FileOutcome, report: UsageReport) {
    let scanner = FileScanner(options: ScanOptions(readStrategy: strategy, windowBytes: window, inflater: kind))
    #expect(scanner.inflaterKind == kind)
    let outcome = scanner.scan(path: path)
    return (outcome, scanner.tally.makeReport())
}

/// The failure of `bytes` stored as a .json.gz file, per available inflater.
private func failures(_ bytes: [UInt8], in files: TemporaryFolder, name: String, strategy: ReadStrategy = .read)
    throws -> [Inflater: String?]
{
    let path = try files.write(name + ".json.gz", bytes)
    var result: [Inflater: String?] = [:]
    for kind in availableInflaters {
        let (outcome, report) = scan(path, kind, strategy: strategy)
        #expect(report.records == 0, "\(name) \(kind): a failed file's records were counted")
        result[kind] = outcome.failure
    }
    return result
}

// MARK: - Availability

@Suite struct InflaterAvailabilityTests {
    @Test func zlibIsAlwaysAvailable() throws {
        #expect(Inflater.zlib.isAvailable)
        #expect(Inflater.zlib.unavailableReason == nil)
        #expect(Inflater.zlib.makeDecoder() is GzipInflater)
        #expect(Inflater.fastestAvailable == (IsalInflater.isAvailable ? .isal : .zlib))
    }

    @Test func isalAvailabilityIsConsistent() {
        #expect(Inflater.isal.isAvailable == IsalInflater.isAvailable)
        #expect((IsalInflater() != nil) == IsalInflater.isAvailable)
        #expect((Inflater.isal.unavailableReason == nil) == IsalInflater.isAvailable)
    }

    @Test(.enabled(if: !IsalInflater.isAvailable))
    func withoutIsalTheReasonNamesTheInstallStepAndScansFallBackToZlib() throws {
        let reason = try #require(Inflater.isal.unavailableReason)
        #expect(reason.contains("apt-get install libisal-dev"), "\(reason)")
        #expect(!reason.contains("\n"))
        #expect(Inflater.isal.makeDecoder() == nil)
        let scanner = FileScanner(options: ScanOptions(inflater: .isal))
        #expect(scanner.inflaterKind == .zlib, "an unavailable inflater runs as zlib, and says so")
    }

    @Test(.enabled(if: IsalInflater.isAvailable))
    func withIsalScansRunIt() throws {
        #expect(Inflater.isal.makeDecoder() is IsalInflater)
        #expect(FileScanner(options: ScanOptions(inflater: .isal)).inflaterKind == .isal)
        #expect(FileScanner(options: ScanOptions()).inflaterKind == .zlib, "the library default stays zlib")
    }
}

// MARK: - Same bytes

@Suite struct InflaterOutputTests {
    /// Multi-member input, including empty members and one with every
    /// optional header field, fed and drained in chunks from 1 byte up.
    @Test(arguments: availableInflaters)
    func everyChunkingGivesTheSameBytes(kind: Inflater) throws {
        let document = variedDocument(records: 120)
        var gz = try Gzip.compress([])
        gz += try members(document, cuts: [1, 17, 333, 4093, document.count / 2])
        gz += withHeaderFields(try Gzip.compress(Array("tail".utf8)))
        gz += try Gzip.compress([])
        let expected = document + Array("tail".utf8)
        for inChunk in [1, 2, 3, 7, 64, 4093, Int.max / 2] {
            for outChunk in [1, 5, 64, 4096, 256 << 10] {
                for topUp in [false, true] {
                    let label = "\(kind) in \(inChunk) out \(outChunk) topUp \(topUp)"
                    do {
                        let out = try decodeAll(kind, gz, inChunk: inChunk, outChunk: outChunk, topUp: topUp)
                        #expect(out == expected, "\(label)")
                    } catch {
                        Issue.record("\(label): \(error)")
                    }
                }
            }
        }
    }

    @Test(.enabled(if: IsalInflater.isAvailable))
    func isalAndZlibAgreeOnGeneratedMembers() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let document = variedDocument(records: 400 + Int(seed) * 37, seed: seed)
            let cuts = (1..<Int(seed) + 2).map { document.count * $0 / (Int(seed) + 2) + Int(seed) }
            let gz = try members(document, cuts: cuts)
            let zlib = try decodeAll(.zlib, gz, inChunk: 1 << 20, outChunk: 256 << 10)
            let isal = try decodeAll(.isal, gz, inChunk: 1 << 20, outChunk: 256 << 10)
            #expect(zlib == document)
            #expect(isal == zlib, "seed \(seed)")
        }
    }

    /// A file scan with each inflater gives the report of the same document
    /// read as plain JSON: (a) several members, (b) larger than the window
    /// and than a read() chunk, (c) members cut at odd boundaries.
    @Test(arguments: availableInflaters, readStrategies)
    func scansMatchThePlainDocument(kind: Inflater, strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        let document = variedDocument(records: 12_000, seed: 9)  // ~2 MiB of JSON
        #expect(document.count > 1 << 20)
        let plain = try files.write("plain.json", document)
        let (plainOutcome, plainReport) = scan(plain, .zlib, strategy: strategy)
        #expect(plainOutcome.failure == nil)
        #expect(plainReport.records == 12_000)

        let n = document.count
        let inputs: [(String, [UInt8])] = [
            ("multi", try members(document, cuts: [n / 3, 2 * n / 3])),
            ("one", try Gzip.compress(document)),
            ("odd", try members(document, cuts: [1, 2, 4093, 65_537, 262_147, n / 2 + 1, n - 3, n - 1])),
            // Stored members: member boundaries fall at odd offsets all over
            // the 1 MiB read() chunks.
            ("stored", try members(document, cuts: Array(stride(from: 99_991, to: n, by: 199_999)), levels: [0])),
        ]
        for (name, gz) in inputs {
            let path = try files.write("\(name).json.gz", gz)
            for window in [4096, 256 << 10] {
                let (outcome, report) = scan(path, kind, strategy: strategy, window: window)
                #expect(outcome.failure == nil, "\(name) \(kind) \(window): \(outcome.failure ?? "")")
                #expect(report == plainReport, "\(name) \(kind) window \(window)")
                #expect(outcome.bytesUncompressed == UInt64(n))
                #expect(outcome.bytesCompressed == UInt64(gz.count))
                #expect(outcome.records == 12_000)
            }
        }
    }

    @Test(.enabled(if: IsalInflater.isAvailable), arguments: readStrategies)
    func inflateOnlyReadsTheSameBytes(strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        let document = variedDocument(records: 3000, seed: 4)
        let path = try files.write("a.json.gz", try members(document, cuts: [777, document.count / 2]))
        var totals: [UInt64] = []
        for kind in Inflater.allCases {
            let options = ScanOptions(readStrategy: strategy, inflateOnly: true, inflater: kind)
            let outcome = FileScanner(options: options).scan(path: path)
            #expect(outcome.failure == nil)
            totals.append(outcome.bytesUncompressed)
        }
        #expect(totals == [UInt64(document.count), UInt64(document.count)])
    }
}

// MARK: - Same failures

@Suite struct InflaterFailureTests {
    static let document = variedDocument(records: 300, seed: 3)

    /// Cuts inside the header, the deflate data and the trailer are all
    /// "truncated", whatever the inflater and read strategy.
    @Test(arguments: readStrategies)
    func truncationIsTruncatedEverywhere(strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        let gz = try Gzip.compress(Self.document)
        let n = gz.count
        let header = [1, 2, 3, 4, 9, 10]
        let data = [11, 12, n / 3, n / 2, n - 9]
        let trailer = [n - 8, n - 7, n - 5, n - 4, n - 3, n - 1]
        for cut in header + data + trailer {
            let result = try failures(Array(gz[..<cut]), in: files, name: "cut\(cut)", strategy: strategy)
            for (kind, failure) in result {
                let message = try #require(failure, "\(kind): cut at \(cut) of \(n) was accepted")
                #expect(message.hasPrefix("truncated gzip data"), "\(kind) cut \(cut): \(message)")
            }
            #expect(Set(result.values).count == 1, "cut \(cut): \(result)")
        }
        // Inside the second member's header, data and trailer.
        let second = try Gzip.compress(Array(Self.document.prefix(5000)))
        for cut in [1, 5, 10, second.count / 2, second.count - 6] {
            let result = try failures(gz + second[..<cut], in: files, name: "second\(cut)", strategy: strategy)
            for (kind, failure) in result {
                #expect(failure?.hasPrefix("truncated gzip data") == true, "\(kind) cut \(cut): \(failure ?? "nil")")
            }
        }
    }

    /// Every kind of bad file, its expected failure, and the same message
    /// from every available inflater.
    static func badFiles() throws -> [(name: String, bytes: [UInt8], expected: String)] {
        let gz = try Gzip.compress(Self.document)
        let n = gz.count
        func flipped(_ offsets: Int..., in bytes: [UInt8] = gz) -> [UInt8] {
            var copy = bytes
            for offset in offsets { copy[offset] ^= 0x5A }
            return copy
        }
        let stored = try Gzip.compress(Array(Self.document.prefix(3000)), level: 0)
        var badMethod = gz
        badMethod[2] = 7
        var reservedFlag = gz
        reservedFlag[3] = 0x20
        let crcData = "corrupt gzip data: incorrect data check"
        return [
            ("crc", flipped(n - 7), crcData),
            ("crc-and-isize", flipped(n - 8, n - 2), crcData),
            // Cut inside the trailer: truncated, whatever the CRC-32 bytes say.
            ("crc-then-cut", Array(flipped(n - 6)[..<(n - 2)]), "truncated gzip data"),
            ("crc-then-cut-at-isize", Array(flipped(n - 5)[..<(n - 4)]), "truncated gzip data"),
            ("crc-cut-inside-crc", Array(flipped(n - 8)[..<(n - 5)]), "truncated gzip data"),
            ("isize", flipped(n - 3), "corrupt gzip data: incorrect length check"),
            ("isize-high", flipped(n - 1), "corrupt gzip data: incorrect length check"),
            ("crc-second-member", gz + flipped(stored.count - 6, in: stored), crcData),
            ("garbage", gz + Array("garbage".utf8), "data after the end of the gzip stream at byte \(n)"),
            ("zeros", gz + [UInt8](repeating: 0, count: 8), "data after the end of the gzip stream at byte \(n)"),
            ("magic-half", gz + [0x1F, 0x00, 0x08], "data after the end of the gzip stream at byte \(n)"),
            ("lone-1f", gz + [0x1F], "truncated gzip data"),
            ("bad-method", badMethod, "corrupt gzip data: unknown compression method"),
            ("bad-method-second", gz + badMethod, "corrupt gzip data: unknown compression method"),
            ("bad-method-short", gz + badMethod[..<4], "corrupt gzip data: unknown compression method"),
            ("reserved-flag", reservedFlag, "corrupt gzip data: unknown header flags set"),
            ("header-crc", withHeaderFields(gz, headerCRCDelta: 1), "corrupt gzip data: header crc mismatch"),
            ("header-fields-ok-then-garbage", withHeaderFields(gz) + [0x42], "data after the end of the gzip stream"),
            ("not-gzip", Array(#"{"Records":[]}"#.utf8), "not a gzip file"),
            ("empty", [], "empty file"),
            // Inside the deflate data: the reasons differ between libraries
            // (zlib names the exact fault), the class does not.
            ("stored-nlen", flipped(13, in: stored), "corrupt gzip data: "),
            ("block-type-3", { var s = stored; s[10] = 0x07; return s }(), "corrupt gzip data: "),
        ]
    }

    @Test(arguments: availableInflaters, readStrategies)
    func badFilesFailWithTheExpectedReason(kind: Inflater, strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        for (name, bytes, expected) in try Self.badFiles() {
            let path = try files.write(name + ".json.gz", bytes)
            let (outcome, report) = scan(path, kind, strategy: strategy)
            let failure = try #require(outcome.failure, "\(name) \(kind): accepted")
            #expect(failure.hasPrefix(expected), "\(name) \(kind): \(failure)")
            #expect(report.records == 0)
        }
    }

    @Test(.enabled(if: IsalInflater.isAvailable), arguments: readStrategies)
    func bothInflatersFailWithTheSameMessage(strategy: ReadStrategy) throws {
        let files = try TemporaryFolder()
        for (name, bytes, expected) in try Self.badFiles() where expected != "corrupt gzip data: " {
            let result = try failures(bytes, in: files, name: name, strategy: strategy)
            #expect(result.count == 2)
            #expect(result[.zlib] == result[.isal], "\(name): \(result)")
        }
    }

    /// Random damage inside the data: every inflater rejects the file (the
    /// reason may differ: one library's bad code is another's CRC error, or
    /// a stream that now runs past the end) and counts nothing.
    @Test(arguments: availableInflaters)
    func damagedDataIsRejected(kind: Inflater) throws {
        let files = try TemporaryFolder()
        let gz = try Gzip.compress(Self.document)
        var state: UInt64 = 42
        for round in 0..<40 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var damaged = gz
            let offset = 10 + Int(state >> 33) % (gz.count - 18)
            damaged[offset] ^= UInt8(truncatingIfNeeded: state >> 13) | 1
            let path = try files.write("d\(round).json.gz", damaged)
            let (outcome, report) = scan(path, kind)
            let failure = try #require(outcome.failure, "\(kind): damage at \(offset) accepted")
            #expect(
                failure.hasPrefix("corrupt gzip data") || failure.hasPrefix("truncated gzip data")
                    || failure.hasPrefix("data after the end"),
                "\(kind) offset \(offset): \(failure)")
            #expect(report.records == 0)
        }
    }
}
