// Whether a trail's event selectors log KMS management events
// (docs/audit.md, "Blind spots").

/// The selectors of one PutEventSelectors request.
struct EventSelectors {
    /// The trail's name (the `trail/NAME` part of an ARN).
    var trailName: String
    /// Whether the selectors keep read-only KMS management events (Encrypt,
    /// Decrypt, GenerateDataKey... are read-only) and write ones.
    var logsReads = false
    var logsWrites = false

    static let kms = "kms.amazonaws.com"

    /// Reads `requestParameters`; nil without a trail name.
    init?(_ request: JSONValue) {
        guard let name = Self.trailName(request["trailName"]) else { return nil }
        trailName = name
        for selector in request["eventSelectors"]?.array ?? [] {
            let (reads, writes) = Self.basic(selector)
            logsReads = logsReads || reads
            logsWrites = logsWrites || writes
        }
        for selector in request["advancedEventSelectors"]?.array ?? [] {
            let (reads, writes) = Self.advanced(selector)
            logsReads = logsReads || reads
            logsWrites = logsWrites || writes
        }
    }

    /// A trail name or ARN as the trail's name; nil when absent or empty.
    static func trailName(_ value: JSONValue?) -> String? {
        guard let name = value?.string, !name.isEmpty else { return nil }
        let parts = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if name.hasPrefix("arn:"), parts.count == 2, parts[0].hasSuffix(":trail") { return String(parts[1]) }
        return name
    }

    /// A basic selector: management events unless `includeManagementEvents`
    /// is false, KMS unless excluded, read and/or write by `readWriteType`
    /// (`All` when absent).
    static func basic(_ selector: JSONValue) -> (reads: Bool, writes: Bool) {
        if case .bool(false)? = selector["includeManagementEvents"] { return (false, false) }
        let excluded = selector["excludeManagementEventSources"]?.array ?? []
        if excluded.contains(where: { $0.string == kms }) { return (false, false) }
        switch selector["readWriteType"]?.string {
        case "ReadOnly": return (true, false)
        case "WriteOnly": return (false, true)
        default: return (true, true)
        }
    }

    /// An advanced selector: management events (`eventCategory` equals
    /// `Management`) whose `eventSource` conditions admit KMS, read and/or
    /// write by a `readOnly` field (`equals ["true"]` read-only, `["false"]`
    /// write only; both when absent).
    static func advanced(_ selector: JSONValue) -> (reads: Bool, writes: Bool) {
        let fields = selector["fieldSelectors"]?.array ?? []
        var management = false
        var reads = true
        var writes = true
        for field in fields {
            switch field["field"]?.string {
            case "eventCategory":
                if strings(field["equals"]).contains("Management") { management = true }
            case "eventSource":
                if !admitsKMS(field) { return (false, false) }
            case "readOnly":
                let equals = strings(field["equals"])
                let notEquals = strings(field["notEquals"])
                if !equals.isEmpty {
                    reads = reads && equals.contains("true")
                    writes = writes && equals.contains("false")
                }
                if notEquals.contains("true") { reads = false }
                if notEquals.contains("false") { writes = false }
            default:
                break
            }
        }
        return management ? (reads, writes) : (false, false)
    }

    /// True when every condition of an `eventSource` field selector admits
    /// `kms.amazonaws.com`.
    static func admitsKMS(_ field: JSONValue) -> Bool {
        if let equals = field["equals"]?.array, !strings(.array(equals)).contains(kms) { return false }
        if strings(field["notEquals"]).contains(kms) { return false }
        if let starts = field["startsWith"]?.array, !strings(.array(starts)).contains(where: { kms.hasPrefix($0) }) {
            return false
        }
        if let ends = field["endsWith"]?.array, !strings(.array(ends)).contains(where: { kms.hasSuffix($0) }) {
            return false
        }
        if strings(field["notStartsWith"]).contains(where: { kms.hasPrefix($0) }) { return false }
        if strings(field["notEndsWith"]).contains(where: { kms.hasSuffix($0) }) { return false }
        return true
    }

    static func strings(_ value: JSONValue?) -> [String] {
        (value?.array ?? []).compactMap(\.string)
    }
}
