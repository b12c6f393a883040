// Whether a trail's event selectors log KMS management events
// (docs/audit.md, "Blind spots").

/// The selectors of one PutEventSelectors request.
struct EventSelectors {
    /// The trail's name (the `trail/NAME` part of an ARN).
    var trailName: String
    var logsKMSManagementEvents: Bool

    static let kms = "kms.amazonaws.com"

    /// Reads `requestParameters`; nil without a trail name.
    init?(_ request: JSONValue) {
        guard let name = request["trailName"]?.string, !name.isEmpty else { return nil }
        let parts = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if name.hasPrefix("arn:"), parts.count == 2, parts[0].hasSuffix(":trail") {
            trailName = String(parts[1])
        } else {
            trailName = name
        }
        let basic = request["eventSelectors"]?.array ?? []
        let advanced = request["advancedEventSelectors"]?.array ?? []
        logsKMSManagementEvents =
            basic.contains(where: Self.basicLogsKMS) || advanced.contains(where: Self.advancedLogsKMS)
    }

    static func basicLogsKMS(_ selector: JSONValue) -> Bool {
        if case .bool(false)? = selector["includeManagementEvents"] { return false }
        let excluded = selector["excludeManagementEventSources"]?.array ?? []
        return !excluded.contains { $0.string == kms }
    }

    static func advancedLogsKMS(_ selector: JSONValue) -> Bool {
        let fields = selector["fieldSelectors"]?.array ?? []
        var management = false
        for field in fields {
            switch field["field"]?.string {
            case "eventCategory":
                if strings(field["equals"]).contains("Management") { management = true }
            case "eventSource":
                if !admitsKMS(field) { return false }
            default:
                break
            }
        }
        return management
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
