// The KMS API operations the generator emits, with their relative
// frequencies, and the "forms" (key-reference shapes of docs/counting.md and
// other edge cases) that a generated trail is guaranteed to contain.

/// One KMS `eventName`.
enum KMSOp: Int, CaseIterable {
    case decrypt, encrypt, generateDataKey, generateDataKeyWithoutPlaintext, reEncrypt, generateDataKeyPair
    case sign, verify, generateMac, verifyMac
    case describeKey, getKeyPolicy, getPublicKey, listGrants, listKeys, listAliases, generateRandom
    case createKey, createAlias, updateAlias, deleteAlias, scheduleKeyDeletion, cancelKeyDeletion
    case disableKey, enableKey, putKeyPolicy, createGrant, retireGrant, rotateKeyOnDemand
    case enableKeyRotation, tagResource
    case deleteExpiredKeyMaterial, deleteKey, rotateKey, synchronizeMultiRegionKey

    enum Kind { case crypto, read, list, management, awsInternal }

    var name: StaticString {
        switch self {
        case .decrypt: "Decrypt"
        case .encrypt: "Encrypt"
        case .generateDataKey: "GenerateDataKey"
        case .generateDataKeyWithoutPlaintext: "GenerateDataKeyWithoutPlaintext"
        case .reEncrypt: "ReEncrypt"
        case .generateDataKeyPair: "GenerateDataKeyPair"
        case .sign: "Sign"
        case .verify: "Verify"
        case .generateMac: "GenerateMac"
        case .verifyMac: "VerifyMac"
        case .describeKey: "DescribeKey"
        case .getKeyPolicy: "GetKeyPolicy"
        case .getPublicKey: "GetPublicKey"
        case .listGrants: "ListGrants"
        case .listKeys: "ListKeys"
        case .listAliases: "ListAliases"
        case .generateRandom: "GenerateRandom"
        case .createKey: "CreateKey"
        case .createAlias: "CreateAlias"
        case .updateAlias: "UpdateAlias"
        case .deleteAlias: "DeleteAlias"
        case .scheduleKeyDeletion: "ScheduleKeyDeletion"
        case .cancelKeyDeletion: "CancelKeyDeletion"
        case .disableKey: "DisableKey"
        case .enableKey: "EnableKey"
        case .putKeyPolicy: "PutKeyPolicy"
        case .createGrant: "CreateGrant"
        case .retireGrant: "RetireGrant"
        case .rotateKeyOnDemand: "RotateKeyOnDemand"
        case .enableKeyRotation: "EnableKeyRotation"
        case .tagResource: "TagResource"
        case .deleteExpiredKeyMaterial: "DeleteExpiredKeyMaterial"
        case .deleteKey: "DeleteKey"
        case .rotateKey: "RotateKey"
        case .synchronizeMultiRegionKey: "SynchronizeMultiRegionKey"
        }
    }

    /// Relative frequency among KMS records (per 10 000), after the
    /// distribution of a busy production account: Decrypt and
    /// GenerateDataKey dominate (SSE-KMS, envelope encryption), then
    /// Encrypt and DescribeKey; management calls are rare.
    var weight: Int {
        switch self {
        case .decrypt: 4300
        case .generateDataKey: 2150
        case .encrypt: 900
        case .describeKey: 650
        case .generateDataKeyWithoutPlaintext: 300
        case .createGrant: 150
        case .listAliases: 150
        case .reEncrypt: 120
        case .sign: 120
        case .verify: 80
        case .listKeys: 80
        case .getKeyPolicy: 60
        case .retireGrant: 60
        case .generateMac: 50
        case .verifyMac: 40
        case .listGrants: 40
        case .generateRandom: 40
        case .generateDataKeyPair: 30
        case .getPublicKey: 30
        case .rotateKey: 15
        case .createKey: 10
        case .putKeyPolicy: 10
        case .tagResource: 10
        case .synchronizeMultiRegionKey: 10
        case .createAlias: 8
        case .updateAlias: 8
        case .scheduleKeyDeletion: 5
        case .disableKey: 5
        case .enableKeyRotation: 5
        case .deleteAlias: 4
        case .enableKey: 4
        case .deleteKey: 4
        case .cancelKeyDeletion: 3
        case .rotateKeyOnDemand: 3
        case .deleteExpiredKeyMaterial: 3
        }
    }

    var kind: Kind {
        switch self {
        case .decrypt, .encrypt, .generateDataKey, .generateDataKeyWithoutPlaintext, .reEncrypt,
            .generateDataKeyPair, .sign, .verify, .generateMac, .verifyMac:
            .crypto
        case .describeKey, .getKeyPolicy, .getPublicKey, .listGrants: .read
        case .listKeys, .listAliases, .generateRandom: .list
        case .deleteExpiredKeyMaterial, .deleteKey, .rotateKey, .synchronizeMultiRegionKey: .awsInternal
        default: .management
        }
    }

    var readOnly: Bool {
        switch kind {
        case .crypto, .read, .list: true
        case .management, .awsInternal: false
        }
    }

    /// Operations whose response carries `keyId` (the key ARN).
    var respondsWithKeyId: Bool {
        switch self {
        case .scheduleKeyDeletion, .cancelKeyDeletion, .rotateKeyOnDemand, .createGrant: true
        default: false
        }
    }

    static let weights: [Int] = allCases.map(\.weight)
    static let totalWeight: Int = weights.reduce(0, +)
}

/// A KMS record shape the trail must contain at least once (the generator
/// forces each early in the trail, then they recur at their natural rates).
enum KMSForm: Equatable {
    case resourcesTyped  // resources[] key ARN with type AWS::KMS::Key
    case resourcesUntyped  // older record: resources[] without type
    case aliasARNInResources  // CreateAlias: alias ARN typed AWS::KMS::Key next to the key ARN
    case reEncryptTwoKeys  // ReEncrypt, two keys in resources[]
    case responseKeyIdOnly  // management op, no resources, responseElements.keyId
    case requestKeyARN, requestAliasARN, requestAliasName, requestKeyUUID, requestMultiRegionID
    case targetKeyIdOnly  // CreateAlias / UpdateAlias without resources
    case sourceAndDestinationOnly  // ReEncrypt without resources
    case missingRecipient  // no recipientAccountId, key id only in the request
    case failure(KMSFailure)
    case errorCodeNull, errorCodeEmpty
    case crossAccount  // both copies
    case crossAccountDenied  // caller's copy only
    case contextKeyIdLookAlike  // requestParameters.encryptionContext.keyId
    case additionalDataLookAlike  // additionalEventData.keyId / .eventSource
    case deepNesting, longErrorMessage, unicodeText, numbers
    case operation(KMSOp)

    /// Every form, in the order the generator forces them.
    static let coverage: [KMSForm] = {
        var forms: [KMSForm] = [
            .resourcesTyped, .requestAliasName, .resourcesUntyped, .requestKeyUUID, .aliasARNInResources,
            .crossAccount, .requestKeyARN, .reEncryptTwoKeys, .requestMultiRegionID, .responseKeyIdOnly,
            .requestAliasARN, .targetKeyIdOnly, .sourceAndDestinationOnly, .missingRecipient,
            .failure(.accessDenied), .errorCodeNull, .contextKeyIdLookAlike, .failure(.throttling),
            .errorCodeEmpty, .additionalDataLookAlike, .failure(.notFound), .crossAccountDenied,
            .failure(.disabled), .unicodeText, .failure(.invalidState), .numbers, .deepNesting,
            .longErrorMessage, .crossAccount,
        ]
        for op in KMSOp.allCases { forms.append(.operation(op)) }
        for failure in KMSFailure.allCases where !forms.contains(.failure(failure)) {
            forms.append(.failure(failure))
        }
        return forms
    }()
}

/// A failed KMS call's `errorCode`.
enum KMSFailure: Int, CaseIterable {
    case accessDenied, throttling, notFound, disabled, invalidState, invalidCiphertext, incorrectKey
    case invalidKeyUsage, validation

    var code: StaticString {
        switch self {
        case .accessDenied: "AccessDenied"
        case .throttling: "ThrottlingException"
        case .notFound: "NotFoundException"
        case .disabled: "DisabledException"
        case .invalidState: "KMSInvalidStateException"
        case .invalidCiphertext: "InvalidCiphertextException"
        case .incorrectKey: "IncorrectKeyException"
        case .invalidKeyUsage: "InvalidKeyUsageException"
        case .validation: "ValidationException"
        }
    }

    var weight: Int {
        switch self {
        case .accessDenied: 40
        case .throttling: 15
        case .notFound: 10
        case .disabled: 8
        case .invalidState: 8
        case .invalidCiphertext: 8
        case .incorrectKey: 3
        case .invalidKeyUsage: 3
        case .validation: 5
        }
    }

    static let weights: [Int] = allCases.map(\.weight)
    static let totalWeight: Int = weights.reduce(0, +)
}
