// What the active report needs from each record: which records count, which
// dimensions a row is keyed by, and which rare facts (alias changes, shared
// cross-account copies) are collected. The default plan extracts nothing the
// engine's key/event counts do not need in the per-record path; every other
// field is looked at only when a plan asks for it. The rules: docs/audit.md.

/// A grouping dimension of `--by`.
public enum GroupingDimension: String, CaseIterable, Sendable {
    case key, event, principal
    case identityType = "identity-type"
    case callerAccount = "caller-account"
    case ownerAccount = "owner-account"
    case region
    case errorCode = "error-code"
    case day
    /// The service that made the call on the principal's behalf
    /// (`userIdentity.invokedBy`).
    case via
    /// The role whose sessions made the call
    /// (`userIdentity.sessionContext.sessionIssuer.arn`).
    case role
    /// The resource the call's encryption context names (docs/audit.md).
    case resource
    /// The AWS service that owns that resource (`s3`, `ebs`, `dynamodb`...).
    case resourceService = "resource-service"

    /// The CSV column name.
    public var column: String {
        switch self {
        case .key: "key"
        case .event: "event_name"
        case .principal: "principal"
        case .identityType: "identity_type"
        case .callerAccount: "caller_account"
        case .ownerAccount: "owner_account"
        case .region: "region"
        case .errorCode: "error_code"
        case .day: "day"
        case .via: "via"
        case .role: "role"
        case .resource: "resource"
        case .resourceService: "resource_service"
        }
    }

    /// The JSON member name.
    public var jsonName: String {
        switch self {
        case .key: "key"
        case .event: "eventName"
        case .principal: "principal"
        case .identityType: "identityType"
        case .callerAccount: "callerAccount"
        case .ownerAccount: "ownerAccount"
        case .region: "region"
        case .errorCode: "errorCode"
        case .day: "day"
        case .via: "via"
        case .role: "role"
        case .resource: "resource"
        case .resourceService: "resourceService"
        }
    }

    /// The engine's grouping, whose CSV is the docs/counting.md contract.
    public static let defaultGrouping: [GroupingDimension] = [.key, .event]
}

/// Record-level filters (docs/audit.md). Empty lists admit everything.
public struct RecordFilter: Sendable, Equatable {
    /// `eventTime` ≥ since and < until (Unix seconds).
    public var since: Int64?
    public var until: Int64?
    /// `recipientAccountId` (else `userIdentity.accountId`).
    public var accounts: [String] = []
    public var regions: [String] = []
    public var eventNames: [String] = []
    public var principals: [String] = []
    public var errorsOnly = false
    /// `readOnly` must be this literal.
    public var readOnly: Bool?

    public init() {}

    /// True when no record-level filter is set.
    public var isEmpty: Bool {
        since == nil && until == nil && accounts.isEmpty && regions.isEmpty && eventNames.isEmpty
            && principals.isEmpty && !errorsOnly && readOnly == nil
    }
}

/// Filters on a record's keys, applied after alias resolution.
public struct KeyFilter: Sendable, Equatable {
    /// Key ARNs, key ids, alias names or alias ARNs.
    public var keys: [String] = []
    /// Only keys whose owner account differs from the caller account.
    public var crossAccountOnly = false

    public init() {}

    public var isEmpty: Bool { keys.isEmpty && !crossAccountOnly }
}

/// Everything a scan extracts and how it counts.
public struct ScanPlan: Sendable, Equatable {
    /// The event source whose records are counted.
    public var source = "kms.amazonaws.com"
    /// The dimensions rows are kept by, beyond key and event (which are
    /// always kept: alias resolution, deduplication and the key filters
    /// work per key).
    public var dimensions: Set<GroupingDimension> = []
    /// Track each row's first and last `eventTime`.
    public var tracksTimes = false
    public var filter = RecordFilter()
    public var keyFilter = KeyFilter()
    /// Attribute calls that name an alias to the key it pointed to.
    public var resolvesAliases = true
    /// Fold the two copies of a cross-account call into one.
    public var foldsDuplicates = true
    /// Keep the lifecycle calls (key deletion scheduled or cancelled, keys
    /// deleted, disabled, enabled, policy changes) for `--report lifecycle`.
    /// Rare records, but each is kept with its strings until the end of the
    /// scan, so only when that report is asked for.
    public var collectsLifecycle = false
    /// How much of each document is validated (`--validate`): `.used`
    /// skips the records this plan does not need structurally (see
    /// `needsRecord`), `.full` validates every byte. The answer is the
    /// same on every valid document.
    public var validation = ValidationMode.used

    public init() {}

    /// The engine's plan: docs/counting.md counts, nothing else.
    public static let engine: ScanPlan = {
        var plan = ScanPlan()
        plan.resolvesAliases = false
        plan.foldsDuplicates = false
        return plan
    }()

    /// This plan with `validation` set to `mode`.
    public func validating(_ mode: ValidationMode) -> ScanPlan {
        var plan = self
        plan.validation = mode
        return plan
    }

    /// True when the source is KMS (keys are attributed).
    public var countsKMS: Bool { source == "kms.amazonaws.com" }

    /// True when the per-record path must parse `eventTime`.
    var needsTime: Bool {
        tracksTimes || filter.since != nil || filter.until != nil || dimensions.contains(.day)
    }
}
