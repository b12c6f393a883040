// What a lifecycle call asked for and what an auditor should look at
// (docs/audit.md, "Lifecycle"): the grantee of a grant and whether it is
// outside the key's account, the principals a key policy allows, the
// policy lockout safety check bypassed, the alias, the replica region...
// Runs only for lifecycle records (rare), on their `requestParameters`
// parsed whole; never in the per-record path of other records.

enum LifecycleDetail {
    /// `detail` and `flags` of a lifecycle call named `eventName` on a key
    /// owned by `ownerAccount` (empty when unknown), from its
    /// `requestParameters` (nil when absent or not an object).
    static func describe(eventName: String, request: JSONValue?, ownerAccount: String) -> (detail: String, flags: String) {
        var detail: [String] = []
        var flags: [String] = []
        func add(_ name: String, _ member: String) {
            if let text = scalar(request?[member]), !text.isEmpty { detail.append("\(name)=\(text)") }
        }
        switch eventName {
        case "CreateGrant":
            let grantee = request?["granteePrincipal"]?.string ?? ""
            if !grantee.isEmpty { detail.append("grantee=\(grantee)") }
            let retiring = request?["retiringPrincipal"]?.string ?? ""
            if !retiring.isEmpty { detail.append("retiring=\(retiring)") }
            let operations = (request?["operations"]?.array ?? []).compactMap(\.string)
            if !operations.isEmpty { detail.append("operations=" + operations.joined(separator: "|")) }
            if isOutside(grantee, ownerAccount) { flags.append("grantee-outside-account") }
            if isOutside(retiring, ownerAccount) { flags.append("retiring-principal-outside-account") }
        case "RetireGrant", "RevokeGrant":
            add("grantId", "grantId")
        case "EnableKeyRotation":
            add("rotationPeriodInDays", "rotationPeriodInDays")
        case "ScheduleKeyDeletion":
            add("pendingWindowInDays", "pendingWindowInDays")
        case "ImportKeyMaterial":
            add("expirationModel", "expirationModel")
            add("validTo", "validTo")
        case "CreateAlias", "UpdateAlias", "DeleteAlias":
            add("alias", "aliasName")
        case "UpdatePrimaryRegion":
            add("primaryRegion", "primaryRegion")
        case "ReplicateKey", "CreateKey", "PutKeyPolicy":
            if eventName == "ReplicateKey" { add("replicaRegion", "replicaRegion") }
            if eventName == "CreateKey" {
                add("keySpec", "keySpec")
                add("keyUsage", "keyUsage")
                add("origin", "origin")
                if case .bool(true)? = request?["multiRegion"] { detail.append("multiRegion=true") }
            }
            if bypassesLockoutCheck(request) { flags.append("bypass-policy-lockout-safety-check") }
            if let policy = request?["policy"]?.string {
                flags += KeyPolicyPrincipals(policy: policy).flags(ownerAccount: ownerAccount)
            }
        default:
            break
        }
        return (detail.joined(separator: "; "), flags.joined(separator: "; "))
    }

    /// `bypassPolicyLockoutSafetyCheck` is true (a JSON boolean or the string).
    static func bypassesLockoutCheck(_ request: JSONValue?) -> Bool {
        switch request?["bypassPolicyLockoutSafetyCheck"] {
        case .bool(true)?: return true
        case .string(let text)?: return text == "true"
        default: return false
        }
    }

    static func scalar(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .number(let text)?: return number(text)
        case .bool(let flag)?: return flag ? "true" : "false"
        default: return nil
        }
    }

    /// A number as people write it, whatever its JSON spelling (`7`, `7.0`
    /// and `7E0` are all `7`): an integral value below 10^15 as digits, any
    /// other as the shortest text that reads back as the same double.
    static func number(_ text: String) -> String {
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// True when `principal` names an AWS account (a 12-digit id, or an ARN
    /// whose account field is one) other than `ownerAccount`. A service
    /// principal (`s3.amazonaws.com`) or an unknown owner is not outside.
    static func isOutside(_ principal: String, _ ownerAccount: String) -> Bool {
        guard !ownerAccount.isEmpty, let account = account(of: principal) else { return false }
        return account != ownerAccount
    }

    /// The AWS account a principal value names: a 12-digit id, or the
    /// account field of an ARN (`arn:aws:iam::444455556666:role/x`).
    static func account(of principal: String) -> String? {
        if isAccountID(principal) { return principal }
        let account = KMSKeyReference.ownerAccount(ofARN: principal)
        return isAccountID(account) ? account : nil
    }

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

/// The principals a key policy's `Allow` statements name (IAM JSON policy
/// reference, "Principal"): `"*"` or `{"AWS": "*"}` is everyone; `{"AWS":
/// [...]}` lists account ids and ARNs. `NotPrincipal` in an `Allow`
/// statement allows everyone but those listed, so it counts as `*`.
/// Conditions are not evaluated: a `*` restricted by `kms:CallerAccount` is
/// still flagged, for a person to read.
struct KeyPolicyPrincipals {
    /// The policy text was not a JSON object.
    var unreadable = false
    var everyone = false
    /// Accounts named by `AWS` principals, in order, once each.
    var accounts: [String] = []

    init(policy: String) {
        var text = policy
        guard let document = text.withUTF8({ JSONValue.parse(UnsafeRawBufferPointer($0)) }),
            case .object = document
        else {
            unreadable = true
            return
        }
        var statements: [JSONValue] = []
        switch document["Statement"] {
        case .array(let list)?: statements = list
        case .object?: statements = [document["Statement"]!]
        default: break
        }
        for statement in statements where statement["Effect"]?.string == "Allow" {
            if statement["NotPrincipal"] != nil { everyone = true }
            guard let principal = statement["Principal"] else { continue }
            if principal.string == "*" {
                everyone = true
                continue
            }
            for value in Self.strings(principal["AWS"]) {
                if value == "*" {
                    everyone = true
                } else if let account = LifecycleDetail.account(of: value), !accounts.contains(account) {
                    accounts.append(account)
                }
            }
        }
    }

    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: return [text]
        case .array(let list)?: return list.compactMap(\.string)
        default: return []
        }
    }

    /// `policy-unreadable`, `policy-principal-*`,
    /// `policy-principal-outside-account=A|B` (accounts other than the key's).
    func flags(ownerAccount: String) -> [String] {
        if unreadable { return ["policy-unreadable"] }
        var out: [String] = []
        if everyone { out.append("policy-principal-*") }
        let outside = ownerAccount.isEmpty ? [] : accounts.filter { $0 != ownerAccount }
        if !outside.isEmpty { out.append("policy-principal-outside-account=" + outside.joined(separator: "|")) }
        return out
    }
}
