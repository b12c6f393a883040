// Who made a call (docs/audit.md, "Principal" and "Identity type"), decided
// on the record's bytes: the per-record path interns the chosen slice
// without building a String.

/// Where a record's principal and identity type come from.
enum Principal {
    /// The principal: KMS itself, or one of the record's `userIdentity` values.
    enum Name {
        case awsInternal
        case value(ByteSlice)
        case empty
    }

    /// The identity type: `Internal`, `Federated`, or `userIdentity.type` as is.
    enum IdentityType {
        case internalCall
        case federated
        case value(ByteSlice)
        case empty
    }

    static let awsInternal: StaticString = "AWS Internal"

    /// True for the calls KMS makes itself (rule 1).
    static func isInternal(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> Bool {
        if fields.userInvokedBy.isPresent
            && TallyState.equals(state.view(fields.userInvokedBy, bytes, state.extraScratch), awsInternal)
        {
            return true
        }
        guard !fields.userType.isPresent, fields.eventName.isPresent else { return false }
        let name = state.view(fields.eventName, bytes, state.extraScratch)
        return TallyState.equals(name, "DeleteExpiredKeyMaterial") || TallyState.equals(name, "DeleteKey")
            || TallyState.equals(name, "RotateKey") || TallyState.equals(name, "SynchronizeMultiRegionKey")
    }

    /// The principal whose permissions the call used: the identity, never
    /// the service that relayed it (that is `via`). For an `AWSService`
    /// identity, the service itself (its `invokedBy`).
    static func name(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> Name {
        if isInternal(fields, bytes, state) { return .awsInternal }
        if isAWSService(fields, bytes, state) && fields.userInvokedBy.count > 0 { return .value(fields.userInvokedBy) }
        // (Tests in turn, not a loop over an array literal: no allocation.)
        if fields.userARN.count > 0 { return .value(fields.userARN) }
        if fields.userAccountId.count > 0 { return .value(fields.userAccountId) }
        return .empty
    }

    /// The service that made the request on the principal's behalf
    /// (`userIdentity.invokedBy`), unless the identity is that service or
    /// KMS itself.
    static func via(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> Name {
        guard fields.userInvokedBy.count > 0, !isInternal(fields, bytes, state), !isAWSService(fields, bytes, state)
        else { return .empty }
        return .value(fields.userInvokedBy)
    }

    static func isAWSService(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> Bool {
        // (Raw length 10, unless escaped: an escape is longer than its byte.)
        (fields.userType.count == 10 || fields.userType.escaped)
            && TallyState.equals(state.view(fields.userType, bytes, state.extraScratch), "AWSService")
    }

    static func identityType(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> IdentityType {
        if isInternal(fields, bytes, state) { return .internalCall }
        guard fields.userType.count > 0 else { return .empty }
        let type = state.view(fields.userType, bytes, state.extraScratch)
        if TallyState.equals(type, "FederatedUser") || TallyState.equals(type, "SAMLUser")
            || TallyState.equals(type, "WebIdentityUser")
        {
            return .federated
        }
        return .value(fields.userType)
    }

    /// The principal as a String (rare paths: lifecycle rows, the filter).
    static func string(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> String {
        switch name(fields, bytes, state) {
        case .awsInternal: return "AWS Internal"
        case .value(let slice): return state.string(slice, bytes)
        case .empty: return ""
        }
    }
}

extension TallyState {
    /// The interner id of the record's principal.
    mutating func principalID(_ fields: RecordFields, _ bytes: JSONBytes) -> UInt32? {
        switch Principal.name(fields, bytes, self) {
        case .awsInternal: return interner.intern("AWS Internal")
        case .value(let slice): return interner.intern(view(slice, bytes, extraScratch))
        case .empty: return 0
        }
    }

    /// The interner id of the record's identity type.
    mutating func identityTypeID(_ fields: RecordFields, _ bytes: JSONBytes) -> UInt32? {
        switch Principal.identityType(fields, bytes, self) {
        case .internalCall: return interner.intern("Internal")
        case .federated: return interner.intern("Federated")
        case .value(let slice): return interner.intern(view(slice, bytes, extraScratch))
        case .empty: return 0
        }
    }
}

/// `--principal`: each value is a principal as `--by principal` shows it
/// (a user, role session or service), a role ARN (every session of the
/// role), or an account id (every principal of the account).
struct PrincipalMatcher {
    private var exact: Set<String> = []
    /// `arn:<partition>:sts::<account>:assumed-role/<name>/` for each role
    /// ARN given: a session ARN of the role starts with it.
    private var sessionPrefixes: [String] = []
    private var accounts: Set<String> = []

    init(_ values: [String]) {
        for value in values {
            exact.insert(value)
            if value.count == 12 && value.allSatisfy(\.isNumber) { accounts.insert(value) }
            // arn:aws:iam::111122223333:role/path/Name → the sessions'
            // arn:aws:sts::111122223333:assumed-role/Name/ (no path in them).
            let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            if parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[5].hasPrefix("role/"),
                let name = parts[5].split(separator: "/").last
            {
                sessionPrefixes.append("arn:\(parts[1]):sts::\(parts[4]):assumed-role/\(name)/")
            }
        }
    }

    func matches(principal: String, account: String) -> Bool {
        exact.contains(principal) || accounts.contains(account)
            || sessionPrefixes.contains { principal.hasPrefix($0) }
    }
}
