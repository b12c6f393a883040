// The fixed cast of a synthetic trail: accounts (some in an organization,
// one in aws-cn, one in aws-us-gov), their regions, KMS keys and aliases,
// and the principals that call AWS. Built once per generator from the seed.

/// Everything that stays the same for the whole trail.
struct World {
    struct Region {
        var name: [UInt8]
        var partition: [UInt8]
    }

    struct Key {
        var id: [UInt8]  // UUID or mrk-<32 hex>
        var arn: [UInt8]
        var alias: [UInt8]  // alias/<name>
        var aliasARN: [UInt8]
        var multiRegion: Bool
        var spec: KeySpec
        var awsManaged: Bool  // alias/aws/...: no management calls on it
    }

    enum KeySpec { case symmetric, rsaSign, hmac }

    enum PrincipalKind { case iamUser, assumedRole, root, federatedUser }

    struct Principal {
        var kind: PrincipalKind
        var principalId: [UInt8]
        var arn: [UInt8]
        var accessKeyId: [UInt8]
        var userName: [UInt8]  // IAM user / issuer role name / federated name
        var issuerArn: [UInt8]  // role ARN (assumed roles), user ARN (federated)
        var issuerPrincipalId: [UInt8]
        var mfa: Bool
        var invokedBy: StaticString?  // a service acting with this principal's credentials
        var userAgent: Int  // index into `userAgents`
        var sourceIP: UInt32  // 0: the `invokedBy` service name is the source
    }

    struct Account {
        var id: [UInt8]
        var partition: [UInt8]
        var inOrganization: Bool
        var regions: [Int]
        var homeRegion: Int
        var trailName: [UInt8]
        var principals: [Principal]
        var bucket: [UInt8]  // an application bucket (S3 data events)
    }

    var regions: [Region] = []
    var accounts: [Account] = []
    /// The log streams of the trail: one per (account, region), with a
    /// relative activity weight.
    var streams: [(account: Int, region: Int, weight: Int)] = []
    var streamWeightTotal = 0
    var organizationID: [UInt8] = []
    /// KMS keys per stream (same index as `streams`).
    var keys: [[Key]] = []
    /// The account whose trail excludes KMS events for a while.
    var excludingAccount = 2

    init(rng: inout RandomSource) {
        let regionTable: [(String, String)] = [
            ("us-east-1", "aws"), ("us-east-2", "aws"), ("us-west-2", "aws"), ("eu-west-1", "aws"),
            ("eu-central-1", "aws"), ("ap-northeast-1", "aws"), ("ap-southeast-2", "aws"),
            ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"), ("us-gov-east-1", "aws-us-gov"),
        ]
        regions = regionTable.map { Region(name: Array($0.0.utf8), partition: Array($0.1.utf8)) }

        organizationID = Array("o-".utf8) + randomString(&rng, count: 10, alphabet: lowerAlnum)

        // id, partition, organization trail?, regions (first = home), activity
        let accountTable: [(String, Bool, [Int], Int)] = [
            ("111122223333", false, [0, 2, 3], 10),  // production
            ("444455556666", true, [0, 1, 2], 6),  // shared services
            ("777788889999", true, [0, 3], 3),  // development
            ("123456789012", true, [0, 4, 3], 5),  // data lake
            ("210987654321", false, [0, 2], 2),  // security tooling
            ("333344445555", true, [5, 0, 6], 2),  // sandbox, Tokyo
            ("555566667777", false, [7, 8], 2),  // China (aws-cn)
            ("888899990000", false, [9, 10], 2),  // GovCloud (aws-us-gov)
            ("999900001111", true, [0, 4], 3),  // analytics
        ]
        for (index, entry) in accountTable.enumerated() {
            let partition = regions[entry.2[0]].partition
            var account = Account(
                id: Array(entry.0.utf8), partition: partition, inOrganization: entry.1,
                regions: entry.2, homeRegion: entry.2[0],
                trailName: Array((entry.1 ? "organization-trail" : "management-events").utf8),
                principals: [], bucket: [])
            account.bucket = Array(bucketNames[index % bucketNames.count].utf8) + Array("-".utf8) + account.id
            account.principals = World.makePrincipals(account: account, rng: &rng)
            accounts.append(account)
            for (k, region) in entry.2.enumerated() {
                let weight = entry.3 * (k == 0 ? 4 : 2)
                streams.append((account: index, region: region, weight: weight))
            }
        }
        streamWeightTotal = streams.reduce(0) { $0 + $1.weight }

        // Keys: a few multi-region keys per account (same mrk id in each of
        // its regions) plus single-region keys, AWS managed ones included.
        keys = streams.map { _ in [] }
        var multiRegion: [[[UInt8]]] = accounts.map { _ in [] }
        for a in accounts.indices {
            multiRegion[a] = (0..<rng.int(1, 2)).map { _ in
                Array("mrk-".utf8) + randomString(&rng, count: 32, alphabet: lowerHex)
            }
        }
        for s in streams.indices {
            let account = accounts[streams[s].account]
            let region = regions[streams[s].region]
            var list: [Key] = []
            let count = rng.int(7, 12)
            for k in 0..<count {
                let id: [UInt8]
                // Keys 1 and 2 of every region are the account's multi-region
                // keys (the same mrk- id in each region), when it has them.
                let isMRK = k >= 1 && k <= multiRegion[streams[s].account].count
                if isMRK {
                    id = multiRegion[streams[s].account][k - 1]
                } else {
                    id = randomUUID(&rng)
                }
                let aliasName: [UInt8]
                let awsManaged = k >= 3 && k - 3 < managedAliases.count && k < count - 2
                if awsManaged {
                    aliasName = Array(managedAliases[k - 3].utf8)
                } else {
                    aliasName = Array("alias/".utf8) + Array(appNames[rng.below(appNames.count)].utf8)
                        + Array("-".utf8) + Array(envNames[rng.below(envNames.count)].utf8)
                        + Array("-".utf8) + Array(String(k).utf8)
                }
                let spec: KeySpec = k == count - 1 ? .rsaSign : (k == count - 2 ? .hmac : .symmetric)
                let prefix = Array("arn:".utf8) + region.partition + Array(":kms:".utf8) + region.name
                    + Array(":".utf8) + account.id + Array(":".utf8)
                list.append(
                    Key(
                        id: id, arn: prefix + Array("key/".utf8) + id, alias: aliasName,
                        aliasARN: prefix + aliasName, multiRegion: isMRK, spec: spec, awsManaged: awsManaged))
            }
            keys[s] = list
        }
    }

    /// The stream of `account` in `region`, if the account logs there.
    func stream(account: Int, region: Int) -> Int? {
        streams.firstIndex { $0.account == account && $0.region == region }
    }

    /// Accounts other than `account` with a stream in `region` (same
    /// partition by construction): possible key owners of a cross-account call.
    func peers(of account: Int, region: Int) -> [Int] {
        streams.compactMap { $0.region == region && $0.account != account ? $0.account : nil }
    }

    // MARK: - Construction helpers

    private static func makePrincipals(account: Account, rng: inout RandomSource) -> [Principal] {
        let iam = Array("arn:".utf8) + account.partition + Array(":iam::".utf8) + account.id
        let sts = Array("arn:".utf8) + account.partition + Array(":sts::".utf8) + account.id
        var result: [Principal] = []

        // Assumed roles: services running in the account (the bulk of traffic).
        let roles: [(String, StaticString?, Int)] = [
            ("OrdersService", nil, 3), ("payments-api-task", "ecs-tasks.amazonaws.com", 4),
            ("ingest-lambda-role", "lambda.amazonaws.com", 5), ("DataPipelineRole", nil, 3),
            ("AWSReservedSSO_AdministratorAccess_5f1c2e9a8b7d6c4e", nil, 0),
            ("github-actions-deploy", nil, 6), ("eks-node-group-role", "ec2.amazonaws.com", 7),
            ("backup-operator", "backup.amazonaws.com", 8),
        ]
        for (name, invokedBy, ua) in roles {
            let roleID = Array("AROA".utf8) + randomString(&rng, count: 17, alphabet: upperAlnum)
            let session: [UInt8]
            switch rng.below(3) {
            case 0: session = Array("i-0".utf8) + randomString(&rng, count: 16, alphabet: lowerHex)
            case 1: session = Array("botocore-session-17".utf8) + randomString(&rng, count: 8, alphabet: digits)
            default: session = Array(userNames[rng.below(userNames.count)].utf8)
            }
            let issuer = iam + Array(":role/".utf8) + Array(name.utf8)
            result.append(
                Principal(
                    kind: .assumedRole, principalId: roleID + Array(":".utf8) + session,
                    arn: sts + Array(":assumed-role/".utf8) + Array(name.utf8) + Array("/".utf8) + session,
                    accessKeyId: Array("ASIA".utf8) + randomString(&rng, count: 16, alphabet: upperAlnum),
                    userName: Array(name.utf8), issuerArn: issuer, issuerPrincipalId: roleID,
                    mfa: name.hasPrefix("AWSReservedSSO"), invokedBy: invokedBy, userAgent: ua,
                    sourceIP: invokedBy == nil ? randomIP(&rng) : 0))
        }
        // IAM users, the root user and a federated user.
        for name in ["alice", "bob", "ci-deployer", "legacy-batch"] {
            let id = Array("AIDA".utf8) + randomString(&rng, count: 17, alphabet: upperAlnum)
            result.append(
                Principal(
                    kind: .iamUser, principalId: id, arn: iam + Array(":user/".utf8) + Array(name.utf8),
                    accessKeyId: Array("AKIA".utf8) + randomString(&rng, count: 16, alphabet: upperAlnum),
                    userName: Array(name.utf8), issuerArn: [], issuerPrincipalId: [], mfa: name.count == 5,
                    invokedBy: nil, userAgent: rng.below(4), sourceIP: randomIP(&rng)))
        }
        result.append(
            Principal(
                kind: .root, principalId: account.id, arn: iam + Array(":root".utf8),
                accessKeyId: Array("ASIA".utf8) + randomString(&rng, count: 16, alphabet: upperAlnum),
                userName: [], issuerArn: [], issuerPrincipalId: [], mfa: true, invokedBy: nil,
                userAgent: 9, sourceIP: randomIP(&rng)))
        let federatedName = Array("carol@example.com".utf8)
        let issuerID = Array("AIDA".utf8) + randomString(&rng, count: 17, alphabet: upperAlnum)
        result.append(
            Principal(
                kind: .federatedUser, principalId: account.id + Array(":".utf8) + federatedName,
                arn: sts + Array(":federated-user/".utf8) + federatedName,
                accessKeyId: Array("ASIA".utf8) + randomString(&rng, count: 16, alphabet: upperAlnum),
                userName: federatedName, issuerArn: iam + Array(":user/federation-broker".utf8),
                issuerPrincipalId: issuerID, mfa: false, invokedBy: nil, userAgent: 1,
                sourceIP: randomIP(&rng)))
        return result
    }
}

// MARK: - Vocabulary

let userAgents: [StaticString] = [
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/kms.decrypt",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
    "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/kms#1.30.0",
    "aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213 lang/js md/nodejs#20.12.0 api/kms#3.540.0",
    "aws-internal/3 aws-sdk-java/1.12.681 Linux/5.10.213-180.872.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard",
    "aws-sdk-go/1.51.6 (go1.22.1; linux; amd64) exec-env/AWS_ECS_FARGATE",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "aws-sdk-java/1.12.565 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/11.0.22+7-LTS java/11.0.22 kotlin/1.8.22 vendor/Amazon.com_Inc. exec-env/AWS_Backup",
    "signin.amazonaws.com",
    "AWS Internal",
    "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.198-164.779.amzn2int.x86_64]",
    "console.amazonaws.com",
]

/// Free-text user agents with non-ASCII text (BMP and astral characters).
let unicodeUserAgents: [String] = [
    "Überwachung-Client/2.1 (Linux; de_DE) aws-sdk-python/1.34 “Prüfung” ✓",
    "数据同步工具/3.2 aws-sdk-go-v2/1.26.0 (linux; 北京)",
    "rapport-mensuel/1.0 (élève; café) aws-cli/2.15.30 🚀 build/𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "CloudSync/5.0 (日本語; テスト) 😀 aws-sdk-js/3.540.0",
]

private let bucketNames = ["orders-data", "invoices", "media-assets", "datalake-raw", "audit-archive", "ml-features"]
private let appNames = ["orders", "payments", "catalog", "datalake", "backup", "secrets", "ebs-default", "logs"]
private let envNames = ["prod", "staging", "dev"]
/// AWS managed keys: keys 3, 4, ... of every region (never multi-region,
/// never asymmetric).
private let managedAliases = ["alias/aws/s3", "alias/aws/ebs", "alias/aws/rds", "alias/aws/secretsmanager", "alias/aws/lambda"]
let userNames = ["alice", "bob", "dana", "erik", "farah", "gustavo", "hiro", "ines", "jamal", "kim"]

let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
let upperAlnum: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
let lowerAlnum: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
let mixedAlnum: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
let digits: [UInt8] = Array("0123456789".utf8)

func randomString(_ rng: inout RandomSource, count: Int, alphabet: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    for _ in 0..<count { out.append(alphabet[rng.below(alphabet.count)]) }
    return out
}

/// A random version-4 UUID in lowercase, `8-4-4-4-12`.
func randomUUID(_ rng: inout RandomSource) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(36)
    appendUUID(rng.next(), rng.next(), to: &out)
    return out
}

/// Appends the UUID of two random words (version and variant bits set).
func appendUUID(_ high: UInt64, _ low: UInt64, to out: inout [UInt8]) {
    let h = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000  // version 4
    let l = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
    func hex(_ value: UInt64, _ from: Int, _ count: Int, _ out: inout [UInt8]) {
        var shift = 60 - from * 4
        for _ in 0..<count {
            out.append(lowerHex[Int(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF)])  // 0...15
            shift -= 4
        }
    }
    hex(h, 0, 8, &out)
    out.append(UInt8(ascii: "-"))
    hex(h, 8, 4, &out)
    out.append(UInt8(ascii: "-"))
    hex(h, 12, 4, &out)
    out.append(UInt8(ascii: "-"))
    hex(l, 0, 4, &out)
    out.append(UInt8(ascii: "-"))
    hex(l, 4, 12, &out)
}

/// A public-looking IPv4 address as a 32-bit value (never 0).
func randomIP(_ rng: inout RandomSource) -> UInt32 {
    let first = UInt32([3, 18, 34, 52, 54, 63, 98, 100, 136, 185, 198, 203][rng.below(12)])
    return (first << 24) | UInt32(truncatingIfNeeded: rng.below(1 << 24) | 1)  // < 2^24
}
