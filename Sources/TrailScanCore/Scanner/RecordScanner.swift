// Walks one record object, extracting the wanted fields (RecordFields) and
// skipping everything else: with full validation, or (`skims`, the
// `--validate used` rescan of a record the plan needs) structurally, as
// values the answer does not read (RecordSkimming.swift). Only the members at the
// record's top level, and one level into userIdentity, requestParameters,
// responseElements and resources[], are looked at: a `keyId` deeper down (in
// encryptionContext, additionalEventData...) is data, never the record's field.

extension JSONBytes {
    /// Scans the record object at `i` into `fields`.
    
    func scanRecord<Unread: UnreadValues>(
        _ i: inout Int, into fields: inout RecordFields, scratch: inout KeyScratch,
        nesting: inout NestingStack, _ unread: Unread.Type
    ) throws(ScanStop) {
        guard self[i] == UInt8(ascii: "{") else { throw stop(.recordNotObject, at: i) }
        fields.reset()
        var j = i &+ 1
        skipWhitespace(&j)
        if self[j] == UInt8(ascii: "}") {
            i = j &+ 1
            return
        }
        var names = scratch.names.chain(.record)
        while true {
            let raw = try memberName(&j, names: &names, scratch: scratch) { FieldNames.recordField($0, $1).rawValue }
            let field = RecordField(matched: raw)
            switch field {
            case .other: try skipUnread(&j, Unread.self, nesting: &nesting)
            case .eventSource: fields.eventSource = try captureString(&j, nesting: &nesting)
            case .eventName: fields.eventName = try captureString(&j, nesting: &nesting)
            case .errorCode: fields.errorCode = try captureString(&j, nesting: &nesting)
            case .awsRegion: fields.awsRegion = try captureString(&j, nesting: &nesting)
            case .recipientAccountId:
                fields.recipientAccountId = try captureString(&j, nesting: &nesting)
            case .eventTime: fields.eventTime = try captureString(&j, nesting: &nesting)
            case .sharedEventID: fields.sharedEventID = try captureString(&j, nesting: &nesting)
            case .eventID: fields.eventID = try captureString(&j, nesting: &nesting)
            case .readOnly: fields.readOnly = try captureFlag(&j, nesting: &nesting)
            case .userIdentity:
                fields.resetUserIdentity()
                let start = j
                try scanNestedObject(&j, .userIdentity, scratch: &scratch, nesting: &nesting, Unread.self) {
                    (nested, j, nesting) throws(ScanStop) in
                    switch nested {
                    case .accountId: fields.userAccountId = try captureString(&j, nesting: &nesting)
                    case .type: fields.userType = try captureString(&j, nesting: &nesting)
                    case .userARN: fields.userARN = try captureString(&j, nesting: &nesting)
                    case .invokedBy: fields.userInvokedBy = try captureString(&j, nesting: &nesting)
                    default: return false
                    }
                    return true
                }
                fields.userIdentity = start..<j
            case .requestParameters:
                fields.resetRequest()
                let start = j
                try scanNestedObject(&j, .requestParameters, scratch: &scratch, nesting: &nesting, Unread.self) {
                    (nested, j, nesting) throws(ScanStop) in
                    switch nested {
                    case .aliasName: fields.requestAliasName = try captureString(&j, nesting: &nesting)
                    case .keyId: fields.requestKeyId = try captureString(&j, nesting: &nesting)
                    case .targetKeyId: fields.requestTargetKeyId = try captureString(&j, nesting: &nesting)
                    case .sourceKeyId: fields.requestSourceKeyId = try captureString(&j, nesting: &nesting)
                    case .destinationKeyId:
                        fields.requestDestinationKeyId = try captureString(&j, nesting: &nesting)
                    default: return false
                    }
                    return true
                }
                fields.requestParameters = start..<j
            case .responseElements:
                fields.responseKeyId = .absent
                try scanNestedObject(&j, .responseElements, scratch: &scratch, nesting: &nesting, Unread.self) {
                    (nested, j, nesting) throws(ScanStop) in
                    if nested == .keyId {
                        fields.responseKeyId = try captureString(&j, nesting: &nesting)
                        return true
                    }
                    return false
                }
            case .resources:
                try scanResources(&j, into: &fields, scratch: &scratch, nesting: &nesting, Unread.self)
            }
            skipWhitespace(&j)
            let c = self[j]
            if c == UInt8(ascii: ",") {
                j &+= 1
                skipWhitespace(&j)
            } else if c == UInt8(ascii: "}") {
                i = j &+ 1
                return
            } else {
                throw stop(.unexpectedByte, at: j)
            }
        }
    }

    /// Scans the member name at `i`, its `:` and the whitespace after, and
    /// returns the raw value of its field (`matcher` gives it for a name):
    /// the one remembered by `names` when the bytes are those of the name
    /// expected there, else the name is scanned and matched (see NameMemory).
    @inline(__always)
    func memberName(
        _ i: inout Int, names: inout NameChain, scratch: KeyScratch, _ matcher: (UnsafePointer<UInt8>, Int) -> UInt8
    ) throws(ScanStop) -> UInt8 {
        guard self[i] == UInt8(ascii: "\"") else { throw stop(.unexpectedByte, at: i) }
        if let field = names.recall(self, at: &i) {
            skipWhitespace(&i)
            return field
        }
        return try learnMemberName(&i, names: &names, scratch: scratch, matcher)
    }

    /// `memberName` for a name that is not the one predicted: scanned,
    /// matched and remembered. Out of line, as most names are predicted.
    @inline(never)
    func learnMemberName(
        _ i: inout Int, names: inout NameChain, scratch: KeyScratch, _ matcher: (UnsafePointer<UInt8>, Int) -> UInt8
    ) throws(ScanStop) -> UInt8 {
        let quote = i
        let name = try scanString(&i)
        try expect(UInt8(ascii: ":"), &i)
        let field = scratch.match(name, in: self, matcher)
        names.learn(self, from: quote, to: i, name: name, field: field)
        skipWhitespace(&i)
        return field
    }

    /// Skips a value the answer does not read: validated, or with
    /// `SkimmedUnread` only skipped structurally (`skimValue`). A type, not
    /// a flag, so that the full scan is specialized to exactly the code it
    /// had without the option (a run-time flag cost it 8 % more
    /// instructions: the skip no longer inlined into the walk).
    @inline(__always)
    func skipUnread<Unread: UnreadValues>(
        _ i: inout Int, _ unread: Unread.Type, nesting: inout NestingStack
    ) throws(ScanStop) {
        if Unread.skims {
            try skimValue(&i, nesting: &nesting)
        } else {
            try skipValue(&i, nesting: &nesting)
        }
    }

    /// The string at `i`, or `.absent` (after skipping the value) when the
    /// value is not a string (`null`, a number, an object...).
    @inline(__always)
    func captureString(_ i: inout Int, nesting: inout NestingStack) throws(ScanStop) -> ByteSlice {
        if self[i] == UInt8(ascii: "\"") { return try scanString(&i) }
        try skipValue(&i, nesting: &nesting)
        return .absent
    }

    /// The literal `true`/`false` at `i`; any other value is skipped and
    /// reads as absent.
    @inline(__always)
    func captureFlag(_ i: inout Int, nesting: inout NestingStack) throws(ScanStop) -> ReadOnlyFlag {
        let first = self[i]
        try skipValue(&i, nesting: &nesting)
        if first == UInt8(ascii: "t") { return .yes }
        if first == UInt8(ascii: "f") { return .no }
        return .absent
    }

    /// Walks the object at `i`, calling `member` for every member whose name
    /// is a `NestedField`; `member` consumes the value and returns true, or
    /// returns false to have it skipped. A value that is not an object is
    /// skipped whole. `region` is where its names are remembered.
    @inline(__always)
    func scanNestedObject<Unread: UnreadValues>(
        _ i: inout Int, _ region: NameRegion, scratch: inout KeyScratch, nesting: inout NestingStack,
        _ unread: Unread.Type, _ member: (NestedField, inout Int, inout NestingStack) throws(ScanStop) -> Bool
    ) throws(ScanStop) {
        guard self[i] == UInt8(ascii: "{") else {
            try skipUnread(&i, Unread.self, nesting: &nesting)
            return
        }
        var j = i &+ 1
        skipWhitespace(&j)
        if self[j] == UInt8(ascii: "}") {
            i = j &+ 1
            return
        }
        var names = scratch.names.chain(region)
        while true {
            let raw = try memberName(&j, names: &names, scratch: scratch) { FieldNames.nestedField($0, $1).rawValue }
            let field = NestedField(matched: raw)
            let consumed = field == .other ? false : try member(field, &j, &nesting)
            if !consumed { try skipUnread(&j, Unread.self, nesting: &nesting) }
            skipWhitespace(&j)
            let c = self[j]
            if c == UInt8(ascii: ",") {
                j &+= 1
                skipWhitespace(&j)
            } else if c == UInt8(ascii: "}") {
                i = j &+ 1
                return
            } else {
                throw stop(.unexpectedByte, at: j)
            }
        }
    }

    /// Walks `resources` at `i`: an array of objects whose `ARN` strings are
    /// collected in order. Anything else is skipped (validated, not used).
    
    func scanResources<Unread: UnreadValues>(
        _ i: inout Int, into fields: inout RecordFields, scratch: inout KeyScratch,
        nesting: inout NestingStack, _ unread: Unread.Type
    ) throws(ScanStop) {
        fields.clearResourceARNs()
        guard self[i] == UInt8(ascii: "[") else {
            try skipUnread(&i, Unread.self, nesting: &nesting)
            return
        }
        var j = i &+ 1
        skipWhitespace(&j)
        if self[j] == UInt8(ascii: "]") {
            i = j &+ 1
            return
        }
        while true {
            if self[j] == UInt8(ascii: "{") {
                var arn = ByteSlice.absent
                try scanNestedObject(&j, .resource, scratch: &scratch, nesting: &nesting, Unread.self) {
                    (nested, j, nesting) throws(ScanStop) in
                    guard nested == .arn else { return false }
                    arn = try captureString(&j, nesting: &nesting)
                    return true
                }
                if arn.isPresent { fields.resourceARNs.append(arn) }
            } else {
                try skipUnread(&j, Unread.self, nesting: &nesting)
            }
            skipWhitespace(&j)
            let c = self[j]
            if c == UInt8(ascii: ",") {
                j &+= 1
                skipWhitespace(&j)
            } else if c == UInt8(ascii: "]") {
                i = j &+ 1
                return
            } else {
                throw stop(.unexpectedByte, at: j)
            }
        }
    }
}

/// How `scanRecord` treats the values the answer does not read.
protocol UnreadValues {
    static var skims: Bool { get }
}

/// `--validate full`, and records read whole: validated.
enum ValidatedUnread: UnreadValues {
    static var skims: Bool { false }
}

/// `--validate used`: skipped structurally.
enum SkimmedUnread: UnreadValues {
    static var skims: Bool { true }
}

/// Matches member names, decoding the rare name written with escapes
/// (`"event\u0053ource"` is `eventSource`) into a padded scratch buffer first.

struct KeyScratch {
    let buffer = PaddedBuffer(capacity: 256)
    /// The names seen in earlier records, to predict the next ones.
    let names = NameMemory()

    init() {}

    @inline(__always)
    func match<Field>(
        _ name: ByteSlice, in bytes: JSONBytes, _ matcher: (UnsafePointer<UInt8>, Int) -> Field
    ) -> Field {
        if !name.escaped { return matcher(bytes.base + name.start, name.count) }
        return matchEscaped(name, in: bytes, matcher)
    }

    @inline(never)
    func matchEscaped<Field>(
        _ name: ByteSlice, in bytes: JSONBytes, _ matcher: (UnsafePointer<UInt8>, Int) -> Field
    ) -> Field {
        buffer.removeAll()
        JSONString.decode(UnsafeRawBufferPointer(start: bytes.base + name.start, count: name.count), into: buffer)
        return buffer.withUnsafeBytes { raw in
            matcher(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), raw.count)
        }
    }
}
