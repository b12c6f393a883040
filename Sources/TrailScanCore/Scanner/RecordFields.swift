// What the scanner keeps of one record: where the wanted string values lie in
// the buffer. Nothing is copied or decoded until the record is complete.

/// The wanted fields of one record, as slices of the scan buffer.
///
/// Duplicate member names follow the last-one-wins rule of common JSON
/// parsers: a later `userIdentity` replaces an earlier one whole, so its
/// absent `accountId` is absent.

struct RecordFields {
    var eventSource = ByteSlice.absent
    var eventName = ByteSlice.absent
    var errorCode = ByteSlice.absent
    var awsRegion = ByteSlice.absent
    var recipientAccountId = ByteSlice.absent
    var eventTime = ByteSlice.absent
    var sharedEventID = ByteSlice.absent
    /// `eventID`: the same in every copy of one event (duplicate deliveries).
    var eventID = ByteSlice.absent
    /// `readOnly`: `true`/`false` (a JSON boolean, or those strings).
    var readOnly = ReadOnlyFlag.absent
    /// `userIdentity.accountId`, `.type`, `.arn`, `.invokedBy`.
    var userAccountId = ByteSlice.absent
    var userType = ByteSlice.absent
    var userARN = ByteSlice.absent
    var userInvokedBy = ByteSlice.absent
    /// Where the `userIdentity` object lies (`start..<end`), read again
    /// only for `--by role` (MemberLookup).
    var userIdentity = 0..<0
    /// `requestParameters.keyId`, `targetKeyId`, `sourceKeyId`, `destinationKeyId`.
    var requestKeyId = ByteSlice.absent
    var requestTargetKeyId = ByteSlice.absent
    var requestSourceKeyId = ByteSlice.absent
    var requestDestinationKeyId = ByteSlice.absent
    /// `requestParameters.aliasName`.
    var requestAliasName = ByteSlice.absent
    /// Where the `requestParameters` object lies (`start..<end`), so a rare
    /// record (PutEventSelectors) can be walked again in full.
    var requestParameters = 0..<0
    /// `responseElements.keyId`.
    var responseKeyId = ByteSlice.absent
    /// `resources[].ARN`, in order. Kept between records (cleared, not freed).
    var resourceARNs: [ByteSlice] = []

    init() {}

    mutating func reset() {
        eventSource = .absent
        eventName = .absent
        errorCode = .absent
        awsRegion = .absent
        recipientAccountId = .absent
        eventTime = .absent
        sharedEventID = .absent
        eventID = .absent
        readOnly = .absent
        resetUserIdentity()
        resetRequest()
        responseKeyId = .absent
        clearResourceARNs()
    }

    /// Empties `resourceARNs`, keeping its storage. The check first: most
    /// calls find it empty, and `removeAll(keepingCapacity:)` is an
    /// out-of-line generic call (1.4 % of the scanner's instructions).
    @inline(__always)
    mutating func clearResourceARNs() {
        if !resourceARNs.isEmpty { resourceARNs.removeAll(keepingCapacity: true) }
    }

    mutating func resetUserIdentity() {
        userAccountId = .absent
        userType = .absent
        userARN = .absent
        userInvokedBy = .absent
        userIdentity = 0..<0
    }

    mutating func resetRequest() {
        requestAliasName = .absent
        requestParameters = 0..<0
        requestKeyId = .absent
        requestTargetKeyId = .absent
        requestSourceKeyId = .absent
        requestDestinationKeyId = .absent
    }
}

/// A record's `readOnly` member.
enum ReadOnlyFlag: UInt8 {
    case absent, yes, no
}
