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

    static func name(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> Name {
        if isInternal(fields, bytes, state) { return .awsInternal }
        // (Three tests, not a loop over an array literal: no allocation.)
        if fields.userInvokedBy.count > 0 { return .value(fields.userInvokedBy) }
        if fields.userARN.count > 0 { return .value(fields.userARN) }
        if fields.userAccountId.count > 0 { return .value(fields.userAccountId) }
        return .empty
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
