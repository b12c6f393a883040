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
    /// `userIdentity.accountId`.
    var userAccountId = ByteSlice.absent
    /// `requestParameters.keyId`, `targetKeyId`, `sourceKeyId`, `destinationKeyId`.
    var requestKeyId = ByteSlice.absent
    var requestTargetKeyId = ByteSlice.absent
    var requestSourceKeyId = ByteSlice.absent
    var requestDestinationKeyId = ByteSlice.absent
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
        userAccountId = .absent
        resetRequest()
        responseKeyId = .absent
        resourceARNs.removeAll(keepingCapacity: true)
    }

    mutating func resetRequest() {
        requestKeyId = .absent
        requestTargetKeyId = .absent
        requestSourceKeyId = .absent
        requestDestinationKeyId = .absent
    }
}
