// The member names the scanner looks for, matched by length and then by one
// to three unaligned 8-byte loads instead of a byte loop. The constants are
// the little-endian words of the names (head = bytes 0..<8, masked to the
// name's length when shorter; mid = 8..<16; tail = the last 8, overlapping).
// `scripts/gen-field-words.py NAME...` prints them.

/// Top-level members of a record that the scanner extracts.

enum RecordField: UInt8, CaseIterable {
    case other
    case eventSource, eventName, errorCode, awsRegion, recipientAccountId
    case eventTime, readOnly, sharedEventID, eventID
    case userIdentity, requestParameters, responseElements, resources
}

/// Members of `userIdentity`, `requestParameters`, `responseElements` and
/// `resources[]` entries that the scanner extracts (one matcher for all four:
/// each caller ignores the names that do not belong to its object).

enum NestedField: UInt8, CaseIterable {
    case other
    case accountId, type, invokedBy, userARN  // userIdentity (`userARN` is its `arn`)
    case keyId, targetKeyId, sourceKeyId, destinationKeyId  // requestParameters / responseElements
    case aliasName  // requestParameters
    case arn  // resources[]
}

// Member name matching hands fields around as raw values (NameMemory stores
// one byte for both kinds). Back to the enum, `init(rawValue:)` would be an
// out-of-line call per member (1.8 % of the scanner's instructions); these
// are a bit cast. Sound because a field enum without explicit raw values
// numbers its cases from 0 in declaration order, as its in-memory tag does
// (FieldNamesTests checks every case), and only `recordField` /
// `nestedField` results are passed in.

extension RecordField {
    @inline(__always)
    init(matched raw: UInt8) {
        assert(RecordField(rawValue: raw) != nil, "not a RecordField raw value")
        self = unsafeBitCast(raw, to: RecordField.self)
    }
}

extension NestedField {
    @inline(__always)
    init(matched raw: UInt8) {
        assert(NestedField(rawValue: raw) != nil, "not a NestedField raw value")
        self = unsafeBitCast(raw, to: NestedField.self)
    }
}

enum FieldNames {
    /// Words of a name of `count` bytes at `p` (padded: loads past the name
    /// are in bounds and masked off).
    @inline(__always)
    static func head(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let w = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        return count >= 8 ? w : w & ((1 << (UInt64(count) &* 8)) &- 1)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p + offset).loadUnaligned(as: UInt64.self))
    }

    /// `"Records"`.
    
    static func isRecords(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count == 7 && head(p, 7) == 0x0073_6472_6F63_6552
    }

    
    static func recordField(_ p: UnsafePointer<UInt8>, _ count: Int) -> RecordField {
        switch count {
        case 7:
            return head(p, 7) == 0x0044_4974_6E65_7665 ? .eventID : .other
        case 8:
            return head(p, 8) == 0x796C_6E4F_6461_6572 ? .readOnly : .other
        case 9:
            let tail = load(p, 1)
            switch head(p, 9) {
            case 0x6D61_4E74_6E65_7665 where tail == 0x656D_614E_746E_6576: return .eventName
            case 0x646F_4372_6F72_7265 where tail == 0x6564_6F43_726F_7272: return .errorCode
            case 0x6F69_6765_5273_7761 where tail == 0x6E6F_6967_6552_7377: return .awsRegion
            case 0x6563_7275_6F73_6572 where tail == 0x7365_6372_756F_7365: return .resources
            case 0x6D69_5474_6E65_7665 where tail == 0x656D_6954_746E_6576: return .eventTime
            default: return .other
            }
        case 11:
            if head(p, 11) == 0x756F_5374_6E65_7665 && load(p, 3) == 0x6563_7275_6F53_746E {
                return .eventSource
            }
        case 12:
            if head(p, 12) == 0x6E65_6449_7265_7375 && load(p, 4) == 0x7974_6974_6E65_6449 {
                return .userIdentity
            }
        case 13:
            if head(p, 13) == 0x7645_6465_7261_6873 && load(p, 5) == 0x4449_746E_6576_4564 {
                return .sharedEventID
            }
        case 16:
            if head(p, 16) == 0x6573_6E6F_7073_6572 && load(p, 8) == 0x7374_6E65_6D65_6C45 {
                return .responseElements
            }
        case 17:
            if head(p, 17) == 0x5074_7365_7571_6572 && load(p, 8) == 0x7265_7465_6D61_7261
                && load(p, 9) == 0x7372_6574_656D_6172
            {
                return .requestParameters
            }
        case 18:
            if head(p, 18) == 0x6E65_6970_6963_6572 && load(p, 8) == 0x746E_756F_6363_4174
                && load(p, 10) == 0x6449_746E_756F_6363
            {
                return .recipientAccountId
            }
        default:
            break
        }
        return .other
    }

    
    static func nestedField(_ p: UnsafePointer<UInt8>, _ count: Int) -> NestedField {
        switch count {
        case 3:
            switch head(p, 3) {
            case 0x4E_5241: return .arn  // resources[].ARN
            case 0x6E_7261: return .userARN  // userIdentity.arn
            default: return .other
            }
        case 4:
            return head(p, 4) == 0x6570_7974 ? .type : .other
        case 5:
            return head(p, 5) == 0x64_4979_656B ? .keyId : .other
        case 9:
            let tail = load(p, 1)
            switch head(p, 9) {
            case 0x4974_6E75_6F63_6361 where tail == 0x6449_746E_756F_6363: return .accountId
            case 0x4264_656B_6F76_6E69 where tail == 0x7942_6465_6B6F_766E: return .invokedBy
            case 0x6D61_4E73_6169_6C61 where tail == 0x656D_614E_7361_696C: return .aliasName
            default: return .other
            }
        case 11:
            let tail = load(p, 3)
            switch head(p, 11) {
            case 0x654B_7465_6772_6174 where tail == 0x6449_7965_4B74_6567: return .targetKeyId
            case 0x654B_6563_7275_6F73 where tail == 0x6449_7965_4B65_6372: return .sourceKeyId
            default: return .other
            }
        case 16:
            return head(p, 16) == 0x7461_6E69_7473_6564 && load(p, 8) == 0x6449_7965_4B6E_6F69
                ? .destinationKeyId : .other
        default:
            return .other
        }
    }
}
