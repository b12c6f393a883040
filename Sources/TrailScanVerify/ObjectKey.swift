// What the S3 key layout says about a digest file or a log file, read from a
// local path or from a key named inside a digest.
//
//   [prefix/]AWSLogs/[o-id/]ACCT/CloudTrail-Digest/REGION/YYYY/MM/DD/
//       ACCT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHMMSSZ[_backfill].json.gz
//   [prefix/]AWSLogs/[o-id/]ACCT/CloudTrail/REGION/YYYY/MM/DD/
//       ACCT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz
//
// (AWS CloudTrail User Guide, "CloudTrail digest file structure", Digest
// file location; the AWS CLI's validation.py builds the same keys in
// DigestProvider._create_digest_key.)
//
// Keys are compared from `AWSLogs/` on: a digest names the objects with the
// trail's S3 prefix, which `aws s3 sync s3://bucket/prefix/ dir` drops, so
// the part before `AWSLogs/` cannot be expected to match a local path.

import TrailScanCore

/// The key of an object from its `AWSLogs/` component on, or nil when the
/// path has none.
public func canonicalObjectKey(_ path: String) -> String? {
    if path.hasPrefix("AWSLogs/") { return lastAWSLogs(path) ?? path }
    return lastAWSLogs(path)
}

private func lastAWSLogs(_ path: String) -> String? {
    let marker = Array("/AWSLogs/".utf8)
    let bytes = Array(path.utf8)
    guard bytes.count > marker.count else { return nil }
    var k = bytes.count - marker.count
    while k >= 0 {
        if bytes[k] == UInt8(ascii: "/") && bytes[k..<(k + marker.count)].elementsEqual(marker) {
            return String(decoding: bytes[(k + 1)...], as: UTF8.self)
        }
        k -= 1
    }
    return nil
}

/// One trail's digest stream: a trail delivers one chain of digests per
/// account and region (and a separate chain of backfill digests).
public struct TrailID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// `o-…` for organization trails, else nil.
    public var organization: String?
    public var account: String
    public var region: String
    /// The trail name and its home region, from the digest file name.
    public var trail: String
    public var homeRegion: String

    public init(organization: String?, account: String, region: String, trail: String, homeRegion: String) {
        self.organization = organization
        self.account = account
        self.region = region
        self.trail = trail
        self.homeRegion = homeRegion
    }

    public static func < (a: TrailID, b: TrailID) -> Bool {
        (a.organization ?? "", a.account, a.region, a.trail, a.homeRegion)
            < (b.organization ?? "", b.account, b.region, b.trail, b.homeRegion)
    }

    /// `trail (home us-east-1) 111122223333 eu-west-1`
    public var description: String {
        "\(trail) (home \(homeRegion)) \(organization.map { $0 + "/" } ?? "")\(account) \(region)"
    }
}

/// The account and region folder of a log or digest key.
struct AccountRegion: Hashable, Comparable {
    var organization: String?
    var account: String
    var region: String

    static func < (a: AccountRegion, b: AccountRegion) -> Bool {
        (a.organization ?? "", a.account, a.region) < (b.organization ?? "", b.account, b.region)
    }
}

/// The parts of a digest file key.
struct DigestKey: Equatable {
    var trail: TrailID
    var isBackfill: Bool
    /// The end time stamped in the name (seconds since 1970).
    var stamp: Int64

    /// Parses `key` (canonical, from `AWSLogs/`).
    /// - Throws: why it is not a digest key of the layout.
    init(_ key: String) throws(DigestFormatError) {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "AWSLogs", let folder = parts.firstIndex(of: "CloudTrail-Digest") else {
            throw DigestFormatError("not in the digest layout (AWSLogs/[o-id/]account/CloudTrail-Digest/region/YYYY/MM/DD/file)")
        }
        let organization: String?
        switch folder {
        case 2: organization = nil
        case 3 where parts[1].hasPrefix("o-"): organization = parts[1]
        default: throw DigestFormatError("not in the digest layout (unexpected folders before CloudTrail-Digest)")
        }
        guard parts.count == folder + 6 else {
            throw DigestFormatError("not in the digest layout (expected CloudTrail-Digest/region/YYYY/MM/DD/file)")
        }
        let account = parts[folder - 1]
        let region = parts[folder + 1]
        var name = Substring(parts[folder + 5])
        let head = "\(account)_CloudTrail-Digest_\(region)_"
        guard name.hasPrefix(head), name.hasSuffix(".json.gz") else {
            throw DigestFormatError(
                "digest file name does not read \(shown(account))_CloudTrail-Digest_\(shown(region))_TRAIL_HOMEREGION_YYYYMMDDTHHMMSSZ.json.gz")
        }
        name = name.dropFirst(head.count).dropLast(".json.gz".count)
        isBackfill = name.hasSuffix("_backfill")
        if isBackfill { name = name.dropLast("_backfill".count) }
        guard let stampSeparator = name.lastIndex(of: "_"),
            let stamp = parseStamp(name[name.index(after: stampSeparator)...], seconds: true)
        else { throw DigestFormatError("digest file name has no YYYYMMDDTHHMMSSZ time stamp") }
        let trailAndHome = name[..<stampSeparator]
        guard let homeSeparator = trailAndHome.lastIndex(of: "_"), homeSeparator > trailAndHome.startIndex,
            trailAndHome.index(after: homeSeparator) < trailAndHome.endIndex
        else { throw DigestFormatError("digest file name has no TRAIL_HOMEREGION part") }
        let date = "\(parts[folder + 2])-\(parts[folder + 3])-\(parts[folder + 4])"
        guard UTCTime.parse(date, allowDateOnly: true) == UTCTime.day(stamp) * 86_400 else {
            throw DigestFormatError("digest file is in the date folder \(shown(date)), not the day of its time stamp")
        }
        self.stamp = stamp
        trail = TrailID(
            organization: organization, account: account, region: region,
            trail: String(trailAndHome[..<homeSeparator]),
            homeRegion: String(trailAndHome[trailAndHome.index(after: homeSeparator)...]))
    }
}

/// The parts of a log file key.
struct LogKey {
    var place: AccountRegion
    /// The delivery minute stamped in the name.
    var delivered: Int64

    init?(_ key: String) {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "AWSLogs", let folder = parts.firstIndex(of: "CloudTrail"), folder == 2 || folder == 3,
            parts.count == folder + 6
        else { return nil }
        let account = parts[folder - 1]
        let region = parts[folder + 1]
        let name = parts[folder + 5]
        let head = "\(account)_CloudTrail_\(region)_"
        guard name.hasPrefix(head) else { return nil }
        let rest = name.dropFirst(head.count)
        guard let end = rest.firstIndex(of: "_"), let time = parseStamp(rest[..<end], seconds: false) else { return nil }
        place = AccountRegion(organization: folder == 3 ? parts[1] : nil, account: account, region: region)
        delivered = time
    }
}

/// The account/region folder (`AWSLogs/[o-id/]ACCT/CloudTrail/REGION/`) a
/// log key of `trail` must be in.
func logFolder(of trail: TrailID) -> String {
    "AWSLogs/" + (trail.organization.map { $0 + "/" } ?? "") + trail.account + "/CloudTrail/" + trail.region + "/"
}

/// `20150817T150131Z` (seconds) or `20150817T1445Z` (minutes).
func parseStamp(_ text: Substring, seconds: Bool) -> Int64? {
    let u = Array(text.utf8)
    guard u.count == (seconds ? 16 : 14), u[8] == UInt8(ascii: "T"), u.last == UInt8(ascii: "Z") else { return nil }
    let s = String(decoding: u, as: UTF8.self)
    func sub(_ a: Int, _ n: Int) -> Substring {
        let start = s.utf8.index(s.utf8.startIndex, offsetBy: a)
        return s[start..<s.utf8.index(start, offsetBy: n)]
    }
    let iso = "\(sub(0, 4))-\(sub(4, 2))-\(sub(6, 2))T\(sub(9, 2)):\(sub(11, 2)):\(seconds ? sub(13, 2) : "00")Z"
    return UTCTime.parse(iso)
}
