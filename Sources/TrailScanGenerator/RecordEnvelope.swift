// The fields every CloudTrail record shares (userIdentity, eventTime,
// eventSource, ..., tlsDetails), written in CloudTrail's own member order.
// Event-specific code fills an `Envelope` in its draw phase and then calls
// `writeHead`, writes requestParameters / responseElements /
// additionalEventData itself, `writeIDs`, resources, and `writeTail`.

/// Who made the call, as `userIdentity` shows it.
enum Identity {
    /// An IAM principal of the calling account, optionally through a service.
    case principal(World.Principal, invokedBy: StaticString?)
    /// `{"type":"AWSService","invokedBy":"s3.amazonaws.com"}`
    case awsService(StaticString)
    /// KMS itself: `{"accountId":"…","invokedBy":"AWS Internal"}`
    case awsInternal
    /// The key owner's copy of a cross-account call: `{"type":"AWSAccount",…}`.
    case awsAccount(World.Principal)
}

/// `sourceIPAddress`.
enum SourceAddress {
    case ip(UInt32)
    case service(StaticString)
    case awsInternal
}

/// `userAgent`.
enum AgentText {
    case table(Int)
    case unicode(Int)
    case service(StaticString)
    case long(seed: UInt64)  // a 100 KB+ free-text value
}

struct Envelope {
    var eventVersion: StaticString = "1.08"
    var identity: Identity = .awsInternal
    var callerAccount: [UInt8] = []
    var sessionStart: Int64 = 0
    var eventTime: Int64 = 0
    var eventSource: StaticString = "kms.amazonaws.com"
    var eventName: StaticString = "Decrypt"
    var region: World.Region
    var source: SourceAddress = .awsInternal
    var agent: AgentText = .table(0)
    var requestID: (UInt64, UInt64) = (0, 0)
    var s3RequestID: UInt64 = 0  // S3 uses 16-character request ids
    var eventID: (UInt64, UInt64) = (0, 0)
    var readOnly: Bool? = true
    var eventType: StaticString = "AwsApiCall"
    var managementEvent: Bool = true
    var recipientAccount: [UInt8]? = nil
    var sharedEventID: (UInt64, UInt64)? = nil
    var dataEvent = false
    var tlsHost: StaticString? = nil  // the service part of clientProvidedHostHeader
    var tlsGlobal = false  // a global endpoint (iam.amazonaws.com): no region in the host
    var tlsVariant = 0

    init(region: World.Region) { self.region = region }
}

extension JSONWriter {
    mutating func member(_ name: StaticString, _ value: StaticString) {
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: [UInt8]) {
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, number value: Int) {
        key(name)
        number(value)
    }

    mutating func member(_ name: StaticString, bool value: Bool) {
        key(name)
        bool(value)
    }

    mutating func nullMember(_ name: StaticString) {
        key(name)
        null()
    }

    mutating func uuid(_ words: (UInt64, UInt64)) {
        beginString()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        appendUUID(words.0, words.1, to: &bytes)
        text(bytes)
        endString()
    }

    mutating func emptyObject() {
        beginObject()
        endObject()
    }

    mutating func emptyArray() {
        beginArray()
        endArray()
    }
}

enum EnvelopeWriter {
    /// eventVersion … userAgent.
    static func writeHead(_ w: inout JSONWriter, _ e: Envelope) {
        w.member("eventVersion", e.eventVersion)
        w.key("userIdentity")
        writeIdentity(&w, e)
        w.key("eventTime")
        w.timestamp(e.eventTime)
        w.member("eventSource", e.eventSource)
        w.member("eventName", e.eventName)
        w.member("awsRegion", e.region.name)
        w.key("sourceIPAddress")
        switch e.source {
        case .ip(let ip):
            w.beginString()
            w.text(decimal: Int(ip >> 24))
            w.text(".")
            w.text(decimal: Int((ip >> 16) & 0xFF))
            w.text(".")
            w.text(decimal: Int((ip >> 8) & 0xFF))
            w.text(".")
            w.text(decimal: Int(ip & 0xFF))
            w.endString()
        case .service(let name): w.string(name)
        case .awsInternal: w.string("AWS Internal")
        }
        w.key("userAgent")
        switch e.agent {
        case .table(let i): w.string(userAgents[i % userAgents.count])
        case .unicode(let i): w.string(unicodeUserAgents[i % unicodeUserAgents.count])
        case .service(let name): w.string(name)
        case .long(let seed): w.string(StressContent.longText(seed: seed, minimumBytes: 100_000))
        }
    }

    private static func writeIdentity(_ w: inout JSONWriter, _ e: Envelope) {
        w.beginObject()
        switch e.identity {
        case .awsInternal:
            w.member("accountId", e.callerAccount)
            w.member("invokedBy", "AWS Internal")
        case .awsService(let service):
            w.member("type", "AWSService")
            w.member("invokedBy", service)
        case .awsAccount(let p):
            w.member("type", "AWSAccount")
            w.member("principalId", p.principalId)
            w.member("accountId", e.callerAccount)
        case .principal(let p, let invokedBy):
            switch p.kind {
            case .iamUser: w.member("type", "IAMUser")
            case .assumedRole: w.member("type", "AssumedRole")
            case .root: w.member("type", "Root")
            case .federatedUser: w.member("type", "FederatedUser")
            }
            w.member("principalId", p.principalId)
            w.member("arn", p.arn)
            w.member("accountId", e.callerAccount)
            w.member("accessKeyId", p.accessKeyId)
            if p.kind == .iamUser { w.member("userName", p.userName) }
            if p.kind != .iamUser || p.mfa {
                w.key("sessionContext")
                w.beginObject()
                if p.kind == .assumedRole || p.kind == .federatedUser {
                    w.key("sessionIssuer")
                    w.beginObject()
                    w.member("type", p.kind == .assumedRole ? "Role" : "IAMUser")
                    w.member("principalId", p.issuerPrincipalId)
                    w.member("arn", p.issuerArn)
                    w.member("accountId", e.callerAccount)
                    w.member("userName", p.kind == .assumedRole ? p.userName : Array("federation-broker".utf8))
                    w.endObject()
                    w.key("webIdFederationData")
                    w.emptyObject()
                }
                w.key("attributes")
                w.beginObject()
                w.key("creationDate")
                w.timestamp(e.sessionStart)
                w.member("mfaAuthenticated", p.mfa ? "true" : "false")
                w.endObject()
                w.endObject()
            }
            if let invokedBy { w.member("invokedBy", invokedBy) }
        }
        w.endObject()
    }

    /// requestID, eventID, readOnly.
    static func writeIDs(_ w: inout JSONWriter, _ e: Envelope) {
        w.key("requestID")
        if e.s3RequestID != 0 {
            w.beginString()
            var id: [UInt8] = []
            var v = e.s3RequestID
            for _ in 0..<16 {
                id.append(s3IDAlphabet[Int(truncatingIfNeeded: v & 31)])  // 0...31
                v >>= 5
                if v == 0 { v = e.s3RequestID &* 0x9E37_79B9_7F4A_7C15 }
            }
            w.text(id)
            w.endString()
        } else {
            w.uuid(e.requestID)
        }
        w.key("eventID")
        w.uuid(e.eventID)
        if let readOnly = e.readOnly { w.member("readOnly", bool: readOnly) }
    }

    /// eventType … tlsDetails (after resources).
    static func writeTail(_ w: inout JSONWriter, _ e: Envelope) {
        w.member("eventType", e.eventType)
        w.member("managementEvent", bool: e.managementEvent)
        if let recipient = e.recipientAccount { w.member("recipientAccountId", recipient) }
        if let shared = e.sharedEventID {
            w.key("sharedEventID")
            w.uuid(shared)
        }
        w.member("eventCategory", e.dataEvent ? "Data" : "Management")
        if let host = e.tlsHost {
            w.key("tlsDetails")
            w.beginObject()
            w.member("tlsVersion", e.tlsVariant % 5 == 0 ? "TLSv1.2" : "TLSv1.3")
            w.member(
                "cipherSuite", e.tlsVariant % 5 == 0 ? "ECDHE-RSA-AES128-GCM-SHA256" : "TLS_AES_128_GCM_SHA256")
            w.key("clientProvidedHostHeader")
            w.beginString()
            w.text(host)
            if !e.tlsGlobal {
                w.text(".")
                w.text(e.region.name)
            }
            w.text(e.region.partition == Array("aws-cn".utf8) ? ".amazonaws.com.cn" : ".amazonaws.com")
            w.endString()
            w.endObject()
        }
    }

    /// One `resources[]` entry.
    static func writeResource(
        _ w: inout JSONWriter, account: [UInt8], type: StaticString?, arn: [UInt8], arnFirst: Bool = false
    ) {
        w.beginObject()
        if arnFirst { w.member("ARN", arn) }
        w.member("accountId", account)
        if let type { w.member("type", type) }
        if !arnFirst { w.member("ARN", arn) }
        w.endObject()
    }
}

private let s3IDAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

/// Shared draw-phase helpers: everything random is drawn here, before any
/// byte is written, so a record can be replayed (the key owner's copy of a
/// cross-account call) from the same random state.
extension Envelope {
    mutating func drawCommon(_ rng: inout RandomSource, eventTime: Int64) {
        self.eventTime = eventTime
        sessionStart = eventTime - Int64(rng.int(30, 43_000))
        requestID = (rng.next(), rng.next())
        eventID = (rng.next(), rng.next())
        tlsVariant = rng.below(10)
        eventVersion = ["1.08", "1.09", "1.10", "1.11"][rng.below(4)]
    }

    /// Fills identity, source address and user agent for a call by one of
    /// `account`'s principals, and returns the principal.
    @discardableResult
    mutating func drawPrincipal(
        _ rng: inout RandomSource, account: World.Account, unicodeAgent: Bool, longAgent: Bool
    ) -> World.Principal {
        let principals = account.principals
        let p = principals[rng.skewed(principals.count)]
        callerAccount = account.id
        identity = .principal(p, invokedBy: p.invokedBy)
        if let service = p.invokedBy {
            source = .service(service)
            agent = .service(service)
        } else {
            source = .ip(p.sourceIP)
            agent = .table(p.userAgent)
            if p.kind == .root || p.userAgent == 9 { agent = .table(7) }
        }
        if unicodeAgent { agent = .unicode(rng.below(unicodeUserAgents.count)) }
        if longAgent { agent = .long(seed: rng.next()) }
        return p
    }
}
