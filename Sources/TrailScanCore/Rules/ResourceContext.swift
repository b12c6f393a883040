// Which encryption-context member names the resource a KMS call protects
// (`--by resource`, docs/audit.md "Resources"). AWS services that call KMS
// on a caller's behalf put the resource in the encryption context, which
// CloudTrail logs in `requestParameters.encryptionContext` ("Encryption
// context", AWS KMS Developer Guide:
// https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html,
// and each service's "how <service> uses AWS KMS" page).

enum ResourceContext {
    /// The context keys, most specific first: when a context holds several,
    /// the first of this list names the resource.
    static let keys: [StaticString] = [
        "aws:s3:arn",  // S3 SSE-KMS: the object, or the bucket with S3 Bucket Keys
        "aws:dynamodb:tableName",  // DynamoDB
        "SecretARN",  // Secrets Manager
        "PARAMETER_ARN",  // Systems Manager Parameter Store
        "aws:lambda:FunctionArn",  // Lambda environment variables
        "aws:ebs:id",  // EBS volumes and snapshots
        "aws:rds:db-id",  // RDS
        "aws:logs:arn",  // CloudWatch Logs
        "aws:sqs:arn",  // SQS
        "aws:sns:topicArn",  // SNS
        "aws:cloudtrail:arn",  // CloudTrail log files
        "aws:elasticfilesystem:filesystem:id",  // EFS
    ]

    /// The position of `name` in `keys`, nil when it is not one of them.
    static func rank(of name: UnsafeRawBufferPointer) -> Int? {
        keys.firstIndex { key in
            key.utf8CodeUnitCount == name.count
                && name.elementsEqual(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        }
    }

    /// The service that owns a resource as `--by resource` shows it: an
    /// ARN's service field (`arn:aws:s3:::b/k` → `s3`), or for `name=value`
    /// the service of a context key `aws:SERVICE:...` (`aws:ebs:id=vol-1` →
    /// `ebs`), `SecretARN=` → `secretsmanager`, `PARAMETER_ARN=` → `ssm`;
    /// empty otherwise.
    static func service(ofResource resource: String) -> String {
        let fields = resource.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        if resource.hasPrefix("arn:"), fields.count >= 3 { return String(fields[2]) }
        if resource.hasPrefix("aws:"), fields.count >= 3, !fields[1].contains("=") { return String(fields[1]) }
        if resource.hasPrefix("SecretARN=") { return "secretsmanager" }
        if resource.hasPrefix("PARAMETER_ARN=") { return "ssm" }
        return ""
    }

    /// True when `value` starts with `arn:`.
    static func isARN(_ value: UnsafeRawBufferPointer) -> Bool {
        value.count >= 4 && value[0] == UInt8(ascii: "a") && value[1] == UInt8(ascii: "r") && value[2] == UInt8(ascii: "n")
            && value[3] == UInt8(ascii: ":")
    }
}
