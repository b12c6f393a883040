// The verdict over merged facts. Pure: facts (and keys) in, report out; the
// same facts give the same report, whatever order or split they were read in.
//
// The rules (docs/verify.md has them with the AWS behaviour each follows):
// - a log file a digest lists must be present with SHA-256(uncompressed) ==
//   hashValue, else it is missing or modified;
// - a digest's previousDigestHashValue must equal the SHA-256 of the
//   uncompressed previous digest it names, which must be present, else the
//   chain is broken (previous missing, or altered);
// - a starting digest (previous* all null) after earlier digests of its
//   chain is a logging gap, not damage;
// - two linked regular digests more than an hour and a half apart leave
//   hour gaps (CloudTrail delivers a digest every hour, even empty);
// - a log file of a trail's account and region inside the time its digests
//   cover, that no digest lists, is extra;
// - digest N's signature is digest N+1's previousDigestSignature; with the
//   public keys it is checked (RSA PKCS#1 v1.5, SHA-256, over the string to
//   sign); a digest no later digest links to (the newest, the last before a
//   logging gap) cannot be checked offline.

/// Computes `VerificationReport`s.
public enum DigestVerifier {
    /// Tolerance for "an hour apart": CloudTrail's digest times drift by
    /// seconds to minutes from one hour to the next.
    static let hourSlack: Int64 = 1800

    /// The verdict over `facts`.
    ///
    /// - Parameters:
    ///   - facts: everything read (merged from all readers).
    ///   - publicKeys: the keys to check signatures with, or nil.
    /// - Returns: the report; `isIntact` is the exit status.
    public static func verify(_ facts: VerificationFacts, publicKeys: DigestPublicKeys? = nil) -> VerificationReport {
        var report = VerificationReport()
        report.publicKeysGiven = publicKeys != nil
        report.failedFiles = facts.failures

        // One observation per digest key: the first by path. (Two copies of
        // one key under different roots are the same object if intact; if
        // their hashes differ, the chain check of the first one tells.)
        var digestByKey: [String: DigestObservation] = [:]
        for (key, list) in facts.digests { digestByKey[key] = list[0] }

        // Chains: per trail, regular and backfill apart, oldest first.
        var chains: [TrailID: (regular: [DigestObservation], backfill: [DigestObservation])] = [:]
        for observation in digestByKey.values {
            let d = observation.digest
            if d.isBackfill {
                chains[d.trail, default: ([], [])].backfill.append(observation)
            } else {
                chains[d.trail, default: ([], [])].regular.append(observation)
            }
        }
        func byTime(_ a: DigestObservation, _ b: DigestObservation) -> Bool {
            (a.digest.endTime, a.digest.key) < (b.digest.endTime, b.digest.key)
        }

        var results: [TrailID: TrailVerification] = [:]
        // The signature of a digest, from the digest that links to it (the
        // link's hash matched, so it names exactly the content read).
        var signatureOf: [String: String] = [:]
        // What the digests cover, per account and region (regular chains).
        var coverage: [AccountRegion: [(from: Int64, to: Int64)]] = [:]
        var gapsByPlace: [AccountRegion: [(from: Int64, to: Int64)]] = [:]
        // Where a missing digest would have listed the log files.
        var missingByPlace: [AccountRegion: [(from: Int64, to: Int64)]] = [:]

        for (trail, chain) in chains {
            var result = TrailVerification(trail: trail)
            let place = AccountRegion(organization: trail.organization, account: trail.account, region: trail.region)
            for (isBackfill, list) in [(false, chain.regular.sorted(by: byTime)), (true, chain.backfill.sorted(by: byTime))] {
                for (i, observation) in list.enumerated() {
                    let d = observation.digest
                    result.digestsRead += 1
                    if isBackfill { result.backfillDigestsRead += 1 }
                    guard let link = d.previous else {
                        if i > 0 {
                            let before = list[i - 1].digest
                            result.loggingGaps.append(
                                DigestGap(after: before.key, before: d.key, from: before.endTime, to: d.startTime, hours: 0))
                            if !isBackfill { gapsByPlace[place, default: []].append((before.endTime, d.startTime)) }
                        }
                        continue
                    }
                    let hoursBetween = i > 0 ? missingHours(from: list[i - 1].digest.endTime, to: d.endTime) : 0
                    guard let previous = digestByKey[link.key] else {
                        if i == 0 {
                            result.chainContinuesBefore.append(link.key)
                        } else {
                            result.chainBreaks.append(
                                ChainBreak(
                                    kind: .previousMissing, digest: d.key, previous: link.key, previousPath: nil,
                                    hoursWithoutDigest: hoursBetween))
                            if !isBackfill { missingByPlace[place, default: []].append((list[i - 1].digest.endTime, d.startTime)) }
                        }
                        continue
                    }
                    guard previous.sha256 == link.hashValue else {
                        result.chainBreaks.append(
                            ChainBreak(
                                kind: .previousAltered, digest: d.key, previous: link.key, previousPath: previous.path,
                                hoursWithoutDigest: hoursBetween))
                        continue
                    }
                    signatureOf[link.key] = link.signature
                    if !isBackfill && i > 0 && list[i - 1].digest.key == link.key && hoursBetween > 0 {
                        result.hourGaps.append(
                            DigestGap(
                                after: link.key, before: d.key, from: previous.digest.endTime, to: d.endTime,
                                hours: hoursBetween))
                    }
                }
                if !isBackfill, let first = list.first, let last = list.last {
                    coverage[place, default: []].append((first.digest.startTime, last.digest.endTime))
                }
            }
            results[trail] = result
        }

        // Signatures.
        for (key, observation) in digestByKey {
            let d = observation.digest
            guard let signature = signatureOf[key] else {
                results[d.trail]!.signaturesUnchecked.append(
                    UncheckedSignature(
                        digest: key,
                        reason: "no later digest carries its signature (the newest digest, or the last before a "
                            + "logging gap or a break): it is only in the S3 object metadata, which aws s3 sync does not copy"))
                continue
            }
            // Without keys nothing is checked; the report says so once.
            guard let publicKeys else { continue }
            switch publicKeys.check(digest: d, sha256: observation.sha256, signatureHex: signature) {
            case .valid: results[d.trail]!.signaturesValid += 1
            case .invalid, .malformed: results[d.trail]!.signatureFailures.append(key)
            case .noKey:
                results[d.trail]!.signaturesUnchecked.append(
                    UncheckedSignature(digest: key, reason: "no public key with fingerprint \(shown(d.publicKeyFingerprint))"))
            }
        }

        // Listed log files: present with the listed hash?
        var listed: [String: [(digest: DigestFile, hash: String)]] = [:]
        for observation in digestByKey.values {
            for log in observation.digest.logFiles { listed[log.key, default: []].append((observation.digest, log.hashValue)) }
        }
        for (key, listings) in listed {
            let owner = listings.min { $0.digest.key < $1.digest.key }!.digest
            guard let found = facts.logs[key] else {
                results[owner.trail]!.missing.append(key)
                continue
            }
            var bad: ModifiedLog?
            outer: for listing in listings {
                for o in found where o.sha256 != listing.hash {
                    bad = ModifiedLog(key: key, path: o.path, expected: listing.hash, actual: o.sha256, digest: listing.digest.key)
                    break outer
                }
            }
            if let bad {
                results[owner.trail]!.modified.append(bad)
            } else {
                results[owner.trail]!.logFilesVerified += 1
            }
        }

        // Log files no digest lists.
        let firstTrail = Dictionary(
            results.keys.map { (AccountRegion(organization: $0.organization, account: $0.account, region: $0.region), $0) },
            uniquingKeysWith: { Swift.min($0, $1) })
        for (key, observations) in facts.logs where listed[key] == nil {
            guard let location = LogKey(key), let trail = firstTrail[location.place] else {
                report.logsWithoutDigests += observations.map(\.path)
                continue
            }
            // The file name's minute: delivered within [t, t + 60).
            let t = location.delivered
            let covered = coverage[location.place, default: []].contains { t + 60 > $0.from && t <= $0.to }
            let inGap = gapsByPlace[location.place, default: []].contains { t + 60 > $0.from && t <= $0.to }
            if missingByPlace[location.place, default: []].contains(where: { t + 60 > $0.from && t <= $0.to }) {
                results[trail]!.logsOfMissingDigests += observations.count
            } else if covered && !inGap {
                results[trail]!.extra += observations.map(\.path)
            } else {
                results[trail]!.notCoveredByDigests += observations.count
            }
        }

        report.logsWithoutDigests.sort()
        report.trails = results.values.map(normalized).sorted { $0.trail < $1.trail }
        return report
    }

    /// Whole hours without a digest between digests ending at `from` and `to`.
    static func missingHours(from: Int64, to: Int64) -> Int {
        let span = to - from
        guard span > 3600 + hourSlack else { return 0 }
        return Int((span + hourSlack) / 3600) - 1
    }

    /// Lists sorted, so that equal facts give equal reports.
    private static func normalized(_ v: TrailVerification) -> TrailVerification {
        var v = v
        v.missing.sort()
        v.modified.sort { ($0.key, $0.path) < ($1.key, $1.path) }
        v.extra.sort()
        v.chainBreaks.sort { ($0.digest, $0.previous) < ($1.digest, $1.previous) }
        v.loggingGaps.sort { ($0.from, $0.before) < ($1.from, $1.before) }
        v.hourGaps.sort { ($0.from, $0.before) < ($1.from, $1.before) }
        v.chainContinuesBefore.sort()
        v.signatureFailures.sort()
        v.signaturesUnchecked.sort { $0.digest < $1.digest }
        return v
    }
}
