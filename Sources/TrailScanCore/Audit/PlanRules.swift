// A ScanPlan flattened into what the per-record path tests: booleans and
// byte arrays, computed once per worker.

struct PlanRules {
    let countsKMS: Bool
    let source: [UInt8]
    let needsTime: Bool
    let tracksTimes: Bool
    let collectsLifecycle: Bool
    /// Alias → key mappings are learnt from calls (`AliasObservation`):
    /// KMS counts whose aliases are resolved or that `--key` filters by
    /// alias. Off in the raw mode, which needs none.
    let learnsAliases: Bool
    /// `ValidationMode.used`: records the plan does not need are skimmed.
    let skimsRecords: Bool
    /// Any record-level filter is set.
    let filters: Bool
    /// Any slot beyond key and event is grouped by.
    let extraSlots: Bool
    let principalSlot: Bool
    let identityTypeSlot: Bool
    let callerAccountSlot: Bool
    let regionSlot: Bool
    let errorCodeSlot: Bool
    let daySlot: Bool
    let viaSlot: Bool
    let roleSlot: Bool
    let resourceSlot: Bool
    let accounts: [[UInt8]]
    let regions: [[UInt8]]
    let eventNames: [[UInt8]]
    let principals: [[UInt8]]

    init(_ plan: ScanPlan) {
        countsKMS = plan.countsKMS
        source = Array(plan.source.utf8)
        needsTime = plan.needsTime
        tracksTimes = plan.tracksTimes
        collectsLifecycle = plan.collectsLifecycle
        learnsAliases =
            plan.countsKMS
            && (plan.resolvesAliases || plan.keyFilter.keys.contains { $0.hasPrefix("alias/") || AuditResolver.isAliasARN($0) })
        skimsRecords = plan.validation == .used
        filters = !plan.filter.isEmpty
        let dimensions = plan.dimensions
        principalSlot = dimensions.contains(.principal)
        identityTypeSlot = dimensions.contains(.identityType)
        // The cross-account filter compares the caller account with the key's.
        callerAccountSlot = dimensions.contains(.callerAccount) || plan.keyFilter.crossAccountOnly
        regionSlot = dimensions.contains(.region)
        errorCodeSlot = dimensions.contains(.errorCode)
        daySlot = dimensions.contains(.day)
        viaSlot = dimensions.contains(.via)
        roleSlot = dimensions.contains(.role)
        resourceSlot = dimensions.contains(.resource) || dimensions.contains(.resourceService)
        extraSlots = principalSlot || identityTypeSlot || callerAccountSlot || regionSlot || errorCodeSlot || daySlot
            || viaSlot || roleSlot || resourceSlot
        accounts = plan.filter.accounts.map { Array($0.utf8) }
        regions = plan.filter.regions.map { Array($0.utf8) }
        eventNames = plan.filter.eventNames.map { Array($0.utf8) }
        principals = plan.filter.principals.map { Array($0.utf8) }
        principalMatcher = PrincipalMatcher(plan.filter.principals)
    }

    let principalMatcher: PrincipalMatcher

    static func contains(_ list: [[UInt8]], _ value: UnsafeRawBufferPointer) -> Bool {
        list.contains { TallyState.equals(value, $0) }
    }
}

extension TallyState {
    /// True when `count` reads more than the eventSource of a record whose
    /// eventSource is `source`: KMS records (keys, alias changes), CloudTrail
    /// records (PutEventSelectors) and the plan's own source. `count` gives
    /// any other record only `records += 1`, so `--validate used` may skip
    /// its other members unread. Keep in step with `count`.
    func needsRecord(source: ByteSlice, _ bytes: JSONBytes) -> Bool {
        let value = view(source, bytes, valueScratch)
        return Self.equals(value, "kms.amazonaws.com") || Self.equals(value, "cloudtrail.amazonaws.com")
            || (!rules.countsKMS && Self.equals(value, rules.source))
    }

    /// True when `count` may read more of a record with this eventSource
    /// than the fields the scanner extracts: CloudTrail records, whose
    /// `requestParameters` (PutEventSelectors) is parsed again whole, so
    /// `--validate used` validates them in full. Other needed records have
    /// their unread values skimmed.
    func readsWholeRecord(source: ByteSlice, _ bytes: JSONBytes) -> Bool {
        Self.equals(view(source, bytes, valueScratch), "cloudtrail.amazonaws.com")
    }
}

extension TallyState {
    /// True when `count` parses the record's `requestParameters` whole
    /// beyond the fields the scanner extracts: a KMS lifecycle call under
    /// the lifecycle report (its detail and flags, LifecycleDetail), so
    /// `--validate used` validates it in full, like a CloudTrail record.
    func readsLifecycleDetail(_ fields: RecordFields, _ bytes: JSONBytes) -> Bool {
        guard fields.eventSource.isPresent, fields.eventName.isPresent,
            Self.equals(view(fields.eventSource, bytes, valueScratch), "kms.amazonaws.com")
        else { return false }
        return LifecycleEvents.matches(view(fields.eventName, bytes, valueScratch))
    }
}

/// Event names the audit rules single out.
enum AuditEventNames {
    /// Cryptographic operations on a key (a key that has none is idle):
    /// the AWS KMS Developer Guide's list of cryptographic operations,
    /// less GenerateRandom, which takes no key.
    public static let cryptographic: Set<String> = [
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify", "GenerateMac", "VerifyMac",
        "DeriveSharedSecret",
    ]
}

enum LifecycleEvents {
    /// True when the (decoded) event name is a call that changes a key's
    /// life, material, rotation, aliases, grants, regions or policy
    /// (docs/audit.md, "Lifecycle"). Runs for every counted KMS record when
    /// the lifecycle report is asked for, so it compares bytes (no String)
    /// after a length test.
    static func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        switch text.count {
        case 9:
            return TallyState.equals(text, "EnableKey") || TallyState.equals(text, "DeleteKey")
                || TallyState.equals(text, "CreateKey")
        case 10: return TallyState.equals(text, "DisableKey")
        case 11:
            return TallyState.equals(text, "CreateGrant") || TallyState.equals(text, "RetireGrant")
                || TallyState.equals(text, "RevokeGrant") || TallyState.equals(text, "CreateAlias")
                || TallyState.equals(text, "UpdateAlias") || TallyState.equals(text, "DeleteAlias")
        case 12: return TallyState.equals(text, "PutKeyPolicy") || TallyState.equals(text, "ReplicateKey")
        case 17:
            return TallyState.equals(text, "CancelKeyDeletion") || TallyState.equals(text, "EnableKeyRotation")
                || TallyState.equals(text, "RotateKeyOnDemand") || TallyState.equals(text, "ImportKeyMaterial")
        case 18: return TallyState.equals(text, "DisableKeyRotation")
        case 19: return TallyState.equals(text, "ScheduleKeyDeletion") || TallyState.equals(text, "UpdatePrimaryRegion")
        case 25: return TallyState.equals(text, "DeleteImportedKeyMaterial")
        default: return false
        }
    }
}
