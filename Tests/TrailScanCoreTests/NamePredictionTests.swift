// The scanner predicts each member name from the one before it (NameMemory):
// a name is compared with the bytes remembered from earlier records before it
// is scanned. These documents warm the predictions up with a few identical
// records and then break them every way a prediction can be wrong, so hits
// and misses mix; the results must be the reference's (the full scan), and
// errors must keep their reason and offset. Every chunking also cuts names
// at every byte with the predictions warm. The values after the names
// repeat as well, and are changed the same ways, so that a scanner that
// steps over values it has seen before (tried on experiment/value-prediction,
// where these cases catch a compare one word or one byte short) must still
// find every change and every error.

import Testing
import TrailScanCore
import TrailScanTestSupport

private let arn1 = keyARN("1234abcd-12ab-34cd-56ef-1234567890ab")
private let arn2 = keyARN("0987dcba-09fe-87dc-65ba-ab0987654321")

/// A record with every kind of remembered object, in CloudTrail's order.
private let warm = #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/r/s","accountId":"111122223333","invokedBy":"kms.amazonaws.com"},"eventTime":"2026-10-01T19:16:23Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","requestParameters":{"keyId":"alias/app","encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":{"keyId":"\#(arn1)"},"readOnly":true,"resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"\#(arn1)"}],"recipientAccountId":"111122223333","sharedEventID":"e1"}"#

/// `warm` repeated, then `records`.
private func afterWarmUp(_ records: String...) -> [UInt8] {
    Array(trail(Array(repeating: warm, count: 3) + records).utf8)
}

/// An unfinished document: `warm` and the comma after it.
private let opened = #"{"Records":["# + warm + ","

/// `warm` with every `old` replaced by `new` (`old` must occur in it).
private func warm(_ old: String, _ new: String) -> String {
    precondition(warm.contains(old))
    return warm.replacing(old, with: new)
}

/// Checks the scanner against the reference on `document`.
private func checkAgainstReference(_ document: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let expected = try ReferenceCounter.count(document)
        checkDocument(document, expected: expected, reference: false, sourceLocation: sourceLocation)
    } catch {
        Issue.record("the reference rejected the document: \(error)", sourceLocation: sourceLocation)
    }
}

/// The offset of the first occurrence of `marker` in `document`.
private func offset(of marker: String, in document: [UInt8]) -> Int {
    let needle = Array(marker.utf8)
    return (0...(document.count - needle.count)).first { Array(document[$0..<$0 + needle.count]) == needle }!
}

@Suite struct NamePrediction {
    @Test func warmRecordsAreCounted() {
        checkAgainstReference(afterWarmUp(warm, warm))
    }

    @Test func sameNamesInANewOrder() {
        let reordered = #"{"recipientAccountId":"444455556666","resources":[{"ARN":"\#(arn2)","type":"AWS::KMS::Key"}],"eventName":"Encrypt","requestParameters":{"encryptionAlgorithm":"X","keyId":"k2"},"userIdentity":{"accountId":"444455556666","type":"IAMUser"},"eventSource":"kms.amazonaws.com","awsRegion":"eu-west-1"}"#
        checkAgainstReference(afterWarmUp(reordered, warm, reordered))
    }

    @Test func membersMissingOrAdded() {
        let fewer = #"{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Sign","resources":[{"ARN":"\#(arn2)"}]}"#
        let more = #"{"eventVersion":"1.08","extra":{"eventName":"NotThis","keyId":"nested"},"eventSource":"kms.amazonaws.com","eventName":"Verify","awsRegion":"us-east-1","requestParameters":{"keyId":"k3"},"recipientAccountId":"111122223333"}"#
        checkAgainstReference(afterWarmUp(fewer, more, warm, more, fewer))
    }

    @Test func namesThatDifferLate() {
        // Where `eventSource` and `recipientAccountId` are predicted, names
        // of the same length that differ only in their second or third word:
        // other members, so the record is not KMS's, and the key's account
        // is userIdentity's.
        let source = #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventTime":"t","eventSourcf":"kms.amazonaws.com","eventName":"Decrypt"}"#
        let account = #"{"eventVersion":"1.08","userIdentity":{"accountId":"111122223333"},"eventTime":"t","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","requestParameters":{"keyId":"k1"},"responseElements":null,"readOnly":true,"resources":[],"recipientAccountIe":"999999999999"}"#
        // Where `eventName` is predicted, a name that is a prefix of it.
        let prefix = #"{"eventVersion":"1.08","userIdentity":{},"eventTime":"t","eventSource":"kms.amazonaws.com","eventNam":"y","eventName":"Encrypt"}"#
        checkAgainstReference(afterWarmUp(source, warm, account, warm, prefix, warm))
    }

    @Test func escapedNameWherePlainOneIsPredicted() {
        let escaped = #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventTime":"t","eventSource":"kms.amazonaws.com","event\u004eame":"Encrypt","aws\u0052egion":"eu-west-1","requestParameters":{"key\u0049d":"k5"}}"#
        checkAgainstReference(afterWarmUp(escaped, warm, escaped))
    }

    @Test func nonASCIINamesRepeat() {
        let accented = #"{"eventSource":"kms.amazonaws.com","évènement":"x","eventName":"Decrypt","名前":1}"#
        checkAgainstReference(Array(trail(accented, accented, warm, accented).utf8))
    }

    @Test func prettyPrintedRecords() {
        let pretty = """
            {
              "eventVersion": "1.08",
              "eventSource" : "kms.amazonaws.com",
              "eventName":"GenerateDataKey",
              "requestParameters": {
                "keyId"
                  :
                "k7"
              },
              "awsRegion":\t"us-east-1"
            }
            """
        checkAgainstReference(afterWarmUp(pretty, warm, pretty))
    }

    @Test func errorsInPredictedNamesKeepTheirOffsets() {
        // A name cut short by a comma where `eventName` is predicted.
        let comma = afterWarmUp(#"{"eventVersion":"1.08","userIdentity":{"type":"R"},"eventTime":"t","eventSource":"s","eventName","x"}"#)
        checkRejected(comma, .unexpectedByte, offset: offset(of: #""eventName","#, in: comma) + 11)
        // A control byte in the second word of a predicted name.
        let source = Array((opened + #"{"eventVersion":"1.08","userIdentity":{"type":"R"},"eventTime":"t","eventSour"#).utf8)
        checkRejected(source + [0x01] + Array(#"e":"s"}]}"#.utf8), .controlCharacterInString, offset: source.count)
        // Invalid UTF-8 where a nested name is predicted.
        let type = Array((opened + #"{"userIdentity":{"ty"#).utf8)
        checkRejected(type + [0xC3, 0x28] + Array(#"pe":"R"}}]}"#.utf8), .invalidUTF8, offset: type.count + 1)
        // A bad escape where a nested name is predicted.
        let escape = afterWarmUp(#"{"eventVersion":"1.08","userIdentity":{"type":"R","ar\q":"x"}}"#)
        checkRejected(escape, .invalidEscape, offset: offset(of: #""ar\q""#, in: escape) + 4)
    }

    @Test func valuesThatDifferInTheLastByte() {
        let region = warm(#""us-east-1""#, #""us-east-2""#)
        let account = warm(#""111122223333""#, #""111122223334""#)
        let name = warm(#""Decrypt""#, #""Decrypu""#)
        checkAgainstReference(afterWarmUp(region, warm, account, warm, name, warm))
    }

    @Test func valuesWhoseClosingQuoteMoved() {
        let longer = [
            warm(#""1.08""#, #""1.081""#), warm(#""us-east-1""#, #""us-east-12""#),
            warm(#""kms.amazonaws.com""#, #""kms.amazonaws.comx""#), warm(#""AssumedRole""#, #""AssumedRole\"""#),
        ]
        let shorter = [
            warm(#""1.08""#, #""1.0""#), warm(#""us-east-1""#, #""us-east-""#), warm(#""Decrypt""#, #""Decryp""#),
            warm(#""111122223333""#, #""""#),
        ]
        for record in longer + shorter { checkAgainstReference(afterWarmUp(record, warm, record)) }
    }

    @Test func anotherKindOfValueWhereOneIsPredicted() {
        let records = [
            warm(#""readOnly":true"#, #""readOnly":"true""#), warm(#""readOnly":true"#, #""readOnly":false"#),
            warm(#""readOnly":true"#, #""readOnly":null"#), warm(#""awsRegion":"us-east-1""#, #""awsRegion":null"#),
            warm(#""awsRegion":"us-east-1""#, #""awsRegion":true"#),
            warm(#""eventSource":"kms.amazonaws.com""#, #""eventSource":["kms.amazonaws.com"]"#),
            warm(#""accountId":"111122223333""#, #""accountId":111122223333"#),
        ]
        for record in records { checkAgainstReference(afterWarmUp(record, warm, record)) }
    }

    @Test func escapedValueWherePlainOneIsPredicted() {
        let escaped = warm(#""us-east-1""#, #""us-east\u002d1""#)
        let name = warm(#""Decrypt""#, #""Decr\u0079pt""#)
        checkAgainstReference(afterWarmUp(escaped, warm, name, warm, escaped))
    }

    @Test func whitespaceAroundPredictedValues() {
        let after = warm(#""awsRegion":"us-east-1","#, #""awsRegion":"us-east-1" ,"#)
        let before = warm(#""awsRegion":"us-east-1","#, #""awsRegion": "us-east-1","#)
        let literal = warm(#""readOnly":true,"#, #""readOnly":true\#n,"#)
        checkAgainstReference(afterWarmUp(after, warm, before, warm, literal, after))
    }

    @Test func valuesAtTheLengthLimit() {
        // 24 bytes with both quotes, then 25, then 23.
        let at = warm(#""Decrypt""#, #""DecryptDecryptDecryptD""#)
        let over = warm(#""Decrypt""#, #""DecryptDecryptDecryptDe""#)
        let under = warm(#""Decrypt""#, #""DecryptDecryptDecrypt""#)
        checkAgainstReference(afterWarmUp(at, at, over, over, at, under, under, at))
    }

    @Test func errorsRightAfterPredictedValues() {
        // Bytes that cannot follow a value where a string or a literal is predicted.
        let string = afterWarmUp(warm(#""awsRegion":"us-east-1","#, #""awsRegion":"us-east-1"x,"#))
        checkRejected(string, .unexpectedByte, offset: offset(of: #""us-east-1"x"#, in: string) + 11)
        let literal = afterWarmUp(warm(#""readOnly":true"#, #""readOnly":truex"#))
        checkRejected(literal, .unexpectedByte, offset: offset(of: "truex", in: literal) + 4)
        let comma = afterWarmUp(warm(#""eventVersion":"1.08","#, #""eventVersion":"1.08",,"#))
        checkRejected(comma, .unexpectedByte, offset: offset(of: #""1.08",,"#, in: comma) + 7)
        // A literal cut short, and a string that goes on past the predicted quote.
        let short = afterWarmUp(warm(#""readOnly":true"#, #""readOnly":tru"#))
        checkRejected(short, .invalidLiteral, offset: offset(of: "tru,", in: short) + 3)
        // A control byte and invalid UTF-8 where the predicted closing quote was.
        let version = Array((opened + #"{"eventVersion":"1.08"#).utf8)
        checkRejected(version + [0x01] + Array(#""}]}"#.utf8), .controlCharacterInString, offset: version.count)
        let region = Array((opened + #"{"eventVersion":"1.08","awsRegion":"us-east-1"#).utf8)
        checkRejected(region + [0xC3, 0x28] + Array(#""}]}"#.utf8), .invalidUTF8, offset: region.count + 1)
        // The document ends inside a predicted value.
        for cut in [#"{"eventVersion":"1.08"#, #"{"eventVersion":"1.0"#, #"{"readOnly":tru"#, #"{"readOnly":true"#] {
            checkRejected(Array((opened + cut).utf8), .truncated)
        }
    }
}
