// `trailscan generate`: write a deterministic synthetic trail to disk, for
// demos, tests and benchmarks.

import ArgumentParser
import Foundation
import TrailScanGenerator
import TrailScanIO
import TrailScanVerify
import TrailScanWriter

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic synthetic CloudTrail trail (gzipped JSON in the S3 key layout).",
        discussion: HelpText.paragraphs("""
            Writes, below DIR, the log files a trail delivers to S3, each a gzipped \
            {"Records":[...]} document at its S3 key:
              AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
                <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz
            (organization-trail accounts under AWSLogs/<o-id>/<account>/), plus \
            CloudTrail-Digest files, which scanners skip: one per account, region \
            and hour, chained and signed like CloudTrail's, so that `trailscan \
            verify DIR --public-keys DIR.public-keys.json` checks them. They are \
            signed with a TEST key built into trailscan (its public key is written \
            next to the trail, in the form `aws cloudtrail list-public-keys` \
            prints): a generated signature proves nothing about authorship.

            The trail spans about four days from 2026-10-01 across nine accounts (one in aws-cn, \
            one in aws-us-gov) and their regions. About a third of the records are KMS calls \
            in realistic proportions (Decrypt, GenerateDataKey, Encrypt first), with every \
            key-reference form a scanner must handle: key ARNs in resources (typed or not, \
            next to alias ARNs), responseElements.keyId, request keyId as key ARN, alias ARN, \
            alias name, key id or mrk- id, targetKeyId, sourceKeyId/destinationKeyId, calls \
            with no key, failures (AccessDenied, throttling...), cross-account calls logged \
            in both accounts, KMS-internal operations, nested look-alike keyId/eventSource \
            fields, and a period in which one account's trail excludes KMS events. The rest \
            are S3, EC2, IAM, STS, Lambda, DynamoDB and other calls. File sizes are skewed \
            like a real trail: most files small, a few very large.

            The same seed and options always give byte-identical files. --style changes \
            only how the JSON is written, never what it says: compact is CloudTrail's own \
            form; pretty is indented like a console download; adversarial is legal but \
            hostile JSON (random whitespace, shuffled members, \\uXXXX escapes, numbers in \
            equivalent forms). SIZE counts uncompressed log JSON, so verbose styles stop \
            after fewer files.

            High-cardinality trail (--sessions and/or --objects): instead of the organisation \
            above, --records KMS Decrypt calls made through S3 on --keys keys in one account \
            and region on 2026-10-01, record r by role session r mod SESSIONS and on S3 \
            object r mod OBJECTS (named by the call's encryption context), 10,000 records \
            per file, no digests: a trail for measuring `--by key,principal` and `--by \
            key,resource` with millions of distinct values.
            """)
    )

    @Option(help: ArgumentHelp("Directory to write the trail into (created if missing).", valueName: "dir"),
            completion: .directory)
    var out: String

    @Option(help: ArgumentHelp(
        "Uncompressed JSON of the log files to write: bytes, or with a K, M or G suffix (binary: 64M, 1.5G).",
        valueName: "size"))
    var bytes: String?

    @Option(help: "Seed selecting the trail; the same seed and options give the same files.")
    var seed: UInt64 = 1

    @Option(help: "JSON style: compact, pretty or adversarial.")
    var style: TrailGenerator.JSONStyle = .compact

    @Flag(name: .customLong("no-digests"), help: "Do not write CloudTrail-Digest files.")
    var noDigests = false

    @Option(help: ArgumentHelp(
        "Share of records (0 to 1) that are S3 data events (GetObject, PutObject...), as in a trail that logs data events; default: the usual mix.",
        valueName: "share"))
    var dataEvents: Double?

    // `.unconditional` on these four: `--sessions -1` is refused with its
    // reason, not taken for an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "High-cardinality trail: the number of distinct role sessions making the calls.", valueName: "n"))
    var sessions: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "High-cardinality trail: the number of distinct S3 objects named by the calls' encryption context (0: none).",
        valueName: "n"))
    var objects: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "High-cardinality trail: the number of records (default: the larger of --sessions and --objects).",
        valueName: "n"))
    var records: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("High-cardinality trail: the number of KMS keys (default 1000).", valueName: "n"))
    var keys: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "High-cardinality trail: records per log file (default 10000; 5 gives the millions of small files of a real trail).",
        valueName: "n"))
    var recordsPerFile: Int?

    /// The options of the high-cardinality trail, when asked for.
    var cardinality: CardinalityTrail.Options? {
        guard sessions != nil || objects != nil else { return nil }
        let sessions = sessions ?? 1
        let objects = objects ?? 0
        return CardinalityTrail.Options(
            records: records ?? max(sessions, objects), sessions: sessions, objects: objects, keys: keys ?? 1_000,
            recordsPerFile: recordsPerFile ?? 10_000)
    }

    @Option(help: "gzip level, 1 (fastest) to 9 (smallest); 6 compresses about like CloudTrail.")
    var gzipLevel: Int32 = 6

    @Flag(help: "Write into DIR even when it is not empty (files of the same name are replaced, others kept).")
    var force = false

    @Option(
        name: .customLong("public-keys-out"),
        help: ArgumentHelp(
            "Where to write the digests' public key as list-public-keys JSON (default: DIR.public-keys.json, next to DIR).",
            valueName: "file"),
        completion: .file())
    var publicKeysOut: String?

    /// The public-keys file: outside DIR, so that a scan of DIR does not
    /// meet it as a log file.
    var publicKeysPath: String {
        if let publicKeysOut { return publicKeysOut }
        var trimmed = Substring(out)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty || trimmed == "." || trimmed == "/" { return "trail.public-keys.json" }
        return trimmed + ".public-keys.json"
    }

    func validate() throws {
        for (name, value) in [
            ("--sessions", sessions), ("--objects", objects), ("--records", records), ("--keys", keys),
            ("--records-per-file", recordsPerFile),
        ] {
            let least = name == "--objects" ? 0 : 1
            if let value, value < least { throw ValidationError("\(name) must be at least \(least) (got \(value)).") }
        }
        if sessions == nil && objects == nil {
            if records != nil || keys != nil || recordsPerFile != nil {
                throw ValidationError(
                    "--records, --keys and --records-per-file shape the high-cardinality trail: give --sessions or --objects too.")
            }
        } else {
            let mainOnly = [("--bytes", bytes != nil), ("--style", style != .compact), ("--data-events", dataEvents != nil)]
            if let (name, _) = mainOnly.first(where: { $0.1 }) {
                throw ValidationError("\(name) does not apply to the high-cardinality trail (--sessions/--objects); size it with --records.")
            }
        }
        guard let size = ByteSize.parse(bytes ?? "64M") else {
            throw ValidationError("--bytes must be a size like 1048576, 512K, 64M or 1.5G (got '\(bytes ?? "")').")
        }
        guard size >= 1 else { throw ValidationError("--bytes must be at least 1.") }
        if let dataEvents, !(0...1).contains(dataEvents) {
            throw ValidationError("--data-events must be between 0 and 1 (got \(dataEvents)).")
        }
        guard (1...9).contains(gzipLevel) else { throw ValidationError("--gzip-level must be 1 to 9 (got \(gzipLevel)).") }
    }

    func run() throws {
        // A trail written over other files mixes with them (a scan would
        // count both): refuse unless asked.
        if !force, let entries = try? FileManager.default.contentsOfDirectory(atPath: out), !entries.isEmpty {
            throw CommandFailure.usage(
                "generate: \(out) is not empty (\(entries.count) \(entries.count == 1 ? "entry" : "entries")); give a new or empty folder, or --force to write into it")
        }
        let target = ByteSize.parse(bytes ?? "64M")!  // checked by validate()
        let signer = DigestSigner.test
        var options = TrailGenerator.Options(
            seed: seed, targetBytes: target, style: style, includeDigests: !noDigests, digestSealer: signer.sealer)
        options.dataEventShare = dataEvents
        let writesDigests = !noDigests && cardinality == nil
        let start = MonotonicClock.seconds()
        var digests = 0
        let totals: (files: Int, records: Int, jsonBytes: Int, gzipBytes: Int)
        do {
            let counted = { (file: GeneratedFile) in if file.kind == .digest { digests += 1 } }
            if let cardinality {
                var generator = CardinalityTrail(cardinality)
                totals = try TrailWriter.write(&generator, to: out, level: gzipLevel, progress: counted)
            } else {
                var generator = TrailGenerator(options)
                totals = try TrailWriter.write(&generator, to: out, level: gzipLevel, progress: counted)
            }
        } catch let error as TrailWriteError {
            throw CommandFailure(message: "generate: \(error)", status: 1)
        } catch {
            throw CommandFailure(message: "generate: \(error)", status: 1)
        }
        if writesDigests {
            // Valid over the generated span (2026-10-01 and about four days).
            let keys = signer.listPublicKeysJSON(validity: 1_790_812_800...1_790_812_800 + 30 * 86_400)
            do {
                try OutputFile.write(keys, to: publicKeysPath)
            } catch {
                throw CommandFailure(message: "generate: cannot write \(publicKeysPath): \(error)", status: 1)
            }
        }
        let seconds = MonotonicClock.seconds() - start
        let mib = Double(1 << 20)
        let rate = seconds > 0 ? Double(totals.jsonBytes) / mib / seconds : 0
        StandardError.write(
            "generate: \(totals.files) files (\(totals.files - digests) logs, \(digests) digests), "
                + "\(totals.records) records, \(format(Double(totals.jsonBytes) / mib)) MiB JSON, "
                + "\(format(Double(totals.gzipBytes) / mib)) MiB gzip, \(format(seconds)) s "
                + "(\(format(rate)) MiB/s JSON) in \(out)"
                + (writesDigests ? "; digest public key (test key) in \(publicKeysPath)" : "") + "\n")
    }

    /// Two decimals, without Foundation.
    private func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded(.toNearestOrAwayFromZero))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension TrailGenerator.JSONStyle: ExpressibleByArgument {}
