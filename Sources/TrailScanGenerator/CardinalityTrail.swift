// A trail made to stress groupings with many distinct values (`trailscan
// generate --sessions N --objects M`): KMS Decrypt calls made through S3 by
// role sessions, as EC2 instances and Lambda invocations make them, each
// naming an S3 object in its encryption context. Record r is made by session
// r mod N of one of a few roles and reads object r mod M, so a trail of at
// least max(N, M) records has exactly N distinct principals and M distinct
// resources. Keys, accounts and regions are few (1,000 keys by default).
//
// The main generator (TrailGenerator) models a whole organisation; this one
// models only the shape that makes `--by key,principal` and `--by
// key,resource` large, and is deterministic in its options alone.

/// The files of a high-cardinality trail, in order.
public struct CardinalityTrail: IteratorProtocol, Sequence {
    public struct Options: Sendable {
        /// Records in the trail.
        public var records: Int
        /// Distinct role sessions (principals).
        public var sessions: Int
        /// Distinct S3 objects (resources); 0 leaves out the encryption context.
        public var objects: Int
        /// Distinct KMS keys.
        public var keys: Int
        /// Records per log file.
        public var recordsPerFile: Int

        public init(records: Int, sessions: Int, objects: Int, keys: Int = 1_000, recordsPerFile: Int = 10_000) {
            precondition(records >= 0 && sessions >= 1 && objects >= 0 && keys >= 1 && recordsPerFile >= 1)
            self.records = records
            self.sessions = sessions
            self.objects = objects
            self.keys = keys
            self.recordsPerFile = recordsPerFile
        }
    }

    static let account = Array("111122223333".utf8)
    static let region = Array("us-east-1".utf8)
    static let roles = ["AppServer", "BatchWorker", "ReportLambda", "DataPipeline"]
    /// 2026-10-01T00:00:00Z; the records spread over that day.
    static let start: Int64 = 1_790_812_800

    public let options: Options
    private var nextRecord = 0
    private var fileIndex = 0

    public init(_ options: Options) { self.options = options }

    public mutating func next() -> GeneratedFile? {
        guard nextRecord < options.records else { return nil }
        let end = Swift.min(options.records, nextRecord + options.recordsPerFile)
        var json: [UInt8] = []
        json.reserveCapacity((end - nextRecord) * 1_400)
        json += Array(#"{"Records":["#.utf8)
        for r in nextRecord..<end {
            if r > nextRecord { json.append(UInt8(ascii: ",")) }
            appendRecord(r, to: &json)
        }
        json += Array("]}".utf8)
        let time = Self.start + Int64(nextRecord) * 86_399 / Int64(Swift.max(1, options.records))
        var path = Array("AWSLogs/".utf8) + Self.account + Array("/CloudTrail/".utf8) + Self.region + [UInt8(ascii: "/")]
        let date = CivilDate(epochSeconds: time)
        date.appendDatePath(to: &path)
        path.append(UInt8(ascii: "/"))
        path += Self.account + Array("_CloudTrail_".utf8) + Self.region + [UInt8(ascii: "_")]
        date.appendFileStamp(to: &path)
        path.append(UInt8(ascii: "_"))
        appendHex(UInt64(fileIndex), digits: 16, to: &path)
        path += Array(".json.gz".utf8)
        let file = GeneratedFile(
            relativePath: String(decoding: path, as: UTF8.self), json: json, kind: .log, records: end - nextRecord)
        nextRecord = end
        fileIndex += 1
        return file
    }

    /// One Decrypt record (the shape of the AWS KMS developer guide's
    /// "Decrypt" CloudTrail example, called through S3).
    private func appendRecord(_ r: Int, to out: inout [UInt8]) {
        let session = r % options.sessions
        let role = Self.roles[session % Self.roles.count]
        let key = UInt64(RandomSource.mix(UInt64(r % options.keys), 0x6b6579))
        let time = Self.start + Int64(r) * 86_399 / Int64(Swift.max(1, options.records))
        func text(_ s: String) { out += Array(s.utf8) }
        func hex(_ value: UInt64, _ digits: Int) { appendHex(value, digits: digits, to: &out) }
        let account = String(decoding: Self.account, as: UTF8.self)
        text(#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE"#)
        text("\(role.count):i-")
        hex(UInt64(session), 17)
        text(#"","arn":"arn:aws:sts::\#(account):assumed-role/\#(role)/i-"#)
        hex(UInt64(session), 17)
        text(#"","accountId":"\#(account)","accessKeyId":"ASIA"#)
        hex(RandomSource.mix(UInt64(r), 0x61), 16)
        text(#"","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE\#(role.count)","#)
        text(#""arn":"arn:aws:iam::\#(account):role/\#(role)","accountId":"\#(account)","userName":"\#(role)"},"#)
        text(#""attributes":{"creationDate":""#)
        appendTime(time - 600, to: &out)
        text(#"","mfaAuthenticated":"false"}},"invokedBy":"s3.amazonaws.com"},"eventTime":""#)
        appendTime(time, to: &out)
        text(#"","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","#)
        text(#""sourceIPAddress":"s3.amazonaws.com","userAgent":"s3.amazonaws.com","requestParameters":{"#)
        if options.objects > 0 {
            text(#""encryptionContext":{"aws:s3:arn":"arn:aws:s3:::example-bucket-"#)
            hex(UInt64(r % options.objects % 16), 1)
            text("/data/")
            hex(UInt64(r % options.objects), 12)
            text(#".parquet"},"#)
        }
        text(#""encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,"requestID":""#)
        hex(RandomSource.mix(UInt64(r), 0x72), 16)
        text(#"","eventID":""#)
        hex(RandomSource.mix(UInt64(r), 0x65), 16)
        text(#"","readOnly":true,"resources":[{"accountId":"\#(account)","type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:\#(account):key/"#)
        hex(key, 16)
        text(#""}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"\#(account)","eventCategory":"Management"}"#)
    }

    private func appendTime(_ epochSeconds: Int64, to out: inout [UInt8]) {
        CivilDate(epochSeconds: epochSeconds).appendISO8601(to: &out)
    }
}

/// `value` as `digits` lowercase hex digits (the low ones).
func appendHex(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
    let alphabet = Array("0123456789abcdef".utf8)
    for i in stride(from: digits - 1, through: 0, by: -1) {
        out.append(alphabet[Int((value >> UInt64(min(60, i * 4))) & 0xF)])
    }
}
