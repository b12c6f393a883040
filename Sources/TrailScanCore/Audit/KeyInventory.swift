// The keys that exist, read from a file the user gives (`--inventory`), so
// the idle report names keys that had no event at all in the scanned
// period, and says which are AWS managed, disabled or pending deletion
// (docs/audit.md, "Idle keys"). Accepted documents, as the AWS CLI and AWS
// Config write them:
//
// - `aws kms list-keys`: {"Keys": [{"KeyId": ..., "KeyArn": ...}, ...]}
// - `aws kms describe-key`: {"KeyMetadata": {...}}; several of them as a
//   JSON array; or one object with "Keys" and "KeyMetadata" (an object or
//   an array) together. A bare array of KeyMetadata objects too.
// - AWS Config: a configuration snapshot ({"configurationItems": [...]})
//   or the output of `aws configservice select-resource-config`
//   ({"Results": ["<JSON of one item>", ...]}); items of resourceType
//   `AWS::KMS::Key`, others ignored; `configuration` an object or a JSON
//   string.
//
// Member names are matched with either case of their first letter
// (`KeyManager` in KMS output, `keyManager` in Config's `configuration`).

/// A key known from an inventory.
public struct InventoryKey: Sendable, Equatable {
    public var arn: String
    /// `KeyManager`: `AWS` or `CUSTOMER`; empty when the inventory does not say.
    public var manager: String
    /// `KeyState`: `Enabled`, `Disabled`, `PendingDeletion`, ...; empty when unknown.
    public var state: String

    public init(arn: String, manager: String = "", state: String = "") {
        self.arn = arn
        self.manager = manager
        self.state = state
    }
}

/// Why a document is not a key inventory.
public struct KeyInventoryError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}

/// The keys of one or more inventory documents, by key ARN.
public struct KeyInventory: Sendable, Equatable {
    /// Sorted by ARN (byte order).
    public private(set) var keys: [InventoryKey] = []

    public init(keys: [InventoryKey] = []) {
        for key in keys { add(key) }
    }

    /// Reads one inventory document (UTF-8 JSON).
    public init(json bytes: UnsafeRawBufferPointer) throws(KeyInventoryError) {
        guard let document = JSONValue.parse(bytes, maximumDepth: 256) else {
            throw KeyInventoryError("not valid JSON")
        }
        var found = false
        try read(document, found: &found)
        guard found else {
            throw KeyInventoryError(
                "not a key inventory: expected the JSON of `aws kms list-keys` / `describe-key` (\"Keys\", \"KeyMetadata\") or of AWS Config (\"configurationItems\", \"Results\")")
        }
    }

    /// The key whose ARN is `arn`, if listed.
    public func key(_ arn: String) -> InventoryKey? {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid].arn.utf8.lexicographicallyPrecedes(arn.utf8) { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low].arn == arn ? keys[low] : nil
    }

    /// Adds `key`, or fills in what an earlier entry of the same ARN lacked.
    public mutating func add(_ key: InventoryKey) {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid].arn.utf8.lexicographicallyPrecedes(key.arn.utf8) { low = mid + 1 } else { high = mid }
        }
        if low < keys.count && keys[low].arn == key.arn {
            if !key.manager.isEmpty { keys[low].manager = key.manager }
            if !key.state.isEmpty { keys[low].state = key.state }
        } else {
            keys.insert(key, at: low)
        }
    }

    // MARK: - Reading

    private mutating func read(_ value: JSONValue, found: inout Bool) throws(KeyInventoryError) {
        switch value {
        case .array(let elements):
            found = true  // an array of describe-key outputs or metadata (possibly empty)
            for (index, element) in elements.enumerated() {
                guard case .object = element else {
                    throw KeyInventoryError("element \(index) of the top-level array is not an object")
                }
                if Self.member(element, "KeyMetadata") != nil || Self.member(element, "Keys") != nil
                    || Self.member(element, "configurationItems") != nil
                {
                    try read(element, found: &found)
                } else if Self.member(element, "resourceType") != nil {
                    try configurationItem(element, where: "element \(index)")
                } else {
                    try metadata(element, where: "element \(index)")
                }
            }
        case .object:
            if let list = Self.member(value, "Keys") {
                found = true
                guard case .array(let entries) = list else { throw KeyInventoryError("\"Keys\" is not an array") }
                for (index, entry) in entries.enumerated() { try metadata(entry, where: "Keys[\(index)]") }
            }
            if let meta = Self.member(value, "KeyMetadata") {
                found = true
                switch meta {
                case .array(let entries):
                    for (index, entry) in entries.enumerated() { try metadata(entry, where: "KeyMetadata[\(index)]") }
                default: try metadata(meta, where: "KeyMetadata")
                }
            }
            if let items = Self.member(value, "configurationItems") {
                found = true
                guard case .array(let list) = items else {
                    throw KeyInventoryError("\"configurationItems\" is not an array")
                }
                for (index, item) in list.enumerated() { try configurationItem(item, where: "configurationItems[\(index)]") }
            }
            if let results = Self.member(value, "Results") {
                found = true
                guard case .array(let list) = results else { throw KeyInventoryError("\"Results\" is not an array") }
                for (index, result) in list.enumerated() {
                    var item = result
                    if case .string(let text) = result {
                        var copy = text
                        guard let parsed = copy.withUTF8({ JSONValue.parse(UnsafeRawBufferPointer($0)) }) else {
                            throw KeyInventoryError("Results[\(index)] is not the JSON of a configuration item")
                        }
                        item = parsed
                    }
                    try configurationItem(item, where: "Results[\(index)]")
                }
            }
        default:
            break
        }
    }

    /// A KeyMetadata object or a list-keys entry.
    private mutating func metadata(_ value: JSONValue, where place: String) throws(KeyInventoryError) {
        guard case .object = value else { throw KeyInventoryError("\(place) is not an object") }
        let arn = Self.text(value, "Arn") ?? Self.text(value, "KeyArn") ?? ""
        guard Self.isKeyARN(arn) else {
            throw KeyInventoryError(
                "\(place) has no key ARN (\"Arn\" or \"KeyArn\")" + (Self.text(value, "KeyId").map { " (KeyId \($0))" } ?? ""))
        }
        add(InventoryKey(arn: arn, manager: Self.text(value, "KeyManager") ?? "", state: Self.text(value, "KeyState") ?? ""))
    }

    /// An AWS Config configuration item; other resource types are ignored.
    private mutating func configurationItem(_ item: JSONValue, where place: String) throws(KeyInventoryError) {
        guard case .object = item else { throw KeyInventoryError("\(place) is not an object") }
        if let type = Self.text(item, "resourceType"), type != "AWS::KMS::Key" { return }
        var configuration = Self.member(item, "configuration") ?? .object([])
        if case .string(let text) = configuration {
            var copy = text
            guard let parsed = copy.withUTF8({ JSONValue.parse(UnsafeRawBufferPointer($0)) }) else {
                throw KeyInventoryError("\(place): \"configuration\" is not JSON")
            }
            configuration = parsed
        }
        let arn = Self.text(configuration, "Arn") ?? Self.text(item, "ARN") ?? Self.text(item, "Arn") ?? ""
        guard Self.isKeyARN(arn) else { throw KeyInventoryError("\(place) has no key ARN (\"ARN\", \"arn\" or configuration.arn)") }
        add(
            InventoryKey(
                arn: arn, manager: Self.text(configuration, "KeyManager") ?? "",
                state: Self.text(configuration, "KeyState") ?? ""))
    }

    /// The member `name`, or the same name with its first letter in the other case.
    static func member(_ value: JSONValue, _ name: String) -> JSONValue? {
        if let found = value[name] { return found }
        guard let first = name.unicodeScalars.first else { return nil }
        let flipped =
            first.properties.isUppercase ? String(first).lowercased() : String(first).uppercased()
        return value[flipped + name.unicodeScalars.dropFirst().map(String.init).joined()]
    }

    static func text(_ value: JSONValue, _ name: String) -> String? {
        member(value, name)?.string
    }

    static func isKeyARN(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { KMSKeyReference.isKeyARN(UnsafeRawBufferPointer($0)) }
    }
}
