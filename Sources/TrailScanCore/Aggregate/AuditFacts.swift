// The rare records a scan keeps whole (as values, not counts) because their
// meaning depends on other records: alias changes, calls that name an alias,
// copies of cross-account calls, trail selector changes and key lifecycle
// events. They are few next to the calls they qualify; merging concatenates.

/// A successful CreateAlias / UpdateAlias (target set) or DeleteAlias
/// (target nil).
public struct AliasChange: Hashable, Sendable {
    public var time: Int64
    public var alias: String
    public var target: String?

    public init(time: Int64, alias: String, target: String?) {
        self.time = time
        self.alias = alias
        self.target = target
    }
}

/// What calls showed of an alias (docs/audit.md, "Alias resolution"): a
/// record whose `requestParameters.keyId` names the alias and whose
/// `resources[]` (or `responseElements.keyId`) names the one key KMS
/// resolved it to, seen from `first` to `last`. Facts of one alias and key
/// merge by widening the span, so a worker keeps one per pair.
public struct AliasObservation: Hashable, Sendable {
    public var alias: String
    public var key: String
    public var first: Int64
    public var last: Int64

    public init(alias: String, key: String, first: Int64, last: Int64) {
        self.alias = alias
        self.key = key
        self.first = first
        self.last = last
    }
}

/// A call counted after the scan rather than during it: one that names an
/// alias (its key depends on the alias history) or one that carries a
/// `sharedEventID` (it may be a second copy of a cross-account call).
/// All of its keys are kept together, so that two names of one key count it
/// once after resolution.
public struct DeferredCall: Hashable, Sendable {
    /// The row's other dimensions (its `key` is the first of `keys`).
    public var row: UsageReport.RowKey
    public var keys: [String]
    public var time: Int64?
    public var counts: CallCounts

    public init(row: UsageReport.RowKey, keys: [String], time: Int64?, counts: CallCounts) {
        self.row = row
        self.keys = keys
        self.time = time
        self.counts = counts
    }
}

/// A record carrying a `sharedEventID`: counted (with its lifecycle rows)
/// unless it is a folded copy.
public struct SharedCopy: Hashable, Sendable {
    public var eventID: String
    /// The account whose trail logged this copy (`recipientAccountId`).
    public var recipientAccount: String
    /// The caller's account (`userIdentity.accountId`): the copy whose
    /// recipient is the caller's account carries the caller's whole identity.
    public var callerAccount: String
    public var call: DeferredCall
    public var lifecycle: [LifecycleEvent]

    public init(
        eventID: String, recipientAccount: String, callerAccount: String = "", call: DeferredCall,
        lifecycle: [LifecycleEvent] = []
    ) {
        self.eventID = eventID
        self.recipientAccount = recipientAccount
        self.callerAccount = callerAccount
        self.call = call
        self.lifecycle = lifecycle
    }
}

/// A successful call that changes what a trail logs of KMS from `time` on:
/// `PutEventSelectors` (which KMS management events its selectors keep:
/// read-only ones such as Decrypt, write ones such as ScheduleKeyDeletion),
/// `StopLogging`, `StartLogging` or `DeleteTrail`.
public struct SelectorChange: Hashable, Sendable {
    public enum Cause: String, Sendable, CaseIterable {
        case putEventSelectors = "PutEventSelectors"
        case stopLogging = "StopLogging"
        case startLogging = "StartLogging"
        case deleteTrail = "DeleteTrail"
    }

    public var time: Int64
    public var trail: String
    public var account: String
    public var region: String
    public var cause: Cause
    /// With `putEventSelectors`: whether read-only / write KMS management
    /// events are logged from now on (ignored for the other causes).
    public var logsReads: Bool
    public var logsWrites: Bool

    public init(
        time: Int64, trail: String, account: String, region: String, cause: Cause = .putEventSelectors,
        logsReads: Bool = true, logsWrites: Bool = true
    ) {
        self.time = time
        self.trail = trail
        self.account = account
        self.region = region
        self.cause = cause
        self.logsReads = logsReads
        self.logsWrites = logsWrites
    }

    /// A PutEventSelectors that keeps every KMS management event, or none.
    public init(time: Int64, trail: String, account: String, region: String, logsKMS: Bool) {
        self.init(time: time, trail: trail, account: account, region: region, logsReads: logsKMS, logsWrites: logsKMS)
    }
}

/// A key lifecycle call (ScheduleKeyDeletion, DisableKey, CreateGrant,
/// PutKeyPolicy...; docs/audit.md "Lifecycle"), successful or failed.
public struct LifecycleEvent: Hashable, Sendable {
    public var time: Int64?
    public var key: String
    public var eventName: String
    public var principal: String
    public var callerAccount: String
    /// The call's `errorCode`; empty when it succeeded.
    public var errorCode: String
    /// What the call asked for, `name=value` pairs joined by `; `
    /// (`grantee=...; operations=Decrypt|Encrypt`, `alias=alias/x`...).
    public var detail: String
    /// What an auditor should look at, joined by `; `
    /// (`grantee-outside-account`, `policy-principal-*`...).
    public var flags: String

    public init(
        time: Int64?, key: String, eventName: String, principal: String, callerAccount: String,
        errorCode: String = "", detail: String = "", flags: String = ""
    ) {
        self.time = time
        self.key = key
        self.eventName = eventName
        self.principal = principal
        self.callerAccount = callerAccount
        self.errorCode = errorCode
        self.detail = detail
        self.flags = flags
    }
}

/// The facts of a scan. Equality ignores order (workers finish in any
/// order).
public struct AuditFacts: Sendable, Equatable {
    public var aliasChanges: [AliasChange] = []
    public var aliasObservations: [AliasObservation] = []
    public var aliasUses: [DeferredCall] = []
    public var sharedCopies: [SharedCopy] = []
    public var selectorChanges: [SelectorChange] = []
    public var lifecycle: [LifecycleEvent] = []

    public init() {}

    public var isEmpty: Bool {
        aliasChanges.isEmpty && aliasObservations.isEmpty && aliasUses.isEmpty && sharedCopies.isEmpty && selectorChanges.isEmpty
            && lifecycle.isEmpty
    }

    public mutating func merge(_ other: AuditFacts) {
        aliasChanges += other.aliasChanges
        aliasObservations += other.aliasObservations
        aliasUses += other.aliasUses
        sharedCopies += other.sharedCopies
        selectorChanges += other.selectorChanges
        lifecycle += other.lifecycle
    }

    mutating func removeAll() {
        aliasChanges.removeAll(keepingCapacity: true)
        aliasObservations.removeAll(keepingCapacity: true)
        aliasUses.removeAll(keepingCapacity: true)
        sharedCopies.removeAll(keepingCapacity: true)
        selectorChanges.removeAll(keepingCapacity: true)
        lifecycle.removeAll(keepingCapacity: true)
    }

    public static func == (a: AuditFacts, b: AuditFacts) -> Bool {
        sameElements(a.aliasChanges, b.aliasChanges) && sameElements(a.aliasObservations, b.aliasObservations)
            && sameElements(a.aliasUses, b.aliasUses)
            && sameElements(a.sharedCopies, b.sharedCopies) && sameElements(a.selectorChanges, b.selectorChanges)
            && sameElements(a.lifecycle, b.lifecycle)
    }

    static func sameElements<T: Hashable>(_ a: [T], _ b: [T]) -> Bool {
        guard a.count == b.count else { return false }
        var counts: [T: Int] = [:]
        for x in a { counts[x, default: 0] += 1 }
        for x in b { counts[x, default: 0] -= 1 }
        return counts.values.allSatisfy { $0 == 0 }
    }
}
