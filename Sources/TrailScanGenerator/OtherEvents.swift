// The non-KMS two thirds of a trail: S3 data events, EC2, IAM, STS, Lambda,
// DynamoDB, Secrets Manager, SSM, CloudWatch, CloudTrail, sign-in and
// EventBridge calls. Some carry KMS-looking data a scanner must not count
// (an S3 PutObject's SSE-KMS key ARN, an EventBridge pattern with
// `"eventSource":"kms.amazonaws.com"`, a LookupEvents filter on KMS), and the
// trail's PutEventSelectors calls that switch KMS logging off and on.

enum OtherOp: Int, CaseIterable {
    case s3GetObject, s3PutObject, s3HeadObject, s3ListObjects, s3DeleteObject, s3GetBucketLocation, s3GetBucketAcl
    case ec2DescribeInstances, ec2DescribeVolumes, ec2DescribeSecurityGroups, ec2RunInstances, ec2CreateVolume
    case iamGetRole, iamListRoles, iamGetUser, iamListAttachedRolePolicies
    case stsAssumeRole, stsGetCallerIdentity
    case lambdaInvoke, lambdaGetFunction, lambdaListFunctions
    case dynamoGetItem, dynamoPutItem, dynamoQuery, dynamoDescribeTable
    case secretsGetSecretValue, ssmGetParameter, ssmGetParameters
    case logsCreateLogStream, logsDescribeLogGroups, monitoringGetMetricData
    case cloudtrailLookupEvents, cloudtrailDescribeTrails, cloudtrailGetTrailStatus, cloudtrailPutEventSelectors
    case signinConsoleLogin, eventsPutRule

    /// (eventSource, eventName, weight per 10 000, readOnly, data event, TLS host)
    var info: (source: StaticString, name: StaticString, weight: Int, readOnly: Bool, data: Bool, host: StaticString) {
        switch self {
        case .s3GetObject: ("s3.amazonaws.com", "GetObject", 2200, true, true, "s3")
        case .s3PutObject: ("s3.amazonaws.com", "PutObject", 900, false, true, "s3")
        case .s3HeadObject: ("s3.amazonaws.com", "HeadObject", 500, true, true, "s3")
        case .s3ListObjects: ("s3.amazonaws.com", "ListObjects", 300, true, true, "s3")
        case .s3DeleteObject: ("s3.amazonaws.com", "DeleteObject", 150, false, true, "s3")
        case .s3GetBucketLocation: ("s3.amazonaws.com", "GetBucketLocation", 150, true, false, "s3")
        case .s3GetBucketAcl: ("s3.amazonaws.com", "GetBucketAcl", 80, true, false, "s3")
        case .ec2DescribeInstances: ("ec2.amazonaws.com", "DescribeInstances", 500, true, false, "ec2")
        case .ec2DescribeVolumes: ("ec2.amazonaws.com", "DescribeVolumes", 200, true, false, "ec2")
        case .ec2DescribeSecurityGroups: ("ec2.amazonaws.com", "DescribeSecurityGroups", 200, true, false, "ec2")
        case .ec2RunInstances: ("ec2.amazonaws.com", "RunInstances", 20, false, false, "ec2")
        case .ec2CreateVolume: ("ec2.amazonaws.com", "CreateVolume", 20, false, false, "ec2")
        case .iamGetRole: ("iam.amazonaws.com", "GetRole", 200, true, false, "iam")
        case .iamListRoles: ("iam.amazonaws.com", "ListRoles", 100, true, false, "iam")
        case .iamGetUser: ("iam.amazonaws.com", "GetUser", 80, true, false, "iam")
        case .iamListAttachedRolePolicies: ("iam.amazonaws.com", "ListAttachedRolePolicies", 100, true, false, "iam")
        case .stsAssumeRole: ("sts.amazonaws.com", "AssumeRole", 800, true, false, "sts")
        case .stsGetCallerIdentity: ("sts.amazonaws.com", "GetCallerIdentity", 300, true, false, "sts")
        case .lambdaInvoke: ("lambda.amazonaws.com", "Invoke", 500, false, true, "lambda")
        case .lambdaGetFunction: ("lambda.amazonaws.com", "GetFunction20150331v2", 80, true, false, "lambda")
        case .lambdaListFunctions: ("lambda.amazonaws.com", "ListFunctions20150331", 60, true, false, "lambda")
        case .dynamoGetItem: ("dynamodb.amazonaws.com", "GetItem", 400, true, true, "dynamodb")
        case .dynamoPutItem: ("dynamodb.amazonaws.com", "PutItem", 250, false, true, "dynamodb")
        case .dynamoQuery: ("dynamodb.amazonaws.com", "Query", 200, true, true, "dynamodb")
        case .dynamoDescribeTable: ("dynamodb.amazonaws.com", "DescribeTable", 150, true, false, "dynamodb")
        case .secretsGetSecretValue: ("secretsmanager.amazonaws.com", "GetSecretValue", 350, true, false, "secretsmanager")
        case .ssmGetParameter: ("ssm.amazonaws.com", "GetParameter", 300, true, false, "ssm")
        case .ssmGetParameters: ("ssm.amazonaws.com", "GetParameters", 100, true, false, "ssm")
        case .logsCreateLogStream: ("logs.amazonaws.com", "CreateLogStream", 150, false, false, "logs")
        case .logsDescribeLogGroups: ("logs.amazonaws.com", "DescribeLogGroups", 80, true, false, "logs")
        case .monitoringGetMetricData: ("monitoring.amazonaws.com", "GetMetricData", 150, true, false, "monitoring")
        case .cloudtrailLookupEvents: ("cloudtrail.amazonaws.com", "LookupEvents", 30, true, false, "cloudtrail")
        case .cloudtrailDescribeTrails: ("cloudtrail.amazonaws.com", "DescribeTrails", 30, true, false, "cloudtrail")
        case .cloudtrailGetTrailStatus: ("cloudtrail.amazonaws.com", "GetTrailStatus", 20, true, false, "cloudtrail")
        case .cloudtrailPutEventSelectors:
            ("cloudtrail.amazonaws.com", "PutEventSelectors", 3, false, false, "cloudtrail")
        case .signinConsoleLogin: ("signin.amazonaws.com", "ConsoleLogin", 20, false, false, "signin")
        case .eventsPutRule: ("events.amazonaws.com", "PutRule", 10, false, false, "events")
        }
    }

    var isGlobal: Bool {
        switch self {
        case .iamGetRole, .iamListRoles, .iamGetUser, .iamListAttachedRolePolicies, .signinConsoleLogin: true
        default: false
        }
    }

    var isS3: Bool { rawValue <= OtherOp.s3GetBucketAcl.rawValue }
    var isEC2: Bool { rawValue >= OtherOp.ec2DescribeInstances.rawValue && rawValue <= OtherOp.ec2CreateVolume.rawValue }

    /// The S3 data events, by their weights (`dataEventShare`).
    static let s3DataEvents: [OtherOp] = allCases.filter { $0.isS3 && $0.info.data }
    static let s3DataWeights: [Int] = s3DataEvents.map(\.info.weight)

    static func drawS3DataEvent(_ rng: inout RandomSource) -> OtherOp {
        s3DataEvents[rng.weighted(s3DataWeights, total: s3DataWeights.reduce(0, +))]
    }

    static let weights: [Int] = allCases.map(\.info.weight)
    static let totalWeight: Int = weights.reduce(0, +)
}

/// A non-KMS record shape the trail must contain at least once.
enum OtherForm: Equatable {
    case nestedEventSourceLookAlike  // EventBridge PutRule: {"eventSource":"kms.amazonaws.com"} nested
    case selectorsNeutral  // PutEventSelectors that leaves KMS logged
    case excludeKMS  // PutEventSelectors excluding kms.amazonaws.com (scheduled, not in `coverage`)
    case includeKMS  // ... and the later one that turns it back on
    case deepNesting, longUserAgent, unicodeText, numbers
    case operation(OtherOp)

    static let coverage: [OtherForm] = {
        var forms: [OtherForm] = [
            .nestedEventSourceLookAlike, .unicodeText, .selectorsNeutral, .numbers, .deepNesting, .longUserAgent,
        ]
        for op in OtherOp.allCases { forms.append(.operation(op)) }
        return forms
    }()
}

enum OtherEvents {
    /// Writes one non-KMS record of stream `stream`.
    static func write(
        _ w: inout JSONWriter, _ form: OtherForm?, rng: inout RandomSource, world: World, stream: Int,
        eventTime: Int64
    ) {
        let account = world.accounts[world.streams[stream].account]
        let regionIndex = world.streams[stream].region
        let region = world.regions[regionIndex]

        var op: OtherOp
        switch form {
        case .operation(let o)?: op = o
        case .nestedEventSourceLookAlike?: op = .eventsPutRule
        case .selectorsNeutral?, .excludeKMS?, .includeKMS?: op = .cloudtrailPutEventSelectors
        case .deepNesting?: op = .dynamoPutItem
        default: op = OtherOp.allCases[rng.weighted(OtherOp.weights, total: OtherOp.totalWeight)]
        }
        // Global services log in their partition's first region only.
        if op.isGlobal && regionIndex != account.regions[0] && form == nil { op = .stsGetCallerIdentity }
        let info = op.info

        let deep = form == .deepNesting || (form == nil && rng.chance(1, in: 5000))
        let numbers = form == .numbers || (form == nil && rng.chance(1, in: 500))
        let unicode = form == .unicodeText || (form == nil && rng.chance(1, in: 300))
        let longAgent = form == .longUserAgent || (form == nil && rng.chance(1, in: 25_000))
        let failure = form == nil && rng.chance(15, in: 1000)

        var e = Envelope(region: region)
        e.drawCommon(&rng, eventTime: eventTime)
        e.eventSource = info.source
        e.eventName = info.name
        e.readOnly = info.readOnly
        e.dataEvent = info.data
        e.managementEvent = !info.data
        e.tlsHost = info.host
        e.tlsGlobal = op.isGlobal
        e.recipientAccount = account.id
        let principal = e.drawPrincipal(&rng, account: account, unicodeAgent: unicode, longAgent: longAgent)
        if case .principal(let p, _) = e.identity, p.invokedBy != nil { e.tlsHost = nil }
        if op.isS3 { e.s3RequestID = rng.next() | 1 }
        if op == .stsAssumeRole && rng.chance(2, in: 5) {
            let services: [StaticString] = ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com"]
            let service = services[rng.below(services.count)]
            e.identity = .awsService(service)
            e.source = .service(service)
            e.agent = .service(service)
            e.tlsHost = nil
        }
        if op == .signinConsoleLogin {
            e.eventType = "AwsConsoleSignIn"
            e.readOnly = nil
            e.agent = .table(7)
        }

        w.beginObject()
        EnvelopeWriter.writeHead(&w, e)
        if failure {
            w.member("errorCode", op.isEC2 ? "Client.UnauthorizedOperation" : "AccessDenied")
            w.key("errorMessage")
            w.beginString()
            if unicode {
                w.text("Zugriff verweigert – “")
                w.text(principal.arn)
                w.text("” darf diese Aktion nicht ausführen 🚫")
            } else if op.isS3 {
                w.text("Access Denied")
            } else {
                w.text("User: ")
                w.text(principal.arn)
                w.text(" is not authorized to perform: ")
                w.text(info.name)
            }
            w.endString()
        }
        let s = Scope(
            account: account, region: region, principal: principal, failure: failure,
            role: assumableRoles[rng.below(assumableRoles.count)],
            session: sessionNames[rng.below(sessionNames.count)], roleID: randomString(&rng, count: 17, alphabet: upperAlnum))
        w.key("requestParameters")
        writeRequest(&w, op, form, s, deep: deep, numbers: numbers, unicode: unicode, rng: &rng)
        w.key("responseElements")
        writeResponse(&w, op, form, s, eventTime: eventTime, rng: &rng)
        writeAdditional(&w, op, s, rng: &rng)
        EnvelopeWriter.writeIDs(&w, e)
        writeResources(&w, op, s, rng: &rng)
        EnvelopeWriter.writeTail(&w, e)
        w.endObject()
    }

    private struct Scope {
        var account: World.Account
        var region: World.Region
        var principal: World.Principal
        var failure: Bool
        var role: StaticString  // AssumeRole's target
        var session: StaticString
        var roleID: [UInt8]
    }

    private static let assumableRoles: [StaticString] = ["OrdersService", "DataPipelineRole", "ReadOnlyAudit"]
    private static let sessionNames: [StaticString] = ["botocore-session-1759276800", "i-0c2f8a1d9e7b6a5f4", "deploy"]

    private static func arn(_ w: inout JSONWriter, _ s: Scope, _ service: StaticString, global: Bool = false) {
        w.text("arn:")
        w.text(s.region.partition)
        w.text(":")
        w.text(service)
        w.text(":")
        if !global { w.text(s.region.name) }
        w.text(":")
        w.text(s.account.id)
        w.text(":")
    }

    private static func host(_ w: inout JSONWriter, _ s: Scope) {
        w.key("Host")
        w.beginString()
        w.text(s.account.bucket)
        w.text(".s3.")
        w.text(s.region.name)
        w.text(".amazonaws.com")
        w.endString()
    }

    private static func writeRequest(
        _ w: inout JSONWriter, _ op: OtherOp, _ form: OtherForm?, _ s: Scope, deep: Bool, numbers: Bool,
        unicode: Bool, rng: inout RandomSource
    ) {
        switch op {
        case .stsGetCallerIdentity, .lambdaListFunctions, .signinConsoleLogin:
            if !deep && !numbers {
                w.null()
                return
            }
        default: break
        }
        w.beginObject()
        switch op {
        case .s3GetObject, .s3PutObject, .s3HeadObject, .s3DeleteObject:
            w.member("bucketName", s.account.bucket)
            host(&w, s)
            w.key("key")
            w.string(objectKeys[(unicode ? 5 : rng.below(objectKeys.count))])
            if op == .s3PutObject && rng.chance(1, in: 2) {
                // SSE-KMS: a key ARN as data of an S3 call.
                w.member("x-amz-server-side-encryption", "aws:kms")
                w.key("x-amz-server-side-encryption-aws-kms-key-id")
                w.beginString()
                arn(&w, s, "kms")
                w.text("key/")
                var id: [UInt8] = []
                appendUUID(rng.next(), rng.next(), to: &id)
                w.text(id)
                w.endString()
            }
        case .s3ListObjects:
            w.member("bucketName", s.account.bucket)
            host(&w, s)
            w.member("list-type", "2")
            w.member("prefix", ["orders/", "raw/events/", "", "exports/"][rng.below(4)])
            w.member("delimiter", "/")
            w.member("encoding-type", "url")
        case .s3GetBucketLocation, .s3GetBucketAcl:
            w.member("bucketName", s.account.bucket)
            host(&w, s)
            w.member(op == .s3GetBucketAcl ? "acl" : "location", "")
        case .ec2DescribeInstances:
            w.key("instancesSet")
            w.emptyObject()
            w.key("filterSet")
            w.beginObject()
            w.key("items")
            w.beginArray()
            w.beginObject()
            w.member("name", "tag:Name")
            w.key("valueSet")
            w.beginObject()
            w.key("items")
            w.beginArray()
            w.beginObject()
            w.member("value", ["web-*", "batch-*", "bastion"][rng.below(3)])
            w.endObject()
            w.endArray()
            w.endObject()
            w.endObject()
            w.endArray()
            w.endObject()
        case .ec2DescribeVolumes:
            w.key("volumeSet")
            w.emptyObject()
            w.key("filterSet")
            w.emptyObject()
            w.member("maxResults", number: 500)
        case .ec2DescribeSecurityGroups:
            w.key("securityGroupSet")
            w.emptyObject()
            w.key("securityGroupIdSet")
            w.beginObject()
            w.key("items")
            w.beginArray()
            w.beginObject()
            w.key("groupId")
            w.beginString()
            w.text("sg-0")
            w.text(hex: rng.next(), digits: 16)
            w.endString()
            w.endObject()
            w.endArray()
            w.endObject()
            w.key("filterSet")
            w.emptyObject()
        case .ec2RunInstances:
            w.key("instancesSet")
            w.beginObject()
            w.key("items")
            w.beginArray()
            w.beginObject()
            w.key("imageId")
            w.beginString()
            w.text("ami-0")
            w.text(hex: rng.next(), digits: 16)
            w.endString()
            w.member("minCount", number: 1)
            w.member("maxCount", number: 1)
            w.endObject()
            w.endArray()
            w.endObject()
            w.member("instanceType", "m7g.large")
            w.key("blockDeviceMapping")
            w.beginObject()
            w.key("items")
            w.beginArray()
            w.beginObject()
            w.member("deviceName", "/dev/xvda")
            w.key("ebs")
            w.beginObject()
            w.member("volumeSize", number: 20)
            w.member("deleteOnTermination", bool: true)
            w.member("volumeType", "gp3")
            w.member("encrypted", bool: true)
            w.endObject()
            w.endObject()
            w.endArray()
            w.endObject()
            w.key("monitoring")
            w.beginObject()
            w.member("enabled", bool: false)
            w.endObject()
            w.member("disableApiTermination", bool: false)
            w.key("clientToken")
            w.uuid((rng.next(), rng.next()))
        case .ec2CreateVolume:
            w.member("size", number: 100)
            w.key("zone")
            w.beginString()
            w.text(s.region.name)
            w.text("a")
            w.endString()
            w.member("volumeType", "gp3")
            w.member("encrypted", bool: true)
            w.member("kmsKeyId", "alias/aws/ebs")
        case .iamGetRole, .iamListAttachedRolePolicies:
            w.member("roleName", s.principal.userName.isEmpty ? Array("OrdersService".utf8) : s.principal.userName)
        case .iamListRoles:
            w.member("maxItems", number: 100)
        case .iamGetUser:
            w.member("userName", userNames[rng.below(userNames.count)])
        case .stsAssumeRole:
            w.key("roleArn")
            w.beginString()
            arn(&w, s, "iam", global: true)
            w.text("role/")
            w.text(s.role)
            w.endString()
            w.member("roleSessionName", s.session)
            w.member("durationSeconds", number: 3600)
        case .lambdaInvoke, .lambdaGetFunction:
            w.key("functionName")
            w.beginString()
            arn(&w, s, "lambda")
            w.text("function:")
            w.text(["ingest-handler", "thumbnailer", "orders-api"][rng.below(3)])
            w.endString()
            if op == .lambdaInvoke {
                w.member("invocationType", rng.chance(3, in: 4) ? "RequestResponse" : "Event")
            }
        case .dynamoGetItem, .dynamoPutItem, .dynamoQuery, .dynamoDescribeTable:
            w.member("tableName", ["Orders", "Sessions", "Inventory"][rng.below(3)])
            if op == .dynamoGetItem || op == .dynamoPutItem {
                w.key("key")
                w.beginObject()
                w.key("pk")
                w.beginObject()
                w.key("S")
                w.beginString()
                w.text("ORDER#")
                w.text(decimal: rng.int(100_000, 999_999))
                w.endString()
                w.endObject()
                w.endObject()
            }
            if op == .dynamoQuery {
                w.member("keyConditionExpression", "pk = :pk AND begins_with(sk, :prefix)")
                w.member("consistentRead", bool: false)
            }
            if op == .dynamoPutItem && deep {
                w.key("item")
                StressContent.writeDeep(&w, depth: 36, rng: &rng)
            }
        case .secretsGetSecretValue:
            w.key("secretId")
            w.beginString()
            arn(&w, s, "secretsmanager")
            w.text("secret:prod/orders/db-")
            w.text(randomString(&rng, count: 6, alphabet: mixedAlnum))
            w.endString()
        case .ssmGetParameter:
            w.member("name", ["/prod/orders/db-url", "/prod/payments/api-key", "/shared/feature-flags"][rng.below(3)])
            w.member("withDecryption", bool: true)
        case .ssmGetParameters:
            w.key("names")
            w.beginArray()
            w.string("/prod/orders/db-url")
            w.string("/prod/orders/db-user")
            w.endArray()
            w.member("withDecryption", bool: true)
        case .logsCreateLogStream:
            w.member("logGroupName", "/aws/lambda/ingest-handler")
            w.key("logStreamName")
            w.beginString()
            w.text("2026/10/01/[$LATEST]")
            w.text(hex: rng.next(), digits: 16)
            w.text(hex: rng.next(), digits: 16)
            w.endString()
        case .logsDescribeLogGroups:
            w.member("logGroupNamePrefix", "/aws/lambda/")
        case .monitoringGetMetricData:
            w.key("metricDataQueries")
            w.beginArray()
            w.beginObject()
            w.member("id", "m1")
            w.key("metricStat")
            w.beginObject()
            w.key("metric")
            w.beginObject()
            w.member("namespace", "AWS/KMS")
            w.member("metricName", "SecondsUntilKeyMaterialExpiration")
            w.endObject()
            w.member("period", number: 300)
            w.member("stat", "Average")
            w.endObject()
            w.member("returnData", bool: true)
            w.endObject()
            w.endArray()
        case .cloudtrailLookupEvents:
            w.key("lookupAttributes")
            w.beginArray()
            w.beginObject()
            w.member("attributeKey", "EventSource")
            w.member("attributeValue", "kms.amazonaws.com")
            w.endObject()
            w.endArray()
            w.member("maxResults", number: 50)
        case .cloudtrailDescribeTrails:
            w.key("trailNameList")
            w.emptyArray()
            w.member("includeShadowTrails", bool: true)
        case .cloudtrailGetTrailStatus:
            w.key("name")
            trailARN(&w, s)
        case .cloudtrailPutEventSelectors:
            w.member("trailName", s.account.trailName)
            w.key("eventSelectors")
            writeSelectors(&w, form, s)
        case .eventsPutRule:
            w.member("name", "kms-key-deletion-alert")
            w.key("eventPattern")
            w.beginObject()
            w.key("source")
            w.beginArray()
            w.string("aws.kms")
            w.endArray()
            w.key("detail")
            w.beginObject()
            w.member("eventSource", "kms.amazonaws.com")  // a look-alike: this record is events.amazonaws.com
            w.key("eventName")
            w.beginArray()
            w.string("ScheduleKeyDeletion")
            w.string("DisableKey")
            w.endArray()
            w.endObject()
            w.endObject()
            w.member("state", "ENABLED")
        case .stsGetCallerIdentity, .lambdaListFunctions, .signinConsoleLogin:
            break
        }
        if numbers {
            w.key("clientMetrics")
            StressContent.writeNumbers(&w, rng: &rng)
        }
        if deep && op != .dynamoPutItem {
            w.key("filterTree")
            StressContent.writeDeep(&w, depth: 36, rng: &rng)
        }
        w.endObject()
    }

    private static func trailARN(_ w: inout JSONWriter, _ s: Scope) {
        w.beginString()
        arn(&w, s, "cloudtrail")
        w.text("trail/")
        w.text(s.account.trailName)
        w.endString()
    }

    private static func writeSelectors(_ w: inout JSONWriter, _ form: OtherForm?, _ s: Scope) {
        w.beginArray()
        w.beginObject()
        w.member("readWriteType", "All")
        w.member("includeManagementEvents", bool: true)
        w.key("dataResources")
        w.beginArray()
        w.beginObject()
        w.member("type", "AWS::S3::Object")
        w.key("values")
        w.beginArray()
        w.beginString()
        w.text("arn:")
        w.text(s.region.partition)
        w.text(":s3:::")
        w.text(s.account.bucket)
        w.text("/")
        w.endString()
        w.endArray()
        w.endObject()
        w.endArray()
        w.key("excludeManagementEventSources")
        w.beginArray()
        switch form {
        case .excludeKMS?: w.string("kms.amazonaws.com")
        case .includeKMS?: break
        default: w.string("rdsdata.amazonaws.com")
        }
        w.endArray()
        w.endObject()
        w.endArray()
    }

    private static func writeResponse(
        _ w: inout JSONWriter, _ op: OtherOp, _ form: OtherForm?, _ s: Scope, eventTime: Int64,
        rng: inout RandomSource
    ) {
        if s.failure {
            w.null()
            return
        }
        switch op {
        case .s3PutObject:
            w.beginObject()
            w.member("x-amz-server-side-encryption", "aws:kms")
            w.key("x-amz-version-id")
            w.string(randomString(&rng, count: 32, alphabet: mixedAlnum))
            w.endObject()
        case .stsAssumeRole:
            w.beginObject()
            w.key("credentials")
            w.beginObject()
            w.member("accessKeyId", Array("ASIA".utf8) + randomString(&rng, count: 16, alphabet: upperAlnum))
            w.key("sessionToken")
            w.string(Array("IQoJb3JpZ2luX2VjE".utf8) + randomString(&rng, count: 300, alphabet: base64Alphabet))
            w.key("expiration")
            w.javaTimestamp(eventTime + 3600)
            w.endObject()
            w.key("assumedRoleUser")
            w.beginObject()
            w.key("assumedRoleId")
            w.beginString()
            w.text("AROA")
            w.text(s.roleID)
            w.text(":")
            w.text(s.session)
            w.endString()
            w.key("arn")
            w.beginString()
            arn(&w, s, "sts", global: true)
            w.text("assumed-role/")
            w.text(s.role)
            w.text("/")
            w.text(s.session)
            w.endString()
            w.endObject()
            w.endObject()
        case .ec2CreateVolume:
            w.beginObject()
            w.key("requestId")
            w.uuid((rng.next(), rng.next()))
            w.key("volumeId")
            w.beginString()
            w.text("vol-0")
            w.text(hex: rng.next(), digits: 16)
            w.endString()
            w.member("size", "100")
            w.member("status", "creating")
            w.member("createTime", number: Int(eventTime) * 1000)
            w.member("volumeType", "gp3")
            w.member("iops", number: 3000)
            w.member("encrypted", bool: true)
            w.endObject()
        case .ec2RunInstances:
            w.beginObject()
            w.key("requestId")
            w.uuid((rng.next(), rng.next()))
            w.key("reservationId")
            w.beginString()
            w.text("r-0")
            w.text(hex: rng.next(), digits: 16)
            w.endString()
            w.member("ownerId", s.account.id)
            w.key("groupSet")
            w.emptyObject()
            w.key("instancesSet")
            w.beginObject()
            w.key("items")
            w.beginArray()
            w.beginObject()
            w.key("instanceId")
            w.beginString()
            w.text("i-0")
            w.text(hex: rng.next(), digits: 16)
            w.endString()
            w.key("instanceState")
            w.beginObject()
            w.member("code", number: 0)
            w.member("name", "pending")
            w.endObject()
            w.member("amiLaunchIndex", number: 0)
            w.endObject()
            w.endArray()
            w.endObject()
            w.endObject()
        case .cloudtrailPutEventSelectors:
            w.beginObject()
            w.key("trailARN")
            trailARN(&w, s)
            w.key("eventSelectors")
            writeSelectors(&w, form, s)
            w.endObject()
        case .signinConsoleLogin:
            w.beginObject()
            w.member("ConsoleLogin", "Success")
            w.endObject()
        case .eventsPutRule:
            w.beginObject()
            w.key("ruleArn")
            w.beginString()
            arn(&w, s, "events")
            w.text("rule/kms-key-deletion-alert")
            w.endString()
            w.endObject()
        default:
            w.null()
        }
    }

    private static func writeAdditional(_ w: inout JSONWriter, _ op: OtherOp, _ s: Scope, rng: inout RandomSource) {
        switch op {
        case _ where op.isS3:
            w.key("additionalEventData")
            w.beginObject()
            w.member("SignatureVersion", "SigV4")
            w.member("CipherSuite", "TLS_AES_128_GCM_SHA256")
            w.member("bytesTransferredIn", number: op == .s3PutObject ? rng.int(1, 8_000_000) : 0)
            if op == .s3GetObject || op == .s3PutObject { w.member("SSEApplied", "SSE_KMS") }
            w.member("AuthenticationMethod", "AuthHeader")
            w.key("x-amz-id-2")
            w.string(randomString(&rng, count: 76, alphabet: base64Alphabet))
            w.member("bytesTransferredOut", number: op == .s3GetObject ? rng.int(100, 50_000_000) : 0)
            w.endObject()
        case .signinConsoleLogin:
            w.key("additionalEventData")
            w.beginObject()
            w.member("LoginTo", "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true")
            w.member("MobileVersion", "No")
            w.member("MFAUsed", s.principal.mfa ? "Yes" : "No")
            w.endObject()
        default:
            break
        }
    }

    private static func writeResources(_ w: inout JSONWriter, _ op: OtherOp, _ s: Scope, rng: inout RandomSource) {
        switch op {
        case .s3GetObject, .s3PutObject, .s3HeadObject, .s3DeleteObject, .s3ListObjects, .s3GetBucketLocation,
            .s3GetBucketAcl:
            w.key("resources")
            w.beginArray()
            if op.info.data && op != .s3ListObjects {
                w.beginObject()
                w.member("type", "AWS::S3::Object")
                w.key("ARN")
                w.beginString()
                w.text("arn:")
                w.text(s.region.partition)
                w.text(":s3:::")
                w.text(s.account.bucket)
                w.text("/")
                w.text(objectKeys[rng.below(objectKeys.count)])
                w.endString()
                w.endObject()
            }
            w.beginObject()
            w.member("accountId", s.account.id)
            w.member("type", "AWS::S3::Bucket")
            w.key("ARN")
            w.beginString()
            w.text("arn:")
            w.text(s.region.partition)
            w.text(":s3:::")
            w.text(s.account.bucket)
            w.endString()
            w.endObject()
            w.endArray()
        case .lambdaInvoke, .dynamoGetItem, .dynamoPutItem, .dynamoQuery, .stsAssumeRole:
            w.key("resources")
            w.beginArray()
            w.beginObject()
            w.member("accountId", s.account.id)
            switch op {
            case .lambdaInvoke:
                w.member("type", "AWS::Lambda::Function")
                w.key("ARN")
                w.beginString()
                arn(&w, s, "lambda")
                w.text("function:ingest-handler")
                w.endString()
            case .stsAssumeRole:
                w.member("type", "AWS::IAM::Role")
                w.key("ARN")
                w.beginString()
                arn(&w, s, "iam", global: true)
                w.text("role/")
                w.text(s.role)
                w.endString()
            default:
                w.member("type", "AWS::DynamoDB::Table")
                w.key("ARN")
                w.beginString()
                arn(&w, s, "dynamodb")
                w.text("table/Orders")
                w.endString()
            }
            w.endObject()
            w.endArray()
        default:
            break
        }
    }
}

let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
