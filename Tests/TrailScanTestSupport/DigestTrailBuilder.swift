// A small trail with correct CloudTrail digests, written from the documented
// format (AWS CloudTrail User Guide, "CloudTrail digest file structure" and
// "Custom implementations of CloudTrail log file integrity validation"),
// independently of TrailScanGenerator: one account and region, one digest
// per hour, two log files per hour, the chain linked by SHA-256 of each
// uncompressed digest, each link carrying the previous digest's RSA
// signature (the built-in test key). Options stop and restart logging, or
// leave an hour without a digest, the way CloudTrail would.
//
// Files are returned uncompressed, by relative path, so that a test can
// damage them before writing (or feed them straight to VerificationFacts).

import TrailScanCore
import TrailScanVerify

public struct DigestTrailBuilder {
    public var organization: String? = nil
    public var account = "111122223333"
    public var region = "eu-west-1"
    public var trail = "audit_trail"  // an underscore, as trail names may have
    public var homeRegion = "us-east-1"
    public var bucket = "aws-cloudtrail-logs-111122223333"
    /// Hours of digests.
    public var hours = 8
    public var logsPerHour = 2
    /// First digest window starts here (2026-10-01T00:05:00Z).
    public var start: Int64 = 1_790_812_800 + 300
    /// Logging stopped after this hour's digest and restarted at
    /// `restartAt` with a starting digest (hours between: nothing).
    public var stopAfter: Int? = nil
    public var restartAt: Int? = nil
    /// No digest and no log file for this hour; the next digest links to
    /// the one before (an hour gap with the chain intact).
    public var hourWithoutDigest: Int? = nil
    /// The first digest is a starting digest (previous* null); when false
    /// it links to a digest of the hour before that is not written.
    public var startsChain = true
    public var signer = DigestSigner.test

    public init() {}

    /// A built file.
    public struct File {
        public var path: String
        public var json: [UInt8]
        public var isDigest: Bool

        public init(path: String, json: [UInt8], isDigest: Bool) {
            self.path = path
            self.json = json
            self.isDigest = isDigest
        }
    }

    /// The files, oldest first, and the signature of each digest (by path;
    /// digest N's is repeated in digest N+1, the newest's only here).
    public func build() -> (files: [File], signatures: [String: String]) {
        var files: [File] = []
        var signatures: [String: String] = [:]
        var previous: (key: String, hash: String, signature: String)? = nil
        if !startsChain {
            let key = digestKey(endTime: start)
            previous = (key, String(repeating: "ab", count: 32), String(repeating: "cd", count: 256))
        }
        for h in 0..<hours {
            if let stopAfter, let restartAt, h > stopAfter && h < restartAt { continue }
            if h == hourWithoutDigest { continue }
            let from = start + Int64(h) * 3600
            let to = from + 3600
            var listed: [(key: String, hash: String, oldest: Int64, newest: Int64)] = []
            for j in 0..<logsPerHour {
                let delivered = from + Int64(600 * (j + 1))
                let key = logKey(delivered: delivered, unique: "h\(h)f\(j)")
                let json = logJSON(eventTime: delivered - 120, id: "\(h)-\(j)")
                files.append(File(path: key, json: json, isDigest: false))
                listed.append((key, SHA256Stream.hex(json), delivered - 120, delivered - 120))
            }
            if let restartAt, h == restartAt { previous = nil }
            let key = digestKey(endTime: to)
            let json = digestJSON(key: key, from: from, to: to, previous: previous, logs: listed)
            let hash = SHA256Stream.hex(json)
            let endText = UTCTime.iso8601(to)
            let toSign = Array("\(endText)\n\(bucket)/\(key)\n\(hash)\n\(previous?.signature ?? "null")".utf8)
            let signature = signer.signatureHex(toSign)
            files.append(File(path: key, json: json, isDigest: true))
            signatures[key] = signature
            previous = (key, hash, signature)
        }
        return (files, signatures)
    }

    var prefix: String { "AWSLogs/" + (organization.map { $0 + "/" } ?? "") + account + "/" }

    public func logKey(delivered: Int64, unique: String) -> String {
        let (date, time) = stamp(delivered)
        let folder = datePath(delivered)
        return prefix + "CloudTrail/\(region)/\(folder)/\(account)_CloudTrail_\(region)_\(date)T\(time.prefix(4))Z_\(unique).json.gz"
    }

    public func digestKey(endTime: Int64) -> String {
        let (date, time) = stamp(endTime)
        return prefix
            + "CloudTrail-Digest/\(region)/\(datePath(endTime))/\(account)_CloudTrail-Digest_\(region)_\(trail)_\(homeRegion)_\(date)T\(time)Z.json.gz"
    }

    /// A one-record log file (a KMS Decrypt).
    public func logJSON(eventTime: Int64, id: String) -> [UInt8] {
        Array(
            """
            {"Records":[{"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"s3.amazonaws.com"},\
            "eventTime":"\(UTCTime.iso8601(eventTime))","eventSource":"kms.amazonaws.com","eventName":"Decrypt",\
            "awsRegion":"\(region)","sourceIPAddress":"s3.amazonaws.com","userAgent":"s3.amazonaws.com",\
            "requestParameters":null,"responseElements":null,"eventID":"00000000-0000-4000-8000-\(pad12(id))",\
            "readOnly":true,"resources":[{"accountId":"\(account)","type":"AWS::KMS::Key",\
            "ARN":"arn:aws:kms:\(region):\(account):key/1234abcd-12ab-34cd-56ef-1234567890ab"}],\
            "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"\(account)"}]}
            """.utf8)
    }

    func digestJSON(
        key: String, from: Int64, to: Int64, previous: (key: String, hash: String, signature: String)?,
        logs: [(key: String, hash: String, oldest: Int64, newest: Int64)]
    ) -> [UInt8] {
        func q(_ s: String) -> String { "\"\(s)\"" }
        let previousFields: String
        if let previous {
            previousFields = """
                "previousDigestS3Bucket":\(q(bucket)),"previousDigestS3Object":\(q(previous.key)),\
                "previousDigestHashValue":\(q(previous.hash)),"previousDigestHashAlgorithm":"SHA-256",\
                "previousDigestSignature":\(q(previous.signature))
                """
        } else {
            previousFields = """
                "previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,\
                "previousDigestHashAlgorithm":null,"previousDigestSignature":null
                """
        }
        let logEntries = logs.map { log in
            """
            {"s3Bucket":\(q(bucket)),"s3Object":\(q(log.key)),"hashValue":\(q(log.hash)),"hashAlgorithm":"SHA-256",\
            "newestEventTime":\(q(UTCTime.iso8601(log.newest))),"oldestEventTime":\(q(UTCTime.iso8601(log.oldest)))}
            """
        }.joined(separator: ",")
        let newest = logs.map(\.newest).max().map { q(UTCTime.iso8601($0)) } ?? "null"
        let oldest = logs.map(\.oldest).min().map { q(UTCTime.iso8601($0)) } ?? "null"
        return Array(
            """
            {"awsAccountId":\(q(account)),"digestStartTime":\(q(UTCTime.iso8601(from))),\
            "digestEndTime":\(q(UTCTime.iso8601(to))),"digestS3Bucket":\(q(bucket)),"digestS3Object":\(q(key)),\
            "digestPublicKeyFingerprint":\(q(signer.fingerprint)),"digestSignatureAlgorithm":"SHA256withRSA",\
            "newestEventTime":\(newest),"oldestEventTime":\(oldest),\(previousFields),"logFiles":[\(logEntries)]}
            """.utf8)
    }

    private func stamp(_ t: Int64) -> (date: String, time: String) {
        let iso = UTCTime.iso8601(t)  // 2026-10-01T00:05:00Z
        let u = Array(iso.utf8)
        let date = String(decoding: u[0..<4] + u[5..<7] + u[8..<10], as: UTF8.self)
        let time = String(decoding: u[11..<13] + u[14..<16] + u[17..<19], as: UTF8.self)
        return (date, time)
    }

    private func datePath(_ t: Int64) -> String {
        let u = Array(UTCTime.iso8601(t).utf8)
        return String(decoding: u[0..<4], as: UTF8.self) + "/" + String(decoding: u[5..<7], as: UTF8.self) + "/"
            + String(decoding: u[8..<10], as: UTF8.self)
    }

    private func pad12(_ id: String) -> String {
        let hex = Array(id.utf8).map { String($0, radix: 16) }.joined()
        return String(String(repeating: "0", count: max(0, 12 - hex.count)) + hex).suffix(12).description
    }
}

extension VerificationFacts {
    /// Facts from uncompressed files (as if read from disk below `root`).
    public static func reading(_ files: [DigestTrailBuilder.File], root: String = "/trail") -> VerificationFacts {
        var facts = VerificationFacts()
        for file in files {
            let path = root + "/" + file.path
            if file.isDigest {
                file.json.withUnsafeBytes { facts.addDigest(path: path, uncompressed: $0) }
            } else {
                facts.addLog(path: path, sha256: SHA256Stream.hex(file.json))
            }
        }
        return facts
    }
}

import TrailScanGenerator

extension DigestSigner {
    /// This signer as the generator's `DigestSealer`.
    public var sealer: DigestSealer {
        let signer = self
        return DigestSealer(
            fingerprint: fingerprint, sha256Hex: { SHA256Stream.hex($0) }, signHex: { signer.signatureHex($0) })
    }
}
