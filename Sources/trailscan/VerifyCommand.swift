// `trailscan verify`: check a synced trail against its CloudTrail digest
// files, offline (docs/verify.md). The engine's VerifyJob reads and judges;
// this file parses arguments and writes the report.

import ArgumentParser
import TrailScanEngine
import TrailScanGenerator
import TrailScanIO
import TrailScanVerify

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a synced trail against its CloudTrail digest files (hashes, chain, signatures).",
        discussion: HelpText.paragraphs("""
            Reads the digest files (AWSLogs/.../CloudTrail-Digest/...) and the log \
            files under each PATH and checks, per trail, account and region: every \
            log file a digest lists is present and its SHA-256 (of the uncompressed \
            file) matches; every digest's link to the previous digest holds (its \
            SHA-256 matches); no hour lacks a digest; no log file in the digests' \
            hours is unlisted. A starting digest after earlier ones is reported as \
            a logging gap (logging or validation was restarted), not as damage.

            With --public-keys FILE (the JSON of `aws cloudtrail list-public-keys`, \
            covering the time range), the RSA signature of every digest but the \
            newest of each chain is checked: digest N's signature is repeated in \
            digest N+1, while the newest one's is only in S3 object metadata, which \
            `aws s3 sync` does not copy. Without keys, the hashes and the chain \
            prove internal consistency, not authorship.

            Exit status: 0 when intact, 1 when a log file is missing, modified or \
            extra, the chain is broken, a signature fails, or a file cannot be \
            read or parsed; 2 for usage errors.
            """)
    )

    @Argument(help: "Trail folders (or files) to verify; '-' reads paths from stdin.", completion: .file())
    var paths: [String] = []

    @Option(
        name: .customLong("public-keys"),
        help: ArgumentHelp("JSON saved from `aws cloudtrail list-public-keys`: check digest signatures.", valueName: "file"),
        completion: .file())
    var publicKeys: String?

    @Option(name: .shortAndLong, help: "Output format: table, json or csv.")
    var format: VerifyFormat = .table

    @Option(name: .shortAndLong, help: "Write the report to FILE instead of standard output.", completion: .file())
    var output: String?

    @Option(name: .shortAndLong, help: "Worker threads (default: one per core).")
    var jobs: Int?

    @Option(help: "Gzip inflater: auto (ISA-L when available, else zlib), zlib or isal.")
    var inflater: InflaterOption = .auto

    @Flag(name: .shortAndLong, help: "Do not print the summary line on stderr.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs)).") }
        if paths.isEmpty { throw ValidationError("give the trail folder(s) to verify.") }
    }

    func run() throws {
        let start = MonotonicClock.seconds()
        let chosenInflater = try inflater.resolved()
        let keys = try publicKeys.map(Self.loadKeys)
        var roots: [String] = []
        for path in paths {
            if path == "-" {
                while let line = readLine(strippingNewline: true) {
                    if !line.isEmpty { roots.append(line) }
                }
            } else {
                roots.append(path)
            }
        }
        let discovery = TrailDiscovery.discover(roots: roots)
        if !discovery.rootErrors.isEmpty {
            throw CommandFailure.usage("cannot read " + discovery.rootErrors.joined(separator: "; "))
        }
        let outcome = VerifyJob.run(
            discovery, jobs: jobs ?? ProcessorCount.active, inflater: chosenInflater, publicKeys: keys)
        let report = outcome.report

        let text: String
        switch format {
        case .table: text = VerificationText.table(report)
        case .json: text = VerificationText.json(report)
        case .csv: text = VerificationText.csv(report)
        }
        try ReportOutput.emit(text, to: output)
        if !quiet {
            let seconds = MonotonicClock.seconds() - start
            let rate = seconds > 0 ? Double(outcome.uncompressedBytes) / Double(1 << 20) / seconds : 0
            StandardError.write(
                "verify: \(VerificationText.summary(report)); \(outcome.files) files, "
                    + "\(outcome.uncompressedBytes >> 20) MiB uncompressed in \(Self.twoDecimals(seconds)) s "
                    + "(\(Self.twoDecimals(rate)) MiB/s, \(chosenInflater))\n")
            for failure in report.failedFiles { StandardError.write("trailscan: \(failure.path): \(failure.reason)\n") }
            if keys == nil { StandardError.write("verify: note: \(VerificationText.noKeysNote)\n") }
        }
        if !report.isIntact { throw ExitCode(TrailScanCommand.Status.someInputFailed) }
    }

    static func loadKeys(_ path: String) throws -> DigestPublicKeys {
        do {
            return try VerifyJob.loadPublicKeys(path)
        } catch {
            throw CommandFailure.usage("--public-keys \(path): \(error)")
        }
    }

    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}

enum VerifyFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

extension DigestSigner {
    /// This signer as the generator's `DigestSealer` (`trailscan generate`).
    var sealer: DigestSealer {
        let signer = self
        return DigestSealer(
            fingerprint: fingerprint, sha256Hex: { SHA256Stream.hex($0) }, signHex: { signer.signatureHex($0) })
    }
}
