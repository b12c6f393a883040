// The verdict: per trail, account and region, what the digests prove and
// what they show broken. Values only (Equatable, Codable), so a report can
// be compared, stored and carried; `DigestVerifier` computes it.

/// A period without digests, between two digests of one chain.
public struct DigestGap: Sendable, Hashable, Codable {
    /// The digest before the gap (its end time is `from`).
    public var after: String
    /// The digest after the gap.
    public var before: String
    /// Unix seconds.
    public var from: Int64
    public var to: Int64
    /// Whole hours without a digest (hour gaps), or 0 for a logging gap.
    public var hours: Int
}

/// A link of the chain that does not hold.
public struct ChainBreak: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The previous digest it names is not among the files read.
        case previousMissing = "previous-digest-missing"
        /// The previous digest's SHA-256 differs from the one recorded:
        /// the previous digest was altered (or replaced).
        case previousAltered = "previous-digest-altered"
    }

    public var kind: Kind
    /// The digest whose `previous*` fields name `previous`.
    public var digest: String
    /// The previous digest's key (what is missing or altered).
    public var previous: String
    /// For `previousAltered`: the local path of the altered file.
    public var previousPath: String?
    /// Hours between the digest before in time and this one, minus one
    /// (the hours a missing digest, or several, covered).
    public var hoursWithoutDigest: Int
}

/// A listed log file whose content differs from its digest's hash.
public struct ModifiedLog: Sendable, Hashable, Codable {
    public var key: String
    public var path: String
    /// `hashValue` in the digest.
    public var expected: String
    /// SHA-256 of the uncompressed file found.
    public var actual: String
    /// The digest that lists it.
    public var digest: String
}

/// A digest whose signature could not be checked, and why.
public struct UncheckedSignature: Sendable, Hashable, Codable {
    public var digest: String
    public var reason: String
}

/// Everything found for one trail in one account and region.
public struct TrailVerification: Sendable, Hashable, Codable {
    public var trail: TrailID

    /// Digest files read (regular and backfill).
    public var digestsRead = 0
    /// Of `digestsRead`, backfill digests (`_backfill.json.gz`).
    public var backfillDigestsRead = 0
    /// Listed log files found with the listed SHA-256.
    public var logFilesVerified = 0
    /// Listed log files not found (keys, sorted).
    public var missing: [String] = []
    /// Listed log files found with another SHA-256.
    public var modified: [ModifiedLog] = []
    /// Log files of this account and region inside the digests' time range
    /// that no digest lists (paths, sorted): copied in, or from elsewhere.
    public var extra: [String] = []
    /// Links of the chain that do not hold.
    public var chainBreaks: [ChainBreak] = []
    /// Starting digests (all previous* null) after earlier digests of the
    /// chain: logging or validation was stopped and restarted (or the trail
    /// re-created). Not an integrity failure.
    public var loggingGaps: [DigestGap] = []
    /// Whole hours without a digest between two linked digests of the
    /// chain. CloudTrail delivers a digest every hour, even an empty one.
    public var hourGaps: [DigestGap] = []
    /// The first digest read names a previous digest not read: the chain
    /// goes on before the files given (keys of the named digests).
    public var chainContinuesBefore: [String] = []
    /// Log files of this account and region not listed by any digest but
    /// outside what the digests cover: delivered after the newest digest
    /// (digested within the hour), before the first, or in a logging gap.
    public var notCoveredByDigests: Int = 0
    /// Log files no digest lists, delivered when a missing digest (a chain
    /// break) would have listed them: unverifiable, and not named as extra.
    public var logsOfMissingDigests: Int = 0
    /// Signatures checked and valid.
    public var signaturesValid = 0
    /// Digests whose signature does not verify (keys).
    public var signatureFailures: [String] = []
    /// Digests whose signature could not be checked, and why (only when
    /// public keys were given; without them no signature is checked).
    public var signaturesUnchecked: [UncheckedSignature] = []

    public init(trail: TrailID) { self.trail = trail }

    /// No log file missing, modified or extra, no chain break, no failed
    /// signature. (Logging gaps, hour gaps and unchecked signatures are
    /// reported but are not damage.)
    public var isIntact: Bool {
        missing.isEmpty && modified.isEmpty && extra.isEmpty && chainBreaks.isEmpty && signatureFailures.isEmpty
    }
}

/// The result of `DigestVerifier.verify`.
public struct VerificationReport: Sendable, Hashable, Codable {
    /// One entry per trail, account and region, sorted.
    public var trails: [TrailVerification] = []
    /// Digest files (or log files) that could not be read or used.
    public var failedFiles: [VerifyFailure] = []
    /// Log files in account/region folders without any digest (validation
    /// off for that trail, or digests not synced): not verifiable.
    public var logsWithoutDigests: [String] = []
    /// Whether public keys were given (signatures checked at all).
    public var publicKeysGiven = false

    public init() {}

    /// Nothing missing, modified, extra or broken, and no failed file.
    public var isIntact: Bool { failedFiles.isEmpty && trails.allSatisfy(\.isIntact) }

    /// Totals over all trails.
    public var totals: TrailVerification {
        var t = TrailVerification(trail: TrailID(organization: nil, account: "", region: "", trail: "", homeRegion: ""))
        for v in trails {
            t.digestsRead += v.digestsRead
            t.backfillDigestsRead += v.backfillDigestsRead
            t.logFilesVerified += v.logFilesVerified
            t.missing += v.missing
            t.modified += v.modified
            t.extra += v.extra
            t.chainBreaks += v.chainBreaks
            t.loggingGaps += v.loggingGaps
            t.hourGaps += v.hourGaps
            t.chainContinuesBefore += v.chainContinuesBefore
            t.notCoveredByDigests += v.notCoveredByDigests
            t.logsOfMissingDigests += v.logsOfMissingDigests
            t.signaturesValid += v.signaturesValid
            t.signatureFailures += v.signatureFailures
            t.signaturesUnchecked += v.signaturesUnchecked
        }
        return t
    }
}
