// Who made a call (docs/audit.md, "Principal" and "Identity type").

/// The principal and identity type of a record.
struct Principal {
    var name: String
    var identityType: String

    static let awsInternal = "AWS Internal"

    static func of(_ fields: RecordFields, _ bytes: JSONBytes, _ state: TallyState) -> Principal {
        let invokedBy = state.string(fields.userInvokedBy, bytes)
        let type = state.string(fields.userType, bytes)
        if invokedBy == awsInternal
            || (!fields.userType.isPresent
                && AuditEventNames.internalOperations.contains(state.string(fields.eventName, bytes)))
        {
            return Principal(name: awsInternal, identityType: "Internal")
        }
        let identityType: String
        switch type {
        case "FederatedUser", "SAMLUser", "WebIdentityUser": identityType = "Federated"
        default: identityType = type
        }
        if !invokedBy.isEmpty { return Principal(name: invokedBy, identityType: identityType) }
        let arn = state.string(fields.userARN, bytes)
        if !arn.isEmpty { return Principal(name: arn, identityType: identityType) }
        return Principal(name: state.string(fields.userAccountId, bytes), identityType: identityType)
    }
}
